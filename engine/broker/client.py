"""A client for the Pact Broker's HAL API (and PactFlow's): find pacts, fetch them, publish results.

Every URL is discovered from the broker's index (`GET /`) and the links of the resources it
returns; only when a relation is missing does the client fall back to the documented route.
One `Broker` holds one HTTP connection pool for a whole run. Secrets (the token, the
password) are sent in the `Authorization` header only and scrubbed from every message this
module produces, so a `BrokerError` can be printed as it is. Each fault is raised as its
kind (`errors.py` draws the tree) with the answer's status, so a caller can tell a broker
that is briefly away from one that said no.

Reading the answers is `hal.py`'s; this module sends the requests. httpx is imported here
and only here, so runs that never talk to a broker never import it; a caller may pass its
own transport (`httpx.MockTransport` in tests, a shared pool in a service).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin

import orjson

from .._types import Json, JsonObject
from ..errors import BrokerError, BrokerProtocolError, BrokerRefusedError, BrokerUnavailableError, InputError
from ..pact.reader import Pact, parse_pact
from ..urls import redact
from .hal import (
    FOR_VERIFICATION,
    Notice,
    VerifiablePact,
    expand,
    latest_pacts,
    link,
    resolve,
    verifiable_pacts,
)

if TYPE_CHECKING:
    import httpx

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

HAL = "application/hal+json, application/json;q=0.9, application/problem+json;q=0.8"
NOT_HANDLED = frozenset({429, 503})
"""Statuses that say the broker did not handle the request, so sending it again cannot duplicate it."""

GATEWAY_FAULTS = frozenset({502, 504})
"""A proxy's answer: the broker behind it may have handled the request, so only reads and
idempotent writes are sent again."""

REPEATABLE = frozenset({"GET", "PUT"})
"""Methods whose request can be sent twice with the effect of once."""

BACKOFF_SECONDS = 1.0
"""First wait before sending again; it doubles with each attempt."""


@dataclass(frozen=True, slots=True)
class BrokerAuth:
    """Credentials: a bearer token, or a username and password (basic auth)."""

    token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def header(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.username is not None:
            pair = f"{self.username}:{self.password or ''}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {}

    def secrets(self) -> tuple[str, ...]:
        """Each form a credential could be echoed back in: as given, and as sent (base64 for basic)."""
        sent = self.header().get("Authorization", "").partition(" ")[2]
        return tuple(s for s in (self.token, self.password, sent) if s)


@dataclass(frozen=True, slots=True)
class FetchedPact:
    """A pact read from a URL, with what is needed to publish its verification result."""

    source: VerifiablePact
    pact: Pact
    publish_url: str | None
    """Where the verification result goes (`pb:publish-verification-results`); None: not a broker's pact."""


@dataclass(frozen=True, slots=True)
class VerificationQuery:
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


class Broker:
    """One broker, one connection pool; use as a context manager."""

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
    ) -> None:
        import httpx

        self.base_url = base_url.rstrip("/")
        self.auth = auth or BrokerAuth()
        self.attempts = max(1, attempts)
        self.backoff = BACKOFF_SECONDS if backoff is None else backoff
        self._sleep = sleep or time.sleep
        self._index: JsonObject | None = None
        # Transport retries cover connection failures only (nothing was sent); status
        # retries are ours, below, and bounded.
        self._client = httpx.Client(
            headers={"Accept": HAL, "User-Agent": "crosscontract", **self.auth.header()},
            timeout=httpx.Timeout(timeout),
            transport=transport or httpx.HTTPTransport(retries=1),
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

    def request(self, method: str, url: str, body: JsonObject | None = None) -> Json:
        """Send one request; retry what was not handled; return the JSON answer (or None).

        A POST whose answer was lost (a timeout, a dropped connection, a gateway fault) is
        not sent again: the broker may have stored the result, and sending it again would
        publish it twice; for the same reason its fault is not `retryable`.
        """
        import httpx

        content = None if body is None else orjson.dumps(body)
        headers = {} if body is None else {"Content-Type": "application/json"}
        where = f"{method} {redact(url)}"
        repeatable = method in REPEATABLE
        unsure = "" if repeatable else " (it may have been stored, so it is not sent again)"
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                # A redirected POST becomes a GET (301/302): the write would be lost without a word.
                response = self._client.request(
                    method, url, content=content, headers=headers, follow_redirects=method == "GET"
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                if last:  # nothing was sent: always safe to send again, until now
                    raise BrokerUnavailableError(
                        self._scrub(f"{where}: cannot reach the broker ({_reason(exc)})")
                    ) from None
            except httpx.TimeoutException:
                if last or not repeatable:
                    raise BrokerUnavailableError(
                        f"{where}: the broker did not answer in time{unsure}", retryable=repeatable
                    ) from None
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                # Not the broker's fault, nor one that time mends: the request cannot be sent.
                raise BrokerError(self._scrub(f"{where}: {_reason(exc)}")) from None
            except httpx.TransportError as exc:  # the connection broke after the request went out
                if last or not repeatable:
                    raise BrokerUnavailableError(
                        self._scrub(f"{where}: {_reason(exc)}{unsure}"), retryable=repeatable
                    ) from None
            except httpx.HTTPError as exc:  # a body that cannot be decoded, endless redirects
                raise BrokerProtocolError(self._scrub(f"{where}: {_reason(exc)}")) from None
            else:
                status = response.status_code
                again = status in NOT_HANDLED or (repeatable and status in GATEWAY_FAULTS)
                if not again or last:
                    return self._answer(where, response, repeatable)
            self._sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _answer(self, where: str, response: httpx.Response, repeatable: bool) -> Json:
        """The JSON of a final answer, or the fault it reports, raised as its kind."""
        status = response.status_code
        if status in (401, 403):
            raise BrokerRefusedError(
                f"{where}: {status} {response.reason_phrase}: the broker refused the "
                "credentials (check PACT_BROKER_TOKEN or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD)",
                status=status,
            )
        if response.is_redirect:  # only writes get here
            target = redact(response.headers.get("Location", "elsewhere"))
            raise BrokerRefusedError(
                f"{where}: {status} {response.reason_phrase} to {target}: writes are not "
                "redirected; give the broker's URL as it answers (e.g. https://)",
                status=status,
            )
        if status >= 400:
            detail = _problem(response)
            # A proxy's fault leaves a write's fate unknown: it may have been stored.
            unsure = status in GATEWAY_FAULTS and not repeatable
            message = self._scrub(
                f"{where}: {status} {response.reason_phrase}"
                + (f": {detail}" if detail else "")
                + (" (it may have been stored, so it is not sent again)" if unsure else "")
            )
            if status in NOT_HANDLED or status in GATEWAY_FAULTS:
                raise BrokerUnavailableError(message, status=status, retryable=not unsure)
            raise BrokerRefusedError(message, status=status)
        if not response.content.strip():
            return None
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise BrokerProtocolError(f"{where}: the broker's answer is not JSON", status=status) from None

    def _scrub(self, message: str) -> str:
        for secret in self.auth.secrets():
            message = message.replace(secret, "***")
        return message

    # --- discovery ----------------------------------------------------------------------

    def index(self) -> JsonObject:
        if self._index is None:
            answer = self.request("GET", self.base_url + "/")
            if not isinstance(answer, dict):
                raise BrokerProtocolError(
                    f"GET {redact(self.base_url)}/: the broker's index is not a JSON object"
                )
            self._index = answer
        return self._index

    def supports(self, relation: str) -> bool:
        """Whether the broker's index has `relation` (e.g. newer features such as for-verification)."""
        return link(self.index(), relation) is not None

    def relation(self, relation: str, fallback: str | None = None, **values: str) -> str:
        """The expanded href of an index relation, or of the documented route when absent."""
        return resolve(self.index(), relation, self.base_url, fallback, **values)

    # --- pacts --------------------------------------------------------------------------

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

    def fetch_pact(self, source: VerifiablePact | str) -> FetchedPact:
        """Read one pact (labelled with its URL) and find where its result is published."""
        if isinstance(source, str):
            source = VerifiablePact(source)
        url = redact(source.url)
        document = self.request("GET", source.url)
        if not isinstance(document, dict):
            raise BrokerProtocolError(f"GET {url}: the answer is not a pact")
        publish_url = link(document, "pb:publish-verification-results")
        publish_url = publish_url and urljoin(source.url, publish_url)
        # The broker merges its links into the pact; they are not part of the contract.
        document = {k: v for k, v in document.items() if k not in ("_links", "_embedded")}
        try:
            pact = parse_pact(document, url)
        except InputError as exc:
            raise BrokerProtocolError(str(exc)) from None
        return FetchedPact(source, pact, publish_url)

    # --- writes -------------------------------------------------------------------------

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

    def publish_verification(self, pact: FetchedPact, result: JsonObject) -> Json:
        if pact.publish_url is None:
            raise BrokerProtocolError(
                f"{pact.pact.file}: the pact has no 'pb:publish-verification-results' link"
            )
        return self.request("POST", pact.publish_url, result)

    def publish_provider_contract(self, provider: str, body: JsonObject) -> Json:
        url = self.relation("pf:publish-provider-contract", provider=provider)
        return self.request("POST", url, body)


def _problem(response: httpx.Response) -> str:
    """A short account of an error answer: problem+json `title`/`detail`, or `errors`."""
    try:
        body = orjson.loads(response.content)
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
    return " ".join("; ".join(parts).split())[:300]  # one line, however the broker wrote it


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
