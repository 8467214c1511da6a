"""The opinion map as SVG drawing instructions: marks, hulls and a legend, in user units.

The results page draws them as inline SVG on the server, so the map needs no JavaScript, prints
and goes into PDFs. Colours are the Okabe-Ito set, told apart by people with colour-blindness;
each group also has its own mark shape, so the map reads in black and white.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN, LEGEND_HEIGHT, LEGEND_SPACING = 480, 300, 24, 28, 90
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
SHAPES = ("circle", "square", "triangle", "diamond")
NO_GROUP = "#9aa0a6"


def opinion_map(points: list[list[float]], groups: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the opinion map in SVG user units: a mark per participant, a hull per group.

    Members of a withheld group are drawn as in no group: counting their marks would tell the
    group's size, which the results withhold.
    """
    shown = {group["id"]: group for group in groups if not group.get("withheld")}
    hulls = [(group, group.get("hull") or []) for group in shown.values()]
    xs = [p[0] for p in points] + [x for _, hull in hulls for x, _ in hull]
    ys = [p[1] for p in points] + [y for _, hull in hulls for _, y in hull]
    drawing: dict[str, Any] = {"width": MAP_WIDTH, "height": MAP_HEIGHT + LEGEND_HEIGHT}
    if not xs:
        return {**drawing, "marks": [], "hulls": [], "legend": []}
    place = _scale(min(xs), max(xs), min(ys), max(ys))
    marks = [_mark(place(x, y), shown.get(int(g))) for x, y, g in points]
    keys = [(g["colour"], g["shape"], f"Group {g['label']} ({g['size']})") for g in shown.values()]
    if any(int(g) not in shown for _, _, g in points):
        keys.append((NO_GROUP, "circle", "No group"))
    return {
        **drawing,
        "marks": marks,
        "hulls": [_hull(group, [place(x, y) for x, y in hull]) for group, hull in hulls if hull],
        "legend": [_legend_key(i, *key) for i, key in enumerate(keys)],
    }


def _legend_key(index: int, colour: str, shape: str, text: str) -> dict[str, Any]:
    """Return one legend entry, laid out in a row under the map."""
    x, y = MAP_MARGIN + LEGEND_SPACING * index, MAP_HEIGHT + LEGEND_HEIGHT / 2
    return {"x": x, "y": y, "text_x": x + 10, "colour": colour, "shape": shape, "text": text,
            "points": _shape_points(shape, x, y)}  # fmt: skip


Point = tuple[float, float]


def _scale(x0: float, x1: float, y0: float, y1: float) -> Callable[[float, float], Point]:
    """Return a function placing map coordinates in the drawing area, y pointing up."""
    span_x, span_y = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    inner_w, inner_h = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN

    def place(x: float, y: float) -> Point:
        px = MAP_MARGIN + (x - x0) / span_x * inner_w
        py = MAP_HEIGHT - MAP_MARGIN - (y - y0) / span_y * inner_h
        return round(px, 1), round(py, 1)

    return place


def _mark(at: Point, group: dict[str, Any] | None) -> dict[str, Any]:
    x, y = at
    shape = group["shape"] if group else "circle"
    return {"x": x, "y": y, "shape": shape, "colour": group["colour"] if group else NO_GROUP,
            "points": _shape_points(shape, x, y)}  # fmt: skip


def _shape_points(shape: str, x: float, y: float, r: float = 3.5) -> str:
    """Return an SVG polygon's points for the polygon shapes (circles are drawn as circles)."""
    corners = {
        "square": [(-r, -r), (r, -r), (r, r), (-r, r)],
        "triangle": [(0, -r - 0.5), (r + 0.5, r), (-r - 0.5, r)],
        "diamond": [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
    }.get(shape, [])
    return " ".join(f"{round(x + dx, 1)},{round(y + dy, 1)}" for dx, dy in corners)


def _hull(group: dict[str, Any], corners: list[Point]) -> dict[str, Any]:
    """Return a group's hull as SVG points, with its label at the hull's centre."""
    cx = sum(x for x, _ in corners) / len(corners)
    cy = sum(y for _, y in corners) / len(corners)
    points = " ".join(f"{x},{y}" for x, y in corners)
    return {"group": group, "points": points, "label_x": round(cx, 1), "label_y": round(cy, 1)}
