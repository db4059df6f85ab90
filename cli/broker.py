"""`compare` against a Pact Broker: the options, fetching the pacts, publishing the results.

The broker decides which pacts matter (consumer version selectors, pending and WIP
pacts); crosscontract compares them like local files, then tells the broker the outcome
per pact so that `can-i-deploy` can gate releases.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from crosscontract.engine.broker.client import Broker, BrokerAuth, FetchedPact, VerificationQuery
    from crosscontract.engine.check.report import Report

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

PROGRESS_FROM = 5
"""Fewer pacts than this are fetched too fast for a progress bar to help."""

_URL = click.option(
    "--broker-url",
    envvar="PACT_BROKER_BASE_URL",
    metavar="URL",
    help="Pact Broker base URL (default: $PACT_BROKER_BASE_URL).",
)
_TOKEN = click.option(
    "--broker-token", envvar="PACT_BROKER_TOKEN", metavar="TOKEN", help="Bearer token ($PACT_BROKER_TOKEN)."
)
_USERNAME = click.option(
    "--broker-username",
    envvar="PACT_BROKER_USERNAME",
    metavar="USER",
    help="Basic auth user ($PACT_BROKER_USERNAME).",
)
_PASSWORD = click.option(
    "--broker-password",
    envvar="PACT_BROKER_PASSWORD",
    metavar="PASSWORD",
    help="Basic auth password ($PACT_BROKER_PASSWORD).",
)
_TIMEOUT = click.option(
    "--broker-timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a broker request after this long.",
)
_AUTH = (_URL, _TOKEN, _USERNAME, _PASSWORD, _TIMEOUT)

_OPTIONS = (
    _URL,
    click.option("--provider", metavar="NAME", help="Verify the pacts the broker holds for this provider."),
    click.option(
        "--consumer-version-selector",
        "selectors",
        multiple=True,
        metavar="JSON",
        help="A consumer version selector as JSON, e.g. '{\"mainBranch\": true}' (repeatable).",
    ),
    click.option("--main-branch", is_flag=True, help='Selector shorthand: {"mainBranch": true}.'),
    click.option(
        "--deployed-or-released", is_flag=True, help='Selector shorthand: {"deployedOrReleased": true}.'
    ),
    click.option("--matching-branch", is_flag=True, help='Selector shorthand: {"matchingBranch": true}.'),
    click.option(
        "--consumer-version-tag",
        "consumer_tags",
        multiple=True,
        metavar="TAG",
        help='Selector shorthand: {"tag": TAG, "latest": true} (repeatable).',
    ),
    click.option("--latest", is_flag=True, help='Selector shorthand: {"latest": true}.'),
    click.option(
        "--provider-version-branch",
        metavar="BRANCH",
        help="The provider branch being verified (for matchingBranch, pending and WIP pacts).",
    ),
    click.option(
        "--include-pending", is_flag=True, help="Ask for pending pacts; their failures fail no build."
    ),
    click.option(
        "--include-wip-pacts-since",
        metavar="YYYY-MM-DD",
        help="Also verify work-in-progress pacts since this date.",
    ),
    *_AUTH[1:],
    click.option(
        "--publish", is_flag=True, help="Publish a verification result for each pact to the broker."
    ),
    click.option(
        "--provider-app-version", metavar="VERSION", help="The provider version verified (for --publish)."
    ),
    click.option(
        "--provider-branch", metavar="BRANCH", help="The provider version's branch (for --publish)."
    ),
    click.option(
        "--provider-tag", "provider_tags", multiple=True, metavar="TAG", help="Tag the provider version."
    ),
    click.option("--build-url", metavar="URL", help="The CI build that verified (for --publish)."),
)


def broker_options(command: F) -> F:
    """Stack the broker options on a command (they reach it as keyword arguments)."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def auth_options(command: F) -> F:
    """Only the broker URL and credential options, for commands that just write to the broker."""
    for option in reversed(_AUTH):
        command = option(command)
    return command


@dataclass(frozen=True, slots=True)
class BrokerSettings:
    """The broker options of one run, checked."""

    url: str | None
    provider: str | None
    selectors: tuple[dict[str, Any], ...]
    provider_version_branch: str | None
    include_pending: bool
    include_wip_pacts_since: str | None
    token: str | None = field(repr=False)
    username: str | None
    password: str | None = field(repr=False)
    timeout: float
    publish: bool
    provider_app_version: str | None
    provider_branch: str | None
    provider_tags: tuple[str, ...]
    build_url: str | None

    @classmethod
    def of(cls, options: dict[str, Any]) -> BrokerSettings:
        """Read the options; a meaningless combination is a `click.UsageError`."""
        selectors = tuple(_selector(text) for text in options["selectors"])
        shorthands = (
            ("main_branch", {"mainBranch": True}),
            ("deployed_or_released", {"deployedOrReleased": True}),
            ("matching_branch", {"matchingBranch": True}),
            ("latest", {"latest": True}),
        )
        selectors += tuple(selector for flag, selector in shorthands if options[flag])
        selectors += tuple({"tag": tag, "latest": True} for tag in options["consumer_tags"])
        since = options["include_wip_pacts_since"]
        if since is not None and not _is_date(since):
            raise click.BadParameter(
                f"{since!r} is not a date (YYYY-MM-DD)", param_hint="--include-wip-pacts-since"
            )
        settings = cls(
            url=options["broker_url"] or None,
            provider=options["provider"],
            selectors=selectors,
            # Pending and WIP pacts are decided per provider branch: default to the one published.
            provider_version_branch=options["provider_version_branch"] or options["provider_branch"],
            include_pending=options["include_pending"],
            include_wip_pacts_since=since,
            token=options["broker_token"] or None,
            username=options["broker_username"] or None,
            password=options["broker_password"],
            timeout=options["broker_timeout"],
            publish=options["publish"],
            provider_app_version=options["provider_app_version"],
            provider_branch=options["provider_branch"],
            provider_tags=tuple(options["provider_tags"]),
            build_url=options["build_url"],
        )
        settings._check()
        return settings

    def _check(self) -> None:
        if not self.provider and (
            self.selectors
            or self.include_pending
            or self.include_wip_pacts_since
            or self.provider_version_branch
        ):
            raise click.UsageError("consumer version selectors and pending/WIP options need --provider")
        if self.publish and not self.provider_app_version:
            raise click.UsageError("--publish needs --provider-app-version")
        if not self.publish and (self.provider_app_version or self.provider_tags or self.build_url):
            raise click.UsageError("--provider-app-version, --provider-tag and --build-url need --publish")

    def auth(self) -> BrokerAuth:
        from crosscontract.engine.broker.client import BrokerAuth

        return BrokerAuth(self.token, self.username, self.password)

    def query(self) -> VerificationQuery:
        from crosscontract.engine.broker.client import VerificationQuery

        return VerificationQuery(
            self.selectors,
            self.provider_version_branch,
            self.provider_tags,
            self.include_pending,
            self.include_wip_pacts_since,
        )


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == len("YYYY-MM-DD")  # fromisoformat also reads 20260101


def _selector(text: str) -> dict[str, Any]:
    import orjson

    try:
        selector = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise click.BadParameter(f"{text!r} is not JSON", param_hint="--consumer-version-selector") from None
    if not isinstance(selector, dict) or not selector:
        raise click.BadParameter(f"{text!r} is not a JSON object", param_hint="--consumer-version-selector")
    return selector


def is_url(text: str) -> bool:
    return text[:8].lower().startswith(("http://", "https://"))  # schemes are case-insensitive


def wants_broker(settings: BrokerSettings, pacts: Sequence[str]) -> bool:
    """Whether this run talks to a broker: a provider to verify, or pacts given as URLs."""
    if settings.provider and pacts:
        raise click.UsageError("give pact files or --provider, not both")
    if not settings.provider and not pacts:
        raise click.UsageError(
            "missing argument 'PACTS...': give pact files or folders, or --provider and a broker"
        )
    if settings.publish and not (settings.provider or all(is_url(p) for p in pacts)):
        # a local file has nowhere to publish to: its result would be left out without a word
        raise click.UsageError("--publish needs pacts from a broker (--provider or pact URLs), not files")
    return bool(settings.provider) or any(is_url(p) for p in pacts)


def open_broker(settings: BrokerSettings, pacts: Sequence[str]) -> Broker:
    from crosscontract.engine.broker.client import Broker

    url = settings.url or _origin(next((p for p in pacts if is_url(p)), ""))
    if not url:
        raise click.UsageError("--provider needs --broker-url or PACT_BROKER_BASE_URL")
    if not is_url(url):
        raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="--broker-url")
    return Broker(url, settings.auth(), timeout=settings.timeout)


def _origin(url: str) -> str:
    """`scheme://host[:port]` of a URL (the broker that served a pact URL)."""
    match = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*", url)
    return match.group(0) if match else ""


def say(message: str) -> None:
    click.echo(f"crosscontract: {message}", err=True)


def fetch_pacts(broker: Broker, settings: BrokerSettings, pacts: Sequence[str]) -> list[FetchedPact]:
    """The pacts to compare: the broker's choice for the provider, or the URLs given."""
    from crosscontract.engine.broker.client import FOR_VERIFICATION, VerifiablePact

    if settings.provider:
        asked = settings.selectors or settings.include_pending or settings.include_wip_pacts_since
        if asked and not broker.supports(FOR_VERIFICATION):
            say(
                f"warning: the broker has no {FOR_VERIFICATION!r} relation, so it cannot choose pacts: "
                "selectors, pending and WIP options are ignored and the latest pact of each consumer "
                "is verified"
            )
        chosen = broker.pacts_for_verification(settings.provider, settings.query())
    else:
        chosen = tuple(VerifiablePact(p) for p in pacts if is_url(p))
    unique = list({source.url: source for source in chosen}.values())  # each pact once
    for source in unique:
        for notice in source.notices:
            if notice.when.startswith("before_verification"):
                say(f"broker: {notice.text}")
    with progress(unique, "Fetching pacts") as sources:
        return [broker.fetch_pact(source) for source in sources]


@contextmanager
def progress(items: Sequence[T], label: str) -> Iterator[Iterable[T]]:
    """A progress bar on stderr, only on a terminal and only when there are many items."""
    if len(items) < PROGRESS_FROM or not sys.stderr.isatty():
        yield items
        return
    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar


def after_verification(pact: FetchedPact, success: bool, published: bool) -> list[str]:
    """The broker's notices for this outcome (e.g. what a failure of a pending pact means)."""
    when = f"after_verification:success_{str(success).lower()}_published_{str(published).lower()}"
    # These notices do not say which pact they are about.
    return [
        f"broker: {pact.pact.consumer or pact.pact.file}: {notice.text}"
        for notice in pact.source.notices
        if notice.when == when
    ]


def mark_pending(report: Report, fetched: Sequence[FetchedPact]) -> Report:
    """The report with the broker's pending pacts marked as such."""
    pending = {f.pact.file for f in fetched if f.source.pending}
    if not pending:
        return report
    return replace(report, pacts=tuple(replace(p, pending=p.pact_file in pending) for p in report.pacts))


def publish_results(
    broker: Broker, settings: BrokerSettings, report: Report, fetched: Sequence[FetchedPact]
) -> int:
    """Publish one verification result per pact; say which were not published.

    Returns 0 when every result is published, 2 otherwise.
    """
    from crosscontract.engine.broker.client import BrokerError
    from crosscontract.engine.broker.payloads import verification_result

    assert settings.provider_app_version is not None  # checked by BrokerSettings
    provider = settings.provider or next((f.pact.provider for f in fetched if f.pact.provider), None)
    if provider and (settings.provider_branch or settings.provider_tags):
        try:
            broker.tag_provider_version(
                provider, settings.provider_app_version, settings.provider_branch, settings.provider_tags
            )
        except BrokerError as exc:
            # Without them a result counts for the wrong branch, and once they are fixed the
            # result published again would count twice: publish none.
            say(f"error: provider version branch/tags not set, so no result is published: {exc}")
            _say_unpublished([f.pact.file for f in fetched])
            return 2
    by_label = {p.pact_file: p for p in report.pacts}
    published: set[str] = set()
    unpublished: list[str] = []
    lines: list[str] = []  # said after the progress bar, not across it
    with progress(fetched, "Publishing results") as items:
        for pact in items:
            if pact.publish_url in published:
                continue
            result = by_label[pact.pact.file]
            body = verification_result(result, settings.provider_app_version, settings.build_url)
            try:
                broker.publish_verification(pact, body)
            except BrokerError as exc:
                lines.append(f"error: verification result not published for {pact.pact.file}: {exc}")
                unpublished.append(pact.pact.file)
            else:
                published.add(str(pact.publish_url))
            lines += after_verification(pact, result.success, pact.publish_url in published)
    for line in lines:
        say(line)
    if published:
        say(f"published {len(published)} verification result{'s' if len(published) != 1 else ''}")
    _say_unpublished(unpublished)
    return 2 if unpublished else 0


def _say_unpublished(labels: Sequence[str]) -> None:
    if labels:
        say(f"error: {len(labels)} verification result(s) not published: " + ", ".join(labels))
