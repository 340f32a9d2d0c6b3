"""``LossPlot``: a training step's loss curve drawn by plotext 6 at the widget's own size.

plotext renders into a character matrix (braille markers, framed axes, tick labels); the widget
turns that into Rich text on every refresh. plotext's own terminal-size limit is switched off so
the plot fits the widget, not the terminal. Colours are the 16 ANSI ones, so the curve reads on
16-colour terminals and Textual's ``NO_COLOR`` filter applies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

# ANSI colour numbers for series, in order (blue, red, green, magenta).
SERIES_COLOURS: tuple[int, ...] = (4, 1, 2, 5)


@dataclass(frozen=True)
class Series:
    """One thing to draw: points (``lines`` False) or a connected curve."""

    label: str
    x: Sequence[float]
    y: Sequence[float]
    lines: bool = True
    colour: int = SERIES_COLOURS[0]


def render_plot(
    series: Sequence[Series],
    width: int,
    height: int,
    *,
    title: str = "",
    xlabel: str = "",
    log_y: bool = False,
    legend: bool = False,
) -> Text:
    """Draw ``series`` into a ``width`` x ``height`` box of text with plotext; with ``legend``
    the last line names each series in its colour (plotext's own legend box hides data)."""
    import plotext as plt
    from plotext import marker, pixel

    plt.terminal.limit(False)
    fig = plt.figure
    fig.clear()
    fig.theme("colorless")
    fig.plot_size(max(width, 20), max(height - (1 if legend else 0), 6))
    for item in series:
        xs, ys = list(item.x), list(item.y)
        if log_y:
            kept = [(x, y) for x, y in zip(xs, ys, strict=False) if y > 0 and math.isfinite(y)]
            xs, ys = [x for x, _ in kept], [y for _, y in kept]
        pairs = zip(xs, ys, strict=False)
        kept = [(x, y) for x, y in pairs if math.isfinite(x) and math.isfinite(y)]
        if not kept:
            continue
        xs, ys = [x for x, _ in kept], [y for _, y in kept]
        sig = fig.signal(xs, ys, marker=marker("braille").fill(pixel(foreground=item.colour)))
        if item.lines and len(xs) > 1:
            sig.lines()
        fig.draw(sig)
    if log_y:
        fig.ruler("y").scale("log")
        values = [y for item in series for y in item.y if y > 0 and math.isfinite(y)]
        if values:
            lo, hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
            step = max(1, (hi - lo) // max(2, height // 3))
            decades = [10.0**e for e in range(lo, hi + 1, step)]
            fig.ruler("y").ticks(decades, [f"1e{round(math.log10(d)):+d}" for d in decades])
    if title:
        fig.title(title)
    if xlabel:
        fig.label(xlabel, axis="x")
    fig.legend(False)
    text = fig.build().string()
    fig.clear()
    out = Text.from_ansi(text.rstrip("\n"), no_wrap=True)
    if legend:
        out.append("\n")
        for item in series:
            out.append("  ")
            out.append("⣿" if item.lines else "⢕", style=f"color({item.colour})")
            out.append(f" {item.label}")
    return out


class LossPlot(Widget):
    """The loss per recorded step; ``add`` appends points as they stream in from the worker."""

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

    def render(self) -> Text:
        scale = "log scale" if self.log_scale else "linear scale"
        if not self.loss:
            return Text(f"Loss ({scale}): waiting for the first value…", style="dim")
        last = self.loss[-1]
        title = f"loss ({scale}), {len(self.loss)} steps, last {last:.4g}"
        series = [Series("loss", range(1, len(self.loss) + 1), self.loss)]
        width, height = self.content_size
        return render_plot(series, width, height, title=title, xlabel="step", log_y=self.log_scale)
