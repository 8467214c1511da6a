"""One sample row of every kind of record, for tests that must cover every kind.

References name other samples by key (``sample-<kind>``), so a test adds them in this order
(the registry's: parents first) with the keys ``sample-<kind>``.
"""

from __future__ import annotations

from typing import Any

from parley.processes.kinds import KINDS

# One public row of every kind, references given by key ("sample-<kind>"). Parents first.
SAMPLES: dict[str, dict[str, Any]] = {
    "sources": {"title": "Sample report", "url": "https://example.org/s", "published_on": "2015"},
    "venues": {"name": "Sample venue", "city": "Geneva", "kind": "neutral"},
    "actors": {"name": "Sample bloc", "kind": "independent_bloc"},
    "people": {"display_name": "Sample person", "affiliation": "sample-actors",
               "consent_to_be_named": "public"},
    "rounds": {"name": "Sample round", "sequence": 3, "venue": "sample-venues",
               "starts_on": "2015-06"},
    "sessions": {"round": "sample-rounds", "title": "Sample plenary", "held_on": "2015-06-02"},
    "participations": {"actor": "sample-actors", "round": "sample-rounds",
                       "category": "conflict_party"},
    "delegations": {"actor": "sample-actors", "round": "sample-rounds"},
    "delegation-members": {"delegation": "sample-delegations", "person": "sample-people",
                           "role": "head"},
    "role-assignments": {"role": "observer", "actor": "sample-actors"},
    "letters": {"kind": "invitation", "subject": "Sample invitation", "sent_on": "2015-01"},
    "letter-signatories": {"letter": "sample-letters", "order": 1, "actor": "sample-actors"},
    "issues": {"title": "Sample issue"},
    "positions": {"actor": "sample-actors", "issue": "sample-issues", "stance": "supports",
                  "visibility": "public"},
    "outcomes": {"title": "Sample outcome", "round": "sample-rounds", "adopted_on": "2015-06-03"},
    "endorsements": {"outcome": "sample-outcomes", "actor": "sample-actors", "act": "signed"},
}  # fmt: skip
assert list(SAMPLES) == list(KINDS), "one sample per kind, in the registry's order"
