"""The `crosscontract` package itself, which holds only what `python -m crosscontract` runs.

The library and its front ends are its subpackages: `crosscontract.engine`,
`crosscontract.cli` and `crosscontract.service`.
"""
