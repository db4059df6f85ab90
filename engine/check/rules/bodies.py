"""Request and response bodies against the schema of their media type."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import parse_qsl

from ..._types import MISSING, Json
from ...http.negotiation import find_matching_type, is_json_media_type, media_type_essence
from ...pact.model import NOT_SENT
from ...pact.reader import as_text
from ...schema.validation import SchemaError
from ...spec.index import Body, Operation, SchemaCheck
from .. import codes
from ..findings import Code, Finding
from ._base import REQUEST_CHECKED, RESPONSE_DECLARED, Context, is_falsy, rule, value_at
from ._messages import allowed_values

_CONTAINERS = (dict, list)
"""The types of the bodies `is_falsy` is never true of (`{}` and `[]` are bodies)."""

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def choose_media_type(body: Body, *preferences: str | None) -> str | None:
    """The spec media type a body is checked against: first negotiated preference, else JSON."""
    if len(body.by_media_type) == 1:  # every branch of `_choose` ends at the only type
        for only in body.by_media_type:
            return only
    return _choose(tuple(body.by_media_type), preferences)


@lru_cache(maxsize=4096)
def _choose(types: tuple[str, ...], preferences: tuple[str | None, ...]) -> str | None:
    # Cached: every interaction asks, over a handful of distinct header values.
    for preference in preferences:
        if preference:
            found = find_matching_type(preference, types)
            if found in types:
                return found
    for media_type in types:
        if is_json_media_type(media_type):
            return media_type
    return types[0] if types else None


@lru_cache(maxsize=1024)
def _checked_whole(media_type: str) -> bool:
    """Whether a body of this media type is checked as it is (JSON, or anything for `*/*`)."""
    return is_json_media_type(media_type) or media_type_essence(media_type) == "*/*"


def _validatable(
    media_type: str, value: Json, check: SchemaCheck, content_type: str | None
) -> tuple[bool, Json]:
    """Whether a body of this media type can be checked, and the value to check.

    JSON is checked as it is; a form (urlencoded or multipart, as text or as the object a
    mock wrote) field by field, each field's last value as text (as the reference engine
    reads urlencoded forms); a text body, or any body written as a string, against a schema
    for strings.
    """
    if _checked_whole(media_type):
        return True, value
    essence = media_type_essence(media_type)
    if essence == FORM and isinstance(value, str):
        fields = form_fields(value, FORM) or {}
        return True, {name: values[-1] for name, values in fields.items()}
    if essence == MULTIPART and isinstance(value, (str, dict)):
        # the boundary is in the interaction's header; the spec's media type has none
        parsed = form_fields(value, content_type if isinstance(value, str) else MULTIPART)
        if parsed is not None:
            return True, {name: values[-1] for name, values in parsed.items()}
    if _for_strings(check.declared_type) and (essence.startswith("text/") or isinstance(value, str)):
        # a schema for strings describes the raw text; a text body that is not a string then
        # reports itself as not a string
        return True, value
    return False, value


def _for_strings(declared: Json) -> bool:
    return declared == "string" or (isinstance(declared, list) and "string" in declared)


def _negotiation_failed(declared: tuple[str, ...], content_type: str | None) -> bool:
    """A Content-Type that matches none of the declared media types: the content-type finding says it.

    Checking the body against another media type's schema would only add a second, spurious
    finding. `declared` are the types the content-type rules hold the header to.
    """
    if content_type is None or not declared or content_type in declared:  # most interactions
        return False
    return find_matching_type(content_type, declared) is None


def _unvalidatable(ctx: Context, side: str, media_type: str, check: SchemaCheck, value: Json) -> Finding:
    code = codes.REQUEST_BODY_UNVALIDATABLE if side == "request" else codes.RESPONSE_BODY_UNVALIDATABLE
    word = "Request" if side == "request" else "Response"
    return ctx.finding(
        code,
        f"{word} body cannot be validated: its media type {media_type} is neither JSON nor a form, "
        "and its schema is not one for text",
        ctx.at(side, "body"),
        check.at,
        mock_value=value,
    )


def _schema_findings(
    ctx: Context, code: Code, side: str, check: SchemaCheck, value: Json, errors: list[SchemaError]
) -> Iterator[Finding]:
    for error in errors:
        word = "Request" if side == "request" else "Response"
        yield ctx.finding(
            code,
            f"{word} body is incompatible with the {side} body schema in the spec file: "
            + _explain(error, side)
            + allowed_values(error)
            + _undeclared_hint(ctx, error, side),
            ctx.at(side, "body", *error.instance_path),
            (*check.at, *error.schema_path),
            mock_value=value_at(value, error.instance_path),
            spec_value=error.schema_value,
        )


def _undeclared_hint(ctx: Context, error: SchemaError, side: str) -> str:
    """Why a response property the spec does not declare is an error, and the switch for it."""
    if side != "response" or error.keyword not in ("additionalProperties", "unevaluatedProperties"):
        return ""
    if error.keyword == "unevaluatedProperties":
        # The policy closes every allOf over its members, whatever the option says.
        return (
            " (refused whatever --additional-properties-in-response says: an allOf is read as one "
            "closed object over its members, as the reference engine reads it, and a schema may "
            "close itself with unevaluatedProperties)"
        )
    if ctx.operation.index.options.additional_properties_in_response:
        return " (the schema itself forbids undeclared properties)"
    return (
        " (the response schema does not declare it: a consumer may read only what the provider "
        "declares; --additional-properties-in-response accepts undeclared properties)"
    )


def _explain(error: SchemaError, side: str) -> str:
    """ajv's message, or what a read-only / write-only property means for this side."""
    if error.keyword == "not" and error.schema_value == {} and error.instance_path:
        field = ".".join(str(p) for p in error.instance_path)
        marked = (
            "read-only: a consumer may not send it"
            if side == "request"
            else ("write-only: a provider never returns it")
        )
        return f"must NOT have property '{field}', which the spec marks {marked}"
    return error.message


@rule(
    codes.REQUEST_BODY_UNKNOWN,
    codes.REQUEST_BODY_INCOMPATIBLE,
    codes.REQUEST_BODY_UNVALIDATABLE,
    when=REQUEST_CHECKED,
)
def request_body(ctx: Context) -> Iterator[Finding]:
    """A request body must match the schema of its media type; one the spec lacks is unknown."""
    if ctx.operation.form_parameters:
        return
    request = ctx.interaction.request
    body = ctx.operation.request_body
    value = request.body
    if body is None:
        if not is_falsy(value):
            yield ctx.finding(
                codes.REQUEST_BODY_UNKNOWN,
                "No matching schema found for request body",
                ctx.at("request", "body"),
                ctx.operation.at,
                mock_value=value,
                spec_value=ctx.operation.value,
            )
        return
    if value is MISSING and not body.required:
        return
    content_type = request.headers.by_lower.get("content-type", NOT_SENT)[1]
    if value is not MISSING and _negotiation_failed(ctx.operation.consumes.types, content_type):
        return
    media_type = choose_media_type(body, content_type)
    check = body.by_media_type.get(media_type) if media_type else None
    if check is None:
        if value is not MISSING:
            yield ctx.finding(
                codes.REQUEST_BODY_UNKNOWN,
                "No matching schema found for request body",
                ctx.at("request", "body"),
                body.at,
                mock_value=value,
                spec_value=body.spec_value,
            )
        return
    assert media_type is not None
    if value is MISSING:
        kind = check.declared_type
        expected = (
            f"must be {','.join(kind) if isinstance(kind, list) else kind}" if kind else "must be present"
        )
        yield ctx.finding(
            codes.REQUEST_BODY_INCOMPATIBLE,
            f"Request body is incompatible with the request body schema in the spec file: {expected} "
            "(the spec requires a body and the interaction has none)",
            ctx.at("request", "body"),
            (*check.at, "type") if kind else check.at,
            spec_value=kind,
        )
        return
    ok, checked = _validatable(media_type, value, check, content_type)
    if ok:
        # Asked before any generator is made: nearly every body is valid.
        errors = check.validator.errors(checked)
        if errors:
            yield from _schema_findings(
                ctx, codes.REQUEST_BODY_INCOMPATIBLE, "request", check, checked, errors
            )
    else:
        yield _unvalidatable(ctx, "request", media_type, check, value)


@rule(
    codes.RESPONSE_BODY_UNKNOWN,
    codes.RESPONSE_BODY_INCOMPATIBLE,
    codes.RESPONSE_BODY_UNVALIDATABLE,
    when=RESPONSE_DECLARED,
)
def response_body(ctx: Context) -> Iterator[Finding]:
    """The response body a consumer expects must match the response schema."""
    response = ctx.response
    value = ctx.interaction.response.body
    assert response is not None
    if type(value) not in _CONTAINERS and is_falsy(value):  # most bodies are objects or arrays
        return
    body = response.body
    media_type = None
    content_type = ctx.interaction.response.headers.by_lower.get("content-type", NOT_SENT)[1]
    if body is not None:
        if response.key != "default" and _negotiation_failed(response.media_types.types, content_type):
            return
        media_type = choose_media_type(
            body,
            content_type,
            ctx.interaction.request.headers.by_lower.get("accept", NOT_SENT)[1],
            "application/json",
        )
    check = body.by_media_type.get(media_type) if body is not None and media_type else None
    if check is None:
        yield ctx.finding(
            codes.RESPONSE_BODY_UNKNOWN,
            "No matching schema found for response body",
            ctx.at("response", "body"),
            response.at,
            mock_value=value,
            spec_value=response.spec_value,
        )
        return
    assert media_type is not None
    ok, checked = _validatable(media_type, value, check, content_type)
    if not ok:
        yield _unvalidatable(ctx, "response", media_type, check, value)
        return
    errors = check.validator.errors(checked)
    if errors:  # as in `request_body`: no generator for a valid body
        yield from _schema_findings(ctx, codes.RESPONSE_BODY_INCOMPATIBLE, "response", check, checked, errors)


def form_fields(body: Json, content_type: str | None) -> dict[str, list[str]] | None:
    """The fields of a form-urlencoded or multipart body, or None when it is neither."""
    if isinstance(body, dict):
        return {k: [as_text(v)] for k, v in body.items()}
    if not isinstance(body, str):
        return None
    essence = media_type_essence(content_type or FORM)
    fields: dict[str, list[str]] = {}
    if essence == FORM:
        for name, value in parse_qsl(body, keep_blank_values=True):
            fields.setdefault(name, []).append(value)
        return fields
    if essence == "multipart/form-data" and content_type:
        # here: the email package costs 10 ms of start-up, and few pacts send multipart
        from email import policy
        from email.parser import BytesParser

        message = BytesParser(policy=policy.default).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n{body}".encode()
        )
        for part in message.iter_parts() if message.is_multipart() else ():
            field = part.get_param("name", header="content-disposition")
            if isinstance(field, str):
                payload = part.get_payload(decode=True)
                text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
                fields.setdefault(field, []).append(text)
        return fields
    return None


def _declares_form(operation: Operation) -> bool:
    return bool(operation.form_parameters)


@rule(codes.REQUEST_BODY_INCOMPATIBLE, when=REQUEST_CHECKED, only_if=_declares_form)
def form_data(ctx: Context) -> Iterator[Finding]:
    """Swagger 2.0 `formData` fields: each sent one valid, each required one sent."""
    params = ctx.operation.form_parameters
    if not params:
        return
    request = ctx.interaction.request
    fields = form_fields(request.body, request.headers.get("content-type"))
    if fields is None:
        fields = {}
    base = ctx.at("request", "body")
    prefix = "Request body is incompatible with the request body schema in the spec file: "
    for name, param in params.items():
        values = fields.get(name)
        if values is None:
            if param.required:
                yield ctx.finding(
                    codes.REQUEST_BODY_INCOMPATIBLE,
                    f"{prefix}must have required property '{name}'",
                    base,
                    param.at,
                    mock_value=request.body,
                    spec_value=param.spec_value,
                )
            continue
        for error in param.check(values):
            yield ctx.finding(
                codes.REQUEST_BODY_INCOMPATIBLE,
                f"{prefix}{error.message}",
                (*base, name),
                param.at,
                mock_value=values[0] if len(values) == 1 else values,
                spec_value=param.spec_value,
            )
