"""A negotiating text to and from Word (.docx), the way negotiators exchange drafts (pure).

Export (``render_docx``) writes the title in the Title style, then each clause as a heading,
"1. Foreign fighters" (Heading 2 for a top-level clause, Heading 3 for its sub-clauses, down to
Heading 9), then its paragraphs. Each bracketed alternative stays in square brackets with the
label parties rate it by as a small bold superscript just before its opening bracket: "¹ᴬ[All
foreign fighters] ¹ᴮ[All foreign fighters, including Hezbollah,]". Implicit alternatives (a lone
span struck out, the clause omitted) get no label. A clause whose drafting status is not "under
discussion" shows it in italics after its heading, "(Agreed)": the words of the Northern Ireland
legend rather than its colour code, because colour is lost on a fax, a photocopy and a screen
reader. The clause's key travels as hidden text at the end of its heading, "{#fighters}", so a
draft edited in Word comes back with every clause's identity intact. Every page's footer reads
"<label> · SHA-256 <fingerprint>" (all 64 hex digits) with the page number beside it; the
``status_note`` runs in every page's header. The body text is the bracket syntax itself, escapes
included, so what the mediator edits in Word is exactly what texts/format.py reads.

Import (``read_docx``) turns the Word file into bracket-format source, one line per line of each
Word paragraph, and hands it to ``format.parse_text``; problems are reported against Word
paragraph numbers (1-based, every paragraph of the body counted, empty ones too). It reads:

- the title: the first paragraph styled Title; failing that, the first non-empty paragraph when
  it is styled Heading 1 or is plain text;
- clause headings: every other Heading paragraph. The shallowest heading level used is depth 1,
  the next depth 2 and so on, so Title + Heading 2/3 (what the export writes) and Heading 1 +
  Heading 2/3 both work. A heading's number, text and ``{#key .status}`` attributes are the
  bracket format's; a heading ending in a drafting status in parentheses, "(Agreed)", has that
  status (so a heading can't end in one of those words in parentheses);
- numbered paragraphs, in a file with no clause headings at all: a paragraph styled List Number
  (List Number 2 for depth 2…) or numbered by Word's decimal numbering, or whose text starts
  "1." / "2.1", starts a clause of its own with that number and no heading; the rest of the
  paragraph is the first paragraph of the clause's body. Word's automatic numbers are
  recounted as 1, 2, 2.1… since the file holds only the list's format, not the numbers;
- every other paragraph: the body of the current clause;
- superscript runs that read like a label ("1A", "12C") are dropped, so an exported file comes
  back as the same text. Other superscript ("1st") stays.

Tables are refused with their position rather than dropped, so no clause text silently vanishes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from parley.texts.document import (
    DRAFTING_LABELS,
    Bracket,
    ClauseDoc,
    DraftingStatus,
    TextDoc,
    options_of,
)
from parley.texts.format import Problem, TextFormatError, parse_body, parse_text, render_body

Piece = str | tuple[str, str]
"""Source text, or one bracketed alternative in source form with its label: ("1A", "[…]")."""

_DEEPEST_HEADING = 9  # Word has Heading 1-9; the title takes the place of Heading 1
_LABEL = re.compile(r"\s*\d+[A-Z]\s*")
_NUMBERED = re.compile(r"\s*(\d+(?:\.\d+)*)\.?\s+(\S.*)?", re.DOTALL)
_HEADING_STYLE = re.compile(r"Heading ([1-9])")
_LIST_STYLE = re.compile(r"List Number(?: ([2-9]))?")
_STATUS_BY_LABEL = {label.casefold(): status for status, label in DRAFTING_LABELS.items()}
_TRAILING_STATUS = re.compile(
    r"\s*\((" + "|".join(map(re.escape, DRAFTING_LABELS.values())) + r")\)\s*$", re.IGNORECASE
)
_TRAILING_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")

# ---------------------------------------------------------------------------------------------
# Export


def render_docx(doc: TextDoc, *, label: str, fingerprint: str, status_note: str = "") -> bytes:
    """Return the draft as a Word document: what mediators circulate and edit offline."""
    word = Document()
    properties = word.core_properties
    properties.title = doc.title
    properties.subject = label
    properties.comments = f"{label} · SHA-256 {fingerprint}"
    properties.keywords = fingerprint
    _decorate(word.sections[0], f"{label} · SHA-256 {fingerprint}", status_note)
    word.add_paragraph(doc.title, style="Title")
    for clause in doc.clauses:
        _add_heading(word, clause)
        for paragraph in source_paragraphs(clause.body):
            _add_body(word, paragraph)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _decorate(section: Section, footer: str, status_note: str) -> None:
    """Put the label and fingerprint, then the page number, in the footer; the note on top."""
    first = section.footer.paragraphs[0]
    first.text = footer
    for run in first.runs:
        run.font.size = Pt(7)
    page = section.footer.add_paragraph()
    page.alignment = 2  # right
    _add_page_field(page)
    if status_note:
        top = section.header.paragraphs[0]
        top.text = status_note
        for run in top.runs:
            run.italic = True


def _add_page_field(paragraph: Paragraph) -> None:
    field = BaseOxmlElement.__new__  # placeholder, replaced below
    del field
    element = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
    run = paragraph._p.makeelement(qn("w:r"), {})
    text = run.makeelement(qn("w:t"), {})
    text.text = "1"
    run.append(text)
    element.append(run)
    paragraph._p.append(element)


def _add_heading(word: WordDocument, clause: ClauseDoc) -> None:
    style = f"Heading {min(clause.depth + 1, _DEEPEST_HEADING)}"
    paragraph = word.add_paragraph(style=style)
    paragraph.add_run(" ".join(part for part in (clause.number, clause.heading) if part))
    if clause.status != DraftingStatus.UNDER_DISCUSSION:
        paragraph.add_run(f" ({DRAFTING_LABELS[clause.status]})").italic = True
    paragraph.add_run(f" {{#{clause.key}}}").font.hidden = True


def _add_body(word: WordDocument, pieces: Sequence[Piece]) -> None:
    paragraph = word.add_paragraph()
    for piece in pieces:
        if isinstance(piece, str):
            paragraph.add_run(piece)
            continue
        label, source = piece
        mark = paragraph.add_run(label)
        mark.font.superscript = True
        mark.font.bold = True
        paragraph.add_run(source)


def source_paragraphs(body: str) -> list[list[Piece]]:
    """Split a clause body into Word paragraphs of source pieces, brackets labelled.

    Joining a paragraph's pieces gives its bracket syntax back; paragraphs break at blank lines
    in the settled wording, never inside a bracket.
    """
    result: list[list[Piece]] = [[]]
    for piece in _source_pieces(body):
        chunks = piece.split("\n\n") if isinstance(piece, str) else [piece]
        for index, chunk in enumerate(chunks):
            if index:
                result.append([])
            if chunk:
                result[-1].append(chunk)
    return [paragraph for paragraph in result if paragraph]


def _source_pieces(body: str) -> Iterator[Piece]:
    segments = parse_body(body)
    # options_of lists each bracket's alternatives in reading order; the rest are implicit.
    labels = iter(option.label for option in options_of(segments) if not option.is_omit)
    for segment in segments:
        if not isinstance(segment, Bracket):
            yield render_body((segment,))
            continue
        for index, wording in enumerate(segment.alternatives):
            if index:
                yield " "
            yield (next(labels), render_body((Bracket((wording,)),)))


# ---------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class _Para:
    """One Word paragraph as the import sees it: its number, kind and text without labels.

    ``columns[i]`` is where ``text[i]`` stands in the paragraph as Word shows it (0-based).
    ``heading`` is the Heading level (0: none) and ``listed`` the List Number level (0: none).
    """

    number: int
    text: str
    columns: tuple[int, ...]
    title: bool = False
    heading: int = 0
    listed: int = 0

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class _Line:
    """One line of the generated source and where its characters came from in Word."""

    text: str
    paragraph: int
    columns: tuple[int, ...]


def read_docx(data: bytes, *, name: str = "<docx>") -> TextDoc:
    """Read a draft a mediator wrote or edited in Word; errors name Word paragraph numbers."""
    paragraphs = _paragraphs(_open(data, name), name)
    lines = _Source(paragraphs, name).lines()
    try:
        return parse_text("\n".join(line.text for line in lines) + "\n", name=name)
    except TextFormatError as error:
        raise TextFormatError(
            [_in_word(problem, lines) for problem in error.problems], name=name
        ) from None


def _open(data: bytes, name: str) -> WordDocument:
    try:
        return Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError):
        raise _fail(name, 0, f"{name} is not a Word (.docx) document") from None


def _fail(name: str, paragraph: int, message: str) -> TextFormatError:
    return TextFormatError([Problem(paragraph, 1 if paragraph else 0, message)], name=name)


def _paragraphs(word: WordDocument, name: str) -> list[_Para]:
    """Return the body's paragraphs in order; a table is an error at its position."""
    numbering = _decimal_lists(word)
    result: list[_Para] = []
    for block in word.iter_inner_content():
        if isinstance(block, Table):
            where = len(result) + 1
            raise _fail(name, where, "tables cannot be imported: move the text into paragraphs")
        result.append(_para(block, len(result) + 1, numbering))
    return result


def _para(paragraph: Paragraph, number: int, numbering: set[tuple[str, str]]) -> _Para:
    text, columns = _visible_text(paragraph)
    style = paragraph.style.name if paragraph.style is not None else ""
    style = style or ""
    heading = _HEADING_STYLE.fullmatch(style)
    listed = _LIST_STYLE.fullmatch(style)
    return _Para(
        number,
        text,
        columns,
        title=style == "Title",
        heading=int(heading.group(1)) if heading else 0,
        listed=int(listed.group(1) or 1) if listed else _list_level(paragraph, numbering),
    )


def _visible_text(paragraph: Paragraph) -> tuple[str, tuple[int, ...]]:
    """Return the paragraph's text without label superscripts, with each character's column."""
    chars: list[str] = []
    columns: list[int] = []
    column = 0
    for superscript, text in _chunks(paragraph):
        if not (superscript and _LABEL.fullmatch(text)):
            chars.append(text)
            columns.extend(range(column, column + len(text)))
        column += len(text)
    return "".join(chars), tuple(columns)


def _chunks(paragraph: Paragraph) -> Iterator[tuple[bool, str]]:
    """Yield (is superscript, text) for runs in order, neighbours of one kind merged.

    Word splits runs wherever an edit happened, so "1A" may come as "1" and "A".
    """
    runs = paragraph._p.xpath(
        "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r"
        " | ./w:sdt/w:sdtContent/w:r"
    )
    kind: bool | None = None
    texts: list[str] = []
    for element in runs:
        run = Run(element, paragraph)
        superscript = bool(run.font.superscript)
        if kind is not None and superscript != kind:
            yield kind, "".join(texts)
            texts = []
        kind = superscript
        texts.append(run.text)
    if kind is not None:
        yield kind, "".join(texts)


def _decimal_lists(word: WordDocument) -> set[tuple[str, str]]:
    """Return the (numId, ilvl) pairs of Word's numbering that count 1, 2, 3 (not bullets)."""
    try:
        numbering = word.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return set()
    formats: dict[tuple[str, str], str] = {}
    for level in numbering.xpath("./w:abstractNum/w:lvl"):
        abstract = level.getparent().get(qn("w:abstractNumId"))
        found = level.xpath("./w:numFmt/@w:val")
        formats[(abstract, level.get(qn("w:ilvl")))] = found[0] if found else ""
    result: set[tuple[str, str]] = set()
    for num in numbering.xpath("./w:num"):
        abstract = num.xpath("./w:abstractNumId/@w:val")
        for (owner, ilvl), fmt in formats.items():
            if abstract and owner == abstract[0] and fmt == "decimal":
                result.add((num.get(qn("w:numId")), ilvl))
    return result


def _list_level(paragraph: Paragraph, numbering: set[tuple[str, str]]) -> int:
    """Return 1 + the paragraph's level in a decimal Word list, or 0 if it is in none."""
    num_id = paragraph._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    ilvl = paragraph._p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val") or ["0"]
    if num_id and (num_id[0], ilvl[0]) in numbering:
        return int(ilvl[0]) + 1
    return 0


class _Source:
    """Turns Word paragraphs into bracket-format lines, remembering where each came from."""

    def __init__(self, paragraphs: list[_Para], name: str) -> None:
        self.paragraphs = paragraphs
        self.name = name
        self.result: list[_Line] = []
        self.counters: list[int] = []  # Word's automatic numbers, recounted

    def lines(self) -> list[_Line]:
        """Return the source lines: title, then clauses and body paragraphs, blank-separated."""
        title = self._title()
        self._emit(title, "# ", _heading_text(title))
        rest = [p for p in self.paragraphs if p is not title and not p.blank]
        headed = [p.heading for p in rest if p.heading]
        for paragraph in rest:
            if headed:
                self._headed(paragraph, min(headed))
            else:
                self._numbered(paragraph)
        return self.result

    def _title(self) -> _Para:
        for paragraph in self.paragraphs:
            if paragraph.title and not paragraph.blank:
                return paragraph
        filled = [paragraph for paragraph in self.paragraphs if not paragraph.blank]
        if not filled:
            raise _fail(self.name, 1, "the document is empty")
        first = filled[0]
        if first.heading == 1 or not (first.heading or first.listed or _numbered(first.text)):
            return first
        raise _fail(
            self.name, first.number, "no title: style the first paragraph Title or Heading 1"
        )

    def _headed(self, paragraph: _Para, top: int) -> None:
        if paragraph.heading:
            marks = "#" * (paragraph.heading - top + 2)
            self._emit(paragraph, f"{marks} ", _heading_text(paragraph))
        else:
            self._emit(paragraph, "", paragraph.text, columns=paragraph.columns)

    def _numbered(self, paragraph: _Para) -> None:
        match = _numbered(paragraph.text)
        if paragraph.listed:
            number = self._count(paragraph.listed)
            start = 0
        elif match:
            number = match.group(1)
            start = match.start(2) if match.group(2) else len(paragraph.text)
        else:
            self._emit(paragraph, "", paragraph.text, columns=paragraph.columns)
            return
        depth = number.count(".") + 1
        self._emit(paragraph, "#" * (depth + 1) + " ", (f"{number}.", paragraph.columns[:1]))
        body = paragraph.text[start:]
        if body.strip():
            self._emit(paragraph, "", body, columns=paragraph.columns[start:])

    def _count(self, level: int) -> str:
        del self.counters[level:]
        while len(self.counters) < level:
            self.counters.append(0)
        self.counters[-1] += 1
        return ".".join(map(str, self.counters))

    def _emit(
        self,
        paragraph: _Para,
        prefix: str,
        content: str | tuple[str, tuple[int, ...]],
        *,
        columns: tuple[int, ...] = (),
    ) -> None:
        """Add a paragraph's lines (after a blank line), the first one behind ``prefix``."""
        text, columns = (content, columns) if isinstance(content, str) else content
        if self.result:
            self.result.append(_Line("", paragraph.number, ()))
        offset = 0
        for index, line in enumerate(text.split("\n")):
            head = prefix if index == 0 else ""
            where = columns[offset : offset + len(line)]
            first = where[0] if where else 0
            self.result.append(_Line(head + line, paragraph.number, (first,) * len(head) + where))
            offset += len(line) + 1


def _numbered(text: str) -> re.Match[str] | None:
    return _NUMBERED.fullmatch(text)


def _heading_text(paragraph: _Para) -> tuple[str, tuple[int, ...]]:
    """Return a heading paragraph's text as a format heading: "(Agreed)" becomes ".agreed"."""
    text = " ".join(paragraph.text.split("\n"))
    columns = paragraph.columns
    attributes = _TRAILING_ATTRIBUTES.search(text)
    tail, tail_columns = "", ()
    if attributes:
        tail, tail_columns = attributes.group().strip(), columns[attributes.start() :]
        text, columns = text[: attributes.start()], columns[: attributes.start()]
    status = _TRAILING_STATUS.search(text)
    if status:
        value = _STATUS_BY_LABEL[status.group(1).casefold()]
        at = columns[status.start() :][:1] or (0,)
        text, columns = text[: status.start()], columns[: status.start()]
        tail = f"{tail[:-1]} .{value}}}" if tail else f"{{.{value}}}"
        tail_columns = tail_columns + at * len(tail)
    if tail:
        text, columns = f"{text.rstrip()} {tail}", columns + columns[-1:] + tail_columns
    return text, columns


def _in_word(problem: Problem, lines: list[_Line]) -> Problem:
    """Move a problem from the generated source to its Word paragraph and column."""
    if not 1 <= problem.line <= len(lines):
        return problem
    line = lines[problem.line - 1]
    index = problem.column - 1
    if 0 <= index < len(line.columns):
        column = line.columns[index] + 1
    else:
        column = (line.columns[-1] + 2) if line.columns else 1
    return Problem(line.paragraph, column, problem.message)
