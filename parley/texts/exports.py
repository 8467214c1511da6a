"""One version as a file: bracket text, Word or PDF, with its label and fingerprint.

Web, API and CLI all export through ``export_version``, so a download, an API response and a
file written by ``parley text export`` carry the same bytes of text and the same footer.
"""

from __future__ import annotations

from dataclasses import dataclass

from parley.core.errors import InvalidInput
from parley.texts import docx, pdf
from parley.texts import format as bracket_format
from parley.texts.models import TextVersion
from parley.texts.queries import doc_of

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


def export_version(version: TextVersion, fmt: str) -> Export:
    """Return *version* rendered as *fmt* (md, docx or pdf).

    A circulated version's footer carries the fingerprint stored when it was issued; a working
    draft's is computed now and its label says it is a working draft.
    """
    if fmt not in FORMATS:
        raise InvalidInput({"format": [f"Choose one of: {', '.join(FORMATS)}."]})
    doc = doc_of(version)
    fingerprint = version.fingerprint or bracket_format.fingerprint(doc)
    label = version.display_label if not version.is_working else f"Working draft {version.number}"
    if fmt == "md":
        content = bracket_format.render_text(doc).encode("utf-8")
    elif fmt == "docx":
        content = docx.render_docx(doc, label=label, fingerprint=fingerprint)
    else:
        content = pdf.render_pdf(doc, label=label, fingerprint=fingerprint)
    filename = f"{version.text.key}-v{version.number}.{fmt}"
    return Export(content, FORMATS[fmt], filename)
