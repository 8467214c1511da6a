"""The demo's consultation: an ILLUSTRATIVE poll of the Astana participants' three blocs.

Nothing here is historical. The reports say only that more than 30 people from opposition
groups, civil society and independent activists met, that foreign fighters (and whether
Hezbollah must leave too) divided them, and that they asked for another round. The statements
restate those points; the participants and their votes are generated from a fixed seed, so
the opinion map has something to show.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from parley.consultation import actions
from parley.consultation.access import access_for
from parley.consultation.models import Comparison, Conversation, Moderation
from parley.consultation.recompute import recompute
from parley.processes.models import Process

DEMO_CONVERSATION_SLUG = "astana-2015-consultation"
SEGMENTS = ("Opposition groups", "Civil society", "Independent activists")
SEED = 2015

# (statement, agree probability per illustrative opinion group); the last is a meta statement.
STATEMENTS: tuple[tuple[str, tuple[float, float, float]], ...] = (
    ("All foreign fighters should eventually leave Syria.", (0.9, 0.85, 0.8)),
    ("Hezbollah must leave Syria together with all other foreign fighters.", (0.9, 0.3, 0.6)),
    ("Foreign fighters need not withdraw immediately; their departure can be part of a "
     "political process.", (0.3, 0.8, 0.6)),
    ("Another round of talks should be held in Astana.", (0.85, 0.8, 0.75)),
    ("The government should be invited to the next round.", (0.2, 0.7, 0.5)),
    ("Every group that refrains from a joint document should say why, publicly.",
     (0.7, 0.75, 0.85)),
    ("Civil society should have seats of its own at the table.", (0.4, 0.95, 0.8)),
    ("Humanitarian access must be guaranteed before further talks.", (0.8, 0.6, 0.7)),
    ("Detainees should be released as a first confidence-building step.", (0.9, 0.8, 0.85)),
    ("Local ceasefires should come before a national agreement.", (0.3, 0.7, 0.5)),
    ("There can be no military solution to the conflict.", (0.6, 0.9, 0.8)),
    ("The names of those who take part in the talks should be published.", (0.3, 0.6, 0.8)),
)  # fmt: skip
META_STATEMENT = "These statements cover the points that matter most to me."
GROUP_SHARES = (0.45, 0.3, 0.25)
PARTICIPANTS = 120
PASS_RATE = 0.12


def load_demo_consultation(process: Process, mediator: object) -> tuple[Conversation, bool]:
    """Return the demo consultation, creating it first if it is missing (True if so)."""
    found = Conversation.objects.filter(slug=DEMO_CONVERSATION_SLUG).first()
    if found is not None:
        return found, False
    with transaction.atomic():
        conversation = actions.open_conversation(
            user=mediator, process=process, slug=DEMO_CONVERSATION_SLUG, data=_settings()
        )
        access = access_for(mediator, conversation)
        assert access is not None  # the mediator just opened it
        actions.import_log(access=access, statements=_statements(), votes=_votes(), source="demo")
    # Compute the first map now, so the results page has one before anyone votes.
    recompute(conversation.pk)
    return conversation, True


def _settings() -> dict[str, object]:
    return {
        "title": "Astana 2015: where do the three blocs stand? (illustrative)",
        "question": "Made-up votes on the points the reports say divided the Astana talks.",
        "moderation": Moderation.STRICT,
        "comparison": Comparison.SEGMENTS,
        "segments": list(SEGMENTS),
        "is_illustrative": True,
    }


def _statements() -> list[actions.ImportedStatement]:
    seeds = [actions.ImportedStatement(n, text) for n, (text, _) in enumerate(STATEMENTS, 1)]
    meta = actions.ImportedStatement(len(seeds) + 1, META_STATEMENT, is_meta=True)
    return [*seeds, meta]


def _votes() -> actions.ImportedVotes:
    """Generate the illustrative votes: each person belongs to one bloc and one view."""
    rng = np.random.default_rng(SEED)
    views = rng.choice(len(GROUP_SHARES), size=PARTICIPANTS, p=GROUP_SHARES)
    blocs = rng.integers(0, len(SEGMENTS), size=PARTICIPANTS)
    agree = np.array([probabilities for _, probabilities in STATEMENTS])
    rows: list[tuple[int, int, int]] = []
    for person in range(PARTICIPANTS):
        seen = rng.permutation(len(STATEMENTS))[: rng.integers(7, len(STATEMENTS) + 1)]
        for column in seen:
            rows.append((person, int(column) + 1, _vote(rng, agree[column, views[person]])))
    start = timezone.now() - timedelta(days=1)
    return actions.ImportedVotes(
        participant=[p for p, _, _ in rows],
        statement=[s for _, s, _ in rows],
        value=[v for _, _, v in rows],
        created_at=[start + timedelta(seconds=i) for i in range(len(rows))],
        segments={p: SEGMENTS[int(blocs[p])] for p in range(PARTICIPANTS)},
    )


def _vote(rng: np.random.Generator, agree_probability: float) -> int:
    if rng.random() < PASS_RATE:
        return 0
    return 1 if rng.random() < agree_probability else -1
