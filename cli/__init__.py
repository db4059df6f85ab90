"""Command-line interface of crosscontract."""
