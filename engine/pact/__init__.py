"""Consumer Pact files (v1 to v4), read whole or streamed."""
