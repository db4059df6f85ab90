"""crosscontract's verification service: a Pact Broker's bi-directional verification backend.

Provider teams publish OpenAPI documents to it (the official `pactflow publish-provider-contract`
works unchanged); a Pact Broker's webhook tells it which pacts need verifying; it verifies them
with the engine and publishes the results back to the broker. Installed with the `[service]`
extra; nothing in the engine or the CLI imports it, except the `serve` command when it runs.
"""
