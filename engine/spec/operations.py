"""A spec's operations as plain values, and the reader of each dialect.

    >>> for operation in read_operations(load_spec("openapi.yaml")):
    ...     operation.method, operation.path, [p.name for p in operation.parameters]

`read_operations` reads every part of every operation and builds no validator: what a
spec-vs-spec diff needs. The rules get the same values through `index.py`, part by part.
"""

from __future__ import annotations

from .loading import Kind, Spec
from .model import Operation
from .openapi3 import OpenAPI3Reader
from .reader import METHODS, Reader
from .swagger2 import Swagger2Reader

READERS: dict[Kind, type[Reader]] = {
    "swagger2": Swagger2Reader,
    "openapi3": OpenAPI3Reader,
    "openapi31": OpenAPI3Reader,
}


def reader_for(spec: Spec) -> Reader:
    return READERS[spec.kind](spec)


def read_operations(spec: Spec) -> tuple[Operation, ...]:
    """Every operation of `spec`, in the order the spec declares them."""
    reader = reader_for(spec)
    return tuple(
        reader.operation(reader.declaration(path_name, method))
        for path_name, item in reader.path_items()
        for method in METHODS
        if method in item
    )
