"""A clause's wording as HTML: settled words, bracketed alternatives with their labels, diffs.

The reader, the clause page and the diff pages all show wording through here, so a bracket
reads the same everywhere: each alternative in square brackets with the label parties rate it
by as a small superscript before it ("¹ᴬ[All foreign fighters] ¹ᴮ[…]"), the same labels as
``parley.texts.document.options_of`` gives the stored options. A lone bracketed span offers
that wording or none, so its second alternative, the struck-out span, is shown too.

Every user-written string goes through ``escape``; the result is one string marked safe. The
drafting status of a clause follows the Northern Ireland talks' legend (mediation.md §2.2):
agreed, under discussion, compromise, proposed deletion (struck), agreed deletion (struck).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from parley.texts.diffing import ChangeKind, ClauseChange, WordOp, side_by_side
from parley.texts.document import DRAFTING_LABELS, Bracket, DraftingStatus, options_of
from parley.texts.format import TextFormatError, parse_body

# How each drafting status looks, so the legend and the clauses cannot disagree.
STATUS_STYLES: dict[DraftingStatus, str] = {
    DraftingStatus.AGREED: "font-weight: 600",
    DraftingStatus.UNDER_DISCUSSION: "",
    DraftingStatus.COMPROMISE: "font-style: italic",
    DraftingStatus.PROPOSED_DELETION: "text-decoration: line-through",
    DraftingStatus.AGREED_DELETION: "text-decoration: line-through; color: #5b6475",
}
STRUCK = frozenset({DraftingStatus.PROPOSED_DELETION, DraftingStatus.AGREED_DELETION})
BODY_STYLE = "white-space: pre-line"  # a body's own line breaks are part of its wording
SUP_STYLE = "font-size: .7em; font-weight: 700; color: #1f5fa8; margin-inline-end: .1em"

CHANGE_LABELS: dict[ChangeKind, str] = {
    ChangeKind.ADDED: "Added",
    ChangeKind.REMOVED: "Removed",
    ChangeKind.MOVED: "Moved",
    ChangeKind.CHANGED: "Changed",
    ChangeKind.MOVED_AND_CHANGED: "Moved and changed",
    ChangeKind.UNCHANGED: "Unchanged",
}


@dataclass(frozen=True)
class LegendEntry:
    status: str
    label: str
    sample: SafeString


def drafting_legend() -> list[LegendEntry]:
    """Return the drafting-status legend, each entry with a sample drawn as clauses are."""
    return [
        LegendEntry(status.value, DRAFTING_LABELS[status], _styled(status, "Sample wording"))
        for status in (
            DraftingStatus.AGREED,
            DraftingStatus.UNDER_DISCUSSION,
            DraftingStatus.COMPROMISE,
            DraftingStatus.PROPOSED_DELETION,
            DraftingStatus.AGREED_DELETION,
        )
    ]


def status_label(status: str) -> str:
    """Return a drafting status in words ("Proposed deletion")."""
    try:
        return DRAFTING_LABELS[DraftingStatus(status)]
    except ValueError:
        return status.replace("_", " ").capitalize()


def _styled(status: DraftingStatus, text: str) -> SafeString:
    style = STATUS_STYLES[status]
    inner = f"<s>{escape(text)}</s>" if status in STRUCK else escape(text)
    if not style:
        return mark_safe(f'<span class="drafting-{status.value}">{inner}</span>')  # noqa: S308
    return mark_safe(  # noqa: S308 - every text escaped above
        f'<span class="drafting-{status.value}" style="{style}">{inner}</span>'
    )


def render_body(body: str, status: str = DraftingStatus.UNDER_DISCUSSION.value) -> SafeString:
    """Return a clause body as HTML: settled words plain, each bracket's alternatives labelled.

    A body that does not read (it cannot happen to a stored clause, which the actions check)
    is shown as plain text rather than failing the page.
    """
    try:
        segments = parse_body(body)
    except TextFormatError:
        return _body_div(escape(body), status)
    labels = _labels(segments)
    parts: list[str] = []
    number = 0
    for segment in segments:
        if isinstance(segment, str):
            parts.append(escape(segment))
            continue
        number += 1
        parts.append(_bracket_html(number, segment, labels[number]))
    return _body_div("".join(parts), status)


def _labels(segments: tuple[str | Bracket, ...]) -> dict[int, list[str]]:
    """Return each bracket's option labels in order (a lone span's struck-out one included)."""
    labels: dict[int, list[str]] = {}
    for option in options_of(segments):
        if option.bracket:
            labels.setdefault(option.bracket, []).append(option.label)
    return labels


def _bracket_html(number: int, bracket: Bracket, labels: list[str]) -> str:
    alternatives = [
        f'<span class="alternative" data-option="{escape(label)}">{_sup(label)}'
        f"[{escape(text)}]</span>"
        for label, text in zip(labels, bracket.alternatives, strict=False)
    ]
    if bracket.may_be_struck and len(labels) > 1:
        struck = labels[1]
        alternatives.append(
            f'<span class="alternative alternative-struck" data-option="{escape(struck)}" '
            f'title="{escape(struck)}: leave these words out">{_sup(struck)}'
            f"[<s>{escape(bracket.alternatives[0])}</s>]"
            f'<span class="visually-hidden"> (left out)</span></span>'
        )
    return f'<span class="bracket" data-bracket="{number}">{" ".join(alternatives)}</span>'


def _sup(label: str) -> str:
    return f'<sup class="option-label" style="{SUP_STYLE}">{escape(label)}</sup>'


def _body_div(inner: str, status: str) -> SafeString:
    try:
        drafting = DraftingStatus(status)
    except ValueError:
        drafting = DraftingStatus.UNDER_DISCUSSION
    style = "; ".join(part for part in (BODY_STYLE, STATUS_STYLES[drafting]) if part)
    if drafting in STRUCK:
        inner = f"<s>{inner}</s>"
    return mark_safe(  # noqa: S308 - every user-written text is escaped by the callers
        f'<div class="clause-body drafting-{drafting.value}" dir="auto" style="{style}">'
        f"{inner}</div>"
    )


# Diffs --------------------------------------------------------------------------------------


def inline_diff(ops: Iterable[WordOp]) -> SafeString:
    """Return word operations as one run of text: insertions <ins>, deletions <del>."""
    return mark_safe("".join(_op(op) for op in ops))  # noqa: S308 - _op escapes


def _op(op: WordOp) -> str:
    if op.tag == "insert":
        return f'<ins style="background: #e3f4e6">{escape(op.text)}</ins>'
    if op.tag == "delete":
        return f'<del style="background: #fbeaea">{escape(op.text)}</del>'
    return str(escape(op.text))


def two_columns(ops: tuple[WordOp, ...]) -> tuple[SafeString, SafeString]:
    """Return the old side (shared and deleted words) and the new side (shared and inserted)."""
    left, right = side_by_side(ops)
    return inline_diff(left), inline_diff(right)


@dataclass(frozen=True)
class ChangeView:
    """One clause's change, ready for the diff templates."""

    key: str
    kind: str
    kind_label: str
    number: str
    old_number: str
    title: SafeString
    body: SafeString
    old_heading: SafeString
    new_heading: SafeString
    old_body: SafeString
    new_body: SafeString
    number_changed: bool
    status_changed: bool
    old_status: str
    new_status: str
    exists_in_new: bool


def change_view(change: ClauseChange) -> ChangeView:
    """Return *change* as inline and side-by-side HTML, with its kind and statuses in words."""
    old, new = change.old, change.new
    old_heading, new_heading = two_columns(change.heading)
    old_body, new_body = two_columns(change.body)
    return ChangeView(
        key=change.key,
        kind=change.kind.value,
        kind_label=CHANGE_LABELS[change.kind],
        number=(new or old).number if (new or old) else "",  # type: ignore[union-attr]
        old_number=old.number if old else "",
        title=inline_diff(change.heading),
        body=_diff_div(inline_diff(change.body)),
        old_heading=old_heading,
        new_heading=new_heading,
        old_body=_diff_div(old_body),
        new_body=_diff_div(new_body),
        number_changed=change.number_changed,
        status_changed=change.status_changed,
        old_status=status_label(old.status.value) if old else "",
        new_status=status_label(new.status.value) if new else "",
        exists_in_new=new is not None,
    )


def _diff_div(inner: SafeString) -> SafeString:
    return mark_safe(  # noqa: S308 - inner is built from escaped text
        f'<div class="clause-body diff" dir="auto" style="{BODY_STYLE}">{inner}</div>'
    )
