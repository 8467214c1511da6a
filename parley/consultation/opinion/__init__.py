"""The opinion map: Pol.is's vote-matrix maths, sparse and warm-started (pure: no Django)."""
