"""What a comparison is configured with, handed in explicitly, never kept by the process.

A long-running service runs many comparisons at once, for many specs, for weeks; the CLI
runs one. Everything that varies between them (how strictly responses are read, where
compiled checks and parsed YAML are kept, when a schema is worth compiling) is in one
frozen `EngineConfig` passed to `Comparator`, so two comparisons with two configurations
never see each other's settings or folders.

    >>> from crosscontract.engine import Comparator, EngineConfig, Options
    >>> strict = Comparator("openapi.yaml", EngineConfig(Options(required_properties_in_response=True)))
    >>> offline = Comparator("openapi.yaml", EngineConfig(store=None))  # the CLI's --no-cache
"""

from __future__ import annotations

from msgspec import Struct, field

from .schema.compiled import CompileRun, ValidatorCache
from .schema.diskstore import DiskStore
from .spec.index import Options

__all__ = ["EngineConfig", "Options"]


class EngineConfig(Struct, frozen=True):
    """Options, disk store and validator cache of the comparisons that share them.

    `EngineConfig()` is what the CLI runs with: default options, the disk store in the
    folder the environment names when the configuration is made (`DiskStore.default`),
    and a validator cache of its own. Comparators built with one configuration share its
    memo of compiled checks.
    """

    options: Options = field(default_factory=Options)
    store: DiskStore | None = field(default_factory=DiskStore.default)
    """Where compiled checks and parsed YAML documents are kept between runs; None: nowhere."""
    validators: ValidatorCache = field(default_factory=ValidatorCache)

    @classmethod
    def of(cls, given: Options | EngineConfig | None) -> EngineConfig:
        """`given` as a configuration: options alone get the defaults for the rest."""
        if isinstance(given, EngineConfig):
            return given
        return cls(given or Options())

    def start(self) -> CompileRun:
        """The fast checks as one new run sees them."""
        return self.validators.start(self.store)
