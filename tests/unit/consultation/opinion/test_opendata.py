"""Reading and writing Pol.is openData folders (research note polis.md §2, spec S1-S4).

The real conversations live outside the repository, in `<repo root>/../shared/data/polis/`; when
that folder is missing these tests FAIL with a message saying where it should be, never skip.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.consultation.opinion.opendata import (
    MAX_PROBLEMS,
    CommentRow,
    OpenDataError,
    OpenDataExport,
    latest_votes,
    read_folder,
    write_folder,
)
from parley.consultation.opinion.types import VoteLog
from tests.shared_data import POLIS, SHARED

# The conversations known to have both votes.csv and participants-votes.csv (S1). Any other
# folder with both files that appears under POLIS is checked too.
KNOWN_WITH_BOTH = [
    "15-per-hour-seattle",
    "bg2050-volunteers",
    "brexit-consensus",
    "canadian-electoral-reform",
    "football-concussions",
    "scoop-hivemind.taxes",
    "scoop-hivemind.ubi",
    "vtaiwan.uberx",
]
FOUND_WITH_BOTH = [
    str(path.parent.relative_to(POLIS))
    for path in sorted(POLIS.rglob("votes.csv"))
    if (path.parent / "participants-votes.csv").is_file()
]
WITH_BOTH = sorted(set(KNOWN_WITH_BOTH) | set(FOUND_WITH_BOTH))
SMALL = "15-per-hour-seattle"


def polis(name: str) -> Path:
    """Return the folder of one real conversation, or fail saying where the data should be."""
    folder = POLIS / name
    if not (folder / "comments.csv").is_file():
        pytest.fail(
            f"Pol.is openData conversation {name!r} not found at {folder}: these tests need the "
            f"shared data folder {SHARED}: set PARLEY_SHARED_DIR if it is elsewhere."
        )
    return folder


def pairs(log: VoteLog) -> np.ndarray:
    """Return the log's (participant, statement, vote) rows sorted by participant, statement."""
    rows = np.column_stack([log.participant, log.statement, log.vote.astype(np.int64)])
    return rows[np.lexsort((rows[:, 1], rows[:, 0]))]


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- S1, S2: the real files -------------------------------------------------------------------


def test_vtaiwan_keeps_the_latest_vote_per_pair():
    final = latest_votes(read_folder(polis("vtaiwan.uberx")).log)
    assert (len(np.unique(final.participant)), len(np.unique(final.statement))) == (1921, 197)
    assert len(final.vote) == 49_443


def test_seattle_keeps_the_latest_vote_per_pair():
    conversation = read_folder(polis(SMALL))
    final = latest_votes(conversation.log)
    assert (len(np.unique(final.participant)), len(conversation.statements.ids)) == (339, 54)
    assert len(final.vote) == 2_872
    assert len(conversation.log.vote) == 2_995  # every event is kept, re-votes included


@pytest.mark.parametrize("name", WITH_BOTH)
def test_latest_votes_equal_the_final_matrix_cell_for_cell(name):
    from_events = read_folder(polis(name))
    from_matrix = read_folder(polis(name), source="participants-votes.csv")
    assert from_events.source == "votes.csv"
    assert from_matrix.source == "participants-votes.csv"
    np.testing.assert_array_equal(pairs(latest_votes(from_events.log)), pairs(from_matrix.log))
    assert from_events.group_ids == from_matrix.group_ids


def test_vtaiwan_vote_sums_use_agree_plus_one():
    final = latest_votes(read_folder(polis("vtaiwan.uberx")).log)
    assert Counter(final.vote.tolist()) == {1: 31_029, -1: 11_894, 0: 6_520}


def test_agree_is_plus_one_in_the_files_themselves():
    # comments.csv's `agrees` counts vote events (re-votes included): it must equal the +1
    # events of votes.csv per comment, and `disagrees` the -1 events.
    folder = polis("vtaiwan.uberx")
    log = read_folder(folder).log
    for row in csv_rows(folder / "comments.csv"):
        votes = log.vote[log.statement == int(row["comment-id"])]
        assert (int(row["agrees"]), int(row["disagrees"])) == (
            int((votes == 1).sum()),
            int((votes == -1).sum()),
        )


def test_the_event_log_comes_in_timestamp_order():
    log = read_folder(polis("vtaiwan.uberx")).log
    assert log.time is not None
    assert np.all(np.diff(log.time) >= 0)


def test_moderated_minus_one_is_moderated_out():
    conversation = read_folder(polis("vtaiwan.uberx"))
    rejected = {c.id for c in conversation.comments if c.moderated == -1}
    assert conversation.statements.moderated_out == rejected
    assert len(rejected) == 78
    assert len(conversation.statements.ids) == len(conversation.comments) == 197


def test_is_meta_marks_meta_statements_and_the_gac_column_is_read():
    conversation = read_folder(polis("bg2050-volunteers"))
    assert len(conversation.statements.meta) == 1
    assert len(conversation.statements.moderated_out) == 55
    assert sum(c.is_seed for c in conversation.comments) == 25
    assert len(conversation.group_informed_consensus) == 371
    assert conversation.group_informed_consensus[2] == pytest.approx(0.6839080459770114)


def test_group_ids_come_from_participants_votes_with_blanks_left_out():
    groups = read_folder(polis("vtaiwan.uberx")).group_ids
    assert len(groups) == 1_219
    assert Counter(groups.values()) == {0: 330, 1: 889}


def test_without_votes_csv_the_final_matrix_is_read():
    conversation = read_folder(polis("american-assembly.bowling-green"))
    assert conversation.source == "participants-votes.csv"
    assert conversation.log.time is None
    assert len(conversation.log.vote) == 225_524
    assert len(np.unique(conversation.log.participant)) == 2_031
    assert len(conversation.statements.ids) == 896
    assert Counter(conversation.group_ids.values()) == {0: 753, 1: 828}


def test_summary_is_read_as_key_value_pairs():
    summary = read_folder(polis(SMALL)).summary
    assert summary["topic"] == "$15/hour"
    assert summary["url"] == "https://pol.is/2demo"


# -- bad input: every problem named by file, line and reason; nothing returned ------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a writable copy of a small real conversation."""
    copy = tmp_path / "conversation"
    shutil.copytree(polis(SMALL), copy)
    for path in copy.iterdir():
        path.chmod(0o644)  # the shared data is read-only
    return copy


def edit_line(path: Path, line: int, change) -> None:
    """Replace physical line *line* (1-based) of *path* by change(old line)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = change(lines[line - 1])
    path.write_text("\n".join(lines), encoding="utf-8")


def set_field(path: Path, line: int, column: str, value: str) -> None:
    """Set one field of a simple (unquoted) CSV line."""
    header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")

    def change(old: str) -> str:
        fields = old.split(",")
        fields[header.index(column)] = value
        return ",".join(fields)

    edit_line(path, line, change)


def problems_of(folder: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(OpenDataError) as caught:
        read_folder(folder)
    return caught.value.problems


def test_a_missing_column_is_named_with_its_file_and_the_header_line(folder):
    edit_line(folder / "votes.csv", 1, lambda old: old.replace(",vote", ",choice"))
    with pytest.raises(OpenDataError, match=r"votes\.csv:1: missing column 'vote'"):
        read_folder(folder)


def test_an_unknown_vote_value_is_named_with_its_line(folder):
    set_field(folder / "votes.csv", 17, "vote", "2")
    with pytest.raises(OpenDataError, match=r"votes\.csv:17: vote '2' is not one of 1, -1, 0"):
        read_folder(folder)


def test_a_vote_on_a_statement_not_in_comments_is_named(folder):
    set_field(folder / "votes.csv", 40, "comment-id", "999")
    assert problems_of(folder) == [
        ("votes.csv", 40, "vote on comment 999, which is not in comments.csv")
    ]


def test_a_matrix_column_for_an_unknown_statement_is_named(folder):
    edit_line(folder / "participants-votes.csv", 1, lambda old: old.replace(",53", ",999"))
    assert problems_of(folder) == [
        ("participants-votes.csv", 1, "column '999' is a comment not in comments.csv")
    ]


def test_a_non_integer_id_is_named(folder):
    set_field(folder / "votes.csv", 5, "voter-id", "p5")
    set_field(folder / "votes.csv", 6, "comment-id", '"1\n2"')
    set_field(folder / "participants-votes.csv", 8, "participant", "7.0")
    assert problems_of(folder) == [
        ("votes.csv", 6, "comment id '1\\n2' is not an integer"),
        ("votes.csv", 5, "voter id 'p5' is not an integer"),
        ("participants-votes.csv", 8, "participant '7.0' is not an integer"),
    ]


def test_non_utf8_bytes_are_named_with_their_line(folder):
    path = folder / "comments.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b",", b",\xff", 1)
    path.write_bytes(b"\n".join(lines))
    (file, line, reason), *others = problems_of(folder)
    assert (file, line, others) == ("comments.csv", 4, [])
    assert reason.startswith("byte 0xff at column")


def test_a_ragged_row_is_named(folder):
    edit_line(folder / "participants-votes.csv", 12, lambda old: old.rsplit(",", 1)[0])
    assert problems_of(folder) == [
        ("participants-votes.csv", 12, "row has 59 fields, the header has 60")
    ]


def test_a_bad_matrix_cell_names_its_line_and_column(folder):
    set_field(folder / "participants-votes.csv", 3, "5", "1.0")
    assert problems_of(folder) == [
        ("participants-votes.csv", 3, "vote '1.0' in column '5' is not one of 1, -1, 0 or blank")
    ]


def test_a_missing_file_is_named(folder):
    (folder / "comments.csv").unlink()
    with pytest.raises(OpenDataError, match=r"comments\.csv: file is missing"):
        read_folder(folder)


def test_a_folder_without_any_vote_file_is_refused(folder):
    (folder / "votes.csv").unlink()
    (folder / "participants-votes.csv").unlink()
    assert problems_of(folder) == [
        ("participants-votes.csv", 0, "file is missing, and so is votes.csv: no votes")
    ]


def test_a_chosen_source_that_is_missing_is_named(folder):
    (folder / "participants-votes.csv").unlink()
    with pytest.raises(OpenDataError, match=r"participants-votes\.csv: file is missing"):
        read_folder(folder, source="participants-votes.csv")


def test_broken_quoting_is_named(folder):
    edit_line(folder / "summary.csv", 1, lambda old: 'topic,"$15/hour')
    ((file, line, reason),) = problems_of(folder)
    assert (file, line) == ("summary.csv", 1)
    assert reason.startswith("bad CSV")


def test_line_numbers_count_physical_lines_across_multiline_comments(tmp_path):
    # scoop-hivemind.ubi's first comment spans lines 2-3, so the second record starts on line 4.
    ubi = tmp_path / "ubi"
    shutil.copytree(polis("scoop-hivemind.ubi"), ubi)
    path = ubi / "comments.csv"
    path.chmod(0o644)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[3].startswith("1503482939572,") and ",69,169,1,0,0," in lines[3]
    lines[3] = lines[3].replace(",69,169,1,0,0,", ",69,169,1,0,maybe,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert problems_of(ubi) == [("comments.csv", 4, "moderated 'maybe' is not one of 1, 0, -1")]


def test_all_problems_come_in_one_error_up_to_the_limit(folder):
    for line in range(2, 2 + MAX_PROBLEMS + 5):
        set_field(folder / "votes.csv", line, "vote", "yes")
    set_field(folder / "comments.csv", 2, "moderated", "2")
    with pytest.raises(OpenDataError) as caught:
        read_folder(folder)
    error = caught.value
    assert len(error.problems) == MAX_PROBLEMS
    assert error.problems[0] == ("comments.csv", 2, "moderated '2' is not one of 1, 0, -1")
    assert error.more == 6
    assert str(error).startswith(f"{folder}: 26 problems, nothing was read:")
    assert "votes.csv:2: vote 'yes' is not one of 1, -1, 0" in str(error)


def test_a_byte_order_mark_is_accepted(folder):
    path = folder / "comments.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(read_folder(folder).comments) == 54


# -- writing ------------------------------------------------------------------------------------


def export_of(folder: Path) -> OpenDataExport:
    conversation = read_folder(folder)
    return OpenDataExport(
        comments=conversation.comments,
        votes=conversation.log,
        group_ids=conversation.group_ids,
        summary=conversation.summary,
        group_informed_consensus=conversation.group_informed_consensus,
    )


@pytest.mark.parametrize("name", ["vtaiwan.uberx", "bg2050-volunteers"])
def test_write_then_read_gives_the_same_conversation(tmp_path, name):
    original = read_folder(polis(name))
    write_folder(tmp_path, export_of(polis(name)))
    again = read_folder(tmp_path)
    assert again.comments == original.comments
    for field in ("participant", "statement", "vote", "time"):
        np.testing.assert_array_equal(getattr(again.log, field), getattr(original.log, field))
    assert again.group_ids == original.group_ids
    assert again.statements.moderated_out == original.statements.moderated_out
    assert again.statements.meta == original.statements.meta
    np.testing.assert_array_equal(again.statements.ids, original.statements.ids)
    assert again.group_informed_consensus == pytest.approx(original.group_informed_consensus)
    matrix = read_folder(tmp_path, source="participants-votes.csv").log
    np.testing.assert_array_equal(pairs(matrix), pairs(latest_votes(original.log)))


def test_written_files_have_pol_is_columns(tmp_path):
    write_folder(tmp_path, export_of(polis(SMALL)))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "comments.csv",
        "participants-votes.csv",
        "stats-history.csv",
        "summary.csv",
        "votes.csv",
    ]
    header = {p.name: p.read_text(encoding="utf-8").split("\n", 1)[0] for p in tmp_path.iterdir()}
    assert header["comments.csv"] == (
        "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,"
        "group-informed-consensus,comment-body"
    )
    assert header["votes.csv"] == "timestamp,datetime,comment-id,voter-id,vote"
    assert header["participants-votes.csv"].startswith(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2,"
    )
    assert header["stats-history.csv"] == "n-votes,n-comments,n-visitors,n-voters,n-commenters"


def test_written_matrix_matches_the_original_export(tmp_path):
    # Fixed columns included: n-votes/n-agree/n-disagree count final votes, n-comments authored.
    write_folder(tmp_path, export_of(polis(SMALL)))
    ours = {row["participant"]: row for row in csv_rows(tmp_path / "participants-votes.csv")}
    for theirs in csv_rows(polis(SMALL) / "participants-votes.csv"):
        assert {k: v for k, v in ours[theirs["participant"]].items() if k in theirs} == theirs


def test_agrees_and_disagrees_count_vote_events_as_pol_is_does(tmp_path):
    write_folder(tmp_path, export_of(polis(SMALL)))
    theirs = {r["comment-id"]: r for r in csv_rows(polis(SMALL) / "comments.csv")}
    for row in csv_rows(tmp_path / "comments.csv"):
        original = theirs[row["comment-id"]]
        assert (row["agrees"], row["disagrees"]) == (original["agrees"], original["disagrees"])


def tiny_export() -> OpenDataExport:
    """Two authors, three voters; voter 7 changes their mind on statement 1."""
    comments = (
        CommentRow(id=0, author=5, text="Plain", moderated=1, timestamp=1_000),
        CommentRow(
            id=1, author=5, text='Quote "this", then\nnewline', moderated=0, timestamp=2_000
        ),
        CommentRow(
            id=2, author=8, text="Méta, ünïcode", moderated=-1, is_meta=True, timestamp=3_000
        ),
    )
    votes = VoteLog(
        participant=np.array([5, 7, 7, 8, 7], dtype=np.int64),
        statement=np.array([0, 1, 0, 1, 1], dtype=np.int64),
        vote=np.array([1, -1, 0, 1, 1], dtype=np.int8),
        time=np.array([1_500, 2_500, 2_600, 3_500, 4_000], dtype=np.int64),
    )
    return OpenDataExport(
        comments=comments,
        votes=votes,
        group_ids={5: 0, 7: 1},
        summary={"topic": "Tiny", "url": "https://example.org/tiny"},
        group_informed_consensus={0: 0.25, 1: 0.125},
    )


def test_stats_history_counts_distinct_voters_and_commenters(tmp_path):
    write_folder(tmp_path, tiny_export())
    rows = [[int(v) for v in row.values()] for row in csv_rows(tmp_path / "stats-history.csv")]
    # Events: visit 5, comment 0, vote 5, comment 1, visit 7, vote 7, vote 7, visit 8,
    # comment 2, vote 8, vote 7 (re-vote).
    assert rows == [
        [0, 0, 1, 0, 0],
        [0, 1, 1, 0, 1],
        [1, 1, 1, 1, 1],
        [1, 2, 1, 1, 1],
        [1, 2, 2, 1, 1],
        [2, 2, 2, 2, 1],
        [3, 2, 2, 2, 1],
        [3, 2, 3, 2, 1],
        [3, 3, 3, 2, 2],
        [4, 3, 3, 3, 2],
        [5, 3, 3, 3, 2],
    ]


def test_summary_keeps_metadata_and_computes_counts(tmp_path):
    write_folder(tmp_path, tiny_export())
    assert read_folder(tmp_path).summary == {
        "topic": "Tiny",
        "url": "https://example.org/tiny",
        "views": "3",
        "voters": "3",
        "voters-in-conv": "3",  # Pol.is's meaning: every voter (matrix rows), not the clustered
        "commenters": "2",
        "comments": "2",
        "groups": "2",
    }


def test_tiny_export_round_trips(tmp_path):
    export = tiny_export()
    write_folder(tmp_path, export)
    again = read_folder(tmp_path)
    assert again.comments == export.comments
    assert again.group_ids == {5: 0, 7: 1}
    assert again.group_informed_consensus[0] == 0.25
    assert 2 not in again.group_informed_consensus  # blank: no value
    np.testing.assert_array_equal(again.log.time, export.votes.time)
    np.testing.assert_array_equal(again.log.vote, export.votes.vote)
    final = read_folder(tmp_path, source="participants-votes.csv").log
    assert sorted(
        zip(final.participant.tolist(), final.statement.tolist(), final.vote.tolist(), strict=True)
    ) == [
        (5, 0, 1),
        (7, 0, 0),
        (7, 1, 1),
        (8, 1, 1),
    ]


def test_write_refuses_votes_without_times(tmp_path):
    export = tiny_export()
    untimed = VoteLog(export.votes.participant, export.votes.statement, export.votes.vote)
    with pytest.raises(ValueError, match="needs times"):
        write_folder(tmp_path, OpenDataExport(comments=export.comments, votes=untimed))


texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@settings(max_examples=40, deadline=None)
@given(
    bodies=st.lists(texts, min_size=1, max_size=6),
    events=st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 5), st.sampled_from([-1, 0, 1])),
        max_size=40,
    ),
)
def test_any_texts_and_votes_round_trip(bodies, events):
    comments = tuple(
        CommentRow(id=i, author=i % 3, text=body, moderated=(i % 3) - 1, timestamp=i)
        for i, body in enumerate(bodies)
    )
    events = [(p, s % len(bodies), v) for p, s, v in events]
    votes = VoteLog(
        participant=np.array([p for p, _, _ in events], dtype=np.int64),
        statement=np.array([s for _, s, _ in events], dtype=np.int64),
        vote=np.array([v for _, _, v in events], dtype=np.int8),
        time=np.arange(len(events), dtype=np.int64) * 10,
    )
    with tempfile.TemporaryDirectory() as directory:
        write_folder(directory, OpenDataExport(comments=comments, votes=votes))
        again = read_folder(directory)
    assert again.comments == comments
    np.testing.assert_array_equal(again.log.participant, votes.participant)
    np.testing.assert_array_equal(again.log.statement, votes.statement)
    np.testing.assert_array_equal(again.log.vote, votes.vote)


def test_a_statement_without_author_round_trips_and_counts_no_commenter(tmp_path):
    export = tiny_export()
    seeded = CommentRow(id=3, author=-1, text="Seeded", moderated=1, is_seed=True, timestamp=50)
    write_folder(tmp_path, OpenDataExport(comments=(*export.comments, seeded), votes=export.votes))
    again = read_folder(tmp_path)
    assert again.comments[-1] == seeded
    assert again.summary["commenters"] == "2"
    last = csv_rows(tmp_path / "stats-history.csv")[-1]
    assert (last["n-comments"], last["n-commenters"], last["n-visitors"]) == ("4", "2", "3")


def test_latest_votes_goes_by_time_then_by_array_order():
    log = VoteLog(
        participant=np.array([1, 1, 2, 1], dtype=np.int64),
        statement=np.array([5, 5, 5, 5], dtype=np.int64),
        vote=np.array([1, -1, 0, 0], dtype=np.int8),
        time=np.array([30, 10, 20, 30], dtype=np.int64),
    )
    final = latest_votes(log)
    # Participant 1: the two votes at t=30 tie, and the later in the array wins.
    assert list(zip(final.participant.tolist(), final.vote.tolist(), strict=True)) == [
        (2, 0),
        (1, 0),
    ]
    untimed = latest_votes(VoteLog(log.participant, log.statement, log.vote))
    assert untimed.vote.tolist() == [0, 0]
