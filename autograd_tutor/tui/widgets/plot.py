"""Plots drawn by plotext 6: ``render_plot`` (series to Rich text) and ``PlotWidget`` (a Textual
widget that draws itself at its own size, in the colours of the app's theme).

plotext draws: the axes, ticks and tick labels, the scaling to the box, braille and glyph
markers, the lines between points, and the clipping at the axis limits. What is shaped here
first, the smallest adapter, and why:

- NaN and infinities are taken out before plotext sees them (plotext 6.1 aborts the whole
  process with ``std::bad_alloc`` on a NaN); a curve breaks there (a diverging run ends).
- Log scale: plotext's own log ruler puts ticks on half decades ("3.1623"); the log10 of the
  values is drawn on a linear ruler whose ticks read ``1e-2``, one per decade.
- Integer steps: plotext's automatic x ticks are fractional ("34.2"); whole-step ticks are given.
- Legend: plotext's legend is a box inside the canvas that hides the curves of an 80x24 plot;
  ours is a line under the plot, which also says which runs were clipped (``↑clipped``).
- Colours: plotext's default theme paints a white background; the ``colorless`` frame is used
  with the series and text colours of the Textual theme (RGB), read back by ``Text.from_ansi``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import plotext
from rich.text import Text
from textual.color import Color
from textual.widget import Widget

BRAILLE = "braille"
# Markers in turn: a thin braille curve first, then one glyph per column or point, so series
# stay apart under NO_COLOR as well as in colour.
MARKERS: tuple[str, ...] = (BRAILLE, "•", "+", "x", "o", "*", "#")
# How a marker reads in the legend.
LEGEND_GLYPH = {BRAILLE: "⣿"}
CLIP_FACTOR = 3.0  # linear scale: values above CLIP_FACTOR x the highest start value are clipped
CLIP_DECADES = 1.0  # log scale: values more than this many decades above it are clipped
CLIP_MARK = "↑"
# Theme variables giving the series colours, in turn.
THEME_SERIES = ("primary", "error", "success", "warning", "accent", "secondary")

RGB = tuple[int, int, int]
LogScale = bool | Literal["auto"]


@dataclass(frozen=True)
class Palette:
    """RGB colours: one per series in turn, and one for the axes, ticks and labels."""

    series: tuple[RGB, ...]
    text: RGB

    def colour(self, index: int) -> RGB:
        return self.series[index % len(self.series)]


# Textual's default dark theme, for a plot drawn outside an app (tests, benchmarks).
DEFAULT_PALETTE = Palette(
    series=((1, 120, 212), (185, 60, 91), (78, 191, 113), (254, 166, 43), (0, 69, 120)),
    text=(150, 150, 150),
)


@dataclass(frozen=True)
class Series:
    """One thing to draw: points (``lines`` False) or a connected curve; ``colour`` is an
    index into the palette, ``marker`` one of :data:`MARKERS` (or any one character)."""

    label: str
    x: Sequence[float]
    y: Sequence[float]
    lines: bool = True
    colour: int = 0
    marker: str = BRAILLE


def wants_log(series: Sequence[Series]) -> bool:
    """True when the positive finite values span two decades or more."""
    values = [y for s in series for y in s.y if math.isfinite(y) and y > 0]
    return bool(values) and max(values) / min(values) >= 100.0


def _drawable(item: Series, log_y: bool) -> list[tuple[float, float] | None]:
    """The series' points on the drawing scale; None where a curve breaks (NaN, inf, <= 0
    on a log scale)."""
    out: list[tuple[float, float] | None] = []
    for x, y in zip(item.x, item.y, strict=False):
        if not (math.isfinite(x) and math.isfinite(y)) or (log_y and y <= 0):
            out.append(None)
        else:
            out.append((float(x), math.log10(y) if log_y else float(y)))
    return out


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for p in points:
        if p is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(p)
    return [run for run in runs if run]


def integer_ticks(low: float, high: float, count: int) -> list[int]:
    """About ``count`` whole-number ticks from ``low`` to ``high`` at a 1-2-5 step."""
    span = max(high - low, 1.0)
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next((f * power for f in (1, 2, 5, 10) if raw <= f * power), 10 * power)
    step = max(1, round(step))
    first = math.ceil(low / step) * step
    ticks = list(range(int(first), int(math.floor(high)) + 1, step))
    if not ticks or ticks[0] > low + step / 2:
        ticks.insert(0, math.ceil(low))
    return ticks


def _clip_top(points: list[list[tuple[float, float] | None]], log_y: bool) -> float | None:
    """The top of the y axis when a run diverges: a factor (or a decade) above the highest
    value any run started from; None when nothing goes above it."""
    starts = [next((p[1] for p in pts if p is not None), None) for pts in points]
    known = [s for s in starts if s is not None]
    if not known:
        return None
    top = max(known)
    cap = top + CLIP_DECADES if log_y else top + (CLIP_FACTOR - 1) * abs(top)
    highest = max(p[1] for pts in points for p in pts if p is not None)
    return cap if highest > cap else None


def _is_clipped(item: Series, pts: list[tuple[float, float] | None], cap: float | None) -> bool:
    diverged = any(p is None for p in pts) and any(not math.isfinite(y) for y in item.y)
    return diverged or (cap is not None and any(p is not None and p[1] > cap for p in pts))


def _first_clip_x(
    item: Series, pts: list[tuple[float, float] | None], cap: float | None
) -> float | None:
    """Where a clipped run leaves the plot: its first point above the top, or its last
    finite point before it stops being finite."""
    last: float | None = None
    for p, y in zip(pts, item.y, strict=False):
        if p is not None and cap is not None and p[1] > cap:
            return p[0]
        if p is None and not math.isfinite(y):
            return last
        if p is not None:
            last = p[0]
    return None


def _legend(series: Sequence[Series], width: int, clipped: set[int], palette: Palette) -> Text:
    out = Text()
    used = 0
    for index, item in enumerate(series):
        glyph = LEGEND_GLYPH.get(item.marker, item.marker)
        mark = f" {CLIP_MARK}clipped" if index in clipped else ""
        size = 2 + len(glyph) + 1 + len(item.label) + len(mark)
        if used and used + size > width:
            out.append("\n")
            used = 0
        out.append("  ")
        out.append(glyph, style=f"rgb{palette.colour(item.colour)}".replace(" ", ""))
        out.append(f" {item.label}")
        out.append(mark, style="dim")
        used += size
    return out


_THEMES: dict[Palette, str] = {}


def _plotext_theme(palette: Palette) -> str:
    """A plotext theme with no background and the palette's text colour on the frame (its
    ``axes`` and ``ruler`` settings would bring back the default white background)."""
    if palette not in _THEMES:
        name = f"autograd-tutor-{len(_THEMES)}"
        plotext.add_theme(name, text=plotext.pixel(foreground=palette.text))
        _THEMES[palette] = name
    return _THEMES[palette]


def render_plot(
    series: Sequence[Series],
    width: int,
    height: int,
    *,
    palette: Palette = DEFAULT_PALETTE,
    title: str = "",
    xlabel: str = "",
    log_y: LogScale = False,
    legend: bool = False,
    clip: bool = False,
    integer_x: bool = False,
) -> Text:
    """Draw ``series`` with plotext into a ``width`` x ``height`` box of text.

    With ``legend`` the last lines name each series beside its marker; with ``clip`` values far
    above the highest first value of any series are cut at the top edge, a ``↑`` marks where
    each such run leaves the plot, and the legend (or a note) says so.
    """
    width, height = max(width, 20), max(height, 6)
    use_log = wants_log(series) if log_y == "auto" else bool(log_y)
    points = [_drawable(item, use_log) for item in series]
    if not any(p is not None for pts in points for p in pts):
        out = Text(no_wrap=True, overflow="crop")
        if title:
            out.append(title[:width] + "\n", style="bold")
        out.append("(no finite values to plot)", style="dim")
        return out
    cap = _clip_top(points, use_log) if clip else None
    clipped = {i for i, item in enumerate(series) if clip and _is_clipped(item, points[i], cap)}
    footer = Text()
    if legend:
        footer = _legend(series, width, clipped, palette)
    elif clipped:
        footer = Text(f"  {CLIP_MARK} values above the top edge are clipped", style="dim")
    footer_rows = len(footer.plain.splitlines()) if footer.plain else 0

    plotext.terminal.limit(False, False)  # the widget's size, not the terminal's, bounds the plot
    figure = plotext.figure
    figure.clear()
    figure.theme(_plotext_theme(palette))
    figure.plot_size(width, max(4, height - footer_rows))
    figure.axes(False, axis="x", side="upper")
    figure.axes(False, axis="y", side="right")
    figure.legend(False)
    if title:
        figure.title(title[:width])
    if xlabel:
        figure.label(xlabel)
    for index, item in enumerate(series):
        marker = plotext.marker(item.marker, plotext.pixel(foreground=palette.colour(item.colour)))
        for run in _segments(points[index]):
            signal = figure.signal([p[0] for p in run], [p[1] for p in run], marker=marker)
            if item.lines:
                signal.lines()
            figure.draw(signal)
    ys = [p[1] for pts in points for p in pts if p is not None]
    xs = [p[0] for pts in points for p in pts if p is not None]
    y_low, y_high = min(ys), (cap if cap is not None else max(ys))
    for index in sorted(clipped):
        at = _first_clip_x(series[index], points[index], cap)
        if at is not None:
            mark = plotext.marker(
                CLIP_MARK, plotext.pixel(foreground=palette.colour(series[index].colour))
            )
            figure.draw(figure.signal([at], [y_high], marker=mark))
    if use_log:
        low, high = math.floor(y_low), max(math.ceil(y_high), math.floor(y_low) + 1)
        decades = list(range(low, high + 1))
        rows = max(2, height - footer_rows - 3)
        shown = decades[:: math.ceil(len(decades) / rows)]
        figure.ruler("y").lim(low, high).ticks(shown, [f"1e{d:+d}" for d in shown])
    elif cap is not None:
        figure.ruler("y").lim(y_low, cap)
    if integer_x:
        x_low, x_high = min(xs), max(xs)
        if x_high == x_low:
            x_low, x_high = x_low - 1, x_high + 1
        figure.ruler("x").lim(x_low, x_high).ticks(
            integer_ticks(x_low, x_high, max(2, (width - 8) // 10))
        )
    out = Text.from_ansi(figure.build().string(), no_wrap=True, overflow="crop")
    out.rstrip()
    if footer_rows:
        out.append("\n")
        out.append_text(footer)
    return out


def theme_palette(variables: dict[str, str]) -> Palette:
    """The series and text colours of a Textual theme (``App.theme_variables``)."""
    background = Color.parse(variables.get("background", "#000000"))
    foreground = Color.parse(variables.get("foreground", "#e0e0e0"))
    series = []
    for name in THEME_SERIES:
        if name in variables:
            colour = background + Color.parse(variables[name])  # an alpha blends on the background
            series.append(colour.rgb)
    text = background.blend(foreground, 0.6)
    return Palette(tuple(series) or DEFAULT_PALETTE.series, text.rgb)


class PlotWidget(Widget):
    """A plot drawn by :func:`render_plot` at the widget's content size; redrawn on resize,
    on a change of theme, and whenever a subclass calls ``refresh`` after new points."""

    DEFAULT_CSS = """
    PlotWidget { height: 14; min-height: 8; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.refresh()

    def palette(self) -> Palette:
        try:
            return theme_palette(self.app.theme_variables)
        except Exception:  # no running app (a widget drawn on its own)
            return DEFAULT_PALETTE

    def render(self) -> Text:
        width, height = self.content_size
        return self.draw(width, height, self.palette())

    def draw(self, width: int, height: int, palette: Palette) -> Text:
        """The plot at this size; subclasses say what to draw."""
        raise NotImplementedError
