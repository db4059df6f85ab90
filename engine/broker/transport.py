"""The HTTP transport under the broker client: a deadline per request, and no forbidden peers.

httpx's timeouts bound each network operation, not a request: a broker that sends one byte
a second never trips a read timeout and holds the run for as long as it likes. Here every
connect, read and write of the request under way is given what is left of its deadline
(`Deadline`), so a request ends when its time is up, whatever the other side does. The
name is looked up within the deadline too (`_addresses`): the system resolver has no
timeout of its own, and a resolver that never answers would otherwise hold the run.

Once a connection to a host other than the broker's is open, and before anything is sent
on it, the address the name resolved to is judged (`OriginPolicy.refuses_peer`): a name
that resolves to a loopback or link-local address is refused like the address itself
would be. Through a proxy (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, read as
httpx reads them) the peer is the proxy; only the URL's own host is judged then.

Built on httpcore's public pool and network-backend interfaces: httpx's own transport
offers no way to reach the streams.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from .origins import OriginPolicy

__all__ = ["Deadline", "GuardedTransport", "RefusedPeerError"]


class RefusedPeerError(Exception):
    """A connection went to an address the origin rules forbid; nothing was sent on it."""


class Deadline(threading.local):
    """When the request under way in this thread must be done (`time.monotonic()`), or None.

    Per thread: a service may share one client between workers.
    """

    def __init__(self) -> None:
        self.at: float | None = None

    @contextmanager
    def until(self, at: float) -> Iterator[None]:
        self.at = at
        try:
            yield
        finally:
            self.at = None

    def left(self, timeout: float | None, expired: type[Exception]) -> float | None:
        """`timeout`, cut to what is left of the deadline; `expired` raised when nothing is."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise expired("the request's deadline passed")
        return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        left = self._deadline.left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, left), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """httpcore's own sockets, with the deadline on every operation and the peer judged once open."""

    def __init__(self, deadline: Deadline, policy: OriginPolicy | None) -> None:
        self._sockets = httpcore.SyncBackend()
        self._deadline = deadline
        self._policy = policy
        """None: connections go to a proxy, whose address is not the target's."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._connect(host, port, timeout, local_address, socket_options)
        if self._policy is not None:
            peer = stream.get_extra_info("server_addr")
            reason = self._policy.refuses_peer(host.lower(), ipaddress.ip_address(peer[0].partition("%")[0]))
            if reason is not None:
                stream.close()
                raise RefusedPeerError(reason)
        return _Stream(stream, self._deadline)

    def _connect(
        self,
        host: str,
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[Any] | None,
    ) -> httpcore.NetworkStream:
        """A connection to the first of the host's addresses that answers, within the deadline."""
        failure: Exception | None = None
        for address in _addresses(host, port, self._deadline.left(timeout, httpcore.ConnectTimeout)):
            left = self._deadline.left(timeout, httpcore.ConnectTimeout)
            try:
                return self._sockets.connect_tcp(address, port, left, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # the next address, as the system's own connect would try it
        raise failure or httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - the broker is always reached over TCP
        raise httpcore.UnsupportedProtocol("unix sockets are not used")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


def _addresses(host: str, port: int, seconds: float | None) -> list[str]:
    """The addresses `host` resolves to, asked of the system resolver for at most `seconds`.

    The lookup runs in a daemon thread, waited for until the deadline: the C resolver cannot
    be interrupted, so a lookup that never ends is left behind rather than waited for.
    An address written as such is its own answer.
    """
    written = host.strip("[]")
    try:
        ipaddress.ip_address(written.partition("%")[0])
        return [written]  # as written: an IPv6 zone (`%eth0`) is kept for the connect
    except ValueError:
        pass
    found: list[list[str]] = []
    failed: list[OSError] = []

    def look_up() -> None:
        try:
            answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found.append(list(dict.fromkeys(str(answer[4][0]) for answer in answers)))
        except OSError as exc:
            failed.append(exc)

    lookup = threading.Thread(target=look_up, name=f"resolve {host}", daemon=True)
    lookup.start()
    lookup.join(seconds)
    if lookup.is_alive():
        raise httpcore.ConnectTimeout(f"looking up {host} took longer than the request's deadline")
    if failed:
        raise httpcore.ConnectError(f"cannot look up {host}: {failed[0]}")
    return found[0]


_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)
"""httpcore's faults as httpx's, most specific first, so the client reads one family."""

_FAULTS = tuple(ours for ours, _ in _ERRORS)


@contextmanager
def _as_httpx(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except _FAULTS as exc:
        raise _translated(exc, request) from exc


def _translated(exc: Exception, request: httpx.Request) -> httpx.TransportError:
    kind = next(theirs for ours, theirs in _ERRORS if isinstance(exc, ours))
    return kind(str(exc) or type(exc).__name__, request=request)


class _Body(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx(self._request):
            stream = self._response.stream
            assert isinstance(stream, Iterable)
            yield from stream

    def close(self) -> None:
        self._response.close()


class GuardedTransport(httpx.BaseTransport):
    """Connections for one broker client: direct, or through the proxy the environment names."""

    def __init__(self, policy: OriginPolicy | None, deadline: Deadline, *, retries: int = 1) -> None:
        self._deadline = deadline
        self._ssl = httpx.create_ssl_context()  # the system's CAs, or SSL_CERT_FILE / SSL_CERT_DIR
        # Connection failures (nothing was sent) are tried again by the pool; statuses by the client.
        self._retries = retries
        self._direct = httpcore.ConnectionPool(
            ssl_context=self._ssl, retries=retries, network_backend=_Backend(deadline, policy)
        )
        self._environment = urllib.request.getproxies_environment()
        self._proxies: dict[str, httpcore.ConnectionPool] = {}
        self._proxies_lock = threading.Lock()  # requests are sent from several threads at once

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx(request):
            response = self._pool(request).handle_request(core)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response, request),
            extensions=response.extensions,
        )

    def _pool(self, request: httpx.Request) -> httpcore.ConnectionPool:
        url = request.url
        proxy = self._environment.get(url.scheme) or self._environment.get("all")
        netloc = url.netloc.decode("ascii")
        if not proxy or urllib.request.proxy_bypass(netloc):
            return self._direct
        with self._proxies_lock:
            if proxy not in self._proxies:
                self._proxies[proxy] = self._proxy_pool(proxy, request)
            return self._proxies[proxy]

    def _proxy_pool(self, proxy: str, request: httpx.Request) -> httpcore.ConnectionPool:
        settings = httpx.Proxy(proxy if "://" in proxy else f"http://{proxy}")
        if settings.url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(
                f"the proxy {settings.url.scheme}://{settings.url.host} is not an http(s) proxy",
                request=request,
            )
        return httpcore.HTTPProxy(
            proxy_url=httpcore.URL(
                scheme=settings.url.raw_scheme,
                host=settings.url.raw_host,
                port=settings.url.port,
                target=settings.url.raw_path,
            ),
            proxy_auth=settings.raw_auth,
            proxy_headers=settings.headers.raw,
            ssl_context=self._ssl,
            retries=self._retries,
            network_backend=_Backend(self._deadline, None),
        )

    def close(self) -> None:
        self._direct.close()
        for pool in self._proxies.values():
            pool.close()
