"""`parley text import / export`: bracket files and Word files in, md/docx/pdf out."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from pypdf import PdfReader

from parley.texts import actions
from parley.texts.models import Clause, NegotiatingText, TextVersion
from tests.texts import FIGHTERS, TEXT, build_text
from tests.world import World

pytestmark = pytest.mark.django_db

SOURCE = f"""# Joint document

## Preamble {{#preamble .agreed}}

The participants met in Astana.

## 1. Foreign fighters {{#fighters}}

{FIGHTERS}
"""


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("text", *args, stdout=out)
    return out.getvalue()


def import_file(world: World, path: Path, *extra: str) -> str:
    mediator = world.users["mediator"].username
    return run("import", str(path), "--process", world.process.slug, "--as", mediator, *extra)


def test_import_makes_a_working_draft_whose_example_clause_round_trips(world, tmp_path):
    path = tmp_path / "joint.md"
    path.write_text(SOURCE, encoding="utf-8")
    said = import_file(world, path, "--key", "astana")
    assert "Draft 1 (working draft, 2 clauses) of text talks/astana" in said
    clause = Clause.objects.get(version__text__key="astana", key="fighters")
    assert clause.body == FIGHTERS
    assert list(clause.options.values_list("label", flat=True)) == ["1A", "1B", "2A", "2B", "omit"]


def test_a_malformed_file_is_refused_with_line_and_column_and_nothing_written(world, tmp_path):
    path = tmp_path / "bad.md"
    path.write_text(SOURCE.replace("process].", "process."), encoding="utf-8")
    before = (NegotiatingText.objects.count(), TextVersion.objects.count(), Clause.objects.count())
    with pytest.raises(CommandError) as error:
        import_file(world, path)
    line = SOURCE.splitlines().index(FIGHTERS) + 1
    column = FIGHTERS.index("[as part") + 1
    assert f"{path}:{line}:{column}:" in str(error.value)
    after = (NegotiatingText.objects.count(), TextVersion.objects.count(), Clause.objects.count())
    assert after == before


def test_duplicate_clause_keys_are_refused(world, tmp_path):
    path = tmp_path / "dup.md"
    path.write_text(SOURCE + "\n## 2. Again {#fighters}\n\nMore.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="fighters"):
        import_file(world, path)
    assert not NegotiatingText.objects.exists()


def test_only_the_mediation_team_imports(world, tmp_path):
    path = tmp_path / "joint.md"
    path.write_text(SOURCE, encoding="utf-8")
    lead = world.users["party_a_lead"].username
    with pytest.raises(CommandError, match="may not"):
        run("import", str(path), "--process", world.process.slug, "--as", lead)


def test_import_into_an_existing_text_adds_its_next_draft(world, tmp_path):
    tw = build_text(world)
    actions.circulate(access=tw.access("mediator"), version=tw.draft_2)
    path = tmp_path / "draft3.md"
    path.write_text(SOURCE, encoding="utf-8")
    said = import_file(world, path, "--into", TEXT)
    assert "Draft 3" in said and tw.text.versions.count() == 3


def test_export_writes_the_circulated_bytes_whose_hash_is_the_fingerprint(world, tmp_path):
    tw = build_text(world)
    target = tmp_path / "d1.md"
    slug = f"{world.process.slug}/{TEXT}"
    run("export", slug, "--version", "1", "--format", "md", "-o", str(target),
        "--as", world.users["observer"].username)  # fmt: skip
    assert hashlib.sha256(target.read_bytes()).hexdigest() == tw.draft_1.fingerprint


def test_word_and_pdf_exports_carry_label_and_fingerprint(world, tmp_path):
    tw = build_text(world)
    observer = world.users["observer"].username
    slug = f"{world.process.slug}/{TEXT}"
    for fmt in ("docx", "pdf"):
        run("export", slug, "--version", "1", "--format", fmt, "-o", str(tmp_path / f"d.{fmt}"),
            "--as", observer)  # fmt: skip
    footer = Document(str(tmp_path / "d.docx")).sections[0].footer.paragraphs
    assert any(tw.draft_1.fingerprint in p.text and "Draft 1" in p.text for p in footer)
    pdf_text = "".join(page.extract_text() for page in PdfReader(tmp_path / "d.pdf").pages)
    assert tw.draft_1.fingerprint in "".join(pdf_text.split())


def test_a_working_draft_cannot_be_exported_by_a_party_and_looks_missing(world, tmp_path):
    build_text(world)
    slug = f"{world.process.slug}/{TEXT}"
    lead = world.users["party_a_lead"].username
    with pytest.raises(CommandError, match="No such version"):
        run("export", slug, "--version", "2", "-o", str(tmp_path / "x.md"), "--as", lead)
    assert not (tmp_path / "x.md").exists()


def test_word_files_import_too(world, tmp_path):
    document = Document()
    document.add_heading("Joint document", level=1)
    document.add_heading("1. Foreign fighters", level=2)
    document.add_paragraph(FIGHTERS)
    path = tmp_path / "joint.docx"
    document.save(str(path))
    import_file(world, path, "--key", "from-word")
    clause = Clause.objects.get(version__text__key="from-word")
    assert clause.body == FIGHTERS and clause.number == "1"
