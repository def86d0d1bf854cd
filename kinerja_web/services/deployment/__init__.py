"""Checks and helpers for running Kinerja on one or several hosts."""
