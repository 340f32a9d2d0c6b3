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
    # A log scale is drawn as log10(y) on a linear axis with "1e-2"-style decade ticks:
    # plotext 6's own log rulers label ticks with a dozen decimals.
    low = high = None
    for item in series:
        pairs = zip(item.x, item.y, strict=False)
        kept = [(x, y) for x, y in pairs if math.isfinite(x) and math.isfinite(y)]
        if log_y:
            kept = [(x, math.log10(y)) for x, y in kept if y > 0]
        if not kept:
            continue
        xs, ys = [x for x, _ in kept], [y for _, y in kept]
        low = min(ys) if low is None else min(low, *ys)
        high = max(ys) if high is None else max(high, *ys)
        sig = fig.signal(xs, ys, marker=marker("braille").fill(pixel(foreground=item.colour)))
        if item.lines and len(xs) > 1:
            sig.lines()
        fig.draw(sig)
    if log_y and low is not None and high is not None:
        first, last = math.floor(low), max(math.ceil(high), math.floor(low) + 1)
        decades = list(range(first, last + 1))
        fig.ruler("y").lim(first, last)
        fig.ruler("y").ticks(decades, [f"1e{e:+d}" for e in decades])
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
