"""A client for the Pact Broker's HAL API (and PactFlow's): find pacts, fetch them, publish results.

Every URL is discovered from the broker's index (`GET /`) and the links of the resources it
returns; only when a relation is missing does the client fall back to the documented route.
One `Broker` holds one HTTP connection pool for a whole run. Each fault is raised as its
kind (`errors.py` draws the tree) with the answer's status, so a caller can tell a broker
that is briefly away from one that said no.

What the client guards, each in one place:

- where requests go (`origins.py`): the credentials only to the broker's origin, another
  host only when allowed and without them, loopback and link-local addresses never unless
  the broker is on one; redirects are followed here, hop by hop, under the same rules;
- how long a request takes: `timeout` is a deadline for the whole request, redirects
  included (`transport.py` holds every network operation to it);
- how much an answer holds: at most `max_answer_bytes`, read as it streams in;
- what it says: the secrets (token, password, in every spelling, `urls.Secrets`) are
  scrubbed from every message, trace line and pact label it makes, so a `BrokerError`
  can be printed as it is;
- how often it asks: a request the broker did not handle (429, 503) is sent again after
  the broker's `Retry-After` (at most `MAX_RETRY_AFTER`), else after a doubling backoff.

One `Broker` may be used from several threads at once (the workflow fetches and publishes
eight at a time): the connection pool is shared, each request's deadline is its thread's.

Reading the answers is `hal.py`'s; this module sends the requests. httpx is imported here
and in `transport.py` only, and only once a `Broker` is made, so runs that never talk to a
broker never import it; a caller may pass its own transport (`httpx.MockTransport` in
tests, a shared pool in a service), which then answers for the network side of the
deadline and for the addresses names resolve to.
"""

from __future__ import annotations

import base64
import functools
import math
import re
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, ParamSpec, TypeVar
from urllib.parse import quote, urljoin

import orjson
from msgspec import Struct

from .._types import Json, JsonObject
from ..errors import BrokerError, BrokerProtocolError, BrokerRefusedError, BrokerUnavailableError, InputError
from ..pact.reader import Pact, parse_pact
from ..urls import Secrets, credentials_in, redact, repr_hiding
from .hal import (
    FOR_VERIFICATION,
    Notice,
    VerifiablePact,
    expand,
    latest_pacts,
    link,
    link_name,
    resolve,
    verifiable_pacts,
)
from .origins import Origin, OriginPolicy, host_rule

if TYPE_CHECKING:
    import httpx

    from .transport import Deadline

__all__ = [
    "FOR_VERIFICATION",
    "Broker",
    "BrokerAuth",
    "BrokerError",
    "FetchedPact",
    "Notice",
    "VerifiablePact",
    "VerificationQuery",
    "expand",
    "link",
    "redact",
]
# `Notice`, `VerifiablePact`, `expand`, `link` and `redact` are read in `hal.py` and `urls.py`;
# they are named here too because the client's callers meet them in its answers.

P = ParamSpec("P")
R = TypeVar("R")

HAL = "application/hal+json, application/json;q=0.9, application/problem+json;q=0.8"
NOT_HANDLED = frozenset({429, 503})
"""Statuses that say the broker did not handle the request, so sending it again cannot duplicate it."""

GATEWAY_FAULTS = frozenset({502, 504})
"""A proxy's answer: the broker behind it may have handled the request, so only reads and
idempotent writes are sent again."""

REPEATABLE = frozenset({"GET", "PUT"})
"""Methods whose request can be sent twice with the effect of once."""

REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10

BACKOFF_SECONDS = 1.0
"""First wait before sending again; it doubles with each attempt."""

MAX_RETRY_AFTER = 60.0
"""The longest `Retry-After` waited for: a broker that asks for longer is not asked again
in this run (its fault says how long it asked for)."""

MAX_ANSWER_BYTES = 64 * 2**20
"""The most one answer may hold (a pact, a pact list): a bigger one is cut and refused, not
read into memory whole. `max_answer_bytes` (`--broker-max-answer` on the command line) raises it."""

MAX_TIMEOUT = 24 * 3600.0
"""The longest deadline taken: longer is not a deadline, and overflows a socket's timeout."""

_TOKEN_CHARACTERS = frozenset(chr(c) for c in range(0x21, 0x7F))
"""What a bearer token may hold: visible ASCII (RFC 6750's token68 and then some)."""


class BrokerAuth(Struct, frozen=True):
    """Credentials: a bearer token, or a username and password (basic auth).

    A token that an HTTP header cannot carry (a line break, a space, a non-ASCII letter) is
    refused here, with a message that does not repeat it.
    """

    token: str | None = None
    username: str | None = None
    password: str | None = None

    def __repr__(self) -> str:
        return repr_hiding(self, ("token", "password"))

    def __post_init__(self) -> None:
        if self.token and not _TOKEN_CHARACTERS.issuperset(self.token):
            raise ValueError(
                "the broker token holds a character no HTTP header can carry as a bearer token "
                "(a line break, a space, a control character or a non-ASCII letter): check how it was set"
            )

    def header(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.username is not None:
            pair = f"{self.username}:{self.password or ''}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {}

    def secrets(self) -> Secrets:
        """Every spelling the credentials could be echoed back in (`urls.Secrets`)."""
        basic = [(self.username, self.password)] if self.username is not None and not self.token else []
        return Secrets.of(self.token, self.password, basic=basic)


class FetchedPact(Struct, frozen=True):
    """A pact read from a URL, with what is needed to publish its verification result."""

    source: VerifiablePact
    pact: Pact
    publish_url: str | None
    """Where the verification result goes (`pb:publish-verification-results`); None: not a broker's pact."""
    consumer_version: str | None = None
    """The consumer version the broker says the pact is for: in its list, else in the pact's links."""


class VerificationQuery(Struct, frozen=True):
    """The body of a pacts-for-verification request."""

    selectors: tuple[JsonObject, ...] = ()
    provider_version_branch: str | None = None
    provider_version_tags: tuple[str, ...] = ()
    include_pending: bool = False
    include_wip_pacts_since: str | None = None

    def body(self) -> JsonObject:
        # Without selectors the broker picks the latest pact of each consumer.
        body: JsonObject = {"consumerVersionSelectors": list(self.selectors)} if self.selectors else {}
        if self.provider_version_branch:
            body["providerVersionBranch"] = self.provider_version_branch
        if self.provider_version_tags:
            body["providerVersionTags"] = list(self.provider_version_tags)
        if self.include_pending:
            body["includePendingStatus"] = True
        if self.include_wip_pacts_since:
            body["includeWipPactsSince"] = self.include_wip_pacts_since
        return body


def _scrubbed(method: Callable[P, R]) -> Callable[P, R]:
    """A `Broker` method whose faults have the broker's secrets scrubbed from their message."""

    @functools.wraps(method)
    def scrubbing(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except BrokerError as exc:
            broker = args[0]
            assert isinstance(broker, Broker)
            message = broker.secrets.scrub(str(exc))
            if message == str(exc):
                raise
            raise type(exc)(message, status=exc.status, retryable=exc.retryable) from None

    return scrubbing


class _Answer(Struct, frozen=True):
    """A final answer: what `_answer` needs of it, the body read whole (and bounded)."""

    status: int
    reason: str
    location: str | None
    content: bytes
    retry_after: float | None = None
    """Seconds the broker asked to wait before sending again (`Retry-After`), if it said."""


class Broker:
    """One broker, one connection pool; use as a context manager.

    `allow_hosts` names the other hosts (`HOST` or `HOST:PORT`) whose URLs may be fetched,
    without the credentials: pacts a broker keeps elsewhere, pact URLs given by the user.
    `trace`, if given, is told each exchange as one line (method, URL, status, time),
    credentials scrubbed: what `--verbose` prints.
    """

    def __init__(
        self,
        base_url: str,
        auth: BrokerAuth | None = None,
        *,
        timeout: float = 30.0,
        attempts: int = 3,
        backoff: float | None = None,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
        allow_hosts: Iterable[str] = (),
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        trace: Callable[[str], None] | None = None,
    ) -> None:
        import httpx

        from .transport import Deadline, GuardedTransport

        if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
            raise ValueError(f"timeout: {timeout} is not a number of seconds above 0 and at most a day")
        if max_answer_bytes < 1:
            raise ValueError(f"max_answer_bytes: {max_answer_bytes} is not a positive size")
        in_url = credentials_in(base_url)
        self.base_url = redact(base_url).rstrip("/")
        # `https://user:secret@broker` is basic auth for the broker: for every request to it, not
        # only for the index (the one URL that would carry it), and for no other origin.
        if auth is None or not auth.header():
            auth = BrokerAuth(username=in_url[0], password=in_url[1]) if in_url else BrokerAuth()
        self.auth = auth
        self.secrets = self.auth.secrets()
        if in_url:  # also when other credentials were given: the URL's are as secret
            self.secrets += Secrets.of(in_url[1], basic=[in_url])
        """What the broker's messages and labels never show."""
        self.timeout = timeout
        self.max_answer_bytes = max_answer_bytes
        self.attempts = max(1, attempts)
        self.backoff = BACKOFF_SECONDS if backoff is None else backoff
        self._sleep = sleep or time.sleep
        self._trace = trace
        self._index: JsonObject | None = None
        allowed = frozenset(map(host_rule, allow_hosts))  # ValueError for what is not a host
        try:
            self.policy: OriginPolicy | None = OriginPolicy(Origin.of(self.base_url), allowed)
        except ValueError:  # a malformed broker URL: each request says so, as it cannot be sent
            self.policy = None
        self._deadline: Deadline = Deadline()
        # Redirects are followed by `_exchange`, hop by hop under the origin rules; the
        # environment's proxies by the transport, which also holds requests to their deadline.
        self._client = httpx.Client(
            headers={"Accept": HAL, "User-Agent": "crosscontract"},
            timeout=httpx.Timeout(timeout),
            transport=transport or GuardedTransport(self.policy, self._deadline),
            follow_redirects=False,
            trust_env=False,
        )

    def __enter__(self) -> Broker:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # --- transport ----------------------------------------------------------------------

    @_scrubbed
    def request(self, method: str, url: str, body: JsonObject | None = None) -> Json:
        """Send one request; retry what was not handled; return the JSON answer (or None).

        A POST whose answer was lost (a timeout, a dropped connection, a gateway fault) is
        not sent again: the broker may have stored the result, and sending it again would
        publish it twice; for the same reason its fault is not `retryable`.
        """
        import httpx

        from .transport import RefusedPeerError

        content = None if body is None else orjson.dumps(body)
        headers = {} if body is None else {"Content-Type": "application/json"}
        where = f"{method} {redact(url)}"
        repeatable = method in REPEATABLE
        unsure = "" if repeatable else " (it may have been stored, so it is not sent again)"
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            wait = self.backoff * 2 ** (attempt - 1)
            try:
                answer = self._exchange(where, method, url, content, headers)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                if last:  # nothing was sent: always safe to send again, until now
                    raise BrokerUnavailableError(
                        f"{where}: cannot reach the broker ({_reason(exc)})"
                    ) from None
            except httpx.TimeoutException:
                if last or not repeatable:
                    raise BrokerUnavailableError(
                        f"{where}: the broker did not answer in time (within {self.timeout:g} s){unsure}",
                        retryable=repeatable,
                    ) from None
            except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError) as exc:
                # Not the broker's fault, nor one that time mends: the request cannot be sent.
                raise BrokerError(f"{where}: {_reason(exc)}") from None
            except RefusedPeerError as exc:  # a name that resolved where requests never go
                raise BrokerError(f"{where}: {exc}") from None
            except httpx.TransportError as exc:  # the connection broke after the request went out
                if last or not repeatable:
                    raise BrokerUnavailableError(
                        f"{where}: {_reason(exc)}{unsure}", retryable=repeatable
                    ) from None
            except httpx.HTTPError as exc:  # a body that cannot be decoded
                raise BrokerProtocolError(f"{where}: {_reason(exc)}") from None
            else:
                status = answer.status
                again = status in NOT_HANDLED or (repeatable and status in GATEWAY_FAULTS)
                if not again or last:
                    return self._answer(where, answer, repeatable)
                asked = answer.retry_after if status in NOT_HANDLED else None
                if asked is not None and asked > MAX_RETRY_AFTER:
                    note = f" (Retry-After {asked:g} s: longer than the {MAX_RETRY_AFTER:g} s waited)"
                    return self._answer(where, answer, repeatable, note)
                wait = wait if asked is None else asked
            self._say(f"{where}: sent again in {wait:g} s (attempt {attempt + 1} of {self.attempts})")
            self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _exchange(
        self, where: str, method: str, url: str, content: bytes | None, headers: dict[str, str]
    ) -> _Answer:
        """One attempt, redirects included, within one deadline; the body read whole, bounded.

        Only reads follow redirects (a redirected POST would arrive as a GET, and the write
        would be lost without a word), each hop judged by the origin rules afresh, so a
        redirect to another origin never carries the credentials.
        """
        deadline = time.monotonic() + self.timeout
        with self._deadline.until(deadline):
            for hop in range(MAX_REDIRECTS + 1):
                origin = self._admit(where, url, redirected=hop > 0)
                sent = {**headers, **(self.auth.header() if self._credentials_for(origin) else {})}
                request = self._client.build_request(method, url, content=content, headers=sent)
                started = time.monotonic()
                outcome = "no answer"
                try:
                    response = self._client.send(request, stream=True)
                    outcome = f"{response.status_code} {response.reason_phrase}".rstrip()
                    try:
                        location = response.headers.get("Location")
                        if method == "GET" and response.status_code in REDIRECTS and location:
                            url = str(response.url.join(location))
                            continue
                        body = self._read(where, response, deadline)
                    finally:
                        response.close()
                except Exception as exc:
                    outcome += f", {_reason(exc)}" if outcome != "no answer" else f": {_reason(exc)}"
                    raise
                finally:
                    self._say(f"{method} {redact(str(request.url))} -> {outcome} ({_millis(started)})")
                retry_after = _retry_after(response.headers.get("Retry-After"))
                return _Answer(response.status_code, response.reason_phrase, location, body, retry_after)
        raise BrokerProtocolError(f"{where}: more than {MAX_REDIRECTS} redirects")

    def _say(self, line: str) -> None:
        """One trace line, if tracing: credentials scrubbed (a URL's query may carry one)."""
        if self._trace is not None:
            self._trace(self.secrets.scrub(line))

    def _admit(self, where: str, url: str, redirected: bool) -> Origin:
        """The origin of a URL about to be asked; a `BrokerError` if it must not be."""
        hop = f"{where}: redirected to {redact(url)}" if redirected else where
        try:
            origin = Origin.of(url)
        except ValueError as exc:
            raise BrokerError(f"{hop}: {exc}") from None
        if self.policy is None:
            raise BrokerError(f"{hop}: the broker's URL {redact(self.base_url)} is not a URL")
        reason = self.policy.refusal(origin)
        if reason is not None:
            raise BrokerError(f"{hop}: {reason}")
        return origin

    def _credentials_for(self, origin: Origin) -> bool:
        return self.policy is not None and self.policy.credentials_for(origin)

    def _read(self, where: str, response: httpx.Response, deadline: float) -> bytes:
        """The body, as it streams in: cut at `max_answer_bytes`, and at the deadline between chunks."""
        import httpx

        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_answer_bytes:
            raise self._too_large(where)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_answer_bytes:
                raise self._too_large(where)
            chunks.append(chunk)
            if time.monotonic() > deadline:  # a caller's transport may not hold reads to it
                raise httpx.ReadTimeout("the request's deadline passed", request=response.request)
        return b"".join(chunks)

    def _too_large(self, where: str) -> BrokerProtocolError:
        limit = self.max_answer_bytes
        size = f"{limit // 2**20} MiB" if limit % 2**20 == 0 else f"{limit} bytes"
        return BrokerProtocolError(
            f"{where}: the answer is larger than {size}, the most one broker answer may hold "
            "(raise it with --broker-max-answer)"
        )

    def _answer(self, where: str, answer: _Answer, repeatable: bool, note: str = "") -> Json:
        """The JSON of a final answer, or the fault it reports, raised as its kind (`note` added)."""
        status = answer.status
        if status in (401, 403):
            raise BrokerRefusedError(
                f"{where}: {status} {answer.reason}: the broker refused the "
                "credentials (check PACT_BROKER_TOKEN or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD)",
                status=status,
            )
        if status in REDIRECTS and answer.location:  # only writes get here
            raise BrokerRefusedError(
                f"{where}: {status} {answer.reason} to {redact(answer.location)}: writes are not "
                "redirected; give the broker's URL as it answers (e.g. https://)",
                status=status,
            )
        if status >= 400:
            detail = self.secrets.scrub(_problem(answer.content))  # before it is cut to one line's length
            detail = detail[:300]
            # A proxy's fault leaves a write's fate unknown: it may have been stored.
            unsure = status in GATEWAY_FAULTS and not repeatable
            message = (
                f"{where}: {status} {answer.reason}"
                + (f": {detail}" if detail else "")
                + (" (it may have been stored, so it is not sent again)" if unsure else "")
                + note
            )
            if status in NOT_HANDLED or status in GATEWAY_FAULTS:
                raise BrokerUnavailableError(message, status=status, retryable=not unsure)
            raise BrokerRefusedError(message, status=status)
        if not answer.content.strip():
            return None
        try:
            return orjson.loads(answer.content)
        except orjson.JSONDecodeError:
            raise BrokerProtocolError(f"{where}: the broker's answer is not JSON", status=status) from None

    # --- discovery ----------------------------------------------------------------------

    @_scrubbed
    def index(self) -> JsonObject:
        if self._index is None:
            answer = self.request("GET", self.base_url + "/")
            if not isinstance(answer, dict):
                raise BrokerProtocolError(
                    f"GET {redact(self.base_url)}/: the broker's index is not a JSON object"
                )
            self._index = answer
        return self._index

    @_scrubbed
    def supports(self, relation: str) -> bool:
        """Whether the broker's index has `relation` (e.g. newer features such as for-verification)."""
        return link(self.index(), relation) is not None

    @_scrubbed
    def relation(self, relation: str, fallback: str | None = None, **values: str) -> str:
        """The expanded href of an index relation, or of the documented route when absent."""
        return resolve(self.index(), relation, self.base_url, fallback, **values)

    # --- pacts --------------------------------------------------------------------------

    @_scrubbed
    def pacts_for_verification(self, provider: str, query: VerificationQuery) -> tuple[VerifiablePact, ...]:
        """The pacts `provider` should verify, chosen by the broker from the selectors.

        Brokers too old for `pb:provider-pacts-for-verification` get the latest pact of
        each consumer (`pb:latest-provider-pacts`) instead.
        """
        if not self.supports(FOR_VERIFICATION):
            url = self.relation(
                "pb:latest-provider-pacts", "/pacts/provider/{provider}/latest", provider=provider
            )
            return latest_pacts(self.request("GET", url), url)
        url = self.relation(FOR_VERIFICATION, provider=provider)
        return verifiable_pacts(self.request("POST", url, query.body()), url)

    @_scrubbed
    def fetch_pact(self, source: VerifiablePact | str) -> FetchedPact:
        """Read one pact (labelled with its URL, secrets hidden) and find where its result is published."""
        if isinstance(source, str):
            source = VerifiablePact(source)
        url = self.secrets.scrub(redact(source.url))
        answer = self.request("GET", source.url)
        if not isinstance(answer, dict):
            raise BrokerProtocolError(f"GET {url}: the answer is not a pact")
        publish_url = link(answer, "pb:publish-verification-results")
        publish_url = publish_url and urljoin(source.url, publish_url)
        # The broker merges its links into the pact; they are not part of the contract.
        document = {k: v for k, v in answer.items() if k not in ("_links", "_embedded")}
        try:
            pact = parse_pact(document, url)
        except InputError as exc:
            raise BrokerProtocolError(str(exc)) from None
        version = source.consumer_version or link_name(answer, "pb:consumer-version")
        return FetchedPact(source, pact, publish_url, version)

    # --- writes -------------------------------------------------------------------------

    @_scrubbed
    def tag_provider_version(
        self, provider: str, version: str, branch: str | None, tags: Iterable[str]
    ) -> None:
        """Create the provider version's branch and tags (idempotent PUTs)."""
        if branch:
            url = self.relation(
                "pb:pacticipant-branch-version",
                "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
                pacticipant=provider,
                branch=branch,
                version=version,
            )
            self.request("PUT", url, {})
        for tag in tags:
            version_url = self.relation(
                "pb:pacticipant-version",
                "/pacticipants/{pacticipant}/versions/{version}",
                pacticipant=provider,
                version=version,
            )
            self.request("PUT", f"{version_url}/tags/{quote(tag, safe='')}", {})

    @_scrubbed
    def publish_verification(self, pact: FetchedPact, result: JsonObject) -> Json:
        if pact.publish_url is None:
            raise BrokerProtocolError(
                f"{redact(pact.source.url)}: the pact has no 'pb:publish-verification-results' link"
            )
        return self.request("POST", pact.publish_url, result)

    @_scrubbed
    def publish_provider_contract(self, provider: str, body: JsonObject) -> Json:
        url = self.relation("pf:publish-provider-contract", provider=provider)
        return self.request("POST", url, body)


def _problem(content: bytes) -> str:
    """A short account of an error answer: problem+json `title`/`detail`, or `errors`, in one line."""
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts = [str(body[key]) for key in ("title", "detail") if isinstance(body.get(key), str)]
    errors = body.get("errors")
    if isinstance(errors, dict):
        parts.extend(
            f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
            for key, value in errors.items()
        )
    elif isinstance(errors, list):
        parts.extend(str(error) for error in errors)
    return " ".join("; ".join(parts).split())  # one line, however the broker wrote it


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _millis(started: float) -> str:
    return f"{(time.monotonic() - started) * 1000:.0f} ms"


def _retry_after(value: str | None) -> float | None:
    """`Retry-After` in seconds from now: a number of seconds or an HTTP date; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,12}", value):
        return float(value)
    from datetime import UTC, datetime
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
