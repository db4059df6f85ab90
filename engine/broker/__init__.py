"""The Pact Broker: client, verification payloads and the verification workflow."""
