"""Negotiating texts to and from Word (texts/docx.py): export, round trip, hand-made files."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from parley.texts.document import (
    DRAFTING_LABELS,
    Bracket,
    ClauseDoc,
    DraftingStatus,
    Segment,
    TextDoc,
    options_of,
)
from parley.texts.docx import read_docx, render_docx
from parley.texts.format import TextFormatError, fingerprint, parse_body, render_body, render_text
from parley.texts.format import parse_text as parse

FIGHTERS = (
    "[All foreign fighters] [All foreign fighters, including Hezbollah,] shall leave the country "
    "[immediately] [as part of the political process]."
)
ARABIC = "يجب على [جميع المقاتلين الأجانب] مغادرة البلاد [فوراً]."
EXAMPLE = parse(
    f"""\
# Joint document of the Astana meeting (illustrative)

## Preamble {{#preamble .agreed}}

The participants met in Astana from 25 May 2015.

## 1. Foreign fighters {{#foreign-fighters}}

{FIGHTERS}

A second paragraph with a literal \\[bracket\\] and a [lone] span.

### 1.1 Verification {{#verification .compromise}}

Verification is by [the joint commission] [the United Nations].

## 2. الانسحاب {{#withdrawal .proposed-deletion}}

{ARABIC}
"""
)
LABEL = "Draft 3"
PRINT = fingerprint(EXAMPLE)


def export(doc: TextDoc = EXAMPLE, note: str = "") -> bytes:
    return render_docx(doc, label=LABEL, fingerprint=fingerprint(doc), status_note=note)


def open_word(data: bytes) -> WordDocument:
    return Document(io.BytesIO(data))


def save(word: WordDocument) -> bytes:
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def visible(paragraph: Paragraph) -> str:
    return "".join(run.text for run in paragraph.runs if not run.font.hidden)


def problems(data: bytes, name: str = "draft.docx") -> TextFormatError:
    with pytest.raises(TextFormatError) as caught:
        read_docx(data, name=name)
    return caught.value


# The export -----------------------------------------------------------------------------------


def test_the_export_has_the_title_and_each_clause_as_a_heading_at_its_depth():
    paragraphs = open_word(export()).paragraphs
    styled = [(p.style.name, visible(p)) for p in paragraphs if p.style.name != "Normal"]
    assert styled == [
        ("Title", "Joint document of the Astana meeting (illustrative)"),
        ("Heading 2", "Preamble (Agreed)"),
        ("Heading 2", "1. Foreign fighters"),
        ("Heading 3", "1.1 Verification (Compromise proposed)"),
        ("Heading 2", "2. الانسحاب (Proposed deletion)"),
    ]


def test_a_status_other_than_under_discussion_is_in_italics_after_the_heading():
    headings = [p for p in open_word(export()).paragraphs if p.style.name.startswith("Heading")]
    italic = {visible(p): [r.text for r in p.runs if r.italic] for p in headings}
    assert italic["Preamble (Agreed)"] == [" (Agreed)"]
    assert italic["1. Foreign fighters"] == []
    assert italic["2. الانسحاب (Proposed deletion)"] == [
        f" ({DRAFTING_LABELS[DraftingStatus.PROPOSED_DELETION]})"
    ]


def test_the_key_travels_as_hidden_text_in_the_heading():
    paragraphs = open_word(export()).paragraphs
    hidden = [r.text for p in paragraphs for r in p.runs if r.font.hidden]
    assert hidden == [" {#preamble}", " {#foreign-fighters}", " {#verification}", " {#withdrawal}"]


def test_each_alternative_has_its_label_as_a_bold_superscript_before_its_bracket():
    body = [p for p in open_word(export()).paragraphs if "foreign fighters]" in p.text][0]
    runs = body.runs
    marks = [(i, r.text) for i, r in enumerate(runs) if r.font.superscript]
    assert [text for _, text in marks] == ["1A", "1B", "2A", "2B"]
    assert all(runs[i].bold for i, _ in marks)
    assert [runs[i + 1].text for i, _ in marks] == [
        "[All foreign fighters]",
        "[All foreign fighters, including Hezbollah,]",
        "[immediately]",
        "[as part of the political process]",
    ]
    expected = "1A[All foreign fighters] 1B[All foreign fighters, including Hezbollah,] shall"
    assert body.text.startswith(expected)


def test_labels_are_the_options_parties_rate_and_implicit_ones_get_none():
    word = open_word(export())
    for clause in EXAMPLE.clauses:
        shown = [
            run.text
            for paragraph in _body_paragraphs(word, clause)
            for run in paragraph.runs
            if run.font.superscript
        ]
        options = options_of(parse_body(clause.body))
        assert shown == [option.label for option in options if not option.is_omit]


def _body_paragraphs(word: WordDocument, clause: ClauseDoc) -> list[Paragraph]:
    paragraphs = word.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if f"{{#{clause.key}}}" in p.text)
    rest = paragraphs[start + 1 :]
    end = next((i for i, p in enumerate(rest) if p.style.name != "Normal"), len(rest))
    return rest[:end]


def test_body_paragraphs_stay_paragraphs_and_literal_brackets_stay_escaped():
    texts = [p.text for p in _body_paragraphs(open_word(export()), EXAMPLE.clauses[1])]
    assert len(texts) == 2
    assert texts[1] == "A second paragraph with a literal \\[bracket\\] and a 3A[lone] span."


def test_every_page_footer_names_the_label_and_the_full_fingerprint():
    word = open_word(export())
    for section in word.sections:
        footer = "\n".join(p.text for p in section.footer.paragraphs)
        assert f"{LABEL} · SHA-256 {PRINT}" in footer
        assert re.search(r"\b[0-9a-f]{64}\b", footer).group() == PRINT
    assert 'w:instr="PAGE"' in word.sections[0].footer._element.xml


def test_the_status_note_runs_in_the_header_and_stays_out_of_the_text():
    word = open_word(export(note="Working draft: mediation team only"))
    assert word.sections[0].header.paragraphs[0].text == "Working draft: mediation team only"
    assert all("Working draft" not in p.text for p in word.paragraphs)
    assert read_docx(export(note="Working draft: mediation team only")) == EXAMPLE


def test_core_properties_carry_the_title_and_label():
    properties = open_word(export()).core_properties
    assert properties.title == EXAMPLE.title
    assert properties.subject == LABEL
    assert PRINT in properties.comments and LABEL in properties.comments


def test_arabic_paragraphs_run_right_to_left():
    paragraphs = open_word(export()).paragraphs
    arabic = [p for p in paragraphs if "المقاتلين" in p.text or "الانسحاب" in p.text]
    english = [p for p in paragraphs if "foreign fighters]" in p.text]
    assert len(arabic) == 2
    assert all(p._p.xpath("./w:pPr/w:bidi") for p in arabic)
    assert not english[0]._p.xpath("./w:pPr/w:bidi")


def test_the_text_of_the_export_does_not_depend_on_when_it_was_made():
    first, second = open_word(export()), open_word(export())
    assert [p.text for p in first.paragraphs] == [p.text for p in second.paragraphs]


# The round trip -------------------------------------------------------------------------------


def test_the_worked_example_reads_back_equal():
    assert read_docx(export()) == EXAMPLE


def test_a_text_without_a_title_or_clauses_reads_back_equal():
    assert read_docx(export(TextDoc(""))) == TextDoc("")
    untitled = parse("## 1. Only {#only}\n\nWords.\n")
    assert read_docx(export(untitled)) == untitled


WORDS = ["peace", "the", "parties", "shall", "withdraw", "السلام", "الأطراف", "&", "<b>", "1990"]
ODD = ["[", "]", "\\", "{", "}", "#", "(", ")", "\t", "1.", "IV."]


def _phrase(*, odd: bool = True) -> st.SearchStrategy[str]:
    token = st.sampled_from(WORDS + ODD) if odd else st.sampled_from(WORDS)
    return st.lists(token, min_size=1, max_size=5).map(" ".join)


@st.composite
def _body(draw: st.DrawFn) -> str:
    segments: list[Segment] = []
    for _ in range(draw(st.integers(0, 4))):
        separator = draw(st.sampled_from([" ", "\n", "\n\n", "\n\n# "]))
        segments.append(separator + draw(_phrase()) + " ")
        if draw(st.booleans()):
            alternatives = draw(st.lists(_phrase(), min_size=1, max_size=3))
            segments.append(Bracket(tuple(alternatives)))
    return render_body(tuple(segments))


@st.composite
def _docs(draw: st.DrawFn) -> TextDoc:
    keys = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True), max_size=5, unique=True)
    )
    clauses: list[ClauseDoc] = []
    depth = 0
    for key in keys:
        depth = draw(st.integers(1, min(depth + 1, 4)))
        number = draw(st.sampled_from(["", "1", "2.1", "IV", "10"]))
        heading = draw(
            st.one_of(
                st.just(""),
                _phrase(odd=False),
                st.sampled_from(["Brackets [sic] {x}", "Monitoring (Agreed)", "Why (agreed)?"]),
            )
        )
        status = draw(st.sampled_from(list(DraftingStatus)))
        clauses.append(ClauseDoc(key, number, heading, draw(_body()), depth, status))
    title = draw(st.one_of(st.just(""), _phrase()))
    try:  # the canonical form: what a stored version holds
        return parse(render_text(TextDoc(title, tuple(clauses))))
    except TextFormatError:
        reject()  # the format's own corner cases are test_format.py's business


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_docs())
def test_any_text_reads_back_equal(doc: TextDoc):
    assert read_docx(export(doc)) == doc


# Files written by hand ------------------------------------------------------------------------


def test_a_file_written_with_heading_styles_reads_into_clauses():
    word = Document()
    word.add_heading("Ceasefire and political process", 1)
    word.add_heading("1. Foreign fighters", 2)
    word.add_paragraph(FIGHTERS)
    word.add_heading("1.1 Verification", 3)
    word.add_paragraph("By the joint commission.")
    word.add_heading("2. Monitoring (Agreed)", 2)
    word.add_paragraph("A [joint] commission monitors the ceasefire.")
    doc = read_docx(save(word))
    assert doc == TextDoc(
        "Ceasefire and political process",
        (
            ClauseDoc("foreign-fighters", "1", "Foreign fighters", FIGHTERS),
            ClauseDoc("verification", "1.1", "Verification", "By the joint commission.", 2),
            ClauseDoc(
                "monitoring",
                "2",
                "Monitoring",
                "A [joint] commission monitors the ceasefire.",
                status=DraftingStatus.AGREED,
            ),
        ),
    )
    labels = [option.label for option in options_of(parse_body(doc.clauses[0].body))]
    assert labels == ["1A", "1B", "2A", "2B", "omit"]


def test_a_title_style_and_heading_1_clauses_read_one_level_up():
    word = Document()
    word.add_paragraph("Draft", style="Title")
    word.add_heading("1. Ceasefire {#ceasefire .agreed}", 1)
    word.add_heading("1.1 Lines", 2)
    doc = read_docx(save(word))
    assert doc.title == "Draft"
    assert [(c.key, c.depth, c.status) for c in doc.clauses] == [
        ("ceasefire", 1, DraftingStatus.AGREED),
        ("lines", 2, DraftingStatus.UNDER_DISCUSSION),
    ]


def test_a_file_of_numbered_paragraphs_reads_one_clause_per_number():
    word = Document()
    for text in [
        "Draft ceasefire agreement",
        "1. The parties shall cease fire.",
        "2. Foreign fighters leave [immediately] [within 30 days].",
        "2.1 Verification is by the United Nations.",
        "A second paragraph of 2.1.",
        "1990 was not a clause number.",
    ]:
        word.add_paragraph(text)
    doc = read_docx(save(word))
    assert doc == TextDoc(
        "Draft ceasefire agreement",
        (
            ClauseDoc("c-1", "1", "", "The parties shall cease fire."),
            ClauseDoc("c-2", "2", "", "Foreign fighters leave [immediately] [within 30 days]."),
            ClauseDoc(
                "c-2-1",
                "2.1",
                "",
                "Verification is by the United Nations.\n\nA second paragraph of 2.1.\n\n"
                "1990 was not a clause number.",
                2,
            ),
        ),
    )


def test_word_list_numbering_is_recounted_and_bullets_are_body_text():
    word = Document()
    word.add_paragraph("Draft", style="Title")
    word.add_paragraph("The parties shall cease fire.", style="List Number")
    word.add_paragraph("Foreign fighters shall leave.", style="List Number")
    word.add_paragraph("Within thirty days.", style="List Number 2")
    word.add_paragraph("a bullet point", style="List Bullet")
    numbered = word.add_paragraph("Numbered by a button, not a style.", style="List Paragraph")
    num_id = word.styles["List Number"].element.xpath("./w:pPr/w:numPr/w:numId/@w:val")[0]
    numbered._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    doc = read_docx(save(word))
    assert [(c.number, c.depth, c.body) for c in doc.clauses] == [
        ("1", 1, "The parties shall cease fire."),
        ("2", 1, "Foreign fighters shall leave."),
        ("2.1", 2, "Within thirty days.\n\na bullet point"),
        ("3", 1, "Numbered by a button, not a style."),
    ]


def test_only_superscripts_that_read_like_labels_are_dropped():
    word = Document()
    word.add_heading("Draft", 1)
    word.add_heading("1. Rounds", 2)
    paragraph = word.add_paragraph("After the 1")
    paragraph.add_run("st").font.superscript = True
    paragraph.add_run(" round, ")
    for part in ("1", "A"):  # Word splits a run wherever an edit happened
        paragraph.add_run(part).font.superscript = True
    paragraph.add_run("[the parties] ")
    paragraph.add_run("1B").font.superscript = True
    paragraph.add_run("[all parties] meet.")
    assert read_docx(save(word)).clauses[0].body == (
        "After the 1st round, [the parties] [all parties] meet."
    )


def test_paragraphs_inside_content_controls_are_read_not_dropped():
    word = Document()
    word.add_heading("Draft", 1)
    word.add_heading("1. Lines", 2)
    paragraph = word.add_paragraph("Inside a content control.")
    control = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtContent/></w:sdt>")
    paragraph._p.addprevious(control)
    control[0].append(paragraph._p)
    assert read_docx(save(word)).clauses[0].body == "Inside a content control."


def test_a_title_longer_than_word_properties_allow_still_exports_whole():
    doc = parse_text_titled("A very long title " * 20)
    assert len(doc.title) > 255
    assert read_docx(export(doc)) == doc


def parse_text_titled(title: str) -> TextDoc:
    return parse(f"# {title}\n\n## 1. Only {{#only}}\n")


def test_tracked_changes_read_as_if_accepted():
    word = Document()
    word.add_heading("Draft", 1)
    word.add_heading("1. Lines", 2)
    paragraph = word.add_paragraph("Forces withdraw ")
    w = nsdecls("w")
    paragraph._p.append(
        parse_xml(
            f'<w:del {w} w:id="1" w:author="M"><w:r><w:delText>at once</w:delText></w:r></w:del>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:ins {w} w:id="2" w:author="M"><w:r><w:t>[within 30 days]</w:t></w:r></w:ins>'
        )
    )
    paragraph.add_run(".")
    assert read_docx(save(word)).clauses[0].body == "Forces withdraw [within 30 days]."


def test_a_body_line_starting_with_a_hash_is_body_text_not_a_heading():
    word = Document()
    word.add_heading("Draft", 1)
    word.add_heading("1. Tags", 2)
    word.add_paragraph("# 5 is the room number.")
    clause = read_docx(save(word)).clauses[0]
    assert parse_body(clause.body) == ("# 5 is the room number.",)


# Problems -------------------------------------------------------------------------------------


def _with_unclosed_bracket_in_paragraph_4() -> WordDocument:
    word = Document()
    word.add_heading("Draft", 1)  # paragraph 1
    word.add_paragraph("")  # paragraph 2: empty paragraphs count too
    word.add_heading("1. Foreign fighters", 2)  # paragraph 3
    word.add_paragraph("They shall leave [immediately.")  # paragraph 4
    word.add_paragraph("Fine text.")  # paragraph 5
    return word


def test_an_unclosed_bracket_is_reported_at_its_word_paragraph_and_column():
    error = problems(save(_with_unclosed_bracket_in_paragraph_4()))
    assert error.name == "draft.docx"
    [problem] = error.problems
    assert (problem.line, problem.column) == (4, len("They shall leave [")), problem
    assert str(error).startswith("draft.docx:4:18: unclosed bracket")


def test_columns_count_the_labels_word_shows():
    word = Document()
    word.add_heading("Draft", 1)
    word.add_heading("1. Foreign fighters", 2)
    paragraph = word.add_paragraph("Now ")
    paragraph.add_run("1A").font.superscript = True
    paragraph.add_run("[All foreign fighters shall leave.")
    [problem] = problems(save(word)).problems
    assert (problem.line, problem.column) == (3, len("Now 1A[")), problem


def test_a_skipped_heading_level_is_named_by_word_styles():
    word = Document()
    word.add_heading("Draft", 1)
    word.add_heading("1. Top", 2)
    word.add_heading("1.1.1 Too deep", 4)
    [problem] = problems(save(word)).problems
    assert problem.line == 3
    assert "Heading 4 after Heading 2 (use Heading 3)" in problem.message, problem.message


def test_a_copied_heading_is_a_duplicate_key_named_by_paragraphs():
    word = open_word(export())
    copy = word.paragraphs[3]  # "1. Foreign fighters" with its hidden key
    assert "{#foreign-fighters}" in copy.text
    word.paragraphs[-1]._p.addnext(copy._p.__copy__())
    [problem] = problems(save(word)).problems
    assert problem.line == len(word.paragraphs)
    assert "duplicate key 'foreign-fighters': paragraph 4 already uses it" in problem.message


def test_text_before_the_first_clause_is_reported_at_its_paragraph():
    word = Document()
    word.add_heading("Draft", 1)
    word.add_paragraph("Stray words.")
    word.add_heading("1. Clause", 2)
    [problem] = problems(save(word)).problems
    assert problem.line == 2 and "before the first clause" in problem.message
    assert "Heading 2 paragraph" in problem.message, problem.message


def test_every_problem_is_reported_at_once():
    word = _with_unclosed_bracket_in_paragraph_4()
    word.add_paragraph("And a stray ] here.")  # paragraph 6
    assert [p.line for p in problems(save(word)).problems] == [4, 6]


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 not a word file", b"", b"PK\x03\x04broken zip"],
    ids=["pdf", "empty", "broken-zip"],
)
def test_a_file_that_is_not_a_docx_is_refused_by_name(data: bytes):
    error = problems(data, name="minutes.pdf")
    assert "minutes.pdf is not a Word (.docx) document" in str(error)


def test_a_zip_that_is_not_a_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<spreadsheet/>")
    assert "not a Word (.docx) document" in str(problems(buffer.getvalue()))


def test_a_table_is_refused_rather_than_dropped():
    word = Document()
    word.add_heading("Draft", 1)
    word.add_heading("1. Lines", 2)
    word.add_table(rows=1, cols=2).cell(0, 0).text = "Line A"
    [problem] = problems(save(word)).problems
    assert problem.line == 3 and "table" in problem.message


def test_an_empty_file_is_an_empty_text_as_an_empty_bracket_file_is():
    assert read_docx(save(Document())) == parse("") == TextDoc("")
