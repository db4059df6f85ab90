"""Every spec-vs-spec change code, with its severity and documentation.

Codes follow the findings' grammar with a `change.` prefix: `change.<side>.<part>.<problem>`
(`change.request.parameter.required-added`, `change.response.property.removed`). A change's
severity says what it does to a client that used the old spec: `error` breaks some client,
`warning` may break one (or breaks the expectations a consumer recorded in its pact),
`info` breaks none. Each code is declared once here; none is ever reused for another meaning.

Where oasdiff has a check for the same change its id is named in the docs (`oasdiff:`),
so that a team moving between the two tools can map one report onto the other.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from msgspec import Struct


class ChangeSeverity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class ChangeCode(Struct, frozen=True):
    code: str
    severity: ChangeSeverity
    summary: str
    """One line: when the change is reported."""
    why: str
    """What it does to a client of the old spec."""


E, W, INFO = ChangeSeverity.ERROR, ChangeSeverity.WARNING, ChangeSeverity.INFO

# (code, severity, summary, why): the changes to an operation outside its schemas.
_PLAIN: tuple[tuple[str, ChangeSeverity, str, str], ...] = (
    (
        "change.operation.removed",
        E,
        "An operation (method and path) is gone.",
        "Clients calling it get an error response (oasdiff: api-removed-without-deprecation, "
        "api-path-removed-without-deprecation).",
    ),
    ("change.operation.added", INFO, "A new operation.", "No existing client calls it."),
    (
        "change.request.parameter.removed",
        W,
        "A request parameter is no longer declared.",
        "Clients still sending it rely on something the provider no longer reads "
        "(oasdiff: request-parameter-removed, a warning there too).",
    ),
    (
        "change.request.parameter.required-added",
        E,
        "A new required request parameter.",
        "Clients that do not send it are rejected (oasdiff: new-required-request-parameter).",
    ),
    (
        "change.request.parameter.became-required",
        E,
        "An optional request parameter became required.",
        "Clients that leave it out are rejected (oasdiff: request-parameter-became-required).",
    ),
    (
        "change.request.parameter.added",
        INFO,
        "A new optional request parameter.",
        "Clients may leave it out.",
    ),
    (
        "change.request.parameter.became-optional",
        INFO,
        "A required request parameter became optional.",
        "Clients that send it are still accepted.",
    ),
    (
        "change.request.parameter.style-changed",
        W,
        "A request parameter is serialized differently (`style`, `explode`, `collectionFormat`).",
        "Clients writing arrays or objects the old way may be misread.",
    ),
    (
        "change.request.body.required-added",
        E,
        "The request body became required (or a required one was added).",
        "Clients that send no body are rejected (oasdiff: added-required-request-body, "
        "request-body-became-required).",
    ),
    (
        "change.request.body.added",
        INFO,
        "The operation now takes an optional request body.",
        "Clients may keep sending none.",
    ),
    (
        "change.request.body.removed",
        W,
        "The operation no longer declares a request body.",
        "Clients still sending one rely on something the provider no longer reads.",
    ),
    (
        "change.request.media-type.removed",
        E,
        "A request body media type is no longer accepted.",
        "Clients sending it are rejected (oasdiff: request-body-media-type-removed).",
    ),
    (
        "change.request.media-type.added",
        INFO,
        "A new request body media type.",
        "Existing clients do not use it.",
    ),
    (
        "change.response.status.removed",
        E,
        "A success (2xx) response is no longer declared.",
        "Clients expecting it get a response nobody promised (oasdiff: response-success-status-removed).",
    ),
    (
        "change.response.non-success-status.removed",
        W,
        "A non-success or default response is no longer declared.",
        "Clients handling it may now get an undeclared shape (oasdiff: response-non-success-status-removed, "
        "a warning there too).",
    ),
    (
        "change.response.status.added",
        INFO,
        "A new response status, where no default or range answered before.",
        "Clients never saw it before, and no recorded expectation is checked against it.",
    ),
    (
        "change.response.status.added-over-default",
        W,
        "A new response status that a `default` or `2XX`-style range answered before.",
        "Expectations recorded against the default are now checked against the new, narrower response.",
    ),
    (
        "change.response.media-type.removed",
        E,
        "A response media type is no longer produced.",
        "Clients asking for it or parsing it no longer get it (oasdiff: response-media-type-removed).",
    ),
    (
        "change.response.media-type.added",
        INFO,
        "A new response media type.",
        "Existing clients do not ask for it.",
    ),
    (
        "change.response.body.removed",
        E,
        "A response no longer declares a body schema.",
        "Clients reading the body read something nobody promises.",
    ),
    (
        "change.response.header.removed",
        E,
        "A response header is no longer declared.",
        "Clients reading it may not get it (oasdiff: required-response-header-removed).",
    ),
    (
        "change.response.header.became-optional",
        E,
        "A required response header became optional.",
        "Clients reading it may not get it (oasdiff: response-header-became-optional).",
    ),
    ("change.response.header.added", INFO, "A new response header.", "Existing clients do not read it."),
    (
        "change.security.added",
        E,
        "An operation without security now requires credentials.",
        "Clients sending none are rejected (oasdiff: api-security-added).",
    ),
    (
        "change.security.changed",
        E,
        "An alternative of the operation's security requirements no longer suffices.",
        "Clients authenticating that way are rejected (oasdiff: api-security-removed/-added, "
        "api-security-scope-added).",
    ),
    (
        "change.security.loosened",
        INFO,
        "The security requirements accept every request they accepted before, and more.",
        "Clients keep authenticating as they did.",
    ),
)

# The changes inside schemas: one code per part of the contract and problem. The part decides
# the side: what a client sends (request) or what it reads (response).
_PARTS = {
    "request.body": "the request body (its top-level schema)",
    "request.property": "a property inside the request body",
    "request.parameter": "a request parameter's schema",
    "response.body": "the response body (its top-level schema)",
    "response.property": "a property inside a response body",
    "response.header": "a response header's schema",
}

# problem -> (summary, request severity and why, response severity and why); None: not reported there.
_Entry = tuple[ChangeSeverity, str] | None
_PROBLEMS: dict[str, tuple[str, _Entry, _Entry]] = {
    "type-changed": (
        "the type (or nullability) changed in a way the other side cannot follow",
        (
            E,
            "Values clients send are rejected (oasdiff: request-body-type-changed, "
            "request-property-type-changed, request-parameter-type-changed, *-became-not-nullable).",
        ),
        (
            E,
            "Clients receive values of a type they do not expect (oasdiff: response-body-type-changed, "
            "response-property-type-changed, *-became-nullable).",
        ),
    ),
    "type-widened": (
        "more types (or null) are accepted than before",
        (INFO, "Everything clients sent before is still accepted."),
        None,
    ),
    "type-narrowed": (
        "fewer types (or no null) are sent than before",
        None,
        (W, "Clients are not harmed, but values their pacts expect may no longer fit."),
    ),
    "enum-narrowed": (
        "fewer values are allowed (an enum lost values, or one was added)",
        (
            E,
            "Clients sending a removed value are rejected (oasdiff: request-parameter-enum-value-removed, "
            "request-property-enum-value-removed, request-parameter-became-enum).",
        ),
        (W, "Clients are not harmed, but values their pacts expect may no longer fit."),
    ),
    "enum-widened": (
        "more values are allowed (an enum gained values, or was dropped)",
        (INFO, "Everything clients sent before is still accepted."),
        (W, "Clients may receive a value they do not handle (oasdiff: response-property-enum-value-added)."),
    ),
    "constraint-tightened": (
        "a constraint became stricter (maxLength, maximum, pattern, format, additionalProperties: false...)",
        (
            E,
            "Values clients sent before may be rejected (oasdiff: request-*-max-length-decreased, "
            "-min-increased, -pattern-added/-changed, -max-items-decreased...).",
        ),
        (W, "Clients are not harmed, but values their pacts expect may no longer fit."),
    ),
    "constraint-loosened": (
        "a constraint became looser or was removed",
        (INFO, "Everything clients sent before is still accepted."),
        (
            W,
            "Clients may receive values outside what they validated for "
            "(oasdiff: response-*-max-length-increased, -max-unset...).",
        ),
    ),
    "required-added": (
        "a property became required, or a new required property appeared",
        (
            E,
            "Clients that leave it out are rejected (oasdiff: new-required-request-property, "
            "request-property-became-required).",
        ),
        (INFO, "Clients receive it where they may have not before; nothing they read is gone."),
    ),
    "became-optional": (
        "a required property became optional",
        (INFO, "Clients may keep sending it."),
        (E, "Clients reading it may not get it (oasdiff: response-property-became-optional)."),
    ),
    "removed": (
        "a property is no longer declared",
        (
            W,
            "Clients still sending it rely on something the provider no longer reads, and are "
            "rejected where additional properties are refused (oasdiff: request-property-removed).",
        ),
        (
            E,
            "Clients reading it no longer get it (oasdiff: response-required-property-removed; an optional "
            "one too here, since pacts that expect it then fail).",
        ),
    ),
    "added": (
        "a new optional property",
        (INFO, "Clients may leave it out."),
        (INFO, "Clients that do not know it ignore it."),
    ),
    "branch-added": (
        "a `oneOf`/`anyOf` gained a branch (or a schema became one branch of a new union)",
        (
            W,
            "Clients' values are still accepted by their own branch, but a `oneOf` rejects a value "
            "the new branch accepts too (oasdiff: request-body-one-of-added, at info there).",
        ),
        (
            E,
            "Clients may receive a shape they do not handle (oasdiff: response-body-one-of-added, "
            "response-property-any-of-added...: adding a branch to a response union).",
        ),
    ),
    "branch-removed": (
        "a `oneOf`/`anyOf` lost a branch (or a union became one of its branches)",
        (
            E,
            "Clients sending values of the removed branch are rejected "
            "(oasdiff: request-body-one-of-removed, request-property-any-of-removed...).",
        ),
        (W, "Clients are not harmed, but values their pacts expect may no longer fit."),
    ),
    "schema-changed": (
        "the schema changed in a way not analysed further (members of an `allOf` no merge makes "
        "exact added or removed, `oneOf` swapped for `anyOf`, `not`, items or a schema given or taken away)",
        (W, "Some values clients send may be rejected."),
        (W, "Some values clients receive may differ from what they expect."),
    ),
}


def _declare_all() -> Mapping[str, ChangeCode]:
    codes: dict[str, ChangeCode] = {}

    def declare(code: str, severity: ChangeSeverity, summary: str, why: str) -> None:
        if code in codes:
            raise ValueError(f"change code {code!r} is declared twice")
        codes[code] = ChangeCode(code, severity, summary, why)

    for code, severity, summary, why in _PLAIN:
        declare(code, severity, summary, why)
    for part, part_text in _PARTS.items():
        side = part.split(".", 1)[0]
        for problem, (what, on_request, on_response) in _PROBLEMS.items():
            entry = on_request if side == "request" else on_response
            if entry is None or (
                problem in ("required-added", "became-optional", "removed", "added")
                and not part.endswith(".property")
            ):
                continue
            severity, why = entry
            declare(f"change.{part}.{problem}", severity, f"In {part_text}, {what}.", why)
    return MappingProxyType(codes)


CHANGE_CODES: Mapping[str, ChangeCode] = _declare_all()
"""Every change code by name (read-only)."""


def code(name: str) -> ChangeCode:
    """The declared code `name`; a typo is a programming error, raised at once."""
    return CHANGE_CODES[name]
