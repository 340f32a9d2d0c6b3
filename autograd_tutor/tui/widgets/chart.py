"""``render_chart``: series of points and curves drawn as Rich text in a character box.

The generic plot behind :class:`~autograd_tutor.tui.widgets.loss_plot.LossPlot`,
:class:`~autograd_tutor.tui.widgets.fit_plot.FitPlot` and
:class:`~autograd_tutor.tui.widgets.loss_overlay.LossOverlay`. Each series has its own marker
(braille dots, or a glyph such as ``o`` ``+`` ``x``) as well as its own colour, so the series
stay apart on a 16-colour terminal and under ``NO_COLOR`` alike. Series are drawn in order, so
later ones lie on top; a point marker always beats a curve.

Scales: linear, or log10 with ``1e-2``-style decade labels (``log_y="auto"`` picks log when the
positive values span two decades or more). Values far above where the series started (a
diverging run) are clipped at the top edge instead of stretching the axis; NaN and infinities
end a curve. Integer x values (training steps) get integer ticks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.text import Text

# ANSI colour numbers for series, in order (blue, red, green, magenta, cyan, yellow).
SERIES_COLOURS: tuple[int, ...] = (4, 1, 2, 5, 6, 3)
# Markers for curves drawn one glyph per column, in order (after braille, the first).
CURVE_MARKERS: tuple[str, ...] = ("⣿", "•", "+", "x", "o", "*", "#")
BRAILLE = "⣿"
BRAILLE_BASE = 0x2800
# braille dot bits by (sub-column, sub-row): 2 columns x 4 rows per character cell
_BRAILLE_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
CLIP_FACTOR = 3.0  # linear scale: values above CLIP_FACTOR x the highest start value are clipped
CLIP_DECADES = 1.0  # log scale: values more than this many decades above it are clipped

LogScale = bool | Literal["auto"]


@dataclass(frozen=True)
class Series:
    """One thing to draw: points (``lines`` False) or a connected curve.

    ``marker`` is ``"⣿"`` for a thin braille curve, or one character drawn at every column
    (curves) or point (scatter).
    """

    label: str
    x: Sequence[float]
    y: Sequence[float]
    lines: bool = True
    colour: int = SERIES_COLOURS[0]
    marker: str = BRAILLE


@dataclass(frozen=True)
class Cell:
    char: str
    colour: int | None


def wants_log(series: Sequence[Series]) -> bool:
    """True when the positive finite values span two decades or more."""
    values = [y for s in series for y in s.y if math.isfinite(y) and y > 0]
    return bool(values) and max(values) / min(values) >= 100.0


def _finite_pairs(item: Series, log_y: bool) -> list[tuple[float, float] | None]:
    """The series' points on the drawing scale; None where a curve breaks (NaN, inf, <= 0
    on a log scale)."""
    out: list[tuple[float, float] | None] = []
    for x, y in zip(item.x, item.y, strict=False):
        if not (math.isfinite(x) and math.isfinite(y)) or (log_y and y <= 0):
            out.append(None)
        else:
            out.append((float(x), math.log10(y) if log_y else float(y)))
    return out


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _ticks(low: float, high: float, count: int, *, integer: bool) -> list[float]:
    step = _nice_step(high - low, count)
    if integer:
        step = max(1.0, round(step))
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(value)
        value += step
    return ticks or [low]


def _label(value: float, *, integer: bool, log_y: bool = False) -> str:
    if log_y:
        return f"1e{round(value):+d}"
    if integer:
        return str(round(value))
    if value == 0:
        return "0"
    return f"{value:.3g}"


def _legend_lines(
    series: Sequence[Series], width: int, clipped: set[int]
) -> list[list[tuple[int, Series]]]:
    """Legend entries packed into as few lines of ``width`` as they fit in (one line is
    planned with room for a ``↑clipped`` mark on every entry, so the count never grows)."""
    lines: list[list[tuple[int, Series]]] = [[]]
    used = 0
    for index, item in enumerate(series):
        size = 2 + len(item.marker) + 1 + len(item.label) + len(" ↑clipped")
        if lines[-1] and used + size > width:
            lines.append([])
            used = 0
        lines[-1].append((index, item))
        used += size
    return lines if lines[0] else []


def render_chart(
    series: Sequence[Series],
    width: int,
    height: int,
    *,
    title: str = "",
    xlabel: str = "",
    log_y: LogScale = False,
    legend: bool = False,
    clip: bool = False,
    integer_x: bool = False,
) -> Text:
    """Draw ``series`` into a ``width`` x ``height`` box of text.

    With ``legend`` the last line names each series beside its marker; with ``clip`` values
    far above the highest first value of any series are cut at the top edge (and the legend
    says which series were clipped).
    """
    width, height = max(width, 24), max(height, 6)
    use_log = wants_log(series) if log_y == "auto" else bool(log_y)
    points = [_finite_pairs(item, use_log) for item in series]
    ys = [p[1] for pts in points for p in pts if p is not None]
    xs = [p[0] for pts in points for p in pts if p is not None]
    rows_title = 1 if title else 0
    legend_lines = _legend_lines(series, width, set()) if legend else []
    rows_legend = len(legend_lines)
    rows_x = 2 + (1 if xlabel else 0)  # axis line, tick labels, axis name
    plot_rows = max(2, height - rows_title - rows_legend - rows_x)
    out = Text(no_wrap=True, overflow="crop")
    if title:
        out.append(title[:width] + "\n", style="bold")
    if not ys:
        out.append("(no finite values to plot)", style="dim")
        return out
    y_low, y_high = min(ys), max(ys)
    clipped: set[int] = set()
    if clip:
        starts = [next((p[1] for p in pts if p is not None), None) for pts in points]
        known = [s for s in starts if s is not None]
        if known:
            top = max(known)
            cap = top + CLIP_DECADES if use_log else top + (CLIP_FACTOR - 1) * abs(top)
            if y_high > cap:
                y_high = cap
        for i, item in enumerate(series):
            diverged = any(p is None for p in points[i]) and any(
                not math.isfinite(y) for y in item.y
            )
            if diverged or any(p is not None and p[1] > y_high for p in points[i]):
                clipped.add(i)
    if use_log:
        y_low, y_high = math.floor(y_low), max(math.ceil(y_high), math.floor(y_low) + 1)
    elif y_high - y_low < 1e-12:
        pad = abs(y_high) * 0.1 or 1.0
        y_low, y_high = y_low - pad, y_high + pad
    x_low, x_high = min(xs), max(xs)
    if x_high - x_low < 1e-12:
        x_low, x_high = x_low - 1, x_high + 1

    if use_log:
        y_ticks = [float(v) for v in range(int(y_low), int(y_high) + 1)]
    else:
        step = _nice_step(y_high - y_low, max(2, plot_rows // 3))
        y_low = math.floor(y_low / step + 1e-9) * step
        y_ticks = _ticks(y_low, y_high, max(2, plot_rows // 3), integer=False)
    if use_log and len(y_ticks) > plot_rows:
        y_ticks = y_ticks[:: math.ceil(len(y_ticks) / plot_rows)]
    y_labels = [_label(v, integer=False, log_y=use_log) for v in y_ticks]
    gutter = max(len(label) for label in y_labels) + 1
    cols = max(4, width - gutter - 1)

    def col_of(x: float) -> float:
        return (x - x_low) / (x_high - x_low) * (cols - 1)

    def row_of(y: float) -> float:  # 0 = top row
        return (y_high - y) / (y_high - y_low) * (plot_rows - 1)

    grid: list[list[Cell | None]] = [[None] * cols for _ in range(plot_rows)]
    masks: list[list[tuple[int, int]]] = [[(0, -1)] * cols for _ in range(plot_rows)]

    def put_braille(sub_x: float, sub_y: float, index: int) -> None:
        cx, cy = int(sub_x // 2), int(sub_y // 4)
        if not (0 <= cx < cols and 0 <= cy < plot_rows):
            return
        bit = _BRAILLE_BITS[int(sub_x) % 2][int(sub_y) % 4]
        mask, owner = masks[cy][cx]
        masks[cy][cx] = ((mask if owner == index else 0) | bit, index)
        grid[cy][cx] = Cell(chr(BRAILLE_BASE + masks[cy][cx][0]), series[index].colour)

    def put_glyph(col: float, row: float, index: int) -> None:
        cx, cy = round(col), round(row)
        if 0 <= cx < cols and 0 <= cy < plot_rows:
            grid[cy][cx] = Cell(series[index].marker, series[index].colour)

    def clamp(y: float) -> float:
        return min(max(y, y_low), y_high)

    point_layer: list[tuple[float, float, int]] = []
    for index, item in enumerate(series):
        pts = points[index]
        if not item.lines:
            point_layer.extend(
                (col_of(p[0]), row_of(clamp(p[1])), index) for p in pts if p is not None
            )
            continue
        braille = item.marker == BRAILLE
        previous: tuple[float, float] | None = None
        for p in pts:
            if p is None:
                previous = None
                continue
            here = (col_of(p[0]), row_of(clamp(p[1])))
            start = previous or here
            if braille:
                x0, y0 = start[0] * 2 + 0.5, start[1] * 4 + 1.5
                x1, y1 = here[0] * 2 + 0.5, here[1] * 4 + 1.5
                n = max(1, int(max(abs(x1 - x0), abs(y1 - y0))))
                for k in range(n + 1):
                    t = k / n
                    put_braille(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, index)
            else:
                c0, c1 = round(start[0]), round(here[0])
                for c in range(c0, c1 + 1):
                    t = (c - start[0]) / (here[0] - start[0]) if c1 != c0 else 1.0
                    put_glyph(c, start[1] + (here[1] - start[1]) * min(max(t, 0.0), 1.0), index)
            previous = here
    for col, row, index in point_layer:
        put_glyph(col, row, index)

    tick_rows = {round(row_of(v)): label for v, label in zip(y_ticks, y_labels, strict=True)}
    for r in range(plot_rows):
        label = tick_rows.get(r)
        out.append((label or "").rjust(gutter - 1) + ("┤" if label else "│"), style="dim")
        out.append(" ")
        for cell in grid[r]:
            if cell is None:
                out.append(" ")
            else:
                out.append(cell.char, style=f"color({cell.colour})")
        out.append("\n")

    x_ticks = _ticks(x_low, x_high, max(2, cols // 12), integer=integer_x)
    axis = ["─"] * cols
    labels = [" "] * (cols + 8)
    last_end = -2
    for v in x_ticks:
        c = round(col_of(v))
        if not 0 <= c < cols:
            continue
        axis[c] = "┬"
        text = _label(v, integer=integer_x)
        begin = max(0, min(c - len(text) // 2, cols - len(text)))
        if begin > last_end + 1:
            labels[begin : begin + len(text)] = list(text)
            last_end = begin + len(text) - 1
    out.append(" " * (gutter - 1) + "└─" + "".join(axis) + "\n", style="dim")
    out.append(" " * (gutter + 1) + "".join(labels).rstrip(), style="dim")
    if xlabel:
        out.append("\n" + xlabel.center(width).rstrip(), style="dim")
    if legend:
        for line in _legend_lines(series, width, clipped):
            out.append("\n")
            for index, item in line:
                out.append("  ")
                out.append(item.marker, style=f"color({item.colour})")
                out.append(f" {item.label}")
                if index in clipped:
                    out.append(" ↑clipped", style="dim")
    elif clipped:
        out.append("\n  ↑ values above the top edge are clipped", style="dim")
    return out
