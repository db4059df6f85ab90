"""Prometheus metrics, in a registry of the app's own (no process-global collectors).

Labels hold only outcomes and job kinds: never a token, a URL or a provider name, so nothing
secret or unbounded reaches `/metrics`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


class _QueueDepth(Collector):
    def __init__(self, counts: Callable[[], dict[str, int]]) -> None:
        self.counts = counts

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("crosscontract_jobs", "Jobs by state", labels=["state"])
        counts = self.counts()
        for state in ("queued", "running", "done", "failed"):
            family.add_metric([state], counts.get(state, 0))
        yield family


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.webhooks = Counter(
            "crosscontract_webhooks", "Webhook deliveries by outcome", ["outcome"], registry=self.registry
        )
        self.intake_seconds = Histogram(
            "crosscontract_intake_seconds", "Time to store a webhook's job and answer", registry=self.registry
        )
        self.publishes = Counter(
            "crosscontract_contracts_published", "Provider contracts published", registry=self.registry
        )
        self.jobs = Counter(
            "crosscontract_jobs_finished",
            "Job attempts by kind and outcome",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.job_seconds = Histogram(
            "crosscontract_job_seconds", "Time a job took to run", ["kind"], registry=self.registry
        )
        self.published = Counter(
            "crosscontract_verifications_published",
            "Verification results sent to the broker",
            ["success"],
            registry=self.registry,
        )

    def watch_queue(self, counts: Callable[[], dict[str, int]]) -> None:
        self.registry.register(_QueueDepth(counts))
