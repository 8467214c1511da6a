"""The bracketed plain-text format of a negotiating text: read it, write it, fingerprint it (pure).

A mediator drafts in any editor and pastes or uploads the file; the web form edits one clause body
at a time. Both go through here, so a text and its clauses read the same everywhere. The format
is specified for users in docs/text-format.md; in short::

    # Title
    ## 1. Heading {#key .status}
    Body with [a bracket] [an alternative] and \\[ a literal bracket.

Reading collects every problem in one pass, each with its line and column, because a mediator
fixing a 40-page draft wants the whole list, not one error per upload. Writing gives one
canonical form: ``render_text(parse_text(s))`` is a fixed point, and a text built from valid
values reads back equal, so the fingerprint of a version is the hash of that form.
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from parley.texts.document import (
    MAX_ALTERNATIVES,
    OMIT_CLAUSE,
    Bracket,
    ClauseDoc,
    DraftingStatus,
    OptionDoc,
    Segment,
    TextDoc,
    options_of,
)

KEY_MAX_LENGTH = 80
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A clause key: lowercase ASCII letters and digits in hyphen-separated runs."""

_PUNCTUATION = frozenset(string.punctuation)  # a backslash before one of these escapes it
_PUNCTUATION_CLASS = r"[!-/:-@\[-`{-~]"  # the same characters, as a regex class
_HEADING = re.compile(r"(#+)(?:[ \t]+(.*))?")
_PART = r"(?:[0-9]+|[IVXLCDM]+|[ivxlcdm]+|[A-Za-z])"
_NUMBER = re.compile(rf"{_PART}(?:\.{_PART})*\.?(?=[ \t]|$)")
_BODY_TOKEN = re.compile(rf"\\{_PUNCTUATION_CLASS}|[\[\]]|[^\\\[\]]+|\\")
_LOOSE_BACKSLASH = re.compile(rf"\\(?={_PUNCTUATION_CLASS}|\Z)")
_HEADING_LIKE_LINE = re.compile(r"^(?=#+(?:[ \t]|$))", re.MULTILINE)
_GAP = re.compile(r"[ \t]*")
_STATUS_NAMES = ", ".join(f".{s.value.replace('_', '-')}" for s in DraftingStatus)
_DEFAULT_STATUS = DraftingStatus.UNDER_DISCUSSION


class Problem(NamedTuple):
    """One thing wrong with a text, at a 1-based line and column."""

    line: int
    column: int
    message: str


class TextFormatError(ValueError):
    """A text that does not read, with every problem found (``name:line:column: message``)."""

    def __init__(self, problems: list[Problem], name: str = "<text>") -> None:
        self.problems = list(problems)
        self.name = name
        super().__init__("\n".join(f"{name}:{p.line}:{p.column}: {p.message}" for p in problems))


@dataclass
class _Report:
    """The problems found so far, so that one reading reports them all."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(line, column, message))

    def raise_if_any(self, name: str) -> None:
        if self.problems:
            raise TextFormatError(sorted(self.problems), name)


# Reading a whole text -------------------------------------------------------------------------


def parse_text(source: str, *, name: str = "<text>") -> TextDoc:
    """Read a whole text, or raise TextFormatError listing every problem with line and column.

    Clause bodies come back canonical (``render_body(parse_body(body))``), so two sources that
    differ only in spacing the format ignores give equal documents.
    """
    report = _Report()
    outline = _Outline(report)
    for number, line in enumerate(_source_lines(source), start=1):
        outline.read(number, line)
    clauses = outline.clauses()
    report.raise_if_any(name)
    return TextDoc(outline.title, clauses)


def _source_lines(source: str) -> list[str]:
    """Split on any newline convention; trailing whitespace never means anything."""
    text = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in text.split("\n")]


@dataclass
class _Draft:
    """A clause as its heading line gave it, gathering its body lines until the next heading."""

    line: int
    depth: int
    number: str
    heading: str
    key: str
    status: DraftingStatus
    body: list[tuple[int, str]] = field(default_factory=list)


class _Outline:
    """Reads a text line by line: the title, then clause headings with their bodies."""

    def __init__(self, report: _Report) -> None:
        self.report = report
        self.title = ""
        self.has_title = False
        self.preamble_reported = False
        self.drafts: list[_Draft] = []
        self.keys: dict[str, int] = {}  # explicit key -> the line that first used it

    def read(self, number: int, line: str) -> None:
        match = _HEADING.fullmatch(line)
        if match is None:
            self._text(number, line)
        elif len(match.group(1)) == 1:
            self._title(number, match)
        else:
            self._heading(number, match)

    def clauses(self) -> tuple[ClauseDoc, ...]:
        keys = _fill_keys(self.drafts, set(self.keys))
        return tuple(
            ClauseDoc(
                key=key,
                number=draft.number,
                heading=draft.heading,
                body=render_body(_segments(draft.body, self.report)),
                depth=draft.depth,
                status=draft.status,
                line=draft.line,
            )
            for draft, key in zip(self.drafts, keys, strict=True)
        )

    def _text(self, number: int, line: str) -> None:
        if self.drafts:
            self.drafts[-1].body.append((number, line))
        elif line and not self.preamble_reported:
            column = len(line) - len(line.lstrip()) + 1
            self.report.add(
                number, column, "text before the first clause: start a clause with a '##' heading"
            )
            self.preamble_reported = True

    def _title(self, number: int, match: re.Match[str]) -> None:
        if self.drafts:
            message = "a title ('# …') must come before the first clause; write '\\#' for a '#'"
            self.report.add(number, 1, message + " at the start of a body line")
        elif self.has_title:
            self.report.add(number, 1, "a text has only one title ('# …')")
        else:
            self.has_title = True
            self.title = _inline(match.group(2) or "", number, match.start(2) + 1, self.report)

    def _heading(self, number: int, match: re.Match[str]) -> None:
        rest = match.group(2) or ""
        column = match.start(2) + 1 if match.group(2) is not None else len(match.group(1)) + 1
        fields = _read_heading(rest, number, column, self.report)
        if fields.key:
            self._claim(fields.key, number, fields.key_column)
        depth = self._depth(number, len(match.group(1)) - 1)
        self.drafts.append(
            _Draft(number, depth, fields.number, fields.heading, fields.key, fields.status)
        )

    def _depth(self, number: int, depth: int) -> int:
        """Check the heading does not skip a level; carry on as if it had not."""
        previous = self.drafts[-1].depth if self.drafts else 0
        if depth <= previous + 1:
            return depth
        hashes, allowed = "#" * (depth + 1), "#" * (previous + 2)
        if previous:
            message = f"heading level skipped: '{hashes}' after '{'#' * (previous + 1)}'"
        else:
            message = f"heading level skipped: the first clause is '{hashes}'"
        self.report.add(number, 1, f"{message} (use '{allowed}')")
        return previous + 1

    def _claim(self, key: str, number: int, column: int) -> None:
        if key in self.keys:
            message = f"duplicate key '{key}': line {self.keys[key]} already uses it"
            self.report.add(number, column, message)
        else:
            self.keys[key] = number


# Headings and titles --------------------------------------------------------------------------


class _HeadingFields(NamedTuple):
    number: str
    heading: str
    key: str
    key_column: int
    status: DraftingStatus


def _read_heading(rest: str, line: int, column: int, report: _Report) -> _HeadingFields:
    """Split what follows the hashes into number, heading and the ``{#key .status}`` block."""
    text, block_at = _split_attributes(rest)
    key, key_column, status = "", 0, _DEFAULT_STATUS
    if block_at >= 0:
        inside = rest[block_at + 1 : -1]
        key, key_column, status = _read_attributes(inside, line, column + block_at + 1, report)
    number = ""
    match = _NUMBER.match(text)
    if match and "." in match.group():
        number = match.group().removesuffix(".")
        skipped = len(text) - len(text[match.end() :].lstrip(" \t"))
        text, column = text[skipped:], column + skipped
    return _HeadingFields(number, _inline(text, line, column, report), key, key_column, status)


def _split_attributes(rest: str) -> tuple[str, int]:
    """Return the heading text before a trailing ``{…}`` block, and the block's offset (or -1)."""
    if not rest.endswith("}") or _is_escaped(rest, len(rest) - 1):
        return rest, -1
    start = rest.rfind("{")
    while start >= 0 and _is_escaped(rest, start):
        start = rest.rfind("{", 0, start)
    if start < 0:
        return rest, -1
    return rest[:start].rstrip(), start


def _is_escaped(text: str, index: int) -> bool:
    """Whether an odd number of backslashes stands right before text[index]."""
    backslashes = len(text[:index]) - len(text[:index].rstrip("\\"))
    return backslashes % 2 == 1


def _read_attributes(
    inside: str, line: int, column: int, report: _Report
) -> tuple[str, int, DraftingStatus]:
    """Read ``#key`` and ``.status`` tokens, in any order, reporting anything else."""
    key, key_column, status = "", 0, None
    for token in re.finditer(r"\S+", inside):
        value, at = token.group(), column + token.start()
        if value.startswith("#") and not key:
            key, key_column = _check_key(value[1:], line, at, report), at
        elif value.startswith(".") and status is None:
            status = _check_status(value[1:], line, at, report)
        elif value[:1] in "#.":
            report.add(line, at, f"'{value}': a heading has one key and one status")
        else:
            report.add(line, at, f"unknown attribute '{value}': write {{#key .status}}")
    return key, key_column, status or _DEFAULT_STATUS


def _check_key(key: str, line: int, column: int, report: _Report) -> str:
    if not KEY_PATTERN.fullmatch(key) or len(key) > KEY_MAX_LENGTH:
        message = f"bad key '#{key}': use lowercase letters, digits and single hyphens"
        report.add(line, column, f"{message}, at most {KEY_MAX_LENGTH} characters")
    return key


def _check_status(name: str, line: int, column: int, report: _Report) -> DraftingStatus | None:
    try:
        return DraftingStatus(name.replace("-", "_"))
    except ValueError:
        report.add(line, column, f"unknown status '.{name}': use one of {_STATUS_NAMES}")
        return None


def _inline(text: str, line: int, column: int, report: _Report) -> str:
    """Unescape a title or heading; an unescaped bracket there is a problem (brackets are for
    bodies, where parties rate them; a heading is settled wording)."""
    out: list[str] = []
    index = 0
    reported = False
    while index < len(text):
        char = text[index]
        if char == "\\" and text[index + 1 : index + 2] in _PUNCTUATION:
            out.append(text[index + 1])
            index += 2
            continue
        if char in "[]" and not reported:
            message = f"'{char}' outside a clause body: brackets belong in bodies"
            report.add(line, column + index, f"{message} (write '\\{char}' for a literal)")
            reported = True
        out.append(char)
        index += 1
    return "".join(out).strip()


def _fill_keys(drafts: list[_Draft], taken: set[str]) -> list[str]:
    """Give each clause without a key one from its heading, number or place, never a taken one.

    The heading comes first because renumbering is the commonest edit between drafts; once the
    text is written back (canonical form always writes keys) the keys never change again.
    """
    keys: list[str] = []
    for index, draft in enumerate(drafts, start=1):
        if draft.key:
            keys.append(draft.key)
            continue
        number = _slug(draft.number)
        base = _slug(draft.heading) or (f"c-{number}" if number else f"c-{index}")
        key, suffix = base, 2
        while key in taken:
            key, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(key)
        keys.append(key)
    return keys


def _slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, at most 60 characters (room for a suffix)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")


# Bodies ---------------------------------------------------------------------------------------


def parse_body(body: str, *, name: str = "<clause>", first_line: int = 1) -> tuple[Segment, ...]:
    """Read one clause body into settled wording and brackets (text unescaped).

    Problems are reported at ``first_line`` + the line within the body, so a form that edits one
    clause of a file can point into the file. Nothing here treats ``#`` as a heading: a body
    line may start with one, and the canonical form escapes it.
    """
    report = _Report()
    lines = [(first_line + index, text) for index, text in enumerate(_source_lines(body))]
    segments = _segments(lines, report)
    report.raise_if_any(name)
    return segments


def _segments(lines: list[tuple[int, str]], report: _Report) -> tuple[Segment, ...]:
    scanner = _BodyScanner(report)
    for index, (number, text) in enumerate(_tidy(lines)):
        scanner.line(number, text, first=index == 0)
    return _group(scanner.finish(), scanner)


def _tidy(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop leading and trailing blank lines and keep one blank line between paragraphs."""
    kept: list[tuple[int, str]] = []
    for number, text in lines:
        text = text.rstrip()
        if text or (kept and kept[-1][1]):
            kept.append((number, text))
    while kept and not kept[-1][1]:
        kept.pop()
    return kept


@dataclass
class _Span:
    """One bracketed span as read, with where its ``[`` stands for error messages."""

    text: str
    line: int
    column: int


class _BodyScanner:
    """Splits body lines into settled text and bracketed spans, reporting unbalanced brackets."""

    def __init__(self, report: _Report) -> None:
        self.report = report
        self.items: list[str | _Span] = []
        self.text: list[str] = []
        self.span: list[str] | None = None
        self.opened = (0, 0)
        self.noisy: set[int] = set()

    def line(self, number: int, text: str, *, first: bool) -> None:
        if not first:
            self._add("\n")
        if not text:
            self._paragraph_break()
        column = 1
        for token in _BODY_TOKEN.findall(text):
            self._token(token, number, column)
            column += len(token)

    def finish(self) -> list[str | _Span]:
        if self.span is not None:
            self.problem(*self.opened, "unclosed bracket: this '[' has no matching ']'")
        self._flush_text()
        return self.items

    def problem(self, line: int, column: int, message: str) -> None:
        if line not in self.noisy:
            self.noisy.add(line)
            self.report.add(line, column, message)

    def _token(self, token: str, line: int, column: int) -> None:
        if token == "[":
            self._open(line, column)
        elif token == "]":
            self._close(line, column)
        elif len(token) == 2 and token[0] == "\\":
            self._add(token[1])
        else:
            self._add(token)

    def _add(self, text: str) -> None:
        (self.text if self.span is None else self.span).append(text)

    def _open(self, line: int, column: int) -> None:
        if self.span is not None:
            message = "nested '[': close the open bracket first, or write '\\[' for a literal '['"
            self.problem(line, column, message)
            return
        self._flush_text()
        self.span, self.opened = [], (line, column)

    def _close(self, line: int, column: int) -> None:
        if self.span is None:
            self.problem(line, column, "stray ']': no bracket is open (write '\\]' for a literal)")
            return
        text, self.span = "".join(self.span), None
        if text.strip():
            self.items.append(_Span(text, *self.opened))
        else:
            self.problem(*self.opened, "empty bracket: an alternative needs some words")

    def _paragraph_break(self) -> None:
        if self.span is not None:
            message = "unclosed bracket: this '[' is not closed before the blank line"
            self.problem(*self.opened, message + " (a bracket cannot span paragraphs)")
            self.span = None

    def _flush_text(self) -> None:
        if self.text:
            self.items.append("".join(self.text))
            self.text = []


def _group(items: list[str | _Span], scanner: _BodyScanner) -> tuple[Segment, ...]:
    """Join spans separated only by spaces or tabs into one bracket of alternatives."""
    segments: list[Segment] = []
    group: list[_Span] = []
    for item in items:
        if isinstance(item, _Span):
            group.append(item)
        elif group and _GAP.fullmatch(item):
            continue  # the space between two alternatives: the canonical form writes one
        else:
            _flush_group(segments, group, scanner)
            group = []
            segments.append(item)
    _flush_group(segments, group, scanner)
    return tuple(segments)


def _flush_group(segments: list[Segment], group: list[_Span], scanner: _BodyScanner) -> None:
    if not group:
        return
    if len(group) > MAX_ALTERNATIVES:
        extra = group[MAX_ALTERNATIVES]
        message = f"too many alternatives: a bracket holds at most {MAX_ALTERNATIVES}"
        scanner.problem(extra.line, extra.column, message)
    segments.append(Bracket(tuple(span.text for span in group)))


# Writing --------------------------------------------------------------------------------------


def render_body(segments: tuple[Segment, ...]) -> str:
    """Write a body in canonical form: one space between alternatives, minimal escapes.

    A line that would read as a heading gets a backslash before its first ``#``.
    """
    pieces = [
        _escape(segment, "[]") if isinstance(segment, str) else _render_bracket(segment)
        for segment in segments
    ]
    return _HEADING_LIKE_LINE.sub("\\\\", "".join(pieces))


def _render_bracket(bracket: Bracket) -> str:
    return " ".join(f"[{_escape(text, '[]')}]" for text in bracket.alternatives)


def _escape(text: str, specials: str) -> str:
    """Escape *specials*, and a backslash only where it would otherwise escape what follows."""
    text = _LOOSE_BACKSLASH.sub("\\\\\\\\", text)
    for char in specials:
        text = text.replace(char, "\\" + char)
    return text


def render_text(doc: TextDoc) -> str:
    """Write a whole text in canonical form, which parse_text reads back equal.

    Every heading carries its key; the status appears unless it is "under discussion". A body
    that is not valid bracket syntax raises TextFormatError (its lines counted from 1).
    """
    blocks: list[str] = []
    if doc.title.strip():
        blocks.append(f"# {_escape(doc.title.strip(), '[]')}")
    for clause in doc.clauses:
        blocks.append(_heading_line(clause))
        body = render_body(parse_body(clause.body, name=f"clause {clause.key}"))
        if body:
            blocks.append(body)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _heading_line(clause: ClauseDoc) -> str:
    parts = ["#" * (clause.depth + 1)]
    if clause.number:
        parts.append(_render_number(clause.number))
    if clause.heading:
        parts.append(_escape_heading(clause.heading.strip(), numbered=bool(clause.number)))
    status = ""
    if clause.status != _DEFAULT_STATUS:
        status = " ." + clause.status.value.replace("_", "-")
    parts.append(f"{{#{clause.key}{status}}}")
    return " ".join(parts)


def _render_number(number: str) -> str:
    """Write "1" as "1." and "2.1" as is: a number is read only if it holds a dot."""
    number = number.removesuffix(".")
    return number if "." in number else f"{number}."


def _escape_heading(heading: str, *, numbered: bool) -> str:
    """Escape brackets and braces, and the dot of a heading that would read as a number."""
    text = _escape(heading, "[]{}")
    match = None if numbered else _NUMBER.match(text)
    if match and "." in match.group():
        dot = text.index(".")
        text = f"{text[:dot]}\\{text[dot:]}"
    return text


def fingerprint(doc: TextDoc) -> str:
    """SHA-256 (hex) of the canonical text, NFC-normalised and UTF-8 encoded.

    NFC so that the same words typed on two keyboards (precomposed or combining accents) give
    the same fingerprint on the printed version.
    """
    canonical = unicodedata.normalize("NFC", render_text(doc))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Plain prose ----------------------------------------------------------------------------------

_CLOSING_PUNCTUATION = tuple(".,;:!?)")


def wording(segments: tuple[Segment, ...], chosen: Mapping[int, str | None] | None = None) -> str:
    """Return a clause as prose, with the chosen alternative of each settled bracket.

    ``chosen[n]`` is the label ("1A", "1B"…, as options_of gives them) for bracket n; None or a
    struck-out label drops the words. A bracket not in *chosen* stays open, shown as
    "[alt] [alt]". ``chosen[0] == "omit"`` leaves the whole clause out (""). Dropping words
    leaves no double space and no space before closing punctuation.
    """
    chosen = chosen or {}
    if chosen.get(0) == OMIT_CLAUSE:
        return ""
    options = {(o.bracket, o.label): o for o in options_of(segments)}
    pieces: list[str | None] = []  # None: a bracket whose words were dropped
    number = 0
    for segment in segments:
        if isinstance(segment, str):
            pieces.append(segment)
            continue
        number += 1
        pieces.append(_bracket_words(segment, number, chosen, options))
    return re.sub(r"[ \t]{2,}", " ", _join_prose(pieces)).strip()


def _bracket_words(
    bracket: Bracket,
    number: int,
    chosen: Mapping[int, str | None],
    options: Mapping[tuple[int, str], OptionDoc],
) -> str | None:
    if number not in chosen:
        return " ".join(f"[{text}]" for text in bracket.alternatives)
    label = chosen[number]
    if label is None:
        return None
    option = options.get((number, label))
    if option is None:
        raise ValueError(f"bracket {number} has no option '{label}'")
    return None if option.is_omit else option.text


def _join_prose(pieces: Iterable[str | None]) -> str:
    text = ""
    dropped = False
    for piece in pieces:
        if piece is None:
            dropped = True
        elif dropped:
            text, dropped = _join_after_gap(text, piece), False
        else:
            text += piece
    return text


def _join_after_gap(left: str, right: str) -> str:
    """Join the words either side of dropped words without a stray space."""
    if not left or left.endswith(("\n", " ", "\t")):
        right = right.lstrip(" \t")
    if not right or right.startswith(_CLOSING_PUNCTUATION) or right.startswith("\n"):
        left = left.rstrip(" \t")
    return left + right
