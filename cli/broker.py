"""`compare` against a Pact Broker: the options, and the engine values they stand for.

The broker decides which pacts matter (consumer version selectors, pending and WIP
pacts); crosscontract compares them like local files, then tells the broker the outcome
per pact so that `can-i-deploy` can gate releases. That workflow is the engine's
(`engine.broker.workflow.verify`); here the options are checked (a meaningless combination
is a usage error) and turned into its query, credentials and publish settings.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from crosscontract.engine.broker.client import Broker, BrokerAuth, VerificationQuery
    from crosscontract.engine.broker.workflow import PublishSettings
    from crosscontract.engine.urls import Secrets

F = TypeVar("F", bound=Callable[..., Any])

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


LONGEST_TIMEOUT = 86_400.0
"""The broker client's MAX_TIMEOUT (a day), read here without loading the client."""


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    # FloatRange lets nan through: no comparison with it is ever true.
    if math.isnan(value):
        raise click.BadParameter("nan is not a number of seconds", param=param)
    return value


_TIMEOUT = click.option(
    "--broker-timeout",
    type=click.FloatRange(min=0, min_open=True, max=LONGEST_TIMEOUT),
    callback=_finite,
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a broker request (redirects included) after this long.",
)
_MAX_ANSWER = click.option(
    "--broker-max-answer",
    envvar="CROSSCONTRACT_BROKER_MAX_ANSWER",
    type=click.IntRange(min=1),
    default=64,
    show_default=True,
    metavar="MIB",
    help="Refuse a broker answer larger than this many MiB ($CROSSCONTRACT_BROKER_MAX_ANSWER).",
)
_ALLOW_HOST = click.option(
    "--allow-pact-host",
    "allow_pact_hosts",
    multiple=True,
    metavar="HOST[:PORT]",
    help="Also fetch pact URLs on this host, without the credentials (repeatable).",
)
_AUTH = (_URL, _TOKEN, _USERNAME, _PASSWORD, _TIMEOUT, _MAX_ANSWER, _ALLOW_HOST)

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
    max_answer_mib: int
    allow_hosts: tuple[str, ...]
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
            max_answer_mib=options.get("broker_max_answer", 64),
            allow_hosts=tuple(options.get("allow_pact_hosts", ())),
            publish=options["publish"],
            provider_app_version=options["provider_app_version"],
            provider_branch=options["provider_branch"],
            provider_tags=tuple(options["provider_tags"]),
            build_url=options["build_url"],
        )
        settings._check()
        return settings

    def _check(self) -> None:
        check_credentials(self.token, self.allow_hosts)
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

    def publication(self) -> PublishSettings | None:
        """What the results are published for; None: nothing is published."""
        from crosscontract.engine.broker.workflow import PublishSettings

        if not self.publish:
            return None
        assert self.provider_app_version is not None  # checked in `of`
        return PublishSettings(
            self.provider_app_version, self.provider_branch, self.provider_tags, self.build_url
        )


def check_credentials(token: str | None, allow_hosts: Sequence[str]) -> None:
    """A token no HTTP header can carry, or a host that is not one, is a usage error (never echoed)."""
    if token and not all("\x21" <= c <= "\x7e" for c in token):
        raise click.BadParameter(
            "it holds a line break, a space, a control character or a non-ASCII letter, which no "
            "HTTP header can carry as a bearer token (the token is not shown)",
            param_hint="--broker-token / PACT_BROKER_TOKEN",
        )
    if not allow_hosts:
        return
    from crosscontract.engine.broker.origins import host_rule  # loads the broker client

    for host in allow_hosts:
        try:
            host_rule(host)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--allow-pact-host") from None


SECRET_OPTIONS = {"--broker-token": "token", "--broker-password": "password", "--broker-username": "user"}
SECRET_VARIABLES = {
    "PACT_BROKER_TOKEN": "token",
    "PACT_BROKER_PASSWORD": "password",
    "PACT_BROKER_USERNAME": "user",
}


def secrets_in(argv: Sequence[str], environ: Mapping[str, str]) -> Secrets | None:
    """The credentials a command line carries, read before its options are parsed; None: none.

    From the options (`--broker-token T`, `--broker-token=T`), the environment, and the
    passwords in URLs (`https://user:secret@broker`), so that no message, not even a usage
    error quoting a value back, can show one.
    """
    found: dict[str, set[str]] = {"token": set(), "password": set(), "user": set()}
    for name, kind in SECRET_VARIABLES.items():
        if environ.get(name):
            found[kind].add(environ[name])
    for i, arg in enumerate(argv):
        option, equals, value = arg.partition("=")
        if option in SECRET_OPTIONS and equals:
            found[SECRET_OPTIONS[option]].add(value)
        elif arg in SECRET_OPTIONS and i + 1 < len(argv):
            found[SECRET_OPTIONS[arg]].add(argv[i + 1])
    values = [arg.partition("=")[2] if arg.startswith("--") else arg for arg in argv]
    urls = [u for u in (environ.get("PACT_BROKER_BASE_URL", ""), *values) if "@" in u]
    if not (urls or found["token"] or found["password"] or found["user"]):
        return None  # most runs: and `--help` loads nothing of the engine
    from crosscontract.engine.urls import Secrets, credentials_in, is_url

    in_urls = [pair for pair in map(credentials_in, filter(is_url, urls)) if pair]
    pairs = [*itertools.product([None, *found["user"]], found["password"] or [None]), *in_urls]
    return Secrets.of(*found["token"], *found["password"], *(p for _, p in in_urls), basic=pairs)


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


def wants_broker(settings: BrokerSettings, pacts: Sequence[str]) -> bool:
    """Whether this run talks to a broker: a provider to verify, or pacts given as URLs."""
    from crosscontract.engine.urls import is_url

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
    """The broker of this run: `--broker-url`, or else the origin of the first pact URL."""
    from crosscontract.engine.urls import is_url

    url = settings.url or _origin(next((p for p in pacts if is_url(p)), ""))
    if not url:
        raise click.UsageError("--provider needs --broker-url or PACT_BROKER_BASE_URL")
    return connect(url, settings.auth(), settings.timeout, settings.max_answer_mib, settings.allow_hosts)


def connect(
    url: str, auth: BrokerAuth, timeout: float, max_answer_mib: int, allow_hosts: Sequence[str]
) -> Broker:
    """A broker client for checked options; a URL that is not http(s) is a usage error."""
    from crosscontract.engine.broker.client import Broker
    from crosscontract.engine.urls import is_url

    if not is_url(url):
        raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="--broker-url")
    return Broker(
        url, auth, timeout=timeout, max_answer_bytes=max_answer_mib * 2**20, allow_hosts=allow_hosts
    )


def _origin(url: str) -> str:
    """`scheme://host[:port]` of a URL (the broker that served a pact URL)."""
    match = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*", url)
    return match.group(0) if match else ""
