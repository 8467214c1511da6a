"""Shared kernel: visibility levels, partial dates, errors and the base model. Nothing domain-specific."""
