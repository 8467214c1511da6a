"""The bracketed text format (docs/text-format.md): reading, writing, problems, prose, hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.texts.document import (
    MAX_ALTERNATIVES,
    Bracket,
    ClauseDoc,
    DraftingStatus,
    Segment,
    TextDoc,
    options_of,
)
from parley.texts.format import (
    KEY_MAX_LENGTH,
    KEY_PATTERN,
    Problem,
    TextFormatError,
    fingerprint,
    parse_body,
    parse_text,
    render_body,
    render_text,
    wording,
)

EXAMPLE = """\
# Joint document of the Astana meeting (illustrative)

## Preamble {#preamble .agreed}

The participants met in Astana from 25 May 2015.

## 1. Foreign fighters {#foreign-fighters}

[All foreign fighters] [All foreign fighters, including Hezbollah,] shall leave the country \
[immediately] [as part of the political process].

### 1.1 Verification {#verification .compromise}

Second paragraph bodies keep their blank lines between paragraphs.
"""
FIGHTERS = (
    "[All foreign fighters] [All foreign fighters, including Hezbollah,] shall leave the country "
    "[immediately] [as part of the political process]."
)
ARABIC = "يجب على جميع المقاتلين الأجانب"
DOC_PAGE = Path(__file__).parents[3] / "docs" / "text-format.md"


def problems_of(source: str) -> list[Problem]:
    with pytest.raises(TextFormatError) as caught:
        parse_text(source)
    return caught.value.problems


def only_problem(source: str) -> Problem:
    problems = problems_of(source)
    assert len(problems) == 1, problems
    return problems[0]


# The worked example ---------------------------------------------------------------------------


def test_the_example_reads_into_its_clauses():
    doc = parse_text(EXAMPLE)
    assert doc.title == "Joint document of the Astana meeting (illustrative)"
    assert doc.clauses == (
        ClauseDoc("preamble", "", "Preamble", "The participants met in Astana from 25 May 2015.",
                  1, DraftingStatus.AGREED),
        ClauseDoc("foreign-fighters", "1", "Foreign fighters", FIGHTERS, 1),
        ClauseDoc("verification", "1.1", "Verification",
                  "Second paragraph bodies keep their blank lines between paragraphs.", 2,
                  DraftingStatus.COMPROMISE),
    )  # fmt: skip
    assert [clause.line for clause in doc.clauses] == [3, 7, 11]
    assert doc.parent_keys() == {
        "preamble": None,
        "foreign-fighters": None,
        "verification": "foreign-fighters",
    }


def test_the_example_is_already_canonical_byte_for_byte():
    assert render_text(parse_text(EXAMPLE)) == EXAMPLE


def test_the_example_body_survives_byte_for_byte():
    assert render_body(parse_body(FIGHTERS)) == FIGHTERS
    assert parse_text(EXAMPLE).clauses[1].body == FIGHTERS


def test_the_example_body_has_two_brackets_of_two_alternatives():
    assert parse_body(FIGHTERS) == (
        Bracket(("All foreign fighters", "All foreign fighters, including Hezbollah,")),
        " shall leave the country ",
        Bracket(("immediately", "as part of the political process")),
        ".",
    )
    labels = [option.label for option in options_of(parse_body(FIGHTERS))]
    assert labels == ["1A", "1B", "2A", "2B", "omit"]


def test_the_doc_page_shows_the_example_and_every_status():
    page = DOC_PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```text\n(.*?)```", page, re.DOTALL)
    assert EXAMPLE in blocks
    for block in blocks:
        if block.startswith("#"):  # every sample text reads
            canonical = render_text(parse_text(block))
            assert render_text(parse_text(canonical)) == canonical
    for status in DraftingStatus:
        assert f"`.{status.value.replace('_', '-')}`" in page


def test_the_doc_page_quotes_every_problem_message():
    page = DOC_PAGE.read_text(encoding="utf-8")
    for source, *_ in PROBLEMS:
        message = only_problem(source).message
        assert f"`{message}`" in page, message


# Titles and headings --------------------------------------------------------------------------


def test_an_empty_source_is_an_empty_text():
    assert parse_text("") == TextDoc("")
    assert parse_text("\n\n  \n") == TextDoc("")
    assert render_text(TextDoc("")) == ""


def test_the_title_is_optional():
    doc = parse_text("## Only clause\n\nWords.\n")
    assert doc.title == ""
    assert render_text(doc) == "## Only clause {#only-clause}\n\nWords.\n"


def test_a_title_alone_renders_alone():
    assert render_text(parse_text("#   Talks  \n")) == "# Talks\n"


@pytest.mark.parametrize(
    ("heading", "number", "text"),
    [
        ("## 1. Withdrawal", "1", "Withdrawal"),
        ("## 2.1 Withdrawal", "2.1", "Withdrawal"),
        ("## 2.1. Withdrawal", "2.1", "Withdrawal"),
        ("## IV. Withdrawal", "IV", "Withdrawal"),
        ("## iv. Withdrawal", "iv", "Withdrawal"),
        ("## A. Withdrawal", "A", "Withdrawal"),
        ("## A.1.b Withdrawal", "A.1.b", "Withdrawal"),
        ("## 3.", "3", ""),
        ("## 1 Withdrawal", "", "1 Withdrawal"),  # no dot, no number
        ("## IV Withdrawal", "", "IV Withdrawal"),
        ("## Mix. Withdrawal", "", "Mix. Withdrawal"),
        ("## 1.5million", "", "1.5million"),
        ("## 1\\. Withdrawal", "", "1. Withdrawal"),  # an escaped dot is not a number
        ("## U\\.S. withdrawal", "", "U.S. withdrawal"),
    ],
)
def test_a_number_is_dotted_parts_of_digits_roman_numerals_or_one_letter(heading, number, text):
    clause = parse_text(heading).clauses[0]
    assert (clause.number, clause.heading) == (number, text)


@pytest.mark.parametrize(
    ("number", "heading", "line"),
    [
        ("1", "Withdrawal", "## 1. Withdrawal {#k}"),
        ("2.1", "Withdrawal", "## 2.1 Withdrawal {#k}"),
        ("IV", "", "## IV. {#k}"),
        ("", "1. Withdrawal", "## 1\\. Withdrawal {#k}"),
        ("", "U.S. policy", "## U\\.S. policy {#k}"),
        ("3", "4. Withdrawal", "## 3. 4. Withdrawal {#k}"),
        ("", "Sets {#x} and [y]", "## Sets \\{#x\\} and \\[y\\] {#k}"),
        ("", "", "## {#k}"),
    ],
)
def test_headings_render_one_canonical_way(number, heading, line):
    doc = TextDoc("", (ClauseDoc("k", number, heading),))
    assert render_text(doc) == line + "\n"
    assert parse_text(render_text(doc)) == doc


def test_attributes_come_in_any_order_and_either_spelling():
    source = (
        "## A {.proposed_deletion #a}\n## B {#b .under-discussion}\n## C {#c   .agreed-deletion}"
    )
    doc = parse_text(source)
    assert [c.status for c in doc.clauses] == [
        DraftingStatus.PROPOSED_DELETION,
        DraftingStatus.UNDER_DISCUSSION,
        DraftingStatus.AGREED_DELETION,
    ]
    assert render_text(doc) == (
        "## A {#a .proposed-deletion}\n\n## B {#b}\n\n## C {#c .agreed-deletion}\n"
    )


def test_missing_keys_come_from_the_heading_then_the_number_then_the_place():
    source = "\n".join([
        "## 1. Foreign fighters",  # the heading
        "## 2.1",  # the number
        f"## {ARABIC}",  # no ASCII to slug: the place
        "## Foreign fighters",  # a second time: suffixed
        "## Café, crème & co.",  # accents folded
        "## Later {#foreign-fighters-3}",  # explicit keys are never taken by derived ones
        "## Foreign fighters",
    ])  # fmt: skip
    keys = [clause.key for clause in parse_text(source).clauses]
    assert keys == [
        "foreign-fighters",
        "c-2-1",
        "c-3",
        "foreign-fighters-2",
        "cafe-creme-co",
        "foreign-fighters-3",
        "foreign-fighters-4",
    ]
    assert all(KEY_PATTERN.fullmatch(key) for key in keys)


def test_derived_keys_are_short_enough():
    key = parse_text("## " + "word " * 40).clauses[0].key
    assert len(key) <= KEY_MAX_LENGTH and KEY_PATTERN.fullmatch(key)


def test_depth_comes_from_the_hashes():
    doc = parse_text("## a\n### b\n#### c\n## d\n### e")
    assert [c.depth for c in doc.clauses] == [1, 2, 3, 1, 2]
    assert doc.parent_keys() == {"a": None, "b": "a", "c": "b", "d": None, "e": "d"}


def test_a_hash_without_a_space_is_not_a_heading():
    doc = parse_text("## a\n##not-a-heading\n#hashtag")
    assert doc.clauses[0].body == "##not-a-heading\n#hashtag"


# Bodies ---------------------------------------------------------------------------------------


def test_bodies_keep_paragraphs_and_drop_surplus_blank_lines():
    source = "## a\n\n\n  \nfirst line  \nsecond line\n\n\n\nnext paragraph\t\n\n\n## b\n"
    assert parse_text(source).clauses[0].body == "first line\nsecond line\n\nnext paragraph"


def test_any_newline_convention_and_a_byte_order_mark_read_the_same():
    unix = "# T\n\n## a\n\nx [y] z\n\nw\n"
    assert parse_text("\ufeff" + unix.replace("\n", "\r\n")) == parse_text(unix)
    assert parse_text(unix.replace("\n", "\r")) == parse_text(unix)
    assert parse_body("a\r\n\r\nb") == ("a\n\nb",)


@pytest.mark.parametrize(
    ("body", "canonical", "segments"),
    [
        ("[a][b]", "[a] [b]", (Bracket(("a", "b")),)),
        ("x [a] \t  [b] y", "x [a] [b] y", ("x ", Bracket(("a", "b")), " y")),
        ("[a] and [b]", "[a] and [b]", (Bracket(("a",)), " and ", Bracket(("b",)))),
        ("[a]\n[b]", "[a]\n[b]", (Bracket(("a",)), "\n", Bracket(("b",)))),
        ("[two\nlines] after", "[two\nlines] after", (Bracket(("two\nlines",)), " after")),
        ("[ padded ]", "[ padded ]", (Bracket((" padded ",)),)),
        ("no brackets", "no brackets", ("no brackets",)),
        ("", "", ()),
    ],
)
def test_spans_separated_by_spaces_or_tabs_are_one_bracket(body, canonical, segments):
    assert parse_body(body) == segments
    assert render_body(segments) == canonical


@pytest.mark.parametrize(
    ("body", "segments", "canonical"),
    [
        (r"a \[literal\] b", ("a [literal] b",), r"a \[literal\] b"),
        (r"[x \] y]", (Bracket(("x ] y",)),), r"[x \] y]"),
        (r"C:\path\to", ("C:\\path\\to",), r"C:\path\to"),  # no escape needed
        (r"back\\[x]", ("back\\", Bracket(("x",))), r"back\\[x]"),
        (r"end\\", ("end\\",), r"end\\"),
        (r"end\ ", ("end\\",), r"end\\"),
        (r"a \. b \* c", ("a . b * c",), "a . b * c"),  # needless escapes are dropped
        ("\\## not a heading", ("## not a heading",), "\\## not a heading"),
        ("## typed in a form", ("## typed in a form",), "\\## typed in a form"),
        ("#hashtag", ("#hashtag",), "#hashtag"),
        ("[a\n# b]", (Bracket(("a\n# b",)),), "[a\n\\# b]"),
    ],
)
def test_escapes_read_literally_and_render_minimally(body, segments, canonical):
    assert parse_body(body) == segments
    assert render_body(segments) == canonical
    assert parse_body(canonical) == segments


def test_a_body_line_that_looks_like_a_heading_survives_a_whole_text():
    doc = TextDoc("", (ClauseDoc("a", body=render_body(("x\n## not a clause\n# nor a title",))),))
    assert parse_text(render_text(doc)) == doc


def test_a_bracket_may_hold_the_maximum_number_of_alternatives():
    body = " ".join(f"[{i}]" for i in range(MAX_ALTERNATIVES))
    (bracket,) = parse_body(body)
    assert isinstance(bracket, Bracket) and len(bracket.alternatives) == MAX_ALTERNATIVES


def test_arabic_and_other_scripts_round_trip():
    source = (
        f"# نص تفاوضي\n\n## 1. المقاتلون الأجانب {{#fighters}}\n\n"
        f"[{ARABIC}] [{ARABIC}، بما في ذلك حزب الله،] يغادرون البلاد [فوراً].\n\n"
        "### 1.1 Проверка {#check}\n\n中文 [选项] [另一个选项] 😀\n"
    )
    doc = parse_text(source)
    assert render_text(doc) == source
    segments = parse_body(doc.clauses[0].body)
    assert segments[0] == Bracket((ARABIC, f"{ARABIC}، بما في ذلك حزب الله،"))
    assert doc.clauses[0].heading == "المقاتلون الأجانب"


def test_render_text_canonicalises_a_body_typed_in_a_form():
    doc = TextDoc("", (ClauseDoc("a", body="x  [a]\t[b]\r\n\r\n\r\ny  \n"),))
    assert render_text(doc) == "## {#a}\n\nx  [a] [b]\n\ny\n"


def test_render_text_refuses_a_body_that_does_not_read():
    with pytest.raises(TextFormatError) as caught:
        render_text(TextDoc("", (ClauseDoc("broken", body="a [b"),)))
    assert str(caught.value) == "clause broken:1:3: unclosed bracket: this '[' has no matching ']'"


# Problems -------------------------------------------------------------------------------------

PROBLEMS = [
    ("## a\n\nx [open", 3, 3, "unclosed bracket: this '[' has no matching ']'"),
    ("## a\n\n[open\n\nnext", 3, 1, "unclosed bracket: this '[' is not closed before the blank"),
    ("## a\n\nx ] y", 3, 3, "stray ']'"),
    ("## a\n\n[a [b] c", 3, 4, "nested '['"),
    ("## a\n\nx [] y", 3, 3, "empty bracket"),
    ("## a\n\nx [ \t ] y", 3, 3, "empty bracket"),
    ("## a {#k}\n## b {#k}", 2, 7, "duplicate key 'k': line 1 already uses it"),
    ("## a {#Bad_Key}", 1, 7, "bad key '#Bad_Key'"),
    ("## a {#k .maybe}", 1, 10, "unknown status '.maybe'"),
    ("## a {#k colour=red}", 1, 10, "unknown attribute 'colour=red'"),
    ("## a {#k #j}", 1, 10, "'#j': a heading has one key and one status"),
    ("## a\n#### b", 2, 1, "heading level skipped: '####' after '##' (use '###')"),
    ("### a", 1, 1, "heading level skipped: the first clause is '###' (use '##')"),
    ("# T\n\n  preamble\n\n## a", 3, 3, "text before the first clause"),
    ("## a\n# Late title", 2, 1, "a title ('# …') must come before the first clause"),
    ("# One\n# Two", 2, 1, "a text has only one title"),
    ("## Heading [x]", 1, 12, "'[' outside a clause body"),
    ("# Title ]", 1, 9, "']' outside a clause body"),
    (
        "## a\n\n" + " ".join(f"[{i}]" for i in range(MAX_ALTERNATIVES + 1)),
        3,
        1 + 4 * 10 + 5 * (MAX_ALTERNATIVES - 10),
        f"too many alternatives: a bracket holds at most {MAX_ALTERNATIVES}",
    ),
]


@pytest.mark.parametrize(("source", "line", "column", "message"), PROBLEMS)
def test_each_problem_points_at_its_line_and_column(source, line, column, message):
    problem = only_problem(source)
    assert (problem.line, problem.column) == (line, column), problem
    assert problem.message.startswith(message), problem


def test_a_key_may_have_at_most_80_characters():
    assert parse_text(f"## a {{#{'k' * KEY_MAX_LENGTH}}}").clauses[0].key == "k" * KEY_MAX_LENGTH
    problem = only_problem(f"## a {{#{'k' * (KEY_MAX_LENGTH + 1)}}}")
    assert (problem.line, problem.column) == (1, 7)
    assert problem.message.startswith("bad key")


def test_every_problem_is_reported_at_once_in_order():
    source = "\n".join([
        "stray preamble",  # 1
        "# Title",  # 2
        "## a {#a}",  # 3
        "x ] y",  # 4
        "#### deep",  # 5
        "## b {#a .nope}",  # 6
        "[never closed",  # 7
    ])  # fmt: skip
    with pytest.raises(TextFormatError) as caught:
        parse_text(source, name="draft.md")
    error = caught.value
    assert error.name == "draft.md"
    assert [(p.line, p.column) for p in error.problems] == [
        (1, 1), (4, 3), (5, 1), (6, 7), (6, 10), (7, 1)
    ]  # fmt: skip
    lines = str(error).splitlines()
    assert len(lines) == 6
    assert lines[0] == (
        "draft.md:1:1: text before the first clause: start a clause with a '##' heading"
    )
    assert all(re.match(r"draft\.md:\d+:\d+: \S", line) for line in lines)


def test_one_bracket_problem_per_line_so_echoes_stay_quiet():
    problems = problems_of("## a\n\n[a [b] c] d]\n[]")
    assert [(p.line, p.column) for p in problems] == [(3, 4), (4, 1)]


def test_parse_body_counts_lines_from_first_line():
    with pytest.raises(TextFormatError) as caught:
        parse_body("fine\n\nx ]", name="body", first_line=12)
    assert caught.value.problems == [Problem(14, 3, caught.value.problems[0].message)]
    assert str(caught.value).startswith("body:14:3: stray ']'")


def test_the_error_is_a_value_error_with_its_problems():
    error = TextFormatError([Problem(1, 2, "bad")], name="x.md")
    assert isinstance(error, ValueError)
    assert str(error) == "x.md:1:2: bad"
    assert error.problems == [Problem(1, 2, "bad")]
    assert TextFormatError([Problem(3, 4, "worse")]).name == "<text>"


# Fingerprints ---------------------------------------------------------------------------------


def test_the_fingerprint_is_the_sha256_of_the_canonical_text():
    doc = parse_text(EXAMPLE)
    assert fingerprint(doc) == hashlib.sha256(EXAMPLE.encode("utf-8")).hexdigest()


def test_the_fingerprint_ignores_unicode_normal_form_and_line_numbers():
    composed = TextDoc("Café", (ClauseDoc("a", heading="Crème", body="brûlée", line=3),))
    decomposed = TextDoc(
        unicodedata.normalize("NFD", "Café"),
        (ClauseDoc("a", heading=unicodedata.normalize("NFD", "Crème"),
                   body=unicodedata.normalize("NFD", "brûlée"), line=9),),
    )  # fmt: skip
    assert composed != decomposed
    assert fingerprint(composed) == fingerprint(decomposed)


def test_the_fingerprint_sees_every_field():
    base = ClauseDoc("a", "1", "H", "[x] y", 1)
    variants = [
        ClauseDoc("b", "1", "H", "[x] y", 1),
        ClauseDoc("a", "2", "H", "[x] y", 1),
        ClauseDoc("a", "1", "G", "[x] y", 1),
        ClauseDoc("a", "1", "H", "x y", 1),
        ClauseDoc("a", "1", "H", "[x] y", 1, DraftingStatus.AGREED),
    ]
    seen = {fingerprint(TextDoc("T", (base,))), fingerprint(TextDoc("U", (base,)))}
    seen |= {fingerprint(TextDoc("T", (variant,))) for variant in variants}
    assert len(seen) == 2 + len(variants)
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in seen)


# Plain prose ----------------------------------------------------------------------------------


def test_wording_shows_open_brackets_as_brackets():
    assert wording(parse_body(FIGHTERS)) == FIGHTERS


def test_wording_uses_the_chosen_alternatives():
    segments = parse_body(FIGHTERS)
    assert wording(segments, {1: "1B", 2: "2A"}) == (
        "All foreign fighters, including Hezbollah, shall leave the country immediately."
    )
    assert wording(segments, {1: "1A"}) == (
        "All foreign fighters shall leave the country "
        "[immediately] [as part of the political process]."
    )


def test_dropped_words_leave_no_double_space_nor_space_before_punctuation():
    segments = parse_body("They shall [immediately] leave [at once] [now]. Then [x] , go.")
    assert wording(segments, {1: "1B", 2: None, 3: "3B"}) == "They shall leave. Then, go."
    assert wording(parse_body("[Gone] starts here"), {1: "1B"}) == "starts here"


def test_the_omit_option_drops_the_whole_clause():
    assert wording(parse_body(FIGHTERS), {0: "omit", 1: "1A"}) == ""


def test_a_label_the_bracket_does_not_offer_is_refused():
    with pytest.raises(ValueError, match="bracket 2 has no option '2C'"):
        wording(parse_body(FIGHTERS), {2: "2C"})
    with pytest.raises(ValueError, match="bracket 1 has no option '2A'"):
        wording(parse_body(FIGHTERS), {1: "2A"})


def test_wording_in_arabic():
    segments = parse_body(f"[{ARABIC}] [جميع المقاتلين] مغادرة البلاد [فوراً].")
    assert wording(segments, {1: "1B", 2: "2B"}) == "جميع المقاتلين مغادرة البلاد."
    assert wording(segments, {1: "1A", 2: "2A"}) == f"{ARABIC} مغادرة البلاد فوراً."


# Properties -----------------------------------------------------------------------------------

SYNTAX = list("[]\\#{}.-_*`,:") + ["IV.", "1.", "2.1", "a", "A.", *ARABIC.split()]
LETTERS = st.characters(exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"))  # none is a space
WORDS = st.lists(
    st.one_of(st.sampled_from(SYNTAX), st.text(LETTERS, min_size=1, max_size=3)),
    min_size=1,
    max_size=2,
).map("".join)


def phrases(max_words: int = 4, separators: tuple[str, ...] = (" ",)) -> st.SearchStrategy[str]:
    """Words joined by single separators: no leading, trailing or doubled whitespace."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        words = draw(st.lists(WORDS, min_size=1, max_size=max_words))
        joints = [draw(st.sampled_from(separators)) for _ in words[1:]]
        return words[0] + "".join(j + w for j, w in zip(joints, words[1:], strict=True))

    return build()


ALTERNATIVES = st.lists(phrases(3, (" ", " ", "\n")), min_size=1, max_size=3)
ITEMS = st.one_of(WORDS, ALTERNATIVES.map(lambda alts: Bracket(tuple(alts))))


def _merge_adjacent_brackets(items: list[str | Bracket]) -> list[str | Bracket]:
    """Brackets next to each other on a line are one bracket, as the format reads them."""
    merged: list[str | Bracket] = []
    for item in items:
        if isinstance(item, Bracket) and merged and isinstance(merged[-1], Bracket):
            alternatives = merged[-1].alternatives + item.alternatives
            merged[-1] = Bracket(alternatives[:MAX_ALTERNATIVES])
        else:
            merged.append(item)
    return merged


@st.composite
def segment_tuples(draw: st.DrawFn) -> tuple[Segment, ...]:
    """Valid segments: paragraphs of lines of words and brackets, as the parser returns them."""
    lines = st.lists(ITEMS, min_size=1, max_size=4)
    paragraphs = draw(st.lists(st.lists(lines, min_size=1, max_size=2), max_size=2))
    segments: list[Segment] = []
    text = ""
    for p, paragraph in enumerate(paragraphs):
        for n, line in enumerate(paragraph):
            text += "\n\n" if p and not n else "\n" if n else ""
            for i, item in enumerate(_merge_adjacent_brackets(line)):
                text += " " if i else ""
                if isinstance(item, Bracket):
                    segments.extend([text, item] if text else [item])
                    text = ""
                else:
                    text += item
    return tuple([*segments, text] if text else segments)


NUMBERS = st.lists(
    st.one_of(st.integers(1, 999).map(str), st.sampled_from(["IV", "xii", "M", "a", "B"])),
    min_size=1,
    max_size=3,
).map(".".join)
KEYS = st.lists(st.text("abcxyz0189", min_size=1, max_size=4), min_size=1, max_size=3).map("-".join)


@st.composite
def text_docs(draw: st.DrawFn) -> TextDoc:
    keys = draw(st.lists(KEYS, max_size=4, unique=True))
    clauses: list[ClauseDoc] = []
    for key in keys:
        depth = draw(st.integers(1, clauses[-1].depth + 1 if clauses else 1))
        clauses.append(ClauseDoc(
            key=key,
            number=draw(st.one_of(st.just(""), NUMBERS)),
            heading=draw(st.one_of(st.just(""), phrases())),
            body=render_body(draw(segment_tuples())),
            depth=depth,
            status=draw(st.sampled_from(DraftingStatus)),
        ))  # fmt: skip
    return TextDoc(draw(st.one_of(st.just(""), phrases())), tuple(clauses))


@given(segment_tuples())
def test_segments_read_back_from_their_rendering(segments):
    assert parse_body(render_body(segments)) == segments


@settings(deadline=None)
@given(text_docs())
def test_a_rendered_text_reads_back_equal_with_the_same_fingerprint(doc):
    again = parse_text(render_text(doc))
    assert again == doc
    assert fingerprint(again) == fingerprint(doc)


SOURCE_PIECES = st.sampled_from(
    ["# ", "## ", "### ", "#### ", "\n", "\n\n", " ", "\t", "[", "]", "\\", "{#k}", "{#j .agreed}",
     "{", "}", ".", "1. ", "2.1 ", "IV. ", "word", ARABIC, "\r\n", "#", "\\#", "\\[", "[a] [b]"]
)  # fmt: skip
HEADING_PIECES = st.tuples(
    st.sampled_from(["## ", "## ", "### ", "##\t"]),
    st.sampled_from(["", "1. ", "2.1 ", "IV. ", "A.1. ", "1 "]),
    st.sampled_from(["", "Heading", ARABIC, "U\\.S. policy", "a {b", "x \\{#y\\}", "\\"]),
    st.sampled_from(["", " {#k}", " {.agreed}", " {#j .proposed_deletion}", "  "]),
).map("".join)
BODY_PIECES = st.sampled_from(
    ["word", " ", "  ", "\t", "[a]", "[b] [c]", "[d]\t[e]", "[f][g]", "\\[", "\\]", "\\\\", "\\#",
     "\\", "#", "## ", ARABIC, "\n", "\n\n", "\n  \n\n", ",", ".", "C:\\x"]
)  # fmt: skip


@st.composite
def messy_sources(draw: st.DrawFn) -> str:
    """Mostly readable texts with odd spacing, escapes and headings, and some that are not."""
    lines = [draw(st.sampled_from(["", "# Title", "#", "#  Spaced  title "]))]
    for _ in range(draw(st.integers(0, 4))):
        lines.append(draw(HEADING_PIECES))
        lines.append("".join(draw(st.lists(BODY_PIECES, max_size=12))))
    return "\n".join(lines)


@settings(deadline=None, max_examples=300)
@given(st.one_of(messy_sources(), st.lists(SOURCE_PIECES, max_size=40).map("".join)))
def test_any_source_either_reads_to_a_fixed_point_or_lists_located_problems(source):
    try:
        doc = parse_text(source)
    except TextFormatError as error:
        line_count = len(source.replace("\r\n", "\n").split("\n"))
        assert error.problems
        assert all(1 <= p.line <= line_count and p.column >= 1 for p in error.problems)
        return
    canonical = render_text(doc)
    assert parse_text(canonical) == doc
    assert render_text(parse_text(canonical)) == canonical
