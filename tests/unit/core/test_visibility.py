"""The visibility table: which viewer reads which level (pure, no database)."""

from __future__ import annotations

import pytest

from parley.core.visibility import ANONYMOUS, Viewer, Visibility, can_see, strictest

LEAD = Viewer(user_id=1, is_lead=True, is_mediation=True, is_accredited=True)
TEAM = Viewer(user_id=2, is_mediation=True, is_accredited=True)
PARTY_A = Viewer(user_id=3, is_accredited=True, party_ids=frozenset({10}))
OBSERVER = Viewer(user_id=4, is_accredited=True)
PUBLIC_PARTICIPANT = Viewer(user_id=5)

P, PR, SG, PA, M, L = list(Visibility)
# Rows: viewer; columns: public, process, subgroup(audience A), party(A), party(B), mediation, lead
TABLE = [
    (LEAD, [1, 1, 1, 1, 1, 1, 1]),
    (TEAM, [1, 1, 1, 1, 1, 1, 0]),
    (PARTY_A, [1, 1, 1, 1, 0, 0, 0]),
    (OBSERVER, [1, 1, 0, 0, 0, 0, 0]),
    (PUBLIC_PARTICIPANT, [1, 0, 0, 0, 0, 0, 0]),
    (ANONYMOUS, [1, 0, 0, 0, 0, 0, 0]),
]
CELLS = [
    (P, None, frozenset()),
    (PR, None, frozenset()),
    (SG, None, frozenset({10})),
    (PA, 10, frozenset()),
    (PA, 20, frozenset()),
    (M, None, frozenset()),
    (L, None, frozenset()),
]


@pytest.mark.parametrize(("viewer", "expected"), TABLE)
def test_can_see_table(viewer, expected):
    got = [int(can_see(viewer, lvl, party_id=p, audience_ids=a)) for lvl, p, a in CELLS]
    assert got == expected


def test_strictest_picks_the_narrowest_audience():
    assert strictest(P, PA, PR) is PA
    assert strictest(L, P) is L
