"""The access matrix: every route × every persona, generated from the URL resolver.

- ``inventory``: every (method, path) Parley serves, read from the resolver and the OpenAPI schema.
- ``vocabulary``: outcomes, persona groups, and the helpers the matrix is written with.
- ``world``: the personas' world plus a mediation-only process, a sample row of every kind,
  conversations, negotiating texts (circulated and working drafts, both parties' positions,
  amendments, comments, a closed draft's stored board) and more canaries.
- ``bodies``: valid request bodies, so that only authorisation can make a request fail.
- ``matrix``: the expectations table (start reading there).
- ``runner``: sends one cell's request and checks status, canaries (inside Word and PDF exports
  too), 404 bytes and side effects.
"""
