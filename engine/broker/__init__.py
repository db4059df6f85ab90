"""The Pact Broker: client, HAL answers, verification payloads and the verification workflow.

    >>> from crosscontract.engine import load_spec
    >>> from crosscontract.engine.broker import Broker, BrokerAuth, PublishSettings, VerificationQuery, verify
    >>> with Broker("https://broker.example.com", BrokerAuth(token="...")) as broker:
    ...     run = verify(load_spec("openapi.yaml"), broker, provider="petstore",
    ...                  query=VerificationQuery(({"mainBranch": True},)),
    ...                  publish=PublishSettings("1.2.3", branch="main"))
    >>> run.report.success, run.published, run.unpublished

`client.py` sends the requests (the only module that imports httpx), `hal.py` reads the
answers, `payloads.py` builds what is sent, `workflow.py` runs the steps.
"""

from __future__ import annotations

from ..errors import BrokerError, BrokerProtocolError, BrokerRefusedError, BrokerUnavailableError
from .client import Broker, BrokerAuth, FetchedPact, VerificationQuery
from .hal import Notice, VerifiablePact
from .workflow import Listener, PublishSettings, Quiet, Unpublished, VerificationRun, verify

__all__ = [
    "Broker",
    "BrokerAuth",
    "BrokerError",
    "BrokerProtocolError",
    "BrokerRefusedError",
    "BrokerUnavailableError",
    "FetchedPact",
    "Listener",
    "Notice",
    "PublishSettings",
    "Quiet",
    "Unpublished",
    "VerifiablePact",
    "VerificationQuery",
    "VerificationRun",
    "verify",
]
