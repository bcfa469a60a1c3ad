"""Benchmarks that print our figures beside a reference tool's (run as scripts)."""
