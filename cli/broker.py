"""`compare` against a Pact Broker: the options, and the engine values they stand for.

The broker decides which pacts matter (consumer version selectors, pending and WIP
pacts); crosscontract compares them like local files, then tells the broker the outcome
per pact so that `can-i-deploy` can gate releases. That workflow is the engine's
(`engine.broker.workflow.verify`); here the options are checked (a meaningless combination
is a usage error) and turned into its query, credentials and publish settings.

The options also answer to the names the Pact tools give them (`pact-broker`, `pactflow`,
`pact-provider-verifier`, `pact_verifier_cli`): `-b/--broker-base-url`, `-k`, `-u`, `-p`,
`-a/--provider-version`, `--provider-version-tag`, `--enable-pending`,
`--publish-verification-results`; and they follow the same rules: a token together with a
username or password is refused, and a run that finds no pacts fails unless told
(`--no-fail-if-no-pacts-found`), as the verifiers do.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click
from msgspec import Struct

from .terminal import say

if TYPE_CHECKING:
    from crosscontract.engine.broker.client import Broker, BrokerAuth, VerificationQuery
    from crosscontract.engine.broker.workflow import PublishSettings, VerificationRun
    from crosscontract.engine.urls import Secrets

F = TypeVar("F", bound=Callable[..., Any])

_URL = click.option(
    "--broker-url",
    "-b",
    "--broker-base-url",
    "broker_url",
    envvar="PACT_BROKER_BASE_URL",
    metavar="URL",
    help="Pact Broker base URL (default: $PACT_BROKER_BASE_URL).",
)
_TOKEN = click.option(
    "--broker-token",
    "-k",
    envvar="PACT_BROKER_TOKEN",
    metavar="TOKEN",
    help="Bearer token ($PACT_BROKER_TOKEN); not with a username or password.",
)
_USERNAME = click.option(
    "--broker-username",
    "-u",
    envvar="PACT_BROKER_USERNAME",
    metavar="USER",
    help="Basic auth user ($PACT_BROKER_USERNAME).",
)
_PASSWORD = click.option(
    "--broker-password",
    "-p",
    envvar="PACT_BROKER_PASSWORD",
    metavar="PASSWORD",
    help="Basic auth password ($PACT_BROKER_PASSWORD).",
)
_VERBOSE = click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Trace each broker request on stderr: method, URL, status, time (credentials never shown).",
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
_AUTH = (_URL, _TOKEN, _USERNAME, _PASSWORD, _TIMEOUT, _MAX_ANSWER, _ALLOW_HOST, _VERBOSE)

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
        help="The provider version's branch: asked for (matchingBranch, pending and WIP pacts) "
        "and, with --publish, set as the branch of the version published.",
    ),
    click.option(
        "--include-pending",
        "--enable-pending",
        "include_pending",
        is_flag=True,
        help="Ask for pending pacts; their failures fail no build.",
    ),
    click.option(
        "--include-wip-pacts-since",
        metavar="YYYY-MM-DD",
        help="Also verify work-in-progress pacts since this date.",
    ),
    *_AUTH[1:],
    click.option(
        "--fail-if-no-pacts-found/--no-fail-if-no-pacts-found",
        default=True,
        show_default=True,
        help="Exit 1 when the broker has no pact for --provider and the selectors (a mistyped name).",
    ),
    click.option(
        "--publish",
        "--publish-verification-results",
        "publish",
        is_flag=True,
        help="Publish a verification result for each pact to the broker.",
    ),
    click.option(
        "--provider-app-version",
        "-a",
        "--provider-version",
        "provider_app_version",
        metavar="VERSION",
        help="The provider version verified (for --publish).",
    ),
    click.option(
        "--provider-branch",
        metavar="BRANCH",
        help="The branch published for the provider version (default: --provider-version-branch; "
        "either sets both).",
    ),
    click.option(
        "--provider-tag",
        "--provider-version-tag",
        "provider_tags",
        multiple=True,
        metavar="TAG",
        help="Tag the provider version (repeatable).",
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


class BrokerSettings(Struct, frozen=True):
    """The broker options of one run, checked."""

    url: str | None
    provider: str | None
    selectors: tuple[dict[str, Any], ...]
    provider_version_branch: str | None
    include_pending: bool
    include_wip_pacts_since: str | None
    fail_if_no_pacts_found: bool
    token: str | None
    username: str | None
    password: str | None
    timeout: float
    max_answer_mib: int
    allow_hosts: tuple[str, ...]
    publish: bool
    provider_app_version: str | None
    provider_branch: str | None
    """The branch set for the provider version published."""
    provider_tags: tuple[str, ...]
    build_url: str | None
    verbose: bool = False

    def __repr__(self) -> str:
        from crosscontract.engine.urls import repr_hiding

        return repr_hiding(self, ("token", "password"))

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
        # One branch, as the verifiers read it: the provider version's. Either option names it
        # for both the query and the publication; given both, each keeps its own part (the
        # meaning they had before --provider-version-branch was also published).
        asked, published = options["provider_version_branch"], options["provider_branch"]
        settings = cls(
            url=options["broker_url"] or None,
            provider=options["provider"],
            selectors=selectors,
            provider_version_branch=asked or published,
            include_pending=options["include_pending"],
            include_wip_pacts_since=since,
            fail_if_no_pacts_found=options.get("fail_if_no_pacts_found", True),
            token=options["broker_token"] or None,
            username=options["broker_username"] or None,
            password=options["broker_password"],
            timeout=options["broker_timeout"],
            max_answer_mib=options.get("broker_max_answer", 64),
            allow_hosts=tuple(options.get("allow_pact_hosts", ())),
            publish=options["publish"],
            provider_app_version=options["provider_app_version"],
            provider_branch=published or asked,
            provider_tags=tuple(options["provider_tags"]),
            build_url=options["build_url"],
            verbose=options.get("verbose", False),
        )
        settings._check()
        return settings

    def _check(self) -> None:
        check_credentials(self.token, self.allow_hosts, self.username, self.password)
        if not self.provider and (self.selectors or self.include_pending or self.include_wip_pacts_since):
            raise click.UsageError("consumer version selectors and pending/WIP options need --provider")
        if not (self.provider or self.publish) and self.provider_version_branch:
            raise click.UsageError(
                "--provider-version-branch needs --provider (to ask the broker for that branch's "
                "pacts) or --publish (to publish it as the provider version's branch)"
            )
        if self.publish and not self.provider_app_version:
            raise click.UsageError("--publish needs --provider-app-version")
        if not self.publish and (self.provider_app_version or self.provider_tags or self.build_url):
            raise click.UsageError("--provider-app-version, --provider-tag and --build-url need --publish")

    def status_of(self, run: VerificationRun) -> int:
        """The exit status of a broker run: the run's, or 1 when it found no pacts to verify.

        Like the Pact verifiers (which exit 1), unless `--no-fail-if-no-pacts-found`: a
        mistyped provider name or a selector that matches nothing must not pass a build.
        The line says what was asked for, so the mistake can be seen.
        """
        if not (run.found_no_pacts and self.fail_if_no_pacts_found and run.exit_code == 0):
            return run.exit_code
        say(
            f"error: no pacts found for provider {self.provider!r} {self._asked()}: check the "
            "provider's name and the selectors (--no-fail-if-no-pacts-found to pass without pacts)"
        )
        return 1

    def _asked(self) -> str:
        import orjson

        if self.selectors:
            chosen = "with the selectors " + ", ".join(orjson.dumps(s).decode() for s in self.selectors)
        else:
            chosen = "with no selector (the latest pact of each consumer)"
        if self.include_wip_pacts_since:
            chosen += f", WIP pacts since {self.include_wip_pacts_since}"
        if self.provider_version_branch:
            chosen += f", provider version branch {self.provider_version_branch!r}"
        return chosen

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


def check_credentials(
    token: str | None, allow_hosts: Sequence[str], username: str | None = None, password: str | None = None
) -> None:
    """A token no HTTP header can carry, a token with a username or password, or a host that
    is not one, is a usage error (no credential ever echoed)."""
    if token and (username or password):
        # The Pact tools refuse the pair too: which one a broker would be sent is a guess.
        raise click.UsageError(
            f"a bearer token ({_source('broker_token', '--broker-token', 'PACT_BROKER_TOKEN')}) and "
            f"{_basic_source(username)} are both given: a broker takes one or the other, so drop "
            "the one it does not use (PactFlow takes tokens only)"
        )
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


def _source(name: str, option: str, variable: str) -> str:
    """Where an option's value came from, as a person would look for it: the option or the variable."""
    from click.core import ParameterSource

    ctx = click.get_current_context(silent=True)
    source = ctx.get_parameter_source(name) if ctx is not None else None
    if source is ParameterSource.ENVIRONMENT:
        return f"${variable}"
    if source is ParameterSource.COMMANDLINE:
        return option
    return f"{option} or ${variable}"


def _basic_source(username: str | None) -> str:
    if username:
        return f"a username ({_source('broker_username', '--broker-username', 'PACT_BROKER_USERNAME')})"
    return f"a password ({_source('broker_password', '--broker-password', 'PACT_BROKER_PASSWORD')})"


SECRET_OPTIONS = {
    "--broker-token": "token",
    "--broker-password": "password",
    "--broker-username": "user",
}
SECRET_SHORT = {"k": "token", "p": "password", "u": "user"}
"""The short names of the credential options (`-k TOKEN`, `-kTOKEN`)."""
SHORT_FLAGS = frozenset("qvh")
"""Short options without a value, which may come first in a cluster (`-vk TOKEN`)."""
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
    values = []
    for i, arg in enumerate(argv):
        following = argv[i + 1] if i + 1 < len(argv) else None
        option, equals, value = arg.partition("=")
        if option in SECRET_OPTIONS and equals:
            found[SECRET_OPTIONS[option]].add(value)
        elif arg in SECRET_OPTIONS and following is not None:
            found[SECRET_OPTIONS[arg]].add(following)
        elif arg.startswith("-") and not arg.startswith("--"):
            secret, given = _short(arg, following)
            if secret is not None and given is not None:
                found[secret].add(given)
            arg = given or arg  # `-bhttps://user:secret@broker`
        values.append(arg.partition("=")[2] if arg.startswith("--") else arg)
    urls = [u for u in (environ.get("PACT_BROKER_BASE_URL", ""), *values) if "@" in u]
    if not (urls or found["token"] or found["password"] or found["user"]):
        return None  # most runs: and `--help` loads nothing of the engine
    from crosscontract.engine.urls import Secrets, credentials_in, is_url

    in_urls = [pair for pair in map(credentials_in, filter(is_url, urls)) if pair]
    pairs = [*itertools.product([None, *found["user"]], found["password"] or [None]), *in_urls]
    return Secrets.of(*found["token"], *found["password"], *(p for _, p in in_urls), basic=pairs)


def _short(arg: str, following: str | None) -> tuple[str | None, str | None]:
    """(credential kind or None, the value) of a cluster of short options such as `-vkTOKEN`.

    The value is what follows the first option that takes one, in the same argument or the
    next; None when no option in the cluster takes one.
    """
    for at, letter in enumerate(arg[1:], start=2):
        if letter in SHORT_FLAGS:
            continue
        value = arg[at:] or following
        return SECRET_SHORT.get(letter), value
    return None, None


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
    return connect(
        url,
        settings.auth(),
        settings.timeout,
        settings.max_answer_mib,
        settings.allow_hosts,
        verbose=settings.verbose,
    )


def connect(
    url: str,
    auth: BrokerAuth,
    timeout: float,
    max_answer_mib: int,
    allow_hosts: Sequence[str],
    *,
    verbose: bool = False,
) -> Broker:
    """A broker client for checked options; a URL that is not http(s) is a usage error.

    `verbose`: each request is traced on stderr as it is answered (`--verbose`).
    """
    from crosscontract.engine.broker.client import Broker
    from crosscontract.engine.urls import is_url

    if not is_url(url):
        raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="--broker-url")
    return Broker(
        url,
        auth,
        timeout=timeout,
        max_answer_bytes=max_answer_mib * 2**20,
        allow_hosts=allow_hosts,
        trace=_trace if verbose else None,
    )


def _trace(line: str) -> None:
    say(f"trace: {line}")


def _origin(url: str) -> str:
    """`scheme://host[:port]` of a URL (the broker that served a pact URL)."""
    match = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*", url)
    return match.group(0) if match else ""
