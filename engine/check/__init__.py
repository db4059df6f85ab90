"""The comparison: result codes, findings, the rules, the one loop, the report."""
