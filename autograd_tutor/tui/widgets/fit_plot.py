"""``FitPlot``: the data points of a fitting lesson with the learned and the true line.

Every point is an ``o`` on top of the lines; each line has its own marker (the first a thin
braille line, the next ``+``, ...), so the learned line and the true line stay apart where
they cross and under ``NO_COLOR``. Drawn by plotext through
:class:`~autograd_tutor.tui.widgets.plot.PlotWidget`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from autograd_tutor.tui.widgets.plot import MARKERS, Palette, PlotWidget, Series, render_plot

POINT_MARKER = "o"


class FitPlot(PlotWidget):
    """Scatter of ``(x, y)`` plus straight lines ``(label, slope, intercept)``."""

    DEFAULT_CSS = """
    FitPlot { height: 14; min-height: 8; }
    """

    def __init__(
        self,
        x: Sequence[float],
        y: Sequence[float],
        lines: Sequence[tuple[str, float, float]] = (),
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.x = list(x)
        self.y = list(y)
        self.lines = list(lines)

    def draw(self, width: int, height: int, palette: Palette) -> Text:
        if not self.x:
            return Text("No data points to plot.", style="dim")
        lo, hi = min(self.x), max(self.x)
        series: list[Series] = []
        # Drawn in reverse: the first line (the learned one) lies on top of the others, and
        # the data points on top of every line.
        for i, (label, slope, intercept) in reversed(list(enumerate(self.lines))):
            marker = MARKERS[(2 * i) % len(MARKERS)]  # braille, then "+", ...
            ys = [slope * lo + intercept, slope * hi + intercept]
            text = f"{label} ({slope:.3g}x{intercept:+.3g})"
            series.append(Series(text, [lo, hi], ys, lines=True, colour=i + 1, marker=marker))
        series.append(Series("data", self.x, self.y, False, 0, POINT_MARKER))
        return render_plot(
            series, width, height, palette=palette, title="data and lines", legend=True
        )
