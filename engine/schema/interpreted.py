"""A pass/fail check built from closures, for schemas a run checks only a few times.

A compiled check (`fastpath.py`) is the fastest way to pass a valid value, but building it
costs 0.3-1.5 ms for a small schema (fastjsonschema writes Python source, `compile` reads
it back), and jsonschema, the other way to decide, costs 50 ms of imports before its first
answer. A cold run of a 100-interaction pact spent more time on those than on everything
else it did. This check is the draft-7 rewrite of `fastpath.to_draft7`, read once into a
tree of closures: built in microseconds, no code generated, no import. It answers each
value about as fast as the compiled check (a Pet: 1.5 against 1.9 us; a GitHub repository:
134 against 140 us), so only a schema checked thousands of times is still compiled
(`compiled.CompileRun`), and every other one is checked with this.

It keeps the rule of every fast check: True only for a value jsonschema accepts; False
means "undecided, ask jsonschema". Inside, each keyword reads exactly as jsonschema reads
it (draft 7, the rewrite's target), so a subschema's False is a real "no" and `not`,
`oneOf` and `if` can rely on it; where exactness would take more code than it saves (a
fractional `multipleOf`), or a pattern runs out of time, the closure raises instead and
the whole check answers False: jsonschema decides that value.
"""

from __future__ import annotations

from collections.abc import Callable

from .._types import Json, JsonObject
from .declared import TYPE_TESTS, is_number, json_equal
from .fastpath import FastCheck, UnsupportedError, to_draft7
from .formats import STRING_FORMATS
from .patterns import PatternError, compile_pattern

_Check = Callable[[Json], bool]


def interpreted_check(schema: Json, *, draft2020: bool = False) -> FastCheck | None:
    """The check for a converted bundle `schema`, or None when the rewrite cannot express it."""
    try:
        draft7 = to_draft7(schema, draft2020=draft2020)
        definitions = draft7.get("definitions", {})
        root = _Reader(definitions).schema({k: v for k, v in draft7.items() if k not in _ROOT_ONLY})
    except (UnsupportedError, PatternError, RecursionError, TypeError, ValueError):
        return None

    def check(value: Json) -> bool:
        try:
            return root(value)
        except Exception:  # too deep, a pattern past its time budget: jsonschema decides
            return False

    return check


_ROOT_ONLY = ("$schema", "definitions")


class _UndecidedError(Exception):
    """This value is for jsonschema to decide (raised through every enclosing check)."""


def _always(value: Json) -> bool:
    return True


def _never(value: Json) -> bool:
    return False


def _unique(items: list[Json]) -> bool:
    simple: set[tuple[str, Json]] = set()
    nested: list[Json] = []
    for item in items:
        if isinstance(item, list | dict):
            if any(json_equal(item, seen) for seen in nested):
                return False
            nested.append(item)
            continue
        key = ("b" if isinstance(item, bool) else "s" if isinstance(item, str) else "n", item)
        if key in simple:
            return False
        simple.add(key)
    return True


def _all(checks: list[_Check]) -> _Check:
    checks = [check for check in checks if check is not _always]
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:  # `type` and one more word: most schemas; no loop per value
        first, second = checks
        return lambda value: first(value) and second(value)

    def every(value: Json) -> bool:
        for check in checks:  # noqa: SIM110 - a loop: no generator made per value
            if not check(value):
                return False
        return True

    return every


class _Reader:
    """Reads one draft-7 bundle into closures; `$ref`s are looked up when checked, so a
    recursive definition is read once."""

    def __init__(self, definitions: JsonObject) -> None:
        self.definitions = definitions
        self.read: dict[str, _Check] = {}

    def ref(self, ref: Json) -> _Check:
        prefix = "#/definitions/"
        name = ref[len(prefix) :] if isinstance(ref, str) and ref.startswith(prefix) else None
        if name is None or name not in self.definitions:
            raise UnsupportedError(f"$ref {ref!r}")
        read = self.read

        def referenced(value: Json) -> bool:
            return read[name](value)

        if name not in read:
            read[name] = _never  # a placeholder while the definition is read
            read[name] = self.schema(self.definitions[name])
        return referenced

    def schema(self, schema: Json) -> _Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise UnsupportedError(f"schema {schema!r}")
        if "$ref" in schema:
            if len(schema) != 1:
                raise UnsupportedError("words next to a $ref")  # draft 7 ignores them
            return self.ref(schema["$ref"])
        checks = []
        for keyword, value in schema.items():
            read = _KEYWORDS.get(keyword)
            if read is None:
                if keyword in _READ_WITH:
                    continue  # read by the keyword it belongs to
                raise UnsupportedError(f"keyword {keyword!r}")
            checks.append(read(self, schema, value))
        return _all(checks)


_Keyword = Callable[[_Reader, JsonObject, Json], _Check]


def _type(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    kinds = value if isinstance(value, list) else [value]
    tests = [TYPE_TESTS[kind] for kind in kinds if isinstance(kind, str) and kind in TYPE_TESTS]
    if len(tests) != len(kinds):
        raise UnsupportedError(f"type {value!r}")
    word = _CONTAINED.get(value) if isinstance(value, str) else None
    if word is not None and word in schema:
        return _always  # the `properties` or `items` check then tests the type too
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:  # `nullable`: a type and null
        first, second = tests
        return lambda instance: first(instance) or second(instance)
    return lambda instance: any(test(instance) for test in tests)


_CONTAINED = {"object": "properties", "array": "items"}
"""A schema's one `type`, and the word whose check then tests that type itself (one call
per value fewer)."""


def _enum(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    if not isinstance(value, list):
        raise UnsupportedError("enum that is not a list")
    members = value
    if all(isinstance(member, str) for member in members):
        texts = frozenset(members)  # only a string equals a string
        return lambda instance: isinstance(instance, str) and instance in texts
    return lambda instance: any(json_equal(instance, member) for member in members)


def _bound(name: str) -> _Keyword:
    def read(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
        if not is_number(value):
            raise UnsupportedError(f"{name} {value!r}")
        limit: float = value
        high = schema.get("maximum")
        if name == "minimum" and is_number(high):  # a range (`format: int32`): one call
            return lambda instance: not is_number(instance) or limit <= instance <= high
        if name == "maximum" and is_number(schema.get("minimum")):
            return _always  # read with `minimum`
        if name == "minimum":
            return lambda instance: not is_number(instance) or instance >= limit
        if name == "maximum":
            return lambda instance: not is_number(instance) or instance <= limit
        if name == "exclusiveMinimum":
            return lambda instance: not is_number(instance) or instance > limit
        return lambda instance: not is_number(instance) or instance < limit

    return read


def _count(name: str, kind: type[str] | type[list[Json]] | type[dict[str, Json]], at_least: bool) -> _Keyword:
    def read(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise UnsupportedError(f"{name} {value!r}")
        limit = value
        if at_least:
            return lambda instance: not isinstance(instance, kind) or len(instance) >= limit
        return lambda instance: not isinstance(instance, kind) or len(instance) <= limit

    return read


def _multiple_of(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise UnsupportedError(f"multipleOf {value!r}")
    divisor = value

    def check(instance: Json) -> bool:
        if not is_number(instance):
            return True
        if isinstance(instance, float):
            raise _UndecidedError("multipleOf on a float")  # float arithmetic: jsonschema's
        return bool(instance % divisor == 0)

    return check


def _unique_items(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    if value is not True:
        return _always
    return lambda instance: not isinstance(instance, list) or _unique(instance)


def _required(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise UnsupportedError(f"required {value!r}")
    names = tuple(value)
    return lambda instance: not isinstance(instance, dict) or all(name in instance for name in names)


def _format(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    if not isinstance(value, str):
        raise UnsupportedError(f"format {value!r}")
    test = STRING_FORMATS.get(value)
    if test is None:
        return _always  # a format jsonschema does not know passes
    return lambda instance: not isinstance(instance, str) or test(instance)


def _pattern(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    if not isinstance(value, str):
        raise UnsupportedError(f"pattern {value!r}")
    search = compile_pattern(value).search
    return lambda instance: not isinstance(instance, str) or search(instance) is not None


def _mapping(value: Json) -> JsonObject:
    if not isinstance(value, dict):
        raise UnsupportedError(f"mapping {value!r}")
    return value


def _properties(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    """`properties`, `patternProperties` and `additionalProperties` read together, as the
    last needs the other two."""
    named = {name: reader.schema(sub) for name, sub in _mapping(value).items()}
    patterns = [
        (compile_pattern(pattern).search, reader.schema(sub))
        for pattern, sub in _mapping(schema.get("patternProperties", {})).items()
    ]
    extra = reader.schema(schema["additionalProperties"]) if "additionalProperties" in schema else None
    typed = schema.get("type") == "object"
    if not patterns:
        return _named_properties(named, extra, typed)

    def check(instance: Json) -> bool:
        if not isinstance(instance, dict):
            return not typed
        for name, item in instance.items():
            sub = named.get(name)
            if sub is not None and not sub(item):
                return False
            matched = False
            for search, pattern_check in patterns:
                if search(name) is not None:
                    matched = True
                    if not pattern_check(item):
                        return False
            if sub is None and not matched and extra is not None and not extra(item):
                return False
        return True

    return check


def _named_properties(named: dict[str, _Check], extra: _Check | None, typed: bool) -> _Check:
    """`properties` with no `patternProperties`: most objects of most specs, so one loop
    over the value's members with nothing else to look up (a GitHub repository: 191 to 171 us)."""
    if extra is None:
        extra = _always

    def check(instance: Json) -> bool:
        if not isinstance(instance, dict):
            return not typed
        for name, item in instance.items():  # noqa: SIM110 - a loop: no generator made per value
            if not named.get(name, extra)(item):
                return False
        return True

    return check


def _pattern_properties(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    if "properties" in schema:
        return _always  # read with `properties`
    return _properties(reader, schema, {})


def _additional_properties(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    if "properties" in schema or "patternProperties" in schema:
        return _always  # read with `properties` or `patternProperties`
    return _properties(reader, schema, {})


def _property_names(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    names = reader.schema(value)
    return lambda instance: not isinstance(instance, dict) or all(names(name) for name in instance)


def _not(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    negated = reader.schema(value)
    return lambda instance: not negated(instance)


def _contains(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    wanted = reader.schema(value)
    return lambda instance: not isinstance(instance, list) or any(wanted(item) for item in instance)


def _items(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    typed = schema.get("type") == "array"
    if isinstance(value, list):
        leading = [reader.schema(sub) for sub in value]
        rest = reader.schema(schema["additionalItems"]) if "additionalItems" in schema else _always

        def tuple_check(instance: Json) -> bool:
            if not isinstance(instance, list):
                return not typed
            for index, item in enumerate(instance):
                check = leading[index] if index < len(leading) else rest
                if not check(item):
                    return False
            return True

        return tuple_check
    each = reader.schema(value)

    def every_item(instance: Json) -> bool:
        if not isinstance(instance, list):
            return not typed
        for item in instance:  # noqa: SIM110 - a loop: no generator made per value
            if not each(item):
                return False
        return True

    return every_item


def _all_of(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    return _all([reader.schema(sub) for sub in _list(value)])


def _any_of(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    branches = [reader.schema(sub) for sub in _list(value)]
    return lambda instance: any(branch(instance) for branch in branches)


def _one_of(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    branches = [reader.schema(sub) for sub in _list(value)]

    def exactly_one(instance: Json) -> bool:
        held = 0
        for branch in branches:
            if branch(instance):
                held += 1
                if held > 1:
                    return False
        return held == 1

    return exactly_one


def _if(reader: _Reader, schema: JsonObject, value: Json) -> _Check:
    condition = reader.schema(value)
    then = reader.schema(schema["then"]) if "then" in schema else _always
    otherwise = reader.schema(schema["else"]) if "else" in schema else _always
    return lambda instance: then(instance) if condition(instance) else otherwise(instance)


def _list(value: Json) -> list[Json]:
    if not isinstance(value, list):
        raise UnsupportedError(f"list {value!r}")
    return value


_KEYWORDS: dict[str, _Keyword] = {
    "type": _type,
    "enum": _enum,
    "minimum": _bound("minimum"),
    "maximum": _bound("maximum"),
    "exclusiveMinimum": _bound("exclusiveMinimum"),
    "exclusiveMaximum": _bound("exclusiveMaximum"),
    "minLength": _count("minLength", str, True),
    "maxLength": _count("maxLength", str, False),
    "minItems": _count("minItems", list, True),
    "maxItems": _count("maxItems", list, False),
    "minProperties": _count("minProperties", dict, True),
    "maxProperties": _count("maxProperties", dict, False),
    "multipleOf": _multiple_of,
    "uniqueItems": _unique_items,
    "required": _required,
    "format": _format,
    "pattern": _pattern,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "propertyNames": _property_names,
    "not": _not,
    "contains": _contains,
    "items": _items,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "if": _if,
}
_READ_WITH = frozenset({"additionalItems", "then", "else"})
"""Words read by another keyword of the same schema (`items`, `if`)."""
