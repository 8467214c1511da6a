"""One version as a file: bracket text, Word or PDF, with its label and fingerprint.

Web, API and CLI all export through ``export_version``, so a download, an API response and a
file written by ``parley text export`` carry the same bytes of text and the same footer.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from parley.core.errors import InvalidInput
from parley.texts import docx, pdf
from parley.texts import format as bracket_format
from parley.texts.models import TextVersion
from parley.texts.queries import doc_of

WORKING_NOTE = "Working draft: mediation team only"
FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str
    fingerprint: str


def export_version(version: TextVersion, fmt: str) -> Export:
    """Return *version* rendered as *fmt* (md, docx or pdf).

    The .md file is the canonical bracket text and nothing else, so its SHA-256 is the
    fingerprint. Word and PDF footers carry the label and the fingerprint: the one stored when
    the draft was issued, or for a working draft its current text's, with a note saying so.
    """
    if fmt not in FORMATS:
        raise InvalidInput({"format": [f"Choose one of: {', '.join(FORMATS)}."]})
    doc = doc_of(version)
    fingerprint = version.fingerprint or bracket_format.fingerprint(doc)
    label, note = version.display_label, WORKING_NOTE if version.is_working else ""
    if fmt == "md":
        content = unicodedata.normalize("NFC", bracket_format.render_text(doc)).encode("utf-8")
    elif fmt == "docx":
        content = docx.render_docx(doc, label=label, fingerprint=fingerprint, status_note=note)
    else:
        content = pdf.render_pdf(doc, label=label, fingerprint=fingerprint, status_note=note)
    filename = f"{version.text.key}-v{version.number}.{fmt}"
    return Export(content, FORMATS[fmt], filename, fingerprint)
