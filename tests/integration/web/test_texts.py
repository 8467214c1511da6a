"""Negotiating-text pages, as the personas use them: read a draft, the board, positions, edits
and their conflicts, the next draft and its changes, amendments, exports, imports, citations.

The text is tests/texts.py's "joint": Draft 1 circulated with positions on its "fighters"
clause (party A rejects with CANARY_A, party B lives with it with CANARY_B), Draft 2 the team's
working draft.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from parley.texts import actions
from parley.texts.models import Amendment, Clause, ClausePosition, NegotiatingText, TextVersion
from parley.texts.queries import Board, BoardRow, Cell, PartyColumn
from parley.web.text_board import board_view
from parley.web.text_reader import inline_diff, render_body, two_columns
from tests.consultations import open_conversation
from tests.texts import FIGHTERS, TextWorld, build_text
from tests.world import CANARY_A, CANARY_B, CANARY_MEDIATION, World, add

pytestmark = pytest.mark.django_db

TEXT = "/p/talks/texts/joint/"
PASSAGE = "All foreign fighters shall leave the country."


@pytest.fixture
def tw(world: World) -> TextWorld:
    return build_text(world)


def version(number: int, *rest: str) -> str:
    return f"{TEXT}v/{number}/" + "".join(f"{part}/" for part in rest)


def page(response: Any) -> str:
    return response.content.decode()


def circulate_draft_2(tw: TextWorld) -> TextVersion:
    return actions.circulate(access=tw.access("mediator"), version=tw.draft_2, label="Draft 2")


def without_csrf(response: Any) -> str:
    """Return the page with its CSRF tokens masked: they differ on every page."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page(response))


def revision_in(html: str) -> str:
    found = re.search(r'name="revision" value="(\d+)"', html)
    assert found, "the edit form has no revision"
    return found.group(1)


# Finding and reading a text ------------------------------------------------------------------


def test_the_process_page_leads_to_the_texts_a_reader_may_read(tw, client_for):
    assert "/p/talks/texts/" in page(client_for("anonymous").get("/p/talks/"))
    listed = page(client_for("party_a_lead").get("/p/talks/texts/"))
    assert f'href="{TEXT}"' in listed
    assert "Joint document" in listed
    assert "Open a negotiating text" not in listed
    # The text is for the process's participants: an anonymous reader sees no such text.
    assert "Joint document" not in page(client_for("anonymous").get("/p/talks/texts/"))
    assert client_for("anonymous").get(TEXT).status_code == 404


def test_the_reader_shows_brackets_labels_and_clause_anchors(tw, client_for):
    response = client_for("party_a_lead").get(version(1))
    assert response.status_code == 200
    html = page(response)
    assert 'id="clause-fighters"' in html
    assert 'id="clause-preamble"' in html
    assert re.search(r">1A</sup>\[All foreign fighters\]", html)
    assert re.search(r">1B</sup>\[All foreign fighters, including Hezbollah,\]", html)
    assert re.search(r">2B</sup>\[as part of the political process\]", html)
    assert 'class="clause-body drafting-under_discussion" dir="auto"' in html
    assert "Proposed deletion" in html  # the drafting-status legend
    assert "Agreed" in html  # the preamble's drafting status
    assert f'href="{version(1, "clauses", "fighters")}"' in html
    assert f'href="{version(1, "clauses", "fighters", "position")}"' in html
    assert f'action="{version(1, "reviewed")}"' in html
    assert CANARY_MEDIATION not in html


def test_the_working_draft_reads_as_missing_to_the_parties(tw, client_for):
    client = client_for("party_a_lead")
    hidden = client.get(version(2))
    assert hidden.status_code == 404
    assert hidden.content == client.get(version(99)).content
    assert CANARY_MEDIATION not in page(hidden)
    team = page(client_for("mediator").get(version(2)))
    assert CANARY_MEDIATION in team
    assert f'href="{version(2, "clauses", "fighters", "edit")}"' in team


def test_a_lone_bracket_shows_its_struck_out_alternative():
    html = render_body("They leave [immediately].")
    assert re.search(r">1A</sup>\[immediately\]", html)
    assert re.search(r">1B</sup>\[<s>immediately</s>\]", html)
    struck = render_body("Gone.", "agreed_deletion")
    assert "<s>Gone.</s>" in struck
    assert render_body("<b>[x]</b>").count("&lt;b&gt;") == 1


def test_word_diffs_mark_insertions_and_deletions():
    from parley.texts.diffing import diff_words

    ops = diff_words("leave now", "leave <later>")
    assert "<del" in inline_diff(ops) and "<ins" in inline_diff(ops)
    assert "&lt;later&gt;" in inline_diff(ops)
    old, new = two_columns(ops)
    assert "<ins" not in old and "<del" not in new


# The board -----------------------------------------------------------------------------------


def test_the_mediator_sees_every_party_and_what_blocks(tw, client_for):
    response = client_for("mediator").get(version(1, "board"))
    assert response.status_code == 200
    html = page(response)
    assert "<svg" in html and "<title" in html
    assert "Party A" in html and "Party B" in html
    assert "Blocked" in html
    assert f"Names one group only {CANARY_A}" in html
    assert CANARY_B in html
    assert "Can live with it" in html
    assert 'class="board-table"' in html


def test_the_cached_board_shows_a_position_as_soon_as_it_is_recorded(tw, client_for):
    mediator = client_for("mediator")
    assert "Waiting for positions" in page(mediator.get(version(1, "board")))
    next_round = tw.clause(tw.draft_1, "next-round")
    for persona, party in (("party_a_lead", tw.world.party_a), ("party_b_lead", tw.world.party_b)):
        actions.record_position(access=tw.access(persona), clause=next_round, party=party,
                                stance="accept")  # fmt: skip
    html = page(mediator.get(version(1, "board")))
    row = html[html.index('id="board-next-round"') :].split("</tr>")[0]
    assert "Agreed" in row and "Waiting for positions" not in row


def test_party_a_sees_only_its_own_positions_and_no_status(tw, client_for):
    response = client_for("party_a_lead").get(version(1, "board"))
    assert response.status_code == 200
    html = page(response)
    assert CANARY_A in html
    assert CANARY_B not in html
    assert "Blocked" not in html
    assert "clause-status" not in html
    assert "Where it stands" not in html
    assert "Not shown to you" in html


def test_a_large_board_draws_every_cell_and_escapes_every_text():
    parties = tuple(PartyColumn(pk, f"p{pk}", f"Party <{pk}>") for pk in range(1, 21))
    stance = ClausePosition(stance="reject", reason="No <script>")
    rows = tuple(
        BoardRow(
            Clause(key=f"c{n}", number=str(n), heading=f"Clause {n}"),
            tuple(Cell(p, stance if p.pk % 3 else None, p.pk % 2 == 0) for p in parties),
            {},
            [],
            None,
        )
        for n in range(500)
    )
    board = Board(TextVersion(number=1, label="Draft 1"), parties, rows, None, False)
    view = board_view(board, "/clauses/")  # its speed is measured in bench/texts.py
    assert view.svg.count("<rect") >= 500 * 20
    assert "<script>" not in view.svg and "<script>" not in view.table
    assert "Party &lt;1&gt;" in view.table


# Positions -----------------------------------------------------------------------------------


def test_a_rejection_without_reason_is_a_form_error_on_reason(tw, client_for):
    before = ClausePosition.objects.count()
    url = version(1, "clauses", "next-round", "position")
    client = client_for("party_a_lead")
    assert client.get(url).status_code == 200
    response = client.post(url, {"stance": "reject", "reason": "", "counter_wording": "Kept"})
    assert response.status_code == 200
    html = page(response)
    assert re.search(r'id="id_reason_error".*A rejection needs a reason', html, re.S) or (
        "A rejection needs a reason" in html and 'aria-invalid="true"' in html
    )
    assert "Kept" in html  # nothing typed is lost
    assert ClausePosition.objects.count() == before


def test_the_delegate_records_the_party_position_with_ratings(tw, client_for, world):
    url = version(1, "clauses", "fighters", "position")
    data = {"stance": "live_with", "reservation": "With a timetable", "rating-1A": "accept",
            "rank-1A": "1", "rating-2B": "reject"}  # fmt: skip
    refused = client_for("party_a_lead").post(url, data)
    assert "A rejection needs a reason" in page(refused)  # a rejected alternative needs one too
    response = client_for("party_a_lead").post(url, {**data, "reason": "Too vague"})
    assert response.status_code == 302
    rows = ClausePosition.objects.filter(party=world.party_a, is_advisory=False).order_by("-pk")
    latest = {(p.option.label if p.option else None): p for p in reversed(rows[:3])}
    assert latest[None].stance == "live_with"
    assert latest["1A"].rank == 1
    assert latest["2B"].reason == "Too vague"


def test_a_members_position_is_advisory(tw, client_for, world):
    url = version(1, "clauses", "next-round", "position")
    response = client_for("party_a_member").post(url, {"stance": "accept"}, follow=True)
    assert response.status_code == 200
    assert "advisory" in page(response)
    latest = ClausePosition.objects.order_by("-pk").first()
    assert latest.is_advisory and latest.party == world.party_a


def test_the_mediator_records_any_partys_position(tw, client_for, world):
    url = version(1, "clauses", "next-round", "position")
    assert 'name="party"' in page(client_for("mediator").get(url))
    response = client_for("mediator").post(url, {"party": "party-b", "stance": "accept"})
    assert response.status_code == 302
    latest = ClausePosition.objects.order_by("-pk").first()
    assert latest.party == world.party_b and not latest.is_advisory


def test_a_head_naming_another_party_is_refused_not_redirected(tw, client_for):
    before = ClausePosition.objects.count()
    url = version(1, "clauses", "fighters", "position")
    response = client_for("party_b_lead").post(url, {"party": "party-a", "stance": "accept"})
    assert response.status_code == 403
    assert "Only Party A&#x27;s authorised delegate may record its position." in page(response)
    assert ClausePosition.objects.count() == before


def test_someone_of_no_party_may_not_record_positions(tw, client_for):
    url = version(1, "clauses", "fighters", "position")
    assert client_for("observer").get(url).status_code == 403
    assert client_for("anonymous").post(url, {"stance": "accept"}).status_code == 302


def test_a_position_on_a_superseded_draft_is_refused_clearly(tw, client_for):
    circulate_draft_2(tw)
    url = version(1, "clauses", "fighters", "position")
    client = client_for("party_a_lead")
    assert "no longer open for positions" in page(client.get(url))
    before = ClausePosition.objects.count()
    response = client.post(url, {"stance": "accept"})
    assert response.status_code == 403
    assert "Positions are recorded on the current draft (Draft 2)" in page(response)
    assert "Draft 1 is no longer open for positions" in page(response)
    assert ClausePosition.objects.count() == before


# Editing the working draft -------------------------------------------------------------------


def test_two_editors_the_second_save_is_a_conflict_showing_both_texts(tw, client_for):
    url = version(2, "clauses", "fighters", "edit")
    first, second = client_for("mediator"), Client()
    second.force_login(tw.world.users["mediator"])
    revision = revision_in(page(first.get(url)))
    assert revision_in(page(second.get(url))) == revision
    form = {"number": "1", "heading": "Foreign fighters", "status": "under_discussion"}
    saved = first.post(url, {**form, "body": "First editor's [wording].", "revision": revision})
    assert saved.status_code == 302
    conflict = second.post(url, {**form, "body": "Second editor's text.", "revision": revision})
    assert conflict.status_code == 409
    html = page(conflict)
    assert "Someone else saved this clause" in html
    assert "Your text" in html and "The current text" in html
    assert "Second editor&#x27;s text." in html  # theirs, in the form and the comparison
    assert "First editor&#x27;s" in html
    new_revision = revision_in(html)
    assert int(new_revision) == int(revision) + 1
    clause = tw.clause(tw.draft_2, "fighters")
    assert clause.body == "First editor's [wording]."  # nothing overwritten
    again = second.post(url, {**form, "body": "Second editor's text.", "revision": new_revision})
    assert again.status_code == 302
    assert tw.clause(tw.draft_2, "fighters").body == "Second editor's text."


def test_a_circulated_draft_cannot_be_edited(tw, client_for):
    assert client_for("mediator").get(version(1, "clauses", "fighters", "edit")).status_code == 403
    assert (
        client_for("party_a_lead").get(version(1, "clauses", "fighters", "edit")).status_code == 403
    )
    assert (
        client_for("party_a_lead").get(version(2, "clauses", "fighters", "edit")).status_code == 404
    )


def test_a_bad_bracket_in_an_edit_names_line_and_column(tw, client_for):
    url = version(2, "clauses", "fighters", "edit")
    client = client_for("mediator")
    data = {"number": "1", "heading": "Foreign fighters", "status": "under_discussion",
            "body": "Leave [now.", "revision": revision_in(page(client.get(url)))}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Line 1, column 7" in page(response)
    assert tw.clause(tw.draft_2, "fighters").body == FIGHTERS


def test_the_team_adds_a_clause_to_the_working_draft(tw, client_for):
    url = version(2, "clauses", "new")
    client = client_for("mediator")
    assert client.get(url).status_code == 200
    data = {"key": "ceasefire", "number": "3", "heading": "Ceasefire", "body": "A [truce] holds.",
            "status": "under_discussion", "after": "fighters"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("#clause-ceasefire")
    keys = list(
        Clause.objects.filter(version=tw.draft_2).order_by("order").values_list("key", flat=True)
    )
    assert keys.index("ceasefire") == keys.index("fighters") + 1
    assert client_for("party_a_lead").get(version(1, "clauses", "new")).status_code == 403


# The next draft and what changed -------------------------------------------------------------


def test_issue_the_next_draft_and_see_what_changed_since_the_review(tw, client_for):
    team, party = client_for("mediator"), client_for("party_a_lead")
    reviewed = party.post(version(1, "reviewed"), {"party": "party-a"})
    assert reviewed.status_code == 302
    assert "Nothing has changed" in page(party.get(f"{TEXT}changes/"))
    edit = version(2, "clauses", "fighters", "edit")
    team.post(edit, {"number": "1", "heading": "Foreign fighters", "status": "under_discussion",
                     "body": PASSAGE, "revision": revision_in(page(team.get(edit)))})  # fmt: skip
    assert "Circulate Draft 2" in page(team.get(f"{TEXT}draft/"))
    circulate = {"action": "circulate", "label": "Draft 2", "visibility": "process", "note": "Hi"}
    circulated = team.post(f"{TEXT}draft/", circulate)
    assert circulated.status_code == 302
    assert TextVersion.objects.get(pk=tw.draft_2.pk).fingerprint
    started = team.post(f"{TEXT}draft/", {"action": "start"})
    assert started.status_code == 302 and started["Location"] == version(3)
    assert TextVersion.objects.get(text=tw.text, number=3).is_working

    html = page(party.get(f"{TEXT}changes/"))
    assert "What changed since" in html
    assert 'id="change-fighters"' in html
    assert re.search(r"<del[^>]*>[^<]*Hezbollah", html)
    assert "<ins" in html
    assert 'id="change-next-round"' not in html  # unchanged clauses are left out
    assert 'id="change-team-note"' in html  # the added clause


def test_the_changes_page_says_when_nothing_was_reviewed(tw, client_for):
    html = page(client_for("party_b_lead").get(f"{TEXT}changes/"))
    assert "has not marked any draft as reviewed" in html
    assert client_for("observer").get(f"{TEXT}changes/").status_code == 403


def test_side_by_side_and_inline_diffs(tw, client_for):
    actions.edit_clause(access=tw.access("mediator"), clause=tw.clause(tw.draft_2, "fighters"),
                        data={"body": PASSAGE}, revision=1)  # fmt: skip
    team = client_for("mediator")
    side = page(team.get(f"{TEXT}diff/?from=1&to=2&view=side"))
    assert 'class="side-by-side"' in side
    assert re.search(r"<del[^>]*>", side) and re.search(r"<ins[^>]*>", side)
    inline = page(team.get(f"{TEXT}diff/?from=1&to=2"))
    assert 'class="side-by-side"' not in inline and "<del" in inline
    # The working draft is the team's: for a party it is no draft at all, like a missing one.
    party = client_for("party_a_lead")
    hidden = party.get(f"{TEXT}diff/?from=1&to=2")
    assert hidden.status_code == 200 and "nothing to compare" in page(hidden)
    assert CANARY_MEDIATION not in page(hidden)
    assert without_csrf(hidden) == without_csrf(party.get(f"{TEXT}diff/?from=1&to=99"))


# Amendments ----------------------------------------------------------------------------------


def test_a_party_proposes_and_the_mediator_adopts_in_a_session(tw, client_for, world):
    session = add(world, "sessions", key="plenary-1", round=world.rows["round-1"],
                  title="Plenary 1", held_on="2015-05-26")  # fmt: skip
    party = client_for("party_a_lead")
    assert party.get(f"{TEXT}amendments/new/").status_code == 200
    proposed = party.post(f"{TEXT}amendments/new/", {
        "clause": "fighters", "op": "replace", "proposed_text": PASSAGE,
        "rationale": "Even-handed", "visibility": "",
    })  # fmt: skip
    assert proposed.status_code == 302
    amendment = Amendment.objects.order_by("-pk").first()
    assert re.fullmatch(r"PA-\d+", amendment.code)
    assert amendment.code in page(party.get(f"{TEXT}amendments/"))
    assert amendment.code not in page(client_for("party_b_lead").get(f"{TEXT}amendments/"))

    team = client_for("mediator")
    assert f"Decide {amendment.code}" in page(team.get(f"{TEXT}amendments/"))
    decision = {"status": "adopted", "session": "plenary-1", "note": "Agreed"}
    decided = team.post(f"{TEXT}amendments/{amendment.code}/decide/", decision)
    assert decided.status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.ADOPTED
    assert amendment.decided_in_id == session.pk
    assert amendment.applied_to_id == tw.draft_2.pk
    assert tw.clause(tw.draft_2, "fighters").body == PASSAGE
    html = page(team.get(f"{TEXT}amendments/"))
    assert "Plenary 1" in html and "written into Draft 2" in html


def test_only_the_team_decides_and_a_member_may_not_propose(tw, client_for):
    assert client_for("party_a_member").get(f"{TEXT}amendments/new/").status_code == 403
    decide = f"{TEXT}amendments/PA-1/decide/"
    assert client_for("party_a_lead").post(decide, {"status": "adopted"}).status_code == 403
    assert client_for("party_b_lead").post(decide, {"status": "adopted"}).status_code == 404


def test_under_the_one_text_procedure_parties_do_not_propose(tw, client_for):
    NegotiatingText.objects.filter(pk=tw.text.pk).update(drafting_mode="mediator_only")
    response = client_for("party_a_lead").get(f"{TEXT}amendments/new/")
    assert response.status_code == 403
    assert "only the mediator drafts" in page(response)


# Exports and imports -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("md", "text/markdown; charset=utf-8"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pdf", "application/pdf"),
    ],
)
def test_exports_carry_the_fingerprint(tw, client_for, fmt, content_type):
    response = client_for("party_a_lead").get(version(1) + f"export.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="joint-v1.{fmt}"'
    fingerprint = TextVersion.objects.get(pk=tw.draft_1.pk).fingerprint
    assert response["X-Parley-Fingerprint"] == fingerprint
    if fmt == "md":
        assert hashlib.sha256(response.content).hexdigest() == fingerprint
        assert "{#fighters}" in page(response)
    elif fmt == "docx":
        from docx import Document

        word = Document(io.BytesIO(response.content))
        assert word.core_properties.keywords == fingerprint
        footer = " ".join(p.text for p in word.sections[0].footer.paragraphs)
        assert fingerprint in footer and "Draft 1" in footer
    else:
        assert response.content.startswith(b"%PDF")


def test_exports_of_hidden_drafts_and_unknown_formats_are_missing(tw, client_for):
    assert client_for("party_a_lead").get(version(2) + "export.md").status_code == 404
    assert client_for("mediator").get(version(1) + "export.exe").status_code == 404
    working = client_for("mediator").get(version(2) + "export.md")
    assert working.status_code == 200 and CANARY_MEDIATION in page(working)


def test_an_import_with_an_unbalanced_bracket_names_line_and_column(tw, client_for):
    circulate_draft_2(tw)
    upload = SimpleUploadedFile("draft.md", b"# T\n\n## 1. A {#a}\n\nThe [unclosed text.\n")
    client = client_for("mediator")
    before = TextVersion.objects.count()
    response = client.post(f"{TEXT}import/", {"file": upload})
    assert response.status_code == 200
    html = page(response)
    assert "Line 5, column 5" in html and "unclosed bracket" in html
    assert TextVersion.objects.count() == before
    good = SimpleUploadedFile("draft.md", b"# T\n\n## 1. A {#a}\n\nThe [closed] text.\n")
    imported = client.post(f"{TEXT}import/", {"file": good})
    assert imported.status_code == 302 and imported["Location"] == version(3)
    assert client_for("party_a_lead").get(f"{TEXT}import/").status_code == 403


def test_the_team_opens_a_text_from_a_file(world, client_for):
    upload = SimpleUploadedFile(
        "ceasefire.md", b"# Ceasefire text\n\n## 1. Truce {#truce}\n\nA [truce] holds.\n"
    )
    client = client_for("mediator")
    assert client.get("/p/talks/texts/new/").status_code == 200
    response = client.post("/p/talks/texts/new/", {
        "title": "", "key": "ceasefire", "kind": "one_text", "drafting_mode": "mediator_only",
        "visibility": "process", "file": upload,
    })  # fmt: skip
    assert response.status_code == 302
    text = NegotiatingText.objects.get(key="ceasefire")
    assert text.title == "Ceasefire text"
    assert Clause.objects.filter(version__text=text, key="truce").exists()
    assert client_for("party_a_lead").get("/p/talks/texts/new/").status_code == 403


# Citations of the consultation ---------------------------------------------------------------


def test_a_statement_lists_the_clauses_citing_it_in_readable_drafts(tw, client_for, world):
    open_conversation(world, "poll")
    team = client_for("mediator")
    cite = team.post(
        version(2, "clauses", "fighters", "cite"), {"conversation": "poll", "number": "1"}
    )
    assert cite.status_code == 302
    clause_page = page(team.get(version(2, "clauses", "fighters")))
    assert "/c/poll/statements/1/" in clause_page
    statement = "/c/poll/statements/1/"
    shown = page(team.get(statement))
    assert "All foreign fighters should leave." in shown
    assert f'href="{version(2, "clauses", "fighters")}"' in shown
    party = page(client_for("party_a_lead").get(statement))
    assert "No clause you may read cites this statement" in party
    circulate_draft_2(tw)
    assert f'href="{version(2, "clauses", "fighters")}"' in page(
        client_for("party_a_lead").get(statement)
    )
    assert client_for("party_a_lead").get("/c/poll/statements/99/").status_code == 404


def test_citing_a_missing_statement_or_on_a_circulated_draft_is_refused(tw, client_for, world):
    open_conversation(world, "poll")
    team = client_for("mediator")
    missing = team.post(
        version(2, "clauses", "fighters", "cite"), {"conversation": "poll", "number": "9"}
    )
    assert missing.status_code == 400
    frozen = team.post(
        version(1, "clauses", "fighters", "cite"), {"conversation": "poll", "number": "1"}
    )
    assert frozen.status_code == 403


# The clause page and comments ----------------------------------------------------------------


def test_the_clause_page_shows_what_the_viewer_may_see(tw, client_for):
    team = page(client_for("mediator").get(version(1, "clauses", "fighters")))
    assert CANARY_A in team and CANARY_B in team
    party_a = page(client_for("party_a_lead").get(version(1, "clauses", "fighters")))
    assert CANARY_A in party_a and CANARY_B not in party_a
    assert "Advisory views" in party_a
    assert "PA-1" in party_a
    party_b = page(client_for("party_b_lead").get(version(1, "clauses", "fighters")))
    assert CANARY_B in party_b and CANARY_A not in party_b and "PA-1" not in party_b


def test_a_party_comments_on_a_clause_for_itself_and_the_team(tw, client_for):
    url = version(1, "clauses", "fighters", "comments")
    response = client_for("party_a_member").post(url, {"kind": "question", "body": "Which groups?"})
    assert response.status_code == 302
    assert "Which groups?" in page(
        client_for("party_a_lead").get(version(1, "clauses", "fighters"))
    )
    assert "Which groups?" in page(client_for("mediator").get(version(1, "clauses", "fighters")))
    assert "Which groups?" not in page(
        client_for("party_b_lead").get(version(1, "clauses", "fighters"))
    )
    assert client_for("observer").post(url, {"body": "Hi"}).status_code == 403
    assert client_for("party_a_member").post(url, {"body": " "}).status_code == 400
