"""``LossOverlay``: the loss curves of several runs in one plot, with a legend.

An experiment adds one run per knob setting; each run keeps its marker (``•`` ``+`` ``x`` ...)
and colour, so runs stay apart under ``NO_COLOR``. The scale turns logarithmic when the losses
span two decades or more, and a diverging run is clipped at the top edge (marked ``↑``, and the
legend says so) instead of squashing the others flat. Drawn by plotext through
:class:`~autograd_tutor.tui.widgets.plot.PlotWidget`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from autograd_tutor.tui.widgets.plot import MARKERS, Palette, PlotWidget, Series, render_plot

RUN_MARKERS: tuple[str, ...] = MARKERS[1:]  # one glyph per column: runs never merge


def run_series(runs: Sequence[tuple[str, Sequence[float]]]) -> list[Series]:
    """One curve per ``(label, losses)``, markers and colours in turn."""
    return [
        Series(
            label,
            range(1, len(losses) + 1),
            list(losses),
            lines=True,
            colour=i,
            marker=RUN_MARKERS[i % len(RUN_MARKERS)],
        )
        for i, (label, losses) in enumerate(runs)
    ]


class LossOverlay(PlotWidget):
    """Loss curves of runs, overlaid; ``start_run`` then ``update_run`` while it streams."""

    DEFAULT_CSS = """
    LossOverlay { height: 12; min-height: 8; }
    """

    def __init__(
        self, runs: Sequence[tuple[str, Sequence[float]]] = (), *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.runs: list[tuple[str, list[float]]] = [(label, list(v)) for label, v in runs]

    def start_run(self, label: str) -> None:
        """A new run, drawn on top of the earlier ones."""
        self.runs.append((label, []))
        self.refresh()

    def update_run(self, losses: Sequence[float]) -> None:
        """The whole loss series so far of the newest run."""
        if not self.runs:
            self.runs.append(("run 1", []))
        label, _ = self.runs[-1]
        self.runs[-1] = (label, list(losses))
        self.refresh()

    def draw(self, width: int, height: int, palette: Palette) -> Text:
        if not any(losses for _, losses in self.runs):
            return Text("Loss curves: each run is drawn here, over the earlier ones.", style="dim")
        return render_plot(
            run_series(self.runs),
            width,
            height,
            palette=palette,
            log_y="auto",
            legend=True,
            clip=True,
            integer_x=True,
        )
