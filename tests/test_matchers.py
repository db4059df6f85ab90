"""Matching rules and generators: every pact version's shape read into one model, looked up by pointer."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _build import interaction, pact
from click.testing import CliRunner
from crosscontract.cli.main import cli
from crosscontract.engine import InputError, Interaction, parse_pact, read_pact
from crosscontract.engine.pact.matchers import (
    ROOT,
    Generator,
    Generators,
    Matcher,
    MatchingRules,
    Part,
    PathExpression,
    Rule,
    Wildcard,
    parse_path,
    read_generators,
    read_matching_rules,
)

ROOT_DIR = Path(__file__).resolve().parents[1]
ANY, INDEX = Wildcard.FIELD, Wildcard.INDEX


def only(document: dict[str, Any]) -> Interaction:
    [found] = parse_pact(document, "pact.json").interactions
    return found


def rules(raw: dict[str, Any]) -> MatchingRules:
    return read_matching_rules(raw, "pact.json", "interactions[0].response.matchingRules")


def present(found: MatchingRules | None) -> MatchingRules:
    assert found is not None, "the pact gives no rules here"
    return found


def at(found: MatchingRules | None, part: Part, pointer: tuple[Any, ...] = ()) -> Rule:
    """The rule that applies at `pointer`, which must be one."""
    rule = present(found).rules_for(part, pointer)
    assert rule is not None, f"no rule at {part} {pointer}"
    return rule


def kinds(found: MatchingRules | None, part: Part, pointer: tuple[Any, ...] = ()) -> list[str]:
    return [m.kind for m in at(found, part, pointer).matchers]


def generated(found: Generators | None, part: Part, pointer: tuple[Any, ...] = ()) -> Generator | None:
    assert found is not None, "the pact gives no generators here"
    return found.generator_for(part, pointer)


# --- path expressions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("$", ()),
        ("$.a.b", ("a", "b")),
        ("$.items[*].id", ("items", INDEX, "id")),
        ("$[0].id", (0, "id")),
        ("$.*", (ANY,)),
        ("$.items[*].*", ("items", INDEX, ANY)),
        ("$['a.b']", ("a.b",)),
        ('$["x y"][2]', ("x y", 2)),
        ("$['it\\'s']", ("it's",)),
        ("$.a['*']", ("a", "*")),  # quoted: a key named '*', not a wildcard
        ("$.Content-Type", ("Content-Type",)),
        ("$.x:y#z@w", ("x:y#z@w",)),
    ],
)
def test_path_tokens(text: str, tokens: tuple[Any, ...]) -> None:
    assert parse_path(text) == PathExpression(tokens)
    assert parse_path(text).text == text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a.b", "it must start with '$'"),
        ("$a", "'a' at 1 where '.' or '[' should be"),
        ("$.a.", "a name must follow the '.' at 3"),
        ("$..a", "a name must follow the '.' at 1"),
        ("$.a[", "the '[' at 3 has no ']'"),
        ("$.a[x]", "[x] at 3 is neither an index, '*' nor a quoted name"),
        ("$['a]", "the name quoted at 2 is not closed by ']"),
        ("$.a]", "']' at 3 where '.' or '[' should be"),
    ],
)
def test_bad_paths(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(problem)}$"):
        parse_path(text)


# --- precedence --------------------------------------------------------------------------------


BODY = rules(
    {
        "body": {
            "$.items": {"matchers": [{"match": "type", "min": 1}]},
            "$.items[*].id": {"matchers": [{"match": "type"}]},
            "$.items[0].id": {"matchers": [{"match": "integer"}]},
            "$.meta": {"matchers": [{"match": "type"}]},
            "$.meta.*": {"matchers": [{"match": "regex", "regex": "[a-z]+"}]},
            "$.*.total": {"matchers": [{"match": "number"}]},
        }
    }
)


@pytest.mark.parametrize(
    ("pointer", "path"),
    [
        pytest.param(("items", 0, "id"), "$.items[0].id", id="an-exact-index-beats-a-wildcard"),
        pytest.param(("items", 1, "id"), "$.items[*].id", id="wildcard-index"),
        pytest.param(("items", "1", "id"), "$.items[*].id", id="index-as-pointer-text"),
        pytest.param(("items", 3, "name"), "$.items", id="cascades-to-children"),
        pytest.param(("items",), "$.items", id="the-path-itself"),
        pytest.param(("meta", "page"), "$.meta.*", id="longer-path-at-equal-weight"),
        pytest.param(("meta", 0), "$.meta.*", id="field-wildcard-matches-an-index"),
        pytest.param(("stats", "total"), "$.*.total", id="wildcard-then-name"),
        pytest.param(("meta", "total"), "$.meta.*", id="first-written-at-equal-weight-and-length"),
        pytest.param((), None, id="nothing-at-the-root"),
        pytest.param(("other",), None, id="no-rule-on-the-way"),
    ],
)
def test_the_most_specific_rule_applies(pointer: tuple[Any, ...], path: str | None) -> None:
    found = BODY.rules_for("body", pointer)
    assert (found.path.text if found else None) == path


def test_a_rule_below_the_pointer_does_not_apply() -> None:
    deep = rules({"body": {"$.a.b.c": {"matchers": [{"match": "type"}]}}})
    assert deep.rules_for("body", ("a", "b")) is None
    assert kinds(deep, "body", ("a", "b", "c", 0)) == ["type"]


def test_an_index_wildcard_needs_an_index() -> None:
    indexed = rules({"body": {"$.a[*]": {"matchers": [{"match": "type"}]}}})
    assert indexed.rules_for("body", ("a", "x")) is None
    assert indexed.rules_for("body", ("a", 7)) is not None


def test_weights_as_the_pact_specification_counts_them() -> None:
    assert parse_path("$").weight(("a",)) == 2
    assert parse_path("$.a.b").weight(("a", "b", "c")) == 8
    assert parse_path("$.a[0].b").weight(("a", 0, "b")) == 16
    assert parse_path("$.a[*].b").weight(("a", 0, "b")) == 8
    assert parse_path("$.*.*").weight(("a", "b")) == 2
    assert parse_path("$.a.c").weight(("a", "b")) == 0


def test_unknown_part_is_refused() -> None:
    with pytest.raises(ValueError, match="'headers' is not a part of a message"):
        MatchingRules().rules_for("headers", ())  # type: ignore[arg-type]


# --- v2 ---------------------------------------------------------------------------------------


# As pact-js (v2 spec) writes a response with eachLike/like/term; pact-jvm wrote `$.header`.
V2_RESPONSE = {
    "$.headers.Content-Type": {"match": "regex", "regex": "application\\/json"},
    "$.header.X-Request-Id": {"match": "type"},
    "$.body.items": {"min": 1},
    "$.body.items[*].*": {"match": "type"},
    "$.body.items[*].id": {"match": "regex", "regex": "^\\d+$"},
    "$.body.next": {"regex": "^\\/items\\?page=\\d+$"},
}
V2_REQUEST = {
    "$.query.page": {"match": "regex", "regex": "\\d+"},
    "$.path": {"match": "regex", "regex": "\\/items\\/\\d+"},
    "$.headers.Authorization": {"match": "regex", "regex": "Bearer .+"},
}


def test_v2_rules_read_per_part() -> None:
    raw = interaction("GET", "/items/1", query="page=2", headers={"Authorization": "Bearer t"})
    raw["request"]["matchingRules"] = V2_REQUEST
    raw["response"]["matchingRules"] = V2_RESPONSE
    read = only(pact(raw))
    request, response = present(read.request.matching_rules), present(read.response.matching_rules)
    assert kinds(request, "query", ("page",)) == ["regex"]
    assert request.rules_for("path") == Rule(ROOT, (Matcher("regex", regex="\\/items\\/\\d+"),))
    assert kinds(request, "header", ("authorization",)) == ["regex"]
    assert response.rules_for("header", ("Content-Type",)) == Rule(
        PathExpression(("content-type",)), (Matcher("regex", regex="application\\/json"),)
    )
    assert kinds(response, "header", ("x-request-id",)) == ["type"]
    assert response.rules_for("body", ("items",)) == Rule(
        PathExpression(("items",)), (Matcher("type", min=1),)
    )
    assert at(response, "body", ("items", 0, "name")).path.text == "$.body.items[*].*"
    assert at(response, "body", ("items", 0, "id")).path.text == "$.body.items[*].id"
    assert at(response, "body", ("next",)).matchers == (Matcher("regex", regex="^\\/items\\?page=\\d+$"),)
    assert (request.body, response.query, response.path) == ((), (), ())


def test_v2_and_v3_forms_of_the_same_rules_are_equal() -> None:
    v2 = rules(
        {"$.body.items[*].id": {"match": "type"}, "$.headers.Accept": {"match": "regex", "regex": "json"}}
    )
    v3 = rules(
        {
            "body": {"$.items[*].id": {"matchers": [{"match": "type"}], "combine": "AND"}},
            "header": {"Accept": {"matchers": [{"match": "regex", "regex": "json"}]}},
        }
    )
    assert v2 == v3
    assert v2.body[0].path.text == "$.body.items[*].id"


# --- v3 ---------------------------------------------------------------------------------------


# As pact-jvm 4.x writes a v3 pact: the format of a timestamp under the kind's name, the path as one rule.
V3_REQUEST = {
    "path": {"matchers": [{"match": "regex", "regex": "/orders/[0-9]+"}], "combine": "AND"},
    "query": {"since": {"matchers": [{"match": "date", "date": "yyyy-MM-dd"}], "combine": "AND"}},
    "header": {"X-Api-Version": {"matchers": [{"match": "integer"}], "combine": "AND"}},
}
V3_RESPONSE = {
    "body": {
        "$.id": {"matchers": [{"match": "integer"}], "combine": "AND"},
        "$.placedAt": {"matchers": [{"match": "timestamp", "timestamp": "yyyy-MM-dd'T'HH:mm:ssXXX"}]},
        "$.status": {
            "matchers": [{"match": "regex", "regex": "OPEN|CLOSED"}, {"match": "include", "value": "O"}],
            "combine": "OR",
        },
        "$.lines": {"matchers": [{"match": "type", "min": 1, "max": 10}]},
        "$.lines[*].price": {"matchers": [{"match": "decimal"}]},
        "$.note": {"matchers": [{"match": "null"}]},
        "$.paid": {"matchers": [{"match": "boolean"}]},
        "$.meta": {"matchers": [{"match": "values"}]},
    },
    "header": {"Content-Type": {"matchers": [{"match": "regex", "regex": "application/json.*"}]}},
}
V3_GENERATORS = {
    "body": {
        "$.id": {"type": "RandomInt", "min": 1, "max": 999},
        "$.ref": {"type": "Uuid", "format": "simple"},
    },
    "header": {"X-Trace": {"type": "RandomHexadecimal", "digits": 16}},
    "path": {"type": "ProviderState", "expression": "/orders/${orderId}", "dataType": "STRING"},
}


def test_v3_rules_and_generators() -> None:
    raw = interaction("GET", "/orders/1", query={"since": ["2024-01-01"]})
    raw["request"]["matchingRules"] = V3_REQUEST
    raw["request"]["generators"] = {"path": V3_GENERATORS["path"]}
    raw["response"]["matchingRules"] = V3_RESPONSE
    raw["response"]["generators"] = {k: v for k, v in V3_GENERATORS.items() if k != "path"}
    read = only(pact(raw, version="3.0.0"))
    request, response = read.request, read.response
    assert present(request.matching_rules).rules_for("path") == Rule(
        ROOT, (Matcher("regex", regex="/orders/[0-9]+"),)
    )
    assert at(request.matching_rules, "query", ("since", 0)).matchers == (
        Matcher("date", format="yyyy-MM-dd"),
    )
    assert kinds(request.matching_rules, "header", ("x-api-version",)) == ["integer"]
    body = present(response.matching_rules)
    assert at(body, "body", ("placedAt",)).matchers == (
        Matcher("timestamp", format="yyyy-MM-dd'T'HH:mm:ssXXX"),
    )
    status = body.rules_for("body", ("status",))
    assert status == Rule(
        PathExpression(("status",)),
        (Matcher("regex", regex="OPEN|CLOSED"), Matcher("include", value="O")),
        "OR",
    )
    assert at(body, "body", ("lines",)).matchers == (Matcher("type", min=1, max=10),)
    assert kinds(body, "body", ("lines", 4, "price")) == ["decimal"]
    assert [kinds(body, "body", (k,)) for k in ("note", "paid", "meta")] == [
        ["null"],
        ["boolean"],
        ["values"],
    ]
    assert generated(request.generators, "path") == Generator(
        "ProviderState", expression="/orders/${orderId}"
    )
    assert generated(response.generators, "body", ("id",)) == Generator("RandomInt", min=1, max=999)
    assert generated(response.generators, "body", ("ref",)) == Generator("Uuid", format="simple")
    assert generated(response.generators, "header", ("x-trace",)) == Generator("RandomHexadecimal", digits=16)


def test_a_generator_does_not_cascade() -> None:
    generators = read_generators(
        {"body": {"$.id": {"type": "RandomInt"}, "$.items[*].id": {"type": "RandomString", "size": 8}}},
        "pact.json",
        "interactions[0].response.generators",
    )
    assert generators.generator_for("body", ("id",)) == Generator("RandomInt")
    assert generators.generator_for("body", ("id", "x")) is None
    assert generators.generator_for("body", ("items", 2, "id")) == Generator("RandomString", size=8)
    assert generators.generator_for("body", ()) is None


# --- v4 ---------------------------------------------------------------------------------------


# As pact-js 13 / pact-rust write v4 matchers: eachKey/eachValue, arrayContains, statusCode, notEmpty, semver.
V4_RESPONSE = {
    "status": {"matchers": [{"match": "statusCode", "status": "success"}], "combine": "AND"},
    "body": {
        "$.labels": {
            "combine": "AND",
            "matchers": [
                {
                    "match": "eachKey",
                    "rules": [{"match": "regex", "regex": "^[a-z]+$"}],
                    "value": {"env": "prod"},
                },
                {"match": "eachValue", "rules": [{"match": "type"}], "value": {"env": "prod"}},
            ],
        },
        "$.actions": {
            "combine": "AND",
            "matchers": [
                {
                    "match": "arrayContains",
                    "variants": [
                        {
                            "index": 1,
                            "rules": {"$.name": {"combine": "AND", "matchers": [{"match": "type"}]}},
                            "generators": {"$.id": {"type": "RandomInt", "min": -5, "max": 5}},
                        }
                    ],
                }
            ],
        },
        "$.name": {"combine": "AND", "matchers": [{"match": "notEmpty"}]},
        "$.version": {"combine": "AND", "matchers": [{"match": "semver"}]},
        "$.image": {"combine": "AND", "matchers": [{"match": "content-type", "value": "image/png"}]},
        "$.when": {"combine": "AND", "matchers": [{"match": "datetime", "format": "yyyy-MM-dd HH:mm"}]},
        "$.later": {"combine": "AND", "matchers": [{"match": "somethingNew", "option": 1}]},
    },
}


def test_v4_rules_per_request_and_response() -> None:
    http = {
        "type": "Synchronous/HTTP",
        "key": "k",
        "description": "v4",
        "request": {
            "method": "GET",
            "path": "/things",
            "matchingRules": {
                "query": {"q": {"combine": "AND", "matchers": [{"match": "regex", "regex": "[a-z]+"}]}}
            },
        },
        "response": {"status": 200, "matchingRules": V4_RESPONSE},
    }
    read = only(pact(http, version="4.0"))
    assert kinds(read.request.matching_rules, "query", ("q",)) == ["regex"]
    assert present(read.request.matching_rules).rules_for("status") is None
    response = present(read.response.matching_rules)
    assert response.rules_for("status") == Rule(ROOT, (Matcher("statusCode", status="success"),))
    labels = response.rules_for("body", ("labels", "env"))
    assert labels is not None
    assert labels.matchers == (
        Matcher("eachKey", rules=(Matcher("regex", regex="^[a-z]+$"),), value={"env": "prod"}),
        Matcher("eachValue", rules=(Matcher("type"),), value={"env": "prod"}),
    )
    [contains] = at(response, "body", ("actions",)).matchers
    [variant] = contains.variants
    assert (variant.index, variant.rules) == (1, (Rule(PathExpression(("name",)), (Matcher("type"),)),))
    assert [(g.path, g.generator) for g in variant.generators] == [
        (PathExpression(("id",)), Generator("RandomInt", min=-5, max=5))
    ]
    assert [kinds(response, "body", (k,)) for k in ("name", "version", "image", "when", "later")] == [
        ["notEmpty"],
        ["semver"],
        ["contentType"],
        ["timestamp"],
        ["somethingNew"],  # kept as written: a later Pact version's matcher
    ]


def test_status_codes_as_a_list() -> None:
    found = rules({"status": {"$": {"matchers": [{"match": "statusCode", "status": [200, 201]}]}}})
    assert found.rules_for("status") == Rule(
        PathExpression((), "$"), (Matcher("statusCode", status=(200, 201)),)
    )


# --- real pacts --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["pact-python-v3-catalogue", "pact-python-v4-catalogue"])
def test_pact_python_catalogue(case: str) -> None:
    """pact-python 4.x (pact-rust core): `eachLike` of `like` fields, integers, regexes."""
    interactions = list(read_pact(ROOT_DIR / "fixtures" / "cases" / case / "pact.json").interactions)
    listing = next(
        i
        for i in interactions
        if i.response.matching_rules and i.response.matching_rules.body[0].path == ROOT
    )
    body = present(listing.response.matching_rules)
    assert body.rules_for("body", ()) == Rule(PathExpression((), "$"), (Matcher("type", min=1),))
    assert kinds(body, "body", (3, "id")) == ["integer"]
    assert kinds(body, "body", (0, "author", "name")) == ["type"]
    assert at(body, "body", (0, "isbn")).matchers == (Matcher("regex", regex="^97[89][0-9]{10}$"),)
    assert body.rules_for("body", (0, "publisher")) == body.rules_for("body", ())  # cascades from `$`
    assert all(i.request.matching_rules is None for i in interactions)


def test_pact_js_example_pact() -> None:
    """pact-js 12 (v3): a request header regex, and a response `timestamp` and `Uuid` generator."""
    pact_file = ROOT_DIR / "fixtures" / "example" / "pacts" / "petstore-mobile-petstore-api.json"
    interactions = list(read_pact(pact_file).interactions)
    authorised = [i for i in interactions if i.request.matching_rules]
    assert authorised
    for read in authorised:
        assert at(read.request.matching_rules, "header", ("AUTHORIZATION",)).matchers == (
            Matcher("regex", regex="^Bearer .+$"),
        )
    placed = next(i for i in interactions if i.response.generators)
    assert generated(placed.response.generators, "body", ("id",)) == Generator("Uuid")
    assert at(placed.response.matching_rules, "body", ("placedAt",)).matchers == (
        Matcher("timestamp", format="yyyy-MM-dd'T'HH:mm:ssXXX"),
    )


def test_no_rules_cost_nothing(tmp_path: Path) -> None:
    """A pact without rules reads to None, without even importing the matcher model."""
    read = only(pact(interaction()))
    assert (read.request.matching_rules, read.request.generators) == (None, None)
    assert (read.response.matching_rules, read.response.generators) == (None, None)
    pact_file = tmp_path / "pact.json"
    pact_file.write_text(json.dumps(pact(interaction())))
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    program = (
        f"import sys; from crosscontract.engine import compare; compare({spec!r}, [{str(pact_file)!r}]); "
        "print('crosscontract.engine.pact.matchers' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


def test_empty_rules_are_empty() -> None:
    assert not rules({})
    assert not read_generators({}, "pact.json", "interactions[0].request.generators")
    assert rules({"body": {"$": {"matchers": []}}})


def test_rules_are_frozen_values() -> None:
    found = rules(V3_RESPONSE)
    assert hash(found) == hash(rules(V3_RESPONSE))
    with pytest.raises(AttributeError):
        found.body = ()  # type: ignore[misc]


# --- malformed rules ---------------------------------------------------------------------------


def _type(**extra: Any) -> dict[str, Any]:
    return {"matchers": [{"match": "type", **extra}]}


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        pytest.param([], " must be an object", id="not-an-object"),
        pytest.param({"body": []}, ".body must be an object", id="category-not-an-object"),
        pytest.param(
            {"body": {"id": _type()}},
            ".body[\"id\"] is not a path: body rules are keyed by paths such as '$.id'",
            id="body-key-not-a-path",
        ),
        pytest.param(
            {"body": {"$.a[": _type()}},
            ".body[\"$.a[\"] is not a path: the '[' at 3 has no ']'",
            id="bad-path",
        ),
        pytest.param({"body": {"$.a": {}}}, ".body[\"$.a\"] has no 'matchers' list", id="no-matchers"),
        pytest.param(
            {"body": {"$.a": {"matchers": {}}}},
            '.body["$.a"].matchers must be a list',
            id="matchers-not-a-list",
        ),
        pytest.param(
            {"body": {"$.a": {"matchers": [1]}}},
            '.body["$.a"].matchers[0] must be an object',
            id="matcher-not-an-object",
        ),
        pytest.param(
            {"body": {"$.a": {"matchers": [{"match": "type"}, {"match": "regex", "regex": 5}]}}},
            '.body["$.a"].matchers[1].regex must be a string',
            id="regex-not-text",
        ),
        pytest.param(
            {"body": {"$.a": {"matchers": [{"match": "regex"}]}}},
            ".body[\"$.a\"].matchers[0] has no 'regex' (the regex matcher needs one)",
            id="regex-missing",
        ),
        pytest.param(
            {"body": {"$.a": _type(min=-1)}},
            '.body["$.a"].matchers[0].min must be a whole number, 0 or more',
            id="negative-min",
        ),
        pytest.param(
            {"body": {"$.a": _type(max=True)}},
            '.body["$.a"].matchers[0].max must be a whole number, 0 or more',
            id="boolean-max",
        ),
        pytest.param(
            {"body": {"$.a": {"matchers": [{"match": 3}]}}},
            '.body["$.a"].matchers[0].match must be a string',
            id="match-not-text",
        ),
        pytest.param(
            {"body": {"$.a": {"matchers": [{"match": "include"}]}}},
            ".body[\"$.a\"].matchers[0] has no 'value' (the include matcher needs one)",
            id="include-without-value",
        ),
        pytest.param(
            {"body": {"$.a": {**_type(), "combine": "XOR"}}},
            '.body["$.a"].combine must be "AND" or "OR"',
            id="bad-combine",
        ),
        pytest.param(
            {
                "body": {
                    "$.a": {"matchers": [{"match": "eachValue", "rules": [{"match": "regex", "regex": []}]}]}
                }
            },
            '.body["$.a"].matchers[0].rules[0].regex must be a string',
            id="nested-each-value-rule",
        ),
        pytest.param(
            {
                "body": {
                    "$.a": {"matchers": [{"match": "arrayContains", "variants": [{"rules": {"x": _type()}}]}]}
                }
            },
            '.body["$.a"].matchers[0].variants[0].rules["x"] is not a path:'
            " body rules are keyed by paths such as '$.id'",
            id="array-contains-variant",
        ),
        pytest.param(
            {"status": {"matchers": [{"match": "statusCode", "status": "fine"}]}},
            ".status.matchers[0].status must be a list of status codes or one of"
            " clientError, error, info, nonError, redirect, serverError, success",
            id="bad-status-class",
        ),
        pytest.param(
            {"path": {"/x": _type()}},
            ".path[\"/x\"] is not a path: the path is one value, keyed '$' if at all",
            id="path-keyed",
        ),
        pytest.param(
            {"$.body.a": {"match": "type"}, "body": {}},
            "[\"body\"] is not a path: a v2 map is keyed by paths such as '$.body.id'",
            id="v2-mixed-with-v3",
        ),
        pytest.param(
            {"$.bogus.a": {"match": "type"}},
            '["$.bogus.a"] names no part of a message: body, headers, query or path',
            id="v2-no-part",
        ),
        pytest.param(
            {"$.path.a": {"match": "type"}},
            '["$.path.a"] goes below the path, which is one value',
            id="v2-below-the-path",
        ),
        pytest.param(
            {"$.body.a": {"other": 1}},
            "[\"$.body.a\"] has no 'match' and no field that implies one (regex, min, max)",
            id="v2-no-match",
        ),
    ],
)
def test_malformed_rules_name_the_file_and_where(raw: Any, where: str) -> None:
    document = pact(interaction())
    document["interactions"][0]["response"]["matchingRules"] = raw
    with pytest.raises(InputError) as raised:
        parse_pact(document, "web-api.json")
    assert raised.value.source == "web-api.json"
    assert raised.value.reason == f"interactions[0].response.matchingRules{where}"


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        pytest.param(3, " must be an object", id="not-an-object"),
        pytest.param({"body": {"$.id": {"min": 1}}}, ".body[\"$.id\"] has no 'type'", id="no-type"),
        pytest.param(
            {"body": {"$.id": {"type": 1}}}, '.body["$.id"].type must be a string', id="type-not-text"
        ),
        pytest.param(
            {"body": {"$.id": {"type": "RandomInt", "min": "1"}}},
            '.body["$.id"].min must be a whole number',
            id="min-text",
        ),
        pytest.param(
            {"header": {"X": {"type": "RandomString", "size": -1}}},
            '.header["X"].size must be a whole number, 0 or more',
            id="negative-size",
        ),
        pytest.param(
            {"path": {"type": "ProviderState", "expression": 5}},
            ".path.expression must be a string",
            id="path-expression",
        ),
    ],
)
def test_malformed_generators_name_the_file_and_where(raw: Any, where: str) -> None:
    document = pact(interaction(), version="3.0.0")
    document["interactions"][0]["request"]["generators"] = raw
    with pytest.raises(InputError) as raised:
        parse_pact(document, "web-api.json")
    assert raised.value.reason == f"interactions[0].request.generators{where}"


def test_malformed_rules_are_one_line_from_the_cli(tmp_path: Path) -> None:
    document = pact(interaction())
    document["interactions"][0]["request"]["matchingRules"] = {"body": {"$.a": {"matchers": "type"}}}
    pact_file = tmp_path / "pact.json"
    pact_file.write_text(json.dumps(document))
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}))
    result = CliRunner().invoke(cli, ["compare", str(spec), str(pact_file)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"crosscontract: error: {pact_file}: "
        'interactions[0].request.matchingRules.body["$.a"].matchers must be a list\n'
    )
