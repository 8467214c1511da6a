"""Scenario files shipped with Parley (a package so that installs include them)."""
