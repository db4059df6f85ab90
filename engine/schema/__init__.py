"""Schemas: OpenAPI dialects to JSON Schema, compatibility policies, compiled validation."""
