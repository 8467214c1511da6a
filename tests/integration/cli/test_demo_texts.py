"""The demo's negotiating text: three illustrative drafts of the Astana joint document."""

from __future__ import annotations

import re
import sqlite3

import pytest
from django.contrib.auth import get_user_model

from parley.consultation.demo import load_demo_consultation
from parley.processes import demo
from parley.processes.models import Actor, Process
from parley.texts.demo import DEMO_TEXT_KEY, FIGHTERS, load_demo_text
from parley.texts.document import Bracket
from parley.texts.format import parse_body
from parley.texts.models import (
    Amendment,
    Clause,
    ClausePosition,
    Comment,
    NegotiatingText,
    TextVersion,
)
from parley.texts.queries import doc_of
from tests.integration.cli.test_demo_command import parley

pytestmark = pytest.mark.django_db
SHA256 = re.compile(r"[0-9a-f]{64}")


@pytest.fixture
def demo_text() -> NegotiatingText:
    process, _ = demo.load_demo()
    demo.ensure_demo_logins(process)
    mediator = get_user_model().objects.get(username="mediator")
    load_demo_consultation(process, mediator)
    return load_demo_text(process)


def versions(text: NegotiatingText) -> list[TextVersion]:
    return list(TextVersion.objects.filter(text=text).order_by("number"))


def test_three_circulated_drafts_with_distinct_fingerprints(demo_text: NegotiatingText):
    drafts = versions(demo_text)
    assert [(v.number, v.state) for v in drafts] == [(n, "circulated") for n in (1, 2, 3)]
    fingerprints = [v.fingerprint for v in drafts]
    assert all(SHA256.fullmatch(f) for f in fingerprints), fingerprints
    assert len(set(fingerprints)) == 3


def test_brackets_narrow_and_the_final_has_none(demo_text: NegotiatingText):
    def brackets(version: TextVersion) -> int:
        return sum(
            isinstance(segment, Bracket)
            for clause in doc_of(version).clauses
            for segment in parse_body(clause.body)
        )

    first, second, final = versions(demo_text)
    assert (brackets(first), brackets(second), brackets(final)) == (2, 1, 0)
    assert "[" not in "".join(c.body for c in doc_of(final).clauses)
    assert set(Clause.objects.filter(version=final).values_list("status", flat=True)) == {"agreed"}


def test_positions_and_records_belong_to_the_demo_parties_only(demo_text: NegotiatingText):
    demo_parties = set(
        Actor.objects.filter(process=demo_text.process, key__startswith="demo-group-")
    )
    assert {a.key for a in demo_parties} == {"demo-group-a", "demo-group-b"}
    assert set(demo_text.parties.all()) == demo_parties
    positions = ClausePosition.objects.filter(process=demo_text.process)
    assert positions.exists()
    assert {p.party for p in positions} == demo_parties
    assert all(p.party.is_illustrative for p in positions)
    assert {c.party for c in Comment.objects.filter(version__text=demo_text)} <= demo_parties
    amendment = Amendment.objects.get(text=demo_text)
    assert amendment.proposer in demo_parties
    assert (amendment.status, amendment.applied_to.number) == ("adopted", 2)
    assert amendment.decided_in is not None and amendment.decided_in.is_illustrative
    # Everybody accepts every clause of the final draft.
    final = versions(demo_text)[-1]
    last = {(p.party_id, p.clause.key): p.stance for p in positions.filter(clause__version=final)}
    assert set(last.values()) == {"accept"} and len(last) == 2 * 3


def test_the_text_is_labelled_illustrative_and_cites_the_consultation(
    demo_text: NegotiatingText,
):
    assert "illustrative" in demo_text.title.lower()
    assert "invented" in demo_text.description
    final = versions(demo_text)[-1]
    cited = Clause.objects.get(version=final, key=FIGHTERS).cites.get()
    assert cited.conversation.slug == "astana-2015-consultation"


def test_the_text_and_its_records_are_flagged_illustrative(demo_text: NegotiatingText):
    assert demo_text.is_illustrative
    assert all(v.is_illustrative for v in versions(demo_text))
    rows = [
        *ClausePosition.objects.filter(clause__version__text=demo_text),
        *Comment.objects.filter(version__text=demo_text),
        *Amendment.objects.filter(text=demo_text),
    ]
    assert rows and all(row.is_illustrative for row in rows)


def test_loading_again_reuses_the_text(demo_text: NegotiatingText):
    again = load_demo_text(Process.objects.get(slug=demo.DEMO_SLUG))
    assert again.pk == demo_text.pk
    assert NegotiatingText.objects.filter(key=DEMO_TEXT_KEY).count() == 1
    assert TextVersion.objects.filter(text=demo_text).count() == 3


def test_parley_demo_prints_the_text_and_loads_it_once(tmp_path):
    db = tmp_path / "demo.sqlite3"
    for _ in range(2):
        run = parley("demo", "--no-serve", "--db", str(db))
        assert run.returncode == 0, run.stderr
        line = "Negotiating text: http://127.0.0.1:8000/p/astana-2015/texts/joint-document/"
        assert line in run.stdout.splitlines()
    with sqlite3.connect(db) as connection:
        texts = connection.execute("select count(*) from texts_negotiatingtext").fetchone()[0]
        versions = connection.execute("select count(*) from texts_textversion").fetchone()[0]
    assert (texts, versions) == (1, 3)
