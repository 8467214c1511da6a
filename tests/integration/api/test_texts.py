"""Negotiating texts through the API: what each persona reads, the board, positions, conflicts,
imports, circulation and its fingerprint, exports, diffs, amendments and citations."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.test import Client

from parley.texts import format as bracket_format
from parley.texts.models import Clause, Option, TextVersion
from parley.texts.queries import doc_of
from tests.consultations import open_conversation
from tests.integration.api.conftest import send, url
from tests.texts import TEXT, TextWorld, build_text
from tests.world import ALL_CANARIES, CANARY_A, CANARY_B, CANARY_LEAD, ENTITLED, add

pytestmark = pytest.mark.django_db

CLAUSE_RULE = "clause-consent-leximin/v1"
OPTION_RULE = "options-consent-leximin-schulze/v1"
BAD_SOURCE = "# Draft\n\n## 1. Fighters {#fighters}\n\nAll [foreign fighters shall leave.\n"


@pytest.fixture
def text(world) -> TextWorld:
    return build_text(world)


def text_url(*parts: Any) -> str:
    return url("texts", TEXT, *(str(part) for part in parts))


def clause_url(number: int, clause: str, *parts: str) -> str:
    return text_url("versions", number, "clauses", clause, *parts)


def position(client, number: int, clause: str, **body: Any) -> Any:
    return send(client, "POST", clause_url(number, clause, "positions"), body)


def circulate(client, number: int, **body: Any) -> Any:
    return send(client, "POST", text_url("versions", number, "circulate"), body)


def everything_readable(client) -> str:
    """Return every GET answer about the text for draft 1 and draft 2."""
    paths = [url("texts"), text_url(), text_url("versions"), text_url("amendments"),
             text_url("diff"), text_url("diff") + "?from=1&to=2"]  # fmt: skip
    for number in (1, 2):
        paths += [text_url("versions", number), text_url("versions", number, "board"),
                  text_url("versions", number, "positions"),
                  text_url("versions", number, "comments"),
                  text_url("versions", number, "export") + "?format=md",
                  clause_url(number, "fighters"), clause_url(number, "team-note")]  # fmt: skip
    return "\n".join(client.get(path).content.decode() for path in paths)


# Reading ---------------------------------------------------------------------------------------


def test_a_process_level_text_is_listed_for_accredited_readers_only(text, client_for):
    for persona in ("mediator", "party_a_lead", "party_b_lead", "observer"):
        keys = [row["key"] for row in client_for(persona).get(url("texts")).json()]
        assert keys == [TEXT], persona
    for persona in ("public_participant", "outsider", "anonymous"):
        assert client_for(persona).get(url("texts")).json() == [], persona


def test_a_hidden_text_reads_like_a_missing_one(text, client_for):
    client = client_for("public_participant")
    hidden = client.get(text_url())
    assert hidden.status_code == 404
    assert hidden.content == client.get(url("texts", "no-such-text")).content


def test_the_working_draft_is_the_mediation_teams(text, client_for):
    team = client_for("mediator").get(text_url()).json()
    assert (team["current"], team["working_draft"], team["can_manage"]) == (1, 2, True)
    assert [v["number"] for v in team["versions"]] == [1, 2]
    party = client_for("party_a_lead")
    detail = party.get(text_url()).json()
    assert (detail["current"], detail["working_draft"], detail["can_manage"]) == (1, None, False)
    assert detail["parties"] == ["party-a", "party-b"]
    assert [v["number"] for v in party.get(text_url("versions")).json()] == [1]
    hidden = party.get(text_url("versions", 2))
    assert hidden.status_code == 404
    assert hidden.content == party.get(text_url("versions", 99)).content
    assert party.get(clause_url(2, "team-note")).content == hidden.content


def test_a_draft_lists_its_clauses_with_their_alternatives(text, client_for):
    data = client_for("observer").get(text_url("versions", 1)).json()
    assert (data["label"], data["state"]) == ("Draft 1", "circulated")
    assert [c["key"] for c in data["clauses"]] == ["preamble", "fighters", "next-round"]
    fighters = data["clauses"][1]
    labels = [option["label"] for option in fighters["options"]]
    assert labels == ["1A", "1B", "2A", "2B", "omit"]
    assert fighters["revision"] == 1 and data["closing_results"] is None


@pytest.mark.parametrize("persona", ["party_a_lead", "party_b_lead", "observer", "mediator"])
def test_a_persona_reads_exactly_the_canaries_it_is_entitled_to(text, client_for, persona):
    seen = everything_readable(client_for(persona))
    # Issue draft 2, without the team's wording: draft 1 then keeps its closing results.
    team = client_for("mediator")
    send(team, "PATCH", clause_url(2, "team-note"), {"revision": 1, "body": "Team wording."})
    assert circulate(team, 2).status_code == 200
    seen += everything_readable(client_for(persona))
    for canary in ALL_CANARIES - {CANARY_LEAD}:
        assert (canary in seen) == (canary in ENTITLED[persona]), canary


def test_party_b_never_receives_party_as_confidential_data(text, client_for):
    client = client_for("party_b_lead")
    answers = [
        everything_readable(client),
        send(client, "PATCH", text_url("amendments", "PA-1"), {"status": "adopted"}).content,
        position(client, 1, "fighters", stance="accept", party="party-a").content,
    ]
    assert CANARY_A not in "\n".join(a if isinstance(a, str) else a.decode() for a in answers)
    assert client.get(text_url("versions", 1, "positions")).json()[0]["party"] == "party-b"


# The board -------------------------------------------------------------------------------------


def rate_every_alternative(text: TextWorld, client_for) -> None:
    """Have both parties rate bracket 1, so that its alternative can be chosen."""
    a, b = client_for("party_a_lead"), client_for("party_b_lead")
    assert position(a, 1, "fighters", stance="reject", option="1A",
                    reason="One group named").status_code == 201  # fmt: skip
    assert position(b, 1, "fighters", stance="accept", option="1A").status_code == 201
    assert position(b, 1, "fighters", stance="live_with", option="1B").status_code == 201


def test_the_team_sees_each_status_with_its_rule_and_who_blocks(text, client_for):
    rate_every_alternative(text, client_for)
    board = client_for("mediator").get(text_url("versions", 1, "board")).json()
    assert board["complete"] and board["result"]["rule"] == "document-weakest-clause/v1"
    rows = {row["clause"]: row for row in board["rows"]}
    fighters = rows["fighters"]
    assert [cell["party"] for cell in fighters["cells"]] == ["party-a", "party-b"]
    result = fighters["result"]
    assert (result["status"], result["rule"]) == ("blocked", CLAUSE_RULE)
    assert list(result["blocking"]) == ["party-a"] and CANARY_A in result["blocking"]["party-a"]
    [bracket] = [b for b in result["brackets"] if b["bracket"] == 1]
    assert bracket["choice"]["rule"] == OPTION_RULE
    assert bracket["choice"]["chosen"] == "1B"
    assert rows["preamble"]["result"]["rule"] == CLAUSE_RULE
    assert [p["stance"] for p in fighters["advisory"]] == ["accept"]


def test_a_party_sees_only_its_own_cells_and_no_status(text, client_for):
    rate_every_alternative(text, client_for)
    response = client_for("party_a_lead").get(text_url("versions", 1, "board"))
    board = response.json()
    assert not board["complete"] and board["result"] is None
    for row in board["rows"]:
        assert [cell["party"] for cell in row["cells"]] == ["party-a"]
        assert row["result"] is None
        assert all(r["party"] == "party-a" for o in row["options"] for r in o["ratings"])
    shown = {party["key"]: party["shown"] for party in board["parties"]}
    assert shown == {"party-a": True, "party-b": False}
    assert CANARY_B not in response.content.decode()
    assert "blocked" not in response.content.decode()


def test_an_anonymous_reader_of_a_public_draft_sees_no_positions(text, client_for):
    team = client_for("mediator")
    send(team, "PATCH", text_url(), {"visibility": "public"})
    assert circulate(team, 2, visibility="public").status_code == 200
    board = client_for("anonymous").get(text_url("versions", 2, "board")).json()
    assert all(row["cells"] == [] and row["result"] is None for row in board["rows"])
    assert client_for("anonymous").get(text_url("versions", 2, "positions")).json() == []


# Positions -------------------------------------------------------------------------------------


def test_a_rejection_needs_a_reason(text, client_for):
    response = position(client_for("party_a_lead"), 1, "fighters", stance="reject")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["reason"]


def test_a_reader_who_speaks_for_no_party_is_refused(text, client_for):
    response = position(client_for("observer"), 1, "fighters", stance="accept")
    assert response.status_code == 403
    assert response.json() == {"detail": "You act for no party here."}
    assert position(client_for("outsider"), 1, "fighters", stance="accept").status_code == 404
    assert position(client_for("anonymous"), 1, "fighters", stance="accept").status_code == 401


def test_a_party_cannot_speak_for_another_party(text, client_for):
    response = position(client_for("party_a_lead"), 1, "fighters", stance="accept",
                        party="party-b")  # fmt: skip
    assert response.status_code == 403
    assert "Party B" in response.json()["detail"]


def test_a_position_on_an_old_draft_names_the_current_one(text, client_for):
    assert circulate(client_for("mediator"), 2, label="Draft 2").status_code == 200
    response = position(client_for("party_a_lead"), 1, "fighters", stance="accept")
    assert response.status_code == 403
    assert "current draft (Draft 2)" in response.json()["detail"]
    assert position(client_for("party_a_lead"), 2, "fighters", stance="accept").status_code == 201


def test_a_member_records_an_advisory_view_and_the_delegate_the_position(text, client_for):
    member = position(client_for("party_a_member"), 1, "next-round", stance="live_with",
                      reservation="Not before spring")  # fmt: skip
    assert member.status_code == 201
    assert (member.json()["advisory"], member.json()["party"]) == (True, "party-a")
    lead = position(client_for("party_a_lead"), 1, "next-round", stance="accept", option=None)
    assert lead.status_code == 201 and lead.json()["advisory"] is False


def test_an_unknown_alternative_or_field_is_named(text, client_for):
    client = client_for("party_a_lead")
    unknown = position(client, 1, "fighters", stance="accept", option="9Z")
    assert unknown.json() == {"errors": {"option": ["No such alternative in this clause."]}}
    extra = position(client, 1, "fighters", stance="accept", colour="red")
    assert extra.status_code == 422
    assert extra.json() == {"errors": {"colour": ["Unknown field."]}}


def test_the_clause_shows_the_positions_comments_and_amendments_one_may_see(text, client_for):
    a = client_for("party_a_lead").get(clause_url(1, "fighters")).json()
    assert {p["party"] for p in a["positions"]} == {"party-a"}
    assert [amendment["code"] for amendment in a["amendments"]] == ["PA-1"]
    b = client_for("party_b_lead").get(clause_url(1, "fighters")).json()
    assert {p["party"] for p in b["positions"]} == {"party-b"}
    assert b["amendments"] == [] and b["comments"] == []


# Comments and reviews --------------------------------------------------------------------------


def test_a_party_member_comments_for_the_party_and_the_team_for_itself(text, client_for):
    member = send(client_for("party_a_member"), "POST", text_url("versions", 1, "comments"),
                  {"body": "Too vague", "kind": "question", "clause": "fighters"})  # fmt: skip
    assert member.status_code == 201
    assert (member.json()["party"], member.json()["clause"]) == ("party-a", "fighters")
    bodies = [c["body"] for c in client_for("party_b_lead").get(
        text_url("versions", 1, "comments")).json()]  # fmt: skip
    assert bodies == []
    observer = send(client_for("observer"), "POST", text_url("versions", 1, "comments"),
                    {"body": "Hm"})  # fmt: skip
    assert observer.status_code == 403


def test_a_party_marks_a_draft_reviewed_and_its_diff_starts_there(text, client_for):
    team = client_for("mediator")
    edit = send(team, "PATCH", clause_url(2, "next-round"),
                {"revision": 1, "body": "The participants meet again in May."})  # fmt: skip
    assert edit.status_code == 200
    circulate(team, 2)
    client = client_for("party_a_member")
    response = send(client, "POST", text_url("versions", 1, "review"), {})
    assert response.status_code == 200
    assert (response.json()["party"], response.json()["version"]) == ("party-a", 1)
    diff = client.get(text_url("diff")).json()
    assert (diff["from"], diff["to"]) == (1, 2)
    refused = send(client_for("observer"), "POST", text_url("versions", 1, "review"), {})
    assert refused.status_code == 403


# Editing the working draft ---------------------------------------------------------------------


def test_a_stale_save_is_a_conflict_that_shows_both_texts(text, client_for):
    first, second = client_for("mediator"), client_for("mediator")
    path = clause_url(2, "next-round")
    revision = first.get(path).json()["revision"]
    saved = send(first, "PATCH", path, {"revision": revision, "body": "Mine first."})
    assert saved.status_code == 200 and saved.json()["revision"] == revision + 1
    stale = send(second, "PATCH", path, {"revision": revision, "body": "Theirs second."})
    assert stale.status_code == 409
    conflict = stale.json()
    assert conflict["yours"] == {"body": "Theirs second."}
    assert conflict["current"]["body"] == "Mine first."
    assert conflict["revision"] == revision + 1 and "overwritten" in conflict["detail"]
    assert Clause.objects.get(version=text.draft_2, key="next-round").body == "Mine first."
    retry = send(second, "PATCH", path, {"revision": conflict["revision"], "body": "Merged."})
    assert retry.status_code == 200
    assert (retry.json()["body"], retry.json()["revision"]) == ("Merged.", revision + 2)


def test_only_the_team_edits_and_only_the_working_draft(text, client_for):
    team = client_for("mediator")
    circulated = send(team, "PATCH", clause_url(1, "next-round"), {"revision": 1, "body": "X"})
    assert circulated.status_code == 403
    assert send(client_for("party_a_lead"), "PATCH", clause_url(2, "next-round"),
                {"revision": 1, "body": "X"}).status_code == 404  # fmt: skip
    missing = send(team, "PATCH", clause_url(2, "next-round"), {"body": "X"})
    assert missing.json() == {"errors": {"revision": ["This field is required."]}}


def test_the_team_adds_a_clause_with_alternatives_and_bad_brackets_are_placed(text, client_for):
    team = client_for("mediator")
    added = send(team, "POST", text_url("versions", 2, "clauses"),
                 {"key": "prisoners", "number": "3", "heading": "Prisoners",
                  "body": "Release [all] [some] prisoners.", "after": "next-round"})  # fmt: skip
    assert added.status_code == 201
    assert [o["label"] for o in added.json()["options"]] == ["1A", "1B", "omit"]
    bad = send(team, "POST", text_url("versions", 2, "clauses"), {"body": "Release [all"})
    assert bad.status_code == 422
    assert re.match(r"Line \d+, column \d+: ", bad.json()["errors"]["body"][0])
    party = send(client_for("party_a_lead"), "POST", text_url("versions", 1, "clauses"),
                 {"body": "X"})  # fmt: skip
    assert party.status_code == 403


# Drafts: start, import, circulate --------------------------------------------------------------


def counts() -> tuple[int, int, int]:
    return TextVersion.objects.count(), Clause.objects.count(), Option.objects.count()


def test_an_import_with_a_bad_bracket_names_line_and_column_and_writes_nothing(text, client_for):
    team = client_for("mediator")
    circulate(team, 2)
    before = counts()
    response = send(team, "POST", text_url("versions"), {"source": BAD_SOURCE})
    assert response.status_code == 422
    [message] = response.json()["errors"]["source"]
    assert re.match(r"Line 5, column \d+: ", message), message
    assert counts() == before


def test_the_team_imports_the_next_draft_or_starts_it_from_the_last(text, client_for):
    team = client_for("mediator")
    refused = team.generic("POST", text_url("versions"), "", "application/json")  # no body
    assert refused.status_code == 403 and "already open" in refused.json()["detail"]
    circulate(team, 2)
    source = "# Joint\n\n## 1. Fighters {#fighters}\n\nAll [foreign] fighters shall leave.\n"
    imported = send(team, "POST", text_url("versions"), {"source": source})
    assert imported.status_code == 201
    assert (imported.json()["number"], imported.json()["state"]) == (3, "working")
    assert [c["key"] for c in imported.json()["clauses"]] == ["fighters"]
    circulate(team, 3)
    started = team.generic("POST", text_url("versions"), "", "application/json")
    assert started.status_code == 201
    assert (started.json()["number"], started.json()["based_on"]) == (4, 3)
    assert [c["key"] for c in started.json()["clauses"]] == ["fighters"]
    party = send(client_for("party_a_lead"), "POST", text_url("versions"), {})
    assert party.status_code == 403


def test_circulating_fingerprints_the_canonical_text(text, client_for):
    team = client_for("mediator")
    response = circulate(team, 2, label="Draft 2", note="For Astana II")
    assert response.status_code == 200
    data = response.json()
    assert re.fullmatch(r"[0-9a-f]{64}", data["fingerprint"])
    assert data["fingerprint"] == bracket_format.fingerprint(doc_of(text.draft_2))
    assert (data["state"], data["label"], data["visibility"]) == (
        "circulated",
        "Draft 2",
        "process",
    )
    exported = team.get(text_url("versions", 2, "export") + "?format=md")
    assert exported["Content-Type"] == "text/markdown; charset=utf-8"
    assert exported["Content-Disposition"] == 'attachment; filename="joint-v2.md"'
    assert hashlib.sha256(exported.content).hexdigest() == data["fingerprint"]
    versions = {v["number"]: v for v in client_for("party_a_lead").get(text_url("versions")).json()}
    assert versions[2]["fingerprint"] == data["fingerprint"]
    assert versions[1]["closing_results"] is None
    closing = team.get(text_url("versions")).json()[0]["closing_results"]
    assert closing["clauses"]["fighters"]["rule"] == CLAUSE_RULE


def test_a_draft_cannot_be_circulated_to_the_team_only_or_twice(text, client_for):
    team = client_for("mediator")
    narrow = circulate(team, 2, visibility="mediation")
    assert narrow.status_code == 422 and "visibility" in narrow.json()["errors"]
    assert circulate(team, 2, visibility="everyone").status_code == 422
    assert circulate(team, 1).status_code == 403
    assert circulate(client_for("party_a_lead"), 1).status_code == 403


@pytest.mark.parametrize(
    "fmt, content_type, magic",
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)  # fmt: skip
def test_exports_come_as_files(text, client_for, fmt, content_type, magic):
    response = client_for("observer").get(text_url("versions", 1, "export") + f"?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="joint-v1.{fmt}"'
    assert response.content.startswith(magic)


def test_an_unknown_export_format_is_named(text, client_for):
    response = client_for("observer").get(text_url("versions", 1, "export") + "?format=rtf")
    assert response.status_code == 422 and list(response.json()["errors"]) == ["format"]


# Diffs -----------------------------------------------------------------------------------------


def test_the_diff_gives_each_clause_its_kind_and_word_operations(text, client_for):
    team = client_for("mediator")
    body = Clause.objects.get(version=text.draft_2, key="fighters").body
    send(team, "PATCH", clause_url(2, "fighters"),
         {"revision": 1, "body": body.replace("shall leave", "shall promptly leave")})  # fmt: skip
    diff = team.get(text_url("diff") + "?from=1&to=2").json()
    kinds = {change["key"]: change["kind"] for change in diff["changes"]}
    assert kinds == {"preamble": "unchanged", "fighters": "changed", "next-round": "unchanged",
                     "team-note": "added"}  # fmt: skip
    [fighters] = [c for c in diff["changes"] if c["key"] == "fighters"]
    assert {"tag": "insert", "text": "promptly "} in fighters["body"]
    assert diff["counts"]["added"] == 1
    party = client_for("party_a_lead")
    assert party.get(text_url("diff") + "?from=1&to=2").status_code == 404
    assert party.get(text_url("diff")).json()["changes"][0]["kind"] == "unchanged"


# Amendments ------------------------------------------------------------------------------------


def test_a_party_proposes_and_the_mediator_decides_on_the_record(text, world, client_for):
    session = add(world, "sessions", key="plenary-2", title="Plenary 2",
                  round=world.rows["round-1"])  # fmt: skip
    lead = client_for("party_a_lead")
    proposed = send(lead, "POST", text_url("amendments"),
                    {"clause": "next-round", "proposed_text": "Meet again in [May] [June].",
                     "rationale": "A date"})  # fmt: skip
    assert proposed.status_code == 201
    data = proposed.json()
    assert (data["code"], data["proposer"], data["status"]) == ("PA-2", "party-a", "proposed")
    path = text_url("amendments", "PA-2")
    assert send(lead, "PATCH", path, {"status": "adopted"}).status_code == 403
    team = client_for("mediator")
    decided = send(team, "PATCH", path, {"status": "adopted", "session": session.key,
                                         "note": "Agreed in plenary"})  # fmt: skip
    assert decided.status_code == 200
    assert (decided.json()["status"], decided.json()["decided_in"]) == ("adopted", "plenary-2")
    assert decided.json()["applied_to"] == 2
    assert Clause.objects.get(version=text.draft_2, key="next-round").body.startswith("Meet again")
    seen = send(lead, "GET", text_url("amendments")).json()
    assert [(a["code"], a["status"], a["applied_to"]) for a in seen] == [
        ("PA-1", "proposed", None), ("PA-2", "adopted", None)]  # fmt: skip
    assert send(client_for("party_b_lead"), "PATCH", text_url("amendments", "PA-1"),
                {"status": "adopted"}).status_code == 404  # fmt: skip


def test_a_decision_outside_the_vocabulary_or_in_an_unknown_session_is_named(text, client_for):
    team = client_for("mediator")
    path = text_url("amendments", "PA-1")
    wrong = send(team, "PATCH", path, {"status": "proposed"})
    assert wrong.status_code == 422 and list(wrong.json()["errors"]) == ["status"]
    unknown = send(team, "PATCH", path, {"status": "adopted", "session": "no-such-session"})
    assert unknown.status_code == 422 and list(unknown.json()["errors"]) == ["session"]


def test_only_delegates_propose_for_a_party(text, client_for):
    body = {"clause": "fighters", "proposed_text": "All fighters shall leave."}
    member = send(client_for("party_a_member"), "POST", text_url("amendments"), body)
    assert member.status_code == 403
    team = send(client_for("mediator"), "POST", text_url("amendments"), body)
    assert team.status_code == 201 and team.json()["code"] == "M-1"


# Texts: create and change ----------------------------------------------------------------------


def test_the_team_opens_a_text_from_a_bracket_source(world, client_for):
    source = "# Ceasefire\n\n## 1. Lines {#lines}\n\nThe parties hold [their] [agreed] lines.\n"
    response = send(client_for("mediator"), "POST", url("texts"), {"source": source})
    assert response.status_code == 201
    data = response.json()
    assert (data["key"], data["title"], data["working_draft"]) == ("ceasefire", "Ceasefire", 1)
    assert data["parties"] == ["party-a", "party-b"]
    draft = client_for("mediator").get(url("texts", "ceasefire", "versions", "1")).json()
    assert [c["key"] for c in draft["clauses"]] == ["lines"]
    refused = send(client_for("party_a_lead"), "POST", url("texts"), {"title": "Mine"})
    assert refused.status_code == 403
    bad = send(client_for("mediator"), "POST", url("texts"), {"title": "X", "source": "[x"})
    assert bad.status_code == 422 and "source" in bad.json()["errors"]


def test_the_team_changes_a_text_and_its_parties(text, client_for):
    team = client_for("mediator")
    response = send(team, "PATCH", text_url(), {"title": "Joint text", "parties": ["party-a"],
                                                "refraining": ["party-b"]})  # fmt: skip
    assert response.status_code == 200
    data = response.json()
    assert (data["title"], data["parties"], data["refraining"]) == (
        "Joint text", ["party-a"], ["party-b"])  # fmt: skip
    unknown = send(team, "PATCH", text_url(), {"parties": ["no-such-party"]})
    assert unknown.status_code == 422 and list(unknown.json()["errors"]) == ["parties"]
    assert send(client_for("party_a_lead"), "PATCH", text_url(), {"title": "X"}).status_code == 403


# Citations -------------------------------------------------------------------------------------


def test_a_clause_cites_a_statement_and_the_statement_lists_its_clauses(text, world, client_for):
    open_conversation(world, "poll")
    team = client_for("mediator")
    cited = send(team, "POST", clause_url(2, "fighters", "citations"),
                 {"conversation": "poll", "number": 1})  # fmt: skip
    assert cited.status_code == 201
    assert [(c["conversation"], c["statement"]) for c in cited.json()["citations"]] == [("poll", 1)]
    citing = "/api/v1/conversations/poll/statements/1/clauses"
    rows = team.get(citing).json()
    assert [(r["text"], r["version"], r["clause"]) for r in rows] == [(TEXT, 2, "fighters")]
    assert client_for("party_a_lead").get(citing).json() == []  # draft 2 is the team's
    circulate(team, 2)
    assert [r["version"] for r in client_for("party_a_lead").get(citing).json()] == [2]
    assert client_for("anonymous").get(citing).json() == []  # the text is process-level
    frozen = send(team, "POST", clause_url(2, "fighters", "citations"),
                  {"conversation": "poll", "number": 2})  # fmt: skip
    assert frozen.status_code == 403  # draft 2 is circulated now: it can no longer change
    party = send(client_for("party_a_lead"), "POST", clause_url(2, "fighters", "citations"),
                 {"conversation": "poll", "number": 1})  # fmt: skip
    assert party.status_code == 403


def test_a_citation_of_an_unknown_statement_is_named(text, world, client_for):
    open_conversation(world, "poll")
    response = send(client_for("mediator"), "POST", clause_url(2, "fighters", "citations"),
                    {"conversation": "poll", "number": 99})  # fmt: skip
    assert response.json() == {"errors": {"number": ["No such statement."]}}
    response = send(client_for("mediator"), "POST", clause_url(2, "fighters", "citations"),
                    {"conversation": "nope", "number": 1})  # fmt: skip
    assert response.json() == {"errors": {"conversation": ["No such conversation."]}}


# The schema ------------------------------------------------------------------------------------

OPERATIONS = {
    "list_texts", "create_text", "get_text", "update_text", "list_text_versions",
    "add_text_version", "get_text_version", "circulate_text_version", "get_text_board",
    "export_text_version", "add_text_clause", "get_text_clause", "edit_text_clause",
    "record_clause_position", "cite_clause_statement", "list_version_positions",
    "list_version_comments", "add_version_comment", "mark_version_reviewed",
    "diff_text_versions", "list_text_amendments", "propose_text_amendment",
    "decide_text_amendment", "list_statement_clauses",
}  # fmt: skip


def test_the_openapi_schema_lists_every_text_operation(client_for):
    schema = client_for("anonymous").get("/api/v1/openapi.json").json()
    ids = {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}
    assert ids >= OPERATIONS
    components = schema["components"]["schemas"]  # no schema of the texts hides another's
    assert {"ClausePositionIn", "StatementCitationIn", "ConflictOut"} <= set(components)
    assert "actor" in components["PositionIn"]["properties"]
    assert "target_kind" in components["CitationIn"]["properties"]
    edit = schema["paths"][
        "/api/v1/processes/{slug}/texts/{key}/versions/{number}/clauses/{clause}"
    ]
    assert "409" in edit["patch"]["responses"]


def test_a_write_needs_the_sessions_csrf_token(text, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["mediator"])
    response = send(client, "PATCH", clause_url(2, "next-round"), {"revision": 1, "body": "X"})
    assert response.status_code == 403
    assert Clause.objects.get(version=text.draft_2, key="next-round").revision == 1
