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
page. A paragraph whose first letter is Arabic or Hebrew gets ``dir="rtl"`` (the rest
``dir="auto"``), so that it runs and aligns right to left.

The CSS stays plain on purpose: one font family, no font features, no page-break rules beyond
keeping a heading with its first paragraph. WeasyPrint's time goes into inline layout, so every
extra inline element counts: a label's <sup> is the only one a body paragraph has (a 500-clause
draft spends about a quarter of its time on them).
"""

from __future__ import annotations

import html
import unicodedata

from parley.texts.document import (
    DRAFTING_LABELS,
    ClauseDoc,
    DraftingStatus,
    Piece,
    TextDoc,
    labelled_pieces,
    split_paragraphs,
)
from parley.texts.format import parse_body

_MAX_HEADING = 6  # HTML has h1-h6; the title is h1, so clauses go five levels deep, then stay

_STYLE = """
@page {
  size: A4;
  margin: 22mm 20mm 24mm;
  @top-center { content: %(note)s; font-size: 8pt; font-style: italic; color: #444; }
  @bottom-center { content: %(footer)s; font-size: 7pt; color: #444; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; }
}
body { margin: 0; font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.4; }
h1 { font-size: 18pt; margin: 0 0 12pt; }
h2, h3, h4, h5, h6 { font-size: 12pt; margin: 12pt 0 4pt; break-after: avoid; }
h3, h4, h5, h6 { font-size: 11pt; }
p { margin: 0 0 6pt; }
.status { font-weight: normal; font-style: italic; }
sup { font-size: 6.5pt; font-weight: bold; line-height: 0; }
"""


def render_pdf(doc: TextDoc, *, label: str, fingerprint: str, status_note: str = "") -> bytes:
    """Return the draft as PDF bytes: what the parties print, sign and file."""
    # Imported here: loading Pango is slow, and only PDFs need it.
    from weasyprint import HTML  # type: ignore[import-untyped]

    printable = render_html(doc, label=label, fingerprint=fingerprint, status_note=status_note)
    pdf: bytes = HTML(string=printable).write_pdf()
    return pdf


def render_html(doc: TextDoc, *, label: str, fingerprint: str, status_note: str = "") -> str:
    """Return the printable HTML the PDF is made from, every user-written string escaped.

    The label and fingerprint also go in the document's metadata (the PDF's subject and
    keywords), as they do in the DOCX's core properties.
    """
    footer = f"{label} · SHA-256 {fingerprint}"
    style = _STYLE % {"note": css_string(status_note), "footer": css_string(footer)}
    parts = [
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">',
        f"<title>{html.escape(doc.title or label)}</title>",
        f'<meta name="description" content="{html.escape(footer)}">',
        f'<meta name="keywords" content="{html.escape(fingerprint)}">',
        f"<style>{style}</style></head><body>",
    ]
    if doc.title:
        parts.append(f"<h1{_dir(doc.title)}>{html.escape(doc.title)}</h1>")
    parts.extend(_clause_html(clause) for clause in doc.clauses)
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
    number = clause.number if "." in clause.number or not clause.number else f"{clause.number}."
    words = " ".join(part for part in (number, clause.heading) if part)
    title = html.escape(words)
    if clause.status != DraftingStatus.UNDER_DISCUSSION:
        note = html.escape(f"({DRAFTING_LABELS[clause.status]})")
        title = f'{title} <span class="status">{note}</span>' if title else note
    lines = [f"<h{level}{_dir(words)}>{title}</h{level}>"]
    for paragraph in _paragraphs(clause.body):
        text = "".join(piece if isinstance(piece, str) else piece[1] for piece in paragraph)
        lines.append(f"<p{_dir(text)}>{''.join(_piece_html(piece) for piece in paragraph)}</p>")
    return "\n".join(lines)


def _dir(text: str) -> str:
    """Return the paragraph's dir attribute: "rtl" if its first strong letter is, else "auto".

    HTML's dir="auto" decides the same way, but WeasyPrint ignores it, so it is decided here;
    "auto" stays on the rest for anyone reading the HTML in a browser.
    """
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return ' dir="rtl"'
        if direction == "L":
            break
    return ' dir="auto"'


def _piece_html(piece: Piece) -> str:
    if isinstance(piece, str):
        return html.escape(piece).replace("\n", "<br>")
    label, wording = piece
    return f"<sup>{html.escape(label)}</sup>[{html.escape(wording)}]".replace("\n", "<br>")


def _paragraphs(body: str) -> list[list[Piece]]:
    """Split a clause body into paragraphs of pieces, numbering the brackets across the clause."""
    return split_paragraphs(labelled_pieces(parse_body(body)))
