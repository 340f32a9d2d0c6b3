"""``LossPlot``: one training run's loss per step, redrawn as values stream in from the worker.

Drawn by plotext through :class:`~autograd_tutor.tui.widgets.plot.PlotWidget` at the widget's
own size; the x axis counts steps in whole numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive

from autograd_tutor.tui.widgets.plot import Palette, PlotWidget, Series, render_plot


class LossPlot(PlotWidget):
    """The loss per recorded step; ``replace`` redraws with the whole series so far."""

    DEFAULT_CSS = """
    LossPlot { height: 14; min-height: 8; }
    """

    log_scale: reactive[bool] = reactive(False)

    def __init__(
        self, loss: Sequence[float] = (), *, log_scale: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.loss: list[float] = list(loss)
        self.set_reactive(LossPlot.log_scale, log_scale)

    def add(self, values: Sequence[float]) -> None:
        """Append newly reported losses and redraw."""
        self.loss.extend(values)
        self.refresh()

    def replace(self, values: Sequence[float]) -> None:
        self.loss = list(values)
        self.refresh()

    def watch_log_scale(self) -> None:
        self.refresh()

    def draw(self, width: int, height: int, palette: Palette) -> Text:
        scale = "log scale" if self.log_scale else "linear scale"
        if not self.loss:
            return Text(f"Loss ({scale}): waiting for the first value…", style="dim")
        last = self.loss[-1]
        title = f"loss ({scale}), {len(self.loss)} steps, last {last:.4g}"
        if len(title) > width:  # a narrow plot (beside an exercise's checks)
            title = f"loss, {len(self.loss)} steps, last {last:.3g}"
        series = [Series("loss", range(1, len(self.loss) + 1), self.loss)]
        return render_plot(
            series,
            width,
            height,
            palette=palette,
            title=title,
            xlabel="step",
            log_y=self.log_scale,
            clip=True,
            integer_x=True,
        )
