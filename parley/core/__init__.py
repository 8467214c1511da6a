"""Shared kernel: visibility levels, partial dates, errors, fields. Nothing domain-specific."""
