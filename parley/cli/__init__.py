"""The `parley` command: demo, serve, import/export. Thin wrappers over actions and queries."""
