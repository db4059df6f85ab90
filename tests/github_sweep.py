"""Sweep every operation of GitHub's REST API description with its own examples.

GitHub's description (`api.github.com.json`, OpenAPI 3.0.3, 13 MB, in `../shared/bench/github`)
is large and written by people other than us, so it is a good check that reading an
OpenAPI document never invents problems. For every operation (path x method) this module
builds interactions from the document alone:

- path parameters and required query/header parameters get their example, else the
  schema's enum/default/example, else a value of the declared type (a pattern's shortest match);
- the request carries the request body example, if any, with its media type;
- one interaction per response example (`example`, `examples.*.value`, `schema.example`),
  with that status, body and Content-Type; an operation without any example gets one
  interaction with its first declared status and no body.

Every interaction is then compared with the spec, loaded once. Every finding has been
reviewed and is listed, with its reason, in `github_sweep_known.json`: each is a place
where GitHub's example contradicts its own schema (`cause: github`). Any other finding
is a false positive of the engine.

    .venv/bin/python tests/github_sweep.py [SPEC]

prints the counts and every finding that is not in the reviewed list.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from crosscontract.engine import Comparator, Finding, Options, load_spec, parse_pact
from crosscontract.engine.locations import mock_location
from hypothesis import find, settings, strategies

ROOT = Path(__file__).resolve().parents[1]
GITHUB_SPEC = ROOT.parent / "shared" / "bench" / "github" / "api.github.com.json"
KNOWN_FILE = Path(__file__).with_name("github_sweep_known.json")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_INTERACTION_PREFIX = re.compile(r"^\[root\]\.interactions\[\d+\]\.")

Json = Any
Key = tuple[str, int, str, str, str, str]
_SHARED_MESSAGE = re.compile(r"^.* schema in the spec file: ")


@dataclass(frozen=True, slots=True)
class Row:
    """One finding of the sweep, in a form that does not depend on interaction order."""

    operation: str
    """`operationId`, or `METHOD path` without one."""
    status: int
    example: str
    """Which response example the body came from (`-` for none)."""
    code: str
    location: str | None
    """Where in the interaction, without the `[root].interactions[N].` prefix."""
    message: str
    """The finding's message, without the part every body finding shares."""

    def key(self) -> Key:
        return (self.operation, self.status, self.example, self.code, self.location or "", self.message)


@dataclass(frozen=True, slots=True)
class Built:
    """An interaction made from the spec, and where it came from."""

    operation: str
    status: int
    example: str
    interaction: dict[str, Json]


@dataclass(slots=True)
class SweepResult:
    operations: int = 0
    interactions: int = 0
    examples: int = 0
    """Example values checked: response examples plus request body examples."""
    findings: list[Row] = field(default_factory=list)
    crashes: list[tuple[str, str]] = field(default_factory=list)
    """(operation, exception) for each interaction the engine raised on."""
    seconds: float = 0.0


class Document:
    """The raw spec with local `$ref`s followed on demand."""

    def __init__(self, document: dict[str, Json]) -> None:
        self.root = document

    def resolve(self, value: Json) -> Json:
        seen = 0
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and seen < 64:
            value = self._at(value["$ref"])
            seen += 1
        return value

    def _at(self, ref: str) -> Json:
        assert ref.startswith("#/"), f"only local $refs are expected, got {ref}"
        node: Json = self.root
        for token in ref[2:].split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node


def operations(doc: Document) -> Iterator[tuple[str, str, dict[str, Json], list[dict[str, Json]]]]:
    """(path, method, operation, parameters) for every operation, operation parameters winning."""
    for path, raw_item in doc.root["paths"].items():
        item = doc.resolve(raw_item)
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            merged: dict[tuple[str, str], dict[str, Json]] = {}
            for raw in [*item.get("parameters", []), *operation.get("parameters", [])]:
                parameter = doc.resolve(raw)
                merged[(parameter["in"], parameter["name"])] = parameter
            yield path, method, operation, list(merged.values())


def build(doc: Document) -> Iterator[Built]:
    """Every interaction of the sweep, operation by operation."""
    for path, method, operation, parameters in operations(doc):
        name = operation.get("operationId") or f"{method.upper()} {path}"
        request = _request(doc, path, method, operation, parameters)
        responses: list[tuple[int, str, str | None, Json]] = list(_responses(doc, operation))
        if not responses:
            status = _first_status(operation)
            responses = [(status, "-", None, None)]
        for status, example, media_type, body in responses:
            headers = dict(request.get("headers", {}))
            response: dict[str, Json] = {"status": status}
            if media_type is not None:
                headers["Accept"] = media_type
                response["headers"] = {"Content-Type": media_type}
                response["body"] = body
            built = {**request, "headers": headers} if headers else dict(request)
            description = f"{name} {status} {example}"
            yield Built(
                name, status, example, {"description": description, "request": built, "response": response}
            )


def _first_status(operation: dict[str, Json]) -> int:
    codes = sorted(int(key) for key in operation["responses"] if key.isdigit())
    return codes[0] if codes else 200


def _request(
    doc: Document, path: str, method: str, operation: dict[str, Json], parameters: list[dict[str, Json]]
) -> dict[str, Json]:
    values = {p["name"]: parameter_value(doc, p) for p in parameters if p["in"] == "path"}
    # OpenAPI path parameters are one segment: a `/` in a value (GitHub's git refs) is escaped.
    concrete = re.sub(r"\{([^}]+)\}", lambda m: quote(values.get(m.group(1), "x"), safe=""), path)
    request: dict[str, Json] = {"method": method.upper(), "path": concrete}
    headers, query = _credentials(doc, operation)
    for p in parameters:
        if p["in"] == "query" and p.get("required"):
            query[p["name"]] = [parameter_value(doc, p)]
        elif p["in"] == "header" and p.get("required"):
            headers[p["name"]] = parameter_value(doc, p)
    if query:
        request["query"] = query
    body = _request_body(doc, operation)
    if body is not None:
        headers["Content-Type"], request["body"] = body
    if headers:
        request["headers"] = headers
    return request


def _credentials(doc: Document, operation: dict[str, Json]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(headers, query) meeting the first security requirement (GitHub's description declares none)."""
    requirements = operation.get("security", doc.root.get("security", []))
    headers: dict[str, str] = {}
    query: dict[str, list[str]] = {}
    if not requirements:
        return headers, query
    schemes = doc.root.get("components", {}).get("securitySchemes", {})
    cookies = []
    for scheme_name in requirements[0]:
        scheme = doc.resolve(schemes[scheme_name])
        kind, where = scheme["type"], scheme.get("in")
        if kind == "apiKey" and where == "header":
            headers[scheme["name"]] = "key"
        elif kind == "apiKey" and where == "query":
            query[scheme["name"]] = ["key"]
        elif kind == "apiKey":
            cookies.append(f"{scheme['name']}=key")
        elif kind == "http" and scheme.get("scheme", "").lower() == "basic":
            headers["Authorization"] = "Basic dXNlcjpwYXNz"
        else:  # http bearer, oauth2, openIdConnect
            headers["Authorization"] = "Bearer token"
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return headers, query


def _request_body(doc: Document, operation: dict[str, Json]) -> tuple[str, Json] | None:
    if "requestBody" not in operation:
        return None
    for media_type, media in doc.resolve(operation["requestBody"]).get("content", {}).items():
        for _name, value in media_examples(doc, media):
            return media_type, value
    return None


def _responses(doc: Document, operation: dict[str, Json]) -> Iterator[tuple[int, str, str, Json]]:
    for key, raw in operation["responses"].items():
        if not key.isdigit():
            continue
        for media_type, media in (doc.resolve(raw).get("content") or {}).items():
            for name, value in media_examples(doc, media):
                yield int(key), name, media_type, value


def media_examples(doc: Document, media: dict[str, Json]) -> Iterator[tuple[str, Json]]:
    """(name, value) of a media type's examples: `example`, `examples.*.value`, `schema.example`."""
    if "example" in media:
        yield "example", media["example"]
    for name, raw in (media.get("examples") or {}).items():
        example = doc.resolve(raw)
        if "value" in example:
            yield name, example["value"]
    schema = doc.resolve(media.get("schema"))
    if (
        "example" not in media
        and not media.get("examples")
        and isinstance(schema, dict)
        and "example" in schema
    ):
        yield "schema.example", schema["example"]


def parameter_value(doc: Document, parameter: dict[str, Json]) -> str:
    """A value the parameter's own declaration allows, as the text of a URL or header."""
    if "example" in parameter:
        return _text(parameter["example"])
    for raw in (parameter.get("examples") or {}).values():
        example = doc.resolve(raw)
        if "value" in example:
            return _text(example["value"])
    return _text(schema_value(doc, doc.resolve(parameter.get("schema", {}))))


def schema_value(doc: Document, schema: dict[str, Json]) -> Json:
    """A value of `schema`: its enum, default or example, else a plain value of its type."""
    for alternatives in ("oneOf", "anyOf"):
        if alternatives in schema:
            # The first branch, even where the text fits several: GitHub's `workflow_id` is
            # `oneOf: [integer, string]`, and `/workflows/1` must not fail as fitting both.
            schema = doc.resolve(schema[alternatives][0])
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("default", "example"):
        if key in schema:
            return schema[key]
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return max(1, int(schema.get("minimum", 1)))
    if kind == "boolean":
        return True
    if kind == "array":
        return schema_value(doc, doc.resolve(schema.get("items", {})))
    if "pattern" in schema:
        return shortest_match(schema["pattern"])
    formats = {"date": "2025-10-13", "date-time": "2025-10-13T00:00:00Z"}
    return formats.get(schema.get("format", ""), "example")


def shortest_match(pattern: str) -> str:
    """The simplest string the regular expression matches in full (found by shrinking)."""
    strategy = strategies.from_regex(pattern, fullmatch=True)
    return find(strategy, lambda _: True, settings=settings(database=None, derandomize=True))


def _text(value: Json) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def run(spec_path: Path = GITHUB_SPEC, options: Options | None = None) -> SweepResult:
    """Build and compare every interaction of the sweep."""
    started = time.perf_counter()
    comparator = Comparator(load_spec(spec_path), options)
    doc = Document(comparator.spec.document)
    built = list(build(doc))
    result = SweepResult(
        operations=sum(1 for _ in operations(doc)),
        interactions=len(built),
        examples=sum(b.example != "-" for b in built) + _request_examples(doc),
    )
    pact = parse_pact(
        {
            "consumer": {"name": "github-sweep"},
            "provider": {"name": "api.github.com"},
            "interactions": [b.interaction for b in built],
            "metadata": {"pactSpecification": {"version": "3.0.0"}},
        },
        "github-sweep.json",
    )
    for source, interaction in zip(built, pact.interactions, strict=True):
        try:
            findings = comparator.check_interaction(interaction)
        except Exception as exc:  # a crash is a result of the sweep, not its end
            result.crashes.append((source.operation, f"{type(exc).__name__}: {exc}"))
            continue
        result.findings.extend(_row(source, finding) for finding in findings)
    result.seconds = time.perf_counter() - started
    return result


def _request_examples(doc: Document) -> int:
    return sum(_request_body(doc, operation) is not None for _, _, operation, _ in operations(doc))


def _row(source: Built, finding: Finding) -> Row:
    location = mock_location(finding.at) and _INTERACTION_PREFIX.sub("", cast(str, mock_location(finding.at)))
    message = _SHARED_MESSAGE.sub("", finding.message)
    return Row(source.operation, source.status, source.example, finding.code.code, location, message)


def read_known(path: Path = KNOWN_FILE) -> Counter[Key]:
    """The reviewed findings the sweep is expected to give, each with its cause and reason.

    `cause` is `github`: the example contradicts GitHub's own schema; or `engine`: the engine
    says on purpose that it cannot check something (a body of a media type it cannot read).
    """
    groups = json.loads(path.read_text(encoding="utf-8"))
    known: Counter[Key] = Counter()
    for group in groups:
        assert group["cause"] in ("github", "engine"), group["cause"]
        assert group["reason"], group
        for operation, status, example, code, location, message in group["findings"]:
            known[(operation, status, example, code, location, message)] += 1
    return known


def main(argv: list[str]) -> int:
    spec = Path(argv[0]) if argv else GITHUB_SPEC
    result = run(spec)
    found = Counter(row.key() for row in result.findings)
    known = read_known() if KNOWN_FILE.is_file() else Counter()
    unexpected = found - known
    gone = known - found
    print(
        f"{result.operations} operations, {result.interactions} interactions, "
        f"{result.examples} examples, {len(result.findings)} findings "
        f"({len(result.findings) - unexpected.total()} reviewed), {len(result.crashes)} crashes, "
        f"{result.seconds:.1f} s"
    )
    for operation, error in result.crashes:
        print(f"crash: {operation}: {error}")
    for key in sorted(unexpected.elements()):
        print(f"unexpected: {key}")
    for key in sorted(gone.elements()):
        print(f"reviewed but not found: {key}")
    return 1 if result.crashes or unexpected or gone else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
