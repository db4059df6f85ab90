"""jsonschema's verdicts and errors for the words converted schemas use, without jsonschema.

Importing jsonschema costs 45-65 ms (its `referencing` registry, attrs classes, its
metaschemas and format libraries): more than the rest of a comparison of a few
interactions against GitHub's 13 MB description, once its JSON is parsed. A converted
bundle (`dialect`) uses a small part of JSON Schema: types, bounds, `properties`,
`items`, `allOf`/`anyOf`/`oneOf`/`not`, `enum`/`const`, `format`, `pattern`,
`unevaluatedProperties` (a closed `allOf`) and `$ref`s into its own `definitions`. This
module walks exactly those words the way jsonschema 4 walks them, with the keywords
`validation` replaces (ECMAScript patterns, discriminators, overlapping `oneOf`): the
same order, the same errors with the same instance and schema paths (a `$ref` adds no
step to the schema path), the same values on each error, and the same exceptions.
tests/test_walk.py holds the two to each other on drawn schemas and values. The
pass/fail checks (`interpreted.py`, `fastpath.py`) pass most values before they get here;
the walk gives the errors of a value they do not pass, and the verdicts where a schema
has no such check.

Whatever else a walk meets raises `UnsupportedError` before any verdict: a word
jsonschema knows that is not listed here (`if`, `contains`, `uniqueItems`,
`prefixItems`, ...), an unknown type name, a `$ref` outside the bundle, a schema written
in an odd shape, or nesting deep enough that jsonschema itself might run out of stack.
The caller then asks jsonschema, which decides as it always did: the walk has no side
effects, so starting over loses nothing but time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from .._types import Json, JsonObject
from .declared import (
    TYPE_TESTS,
    InvalidSchemaError,
    additional_names,
    is_number,
    json_equal,
    matches_pattern,
    string_matches,
)
from .dialect import ONE_OF_MAY_OVERLAP
from .formats import NUMBER_FORMATS, STRING_FORMATS

Path = tuple[str | int, ...]

MAX_DEPTH = 150
"""How many schemas deep a walk goes before leaving the value to jsonschema: at that
depth jsonschema is still far from Python's recursion limit, so every value walked here
is one jsonschema would have walked to the end too."""

_DEFINITIONS = "#/definitions/"


class UnsupportedError(Exception):
    """The walk met something it does not read like jsonschema: ask jsonschema."""


class Error:
    """One error, with the fields of jsonschema's `ValidationError` that `validation` reads.

    Paths are absolute: a walk knows where it is, so nothing is prepended on the way out.
    """

    __slots__ = (
        "absolute_path",
        "absolute_schema_path",
        "context",
        "instance",
        "message",
        "relative_schema_path",
        "schema",
        "validator",
        "validator_value",
    )

    def __init__(
        self,
        validator: str | None,
        validator_value: Json,
        instance: Json,
        schema: Json,
        path: Path,
        schema_path: Path,
        message: str,
        context: list[Error] | None = None,
    ) -> None:
        self.validator = validator
        self.validator_value = validator_value
        self.instance = instance
        self.schema = schema
        self.absolute_path = path
        self.absolute_schema_path = schema_path
        self.relative_schema_path: Path = schema_path
        self.message = message
        self.context = context or []
        if context:
            # jsonschema's branch errors count their schema path from the branch index.
            depth = len(schema_path)
            for sub in context:
                sub.relative_schema_path = sub.absolute_schema_path[depth:]


# --- the walk ------------------------------------------------------------------------------------

Keyword = Callable[["Walk", Any, Json, JsonObject, Path, Path, int], Iterator[Error]]


class Walk:
    """Validates values against one converted bundle."""

    __slots__ = ("_definitions", "_keywords", "_known", "root")

    def __init__(self, root: Json, *, draft2020: bool) -> None:
        from .fastpath import KNOWN_WORDS_2019, KNOWN_WORDS_2020

        self.root = root
        definitions = root.get("definitions") if isinstance(root, dict) else None
        self._definitions: JsonObject = definitions if isinstance(definitions, dict) else {}
        self._keywords = _KEYWORDS_2020 if draft2020 else _KEYWORDS_2019
        self._known = KNOWN_WORDS_2020 if draft2020 else KNOWN_WORDS_2019

    def errors(self, instance: Json) -> Iterator[Error]:
        return self.descend(instance, self.root, (), (), 0)

    def is_valid(self, instance: Json) -> bool:
        return next(self.errors(instance), None) is None

    def valid_under(self, instance: Json, schema: Json, path: Path, depth: int) -> bool:
        return next(self.descend(instance, schema, path, (), depth), None) is None

    def descend(
        self,
        instance: Json,
        schema: Json,
        path: Path,
        schema_path: Path,
        depth: int,
        outer: tuple[Path, Path] | None = None,
    ) -> Iterator[Error]:
        """The errors of `instance` (at `path`) against `schema` (at `schema_path`).

        `outer`: where the keyword that stepped into `schema` stands (without the property,
        index or branch step). jsonschema reports a `false` schema there: it adds the step
        only to the errors of the schema's own keywords.
        """
        if schema is True:
            return
        if schema is False:
            message = f"False schema does not allow {instance!r}"
            at, at_schema = outer if outer is not None else (path, schema_path)
            yield Error(None, None, instance, schema, at, at_schema, message)
            return
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            raise UnsupportedError
        keywords = self._keywords
        for word, value in schema.items():
            keyword = keywords.get(word)
            if keyword is None:
                if word in self._known:
                    raise UnsupportedError
                continue
            where = schema_path if word == "$ref" else (*schema_path, word)
            yield from keyword(self, value, instance, schema, path, where, depth + 1)

    def target(self, ref: Json) -> Json:
        """The definition a bundle's `$ref` names."""
        if not isinstance(ref, str) or not ref.startswith(_DEFINITIONS):
            raise UnsupportedError
        name = ref[len(_DEFINITIONS) :]
        if "/" in name or "~" in name or "%" in name or name not in self._definitions:
            raise UnsupportedError
        return self._definitions[name]


# Types and equality are read as jsonschema's 2019-09 and 2020-12 type checker reads them
# (`declared.py`, shared with the interpreted check).


# --- keywords ------------------------------------------------------------------------------------
# Each: (walk, value, instance, schema, path, schema path with the word, depth) -> errors.


def _error(word: str, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path) -> Error:
    # The message only where `validation` reads it; ajv's wording is built from the rest.
    return Error(word, value, instance, schema, path, where, word)


def _type(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list):
        raise UnsupportedError
    checks = [TYPE_TESTS.get(name) if isinstance(name, str) else None for name in names]
    matched = False
    for check in checks:
        if check is None:
            raise UnsupportedError  # jsonschema raises UnknownType, or fails another way
        if check(instance):
            matched = True
            break
    if not matched:
        yield _error("type", value, instance, schema, path, where)


def _enum(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(value, list):
        raise UnsupportedError
    if all(not json_equal(each, instance) for each in value):
        yield _error("enum", value, instance, schema, path, where)


def _const(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not json_equal(instance, value):
        yield _error("const", value, instance, schema, path, where)


def _bound(word: str, fails: Callable[[Any, Any], bool]) -> Keyword:
    def check(
        walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
    ) -> Iterator[Error]:
        if not is_number(value):
            raise UnsupportedError
        if is_number(instance) and fails(instance, value):
            yield _error(word, value, instance, schema, path, where)

    return check


def _size(word: str, kind: type, fails: Callable[[int, Any], bool]) -> Keyword:
    def check(
        walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
    ) -> Iterator[Error]:
        if not is_number(value):
            raise UnsupportedError
        if isinstance(instance, kind) and fails(len(instance), value):  # type: ignore[arg-type]
            yield _error(word, value, instance, schema, path, where)

    return check


def _multiple_of(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise InvalidSchemaError(f"multipleOf must be a number greater than 0, not {value!r}")
    if not is_number(instance):
        return
    if isinstance(value, float):
        quotient = instance / value
        try:
            failed = int(quotient) != quotient
        except OverflowError:  # a huge value over a small divisor: exact arithmetic instead
            from fractions import Fraction  # here: it imports `decimal`, a few ms of start-up

            failed = (Fraction(instance) / Fraction(value)).denominator != 1
    else:
        failed = bool(instance % value)
    if failed:
        yield _error("multipleOf", value, instance, schema, path, where)


def _format(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(value, str):
        raise UnsupportedError
    check = _format_checks().get(value)
    if check is not None and not check(instance):
        yield _error("format", value, instance, schema, path, where)


@cache
def _format_checks() -> dict[str, Callable[[Json], bool]]:
    """The checks `formats.format_checker` registers, by format: strings only for string formats."""
    checks: dict[str, Callable[[Json], bool]] = {}
    for name, check in STRING_FORMATS.items():
        checks[name] = lambda instance, check=check: not isinstance(instance, str) or check(instance)  # type: ignore[misc]
    checks.update(NUMBER_FORMATS)
    return checks


def _pattern(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(value, str):
        raise UnsupportedError
    if isinstance(instance, str) and not string_matches(value, instance):
        yield _error("pattern", value, instance, schema, path, where)


def _required(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(value, list):
        raise UnsupportedError
    if isinstance(instance, dict):
        for name in value:
            if name not in instance:
                error = _error("required", value, instance, schema, path, where)
                error.message = f"{name!r} is a required property"
                yield error


def _properties(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(value, dict):
        raise UnsupportedError
    if isinstance(instance, dict):
        for name, sub in value.items():
            if name in instance:
                yield from walk.descend(
                    instance[name], sub, (*path, name), (*where, name), depth, (path, where)
                )


def _pattern_properties(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(value, dict):
        raise UnsupportedError
    if isinstance(instance, dict):
        for pattern, sub in value.items():
            for name, each in instance.items():
                if matches_pattern(pattern, name):
                    yield from walk.descend(each, sub, (*path, name), (*where, pattern), depth, (path, where))


def _additional_properties(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(instance, dict):
        return
    if not isinstance(schema.get("properties", {}), dict) or not isinstance(
        schema.get("patternProperties", {}), dict
    ):
        raise UnsupportedError
    extras = additional_names(instance, schema)
    if isinstance(value, dict):
        for extra in extras:
            yield from walk.descend(instance[extra], value, (*path, extra), where, depth, (path, where))
    elif not value and extras:
        yield _error("additionalProperties", value, instance, schema, path, where)


def _items_2019(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(instance, list):
        return
    if isinstance(value, list):
        for (index, item), sub in zip(enumerate(instance), value, strict=False):
            yield from walk.descend(item, sub, (*path, index), (*where, index), depth, (path, where))
    else:
        for index, item in enumerate(instance):
            yield from walk.descend(item, value, (*path, index), where, depth, (path, where))


def _items_2020(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if "prefixItems" in schema:
        raise UnsupportedError  # `items` then counts from the tuple's end, whichever word comes first
    if not isinstance(instance, list) or not instance:
        return
    if value is False:
        yield _error("items", value, instance, schema, path, where)
        return
    for index, item in enumerate(instance):
        yield from walk.descend(item, value, (*path, index), where, depth, (path, where))


def _all_of(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(value, list):
        raise UnsupportedError
    for index, sub in enumerate(value):
        yield from walk.descend(instance, sub, path, (*where, index), depth, (path, where))


def _any_of(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(value, list):
        raise UnsupportedError
    found: list[Error] = []
    for index, sub in enumerate(value):
        errors = list(walk.descend(instance, sub, path, (*where, index), depth, (path, where)))
        if not errors:
            return
        found.extend(errors)
    yield Error("anyOf", value, instance, schema, path, where, "anyOf", found)


def _one_of(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if not isinstance(value, list):
        raise UnsupportedError
    found: list[Error] = []
    overlap = schema.get(ONE_OF_MAY_OVERLAP) is True  # the response policy's mark (`validation`)
    branches = enumerate(value)
    for index, sub in branches:
        errors = list(walk.descend(instance, sub, path, (*where, index), depth, (path, where)))
        if not errors:
            break
        found.extend(errors)
    else:
        yield Error("oneOf", value, instance, schema, path, where, "oneOf", found)
        return
    if overlap:
        return
    # jsonschema then tries every later branch (all of them, not up to the second match).
    also = [sub for _, sub in branches if walk.valid_under(instance, sub, path, depth)]
    if also:
        yield _error("oneOf", value, instance, schema, path, where)


def _discriminated(word: str, plain: Keyword) -> Keyword:
    """`oneOf`/`anyOf` decided by a converted discriminator, as `validation._discriminated`."""

    def check(
        walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
    ) -> Iterator[Error]:
        selector = schema.get("discriminator")
        if not isinstance(selector, dict) or "mapping" not in selector or not isinstance(instance, dict):
            yield from plain(walk, value, instance, schema, path, where, depth)
            return
        tag_name, mapping = selector.get("propertyName"), selector["mapping"]
        if not isinstance(tag_name, str) or not isinstance(mapping, dict) or not isinstance(value, list):
            raise UnsupportedError
        if tag_name not in instance:
            if selector.get("optional") is True:
                yield from plain(walk, value, instance, schema, path, where, depth)
            else:
                error = Error("required", value, instance, schema, path, where, "")
                error.message = f"{tag_name!r} is a required property"
                yield error
            return
        tag = instance[tag_name]
        if not isinstance(tag, str):
            message = f'tag "{tag_name}" must be string'
            yield Error("discriminator", value, instance, schema, (*path, tag_name), where, message)
            return
        if tag not in mapping:
            known = ", ".join(repr(t) for t in mapping)
            message = f'value of tag "{tag_name}" must be one of the discriminator values: {known}'
            yield Error("discriminator", value, instance, schema, (*path, tag_name), where, message)
            return
        selected = mapping[tag]
        if isinstance(selected, bool) or not isinstance(selected, (int, dict)):
            raise UnsupportedError
        if isinstance(selected, int):
            if not 0 <= selected < len(value):
                raise UnsupportedError
            yield from walk.descend(instance, value[selected], path, (*where, selected), depth, (path, where))
        else:
            yield from walk.descend(instance, selected, path, where, depth)

    return check


def _not(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    if walk.valid_under(instance, value, path, depth):
        yield _error("not", value, instance, schema, path, where)


def _ref(
    walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
) -> Iterator[Error]:
    """A `$ref` (no step in the schema path); a base schema's discriminator may pick a subtype."""
    selector = schema.get("discriminator")
    if isinstance(selector, dict) and "subtypes" in selector and isinstance(instance, dict):
        tag_name, subtypes = selector.get("propertyName"), selector["subtypes"]
        if not isinstance(tag_name, str) or not isinstance(subtypes, dict):
            raise UnsupportedError
        tag = instance.get(tag_name)
        subtype = subtypes.get(tag) if isinstance(tag, str) else None
        if subtype is not None:
            yield from walk.descend(instance, subtype, path, where, depth)
            return
    yield from walk.descend(instance, walk.target(value), path, where, depth)


# --- unevaluatedProperties -----------------------------------------------------------------------
# What a schema "evaluated" is read as jsonschema 4 reads it, which differs by draft and is
# not quite the specification's (2019-09 counts the *words* of an `additionalProperties`
# schema as property names; both read `patternProperties` keys as Python patterns here).


def _unevaluated(evaluated: Callable[[Walk, Json, Json, int], list[Any]]) -> Keyword:
    def check(
        walk: Walk, value: Any, instance: Json, schema: JsonObject, path: Path, where: Path, depth: int
    ) -> Iterator[Error]:
        if not isinstance(instance, dict):
            return
        known = evaluated(walk, instance, schema, depth)
        failing: list[str] = []
        for name in instance:
            if name not in known:
                # one entry per error, as jsonschema counts them
                failing.extend(
                    name for _ in walk.descend(instance[name], value, (*path, name), (*where, name), depth)
                )
        if not failing:
            return
        if value is False:
            names = sorted(failing, key=str)
            message = f"Unevaluated properties are not allowed ({_listed(names)} unexpected)"
        else:
            message = (
                "Unevaluated properties are not valid under the given schema "
                f"({_listed(failing)} unevaluated and invalid)"
            )
        error = _error("unevaluatedProperties", value, instance, schema, path, where)
        error.message = message
        yield error

    return check


def _listed(names: list[str]) -> str:
    return ", ".join(repr(name) for name in names) + (" was" if len(names) == 1 else " were")


def _evaluated_common(walk: Walk, instance: JsonObject, schema: Json, depth: int) -> JsonObject | None:
    """The schema to read evaluated names from (None: a boolean schema, which evaluates none)."""
    if isinstance(schema, bool):
        return None
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        raise UnsupportedError
    if "if" in schema or "dependentSchemas" in schema or "$recursiveRef" in schema or "$dynamicRef" in schema:
        raise UnsupportedError
    return schema


def _pattern_names(instance: JsonObject, schema: JsonObject) -> list[str]:
    import re  # jsonschema reads these keys with Python's `re`, not as ECMAScript

    patterns = schema["patternProperties"]
    if not isinstance(patterns, dict):
        raise UnsupportedError
    return [name for name in instance for pattern in patterns if re.search(pattern, name)]


def _evaluated_2019(walk: Walk, instance: JsonObject, schema: Json, depth: int) -> list[Any]:
    own = _evaluated_common(walk, instance, schema, depth)
    if own is None:
        return []
    found: list[Any] = []
    if "$ref" in own and own["$ref"] is not None:
        found += _evaluated_2019(walk, instance, walk.target(own["$ref"]), depth + 1)
    for word in ("properties", "additionalProperties", "unevaluatedProperties"):
        if word in own:
            value = own[word]
            if value is True:
                found += instance.keys()
            elif isinstance(value, dict):
                found += [name for name in value if name in instance]
    if "patternProperties" in own:
        found += _pattern_names(instance, own)
    for word in ("allOf", "oneOf", "anyOf"):
        if word in own:
            if not isinstance(own[word], list):
                raise UnsupportedError
            for sub in own[word]:
                if walk.valid_under(instance, sub, (), depth + 1):
                    found += _evaluated_2019(walk, instance, sub, depth + 1)
    return found


def _evaluated_2020(walk: Walk, instance: JsonObject, schema: Json, depth: int) -> list[Any]:
    own = _evaluated_common(walk, instance, schema, depth)
    if own is None:
        return []
    found: list[Any] = []
    if own.get("$ref") is not None:
        found += _evaluated_2020(walk, instance, walk.target(own["$ref"]), depth + 1)
    properties = own.get("properties")
    if isinstance(properties, dict):
        found += properties.keys() & instance.keys()
    for word in ("additionalProperties", "unevaluatedProperties"):
        sub = own.get(word)
        if sub is not None:
            found += [name for name, each in instance.items() if walk.valid_under(each, sub, (), depth + 1)]
    if "patternProperties" in own:
        found += _pattern_names(instance, own)
    for word in ("allOf", "oneOf", "anyOf"):
        subs = own.get(word, [])
        if not isinstance(subs, list):
            raise UnsupportedError
        for sub in subs:
            if walk.valid_under(instance, sub, (), depth + 1):
                found += _evaluated_2020(walk, instance, sub, depth + 1)
    return found


_KEYWORDS_2019: dict[str, Keyword] = {
    "$ref": _ref,
    "additionalProperties": _additional_properties,
    "allOf": _all_of,
    "anyOf": _discriminated("anyOf", _any_of),
    "const": _const,
    "enum": _enum,
    "exclusiveMaximum": _bound("exclusiveMaximum", lambda instance, limit: instance >= limit),
    "exclusiveMinimum": _bound("exclusiveMinimum", lambda instance, limit: instance <= limit),
    "format": _format,
    "items": _items_2019,
    "maxItems": _size("maxItems", list, lambda size, limit: size > limit),
    "maxLength": _size("maxLength", str, lambda size, limit: size > limit),
    "maxProperties": _size("maxProperties", dict, lambda size, limit: size > limit),
    "maximum": _bound("maximum", lambda instance, limit: instance > limit),
    "minItems": _size("minItems", list, lambda size, limit: size < limit),
    "minLength": _size("minLength", str, lambda size, limit: size < limit),
    "minProperties": _size("minProperties", dict, lambda size, limit: size < limit),
    "minimum": _bound("minimum", lambda instance, limit: instance < limit),
    "multipleOf": _multiple_of,
    "not": _not,
    "oneOf": _discriminated("oneOf", _one_of),
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "properties": _properties,
    "required": _required,
    "type": _type,
    "unevaluatedProperties": _unevaluated(_evaluated_2019),
}
_KEYWORDS_2020: dict[str, Keyword] = {
    **_KEYWORDS_2019,
    "items": _items_2020,
    "unevaluatedProperties": _unevaluated(_evaluated_2020),
}
