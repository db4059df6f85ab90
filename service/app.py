"""The ASGI app: routes only. Domain work lives in `contracts`, `webhooks`, `worker`, `store`.

Routes that take a body read it themselves, after the token is checked and never past the size
limit: FastAPI would read (and parse) the whole body before any dependency runs, so a refused
or oversized request would cost its full upload first.
"""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, unquote, urlsplit

import orjson
from crosscontract.engine.broker.payloads import IMPLEMENTATION, crosscontract_version
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from . import auth, contracts, webhooks
from .jobs.embedded import JobQueue
from .metrics import Metrics
from .settings import Settings
from .store.database import Sessions, migrate, open_engine, sessions as make_sessions
from .store.models import JobRow, ProviderVersionRow, ResultRow, SpecRow
from .webhooks import BrokerWebhook, same_origin
from .worker import WorkerPool

HAL = "application/hal+json"
Model = TypeVar("Model", bound=BaseModel)
WEBHOOK_LIMIT = 64 * 1024


@dataclass
class Service:
    settings: Settings
    sessions: Sessions
    queue: JobQueue
    metrics: Metrics


class ApiError(Exception):
    """An error answer in problem+json (RFC 9457): status, title, detail."""

    def __init__(self, status: int, title: str, detail: str | None = None) -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail


def _problem(status: int, title: str, detail: str | None = None, **headers: str) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "title": title}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status, headers=headers or None, media_type="application/problem+json")


class HalResponse(Response):
    media_type = HAL


_PROBLEM = {
    "content": {
        "application/problem+json": {
            "schema": {
                "type": "object",
                "required": ["status", "title"],
                "properties": {
                    "status": {"type": "integer"},
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                },
            }
        }
    }
}
_HAL_BODY = {"content": {HAL: {"schema": {"type": "object"}}}}
_REASONS = {
    400: "The contract does not load",
    401: "No valid bearer token",
    403: "The token's scope does not allow this",
    404: "Not found",
    413: "The body is over the size limit",
    422: "The request cannot be processed",
    503: "No Pact Broker is configured",
}


def _answers(success: int, *errors: int) -> dict[int | str, dict[str, Any]]:
    """The documented answers of a route: its HAL success and its problem+json errors."""
    answers: dict[int | str, dict[str, Any]] = {success: {"description": "OK", **_HAL_BODY}}
    for status in errors:
        answers[status] = {"description": _REASONS[status], **_PROBLEM}
    return answers


def _hal(body: Any, status: int = 200) -> Response:
    return HalResponse(orjson.dumps(body), status)


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def require(scope: str) -> Callable[..., auth.Principal]:
    def check(request: Request) -> auth.Principal:
        principal = auth.authenticate(service(request).sessions, request.headers.get("authorization"))
        if principal is None:
            raise ApiError(401, "Unauthorized", "a valid bearer token is required")
        if not principal.may(scope):
            raise ApiError(
                403, "Forbidden", f"this token's scope is {principal.scope!r}; {scope!r} is needed"
            )
        return principal

    return check


Reader = Annotated[auth.Principal, Depends(require("read"))]
Writer = Annotated[auth.Principal, Depends(require("write"))]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it is known to exceed `limit` (never read past it)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "Content Too Large", f"the limit is {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "Content Too Large", f"the limit is {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse(model: type[Model], body: bytes) -> Model:
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ApiError(
            422, "Unprocessable Content", f"{where}: {first['msg']}" if where else first["msg"]
        ) from None


def _body_doc(model: type[BaseModel]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
        }
    }


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = open_engine(settings.database_url, synchronous=settings.sqlite_synchronous)
        migrate(engine)
        sessions = make_sessions(engine)
        queue = JobQueue(sessions, settings.lease_seconds)
        if engine.dialect.name == "sqlite":
            queue.release_leases()
        metrics = Metrics()
        metrics.watch_queue(queue.counts)
        app.state.service = Service(settings, sessions, queue, metrics)
        pool = WorkerPool(settings, sessions, queue, metrics)
        pool.start()
        try:
            yield
        finally:
            pool.stop()
            engine.dispose()

    app = FastAPI(
        title="crosscontract service",
        version=crosscontract_version(),
        summary="Verifies consumer pacts against published OpenAPI documents for a Pact Broker.",
        lifespan=lifespan,
    )

    @app.exception_handler(ApiError)
    async def _problem_handler(request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        if exc.status == 413:
            headers["Connection"] = "close"  # the rest of the upload is not read
        return _problem(exc.status, exc.title, exc.detail, **headers)

    _routes(app)
    _document_bodies(app)
    return app


def _document_bodies(app: FastAPI) -> None:
    """Add the bodies that routes read themselves to the OpenAPI document's components."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = original()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for model in (contracts.PublishRequest, BrokerWebhook):
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(schema.pop("$defs", {}))
                schemas[model.__name__] = schema
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _routes(app: FastAPI) -> None:
    @app.get(
        "/",
        summary="HAL index: where the official Pact CLIs find the publish route",
        response_class=HalResponse,
        responses=_answers(200, 401, 403),
    )
    def index(request: Request, who: Reader) -> Response:
        base = _base(request)
        return _hal(
            {
                "_links": {
                    "self": {"href": base, "title": "Index"},
                    "pf:publish-provider-contract": {
                        "href": base + "/provider-contracts/provider/{provider}/publish",
                        "title": "Publish provider contract",
                        "templated": True,
                    },
                    "crosscontract:webhook": {
                        "href": base + "/hooks/pact-broker",
                        "title": "Pact Broker webhook",
                    },
                }
            }
        )

    @app.get(
        "/diagnostic/status/heartbeat",
        summary="Liveness, as the Pact Broker spells it",
        response_class=HalResponse,
        responses=_answers(200),
    )
    def heartbeat() -> Response:
        return _hal({"ok": True, "_links": {}})

    @app.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=Response,
        responses={200: {"description": "OK", "content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    def metrics(request: Request) -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return Response(generate_latest(service(request).metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.post(
        "/provider-contracts/provider/{provider}/publish",
        summary="Publish a provider contract (PactFlow's body and answer)",
        response_class=HalResponse,
        responses=_answers(200, 400, 401, 403, 413, 422),
        openapi_extra=_body_doc(contracts.PublishRequest),
        status_code=200,
    )
    async def publish(provider: str, request: Request, who: Writer) -> Response:
        found = service(request)
        body = parse(contracts.PublishRequest, await read_body(request, found.settings.max_upload))
        try:
            content = contracts.decode(body)
            digest = await run_in_threadpool(contracts.check, content, body.contract.contentType)
        except contracts.RefusedError as exc:
            raise ApiError(400, "Bad Request", str(exc)) from None

        def save() -> int:
            with found.sessions.begin() as session:
                return contracts.store(session, found.queue, provider, body, content, digest)

        await run_in_threadpool(save)
        found.queue.wake.set()
        found.metrics.publishes.inc()
        return _hal(_published(_base(request), provider, body))

    @app.post(
        "/hooks/pact-broker",
        summary="The Pact Broker's contract_requiring_verification_published webhook",
        response_class=HalResponse,
        responses=_answers(202, 401, 403, 413, 422, 503),
        openapi_extra=_body_doc(BrokerWebhook),
        status_code=202,
    )
    async def hook(request: Request, who: Writer) -> Response:
        started = time.perf_counter()
        found = service(request)
        hook = parse(BrokerWebhook, await read_body(request, WEBHOOK_LIMIT))
        broker = found.settings.broker_url
        if broker is None:
            raise ApiError(503, "Service Unavailable", "no Pact Broker is configured (PACT_BROKER_BASE_URL)")
        if not same_origin(hook.pactUrl, broker):
            found.metrics.webhooks.labels("refused").inc()
            raise ApiError(422, "Unprocessable Content", "pactUrl is not on the configured Pact Broker")
        provider = hook.providerName or _provider_in(hook.pactUrl)
        if not provider:
            raise ApiError(422, "Unprocessable Content", "providerName is missing")

        def enqueue() -> tuple[int, bool] | None:
            with found.sessions.begin() as session:
                return webhooks.enqueue(session, found.queue, hook, provider, found.settings.main_branch)

        queued = await run_in_threadpool(enqueue)
        if queued is None:
            found.metrics.webhooks.labels("unknown_version").inc()
            raise ApiError(
                422, "Unprocessable Content", "no provider contract has been published for that version"
            )
        job, new = queued
        found.queue.wake.set()
        found.metrics.webhooks.labels("accepted" if new else "duplicate").inc()
        found.metrics.intake_seconds.observe(time.perf_counter() - started)
        return _hal(
            {"id": job, "duplicate": not new, "_links": {"self": {"href": f"{_base(request)}/jobs/{job}"}}},
            202,
        )

    @app.get(
        "/jobs/{job_id}",
        summary="A job and its state",
        response_class=HalResponse,
        responses=_answers(200, 401, 403, 404),
    )
    def job(job_id: int, request: Request, who: Reader) -> Response:
        with service(request).sessions() as session:
            row = session.get(JobRow, job_id)
            result = session.execute(select(ResultRow).where(ResultRow.job_id == job_id)).scalar()
        if row is None:
            raise ApiError(404, "Not Found", "no such job")
        body: dict[str, Any] = {
            "id": row.id,
            "kind": row.kind,
            "state": row.state,
            "attempts": row.attempts,
            "error": row.last_error,
            "created": _date(row.created),
            "finished": _date(row.finished) if row.finished else None,
            "_links": {"self": {"href": f"{_base(request)}/jobs/{row.id}"}},
        }
        if result is not None:
            body["success"] = result.success
            body["published"] = result.published
            body["report"] = orjson.loads(result.report)
            body["_links"]["pb:cross-contract-verification-results"] = {
                "href": _results_url(_base(request), result)
            }
        return _hal(body)

    @app.get(
        "/contracts/bi-directional/provider/{provider}/version/{provider_version}/consumer/{consumer}"
        "/version/{consumer_version}/cross-contract-verification-results",
        summary="The comparison of one consumer version's pact with one provider version's spec",
        response_class=HalResponse,
        responses=_answers(200, 401, 403, 404),
    )
    def results(
        provider: str,
        provider_version: str,
        consumer: str,
        consumer_version: str,
        request: Request,
        who: Reader,
    ) -> Response:
        with service(request).sessions() as session:
            row = session.execute(
                select(ResultRow)
                .where(
                    ResultRow.provider == provider,
                    ResultRow.provider_version == provider_version,
                    ResultRow.consumer == consumer,
                    ResultRow.consumer_version == consumer_version,
                )
                .order_by(ResultRow.id.desc())
                .limit(1)
            ).scalar()
            version = _version(session, provider, provider_version)
        if row is None or version is None:
            raise ApiError(404, "Not Found", "no verification result for that pair of versions")
        report = orjson.loads(row.report)
        own = version.self_verification
        own_success = own.get("success") is not False
        found: dict[str, Any] = {"errors": report["errors"], "warnings": report["warnings"]}
        if "failureReason" in report:
            found["failureReason"] = report["failureReason"]
        base = _base(request)
        return _hal(
            {
                "summary": {"success": row.success and own_success},
                "crossContractVerificationResults": {
                    "success": row.success,
                    "results": found,
                    "verifier": IMPLEMENTATION,
                    "verifierVersion": crosscontract_version(),
                    "verificationDate": _date(row.verified),
                },
                "providerContractVerificationResults": {
                    "success": own_success,
                    "verifier": own.get("verifier"),
                },
                "_links": {
                    "self": {"href": _results_url(base, row)},
                    "pb:provider-contract": {"href": _contract_url(base, provider, provider_version)},
                },
            }
        )

    @app.get(
        "/contracts/bi-directional/provider/{provider}/version/{provider_version}/provider-contract",
        summary="The spec a provider version published, as uploaded",
        response_class=HalResponse,
        responses=_answers(200, 401, 403, 404),
    )
    def provider_contract(provider: str, provider_version: str, request: Request, who: Reader) -> Response:
        with service(request).sessions() as session:
            version = _version(session, provider, provider_version)
            spec = session.get(SpecRow, version.spec_hash) if version else None
        if version is None or spec is None:
            raise ApiError(404, "Not Found", "no provider contract for that version")
        return _hal(
            {
                "content": spec.content.decode("utf-8", "replace"),
                "contentBase64": base64.b64encode(spec.content).decode("ascii"),
                "contentType": spec.content_type,
                "contentHash": spec.hash,
                "specification": "oas",
                "selfVerificationResults": version.self_verification,
                "_links": {"self": {"href": _contract_url(_base(request), provider, provider_version)}},
            }
        )


def _version(session: Session, provider: str, number: str) -> ProviderVersionRow | None:
    return session.execute(
        select(ProviderVersionRow).where(
            ProviderVersionRow.provider == provider, ProviderVersionRow.number == number
        )
    ).scalar()


def _published(base: str, provider: str, body: contracts.PublishRequest) -> dict[str, Any]:
    """PactFlow's answer; the Rust CLI fails without `pb:pacticipant-version-tags`."""
    number = body.pacticipantVersionNumber
    version_url = f"{base}/pacticipants/{_q(provider)}/versions/{_q(number)}"
    links: dict[str, Any] = {
        "pb:pacticipant-version-tags": [
            {"name": tag, "href": f"{version_url}/tags/{_q(tag)}"} for tag in body.tags
        ],
        "pb:provider-contract": {"href": _contract_url(base, provider, number)},
    }
    notices = [{"type": "success", "text": f"Provider contract for {provider} version {number} published"}]
    if body.branch:
        links["pb:branch-version"] = {
            "name": body.branch,
            "href": f"{base}/pacticipants/{_q(provider)}/branches/{_q(body.branch)}/versions/{_q(number)}",
        }
    notices.append(
        {"type": "info", "text": "Verification of the consumer pacts for this version has been queued"}
    )
    return {"notices": notices, "_embedded": {"version": {"number": number}}, "_links": links}


def _q(text: str) -> str:
    return quote(text, safe="")


def _contract_url(base: str, provider: str, version: str) -> str:
    return f"{base}/contracts/bi-directional/provider/{_q(provider)}/version/{_q(version)}/provider-contract"


def _results_url(base: str, row: ResultRow) -> str:
    return (
        f"{base}/contracts/bi-directional/provider/{_q(row.provider)}/version/{_q(row.provider_version)}"
        f"/consumer/{_q(row.consumer)}/version/{_q(row.consumer_version or '')}"
        "/cross-contract-verification-results"
    )


def _provider_in(url: str) -> str | None:
    parts = urlsplit(url).path.split("/")
    if "provider" in parts:
        at = parts.index("provider")
        if at + 1 < len(parts):
            return unquote(parts[at + 1]) or None
    return None


def _date(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).isoformat().replace("+00:00", "Z")
