"""Compiled validators for converted schemas, and their errors in a neutral form.

A `Validator` is built once per schema bundle and reused for every value. jsonschema's
rules decide what is valid: read by `walk.Walk` for the words converted schemas
use (no jsonschema import, 45-65 ms of start-up), by jsonschema itself for the rest.
Most values are valid, so each schema also gets a pass/fail check (closures,
`interpreted.py`; compiled, `fastpath.py`, for a schema checked often), asked of the
run's `FastChecks` (`compiled.CompileRun`, handed in); the full error collection runs
only for values that check does not pass. Errors are reported one per problem, the way ajv (the reference
engine's validator) counts them: one per missing property, one per unexpected property,
and the branch errors of `anyOf`/`oneOf` before the composite error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Protocol

from msgspec import Struct

from .._types import Json, Path
from .declared import (
    InvalidSchemaError as InvalidSchemaError,  # raised here too: its callers import it from here
    additional_names as additional_names,
    matches_pattern as _matches,
    string_matches,
)
from .dialect import ONE_OF_MAY_OVERLAP
from .formats import format_checker

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator as JsonSchemaValidator

    from .fastpath import FastCheck
    from .walk import Error, Walk


class SchemaError(Struct, frozen=True):
    """One way a value breaks a schema."""

    instance_path: Path
    """Where in the value, from its root."""
    schema_path: Path
    """Which keyword, from the schema's root (through `$ref`s as if they were inlined)."""
    keyword: str
    message: str
    """ajv's wording, so reports read like the reference engine's."""
    schema_value: Json


def _pattern(validator: Any, pattern: str, instance: Json, schema: Json) -> Iterator[ValidationError]:
    from jsonschema import ValidationError

    if isinstance(instance, str) and not string_matches(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _multiple_of(validator: Any, divisor: Json, instance: Json, schema: Json) -> Iterator[ValidationError]:
    """jsonschema's `multipleOf`, refusing a divisor JSON Schema does not allow (0, negative)."""
    from jsonschema import Draft202012Validator

    if isinstance(divisor, bool) or not isinstance(divisor, (int, float)) or divisor <= 0:
        raise InvalidSchemaError(f"multipleOf must be a number greater than 0, not {divisor!r}")
    yield from Draft202012Validator.VALIDATORS["multipleOf"](validator, divisor, instance, schema)


def _pattern_properties(
    validator: Any, pattern_properties: Json, instance: Json, schema: Json
) -> Iterator[ValidationError]:
    """jsonschema's `patternProperties`, with ECMAScript patterns in bounded time (not `re`)."""
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in pattern_properties.items():
        for name, value in instance.items():
            if _matches(pattern, name):
                yield from validator.descend(value, subschema, path=name, schema_path=pattern)


def _additional_properties(
    validator: Any, additional: Json, instance: Json, schema: Json
) -> Iterator[ValidationError]:
    """jsonschema's `additionalProperties` (its messages too), with our pattern matching."""
    from jsonschema import ValidationError

    if not validator.is_type(instance, "object"):
        return
    extras = additional_names(instance, schema)
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(each) for each in sorted(extras))
            patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            yield ValidationError(f"{joined} {verb} not match any of the regexes: {patterns}")
        else:
            names = sorted(extras, key=str)
            verb = "was" if len(names) == 1 else "were"
            listed = ", ".join(repr(extra) for extra in names)
            yield ValidationError(f"Additional properties are not allowed ({listed} {verb} unexpected)")


def _one_of(validator: Any, branches: list[Json], instance: Json, schema: Json) -> Iterator[ValidationError]:
    """`oneOf`; where the response policy marked it, a value may fit more than one branch."""
    from jsonschema import Draft202012Validator, ValidationError

    if not (isinstance(schema, dict) and schema.get(ONE_OF_MAY_OVERLAP) is True):
        yield from Draft202012Validator.VALIDATORS["oneOf"](validator, branches, instance, schema)
        return
    errors: list[ValidationError] = []
    for index, branch in enumerate(branches):
        found = list(validator.descend(instance, branch, schema_path=index))
        if not found:
            return
        errors.extend(found)
    yield ValidationError(f"{instance!r} is not valid under any of the given schemas", context=errors)


def _discriminated(
    plain: Callable[..., Iterator[ValidationError]],
) -> Callable[..., Iterator[ValidationError]]:
    """`oneOf`/`anyOf` decided by a converted `discriminator` (see `dialect`), when it has one.

    The tag value selects one branch and the object is validated against it alone: a valid
    object that other, open branches also accept is not "more than one of oneOf", and the
    errors of an invalid one are its branch's, not every branch's.
    """

    def check(validator: Any, branches: Json, instance: Json, schema: Json) -> Iterator[ValidationError]:
        from jsonschema import ValidationError

        selector = schema.get("discriminator") if isinstance(schema, dict) else None
        if not isinstance(selector, dict) or "mapping" not in selector or not isinstance(instance, dict):
            yield from plain(validator, branches, instance, schema)
            return
        tag_name = selector["propertyName"]
        mapping = selector["mapping"]
        if tag_name not in instance:
            if selector.get("optional") is True:
                yield from plain(validator, branches, instance, schema)
            else:
                yield ValidationError(f"{tag_name!r} is a required property", validator="required")
            return
        tag = instance[tag_name]
        if not isinstance(tag, str):
            yield ValidationError(
                f'tag "{tag_name}" must be string', validator="discriminator", path=[tag_name]
            )
            return
        if tag not in mapping:
            known = ", ".join(repr(t) for t in mapping)
            yield ValidationError(
                f'value of tag "{tag_name}" must be one of the discriminator values: {known}',
                validator="discriminator",
                path=[tag_name],
            )
            return
        selected = mapping[tag]
        if isinstance(selected, int):
            yield from validator.descend(instance, branches[selected], schema_path=selected)
        else:
            yield from validator.descend(instance, selected)

    return check


def _ref(validator: Any, ref: str, instance: Json, schema: Json) -> Iterator[ValidationError]:
    """A `$ref` to a base schema whose discriminator names a subtype checks the subtype instead."""
    from jsonschema import Draft202012Validator

    selector = schema.get("discriminator") if isinstance(schema, dict) else None
    if isinstance(selector, dict) and "subtypes" in selector and isinstance(instance, dict):
        tag = instance.get(selector["propertyName"])
        subtype = selector["subtypes"].get(tag) if isinstance(tag, str) else None
        if subtype is not None:
            yield from validator.descend(instance, subtype)
            return
    yield from Draft202012Validator.VALIDATORS["$ref"](validator, ref, instance, schema)


@cache
def _jsonschema_class(draft2020: bool) -> Any:
    # jsonschema is imported here, on the first value a fast check does not pass: its
    # import (70 ms) is most of the start-up of a run whose values are all valid.
    from jsonschema import Draft201909Validator, Draft202012Validator, validators

    base = Draft202012Validator if draft2020 else Draft201909Validator
    keywords = {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "multipleOf": _multiple_of,
        "additionalProperties": _additional_properties,
        "$ref": _ref,
        "oneOf": _discriminated(_one_of),
        "anyOf": _discriminated(Draft202012Validator.VALIDATORS["anyOf"]),
    }
    return validators.extend(base, keywords)  # type: ignore[no-untyped-call]


class RemoteReferenceError(ValueError):
    """A schema reached a `$ref` the spec's own documents do not hold; it is never fetched."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"$ref {ref!r} is not resolved: references outside the spec are never fetched")
        self.ref = ref


@cache
def _local_registry() -> Any:
    """A registry that resolves nothing from outside: jsonschema would otherwise fetch a URL
    (`$ref` in list-form `items`, `$dynamicRef`) that the conversion did not bundle."""
    from referencing import Registry
    from referencing.exceptions import NoSuchResource

    def refuse(uri: str) -> Any:
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs fields: no stub for them

    return Registry(retrieve=refuse)  # type: ignore[call-arg]


def jsonschema_validator(schema: Json, *, draft2020: bool = False) -> JsonSchemaValidator:
    """The jsonschema validator that decides what is valid (our `pattern` and formats)."""
    validator: JsonSchemaValidator = _jsonschema_class(draft2020)(
        schema, format_checker=format_checker(), registry=_local_registry()
    )
    return validator


def _unresolvable(exc: Exception) -> RemoteReferenceError:
    return RemoteReferenceError(str(getattr(exc, "ref", "") or exc))


# Compile the fast check on a validator's COMPILE_AFTER-th use. Until then the interpreted
# check (`interpreted.py`) decides valid values, and it is about as fast per value as the
# compiled one (benchmarks/bench_compile.py, valid values, medians: petstore Pet 1.5 us
# interpreted, 1.9 us compiled, 1.2 ms to compile; GitHub full-repository 134 us against
# 140 us, 27 ms to compile). Compiling then pays off only for a schema checked thousands of
# times, where the compiled check's few percent on some shapes add up; on whole runs
# (instructions of a CLI run on the petstore pacts, empty cache / warm cache, millions):
#                       64             4096
#   1,000 inter.      641 / 510      632 / 512
#   10,000 inter.   2,179 / 1,944  2,084 / 1,955
#   GitHub, 200     1,925 / -      1,925 / -
# A compiled check is stored, so later runs load it at the first use (`compiled.py`).
COMPILE_AFTER = 4096
"""The default of `compiled.ValidatorCache.compile_after`."""


class FastChecks(Protocol):
    """Where a `Validator` gets its compiled check: one comparison run's (`compiled.CompileRun`).

    A protocol, so that this module (the one that imports jsonschema) depends on no
    compiler and no cache: the run is handed in by whoever builds the validators.
    """

    @property
    def compile_after(self) -> int:
        """At which use a schema is worth compiling within the run."""
        ...

    def fast_check(self, schema: Json, draft2020: bool, needed: bool) -> tuple[FastCheck | None, bool]:
        """The check for `schema` and whether that answer is final; `needed`: the schema
        has reached `compile_after` uses. `(None, False)`: not yet, ask again when needed."""
        ...


class Validator:
    """Validates values against one schema bundle.

    jsonschema's rules decide: read by the walk (`walk.py`) where it can, else by jsonschema.
    The schema also gets a pass/fail check that accepts only values jsonschema accepts: a
    value it accepts is valid, any other is left to the walk. The check is asked of
    `checks` at the first use (interpreted, or compiled already in memory or on disk) and
    at the `compile_after`th (compiled, when compiling pays off in
    this run); jsonschema is then only built for a value the check does not pass.
    Without `checks`, jsonschema decides every value.
    """

    __slots__ = (
        "_checks",
        "_compile_after",
        "_draft2020",
        "_fast",
        "_full",
        "_schema",
        "_settled",
        "_uses",
        "_walk",
    )

    def __init__(self, schema: Json, *, draft2020: bool = False, checks: FastChecks | None = None) -> None:
        self._schema = schema
        self._draft2020 = draft2020
        self._checks = checks
        self._compile_after = 0 if checks is None else max(1, checks.compile_after)
        self._full: JsonSchemaValidator | None = None
        self._walk: Walk | Literal[False] | None = None
        """The walk that stands in for jsonschema (`walk.py`); False once it met a word it
        does not read, and jsonschema decides every value from then on."""
        self._fast: FastCheck | None = None
        self._settled = False
        """Whether the fast check is final (compiled, loaded, or known to be impossible)."""
        self._uses = 0

    @property
    def schema(self) -> Json:
        """The converted schema bundle this validator checks against (read, never changed)."""
        return self._schema

    def _fast_check(self) -> FastCheck | None:
        """The compiled check, asked for at the first use and at the `compile_after`th."""
        if self._uses < self._compile_after:
            self._uses += 1
            checks = self._checks
            if checks is not None and not self._settled and self._uses in (1, self._compile_after):
                needed = self._uses == self._compile_after
                self._fast, self._settled = checks.fast_check(self._schema, self._draft2020, needed)
        return self._fast

    def _jsonschema(self) -> JsonSchemaValidator:
        if self._full is None:
            self._full = jsonschema_validator(self._schema, draft2020=self._draft2020)
        return self._full

    def _walker(self) -> Walk | None:
        if self._walk is None:
            from .walk import Walk  # here: a run whose values all pass their checks never needs it

            self._walk = Walk(self._schema, draft2020=self._draft2020)
        return self._walk or None

    def is_valid(self, value: Json) -> bool:
        fast = self._fast_check()
        if fast is not None and fast(value):
            return True
        walk = self._walker()
        if walk is not None:
            from .walk import UnsupportedError

            try:
                return walk.is_valid(value)
            except UnsupportedError:
                self._walk = False
        from referencing.exceptions import Unresolvable

        try:
            return self._jsonschema().is_valid(value)
        except Unresolvable as exc:
            raise _unresolvable(exc) from None

    def errors(self, value: Json) -> list[SchemaError]:
        """Every error, or [] for a valid value."""
        fast = self._fast_check()
        if fast is not None and fast(value):
            return []
        found: list[SchemaError] = []
        walk = self._walker()
        if walk is not None:
            from .walk import UnsupportedError

            try:
                for walked in walk.errors(value):
                    found.extend(_flatten(walked, self._schema))
                return found
            except UnsupportedError:
                self._walk = False
                found = []
        from referencing.exceptions import Unresolvable

        try:
            for error in self._jsonschema().iter_errors(value):
                found.extend(_flatten(error, self._schema))
        except Unresolvable as exc:
            raise _unresolvable(exc) from None
        return found


def _flatten(
    error: ValidationError | Error, root: Json, hidden: frozenset[int] = frozenset()
) -> Iterator[SchemaError]:
    """`error` as ajv would list it; `hidden` are schema path positions the spec does not have."""
    keyword = str(error.validator)
    if keyword == "anyOf" and isinstance(error.schema, dict) and error.schema.get("nullable") is True:
        # The dialect's wrapper for a nullable schema: the value is not null, so only the
        # wrapped schema's errors matter, at the wrapped schema's own location.
        depth = len(error.absolute_schema_path)
        for sub in error.context or ():
            if sub.relative_schema_path and sub.relative_schema_path[0] == 0:
                yield from _flatten(sub, root, hidden | {depth - 1, depth})
        return
    if keyword in ("anyOf", "oneOf") and error.context:
        for sub in error.context:
            yield from _flatten(sub, root, hidden)
    instance_path = tuple(error.absolute_path)
    schema_path = tuple(p for i, p in enumerate(error.absolute_schema_path) if i not in hidden)
    if keyword == "required" and isinstance(error.instance, dict):
        missing = _quoted_name(error.message)
        yield SchemaError(
            instance_path,
            schema_path,
            keyword,
            f"must have required property '{missing}'",
            error.validator_value,
        )
        return
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        word = "additional" if keyword == "additionalProperties" else "unevaluated"
        for name in _unexpected_names(error, root):
            yield SchemaError(
                instance_path,
                schema_path,
                keyword,
                f"must NOT have {word} properties - {name}",
                error.validator_value,
            )
        return
    yield SchemaError(instance_path, schema_path, keyword, ajv_message(error), error.validator_value)


_QUOTED = re.compile(r"^(.*) is a required property$")
_UNEXPECTED = re.compile(r"\((.*) (?:was|were) unexpected\)$")


def _quoted_name(message: str) -> str:
    match = _QUOTED.match(message)
    if not match:
        return message
    import ast  # here: only failing values need it, and it costs 5 ms of start-up

    try:
        return str(ast.literal_eval(match[1]))
    except (ValueError, SyntaxError):
        return match[1]


def _unexpected_names(error: ValidationError | Error, root: Json) -> list[str]:
    """The property names an additional/unevaluated properties error is about."""
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        return additional_names(instance, schema)
    # jsonschema lists unevaluated names in its message only; it has no public API for them.
    match = _UNEXPECTED.search(error.message)
    if not match:
        return ["?"]
    try:
        import ast

        names = [str(n) for n in ast.literal_eval(f"({match[1]},)")]
    except (ValueError, SyntaxError):
        return ["?"]
    # A member of an allOf that fails evaluates nothing, so jsonschema calls its properties
    # unevaluated too. Those properties are declared: their own error says what is wrong.
    declared = _declared_names(schema, root, set())
    return [n for n in names if n not in declared]


def _declared_names(schema: Json, root: Json, seen: set[str]) -> set[str]:
    """Property names a schema declares itself or through `allOf` members and `$ref`s."""
    if not isinstance(schema, dict):
        return set()
    names = set(schema.get("properties", {}))
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/") and ref not in seen:
        seen.add(ref)
        names |= _declared_names(root.get("definitions", {}).get(ref.rsplit("/", 1)[1]), root, seen)
    for member in schema.get("allOf", []):
        names |= _declared_names(member, root, seen)
    return names


def _js_number(value: Json) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _type_words(value: Json) -> str:
    return ",".join(value) if isinstance(value, list) else str(value)


def ajv_message(error: ValidationError | Error) -> str:
    """The message ajv gives for the same failed keyword."""
    keyword = error.validator
    value = error.validator_value
    messages: dict[str, Callable[[], str]] = {
        "type": lambda: f"must be {_type_words(value)}",
        "enum": lambda: "must be equal to one of the allowed values",
        "const": lambda: "must be equal to constant",
        "format": lambda: f'must match format "{value}"',
        "pattern": lambda: f'must match pattern "{value}"',
        "minimum": lambda: f"must be >= {_js_number(value)}",
        "maximum": lambda: f"must be <= {_js_number(value)}",
        "exclusiveMinimum": lambda: f"must be > {_js_number(value)}",
        "exclusiveMaximum": lambda: f"must be < {_js_number(value)}",
        "minLength": lambda: f"must NOT have fewer than {value} characters",
        "maxLength": lambda: f"must NOT have more than {value} characters",
        "minItems": lambda: f"must NOT have fewer than {value} items",
        "maxItems": lambda: f"must NOT have more than {value} items",
        "minProperties": lambda: f"must NOT have fewer than {value} properties",
        "maxProperties": lambda: f"must NOT have more than {value} properties",
        "uniqueItems": lambda: "must NOT have duplicate items",
        "multipleOf": lambda: f"must be multiple of {_js_number(value)}",
        "oneOf": lambda: "must match exactly one schema in oneOf",
        "anyOf": lambda: "must match a schema in anyOf",
        "not": lambda: "must NOT be valid",
        "contains": lambda: "must contain at least 1 valid item(s)",
        "dependentRequired": lambda: "must have required properties when dependent properties are present",
        "false": lambda: "boolean schema is false",
        # `items: false` after `prefixItems` (2020-12) caps the array at the tuple's length.
        "items": lambda: (
            f"must NOT have more than {len(error.schema.get('prefixItems', []))} items"
            if value is False and isinstance(error.schema, dict)
            else error.message
        ),
    }
    build = messages.get(str(keyword))
    return build() if build else error.message
