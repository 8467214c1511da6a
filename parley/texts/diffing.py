"""What changed between two versions of a text: per clause, and word by word (pure).

The Northern Ireland talks had the chair's staff prepare "old and new version" sheets on request
(mediation.md §2.2); this is that sheet. A clause is followed by its stable key, never by its
number or place, so a clause that moved and was reworded shows as one change, not a deletion
and an addition.

Decisions:

- MOVED: among the clauses both versions hold, the fewest are marked moved that explain the new
  order (everything outside one longest common subsequence of the shared keys), plus any clause
  whose parent changed.
- CHANGED: the heading, the body or the drafting status differs. A new number alone is not a
  change: inserting a clause renumbers every clause after it, and flagging them all would hide
  the real edits. ``number_changed`` still says so, for the sheet to show.
- Words: tokens are words, runs of whitespace, and every other character on its own (so "[" and
  "]" stand apart from the words they hold); combining marks stay with the word before them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Literal, NamedTuple

from parley.texts.document import ClauseDoc, TextDoc

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD_CHAR = re.compile(r"\w")

Tag = Literal["equal", "insert", "delete"]


class WordOp(NamedTuple):
    """A run of text both versions share ("equal"), or only the new ("insert") or old ("delete")."""

    tag: Tag
    text: str


class ChangeKind(StrEnum):
    """What happened to one clause between two versions."""

    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    CHANGED = "changed"
    MOVED_AND_CHANGED = "moved_and_changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ClauseChange:
    """One clause across two versions: ``old`` is None when added, ``new`` when removed.

    ``heading`` and ``body`` are word diffs (all inserts for an added clause, all deletes for a
    removed one); a body diff runs over the bracket syntax, so brackets show as added or dropped.
    """

    key: str
    kind: ChangeKind
    old: ClauseDoc | None
    new: ClauseDoc | None
    heading: tuple[WordOp, ...]
    body: tuple[WordOp, ...]
    number_changed: bool
    status_changed: bool


@dataclass(frozen=True)
class TextDiff:
    """Every clause of either version, in the new version's reading order.

    A removed clause comes right after the clause that preceded it in the old version (after
    the other removed clauses there, in their old order), or first if nothing preceded it.
    """

    changes: tuple[ClauseChange, ...]

    def counts(self) -> dict[ChangeKind, int]:
        """How many clauses of each kind, every kind listed (zero included)."""
        counts = dict.fromkeys(ChangeKind, 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    @property
    def changed(self) -> tuple[ClauseChange, ...]:
        """The changes worth showing: everything but UNCHANGED."""
        return tuple(c for c in self.changes if c.kind is not ChangeKind.UNCHANGED)


def diff_texts(old: TextDoc, new: TextDoc) -> TextDiff:
    """Compare two versions clause by clause, following clauses by key."""
    old_by_key = {clause.key: clause for clause in old.clauses}
    new_keys = {clause.key for clause in new.clauses}
    moved = _moved_keys(old, new)
    removed_after = _removed_by_anchor(old, new_keys)
    changes = list(_removed(removed_after.get(None, [])))
    for clause in new.clauses:
        before = old_by_key.get(clause.key)
        if before is None:
            changes.append(_change(ChangeKind.ADDED, None, clause))
        else:
            changes.append(_kept(before, clause, moved=clause.key in moved))
        changes.extend(_removed(removed_after.get(clause.key, [])))
    return TextDiff(tuple(changes))


def _moved_keys(old: TextDoc, new: TextDoc) -> set[str]:
    """Keys kept in both versions that moved: outside the longest common order, or re-parented."""
    old_index = {clause.key: index for index, clause in enumerate(old.clauses)}
    shared = [clause.key for clause in new.clauses if clause.key in old_index]
    in_order = set(_longest_increasing(shared, old_index))
    old_parents, new_parents = old.parent_keys(), new.parent_keys()
    return {key for key in shared if key not in in_order or old_parents[key] != new_parents[key]}


def _longest_increasing(keys: Sequence[str], position: dict[str, int]) -> list[str]:
    """Keys forming a longest run whose old positions increase (patience sorting, n log n).

    Keys are unique, so this is a longest common subsequence of the two orders.
    """
    tails: list[int] = []  # tails[k]: smallest old position ending an increasing run of k + 1
    tail_at: list[int] = []  # index into keys of that run's last key
    previous: list[int] = []  # index into keys of the key before it in its run (-1: none)
    for index, key in enumerate(keys):
        at = bisect.bisect_left(tails, position[key])
        if at == len(tails):
            tails.append(position[key])
            tail_at.append(index)
        else:
            tails[at], tail_at[at] = position[key], index
        previous.append(tail_at[at - 1] if at else -1)
    run: list[str] = []
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        run.append(keys[index])
        index = previous[index]
    return run[::-1]


def _removed_by_anchor(old: TextDoc, new_keys: set[str]) -> dict[str | None, list[ClauseDoc]]:
    """Removed clauses grouped by the nearest earlier old clause that the new version keeps."""
    groups: dict[str | None, list[ClauseDoc]] = {}
    anchor: str | None = None
    for clause in old.clauses:
        if clause.key in new_keys:
            anchor = clause.key
        else:
            groups.setdefault(anchor, []).append(clause)
    return groups


def _removed(clauses: list[ClauseDoc]) -> list[ClauseChange]:
    return [_change(ChangeKind.REMOVED, clause, None) for clause in clauses]


def _kept(old: ClauseDoc, new: ClauseDoc, *, moved: bool) -> ClauseChange:
    changed = (old.heading, old.body, old.status) != (new.heading, new.body, new.status)
    if moved:
        kind = ChangeKind.MOVED_AND_CHANGED if changed else ChangeKind.MOVED
    else:
        kind = ChangeKind.CHANGED if changed else ChangeKind.UNCHANGED
    return _change(kind, old, new)


def _change(kind: ChangeKind, old: ClauseDoc | None, new: ClauseDoc | None) -> ClauseChange:
    either = new if new is not None else old
    assert either is not None, "a change has an old clause, a new one, or both"
    return ClauseChange(
        key=either.key,
        kind=kind,
        old=old,
        new=new,
        heading=diff_words(old.heading if old else "", new.heading if new else ""),
        body=diff_words(old.body if old else "", new.body if new else ""),
        number_changed=bool(old and new and old.number != new.number),
        status_changed=bool(old and new and old.status != new.status),
    )


def diff_words(old: str, new: str) -> tuple[WordOp, ...]:
    """Diff two strings word by word; adjacent operations of one kind are merged.

    Joining the equal and delete texts gives *old* back; the equal and insert texts give *new*.
    Matching runs first on words, each carrying its trailing whitespace (so the ubiquitous " "
    neither makes SequenceMatcher quadratic nor anchors matches on mere spaces); then each
    stretch whose text differs is diffed token by token, so a lost comma or an extra space
    shows as just that.
    """
    if old == new:
        return (WordOp("equal", old),) if old else ()
    ops: list[WordOp] = []
    left, right = "", ""  # a stretch that differs, waiting for the token-level pass
    for tag, old_text, new_text in _opcodes(_units(_tokens(old)), _units(_tokens(new))):
        if tag == "equal" and old_text == new_text:
            _refine(ops, left, right)
            left, right = "", ""
            _append(ops, "equal", old_text)
        else:
            left, right = left + old_text, right + new_text
    _refine(ops, left, right)
    return tuple(ops)


def _refine(ops: list[WordOp], old: str, new: str) -> None:
    """Diff a stretch that differs token by token; whitespace extends a match but never
    anchors one, or a shared " " would pair unrelated words."""
    for tag, old_text, new_text in _opcodes(_tokens(old), _tokens(new), str.isspace):
        if tag == "equal":
            _append(ops, "equal", old_text)  # token level: the two sides are identical
        else:
            _append(ops, "delete", old_text)
            _append(ops, "insert", new_text)


def _opcodes(
    before: list[str], after: list[str], junk: Callable[[str], bool] | None = None
) -> Iterator[tuple[str, str, str]]:
    """SequenceMatcher's opcodes as (tag, old text, new text), matching pieces on their words.

    Trailing whitespace takes no part in matching ("withdraw" matches "withdraw "), so an
    "equal" stretch may still differ in its spaces. The shared start and end are set aside
    first: edits between drafts are local, and the matcher is quadratic in the worst case.
    """
    before_keys, after_keys = _match_keys(before), _match_keys(after)
    head, tail = _shared_ends(before_keys, after_keys)
    yield "equal", "".join(before[:head]), "".join(after[:head])
    middle = slice(head, len(before) - tail), slice(head, len(after) - tail)
    matcher = SequenceMatcher(junk, before_keys[middle[0]], after_keys[middle[1]], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        yield tag, "".join(before[head + i1 : head + i2]), "".join(after[head + j1 : head + j2])
    yield "equal", "".join(before[len(before) - tail :]), "".join(after[len(after) - tail :])


def _match_keys(pieces: list[str]) -> list[str]:
    return [piece.rstrip() or piece for piece in pieces]


def _shared_ends(before: list[str], after: list[str]) -> tuple[int, int]:
    """How many tokens the two lists share at the start, and then at the end (not overlapping)."""
    limit = min(len(before), len(after))
    head = 0
    while head < limit and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < limit - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return head, tail


def _append(ops: list[WordOp], tag: Tag, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].tag == tag:
        ops[-1] = WordOp(tag, ops[-1].text + text)
    else:
        ops.append(WordOp(tag, text))


def _tokens(text: str) -> list[str]:
    """Split into words, whitespace runs and single other characters.

    Python's ``\\w`` leaves out combining marks (Arabic vowel signs, decomposed accents), so
    a mark and the word letters either side of it are glued back into one word.
    """
    if text.isascii():
        return _TOKEN.findall(text)
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if tokens and _glued(tokens[-1][-1], token[0]):
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def _units(tokens: list[str]) -> list[str]:
    """Join each whitespace token to the token before it: the coarse units of the first pass."""
    units: list[str] = []
    for token in tokens:
        if units and token.isspace() and not units[-1][-1].isspace():
            units[-1] += token
        else:
            units.append(token)
    return units


def _glued(last: str, first: str) -> bool:
    """Whether a token starting with *first* continues the word ending with *last*."""
    if _is_mark(first):
        return _is_mark(last) or _WORD_CHAR.match(last) is not None
    return _is_mark(last) and _WORD_CHAR.match(first) is not None


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def side_by_side(ops: tuple[WordOp, ...]) -> tuple[tuple[WordOp, ...], tuple[WordOp, ...]]:
    """Split a diff into the old side (equal and delete) and the new side (equal and insert)."""
    left = tuple(op for op in ops if op.tag != "insert")
    right = tuple(op for op in ops if op.tag != "delete")
    return left, right
