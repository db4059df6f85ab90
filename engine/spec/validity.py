"""Whether a document is valid OpenAPI (or Swagger 2.0), checked before it is published.

The comparison reads only what a pact touches and tolerates the rest, which is right for a
check but lets a document that other tools reject reach the broker. openapi-spec-validator
(the validator openapi-core builds on) checks the whole document against the
specification's schema and its rules (path parameters declared, operation ids unique...).
It takes 16 s and 90 MB on GitHub's 13 MB description, so it runs only when asked, and it
is an extra (`crosscontract[validate]`, 13 packages with pydantic) rather than a dependency
of every install.

The validator follows `$ref`s and would fetch remote ones; a document is checked only when
every `$ref` in it resolves inside it (a bundle, see `bundle.py`), and a `$ref` that does not
is reported here, with where it is written, before the validator runs.
"""

from __future__ import annotations

from typing import Any

from .._types import JsonObject
from ..errors import InputError
from .bundle import is_remote, refs, resolves
from .loading import join_pointer

EXTRA_HINT = "pip install 'crosscontract[validate]'"

# A message names the offending value; a whole path item or schema printed in one line
# would drown the reason.
_LONGEST_MESSAGE = 200


def check_validity(document: JsonObject, label: str) -> None:
    """Raise an `InputError` naming the first way `document` breaks the OpenAPI specification."""
    for at, ref in refs(document):
        target, _, fragment = ref.partition("#")
        if is_remote(ref):
            raise InputError(label, f"$ref {ref!r} at #{join_pointer(at)} is not fetched to check validity")
        if target:
            raise InputError(
                label, f"$ref {ref!r} at #{join_pointer(at)} names another file: bundle it first"
            )
        if not resolves(document, fragment):
            raise InputError(label, f"$ref {ref!r} at #{join_pointer(at)} points to nothing")
    from jsonschema.exceptions import ValidationError

    try:
        from openapi_spec_validator import validate
        from openapi_spec_validator.exceptions import OpenAPIError
    except ImportError:
        raise InputError(label, f"checking validity needs openapi-spec-validator ({EXTRA_HINT})") from None
    dialect = (
        f"Swagger {document['swagger']}" if "swagger" in document else f"OpenAPI {document.get('openapi')}"
    )
    try:
        validate(document, cls=_checked_by_jsonschema(document))
    except ValidationError as exc:
        message = exc.message
        if len(message) > _LONGEST_MESSAGE:
            message = message[: _LONGEST_MESSAGE - 3] + "..."
        where = join_pointer(tuple(str(p) for p in exc.absolute_path))
        raise InputError(label, f"not valid {dialect}: at #{where}: {message}") from None
    except OpenAPIError:
        raise InputError(
            label, f"not valid {dialect}: openapi-spec-validator knows no such version"
        ) from None


def _checked_by_jsonschema(document: JsonObject) -> type[Any]:
    """The validator openapi-spec-validator picks for the document's version, its schema checked by
    jsonschema.

    From 0.8 on it checks the schema with jsonschema-rs whenever that is installed (schemathesis
    brings it), and that backend's messages span several lines and read differently: the same
    document would be reported differently depending on what else the environment holds.
    """
    from jsonschema.validators import validator_for
    from openapi_spec_validator.shortcuts import get_validator_cls

    found: type[Any] = get_validator_cls(document)
    schema = found.schema_validator.schema  # the backend's validator keeps the schema it was built from
    return type(found.__name__, (found,), {"schema_validator": validator_for(schema)(schema)})
