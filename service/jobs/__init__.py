"""Durable jobs: what a webhook or a publish leaves for the workers, and how workers take it."""
