"""The clause x party board of a draft, drawn on the server: an SVG grid and the same table.

One row per clause, one column per party; each cell is the party's official stance on the
clause as far as the viewer may see it. Colours come from the Okabe-Ito set (told apart with
the common colour-vision deficiencies) and every cell also carries a glyph, so the board reads
in greyscale and print; every cell has a ``<title>`` tooltip and the table below the drawing
says everything in words, for screen readers and for readers without SVG. No JavaScript.

A clause's status (agreed, blocked…) is shown only when the board is *complete* for the viewer
(``queries.board`` leaves ``result`` empty otherwise): a party sees its own column and nothing
that would tell it what another party said.

A draft may have hundreds of clauses and tens of parties: the drawing and the table are each
built as one string, every user-written text escaped once with ``escape``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from parley.consensus.clauses import ClauseStatus
from parley.texts.queries import Board, BoardRow, Cell, PartyColumn

# stance -> (fill, text colour, glyph, label)
STANCES: dict[str, tuple[str, str, str, str]] = {
    "accept": ("#009e73", "#ffffff", "✓", "Accept"),
    "live_with": ("#56b4e9", "#000000", "≈", "Can live with it"),
    "reject": ("#d55e00", "#ffffff", "✗", "Reject"),
    "stand_aside": ("#bbbbbb", "#000000", "–", "Stand aside"),
    "pending": ("#ffffff", "#5b6475", "?", "No position yet"),
    "hidden": ("#eeeeee", "#9aa0a6", "·", "Not shown to you"),
}
STATUS_LABELS: dict[str, str] = {
    ClauseStatus.PENDING.value: "Waiting for positions",
    ClauseStatus.INSUFFICIENT_PARTICIPATION.value: "Too few parties take part",
    ClauseStatus.BLOCKED.value: "Blocked",
    ClauseStatus.AGREED.value: "Agreed",
    ClauseStatus.AGREED_WITH_RESERVATIONS.value: "Agreed with reservations",
}
BLOCKED_COLOUR = "#a11d1d"
CHOICE_LABELS = {"keep": "keep the clause", "omit": "omit the clause"}

LABEL_WIDTH, CELL_WIDTH, CELL_HEIGHT, HEADER_HEIGHT, STATUS_WIDTH = 220, 60, 22, 44, 170
LEGEND_ROW, LABEL_CHARS, PARTY_CHARS = 22, 30, 9


@dataclass(frozen=True)
class LegendKey:
    fill: str
    ink: str
    glyph: str
    label: str


@dataclass(frozen=True)
class Blocked:
    key: str
    label: str
    reasons: list[tuple[str, str]]  # (party name, reason)


@dataclass
class BoardView:
    """What the board page shows: the drawing, the table, the legend and, when complete,
    the document's status and the blocked clauses."""

    svg: SafeString
    table: SafeString
    legend: list[LegendKey]
    complete: bool
    document_status: str = ""
    counts: list[tuple[str, int]] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)


def clause_label(row: BoardRow) -> str:
    clause = row.clause
    return " ".join(part for part in (clause.number, clause.heading) if part) or clause.key


def board_view(board: Board, clause_prefix: str) -> BoardView:
    """Return the board drawn for its viewer; clause links are ``clause_prefix + key + "/"``."""
    names = {party.pk: party.name for party in board.parties}
    labels = [clause_label(row) for row in board.rows]
    view = BoardView(
        svg=board_svg(board, labels, clause_prefix),
        table=board_table(board, labels, names, clause_prefix),
        legend=legend(board.complete),
        complete=board.complete,
    )
    if board.complete:
        _summarise(view, board, labels, names)
    return view


def legend(complete: bool) -> list[LegendKey]:
    keys = [LegendKey(fill, ink, glyph, label) for fill, ink, glyph, label in STANCES.values()]
    if complete:
        keys.append(LegendKey("#ffffff", BLOCKED_COLOUR, "!", "Blocked clause (outlined)"))
    return keys


def _summarise(view: BoardView, board: Board, labels: list[str], names: Mapping[int, str]) -> None:
    counts: dict[str, int] = {}
    for row, label in zip(board.rows, labels, strict=True):
        if row.result is None:
            continue
        status = row.result.assessment.status.value
        counts[status] = counts.get(status, 0) + 1
        if status == ClauseStatus.BLOCKED.value:
            reasons = [
                (names.get(p, "A party"), r) for p, r in row.result.assessment.blocking.items()
            ]
            view.blocked.append(Blocked(row.clause.key, label, reasons))
    view.counts = [(STATUS_LABELS[s], counts[s]) for s in STATUS_LABELS if s in counts]
    if board.result is not None:
        status = board.result.status.value
        view.document_status = STATUS_LABELS.get(status, status)


# The drawing --------------------------------------------------------------------------------


def board_svg(board: Board, labels: list[str], clause_prefix: str) -> SafeString:
    """Return the board as one inline SVG element."""
    parties = board.parties
    status_width = STATUS_WIDTH if board.complete else 0
    grid_width = LABEL_WIDTH + CELL_WIDTH * len(parties) + status_width
    keys = legend(board.complete)
    legend_top = HEADER_HEIGHT + CELL_HEIGHT * len(board.rows) + 16
    per_line = max(1, grid_width // 190)
    height = legend_top + LEGEND_ROW * (-(-len(keys) // per_line)) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="text-board" role="img" '
        f'aria-labelledby="board-title board-desc" viewBox="0 0 {grid_width} {height}" '
        f'width="{grid_width}" height="{height}" font-family="system-ui, sans-serif" '
        f'font-size="12">'
        f'<title id="board-title">Where {escape(board.version.display_label)} stands, '
        f"clause by clause and party by party</title>"
        f'<desc id="board-desc">{len(board.rows)} clauses, {len(parties)} parties. '
        f"The table below gives the same information in words.</desc>",
        _header(parties, board.complete),
    ]
    shown = _shown_cells(board)
    parts.extend(
        _svg_row(index, row, label, clause_prefix, shown, board.complete)
        for index, (row, label) in enumerate(zip(board.rows, labels, strict=True))
    )
    parts.append(_svg_legend(keys, legend_top, per_line))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped where it was placed


def _header(parties: tuple[PartyColumn, ...], complete: bool) -> str:
    cells = []
    y = HEADER_HEIGHT - 10
    for index, party in enumerate(parties):
        x = LABEL_WIDTH + CELL_WIDTH * index + CELL_WIDTH // 2
        short = (
            party.name if len(party.name) <= PARTY_CHARS else party.name[: PARTY_CHARS - 1] + "…"
        )
        cells.append(
            f'<text x="{x}" y="{y}" text-anchor="middle" font-weight="600">'
            f"<title>{escape(party.name)}</title>{escape(short)}</text>"
        )
    cells.append(f'<text x="4" y="{y}" font-weight="600">Clause</text>')
    if complete:
        x = LABEL_WIDTH + CELL_WIDTH * len(parties) + 8
        cells.append(f'<text x="{x}" y="{y}" font-weight="600">Where it stands</text>')
    return "".join(cells)


def _shown_cells(board: Board) -> dict[str, str]:
    """Return each stance's cell drawing minus its position and tooltip (made once)."""
    return {
        stance: (
            f'width="{CELL_WIDTH - 4}" height="{CELL_HEIGHT - 4}" rx="3" fill="{fill}" '
            f'stroke="#9aa0a6" stroke-width="1"'
        )
        for stance, (fill, _ink, _glyph, _label) in STANCES.items()
    }


def _svg_row(
    index: int, row: BoardRow, label: str, prefix: str, shown: dict[str, str], complete: bool
) -> str:
    top = HEADER_HEIGHT + CELL_HEIGHT * index
    text_y = top + CELL_HEIGHT - 7
    short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
    safe_label = escape(label)
    key = escape(row.clause.key)
    parts = [
        f'<g class="board-row" data-clause="{key}">'
        f'<a href="{escape(prefix)}{key}/"><text x="4" y="{text_y}" fill="#1f5fa8">'
        f"<title>{safe_label}</title>{escape(short)}</text></a>"
    ]
    for column, cell in enumerate(row.cells):
        stance = cell.stance
        _fill, ink, glyph, stance_label = STANCES.get(stance, STANCES["pending"])
        x = LABEL_WIDTH + CELL_WIDTH * column + 2
        # Reasons are in the table and on the clause page: 10,000 cells of them would weigh
        # megabytes here.
        tip = f"{escape(cell.party.name)}: {stance_label}"
        parts.append(
            f'<g><title>{tip}</title><rect x="{x}" y="{top + 2}" {shown.get(stance, "")}/>'
            f'<text x="{x + (CELL_WIDTH - 4) // 2}" y="{text_y}" text-anchor="middle" '
            f'fill="{ink}" font-weight="700" aria-hidden="true">{glyph}</text></g>'
        )
    if complete and row.result is not None:
        parts.append(_svg_status(row, top, text_y, len(row.cells)))
    parts.append("</g>")
    return "".join(parts)


def _svg_status(row: BoardRow, top: int, text_y: int, columns: int) -> str:
    assert row.result is not None
    status = row.result.assessment.status.value
    label = STATUS_LABELS.get(status, status)
    x = LABEL_WIDTH + CELL_WIDTH * columns + 8
    if status != ClauseStatus.BLOCKED.value:
        return f'<text x="{x}" y="{text_y}" class="clause-status">{escape(label)}</text>'
    width = LABEL_WIDTH + CELL_WIDTH * columns + STATUS_WIDTH - 2
    return (
        f'<rect x="1" y="{top + 1}" width="{width}" height="{CELL_HEIGHT - 2}" fill="none" '
        f'stroke="{BLOCKED_COLOUR}" stroke-width="2" rx="3"/>'
        f'<text x="{x}" y="{text_y}" class="clause-status" fill="{BLOCKED_COLOUR}" '
        f'font-weight="700">! {escape(label)}</text>'
    )


def _svg_legend(keys: list[LegendKey], top: int, per_line: int) -> str:
    parts = ['<g class="board-legend">']
    for index, key in enumerate(keys):
        x = 4 + 190 * (index % per_line)
        y = top + LEGEND_ROW * (index // per_line)
        stroke = BLOCKED_COLOUR if key.glyph == "!" else "#9aa0a6"
        parts.append(
            f'<rect x="{x}" y="{y}" width="18" height="16" rx="3" fill="{key.fill}" '
            f'stroke="{stroke}"/><text x="{x + 9}" y="{y + 12}" text-anchor="middle" '
            f'fill="{key.ink}" font-weight="700">{key.glyph}</text>'
            f'<text x="{x + 24}" y="{y + 12}">{escape(key.label)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


# The table ----------------------------------------------------------------------------------


def board_table(
    board: Board, labels: list[str], names: Mapping[int, str], clause_prefix: str
) -> SafeString:
    """Return the board as an HTML table: the same cells, in words."""
    head = "".join(f'<th scope="col" dir="auto">{escape(p.name)}</th>' for p in board.parties)
    status_head = '<th scope="col">Where it stands</th>' if board.complete else ""
    parts = [
        '<table class="board-table"><caption>Positions on '
        f"{escape(board.version.display_label)}, clause by clause</caption><thead><tr>"
        f'<th scope="col">Clause</th>{head}<th scope="col">Alternatives</th>'
        f'<th scope="col">Advisory views</th>{status_head}</tr></thead><tbody>'
    ]
    prefix = escape(clause_prefix)
    for row, label in zip(board.rows, labels, strict=True):
        key = escape(row.clause.key)
        cells = "".join(_table_cell(cell) for cell in row.cells)
        status = f"<td>{_table_status(row, names)}</td>" if board.complete else ""
        parts.append(
            f'<tr id="board-{key}"><th scope="row"><a href="{prefix}{key}/" dir="auto">'
            f"{escape(label)}</a></th>{cells}<td>{_table_options(row)}</td>"
            f"<td>{_table_advisory(row)}</td>{status}</tr>"
        )
    parts.append("</tbody></table>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped where it was placed


def _table_cell(cell: Cell) -> str:
    stance = cell.stance
    label = STANCES.get(stance, STANCES["pending"])[3]
    position = cell.position
    extra = ""
    if position is not None:
        notes = [("Reason", position.reason), ("Reservation", position.reservation)]
        extra = "".join(
            f'<br><small>{name}: <span dir="auto">{escape(text)}</span></small>'
            for name, text in notes
            if text
        )
    return f'<td class="stance stance-{stance}">{label}{extra}</td>'


def _table_options(row: BoardRow) -> str:
    """Return each alternative's ratings counted by stance; who said what is on the clause page."""
    if not row.options:
        return ""
    items = []
    for option in row.clause.options.all():
        counts: dict[str, int] = {}
        for position in row.options.get(option.pk, []):
            label = STANCES.get(position.stance, STANCES["pending"])[3]
            counts[label] = counts.get(label, 0) + 1
        if counts:
            said = ", ".join(f"{label}: {n}" for label, n in counts.items())
            items.append(f"<li>{escape(option.label)}: {said}</li>")
    return f'<ul class="ratings">{"".join(items)}</ul>' if items else ""


def _table_advisory(row: BoardRow) -> str:
    if not row.advisory:
        return ""
    counts: dict[str, int] = {}
    for position in row.advisory:
        label = STANCES.get(position.stance, STANCES["pending"])[3]
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(f"{label}: {n}" for label, n in counts.items())


def _table_status(row: BoardRow, names: Mapping[int, str]) -> str:
    if row.result is None:
        return ""
    assessment = row.result.assessment
    status = assessment.status.value
    label = STATUS_LABELS.get(status, status)
    parts = [f'<strong class="clause-status status-{status}">{label}</strong>']
    for party, reason in assessment.blocking.items():
        parts.append(
            f'<br><small>Blocked by <span dir="auto">{escape(names.get(party, "A party"))}'
            f'</span>: <span dir="auto">{escape(reason)}</span></small>'
        )
    for bracket in row.result.brackets:
        parts.append(f"<br><small>{escape(_bracket_text(bracket, names))}</small>")
    return "".join(parts)


def _bracket_text(bracket: Any, names: Mapping[int, str]) -> str:
    which = "Keep or omit the clause" if bracket.bracket == 0 else f"Bracket {bracket.bracket}"
    if bracket.choice is None:
        waiting = ", ".join(sorted(names.get(p, "a party") for p in bracket.waiting))
        return f"{which}: waiting for {waiting}" if waiting else f"{which}: no ratings"
    choice = bracket.choice
    if choice.chosen:
        return f"{which}: {CHOICE_LABELS.get(choice.chosen, choice.chosen)} chosen"
    if choice.tied:
        tied = ", ".join(CHOICE_LABELS.get(t, t) for t in sorted(choice.tied))
        return f"{which}: tied between {tied}, for the mediator"
    return f"{which}: open"
