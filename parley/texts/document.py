"""A negotiating text as plain values: what the bracket format, DOCX, PDF and diffs share (pure).

A clause's body is its wording with brackets kept inline: "[All foreign fighters] [All foreign
fighters, including Hezbollah,] shall leave the country [immediately] [as part of the political
process]." Spans in square brackets that follow one another with only spaces between them are one
*bracket*: alternative wordings for the same place, of which one will stay. A bracket holding a
single span offers that wording or none ("[immediately]" may be struck out).

Nothing here imports Django or the rest of Parley; the models turn into these values and back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class DraftingStatus(StrEnum):
    """Where a clause stands in the drafting (the Northern Ireland legend, mediation.md §2.2)."""

    UNDER_DISCUSSION = "under_discussion"
    AGREED = "agreed"
    COMPROMISE = "compromise"
    PROPOSED_DELETION = "proposed_deletion"
    AGREED_DELETION = "agreed_deletion"


DRAFTING_LABELS: dict[DraftingStatus, str] = {
    DraftingStatus.UNDER_DISCUSSION: "Under discussion",
    DraftingStatus.AGREED: "Agreed",
    DraftingStatus.COMPROMISE: "Compromise proposed",
    DraftingStatus.PROPOSED_DELETION: "Proposed deletion",
    DraftingStatus.AGREED_DELETION: "Agreed deletion",
}


@dataclass(frozen=True)
class Bracket:
    """Alternative wordings for one place in a clause, in the order the draft gives them."""

    alternatives: tuple[str, ...]

    @property
    def may_be_struck(self) -> bool:
        """A lone bracketed span may be deleted: "none" is its implicit second alternative."""
        return len(self.alternatives) == 1


Segment = str | Bracket
"""A run of settled wording, or a bracket."""


@dataclass(frozen=True)
class ClauseDoc:
    """One clause: its stable key, display number, heading, body and place in the outline.

    ``depth`` is 1 for a top-level clause, 2 for its sub-clauses and so on; a clause's parent is
    the nearest earlier clause one level up. ``body`` is the bracket syntax itself (escapes
    included); ``line`` is where the clause starts in its source file, for error messages only
    (it takes no part in equality).
    """

    key: str
    number: str = ""
    heading: str = ""
    body: str = ""
    depth: int = 1
    status: DraftingStatus = DraftingStatus.UNDER_DISCUSSION
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class TextDoc:
    """A whole draft: its title and its clauses in reading order."""

    title: str
    clauses: tuple[ClauseDoc, ...] = ()

    def parent_keys(self) -> dict[str, str | None]:
        """Return each clause's parent key (None at the top level), from the depths."""
        parents: dict[str, str | None] = {}
        open_keys: list[str] = []  # open_keys[d] is the latest clause at depth d + 1
        for clause in self.clauses:
            del open_keys[clause.depth - 1 :]
            parents[clause.key] = open_keys[-1] if open_keys else None
            open_keys.append(clause.key)
        return parents


OMIT_CLAUSE = "omit"
"""The label of the alternative every bracketed clause offers: leave the whole clause out."""

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_ALTERNATIVES = len(_LETTERS)


@dataclass(frozen=True)
class OptionDoc:
    """One alternative a party can rate: bracket 1's "1A", "1B"…, or "omit" (bracket 0).

    A struck-out lone span and the omitted clause have ``is_omit`` set and no text.
    """

    bracket: int
    label: str
    text: str
    is_omit: bool = False


def options_of(segments: tuple[Segment, ...]) -> tuple[OptionDoc, ...]:
    """Return the alternatives of a clause's brackets, then "omit this clause" if it has any."""
    options: list[OptionDoc] = []
    brackets = [segment for segment in segments if isinstance(segment, Bracket)]
    for number, bracket in enumerate(brackets, start=1):
        for index, wording in enumerate(bracket.alternatives):
            options.append(OptionDoc(number, f"{number}{_LETTERS[index]}", wording))
        if bracket.may_be_struck:
            options.append(OptionDoc(number, f"{number}{_LETTERS[1]}", "", is_omit=True))
    if brackets:
        options.append(OptionDoc(0, OMIT_CLAUSE, "", is_omit=True))
    return tuple(options)


Piece = str | tuple[str, str]
"""Settled wording, or one bracketed alternative with its label: ("1A", "All foreign fighters")."""


def labelled_pieces(segments: tuple[Segment, ...]) -> Iterator[Piece]:
    """Yield a clause's settled wording and its alternatives, each with its option label.

    Alternatives of one bracket are separated by a single space, as the bracket format writes
    them; Word and PDF print each label before its opening bracket.
    """
    labels = iter(option.label for option in options_of(segments) if not option.is_omit)
    for segment in segments:
        if not isinstance(segment, Bracket):
            yield segment
            continue
        for index, wording in enumerate(segment.alternatives):
            if index:
                yield " "
            yield (next(labels), wording)


def split_paragraphs(pieces: Iterable[Piece]) -> list[list[Piece]]:
    """Split pieces into paragraphs at blank lines in the settled wording.

    A bracket never splits a paragraph: the format refuses one that spans a blank line.
    """
    result: list[list[Piece]] = [[]]
    for piece in pieces:
        chunks: list[Piece] = [*piece.split("\n\n")] if isinstance(piece, str) else [piece]
        for index, chunk in enumerate(chunks):
            if index:
                result.append([])
            if chunk:
                result[-1].append(chunk)
    return [paragraph for paragraph in result if paragraph]
