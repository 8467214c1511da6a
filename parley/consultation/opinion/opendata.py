"""Read and write Pol.is openData conversation folders (pure: stdlib csv and numpy, no Django).

A folder holds up to five files, as Pol.is's exporter writes them (docs/opinion-map-format.md):
`comments.csv`, `votes.csv` (the vote event log), `participants-votes.csv` (the final vote matrix
and Pol.is's opinion groups), `summary.csv` and `stats-history.csv`. Votes use the export sign:
agree = +1, disagree = -1, pass = 0 (Pol.is's own database and maths use agree = -1).

Reading is all or nothing: every problem found (up to MAX_PROBLEMS) is reported at once, each as
file, line and reason, in one OpenDataError, and nothing partial is returned.
"""

from __future__ import annotations

import csv
import io
import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Final, Literal

import numpy as np

from parley.consultation.opinion.types import (
    BoolArray,
    IntArray,
    StatementSet,
    VoteArray,
    VoteLog,
)

COMMENTS = "comments.csv"
VOTES: Final = "votes.csv"
PARTICIPANTS_VOTES: Final = "participants-votes.csv"
SUMMARY = "summary.csv"
STATS_HISTORY = "stats-history.csv"

Source = Literal["votes.csv", "participants-votes.csv"]
Problem = tuple[str, int, str]  # (file, line, reason); line 0 = the file as a whole

MAX_PROBLEMS = 20

COMMENT_COLUMNS = ("timestamp", "comment-id", "author-id", "moderated", "comment-body")
VOTE_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")
MATRIX_COLUMNS = ("participant", "group-id")
# Columns of participants-votes.csv that are not comment ids; every other header must be one.
MATRIX_FIXED = frozenset(
    ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
)

VOTE_VALUES = {"1": 1, "-1": -1, "0": 0}
MODERATION_VALUES = {"1": 1, "0": 0, "-1": -1}
FLAG_VALUES = {"true": True, "false": False}
_BLANK, _BAD = 2, 3  # matrix cell codes besides the votes: not voted, not a valid vote
MATRIX_CELLS = {**VOTE_VALUES, "": _BLANK}

# At most 18 digits: every such integer fits an int64. One regex over the joined column is a single
# C-level pass; only a column that fails is walked cell by cell, to name the bad lines. A minus
# sign is allowed: Parley writes author-id -1 for a statement nobody in the conversation wrote.
_INTEGER = re.compile(r"-?[0-9]{1,18}", re.ASCII)
_INTEGER_COLUMN = re.compile(r"(?:-?[0-9]{1,18}\n)*", re.ASCII)


class OpenDataError(ValueError):
    """A folder that is not a valid openData export; `problems` lists (file, line, reason)."""

    def __init__(self, folder: Path, problems: Sequence[Problem], more: int = 0) -> None:
        self.folder = folder
        self.problems = list(problems)
        self.more = more
        lines = [format_problem(problem) for problem in self.problems]
        if more:
            lines.append(f"... and {more} more")
        count = len(self.problems) + more
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{folder}: {count} {noun}, nothing was read:\n  " + "\n  ".join(lines))


def format_problem(problem: Problem) -> str:
    """Render one problem as `file:line: reason` (`file: reason` for the file as a whole)."""
    file, line, reason = problem
    return f"{file}:{line}: {reason}" if line else f"{file}: {reason}"


@dataclass(frozen=True)
class CommentRow:
    """One row of comments.csv. `moderated`: -1 rejected, 0 not yet moderated, 1 accepted."""

    id: int
    author: int
    text: str
    moderated: int
    is_meta: bool = False
    is_seed: bool = False
    timestamp: int = 0  # milliseconds since the epoch


@dataclass(frozen=True)
class OpenDataConversation:
    """One conversation as read from an openData folder.

    `log` holds the events of votes.csv in timestamp order (a later event for the same pair
    replaces an earlier one), or, without votes.csv, the final matrix of participants-votes.csv
    row by row with no times. `statements.ids` is every comment in comments.csv, voted or not.
    `group_ids` maps a participant to Pol.is's opinion group; participants Pol.is did not
    cluster are absent. `group_informed_consensus` is empty for exports without that column.
    """

    log: VoteLog
    statements: StatementSet
    comments: tuple[CommentRow, ...]
    group_ids: dict[int, int]
    source: Source
    summary: dict[str, str]
    group_informed_consensus: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class OpenDataExport:
    """Plain data for `write_folder`: comments, timed vote events and the final groups.

    `summary` holds what the data cannot tell (topic, url, conversation-description, views);
    the counts (voters, voters-in-conv, commenters, comments, groups) are computed.
    """

    comments: tuple[CommentRow, ...]
    votes: VoteLog  # every event, `time` required; order and ties as in VoteLog
    group_ids: Mapping[int, int] = field(default_factory=dict)
    summary: Mapping[str, str] = field(default_factory=dict)
    group_informed_consensus: Mapping[int, float] = field(default_factory=dict)


# -- reading -------------------------------------------------------------------------------------


class _Problems:
    """Collect problems, keep the first MAX_PROBLEMS, count the rest."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0

    def add(self, file: str, line: int, reason: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append((file, line, reason))
        else:
            self.more += 1

    def add_count(self, count: int) -> None:
        """Count problems found in bulk beyond the first MAX_PROBLEMS, which were each added."""
        self.more += max(0, count - MAX_PROBLEMS)

    def raise_if_any(self, folder: Path) -> None:
        if self.items:
            raise OpenDataError(folder, self.items, self.more)


@dataclass
class _Table:
    """A parsed CSV file: its header, its rows and the line each row starts on."""

    file: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]

    def column(self, name: str) -> list[str]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]

    def has(self, name: str) -> bool:
        return name in self.header


def read_folder(path: str | Path, *, source: Source | None = None) -> OpenDataConversation:
    """Read an openData folder; raise OpenDataError naming every problem found.

    *source* picks the file the votes come from; by default votes.csv when present (it keeps
    the order of events), else participants-votes.csv.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise OpenDataError(folder, [(str(folder), 0, "is not a folder")])
    chosen: Source = source or (VOTES if (folder / VOTES).exists() else PARTICIPANTS_VOTES)
    problems = _Problems()
    if not (folder / VOTES).exists() and not (folder / PARTICIPANTS_VOTES).exists():
        problems.add(PARTICIPANTS_VOTES, 0, "file is missing, and so is votes.csv: no votes")
    comments = _read_comments(folder, problems)
    known = None if comments is None else np.array([c.id for c in comments[0]], dtype=np.int64)
    log = _read_votes(folder, problems, known) if chosen == VOTES else None
    matrix = None
    if (folder / PARTICIPANTS_VOTES).exists() or chosen == PARTICIPANTS_VOTES == source:
        matrix = _read_participants_votes(folder, problems, known)
    summary = _read_summary(folder, problems)
    problems.raise_if_any(folder)
    if comments is None or (log is None and matrix is None):
        raise AssertionError("a part failed to read without reporting a problem")
    rows, consensus = comments
    return OpenDataConversation(
        log=log if log is not None else matrix[0] if matrix is not None else _empty_log(),
        statements=_statement_set(rows),
        comments=rows,
        group_ids=matrix[1] if matrix is not None else {},
        source=chosen,
        summary=summary,
        group_informed_consensus=consensus,
    )


def _empty_log() -> VoteLog:
    empty = np.zeros(0, dtype=np.int64)
    return VoteLog(participant=empty, statement=empty, vote=np.zeros(0, dtype=np.int8))


def _statement_set(rows: tuple[CommentRow, ...]) -> StatementSet:
    return StatementSet(
        ids=np.array(sorted(row.id for row in rows), dtype=np.int64),
        moderated_out=frozenset(row.id for row in rows if row.moderated == -1),
        meta=frozenset(row.id for row in rows if row.is_meta),
    )


def _read_table(
    folder: Path, file: str, problems: _Problems, required: Sequence[str], *, header: bool = True
) -> _Table | None:
    """Parse *file* as UTF-8 CSV; report a missing file, bad bytes, bad quoting, ragged rows."""
    path = folder / file
    if not path.is_file():
        problems.add(file, 0, "file is missing")
        return None
    text = _decode(path.read_bytes(), file, problems)
    if text is None:
        return None
    records = _records(text, file, problems)
    if records is None:
        return None
    if not header:
        return _Table(file, [], [row for _, row in records], [line for line, _ in records])
    if not records:
        problems.add(file, 0, "file is empty: no header")
        return None
    return _checked_table(file, records, problems, required)


def _decode(raw: bytes, file: str, problems: _Problems) -> str | None:
    try:
        # utf-8-sig: a spreadsheet that saved the file may have put a byte-order mark first.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            byte = line[error.start]
            problems.add(
                file, number, f"byte 0x{byte:02x} at column {error.start + 1} is not UTF-8"
            )
    return None


def _records(text: str, file: str, problems: _Problems) -> list[tuple[int, list[str]]] | None:
    """Return (first line, fields) per non-blank record; None if the quoting is broken."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if row:
                records.append((start, row))
            start = reader.line_num + 1
    except csv.Error as error:
        problems.add(file, start, f"bad CSV: {error}")
        return None
    return records


def _checked_table(
    file: str, records: list[tuple[int, list[str]]], problems: _Problems, required: Sequence[str]
) -> _Table | None:
    header = records[0][1]
    missing = [name for name in required if name not in header]
    for name in missing:
        problems.add(file, 1, f"missing column '{name}'")
    for name in sorted({name for name in header if header.count(name) > 1}):
        problems.add(file, 1, f"column '{name}' appears more than once")
    table = _Table(file, header, [], [])
    for line, row in records[1:]:
        if len(row) == len(header):
            table.rows.append(row)
            table.lines.append(line)
        else:
            problems.add(file, line, f"row has {len(row)} fields, the header has {len(header)}")
    ok = not missing and len(set(header)) == len(header)
    return table if ok else None


def _integers(table: _Table, name: str, problems: _Problems, what: str) -> IntArray | None:
    """Return column *name* as integers, or None after reporting each bad cell."""
    cells = table.column(name)
    joined = "\n".join(cells) + "\n" if cells else ""
    # The count guards against a quoted cell holding a line break, which the regex would pass.
    if joined.count("\n") == len(cells) and _INTEGER_COLUMN.fullmatch(joined) is not None:
        return np.fromiter(map(int, cells), dtype=np.int64, count=len(cells))
    for line, cell in zip(table.lines, cells, strict=True):
        if _INTEGER.fullmatch(cell) is None:
            problems.add(table.file, line, f"{what} {cell!r} is not an integer")
    return None


def _coded(
    table: _Table, name: str, codes: Mapping[str, int], problems: _Problems, what: str
) -> IntArray | None:
    """Return column *name* mapped through *codes*, or None after reporting each unknown cell."""
    cells = table.column(name)
    mapped = np.fromiter(map(codes.get, cells, repeat(_BAD)), dtype=np.int64, count=len(cells))
    bad = np.flatnonzero(mapped == _BAD)
    allowed = ", ".join(codes)
    for index in bad[:MAX_PROBLEMS]:
        cell = cells[index]
        problems.add(table.file, table.lines[index], f"{what} {cell!r} is not one of {allowed}")
    problems.add_count(len(bad))
    return None if len(bad) else mapped


def _flags(table: _Table, name: str, problems: _Problems) -> list[bool] | None:
    if not table.has(name):
        return [False] * len(table.rows)
    coded = _coded(table, name, {k: int(v) for k, v in FLAG_VALUES.items()}, problems, name)
    return None if coded is None else [bool(v) for v in coded]


def _read_comments(
    folder: Path, problems: _Problems
) -> tuple[tuple[CommentRow, ...], dict[int, float]] | None:
    table = _read_table(folder, COMMENTS, problems, COMMENT_COLUMNS)
    if table is None:
        return None
    ids = _integers(table, "comment-id", problems, "comment id")
    authors = _integers(table, "author-id", problems, "author id")
    times = _integers(table, "timestamp", problems, "timestamp")
    moderated = _coded(table, "moderated", MODERATION_VALUES, problems, "moderated")
    meta, seed = _flags(table, "is-meta", problems), _flags(table, "is-seed", problems)
    consensus = _consensus(table, problems)
    if ids is not None:
        _report_duplicates(table, ids, problems, "comment id")
    if (
        ids is None
        or authors is None
        or times is None
        or moderated is None
        or meta is None
        or seed is None
        or consensus is None
    ):
        return None
    rows = tuple(
        CommentRow(id=i, author=a, text=text, moderated=m, is_meta=im, is_seed=s, timestamp=t)
        for i, a, text, m, im, s, t in zip(
            ids.tolist(),
            authors.tolist(),
            table.column("comment-body"),
            moderated.tolist(),
            meta,
            seed,
            times.tolist(),
            strict=True,
        )
    )
    gac = {i: v for i, v in zip(ids.tolist(), consensus, strict=True) if not math.isnan(v)}
    return rows, gac


def _consensus(table: _Table, problems: _Problems) -> list[float] | None:
    """Return group-informed-consensus per row (NaN when blank or absent), or None."""
    name = "group-informed-consensus"
    if not table.has(name):
        return [float("nan")] * len(table.rows)
    values: list[float] = []
    for line, cell in zip(table.lines, table.column(name), strict=True):
        try:
            values.append(float(cell) if cell else float("nan"))
        except ValueError:
            problems.add(table.file, line, f"{name} {cell!r} is not a number")
    return values if len(values) == len(table.rows) else None


def _report_duplicates(table: _Table, ids: IntArray, problems: _Problems, what: str) -> None:
    _, first = np.unique(ids, return_index=True)
    repeated = np.setdiff1d(np.arange(len(ids)), first)
    for index in repeated[:MAX_PROBLEMS]:
        problems.add(table.file, table.lines[index], f"{what} {ids[index]} appears again")
    problems.add_count(len(repeated))


def _read_votes(folder: Path, problems: _Problems, known: IntArray | None) -> VoteLog | None:
    table = _read_table(folder, VOTES, problems, VOTE_COLUMNS)
    if table is None:
        return None
    times = _integers(table, "timestamp", problems, "timestamp")
    statements = _integers(table, "comment-id", problems, "comment id")
    voters = _integers(table, "voter-id", problems, "voter id")
    votes = _coded(table, "vote", VOTE_VALUES, problems, "vote")
    if statements is not None and known is not None:
        _report_unknown(table, statements, known, problems)
    if times is None or statements is None or voters is None or votes is None:
        return None
    # The exporter sorts by (comment, voter, time); the maths wants events in time order. A
    # stable sort keeps the file's order for equal timestamps.
    order = np.argsort(times, kind="stable")
    return VoteLog(
        participant=voters[order],
        statement=statements[order],
        vote=votes[order].astype(np.int8),
        time=times[order],
    )


def _report_unknown(
    table: _Table, statements: IntArray, known: IntArray, problems: _Problems
) -> None:
    unknown = np.flatnonzero(~np.isin(statements, known))
    for index in unknown[:MAX_PROBLEMS]:
        reason = f"vote on comment {statements[index]}, which is not in {COMMENTS}"
        problems.add(table.file, table.lines[index], reason)
    problems.add_count(len(unknown))


def _read_participants_votes(
    folder: Path, problems: _Problems, known: IntArray | None
) -> tuple[VoteLog, dict[int, int]] | None:
    table = _read_table(folder, PARTICIPANTS_VOTES, problems, MATRIX_COLUMNS)
    if table is None:
        return None
    columns = _vote_columns(table, problems, known)
    participants = _integers(table, "participant", problems, "participant")
    groups = _group_ids(table, problems)
    if participants is not None:
        _report_duplicates(table, participants, problems, "participant")
    if columns is None or participants is None or groups is None:
        return None
    matrix = _vote_matrix(table, [index for index, _ in columns], problems)
    if matrix is None:
        return None
    statement_ids = np.array([tid for _, tid in columns], dtype=np.int64)
    row, col = np.nonzero(matrix != _BLANK)  # row-major: participant by participant
    log = VoteLog(
        participant=participants[row], statement=statement_ids[col], vote=matrix[row, col]
    )
    grouped = {int(p): g for p, g in zip(participants, groups, strict=True) if g is not None}
    return log, grouped


def _vote_columns(
    table: _Table, problems: _Problems, known: IntArray | None
) -> list[tuple[int, int]] | None:
    """Return (column index, comment id) for every vote column, or None after reporting."""
    columns: list[tuple[int, int]] = []
    ok = True
    known_ids = None if known is None else set(known.tolist())
    for index, name in enumerate(table.header):
        if name in MATRIX_FIXED:
            continue
        if _INTEGER.fullmatch(name) is None:
            problems.add(table.file, 1, f"column '{name}' is neither known nor a comment id")
            ok = False
        elif known_ids is not None and int(name) not in known_ids:
            problems.add(table.file, 1, f"column '{name}' is a comment not in {COMMENTS}")
            ok = False
        else:
            columns.append((index, int(name)))
    return columns if ok else None


def _group_ids(table: _Table, problems: _Problems) -> list[int | None] | None:
    groups: list[int | None] = []
    for line, cell in zip(table.lines, table.column("group-id"), strict=True):
        if not cell:
            groups.append(None)
        elif _INTEGER.fullmatch(cell):
            groups.append(int(cell))
        else:
            problems.add(table.file, line, f"group-id {cell!r} is neither blank nor an integer")
    return groups if len(groups) == len(table.rows) else None


def _vote_matrix(table: _Table, indices: list[int], problems: _Problems) -> VoteArray | None:
    """Return the vote cells as int8 (_BLANK = not voted), or None after reporting bad cells."""
    width = len(indices)
    pick = _picker(indices)
    code, bad = MATRIX_CELLS.get, repeat(_BAD)
    matrix = np.empty((len(table.rows), width), dtype=np.int8)
    for r, row in enumerate(table.rows):
        # The hot loop: one C-level map per row, no Python object per cell beyond csv's strings.
        matrix[r] = np.fromiter(map(code, pick(row), bad), dtype=np.int8, count=width)
    bad_rows, bad_cols = np.nonzero(matrix == _BAD)
    for r, c in zip(bad_rows[:MAX_PROBLEMS], bad_cols[:MAX_PROBLEMS], strict=True):
        cell, name = table.rows[r][indices[c]], table.header[indices[c]]
        reason = f"vote {cell!r} in column '{name}' is not one of 1, -1, 0 or blank"
        problems.add(table.file, table.lines[r], reason)
    problems.add_count(len(bad_rows))
    return None if len(bad_rows) else matrix


def _picker(indices: list[int]) -> Callable[[list[str]], Sequence[str]]:
    """Return a fast function taking the cells at *indices* from a row."""
    if indices and indices == list(range(indices[0], indices[0] + len(indices))):
        start, stop = indices[0], indices[-1] + 1
        return lambda row: row[start:stop]
    if len(indices) > 1:
        return operator.itemgetter(*indices)
    return lambda row: [row[i] for i in indices]


def _read_summary(folder: Path, problems: _Problems) -> dict[str, str]:
    """Return summary.csv's key,value rows (no header); the file is optional."""
    if not (folder / SUMMARY).exists():
        return {}
    table = _read_table(folder, SUMMARY, problems, (), header=False)
    summary: dict[str, str] = {}
    for line, row in zip(table.lines, table.rows, strict=True) if table else ():
        if len(row) != 2:
            problems.add(SUMMARY, line, f"row has {len(row)} fields, expected 2 (key,value)")
        elif row[0] in summary:
            problems.add(SUMMARY, line, f"key '{row[0]}' appears again")
        else:
            summary[row[0]] = row[1]
    return summary


def latest_votes(log: VoteLog) -> VoteLog:
    """Keep each (participant, statement)'s last vote, in the order of those last votes.

    "Last" is by `time` when the log has times (ties: array order), else by array order.
    """
    order = (
        np.argsort(log.time, kind="stable") if log.time is not None else np.arange(len(log.vote))
    )
    participant, statement = log.participant[order], log.statement[order]
    _, p_code = np.unique(participant, return_inverse=True)
    statement_ids, s_code = np.unique(statement, return_inverse=True)
    key = p_code.astype(np.int64) * max(len(statement_ids), 1) + s_code
    # The first occurrence in the reversed events is the last one in time.
    _, first_reversed = np.unique(key[::-1], return_index=True)
    keep = order[np.sort(len(key) - 1 - first_reversed)]
    return VoteLog(
        participant=log.participant[keep],
        statement=log.statement[keep],
        vote=log.vote[keep],
        time=None if log.time is None else log.time[keep],
    )


# -- writing -------------------------------------------------------------------------------------

EXPORT_COMMENT_COLUMNS = (
    "timestamp",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "is-meta",
    "is-seed",
    "group-informed-consensus",
    "comment-body",
)
EXPORT_VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
EXPORT_MATRIX_FIXED = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
EXPORT_STATS_COLUMNS = ("n-votes", "n-comments", "n-visitors", "n-voters", "n-commenters")
SUMMARY_METADATA = ("topic", "url", "conversation-description", "views")


def write_folder(path: str | Path, export: OpenDataExport) -> None:
    """Write *export* as the five files of a Pol.is openData folder (created if missing).

    Two exporter bugs are fixed: stats-history's n-voters and n-commenters are distinct counts
    (Pol.is repeats n-votes and n-comments), and comments.csv's agrees/disagrees are, as in
    Pol.is and now documented, counts of vote events including superseded re-votes.
    """
    _check_export(export)
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    _write_csv(folder / COMMENTS, EXPORT_COMMENT_COLUMNS, _comment_rows(export), free_text=True)
    _write_csv(folder / VOTES, EXPORT_VOTE_COLUMNS, _vote_rows(export.votes))
    header, rows = _matrix_rows(export)
    _write_csv(folder / PARTICIPANTS_VOTES, header, rows)
    _write_csv(folder / SUMMARY, None, list(_summary(export).items()), free_text=True)
    _write_csv(folder / STATS_HISTORY, EXPORT_STATS_COLUMNS, _stats_history(export))


def _check_export(export: OpenDataExport) -> None:
    if export.votes.time is None:
        raise ValueError("OpenDataExport.votes needs times: votes.csv has a timestamp per event")
    ids = np.array([c.id for c in export.comments], dtype=np.int64)
    if len(np.unique(ids)) != len(ids):
        raise ValueError("OpenDataExport.comments has a comment id twice")
    unknown = np.setdiff1d(export.votes.statement, ids)
    if len(unknown):
        raise ValueError(f"votes on comments not in OpenDataExport.comments: {unknown[:10]}")


def _write_csv(
    path: Path,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[object]],
    *,
    free_text: bool = False,
) -> None:
    """Write *rows* as CSV with Pol.is's "\n" line ends; *free_text*: cells may hold a "\r"."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if header is not None:
            writer.writerow(header)
        if not free_text:
            writer.writerows(rows)
            return
        # Python 3.11's writer quotes a cell for the line terminator's characters only, so a
        # lone "\r" would go out bare and split the row when read back: quote such rows fully.
        quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for row in rows:
            has_cr = any(isinstance(cell, str) and "\r" in cell for cell in row)
            (quoted if has_cr else writer).writerow(row)


def _comment_rows(export: OpenDataExport) -> list[list[object]]:
    votes = export.votes
    agrees = _counts(votes.statement[votes.vote == 1])
    disagrees = _counts(votes.statement[votes.vote == -1])
    rows: list[list[object]] = []
    for c in export.comments:  # in the caller's order, so a read gives them back the same
        consensus = export.group_informed_consensus.get(c.id)
        rows.append(
            [
                c.timestamp,
                c.id,
                c.author,
                agrees.get(c.id, 0),
                disagrees.get(c.id, 0),
                c.moderated,
                "true" if c.is_meta else "false",
                "true" if c.is_seed else "false",
                "" if consensus is None else repr(float(consensus)),
                c.text,
            ]
        )
    return rows


def _counts(values: IntArray) -> dict[int, int]:
    ids, counts = np.unique(values, return_counts=True)
    return dict(zip(ids.tolist(), counts.tolist(), strict=True))


def _vote_rows(votes: VoteLog) -> list[list[object]]:
    assert votes.time is not None
    # Pol.is's order: by comment, then voter, then time; lexsort is stable, so equal keys keep
    # their order in the log and the "latest" of two same-time votes survives a round trip.
    order = np.lexsort((votes.time, votes.participant, votes.statement))
    return [
        [t, _java_date(t), s, p, v]
        for t, s, p, v in zip(
            votes.time[order].tolist(),
            votes.statement[order].tolist(),
            votes.participant[order].tolist(),
            votes.vote[order].tolist(),
            strict=True,
        )
    ]


def _java_date(milliseconds: int) -> str:
    """Render a time the way Pol.is's exporter does (Java's Date.toString), in UTC."""
    moment = datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def _matrix_rows(export: OpenDataExport) -> tuple[list[str], list[list[object]]]:
    final = latest_votes(export.votes)
    statement_ids = sorted(c.id for c in export.comments)
    participant_ids = np.union1d(final.participant, list(export.group_ids)).astype(np.int64)
    cells = np.full((len(participant_ids), len(statement_ids)), "", dtype="<U2")
    rows_of = np.searchsorted(participant_ids, final.participant)
    cols_of = np.searchsorted(statement_ids, final.statement)
    cells[rows_of, cols_of] = final.vote.astype(str)
    authored = _counts(np.array([c.author for c in export.comments], dtype=np.int64))
    n_votes = np.bincount(rows_of, minlength=len(participant_ids))
    n_agree = np.bincount(rows_of[final.vote == 1], minlength=len(participant_ids))
    n_disagree = np.bincount(rows_of[final.vote == -1], minlength=len(participant_ids))
    rows: list[list[object]] = []
    for r, pid in enumerate(participant_ids.tolist()):
        group = export.group_ids.get(pid)
        fixed = [pid, "" if group is None else group, authored.get(pid, 0)]
        rows.append([*fixed, n_votes[r], n_agree[r], n_disagree[r], *cells[r].tolist()])
    return [*EXPORT_MATRIX_FIXED, *map(str, statement_ids)], rows


def _summary(export: OpenDataExport) -> dict[str, str]:
    """Return summary.csv's rows: the caller's metadata, then the counts, Pol.is's meanings.

    `voters-in-conv` keeps Pol.is's meaning, the rows of the vote matrix (every voter), not
    the number of participants clustered.
    """
    votes = export.votes
    voters = len(np.unique(votes.participant))
    authors = {c.author for c in export.comments if c.author >= 0}
    everyone = len(set(votes.participant.tolist()) | authors)
    summary = {key: export.summary[key] for key in SUMMARY_METADATA if key in export.summary}
    summary.setdefault("views", str(everyone))
    summary |= {
        "voters": str(voters),
        "voters-in-conv": str(voters),
        "commenters": str(len(authors)),
        "comments": str(len(np.unique(votes.statement))),
        "groups": str(len(set(export.group_ids.values()))),
    }
    return summary | {k: v for k, v in export.summary.items() if k not in summary}


_VISIT, _COMMENT, _VOTE = 0, 1, 2


def _stats_history(export: OpenDataExport) -> list[list[int]]:
    """Return the cumulative counts after each event: visit, comment or vote, in time order.

    A participant's visit is dated at their first comment or vote (the export knows no
    earlier time). n-voters and n-commenters count distinct people, unlike Pol.is's exporter.
    An author below 0 (nobody in the conversation) neither visits nor counts as a commenter.
    """
    votes = export.votes
    assert votes.time is not None
    comment_times = np.array([c.timestamp for c in export.comments], dtype=np.int64)
    comment_authors = np.array([c.author for c in export.comments], dtype=np.int64)
    time = np.concatenate([comment_times, votes.time])
    actor = np.concatenate([comment_authors, votes.participant])
    kind = np.concatenate([np.full(len(comment_times), _COMMENT), np.full(len(votes.time), _VOTE)])
    order = np.lexsort((kind, time))  # at equal times, a comment before the votes on it
    actor, kind = actor[order], kind[order]
    visits = np.flatnonzero(_first_mask(actor, actor >= 0))
    actor = np.insert(actor, visits, actor[visits])  # each visit just before what revealed it
    kind = np.insert(kind, visits, _VISIT)
    counts = [
        np.cumsum(kind == _VOTE),
        np.cumsum(kind == _COMMENT),
        np.cumsum(kind == _VISIT),
        np.cumsum(_first_mask(actor, kind == _VOTE)),
        np.cumsum(_first_mask(actor, (kind == _COMMENT) & (actor >= 0))),
    ]
    return np.column_stack(counts).tolist()  # type: ignore[no-any-return]


def _first_occurrences(values: IntArray) -> IntArray:
    """Return the indices where each distinct value first occurs, in order."""
    _, first = np.unique(values, return_index=True)
    return np.sort(first)


def _first_mask(actor: IntArray, selected: BoolArray) -> BoolArray:
    """Mark the selected events that are their actor's first selected event."""
    mask = np.zeros(len(actor), dtype=bool)
    picked = np.flatnonzero(selected)
    mask[picked[_first_occurrences(actor[picked])]] = True
    return mask
