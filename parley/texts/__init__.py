"""The single negotiating text: drafts, clauses, bracketed options, positions and amendments."""
