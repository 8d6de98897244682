"""Helpers for the tests: factories and small programs the tests run as child processes."""
