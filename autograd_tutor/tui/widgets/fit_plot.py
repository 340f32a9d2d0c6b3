"""``FitPlot``: the data points of a fitting lesson with the learned and the true line."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from autograd_tutor.tui.widgets.loss_plot import SERIES_COLOURS, Series, render_plot


class FitPlot(Widget):
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

    def render(self) -> Text:
        if not self.x:
            return Text("No data points to plot.", style="dim")
        lo, hi = min(self.x), max(self.x)
        series = [Series("data", self.x, self.y, lines=False, colour=SERIES_COLOURS[0])]
        for i, (label, slope, intercept) in enumerate(self.lines):
            colour = SERIES_COLOURS[(i + 1) % len(SERIES_COLOURS)]
            ys = [slope * lo + intercept, slope * hi + intercept]
            series.append(
                Series(f"{label} ({slope:.3g}x{intercept:+.3g})", [lo, hi], ys, True, colour)
            )
        width, height = self.content_size
        return render_plot(series, width, height, title="data and lines", xlabel="x", legend=True)
