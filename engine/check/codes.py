"""Every result code the engine can report, with its severity and documentation.

The codes and severities are those of swagger-mock-validator (and its successor
openapi-pact-comparator), so users can switch engines without relearning. Checks the
reference engine lacks get their own code in the same grammar (`request.cookie.incompatible`).
Codes are never reused for another meaning.
"""

from __future__ import annotations

from .findings import Severity, declare

E, W = Severity.ERROR, Severity.WARNING

PATH_OR_METHOD_UNKNOWN = declare(
    "request.path-or-method.unknown",
    E,
    "No operation in the spec matches the interaction's method and path (path parameters included).",
    "The provider has no such endpoint, so the consumer's request would fail.",
)
ACCEPT_INCOMPATIBLE = declare(
    "request.accept.incompatible",
    E,
    "The request's Accept header matches none of the media types the operation produces.",
    "The provider cannot answer in a media type the consumer accepts.",
    about_value=True,
)
ACCEPT_UNKNOWN = declare(
    "request.accept.unknown",
    W,
    "The request has an Accept header but the operation declares no response media types.",
    "Nothing in the spec promises the media type the consumer asks for.",
)
AUTHORIZATION_MISSING = declare(
    "request.authorization.missing",
    E,
    "The request satisfies none of the operation's security requirements.",
    "The provider would reject the request as unauthorized.",
)
REQUEST_BODY_INCOMPATIBLE = declare(
    "request.body.incompatible",
    E,
    "The request body does not match the request body schema.",
    "The provider would reject or misread the body the consumer sends.",
    about_value=True,
)
REQUEST_BODY_UNKNOWN = declare(
    "request.body.unknown",
    W,
    "The request has a body but the spec defines no schema for it.",
    "The provider does not promise to accept or read that body.",
)
REQUEST_BODY_UNVALIDATABLE = declare(
    "request.body.unvalidatable",
    W,
    "The request's body has a media type whose content cannot be checked (XML, binary...).",
    "Nothing is known about whether the provider accepts that body: only JSON, forms and text are checked.",
)
CONTENT_TYPE_INCOMPATIBLE = declare(
    "request.content-type.incompatible",
    E,
    "The request's Content-Type matches none of the media types the operation consumes.",
    "The provider would reject the body's media type.",
    about_value=True,
)
CONTENT_TYPE_MISSING = declare(
    "request.content-type.missing",
    W,
    "The request has a body and no Content-Type header, but the operation declares what it consumes.",
    "Without a Content-Type the provider may not parse the body as intended.",
)
CONTENT_TYPE_UNKNOWN = declare(
    "request.content-type.unknown",
    W,
    "The request has a Content-Type header but the operation declares no media types it consumes.",
    "Nothing in the spec promises that the provider accepts that media type.",
)
REQUEST_HEADER_INCOMPATIBLE = declare(
    "request.header.incompatible",
    E,
    "A request header value does not match its parameter, or a required header is missing.",
    "The provider would reject the request or misread the header.",
    about_value=True,
)
REQUEST_HEADER_UNKNOWN = declare(
    "request.header.unknown",
    W,
    "The request sends a header that is neither declared by the operation nor a standard HTTP header.",
    "The provider ignores it, so the consumer relies on behaviour nobody promised.",
)
QUERY_INCOMPATIBLE = declare(
    "request.query.incompatible",
    E,
    "A query parameter value does not match its parameter, or a required query parameter is missing.",
    "The provider would reject the request or misread the parameter.",
    about_value=True,
)
QUERY_UNKNOWN = declare(
    "request.query.unknown",
    W,
    "The request sends a query parameter the operation does not declare.",
    "The provider ignores it, so the consumer relies on behaviour nobody promised.",
)
REQUEST_COOKIE_INCOMPATIBLE = declare(
    "request.cookie.incompatible",
    E,
    "A cookie value does not match its `in: cookie` parameter, or a required cookie is missing.",
    "The provider would reject the request or misread the cookie.",
    about_value=True,
)
STATUS_UNKNOWN = declare(
    "response.status.unknown",
    E,
    "The response status is not declared for the operation and there is no default response.",
    "The consumer expects a response the provider never promised to send.",
)
STATUS_DEFAULT = declare(
    "response.status.default",
    W,
    "The response status is not declared for the operation; it is checked against the default response.",
    "The default response is a catch-all; the exact status is not promised.",
)
RESPONSE_BODY_INCOMPATIBLE = declare(
    "response.body.incompatible",
    E,
    "The response body the consumer expects does not match the response schema.",
    "The consumer expects data the provider does not promise to send in that shape.",
    about_value=True,
)
RESPONSE_BODY_UNKNOWN = declare(
    "response.body.unknown",
    E,
    "The response the consumer expects has a body but the spec defines no schema for it.",
    "The consumer reads a body the provider does not promise to send.",
)
RESPONSE_BODY_UNVALIDATABLE = declare(
    "response.body.unvalidatable",
    W,
    "The expected response body has a media type whose content cannot be checked (XML, binary...).",
    "Nothing is known about whether the consumer can read what the provider sends in that media type.",
)
RESPONSE_CONTENT_TYPE_INCOMPATIBLE = declare(
    "response.content-type.incompatible",
    E,
    "The response's Content-Type matches none of the media types the response declares.",
    "The consumer expects a media type the provider does not produce.",
    about_value=True,
)
RESPONSE_CONTENT_TYPE_UNKNOWN = declare(
    "response.content-type.unknown",
    W,
    "The response has a Content-Type header but the spec response declares no media types.",
    "Nothing in the spec promises that media type.",
)
RESPONSE_HEADER_INCOMPATIBLE = declare(
    "response.header.incompatible",
    E,
    "A response header value does not match the header the spec declares.",
    "The consumer expects a header value the provider does not promise.",
    about_value=True,
)
RESPONSE_HEADER_UNKNOWN = declare(
    "response.header.unknown",
    E,
    "The consumer expects a response header that is neither declared by the spec nor standard HTTP.",
    "The consumer relies on a header the provider never promised to send.",
)
RESPONSE_HEADER_UNDEFINED = declare(
    "response.header.undefined",
    W,
    "The consumer expects a standard HTTP response header the spec does not declare.",
    "Standard headers are often added by servers and proxies, but the spec does not promise it.",
)
NO_PACTS_FOUND = declare(
    "pact-broker.no-pacts-found",
    W,
    "The Pact Broker returned no pacts to verify for the provider.",
    "Nothing was checked, so nothing is known about compatibility.",
    source="pact-broker",
)

# Pact matching rules: what the consumer may send or will accept besides its example.
REQUEST_BODY_MATCHER_EXCEEDS_SPEC = declare(
    "request.body.matcher-exceeds-spec",
    W,
    "A matching rule on the request body admits a value (the counterexample) the body schema rejects.",
    "The consumer may send any value its matcher allows, not only the example: the provider rejects this. "
    "For example, regex `^[A-Z]+$` against `enum: [ACTIVE, CLOSED]` admits 'A'.",
)
REQUEST_QUERY_MATCHER_EXCEEDS_SPEC = declare(
    "request.query.matcher-exceeds-spec",
    W,
    "A matching rule on a query parameter admits a value (the counterexample) the parameter rejects.",
    "The consumer may send any value its matcher allows, not only the example: the provider rejects this. "
    "For example, integer against `maximum: 100` admits 101.",
)
REQUEST_HEADER_MATCHER_EXCEEDS_SPEC = declare(
    "request.header.matcher-exceeds-spec",
    W,
    "A matching rule on a request header admits a value (the counterexample) the header parameter rejects.",
    "The consumer may send any value its matcher allows, not only the example: the provider rejects this. "
    "For example, type on 'abc' against `maxLength: 3` admits 'aaaa'.",
)
REQUEST_PATH_MATCHER_EXCEEDS_SPEC = declare(
    "request.path.matcher-exceeds-spec",
    W,
    "A matching rule on the request path admits a path (the counterexample) no operation serves.",
    "The example routes, but the consumer may call other paths its matcher allows; the provider has none. "
    "For example, regex `/orders/\\d+|/order` admits '/order', which no path serves.",
)
RESPONSE_BODY_SPEC_EXCEEDS_MATCHER = declare(
    "response.body.spec-exceeds-matcher",
    W,
    "The response body schema allows a value (the counterexample) the consumer's matching rule rejects.",
    "The provider may send that value, and the consumer accepts only what its matcher admits. "
    "For example, a `nullable` field against a type matcher on a string gives null.",
)
RESPONSE_HEADER_SPEC_EXCEEDS_MATCHER = declare(
    "response.header.spec-exceeds-matcher",
    W,
    "A response header's schema allows a value (the counterexample) the consumer's matching rule rejects.",
    "The provider may send that value, and the consumer accepts only what its matcher admits. "
    "For example, a plain string header against regex `^[a-z]+$` gives ''.",
)
