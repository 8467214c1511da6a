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
draft edited in Word comes back with every clause's identity intact. A paragraph whose first
letter is Arabic or Hebrew is set right to left. Every page's footer reads "<label> · SHA-256
<fingerprint>" (all 64 hex digits) with the page number beside it; the ``status_note`` runs in
every page's header. The body text is the bracket syntax itself, escapes included, so what the
mediator edits in Word is exactly what texts/format.py reads.

Import (``read_docx``) turns the Word file into bracket-format source, one line per line of each
Word paragraph, and hands it to ``format.parse_text``; problems are reported against Word
paragraph numbers (1-based, every paragraph of the body counted, empty ones too). It reads:

- the title: the first paragraph styled Title; failing that, the first non-empty paragraph when
  it is styled Heading 1 or is plain text;
- clause headings: every other Heading paragraph. The shallowest heading level used is depth 1,
  the next depth 2 and so on, so Title + Heading 2/3 (what the export writes) and Heading 1 +
  Heading 2/3 both work. A heading's number, text and ``{#key .status}`` attributes are the
  bracket format's; a heading ending in a drafting status in parentheses, "(Agreed)", has that
  status (the export escapes a heading that ends so in its own words: "\\(Agreed)"). Headings
  numbered by their Word style get the numbers recounted, as numbered paragraphs do;
- numbered paragraphs, in a file with no clause headings at all: a paragraph styled List Number
  (List Number 2 for depth 2…) or numbered by Word's decimal numbering, or whose text starts
  "1." / "2.1", starts a clause of its own with that number and no heading; the rest of the
  paragraph is the first paragraph of the clause's body. Word's automatic numbers are
  recounted as 1, 2, 2.1… since the file holds only the list's format, not the numbers;
- every other paragraph: the body of the current clause, a line of it starting "#" escaped (in
  Word a paragraph's style, not a "#", makes a heading). Word's automatic numbers on body
  paragraphs are not text and are lost; type them if they matter;
- superscript runs that read like a label ("1A", "12C", even split over runs) are dropped, so an
  exported file comes back as the same text. Other superscript ("1st") stays;
- tracked changes: insertions and moves count, deletions do not (as if all were accepted).

Paragraphs inside content controls count; a table is refused with its position rather than
dropped, so no clause text silently vanishes. Messages speak Word: "Heading 3", "paragraph 7".
The caller should cap the upload's size: python-docx reads the whole package into memory.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from parley.texts.document import (
    DRAFTING_LABELS,
    Bracket,
    ClauseDoc,
    DraftingStatus,
    Piece,
    TextDoc,
    labelled_pieces,
    split_paragraphs,
)
from parley.texts.format import (
    Problem,
    TextFormatError,
    parse_body,
    parse_text,
    render_body,
    render_text,
)

_DEEPEST_HEADING = 9  # Word has Heading 1-9; the title takes the place of Heading 1
_LABEL = re.compile(r"\s*\d+[A-Z]\s*")
# "1." or "2.1" (with or without a final dot) and a space; "1990 was…" is no clause number.
_NUMBERED = re.compile(r"\s*(?:(\d{1,4}(?:\.\d{1,4})*)\.|(\d{1,4}(?:\.\d{1,4})+))(?:\s+|$)")
_HEADING_STYLE = re.compile(r"Heading ([1-9])")
_LIST_STYLE = re.compile(r"List Number(?: ([2-9]))?")
_STATUS_BY_LABEL = {label.casefold(): status for status, label in DRAFTING_LABELS.items()}
_TRAILING_STATUS = re.compile(
    r"\s*(?<!\\)\((" + "|".join(map(re.escape, DRAFTING_LABELS.values())) + r")\)\s*$",
    re.IGNORECASE,
)
_TRAILING_ATTRIBUTES = re.compile(r"\s*(?<!\\)\{[^{}\\]*\}\s*$")
_HEADING_LIKE = re.compile(r"#+(?:[ \t]|$)")
_MARKS = re.compile(r"'(#{2,})'( heading)?")
_LINE = re.compile(r"\bline ([1-9][0-9]*)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# ---------------------------------------------------------------------------------------------
# Export


def render_docx(doc: TextDoc, *, label: str, fingerprint: str, status_note: str = "") -> bytes:
    """Return the draft as a Word document: what mediators circulate and edit offline."""
    word = Document()
    properties = word.core_properties
    properties.title = _NOT_XML.sub("\ufffd", doc.title)[:255]  # Word's limit
    properties.subject = label
    properties.comments = f"{label} · SHA-256 {fingerprint}"
    properties.keywords = fingerprint
    _decorate(word.sections[0], f"{label} · SHA-256 {fingerprint}", status_note)
    styles = _StyleIds(word)
    title = _title_words(doc.title)
    paragraphs = [_paragraph_xml(styles.id("Title"), [_run_xml(title)], title)] if title else []
    for clause in doc.clauses:
        paragraphs.append(_heading_xml(clause, styles))
        paragraphs.extend(_body_xml(pieces) for pieces in _source_paragraphs(clause.body))
    # One parse of the whole body: python-docx's per-paragraph API is a hundred times slower.
    body = parse_xml(f"<w:body {nsdecls('w')}>{''.join(paragraphs)}</w:body>")
    end = word.element.body.sectPr
    for element in list(body):
        end.addprevious(element)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


class _StyleIds:
    """Word's style ids by style name ("Heading 2" is "Heading2"), looked up once each."""

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.ids: dict[str, str] = {}

    def id(self, name: str) -> str:
        if name not in self.ids:
            self.ids[name] = self.word.styles[name].style_id
        return self.ids[name]


def _decorate(section: Section, footer: str, status_note: str) -> None:
    """Put the label and fingerprint, then the page number, in the footer; the note on top."""
    first = section.footer.paragraphs[0]
    first.text = footer
    for run in first.runs:
        run.font.size = Pt(7)
    page = section.footer.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"/>'))
    if status_note:
        top = section.header.paragraphs[0]
        top.text = status_note
        for run in top.runs:
            run.italic = True


def _heading_xml(clause: ClauseDoc, styles: _StyleIds) -> str:
    words, attributes = _heading_parts(clause)
    runs = [_run_xml(words)]
    if clause.status != DraftingStatus.UNDER_DISCUSSION:
        runs.append(_run_xml(f" ({DRAFTING_LABELS[clause.status]})", "<w:i/>"))
    runs.append(_run_xml(f" {attributes}", "<w:vanish/>"))  # hidden text
    style = styles.id(f"Heading {min(clause.depth + 1, _DEEPEST_HEADING)}")
    return _paragraph_xml(style, runs, words)


def _heading_parts(clause: ClauseDoc) -> tuple[str, str]:
    """Return a heading's words ("1. Foreign fighters") and its key block ("{#fighters}").

    Both come from the format's own heading line, escapes and all, so the import reads back
    exactly this clause; the status is shown in words instead of in the block.
    """
    settled = replace(clause, body="", status=DraftingStatus.UNDER_DISCUSSION)
    line = render_text(TextDoc("", (settled,))).rstrip("\n")
    marks = line.index(" ") + 1
    block = line.rindex("{")
    words = line[marks:block].rstrip()
    status_like = _TRAILING_STATUS.search(words)
    if status_like:  # a heading that itself ends "(Agreed)": escaped, so it is not read as one
        at = words.index("(", status_like.start())
        words = f"{words[:at]}\\{words[at:]}"
    return words, line[block:]


def _title_words(title: str) -> str:
    """Return the title as the format writes it (brackets escaped), without the '# '."""
    return render_text(TextDoc(title)).rstrip("\n").removeprefix("# ")


def _body_xml(pieces: Sequence[Piece]) -> str:
    runs: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            runs.append(_run_xml(piece))
        else:
            label, source = piece
            runs.append(_run_xml(label, '<w:b/><w:vertAlign w:val="superscript"/>'))
            runs.append(_run_xml(source))
    text = "".join(piece if isinstance(piece, str) else piece[1] for piece in pieces)
    return _paragraph_xml("", runs, text)


def _paragraph_xml(style: str, runs: Sequence[str], text: str) -> str:
    """Return a paragraph; one whose first letter is Arabic or Hebrew runs right to left."""
    properties = f'<w:pStyle w:val="{escape(style)}"/>' if style else ""
    if _right_to_left(text):
        properties += "<w:bidi/>"
    head = f"<w:pPr>{properties}</w:pPr>" if properties else ""
    return f"<w:p>{head}{''.join(runs)}</w:p>"


def _right_to_left(text: str) -> bool:
    """Whether the first strongly directional character is right-to-left (HTML's dir="auto")."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _run_xml(text: str, properties: str = "") -> str:
    """Return a run of text: "\\n" a line break, "\\t" a tab, as Word keeps them."""
    parts: list[str] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            parts.append("<w:br/>")
        for place, chunk in enumerate(line.split("\t")):
            if place:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{_xml_text(chunk)}</w:t>')
    head = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f"<w:r>{head}{''.join(parts)}</w:r>"


def _xml_text(text: str) -> str:
    """Escape for XML; control characters XML cannot hold become U+FFFD."""
    return escape(_NOT_XML.sub("\ufffd", text))


def _source_paragraphs(body: str) -> list[list[Piece]]:
    """Split a clause body into Word paragraphs of source pieces, brackets labelled.

    Joining a paragraph's pieces gives its bracket syntax back; paragraphs break at blank lines
    in the settled wording, never inside a bracket.
    """
    return split_paragraphs(_source_pieces(body))


def _source_pieces(body: str) -> Iterator[Piece]:
    for index, piece in enumerate(labelled_pieces(parse_body(body))):
        if isinstance(piece, str):
            yield _source_text(piece, at_start=index == 0)
        else:
            label, wording = piece
            yield (label, render_body((Bracket((wording,)),)))


def _source_text(text: str, *, at_start: bool) -> str:
    """Escape settled wording as render_body does in place: "#" is escaped only at a line start.

    Wording after a bracket does not start a line, so it is escaped behind a stand-in letter.
    """
    return render_body((text,)) if at_start else render_body(("x" + text,))[1:]


# ---------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class _Spanned:
    """Text with, for each character, its column (0-based) in the Word paragraph it came from."""

    text: str
    columns: tuple[int, ...]

    @classmethod
    def at(cls, text: str, column: int) -> _Spanned:
        """Return generated text that points at one column of the paragraph."""
        return cls(text, (column,) * len(text))

    def __getitem__(self, where: slice) -> _Spanned:
        return _Spanned(self.text[where], self.columns[where])

    def __add__(self, other: _Spanned) -> _Spanned:
        return _Spanned(self.text + other.text, self.columns + other.columns)

    @property
    def first(self) -> int:
        return self.columns[0] if self.columns else 0

    @property
    def end(self) -> int:
        return self.columns[-1] + 1 if self.columns else 0


@dataclass(frozen=True)
class _Para:
    """One Word paragraph as the import sees it: its number, kind and text without labels.

    ``heading`` is its Heading level and ``listed`` its List Number level (0: none).
    """

    number: int
    content: _Spanned
    title: bool = False
    heading: int = 0
    listed: int = 0

    @property
    def blank(self) -> bool:
        return not self.content.text.strip()


@dataclass(frozen=True)
class _Line:
    """One line of the generated source and the Word paragraph it came from."""

    content: _Spanned
    paragraph: int


def read_docx(data: bytes, *, name: str = "<docx>") -> TextDoc:
    """Read a draft a mediator wrote or edited in Word; errors name Word paragraph numbers."""
    paragraphs = _paragraphs(_open(data, name), name)
    lines, top = _Source(paragraphs, name).lines()
    try:
        return parse_text("".join(line.content.text + "\n" for line in lines), name=name)
    except TextFormatError as error:
        problems = [_in_word(problem, lines, top) for problem in error.problems]
        raise TextFormatError(problems, name=name) from None


def _open(data: bytes, name: str) -> WordDocument:
    try:
        return Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError):
        raise _fail(name, 0, f"{name} is not a Word (.docx) document") from None


def _fail(name: str, paragraph: int, message: str) -> TextFormatError:
    return TextFormatError([Problem(paragraph, 1 if paragraph else 0, message)], name=name)


def _paragraphs(word: WordDocument, name: str) -> list[_Para]:
    """Return the body's paragraphs in order; a table is an error at its position."""
    styles = _Styles(word)
    result: list[_Para] = []
    for element in _blocks(word.element.body):
        if element.tag == qn("w:tbl"):
            where = len(result) + 1
            raise _fail(name, where, "tables cannot be imported: move the text into paragraphs")
        result.append(_para(Paragraph(element, word), len(result) + 1, styles))
    return result


def _blocks(container: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    """Yield the paragraphs and tables of the body, those inside content controls included."""
    for element in container.iterchildren(qn("w:p"), qn("w:tbl"), qn("w:sdt")):
        if element.tag == qn("w:sdt"):
            for content in element.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content)
        else:
            yield element


@dataclass(frozen=True)
class _Style:
    """A paragraph style's name and its definition with its bases' (which may number it)."""

    name: str
    chain: tuple[BaseOxmlElement, ...]


class _Styles:
    """The file's paragraph styles by id, read once: python-docx looks each up from scratch."""

    def __init__(self, word: WordDocument) -> None:
        names: dict[str, str] = {}
        elements: dict[str, BaseOxmlElement] = {}
        for style in word.styles:
            if style.type == WD_STYLE_TYPE.PARAGRAPH:
                names[style.style_id] = style.name or ""
                elements[style.style_id] = style.element
        self.by_id = {key: _Style(names[key], _chain(key, elements)) for key in names}
        default = word.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        fallback = _Style("", ())
        self.default = self.by_id.get(default.style_id, fallback) if default else fallback
        self.numbering = _decimal_lists(word)

    def of(self, paragraph: Paragraph) -> _Style:
        style_id = paragraph._p.style
        return self.by_id.get(style_id, self.default) if style_id else self.default


def _chain(style_id: str, elements: dict[str, BaseOxmlElement]) -> tuple[BaseOxmlElement, ...]:
    """Return a style's definition and its bases', nearest first (a loop of bases stops)."""
    chain: list[BaseOxmlElement] = []
    key: str | None = style_id
    while key in elements and elements[key] not in chain:
        chain.append(elements[key])
        based_on = elements[key].xpath("./w:basedOn/@w:val")
        key = based_on[0] if based_on else None
    return tuple(chain)


def _para(paragraph: Paragraph, number: int, styles: _Styles) -> _Para:
    style = styles.of(paragraph)
    heading = _HEADING_STYLE.fullmatch(style.name)
    listed = _LIST_STYLE.fullmatch(style.name)
    if listed:
        level = int(listed.group(1) or 1)
    else:
        level = _list_level((paragraph._p, *style.chain), styles.numbering)
    return _Para(
        number,
        _visible_text(paragraph),
        title=style.name == "Title",
        heading=int(heading.group(1)) if heading else 0,
        listed=level,
    )


def _visible_text(paragraph: Paragraph) -> _Spanned:
    """Return the paragraph's text without label superscripts, each character's column kept."""
    kept = _Spanned("", ())
    column = 0
    for superscript, text in _chunks(paragraph):
        if not (superscript and _LABEL.fullmatch(text)):
            kept += _Spanned(text, tuple(range(column, column + len(text))))
        column += len(text)
    return kept


def _chunks(paragraph: Paragraph) -> Iterator[tuple[bool, str]]:
    """Yield (is superscript, text) for the runs in order, neighbours of one kind merged.

    Word splits runs wherever an edit happened, so "1A" may come as "1" and "A". Runs inside
    hyperlinks, tracked insertions, fields and content controls count; deletions do not.
    """
    kind: bool | None = None
    texts: list[str] = []
    for element in paragraph._p.xpath(_RUNS):
        run = Run(element, paragraph)
        superscript = bool(run.font.superscript)
        if kind is not None and superscript != kind:
            yield kind, "".join(texts)
            texts = []
        kind = superscript
        texts.append(run.text)
    if kind is not None:
        yield kind, "".join(texts)


_RUNS = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:moveTo/w:r | ./w:smartTag/w:r"
    " | ./w:fldSimple/w:r | ./w:sdt/w:sdtContent/w:r | ./w:customXml/w:r"
)


def _decimal_lists(word: WordDocument) -> set[tuple[str, str]]:
    """Return the (numId, ilvl) pairs of Word's numbering that count 1, 2, 3 (not bullets)."""
    try:
        numbering = word.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return set()
    decimal: set[tuple[str, str]] = set()  # (abstractNumId, ilvl)
    for level in numbering.xpath("./w:abstractNum/w:lvl[w:numFmt/@w:val='decimal']"):
        decimal.add((level.getparent().get(qn("w:abstractNumId")), level.get(qn("w:ilvl"))))
    result: set[tuple[str, str]] = set()
    for num in numbering.xpath("./w:num"):
        for abstract in num.xpath("./w:abstractNumId/@w:val"):
            ids = {ilvl for owner, ilvl in decimal if owner == abstract}
            result.update((num.get(qn("w:numId")), ilvl) for ilvl in ids)
    return result


def _list_level(elements: Sequence[BaseOxmlElement], numbering: set[tuple[str, str]]) -> int:
    """Return 1 + the paragraph's level in a decimal Word list, or 0 if it is in none.

    ``elements`` are the paragraph and its style chain: the first with numbering decides
    (numbered headings get theirs from the style).
    """
    for element in elements:
        num_id = element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        if num_id:
            ilvl = element.xpath("./w:pPr/w:numPr/w:ilvl/@w:val") or ["0"]
            return int(ilvl[0]) + 1 if (num_id[0], ilvl[0]) in numbering else 0
    return 0


class _Source:
    """Turns Word paragraphs into bracket-format lines, remembering where each came from."""

    def __init__(self, paragraphs: list[_Para], name: str) -> None:
        self.paragraphs = paragraphs
        self.name = name
        self.result: list[_Line] = []
        self.counters: list[int] = []  # Word's automatic numbers, recounted

    def lines(self) -> tuple[list[_Line], int]:
        """Return the source lines (title, clauses, body paragraphs, blank-separated) and the
        Heading level that became depth 1 (0 when numbered paragraphs make the clauses)."""
        title = self._title()
        if title is not None:
            self._emit(title, "# ", _one_line(title.content))
        rest = [p for p in self.paragraphs if p is not title and not p.blank]
        top = min((p.heading for p in rest if p.heading), default=0)
        for paragraph in rest:
            if top:
                self._headed(paragraph, top)
            else:
                self._numbered(paragraph)
        return self.result, top

    def _title(self) -> _Para | None:
        filled = [paragraph for paragraph in self.paragraphs if not paragraph.blank]
        for paragraph in filled:
            if paragraph.title:
                return paragraph
        if not filled:
            return None  # an empty file is an empty text, as an empty bracket-format file is
        first = filled[0]
        if first.heading == 1 or not (first.heading or first.listed or _number(first)):
            return first
        return None

    def _headed(self, paragraph: _Para, top: int) -> None:
        if not paragraph.heading:
            self._emit(paragraph, "", paragraph.content, body=True)
            return
        depth = paragraph.heading - top + 1
        prefix = "#" * (depth + 1) + " "
        if paragraph.listed and not _number(paragraph):
            prefix += self._count(depth) + ". "  # a heading numbered by its Word style
        self._emit(paragraph, prefix, _heading_text(paragraph.content))

    def _numbered(self, paragraph: _Para) -> None:
        match = _number(paragraph)
        if paragraph.listed:
            number, body = self._count(paragraph.listed), paragraph.content
        elif match:
            number = match.group(1) or match.group(2)
            body = paragraph.content[match.end() :]
        else:
            self._emit(paragraph, "", paragraph.content, body=True)
            return
        marks = "#" * (number.count(".") + 2)
        self._emit(paragraph, f"{marks} ", _Spanned.at(f"{number}.", paragraph.content.first))
        if body.text.strip():
            self._emit(paragraph, "", body, body=True)

    def _count(self, level: int) -> str:
        del self.counters[level:]
        self.counters.extend([0] * (level - len(self.counters)))
        self.counters[-1] += 1
        return ".".join(map(str, self.counters))

    def _emit(
        self, paragraph: _Para, prefix: str, content: _Spanned, *, body: bool = False
    ) -> None:
        """Add a paragraph's lines after a blank line, the first one behind ``prefix``.

        A body line that would read as a heading gets the format's escape, "\\#": in Word the
        paragraph's style, not a "#", says what is a heading.
        """
        if self.result:
            self.result.append(_Line(_Spanned("", ()), paragraph.number))
        offset = 0
        for index, length in enumerate(map(len, content.text.split("\n"))):
            line = content[offset : offset + length]
            offset += length + 1
            if body and _HEADING_LIKE.match(line.text):
                line = _Spanned.at("\\", line.first) + line
            if index == 0:
                line = _Spanned.at(prefix, line.first) + line
            self.result.append(_Line(line, paragraph.number))


def _number(paragraph: _Para) -> re.Match[str] | None:
    """Match a paragraph that starts with a clause number typed by hand: "1.", "2.1"."""
    return _NUMBERED.match(paragraph.content.text)


def _one_line(content: _Spanned) -> _Spanned:
    return _Spanned(content.text.replace("\n", " "), content.columns)


def _heading_text(content: _Spanned) -> _Spanned:
    """Return a heading's text on one line, a trailing "(Agreed)" turned into ".agreed"."""
    content = _one_line(content)
    attributes = _TRAILING_ATTRIBUTES.search(content.text)
    cut = attributes.start() if attributes else len(content.text)
    words, tail = content[:cut], content[cut:]
    status = _TRAILING_STATUS.search(words.text)
    if not status:
        return content
    value = _STATUS_BY_LABEL[status.group(1).casefold()].value.replace("_", "-")
    where = words[status.start() :].first
    words = words[: status.start()]
    block = tail.text.strip()[:-1] + " " if attributes else "{"
    return words + _Spanned.at(f" {block}.{value}}}", where)


def _word_message(message: str, lines: list[_Line], top: int) -> str:
    """Say "Heading 3" where the format says "'###'" and "paragraph 7" where it says "line 12":
    Word users see styles and paragraphs, not hashes and source lines.

    ``top`` is the Heading level of depth 1, or 0 when numbered paragraphs make the clauses.
    """

    def word(marks: re.Match[str]) -> str:
        depth = len(marks.group(1)) - 1
        if top:
            return f"Heading {depth - 1 + top}" + (" paragraph" if marks.group(2) else "")
        return "numbered paragraph" if marks.group(2) else f"level {depth}"

    def paragraph(line: re.Match[str]) -> str:
        number = int(line.group(1))
        return f"paragraph {lines[number - 1].paragraph}" if number <= len(lines) else line.group()

    return _LINE.sub(paragraph, _MARKS.sub(word, message))


def _in_word(problem: Problem, lines: list[_Line], top: int) -> Problem:
    """Move a problem from the generated source to its Word paragraph and column."""
    if not 1 <= problem.line <= len(lines):
        return problem
    line = lines[problem.line - 1]
    index = problem.column - 1
    columns = line.content.columns
    column = columns[index] if 0 <= index < len(columns) else line.content.end
    return Problem(line.paragraph, column + 1, _word_message(problem.message, lines, top))
