"""Comparing two versions of a text: clause by clause and word by word."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from parley.texts.diffing import (
    ChangeKind,
    TextDiff,
    WordOp,
    diff_texts,
    diff_words,
    side_by_side,
)
from parley.texts.document import ClauseDoc, DraftingStatus, TextDoc

FIGHTERS = (
    "[All foreign fighters] [All foreign fighters, including Hezbollah,] shall leave the country "
    "[immediately] [as part of the political process]."
)
ARABIC = "يجب على جميع المقاتلين الأجانب"


def old_side(ops: tuple[WordOp, ...]) -> str:
    return "".join(op.text for op in ops if op.tag != "insert")


def new_side(ops: tuple[WordOp, ...]) -> str:
    return "".join(op.text for op in ops if op.tag != "delete")


def text(*clauses: ClauseDoc) -> TextDoc:
    return TextDoc("T", clauses)


def flat(*keys: str) -> TextDoc:
    return text(*(ClauseDoc(key, body=f"Body of {key}.") for key in keys))


def kinds(diff: TextDiff) -> list[tuple[str, ChangeKind]]:
    return [(change.key, change.kind) for change in diff.changes]


# Words ----------------------------------------------------------------------------------------


def test_settling_the_second_bracket_deletes_the_brackets_and_immediately():
    old = FIGHTERS
    new = FIGHTERS.replace("[immediately] [as part of the political process]",
                           "as part of the political process")  # fmt: skip
    ops = diff_words(old, new)
    assert ops == (
        WordOp("equal", FIGHTERS[: FIGHTERS.index("[immediately]")]),
        WordOp("delete", "[immediately] ["),
        WordOp("equal", "as part of the political process"),
        WordOp("delete", "]"),
        WordOp("equal", "."),
    )
    assert (old_side(ops), new_side(ops)) == (old, new)


def test_equal_and_empty_strings():
    assert diff_words("", "") == ()
    assert diff_words("same words", "same words") == (WordOp("equal", "same words"),)
    assert diff_words("", "new words") == (WordOp("insert", "new words"),)
    assert diff_words("old words", "") == (WordOp("delete", "old words"),)


def test_a_replaced_word_is_one_delete_and_one_insert():
    assert diff_words("the parties shall withdraw", "the parties will withdraw") == (
        WordOp("equal", "the parties "),
        WordOp("delete", "shall"),
        WordOp("insert", "will"),
        WordOp("equal", " withdraw"),
    )


def test_punctuation_and_brackets_are_tokens_of_their_own():
    assert diff_words("fighters, now", "fighters; now") == (
        WordOp("equal", "fighters"),
        WordOp("delete", ","),
        WordOp("insert", ";"),
        WordOp("equal", " now"),
    )
    assert diff_words("[a] b", "a b") == (
        WordOp("delete", "["),
        WordOp("equal", "a"),
        WordOp("delete", "]"),
        WordOp("equal", " b"),
    )


def test_whitespace_changes_show_as_just_whitespace():
    assert diff_words("one two", "one  two") == (
        WordOp("equal", "one"),
        WordOp("delete", " "),
        WordOp("insert", "  "),
        WordOp("equal", "two"),
    )


def test_a_shared_space_does_not_pair_unrelated_words():
    ops = diff_words("the parties shall withdraw", "the two parties will  withdraw now")
    assert WordOp("equal", "withdraw") in ops
    assert (old_side(ops), new_side(ops)) == (
        "the parties shall withdraw",
        "the two parties will  withdraw now",
    )


def test_arabic_words_diff_as_words():
    ops = diff_words(ARABIC, ARABIC.replace("جميع", "كل"))
    assert WordOp("delete", "جميع") in ops
    assert WordOp("insert", "كل") in ops


def test_combining_marks_stay_with_their_word():
    vowelled = "يَجِبُ على"
    ops = diff_words(vowelled, "يجب على")
    assert ops[:2] == (WordOp("delete", "يَجِبُ"), WordOp("insert", "يجب"))
    decomposed = unicodedata.normalize("NFD", "café crème")
    ops = diff_words(decomposed, unicodedata.normalize("NFD", "cafe crème"))
    assert ops[:2] == (
        WordOp("delete", unicodedata.normalize("NFD", "café")),
        WordOp("insert", "cafe"),
    )


def test_side_by_side_splits_the_old_and_new_sides():
    ops = diff_words("a b c", "a x c")
    left, right = side_by_side(ops)
    assert left == (WordOp("equal", "a "), WordOp("delete", "b"), WordOp("equal", " c"))
    assert right == (WordOp("equal", "a "), WordOp("insert", "x"), WordOp("equal", " c"))
    assert side_by_side(()) == ((), ())


TEXTS = st.lists(
    st.one_of(
        st.sampled_from(list(" \n\t[],.;:!?-'\"\\#") + ["\u064e", "\u0301"]),
        st.sampled_from(["the", "parties", "shall", "جميع", "café", "Hezbollah", "1.2"]),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=30,
).map("".join)


@given(TEXTS, TEXTS)
def test_the_operations_rebuild_both_sides(old, new):
    ops = diff_words(old, new)
    assert (old_side(ops), new_side(ops)) == (old, new)
    left, right = side_by_side(ops)
    assert "".join(op.text for op in left) == old
    assert "".join(op.text for op in right) == new


@given(TEXTS, TEXTS)
def test_operations_are_merged_and_never_empty(old, new):
    ops = diff_words(old, new)
    assert all(op.text for op in ops)
    assert all(a.tag != b.tag for a, b in zip(ops, ops[1:], strict=False))


@given(st.lists(st.sampled_from(["the", "parties", "shall", "جميع", ",", "[", "]"]), max_size=12))
def test_words_only_added_show_only_inserts(words):
    old = " ".join(words)
    new = " ".join([*words, "and", "more"])
    ops = diff_words(old, new)
    assert {op.tag for op in ops} <= {"equal", "insert"}
    assert new_side(ops) == new


# Clauses --------------------------------------------------------------------------------------


def test_a_text_against_itself_is_all_unchanged():
    doc = flat("a", "b", "c")
    diff = diff_texts(doc, doc)
    assert kinds(diff) == [(k, ChangeKind.UNCHANGED) for k in "abc"]
    assert diff.changed == ()
    assert diff.counts() == {**dict.fromkeys(ChangeKind, 0), ChangeKind.UNCHANGED: 3}
    assert diff.changes[0].body == (WordOp("equal", "Body of a."),)


def test_added_and_removed_clauses_take_their_places():
    diff = diff_texts(flat("a", "b", "c", "d"), flat("a", "c", "e", "d"))
    assert kinds(diff) == [
        ("a", ChangeKind.UNCHANGED),
        ("b", ChangeKind.REMOVED),
        ("c", ChangeKind.UNCHANGED),
        ("e", ChangeKind.ADDED),
        ("d", ChangeKind.UNCHANGED),
    ]
    removed, added = diff.changes[1], diff.changes[3]
    assert (removed.old, removed.new) == (flat("b").clauses[0], None)
    assert removed.body == (WordOp("delete", "Body of b."),)
    assert (added.old, added.new) == (None, flat("e").clauses[0])
    assert added.body == (WordOp("insert", "Body of e."),)
    assert not (added.number_changed or added.status_changed)


def test_removed_clauses_follow_their_old_predecessor_in_old_order():
    diff = diff_texts(flat("x", "y", "a", "b", "c", "z"), flat("a", "z"))
    assert [key for key, _ in kinds(diff)] == ["x", "y", "a", "b", "c", "z"]
    diff = diff_texts(flat("a", "b", "c"), flat("c", "a"))
    assert kinds(diff) == [
        ("c", ChangeKind.MOVED),
        ("a", ChangeKind.UNCHANGED),
        ("b", ChangeKind.REMOVED),
    ]


def test_a_moved_clause_is_the_one_that_left_the_common_order():
    diff = diff_texts(flat("a", "b", "c", "d"), flat("b", "c", "d", "a"))
    assert kinds(diff) == [
        ("b", ChangeKind.UNCHANGED),
        ("c", ChangeKind.UNCHANGED),
        ("d", ChangeKind.UNCHANGED),
        ("a", ChangeKind.MOVED),
    ]


def test_a_clause_under_a_new_parent_has_moved():
    old = text(ClauseDoc("a"), ClauseDoc("b", depth=2), ClauseDoc("c"))
    new = text(ClauseDoc("a"), ClauseDoc("b"), ClauseDoc("c", depth=2))
    assert kinds(diff_texts(old, new)) == [
        ("a", ChangeKind.UNCHANGED),
        ("b", ChangeKind.MOVED),
        ("c", ChangeKind.MOVED),
    ]


def test_heading_body_and_status_changes_are_changes():
    old = text(ClauseDoc("a", "1", "Old", "x"), ClauseDoc("b", "2", "H", "y"),
               ClauseDoc("c", "3", "H", "z"))  # fmt: skip
    new = text(ClauseDoc("a", "1", "New", "x"), ClauseDoc("b", "2", "H", "y!"),
               ClauseDoc("c", "3", "H", "z", status=DraftingStatus.AGREED))  # fmt: skip
    diff = diff_texts(old, new)
    assert [c.kind for c in diff.changes] == [ChangeKind.CHANGED] * 3
    assert diff.changes[0].heading == (WordOp("delete", "Old"), WordOp("insert", "New"))
    assert diff.changes[1].body == (WordOp("equal", "y"), WordOp("insert", "!"))
    assert [c.status_changed for c in diff.changes] == [False, False, True]


def test_a_new_number_alone_is_not_a_change():
    old = text(ClauseDoc("a", "1", "A"), ClauseDoc("b", "2", "B"))
    new = text(ClauseDoc("new", "1", "New"), ClauseDoc("a", "2", "A"), ClauseDoc("b", "3", "B"))
    diff = diff_texts(old, new)
    assert kinds(diff) == [
        ("new", ChangeKind.ADDED),
        ("a", ChangeKind.UNCHANGED),
        ("b", ChangeKind.UNCHANGED),
    ]
    assert [c.number_changed for c in diff.changes] == [False, True, True]
    assert diff.changed == (diff.changes[0],)


def test_moved_and_reworded_is_one_change():
    old = text(ClauseDoc("a", body="x"), ClauseDoc("b", body="y"), ClauseDoc("c", body="z"))
    new = text(ClauseDoc("b", body="y"), ClauseDoc("c", body="z"), ClauseDoc("a", body="x2"))
    diff = diff_texts(old, new)
    assert kinds(diff) == [
        ("b", ChangeKind.UNCHANGED),
        ("c", ChangeKind.UNCHANGED),
        ("a", ChangeKind.MOVED_AND_CHANGED),
    ]
    assert diff.counts()[ChangeKind.MOVED_AND_CHANGED] == 1
    assert diff.changed == (diff.changes[2],)


def test_the_example_settled_shows_its_words():
    old = text(ClauseDoc("foreign-fighters", "1", "Foreign fighters", FIGHTERS))
    settled = FIGHTERS.replace("[immediately] [as part of the political process]",
                               "as part of the political process")  # fmt: skip
    new = text(ClauseDoc("foreign-fighters", "1", "Foreign fighters", settled))
    (change,) = diff_texts(old, new).changes
    assert change.kind is ChangeKind.CHANGED
    assert "".join(op.text for op in change.body if op.tag == "delete") == "[immediately] []"


# Properties -----------------------------------------------------------------------------------

POOL = [f"k{i}" for i in range(12)]
BODIES = st.lists(st.sampled_from(["the", "parties", "[shall]", "[may]", "جميع", "leave", ","]),
                  max_size=6).map(" ".join)  # fmt: skip


@st.composite
def documents(draw: st.DrawFn, keys: list[str] | None = None) -> TextDoc:
    keys = keys if keys is not None else draw(st.lists(st.sampled_from(POOL), unique=True))
    clauses: list[ClauseDoc] = []
    for key in keys:
        depth = draw(st.integers(1, clauses[-1].depth + 1 if clauses else 1))
        clauses.append(ClauseDoc(key, heading=draw(st.sampled_from(["", "H", "Other"])),
                                 body=draw(BODIES), depth=depth))  # fmt: skip
    return TextDoc("T", tuple(clauses))


def common_subsequence_length(a: list[str], b: list[str]) -> int:
    """The textbook dynamic programme, to check the n log n one against."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    return table[-1][-1]


@given(documents())
def test_a_text_against_itself_never_changes(doc):
    diff = diff_texts(doc, doc)
    assert all(change.kind is ChangeKind.UNCHANGED for change in diff.changes)
    assert [change.key for change in diff.changes] == [clause.key for clause in doc.clauses]


@settings(deadline=None)
@given(documents(), documents())
def test_added_and_removed_are_exactly_the_keys_on_one_side(old, new):
    diff = diff_texts(old, new)
    old_keys = {clause.key for clause in old.clauses}
    new_keys = {clause.key for clause in new.clauses}
    added = {c.key for c in diff.changes if c.kind is ChangeKind.ADDED}
    removed = {c.key for c in diff.changes if c.kind is ChangeKind.REMOVED}
    assert (added, removed) == (new_keys - old_keys, old_keys - new_keys)
    assert len(diff.changes) == len(old_keys | new_keys)
    assert sum(diff.counts().values()) == len(diff.changes)


@settings(deadline=None)
@given(documents(), documents())
def test_changes_follow_the_new_order_with_removed_clauses_after_their_predecessor(old, new):
    keys = [change.key for change in diff_texts(old, new).changes]
    new_keys = [clause.key for clause in new.clauses]
    assert [key for key in keys if key in set(new_keys)] == new_keys
    old_keys = [clause.key for clause in old.clauses]
    for index, key in enumerate(old_keys):
        if key not in new_keys:  # right after the clause before it in the old version
            at = keys.index(key)
            assert keys[at - 1] == old_keys[index - 1] if index else at == 0


@settings(deadline=None)
@given(st.permutations(POOL), st.data())
def test_permuting_clauses_marks_only_the_moved_ones(order, data):
    bodies = {key: data.draw(BODIES) for key in POOL}
    old = TextDoc("T", tuple(ClauseDoc(key, body=bodies[key]) for key in POOL))
    new = TextDoc("T", tuple(ClauseDoc(key, body=bodies[key]) for key in order))
    diff = diff_texts(old, new)
    assert {change.kind for change in diff.changes} <= {ChangeKind.MOVED, ChangeKind.UNCHANGED}
    staying = [c.key for c in diff.changes if c.kind is ChangeKind.UNCHANGED]
    assert staying == [key for key in POOL if key in staying]  # in the old order too
    assert len(staying) == common_subsequence_length(POOL, list(order))
    if list(order) == POOL:
        assert len(staying) == len(POOL)


@settings(deadline=None)
@given(documents(), documents())
def test_every_clause_diff_rebuilds_both_versions(old, new):
    for change in diff_texts(old, new).changes:
        before = change.old or ClauseDoc("", heading="", body="")
        after = change.new or ClauseDoc("", heading="", body="")
        assert (old_side(change.body), new_side(change.body)) == (before.body, after.body)
        assert (old_side(change.heading), new_side(change.heading)) == (
            before.heading,
            after.heading,
        )
        changed = (before.heading, before.body) != (after.heading, after.body)
        if change.old and change.new and changed:
            assert change.kind in (ChangeKind.CHANGED, ChangeKind.MOVED_AND_CHANGED)
