"""A compiled pass/fail check for converted schemas, so that valid values are cheap.

jsonschema decides what is valid (`validation.Validator`), but it interprets the schema
on every call: tens of microseconds for a small object, milliseconds for a large one.
fastjsonschema compiles a schema to Python code that checks a valid value about ten
times faster, but it speaks only drafts 4 to 7, reads `pattern` with `re` instead of as
ECMAScript, knows other formats, and silently ignores the 2019-09 words our converted
schemas use (`unevaluatedProperties` closes every `allOf`).

`compile_fast` therefore first rewrites a converted bundle into draft 7 with the same
meaning, keyword by keyword, and gives up (returns None) when it cannot. The rule the
rewrite keeps: the fast check may reject a value jsonschema accepts (the caller then
asks jsonschema), but it never accepts a value jsonschema rejects.

This module only rewrites and compiles. When a schema is worth compiling, and where
compiled checks are kept (in memory, on disk), is decided by `compiled.py`.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import CodeType
from typing import Any, NoReturn

from msgspec import Struct, field

from .._types import Json, JsonObject
from .formats import INT32, STRING_FORMATS
from .patterns import PatternError, compile_pattern
from .policy import ONE_OF_MAY_OVERLAP

FastCheck = Callable[[Json], bool]
"""A compiled check. True: the value is valid. False: undecided, ask jsonschema."""

_DRAFT7 = "http://json-schema.org/draft-07/schema#"
_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})
# Words that give a schema its own identity or base URI: `$ref` resolution would differ.
_IDENTITY = frozenset({"$id", "$schema", "$anchor", "$recursiveAnchor", "$dynamicAnchor", "$vocabulary"})
# Past 2**52 a float quotient can round to an integer; below it, fastjsonschema's
# `multipleOf` check (float division) agrees with jsonschema's (`%`) on integral values.
_EXACT_QUOTIENT = 2**52
_REF = re.compile(r"^#/definitions/([A-Za-z0-9_]+)$")


class UnsupportedError(Exception):
    """The schema uses something the draft-7 rewrite cannot express exactly."""


def _unsupported(reason: str) -> NoReturn:
    raise UnsupportedError(reason)


_WARNINGS = threading.RLock()
"""Held while `_refusing_warnings` has the interpreter's warning filters (see there)."""


@contextmanager
def _refusing_warnings() -> Iterator[None]:
    """Refuse (`UnsupportedError`) what makes the block warn, e.g. `re`'s FutureWarning on
    a possible nested set: code that Python means to read differently is not compiled.

    Warning filters belong to the interpreter, not to a thread (before Python 3.14's
    context-aware warnings), so two comparisons in two threads share them. Turning
    warnings into errors would also raise them in the other thread's code; recording
    them only means that a warning the other thread gives meanwhile is not shown (and
    this block is refused, needlessly but safely). The lock keeps two of these blocks
    from restoring each other's filters.
    """
    with _WARNINGS, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if caught:
        _unsupported(f"warning: {caught[0].message}")


def _refuse_remote(uri: str) -> NoReturn:
    raise UnsupportedError(f"remote $ref {uri!r}")


# fastjsonschema fetches any `$ref` URI whose scheme has no handler; the rewrite only
# keeps local references, and these handlers make sure nothing is ever fetched anyway.
_NO_REMOTE = {scheme: _refuse_remote for scheme in ("", "http", "https", "file", "ftp", "data", "urn")}


# The words jsonschema reads in each dialect (any other word is ignored by both engines).
# Written out rather than read from jsonschema's validator classes: importing jsonschema
# costs 50 ms, which a run whose values all pass their checks otherwise never pays.
# tests/test_fastpath.py holds these equal to jsonschema's own lists.
_COMMON_WORDS = frozenset(
    (
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "contains",
        "dependentRequired",
        "dependentSchemas",
        "enum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "if",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "oneOf",
        "pattern",
        "patternProperties",
        "properties",
        "propertyNames",
        "required",
        "type",
        "unevaluatedItems",
        "unevaluatedProperties",
        "uniqueItems",
    )
)
KNOWN_WORDS_2019 = _COMMON_WORDS | {"$recursiveRef", "additionalItems"}
KNOWN_WORDS_2020 = _COMMON_WORDS | {"$dynamicRef", "prefixItems"}


def prepare(draft2020: bool) -> None:
    """Import the compiler (once per process), so that compile times taken after it are
    the schema's own cost."""
    import fastjsonschema  # noqa: F401


def compile_fast(schema: Json, *, draft2020: bool = False) -> FastCheck | None:
    """A compiled check that accepts only values jsonschema accepts, or None.

    `schema` is a converted bundle (JSON Schema 2019-09, or 2020-12 with `draft2020`):
    a root schema whose `$ref`s point into its own `definitions`.
    """
    return check_of(compile_code(schema, draft2020=draft2020))


def compile_code(schema: Json, *, draft2020: bool = False) -> CodeType | None:
    """The Python code fastjsonschema generates for `schema`, or None (no fast path)."""
    import fastjsonschema

    try:
        draft7, patterns = _patterns_named(to_draft7(schema, draft2020=draft2020))
        with _refusing_warnings():
            source = fastjsonschema.compile_to_code(
                draft7,
                handlers=_NO_REMOTE,
                formats=STRING_FORMATS,
                use_default=False,  # its default writes `default` values into the instance
                detailed_exceptions=False,
            )
            source = _trimmed(source, repr(draft7)) + f"\nSCHEMA_PATTERNS = {patterns!r}\n"
            code = compile(source, "<fast check>", "exec")
        return code
    except Exception:  # any failure to translate or compile means: no fast path
        return None


# Keywords whose values are schemas, lists of schemas, or maps of them (draft 7).
_SCHEMA_VALUED = (
    "additionalProperties",
    "additionalItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_MAPS = ("properties", "definitions", "dependencies")


def _patterns_named(bundle: JsonObject) -> tuple[JsonObject, dict[str, str]]:
    """`bundle` with each `pattern` and `patternProperties` key replaced by a name `re` reads.

    fastjsonschema compiles every pattern with Python's `re`, which reads ECMAScript's text
    differently (and `^(a+)+$` in exponential time). Each gets a name instead, an empty `re`
    comment group `(?#p0)`, and the loaded check searches with `compile_pattern(pattern)`
    under that name (`check_of`): the same matching as jsonschema's, in bounded time.
    """
    names: dict[str, str] = {}

    def name(pattern: str) -> str:
        if pattern not in names:
            names[pattern] = f"(?#p{len(names)})"
        return names[pattern]

    def walk(schema: Json) -> Json:
        if not isinstance(schema, dict):
            return schema
        out = dict(schema)
        if isinstance(out.get("pattern"), str):
            out["pattern"] = name(out["pattern"])
        if isinstance(out.get("patternProperties"), dict):
            out["patternProperties"] = {name(k): walk(v) for k, v in out["patternProperties"].items()}
        for key in _SCHEMA_VALUED:
            if key in out:
                out[key] = walk(out[key])
        for key in _SCHEMA_LISTS:
            if isinstance(out.get(key), list):
                out[key] = [walk(v) for v in out[key]]
        if isinstance(out.get("items"), list):
            out["items"] = [walk(v) for v in out["items"]]
        elif "items" in out:
            out["items"] = walk(out["items"])
        for key in _SCHEMA_MAPS:
            if isinstance(out.get(key), dict):
                out[key] = {k: walk(v) for k, v in out[key].items()}
        return out

    renamed = walk(bundle)
    return renamed, {named: pattern for pattern, named in names.items()}


_EXCEPTIONS_IMPORT = "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n"
_SPELLED_OUT = ".format(**locals())"


class _InvalidValueError(ValueError):
    """What a loaded check raises for a failing value, in place of fastjsonschema's exceptions."""


def _trimmed(source: str, schema_text: str) -> str:
    """`source` without two costs the fast check does not need; pass or fail is unchanged.

    - Where each value sits (`data.tags[3]`) is spelled out with `str.format(**locals())`
      for every item of an array of `$ref` objects, only for the message of an exception
      the fast check discards (`_pass_fail`): 3% of a 10,000-interaction run. The code
      quotes the schema's strings too, so where one of them (`schema_text`) holds the same
      words, nothing is dropped: the check would compare with a shortened string.
    - The import of fastjsonschema's exceptions (3 ms of every run's start-up) gives way to
      `_InvalidValueError`, which `check_of` provides.
    """
    if _SPELLED_OUT not in schema_text:
        source = source.replace(_SPELLED_OUT, "")
    return source.replace(_EXCEPTIONS_IMPORT, "", 1)


def check_of(code: CodeType | None) -> FastCheck | None:
    """The check `code` (from `compile_code`, or read back from disk) defines, or None
    when there is none or it does not load."""
    if code is None:
        return None
    namespace: dict[str, Any] = {
        "JsonSchemaValueException": _InvalidValueError,
        "JsonSchemaValuesException": _InvalidValueError,
    }
    try:
        with _refusing_warnings():
            exec(code, namespace)  # code fastjsonschema generated: its documented use
        validate = namespace["validate"]  # the root schema's function (no `$id`: see _IDENTITY)
        compiled = namespace.get("REGEX_PATTERNS", {})
        for name, pattern in namespace.get("SCHEMA_PATTERNS", {}).items():
            compiled[name] = compile_pattern(pattern)  # what the generated code searches with
    except Exception:  # PatternError too: then jsonschema decides every value
        return None
    return _pass_fail(validate)


def _pass_fail(validate: Callable[[Json, dict[str, Any]], Any]) -> FastCheck:
    formats = STRING_FORMATS

    def check(value: Json) -> bool:
        try:
            validate(value, formats)  # generated signature: (data, custom_formats)
        except Exception:  # invalid, or too deep to check: jsonschema decides
            return False
        return True

    return check


def to_draft7(schema: Json, *, draft2020: bool = False) -> JsonObject:
    """`schema` rewritten as draft 7 with the same meaning; raises `UnsupportedError`."""
    return _Rewrite(schema, draft2020).bundle()


class _Node(Struct):
    """One schema object being rewritten."""

    schema: JsonObject
    """The 2019-09 / 2020-12 words."""
    out: JsonObject = field(default_factory=dict)
    """The draft-7 words with the same meaning."""
    conjuncts: list[Json] = field(default_factory=list)
    """Draft-7 schemas that must hold too (they go into an `allOf`)."""


class _Rewrite:
    """Rewrites one bundle; definitions are rewritten once each, when first referenced."""

    def __init__(self, root: Json, draft2020: bool) -> None:
        self.root = root
        self.draft2020 = draft2020
        self.known = KNOWN_WORDS_2020 if draft2020 else KNOWN_WORDS_2019
        definitions = root.get("definitions", {}) if isinstance(root, dict) else {}
        self.definitions: JsonObject = definitions if isinstance(definitions, dict) else {}
        self.done: JsonObject = {}
        self.pending: list[str] = []

    def bundle(self) -> JsonObject:
        root = self.root
        if isinstance(root, dict):
            root = {k: v for k, v in root.items() if k != "definitions"}
        out = self.schema(root)
        while self.pending:
            name = self.pending.pop()
            self.done[name] = self.schema(self.definitions[name])
        if isinstance(out, bool):
            out = {} if out else {"not": {}}
        # fastjsonschema names a function per definition (lower-cased, trailing `_`
        # dropped) and keeps one compiled regex per pattern text: neither may collide.
        if len({name.lower().rstrip("_") for name in self.done}) != len(self.done):
            _unsupported("definition names that fastjsonschema would confuse")
        return {"$schema": _DRAFT7, **out, "definitions": self.done}

    def target(self, ref: Json) -> Json:
        """The definition a `$ref` names (queued for rewriting)."""
        match = _REF.match(ref) if isinstance(ref, str) else None
        if match is None or match[1] not in self.definitions:
            _unsupported(f"$ref {ref!r}")
        name = match[1]
        if name not in self.done:
            self.done[name] = True  # placeholder: rewritten from `pending`
            self.pending.append(name)
        return self.definitions[name]

    def schema(self, schema: Json) -> Json:
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            _unsupported(f"schema {schema!r}")
        if _IDENTITY & schema.keys():
            _unsupported(f"identity keyword in {sorted(_IDENTITY & schema.keys())}")
        if "unevaluatedProperties" in schema:
            schema = self.close(schema)
        at = _Node(schema)
        for keyword, value in schema.items():
            if keyword not in self.known:
                continue  # jsonschema ignores the word, so the fast check must too
            rewrite = _KEYWORDS.get(keyword)
            if rewrite is None:
                _unsupported(f"keyword {keyword!r}")
            rewrite(self, at, keyword, value)
        out, conjuncts = at.out, at.conjuncts
        if conjuncts:
            if not out:
                return conjuncts[0] if len(conjuncts) == 1 else {"allOf": conjuncts}
            out["allOf"] = [*out.get("allOf", ()), *conjuncts]
        return out

    # --- unevaluatedProperties -----------------------------------------------------------

    def close(self, schema: JsonObject) -> JsonObject:
        """`unevaluatedProperties` rewritten as `properties` + `additionalProperties`.

        The dialect closes an `allOf` over the union of its members' properties. When
        every member declares its properties statically, a valid value has evaluated
        exactly the declared names (and those matching declared patterns), so naming
        them all at the top with `additionalProperties: false` means the same.
        """
        unevaluated = schema["unevaluatedProperties"]
        rest = {k: v for k, v in schema.items() if k != "unevaluatedProperties"}
        if unevaluated is True or unevaluated == {}:
            return rest
        if unevaluated is not False:
            _unsupported("unevaluatedProperties with a schema")
        names: dict[str, None] = {}
        patterns: dict[str, None] = {}
        if self.collect(rest, names, patterns, set()):
            return rest  # every property is evaluated: nothing left to close
        properties = rest.get("properties", {})
        pattern_properties = rest.get("patternProperties", {})
        rest["properties"] = {**properties, **{n: {} for n in names if n not in properties}}
        if patterns:
            rest["patternProperties"] = {
                **pattern_properties,
                **{p: {} for p in patterns if p not in pattern_properties},
            }
        rest["additionalProperties"] = False
        return rest

    def collect(
        self, schema: Json, names: dict[str, None], patterns: dict[str, None], seen: set[str]
    ) -> bool:
        """Gather what a schema that holds evaluates; True when that is every property."""
        if isinstance(schema, bool):
            return False
        if not isinstance(schema, dict):
            _unsupported(f"schema {schema!r}")
        if "additionalProperties" in schema:
            extra = schema["additionalProperties"]
            # 2019-09 (jsonschema's reading): `true` evaluates everything, `false` lets no
            # undeclared property through; a schema evaluates the properties named like
            # its own keywords (sic), which is not worth imitating.
            if isinstance(extra, bool) or self.draft2020:
                return True
            _unsupported("additionalProperties with a schema next to unevaluatedProperties")
        if "unevaluatedProperties" in schema or "dependentSchemas" in schema:
            _unsupported("nested unevaluatedProperties or dependentSchemas")
        for keyword in ("anyOf", "oneOf"):
            for branch in schema.get(keyword, ()):
                if not self.evaluates_nothing(branch, set()):
                    _unsupported(f"{keyword} branch that declares properties")
        for keyword in ("if", "then", "else"):
            if keyword in schema and not self.evaluates_nothing(schema[keyword], set()):
                _unsupported(f"{keyword} that declares properties")
        names.update(dict.fromkeys(_mapping(schema.get("properties", {}))))
        patterns.update(dict.fromkeys(_mapping(schema.get("patternProperties", {}))))
        everything = False
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref not in seen:
                everything |= self.collect(self.target(ref), names, patterns, {*seen, ref})
        for member in schema.get("allOf", ()):
            everything |= self.collect(member, names, patterns, seen)
        return everything

    def evaluates_nothing(self, schema: Json, seen: set[str]) -> bool:
        """Whether a schema never marks a property as evaluated."""
        if isinstance(schema, bool):
            return True
        if not isinstance(schema, dict):
            _unsupported(f"schema {schema!r}")
        if any(k in schema for k in ("unevaluatedProperties", "dependentSchemas", "patternProperties")):
            return False
        if schema.get("properties") or schema.get("additionalProperties", False) is not False:
            return False
        ref = schema.get("$ref")
        if ref is not None and ref not in seen and not self.evaluates_nothing(self.target(ref), {*seen, ref}):
            return False
        branches = [s for k in ("allOf", "anyOf", "oneOf") for s in schema.get(k, ())]
        branches += [schema[k] for k in ("if", "then", "else") if k in schema]
        return all(self.evaluates_nothing(s, seen) for s in branches)


def _mapping(value: Json) -> JsonObject:
    if not isinstance(value, dict):
        _unsupported(f"expected an object, found {value!r}")
    return value


# --- keywords ------------------------------------------------------------------------------
# Each rewrite reads one keyword of `at.schema` and writes draft-7 words into `at.out`, or
# appends whole subschemas to `at.conjuncts` (they end up in an `allOf`).

_Keyword = Callable[[_Rewrite, _Node, str, Json], None]
_KEYWORDS: dict[str, _Keyword] = {}
"""Filled by `@_keyword` while this module is imported, and only read after that."""


def _keyword(*names: str) -> Callable[[_Keyword], _Keyword]:
    def register(rewrite: _Keyword) -> _Keyword:
        for name in names:
            _KEYWORDS[name] = rewrite
        return rewrite

    return register


def _is_number(value: Json) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value: Json) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@_keyword("$ref")
def _ref(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    rw.target(value)
    selector = at.schema.get("discriminator")
    if isinstance(selector, dict) and "subtypes" in selector:
        # validation._ref: a tag that names a subtype checks the subtype instead.
        tag_name, subtypes = _selector(selector, "subtypes", 0)
        chosen = [
            {"if": {"properties": {tag_name: {"enum": [tag]}}}, "then": rw.schema(subtype)}
            for tag, subtype in subtypes.items()
        ]
        names_a_subtype = {
            "type": "object",
            "required": [tag_name],
            "properties": {tag_name: {"type": "string", "enum": list(subtypes)}},
        }
        at.conjuncts.insert(0, {"if": names_a_subtype, "then": {"allOf": chosen}, "else": {"$ref": value}})
        return
    # 2019-09: the words next to a `$ref` apply too; draft 7 would ignore them.
    at.conjuncts.insert(0, {"$ref": value})


@_keyword("type")
def _type(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    kinds = value if isinstance(value, list) else [value]
    if not kinds or any(not isinstance(k, str) or k not in _TYPES for k in kinds):
        _unsupported(f"type {value!r}")
    # Same reading in both: `integer` takes 1.0, neither `integer` nor `number` takes True.
    at.out["type"] = value


@_keyword("enum")
def _enum(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if not isinstance(value, list):
        _unsupported("enum that is not a list")
    # fastjsonschema compares type by type, like jsonschema: True is not 1, 1.0 is 1.
    at.out["enum"] = value


@_keyword("const")
def _const(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    # fastjsonschema's `const` fails to compile without detailed exceptions (KeyError);
    # a one-value `enum` is checked by the same comparison.
    at.conjuncts.append({"enum": [value]})


@_keyword("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
def _bound(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if not _is_number(value):
        _unsupported(f"{keyword} {value!r}")
    at.out[keyword] = value


@_keyword("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
def _count(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if not _is_count(value):
        _unsupported(f"{keyword} {value!r}")
    at.out[keyword] = value


@_keyword("multipleOf")
def _multiple_of(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    # jsonschema divides by a float divisor in floating point, fastjsonschema in decimal
    # (0.3 is a multiple of 0.1 for one and not the other): only integer divisors agree,
    # and then only on integers small enough for fastjsonschema's float quotient.
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        _unsupported(f"multipleOf {value!r}")
    exact = {"type": "integer", "multipleOf": value, "minimum": -_EXACT_QUOTIENT, "maximum": _EXACT_QUOTIENT}
    at.conjuncts.append({"if": {"type": "number"}, "then": exact})


@_keyword("uniqueItems")
def _unique_items(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if not isinstance(value, bool):
        _unsupported(f"uniqueItems {value!r}")
    if value:
        at.out["uniqueItems"] = True  # both tell True from 1 and take 1.0 as 1


@_keyword("required")
def _required(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if (
        not isinstance(value, list)
        or not all(isinstance(n, str) for n in value)
        or len(set(value)) != len(value)
    ):
        _unsupported(f"required {value!r}")
    at.out["required"] = value


@_keyword("format")
def _format(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if not isinstance(value, str):
        _unsupported(f"format {value!r}")
    if value in STRING_FORMATS:
        at.out["format"] = value  # checked by the same function, on strings only
        return
    if value not in ("int32", "int64"):
        return  # an unknown format passes (fastjsonschema would check some of its own)
    # Number formats apply to every number: it must be integral (and, for int32, in range).
    kinds = at.schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    in_range = {"minimum": INT32[0], "maximum": INT32[1]} if value == "int32" else {}
    if "number" in kinds or None in kinds:
        at.conjuncts.append({"if": {"type": "number"}, "then": {"type": "integer", **in_range}})
    elif in_range:
        at.conjuncts.append(in_range)  # `type` already lets only integers through as numbers


@_keyword("pattern")
def _pattern(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if not isinstance(value, str):
        _unsupported(f"pattern {value!r}")
    try:
        compile_pattern(value)
    except PatternError:
        return  # a pattern no engine can read constrains nothing (validation._pattern)
    # given to fastjsonschema under a name `re` reads: see `_patterns_named`
    at.out["pattern"] = value


@_keyword("properties")
def _properties(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    at.out["properties"] = {name: rw.schema(sub) for name, sub in _mapping(value).items()}


@_keyword("patternProperties")
def _pattern_properties(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    for pattern in _mapping(value):
        try:
            compile_pattern(pattern)
        except PatternError:
            _unsupported(f"patternProperties key {pattern!r} no engine can read")
    at.out["patternProperties"] = {pattern: rw.schema(sub) for pattern, sub in value.items()}


@_keyword("additionalProperties", "propertyNames", "not", "contains")
def _one(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if keyword == "contains" and ("minContains" in at.schema or "maxContains" in at.schema):
        _unsupported("minContains / maxContains")
    at.out[keyword] = rw.schema(value)


@_keyword("items")
def _items(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if isinstance(value, list):
        if rw.draft2020:
            _unsupported("items as a list in 2020-12")
        at.out["items"] = [rw.schema(sub) for sub in value]
    else:
        at.out["items"] = rw.schema(value)


@_keyword("additionalItems")
def _additional_items(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    items = at.schema.get("items", {})
    if isinstance(items, list):
        at.out["additionalItems"] = rw.schema(value)
    elif not isinstance(items, dict):
        _unsupported("additionalItems next to a boolean items")
    # next to one `items` schema (or none), additionalItems means nothing in either


@_keyword("allOf", "anyOf", "oneOf")
def _composed(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    if not isinstance(value, list) or (not value and keyword != "allOf"):
        _unsupported(f"{keyword} {value!r}")
    if not value:
        return
    branches = [rw.schema(sub) for sub in value]
    if keyword == "oneOf" and at.schema.get(ONE_OF_MAY_OVERLAP) is True:
        keyword = "anyOf"  # validation._one_of: a value may fit more than one branch
    selector = at.schema.get("discriminator") if keyword != "allOf" else None
    if selector is None:
        at.out[keyword] = branches
        return
    # validation._discriminated: on an object, the tag selects the one branch that applies.
    tag_name, mapping = _selector(selector, "mapping", len(branches))
    selected = [
        {
            "if": {"properties": {tag_name: {"enum": [tag]}}, "required": [tag_name]},
            "then": branches[target] if isinstance(target, int) else rw.schema(target),
        }
        for tag, target in mapping.items()
    ]
    known = {"required": [tag_name], "properties": {tag_name: {"type": "string", "enum": list(mapping)}}}
    # Without its tag, an object the tag may be missing from is checked as by plain oneOf/anyOf.
    decided: JsonObject = {"type": "object"}
    if selector.get("optional") is True:
        decided["required"] = [tag_name]
    at.conjuncts.append({"if": decided, "then": {"allOf": [known, *selected]}, "else": {keyword: branches}})


def _selector(selector: Json, word: str, count: int) -> tuple[str, JsonObject]:
    """The tag name and the tag table (`mapping` or `subtypes`) of a converted discriminator."""
    if not isinstance(selector, dict) or not isinstance(selector.get("propertyName"), str):
        _unsupported(f"discriminator {selector!r}")
    mapping = _mapping(selector.get(word))
    for target in mapping.values():
        in_range = isinstance(target, int) and not isinstance(target, bool) and 0 <= target < count
        if not in_range and not isinstance(target, dict):
            _unsupported(f"discriminator target {target!r}")
    return selector["propertyName"], mapping


@_keyword("if")
def _if(rw: _Rewrite, at: _Node, keyword: str, value: Json) -> None:
    at.out["if"] = rw.schema(value)
    for branch in ("then", "else"):
        if branch in at.schema:
            at.out[branch] = rw.schema(at.schema[branch])
