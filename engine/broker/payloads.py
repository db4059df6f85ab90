"""What the broker is told: verification results and provider contracts, built as plain JSON.

Pure functions of a `PactReport` (or a spec file) so the payloads can be checked without a
broker. The broker stores `testResults` as given; like other Pact verifiers, crosscontract
sends one entry per interaction, here carrying its findings in the report's vocabulary.
"""

from __future__ import annotations

import base64
from functools import cache
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path

from .._types import JsonObject
from ..check.findings import Finding
from ..check.report import InteractionResult, PactReport
from ..locations import mock_location, spec_location
from ..pact.reader import Skipped

IMPLEMENTATION = "crosscontract"


@cache  # the installed version does not change while the process runs; reading it costs ~1 ms
def crosscontract_version() -> str:
    try:
        return package_version("crosscontract")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def verified_by() -> JsonObject:
    return {"implementation": IMPLEMENTATION, "version": crosscontract_version()}


def verification_result(
    report: PactReport, provider_version: str, build_url: str | None = None
) -> JsonObject:
    """The body of a `pb:publish-verification-results` POST for one pact."""
    result: JsonObject = {
        "success": report.success,
        "providerApplicationVersion": provider_version,
        "verifiedBy": verified_by(),
        "testResults": sorted(
            [*map(_test_result, report.results), *map(_skipped_result, report.skipped)],
            key=lambda entry: int(entry["interactionIndex"]),  # in the file's order
        ),
    }
    if build_url:
        result["buildUrl"] = build_url
    return result


def _test_result(result: InteractionResult) -> JsonObject:
    interaction = result.interaction
    entry: JsonObject = {
        "interactionIndex": interaction.index,
        "interactionDescription": interaction.description,
        "interactionState": interaction.state,
        "success": result.ok,
        "mismatches": [_mismatch(f) for f in result.findings],
    }
    # Brokers and v4 pacts identify interactions by `_id` / `key`; pass them back when present.
    if interaction.id is not None:
        entry["interactionId"] = interaction.id
    if interaction.key is not None:
        entry["interactionKey"] = interaction.key
    return entry


def _skipped_result(skipped: Skipped) -> JsonObject:
    """An interaction not checked (e.g. a message): listed so the broker shows it was not verified."""
    return {
        "interactionIndex": skipped.index,
        "interactionDescription": skipped.description,
        "skipped": True,
        "reason": skipped.reason,
    }


def _mismatch(finding: Finding) -> JsonObject:
    return {
        "code": finding.code.code,
        "type": finding.severity.value,
        "message": finding.message,
        "mockLocation": mock_location(finding.at),
        "specLocation": spec_location(finding.spec.at),
    }


def contract_content_type(spec_file: str | Path, content: bytes) -> str:
    """application/json for a JSON document, application/yaml otherwise."""
    if str(spec_file).lower().endswith(".json") or content.lstrip()[:1] in (b"{", b"["):
        return "application/json"
    return "application/yaml"


def provider_contract(
    spec_file: str | Path,
    content: bytes,
    provider_version: str,
    *,
    branch: str | None = None,
    tags: tuple[str, ...] = (),
    build_url: str | None = None,
    self_verification: JsonObject,
) -> JsonObject:
    """The body of PactFlow's `pf:publish-provider-contract` POST."""
    body: JsonObject = {"pacticipantVersionNumber": provider_version}
    if tags:
        body["tags"] = list(tags)
    if branch:
        body["branch"] = branch
    if build_url:
        body["buildUrl"] = build_url
    body["contract"] = {
        "content": base64.b64encode(content).decode("ascii"),
        "contentType": contract_content_type(spec_file, content),
        "specification": "oas",
        "selfVerificationResults": self_verification,
    }
    return body


def self_verification(
    success: bool,
    *,
    content: bytes = b"",
    content_type: str = "text/plain",
    results_format: str = "text",
    verifier: str = IMPLEMENTATION,
    verifier_version: str | None = None,
) -> JsonObject:
    """The provider's own test outcome that PactFlow shows next to the contract."""
    return {
        "success": success,
        "content": base64.b64encode(content).decode("ascii"),
        "contentType": content_type,
        "format": results_format,
        "verifier": verifier,
        "verifierVersion": verifier_version
        or (crosscontract_version() if verifier == IMPLEMENTATION else ""),
    }
