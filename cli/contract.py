"""`crosscontract publish-provider-contract`: send the provider's OpenAPI document to PactFlow.

PactFlow stores the document with the provider's own test outcome (its "self-verification")
and compares consumer pacts with it. Without a test outcome given, the self-verification is
crosscontract's own check that the document reads as Swagger 2.0 or OpenAPI 3. Test results
given without their verdict (an exit code, or success or failure) are refused: publishing
them as a success would be a guess.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import terminal
from .broker import auth_options, check_credentials, connect
from .options import spec_path
from .terminal import fail, say

RESULT_OPTIONS = (
    ("verification_results", "--verification-results"),
    ("verification_results_content_type", "--verification-results-content-type"),
    ("verification_results_format", "--verification-results-format"),
    ("verifier", "--verifier"),
    ("verifier_version", "--verifier-version"),
)
"""The options that describe the provider's own test results, which need a verdict."""


@click.command("publish-provider-contract")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=str), callback=spec_path)
@click.option("--provider", required=True, metavar="NAME", help="The provider's name in the broker.")
@click.option(
    "--provider-app-version", "-a", required=True, metavar="VERSION", help="The provider version published."
)
@click.option("--branch", metavar="BRANCH", help="The provider version's branch.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Tag the provider version (repeatable).")
@click.option("--build-url", metavar="URL", help="The CI build that published.")
@click.option(
    "--verification-success/--no-verification-success",
    default=None,
    help="How the provider's own tests against the document went.",
)
@click.option(
    "--verification-exit-code", type=int, metavar="N", help="The provider tests' exit code (0 = success)."
)
@click.option(
    "--verification-results",
    type=click.Path(dir_okay=False, path_type=str),
    metavar="FILE",
    help="The provider tests' report, stored next to the contract.",
)
@click.option("--verification-results-content-type", default="text/plain", show_default=True, metavar="TYPE")
@click.option("--verification-results-format", default="text", show_default=True, metavar="FORMAT")
@click.option("--verifier", metavar="NAME", help="The tool that ran the provider tests.")
@click.option("--verifier-version", metavar="VERSION")
@click.option(
    "--validate-spec", is_flag=True, help="Check that SPEC is valid OpenAPI first (slow on large documents)."
)
@auth_options
def publish_provider_contract(
    spec: str,
    provider: str,
    provider_app_version: str,
    branch: str | None,
    tags: tuple[str, ...],
    build_url: str | None,
    verification_success: bool | None,
    verification_exit_code: int | None,
    verification_results: str | None,
    verification_results_content_type: str,
    verification_results_format: str,
    verifier: str | None,
    verifier_version: str | None,
    validate_spec: bool,
    broker_url: str | None,
    broker_token: str | None,
    broker_username: str | None,
    broker_password: str | None,
    broker_timeout: float,
    broker_max_answer: int,
    allow_pact_hosts: tuple[str, ...],
    verbose: bool,
) -> None:
    """Publish the OpenAPI document SPEC to PactFlow as PROVIDER's contract.

    Exit status: 0 published, 2 bad input or broker fault.

    \b
    Examples:
      crosscontract publish-provider-contract openapi.yaml --provider petstore \\
        --provider-app-version "$GIT_SHA" --branch main --verification-exit-code $TESTS_EXIT
    """
    from crosscontract.engine import InputError, load_spec
    from crosscontract.engine.broker.client import BrokerAuth, BrokerError
    from crosscontract.engine.broker.payloads import provider_contract, self_verification
    from crosscontract.engine.spec.bundle import bundle_spec
    from crosscontract.engine.spec.index import METHODS
    from crosscontract.engine.spec.validity import check_validity

    if verification_success is not None and verification_exit_code is not None:
        raise click.UsageError(
            "give --verification-success/--no-verification-success or --verification-exit-code"
        )
    results = _results_without_verdict(verification_success, verification_exit_code)
    if results:
        raise click.UsageError(
            f"{results} describes the provider's test results, but not how they went: add "
            "--verification-exit-code N or --verification-success/--no-verification-success "
            "(nothing was published)"
        )
    if not broker_url:
        raise click.UsageError("give --broker-url or PACT_BROKER_BASE_URL")
    check_credentials(broker_token, allow_pact_hosts, broker_username, broker_password)
    auth = BrokerAuth(broker_token or None, broker_username or None, broker_password)
    broker = connect(broker_url, auth, broker_timeout, broker_max_answer, allow_pact_hosts, verbose=verbose)
    try:
        loaded = load_spec(spec)
        bundle = bundle_spec(spec)  # the broker stores one file: a split spec goes as one document
        content = bundle.content
        if bundle.files:
            say(f"bundled {spec} with {', '.join(bundle.files)} into one document")
        if validate_spec:
            check_validity(bundle.document, spec)
        if verification_success is None and verification_exit_code is None:
            operations = sum(
                1
                for item in (loaded.document.get("paths") or {}).values()
                if isinstance(item, dict)
                for method in item
                if method in METHODS
            )
            outcome = self_verification(
                True, content=f"{spec}: a readable OpenAPI document with {operations} operations\n".encode()
            )
        else:
            success = (
                verification_exit_code == 0 if verification_exit_code is not None else verification_success
            )
            outcome = self_verification(
                bool(success),
                content=_read(verification_results) if verification_results else b"",
                content_type=verification_results_content_type,
                results_format=verification_results_format,
                verifier=verifier or "unknown",
                verifier_version=verifier_version,
            )
        body = provider_contract(
            spec,
            content,
            provider_app_version,
            branch=branch,
            tags=tags,
            build_url=build_url,
            self_verification=outcome,
        )
        with broker:
            answer = broker.publish_provider_contract(provider, body)
    except OSError as exc:
        fail(f"{spec}: cannot read file: {exc.strerror or exc}", "text")
    except (InputError, BrokerError) as exc:
        fail(str(exc), "text")
    notices = answer.get("notices") if isinstance(answer, dict) else None
    for notice in notices if isinstance(notices, list) else []:
        if isinstance(notice, dict) and isinstance(notice.get("text"), str):
            terminal.write(terminal.line(notice["text"]) + "\n")
    say(f"published {spec} as {provider} {provider_app_version}")
    sys.exit(0)


def _results_without_verdict(success: bool | None, exit_code: int | None) -> str | None:
    """The first test-result option given on the command line when no verdict was; else None."""
    from click.core import ParameterSource

    if success is not None or exit_code is not None:
        return None
    ctx = click.get_current_context()
    given = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    return next((option for name, option in RESULT_OPTIONS if ctx.get_parameter_source(name) in given), None)


def _read(path: str) -> bytes:
    from crosscontract.engine import InputError

    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read verification results: {exc.strerror or exc}") from None
