"""Negotiating texts as PDF (texts/pdf.py): what a printed page shows, read back with pypdf."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader
from weasyprint import HTML  # type: ignore[import-untyped]

from parley.texts.document import ClauseDoc, TextDoc
from parley.texts.format import fingerprint, parse_text
from parley.texts.pdf import css_string, render_html, render_pdf

FIGHTERS = (
    "[All foreign fighters] [All foreign fighters, including Hezbollah,] shall leave the country "
    "[immediately] [as part of the political process]."
)
ARABIC = "يجب على [جميع المقاتلين الأجانب] مغادرة البلاد."
EXAMPLE = parse_text(
    f"""\
# Joint document of the Astana meeting (illustrative)

## Preamble {{#preamble .agreed}}

The participants met in Astana from 25 May 2015.

## 1. Foreign fighters {{#foreign-fighters}}

{FIGHTERS}

### 1.1 Verification {{#verification}}

{ARABIC}
"""
)
LABEL = "Draft 3"
PRINT = fingerprint(EXAMPLE)


def export(doc: TextDoc = EXAMPLE, *, label: str = LABEL, note: str = "") -> bytes:
    return render_pdf(doc, label=label, fingerprint=fingerprint(doc), status_note=note)


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def example_pages() -> list[str]:
    return pages_of(export(note="Working draft: mediation team only"))


def test_the_pdf_shows_the_title_headings_and_status(example_pages: list[str]):
    text = "\n".join(example_pages)
    assert len(example_pages) >= 1
    assert squeeze(EXAMPLE.title) in squeeze(text)  # the title may wrap
    assert "Preamble (Agreed)" in text
    assert "1. Foreign fighters" in text
    assert "1.1 Verification" in text
    assert "(Under discussion)" not in text


def test_brackets_keep_their_square_brackets_with_each_label_before(example_pages: list[str]):
    text = squeeze("\n".join(example_pages))
    assert "[All foreign fighters]" in "\n".join(example_pages)
    for label, words in [
        ("1A", "[All foreign fighters]"),
        ("1B", "[All foreign fighters, including Hezbollah,]"),
        ("2A", "[immediately]"),
        ("2B", "[as part of the political process]"),
    ]:
        assert squeeze(label + words) in text


def test_the_arabic_clause_is_there(example_pages: list[str]):
    text = "\n".join(example_pages)
    for word in ("المقاتلين", "الأجانب", "مغادرة"):
        assert word in text


def test_the_footer_carries_the_label_and_full_fingerprint(example_pages: list[str]):
    text = squeeze(example_pages[0])
    assert squeeze(f"{LABEL} · SHA-256") in text
    assert PRINT in text
    assert "Workingdraft:mediationteamonly" in text


def test_the_document_properties_name_the_draft():
    metadata = PdfReader(io.BytesIO(export())).metadata
    assert metadata.title == EXAMPLE.title
    assert metadata.subject == f"{LABEL} · SHA-256 {PRINT}"


def test_every_page_of_a_long_text_has_the_footer_and_its_page_number():
    clauses = tuple(
        ClauseDoc(
            f"c-{n}", str(n), f"Clause {n}", f"The parties [agree] [decide] on point {n}. " * 12
        )
        for n in range(1, 41)
    )
    doc = TextDoc("A long draft", clauses)
    pages = pages_of(export(doc, label="Rev.1"))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert fingerprint(doc) in squeeze(text)
        assert "Rev.1·SHA-256" in squeeze(text)
        assert f"{number} / {len(pages)}" in text


# The HTML the PDF is made from ----------------------------------------------------------------


def test_everything_written_by_users_is_escaped():
    doc = TextDoc(
        "<script>alert(1)</script>",
        (ClauseDoc("x", "1", "<b>bold</b>", "Less \\[than\\] <i>&amp;</i>"),),
    )
    page = render_html(doc, label='Rev "1" </style><script>', fingerprint="0" * 64)
    assert "<script>" not in page and "<b>bold" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Less [than] &lt;i&gt;&amp;amp;&lt;/i&gt;" in page
    style = page[page.index("<style>") : page.index("</style>")]
    assert "</" not in style[1:] and '"1"' not in style


def test_css_strings_cannot_break_out_and_lose_nothing():
    for text in ['a"b', "a\\b", "a\nb", "</style>", "a'b;}@page{", "0" * 64]:
        quoted = css_string(text)
        inner = quoted[1:-1]
        assert quoted[0] == quoted[-1] == '"'
        assert not set(inner) & set("\"'\n<>;{}")
        assert re.fullmatch(r"(?:[^\\]|\\[0-9a-f]{1,6} )*", inner)
        assert re.sub(r"\\([0-9a-f]{1,6}) ", lambda m: chr(int(m.group(1), 16)), inner) == text


def test_css_string_keeps_non_ascii_labels_readable():
    assert css_string("مسودة 3 · SHA-256") == '"مسودة 3 · SHA\\2d 256"'


def test_paragraphs_get_their_direction():
    page = render_html(EXAMPLE, label=LABEL, fingerprint=PRINT)
    arabic = re.search(r"<p([^>]*)>[^<]*يجب", page)
    english = re.search(r"<p([^>]*)>The participants", page)
    assert arabic and arabic.group(1) == ' dir="rtl"'
    assert english and english.group(1) == ' dir="auto"'


def test_an_arabic_paragraph_is_laid_out_from_the_right():
    doc = parse_text(f"# T\n\n## 1. A {{#a}}\n\n{ARABIC}\n\n## 2. B {{#b}}\n\nShort [line].\n")
    page = HTML(string=render_html(doc, label=LABEL, fingerprint=PRINT)).render().pages[0]
    lines = [box for box in _boxes(page._page_box) if type(box).__name__ == "LineBox"]
    arabic = next(line for line in lines if "مغادرة" in _text(line))
    english = next(line for line in lines if "Short" in _text(line))
    box = page._page_box
    assert abs(english.position_x - box.margin_left) < 1  # left to right: starts at the left
    assert abs(arabic.position_x + arabic.width - (box.margin_left + box.width)) < 1


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def _text(box: Any) -> str:
    return "".join(getattr(child, "text", "") for child in _boxes(box))
