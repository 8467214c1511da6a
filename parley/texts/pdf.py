"""A negotiating text as a printable PDF, made by WeasyPrint from HTML built here (pure).

The page shows what the DOCX export shows (texts/docx.py): the title; each clause as a heading,
"1. Foreign fighters", then its paragraphs; each bracketed alternative in square brackets with
the label parties rate it by set as a small bold superscript just before its opening bracket
("¹ᴬ[All foreign fighters] ¹ᴮ[All foreign fighters, including Hezbollah,]"). Struck-out and
omitted alternatives are implicit and get no label of their own. A clause whose drafting status
is not "under discussion" has the status in italics after its heading, "(Agreed)".

Every page carries the version's label and the full SHA-256 fingerprint of its canonical text in
the footer and the page number bottom right, so a printed page can be matched to the draft it
came from; ``status_note`` ("Working draft: mediation team only") runs along the top of every
page. Every paragraph has ``dir="auto"`` so that Arabic runs right to left.

The CSS stays plain on purpose: no per-clause page-break rules, no font features, one font
family. Layout time grows with the rules WeasyPrint must match on every box.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from parley.texts.document import (
    DRAFTING_LABELS,
    Bracket,
    ClauseDoc,
    DraftingStatus,
    TextDoc,
    options_of,
)
from parley.texts.format import parse_body

Piece = str | tuple[str, str]
"""Settled wording, or one bracketed alternative with its label: ("1A", "All foreign fighters")."""

_MAX_HEADING = 6  # HTML has h1-h6; the title is h1, so clauses go five levels deep, then stay

_STYLE = """
@page {
  size: A4;
  margin: 22mm 20mm 24mm;
  @top-center { content: %(note)s; font-size: 8pt; font-style: italic; color: #444; }
  @bottom-center { content: %(footer)s; font-size: 7pt; color: #444; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; }
}
body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.4; }
h1 { font-size: 18pt; margin: 0 0 12pt; }
h2, h3, h4, h5, h6 { font-size: 12pt; margin: 12pt 0 4pt; }
h3, h4, h5, h6 { font-size: 11pt; }
p { margin: 0 0 6pt; }
.status { font-weight: normal; font-style: italic; }
sup { font-size: 6.5pt; font-weight: bold; line-height: 0; }
"""


def render_pdf(doc: TextDoc, *, label: str, fingerprint: str, status_note: str = "") -> bytes:
    """Return the draft as PDF bytes: what the parties print, sign and file."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    printable = render_html(doc, label=label, fingerprint=fingerprint, status_note=status_note)
    pdf: bytes = HTML(string=printable).write_pdf()
    return pdf


def render_html(doc: TextDoc, *, label: str, fingerprint: str, status_note: str = "") -> str:
    """Return the printable HTML the PDF is made from, every user-written string escaped."""
    style = _STYLE % {
        "note": css_string(status_note),
        "footer": css_string(f"{label} · SHA-256 {fingerprint}"),
    }
    parts = [
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">',
        f"<title>{html.escape(doc.title)}</title><style>{style}</style></head><body>",
        f'<h1 dir="auto">{html.escape(doc.title)}</h1>',
    ]
    for clause in doc.clauses:
        parts.append(_clause_html(clause))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def css_string(text: str) -> str:
    """Return ``text`` as a quoted CSS string that cannot end the string or the style element.

    Everything but letters, digits, spaces and non-ASCII characters becomes a hex escape, so
    quotes, backslashes, newlines and "</style>" in a label are inert.
    """
    out = []
    for char in text:
        if char.isalnum() or char == " " or (ord(char) > 0x7F and char.isprintable()):
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def _clause_html(clause: ClauseDoc) -> str:
    level = min(clause.depth + 1, _MAX_HEADING)
    title = html.escape(" ".join(part for part in (clause.number, clause.heading) if part))
    if clause.status != DraftingStatus.UNDER_DISCUSSION:
        note = html.escape(f"({DRAFTING_LABELS[clause.status]})")
        title = f'{title} <span class="status">{note}</span>' if title else note
    lines = [f'<h{level} dir="auto">{title}</h{level}>']
    for paragraph in paragraphs(clause.body):
        lines.append(f'<p dir="auto">{"".join(_piece_html(piece) for piece in paragraph)}</p>')
    return "\n".join(lines)


def _piece_html(piece: Piece) -> str:
    if isinstance(piece, str):
        return html.escape(piece).replace("\n", "<br>")
    label, wording = piece
    return f"<sup>{html.escape(label)}</sup>[{html.escape(wording)}]".replace("\n", "<br>")


def paragraphs(body: str) -> list[list[Piece]]:
    """Split a clause body into paragraphs of pieces, numbering the brackets across the clause.

    Paragraphs break at blank lines in the settled wording; a bracket never splits one.
    """
    result: list[list[Piece]] = [[]]
    for piece in _pieces(body):
        chunks = piece.split("\n\n") if isinstance(piece, str) else [piece]
        for index, chunk in enumerate(chunks):
            if index:
                result.append([])
            if chunk:
                result[-1].append(chunk)
    return [paragraph for paragraph in result if paragraph]


def _pieces(body: str) -> Iterator[Piece]:
    segments = parse_body(body)
    # options_of lists each bracket's alternatives in reading order; the rest are implicit.
    labels = iter(option.label for option in options_of(segments) if not option.is_omit)
    for segment in segments:
        if not isinstance(segment, Bracket):
            yield segment
            continue
        for index, wording in enumerate(segment.alternatives):
            if index:
                yield " "
            yield (next(labels), wording)
