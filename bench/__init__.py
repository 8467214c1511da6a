"""Benchmarks (they print numbers; never unit tests). A package so that the bench settings
import as ``bench.settings_votes``."""
