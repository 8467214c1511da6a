"""Page views, one module per area: thin, they fetch through the doors and call one action."""
