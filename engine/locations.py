"""Pointers in the reference engine's dotted form: `[root].paths./pets.get.parameters[0]`.

Reports keep the locations of swagger-mock-validator, so tools and habits built on its JSON
carry over. This module is the only place that writes them; the engine itself keeps
`Pointer` tuples. The form is the reference engine's own, escaping nothing:

- `[root]`, then each token: a key as `.key`, written as it is (a key holding `.` or `[`
  reads like two tokens: the dotted form is for people, the pointer is the truth);
- an array index as `[i]` where the document's structure holds the array (`interactions`,
  `parameters`, `security`), but as `.i` inside a value: a pact's body
  (`[root].interactions[0].response.body.items.0.id`) or a spec's schema
  (`...content.application/json.schema.allOf.0`), as the reference engine writes the paths
  its JSON Schema validator reports.
"""

from __future__ import annotations

from typing import overload

from ._types import Pointer


@overload
def mock_location(pointer: Pointer) -> str: ...
@overload
def mock_location(pointer: None) -> None: ...
def mock_location(pointer: Pointer | None) -> str | None:
    """A place in a pact: the body of a request or response is a value (`.0`)."""
    if pointer is None:
        return None
    value_from = 4 if len(pointer) > 3 and pointer[0] == "interactions" and pointer[3] == "body" else None
    return _dotted(pointer, value_from)


@overload
def spec_location(pointer: Pointer) -> str: ...
@overload
def spec_location(pointer: None) -> None: ...
def spec_location(pointer: Pointer | None) -> str | None:
    """A place in a spec: below the first `schema` of an operation, tokens are a schema's (`.0`)."""
    if pointer is None:
        return None
    value_from = next((i + 1 for i, token in enumerate(pointer) if token == "schema" and i >= 3), None)
    return _dotted(pointer, value_from)


def _dotted(pointer: Pointer, value_from: int | None) -> str:
    parts = ["[root]"]
    for i, token in enumerate(pointer):
        if isinstance(token, int) and (value_from is None or i < value_from):
            parts.append(f"[{token}]")
        else:
            parts.append(f".{token}")
    return "".join(parts)
