"""The plots, drawn by plotext 6 (tui/widgets/plot.py): integer step ticks, each series its own
marker (so NO_COLOR keeps them apart), every data point visible on top of the lines, several
loss runs overlaid with a legend, a log scale when they span decades, a diverging run clipped
with a mark, NaN ending a curve, and colours from the Textual theme on no background."""

from __future__ import annotations

import re

from textual.app import App, ComposeResult

from autograd_tutor.tui.widgets.fit_plot import FitPlot
from autograd_tutor.tui.widgets.loss_overlay import LossOverlay, run_series
from autograd_tutor.tui.widgets.loss_plot import LossPlot
from autograd_tutor.tui.widgets.plot import (
    DEFAULT_PALETTE,
    Series,
    integer_ticks,
    render_plot,
    theme_palette,
    wants_log,
)


def plot_lines(text: str) -> list[str]:
    """The rows of the plot area (those with a y axis bar)."""
    return [line for line in text.splitlines() if re.match(r"^\s*\S*[┤│]", line)]


def test_step_ticks_are_whole_numbers():
    losses = [10 * 0.95**i for i in range(67)]
    text = render_plot(
        [Series("loss", range(1, 68), losses)], 70, 12, xlabel="step", integer_x=True
    ).plain
    tick_line = text.splitlines()[-2]
    labels = tick_line.split()
    assert len(labels) >= 3 and all(label.isdigit() for label in labels), tick_line
    assert integer_ticks(1, 3, 6) == [1, 2, 3]


def test_fit_plot_shows_every_point_and_both_lines_without_colour():
    xs = [i / 19 * 4 - 2 for i in range(20)]
    ys = [2 * x + 1 + (0.4 if i % 2 else -0.4) for i, x in enumerate(xs)]
    plot = FitPlot(xs, ys, [("learned", 1.97, 0.96), ("true", 2.0, 1.0)])
    text = plot.draw(76, 16, DEFAULT_PALETTE).plain
    body = "\n".join(plot_lines(text))
    assert body.count("o") == 20  # no point hidden under a line
    assert "+" in body  # the true line's own marker
    assert any("⠁" <= ch <= "⣿" for ch in body)  # the learned line, in braille
    legend = text.splitlines()[-1]
    assert "⣿ learned" in legend and "+ true" in legend and "o data" in legend


def test_three_runs_overlay_with_legend_log_scale_and_the_diverging_run_clipped():
    runs = [
        ("lr 0.01", [10 * 0.99**i for i in range(60)]),
        ("lr 0.1", [10 * 0.8**i for i in range(60)]),
        ("lr 0.5", [10 * 1.5**i for i in range(40)] + [float("inf"), float("nan")]),
    ]
    series = run_series(runs)
    assert [s.marker for s in series] == ["•", "+", "x"]
    assert wants_log(series)
    text = render_plot(series, 76, 16, log_y="auto", legend=True, clip=True, integer_x=True)
    plain = text.plain
    # log decades, and the axis stops one decade above where the runs started (10)
    assert "1e+2" in plain and "1e+3" not in plain and "1e-5" in plain
    body = "\n".join(plot_lines(plain))
    for marker in "•+x":
        assert marker in body
    assert "↑" in plot_lines(plain)[0]  # where the diverging run leaves the plot, at the top
    legend = plain.splitlines()[-1]
    assert "• lr 0.01" in legend and "+ lr 0.1" in legend
    assert "x lr 0.5 ↑clipped" in legend
    assert "lr 0.01 ↑clipped" not in legend


def test_nan_ends_a_curve_without_reaching_plotext():
    # plotext 6.1 aborts the process on a NaN: the curve must end before it
    losses = [1.0, 0.8, 0.6, float("nan"), float("nan")]
    plain = render_plot([Series("loss", range(1, 6), losses)], 40, 10, clip=True).plain
    assert "nan" not in plain.lower()
    assert "clipped" in plain  # the run stopped being finite: said under the plot
    nothing = render_plot([Series("loss", [1, 2], [float("nan"), float("inf")])], 40, 10)
    assert "no finite values" in nothing.plain


def test_colours_come_from_the_theme_on_no_background():
    palette = theme_palette(
        {"background": "#000000", "foreground": "#ffffff", "primary": "#ff0000"}
    )
    assert palette.series[0] == (255, 0, 0)
    text = render_plot(
        [Series("loss", range(1, 30), [1 / i for i in range(1, 30)])],
        60,
        12,
        palette=palette,
        title="loss",
        xlabel="step",
    )
    styles = [span.style for span in text.spans]
    assert all(getattr(s, "bgcolor", None) is None for s in styles)  # never a white background
    colours = {s.color.triplet for s in styles if getattr(s, "color", None) is not None}
    assert (255, 0, 0) in {tuple(c) for c in colours if c is not None}


def test_overlay_widget_streams_into_the_newest_run():
    overlay = LossOverlay([("lr 0.01", [1.0, 0.9])])
    overlay.start_run("lr 0.1")
    overlay.update_run([1.0, 0.5, 0.2])
    assert overlay.runs == [("lr 0.01", [1.0, 0.9]), ("lr 0.1", [1.0, 0.5, 0.2])]
    assert "+ lr 0.1" in overlay.draw(60, 12, DEFAULT_PALETTE).plain


class PlotApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LossPlot([3.0, 2.0, 1.5], id="loss")


async def test_the_widget_fills_its_size_and_redraws_on_resize_and_new_points():
    app = PlotApp()
    async with app.run_test(size=(60, 20)) as pilot:
        plot = app.query_one(LossPlot)
        plot.styles.height = "1fr"
        await pilot.pause()
        lines = plot.render().plain.splitlines()
        assert len(lines) == plot.content_size.height
        assert max(len(line) for line in lines) <= 60
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        wide = plot.render().plain.splitlines()
        assert len(wide) == 30 and max(len(line) for line in wide) > 60
        plot.add([1.0, 0.5])
        assert "5 steps" in plot.render().plain
        app.theme = "textual-light"
        await pilot.pause()
        primary = app.theme_variables["primary"].lower()
        colours = {
            str(s.style.color.triplet.hex)
            for s in plot.render().spans
            if s.style.color is not None and s.style.color.triplet is not None
        }
        assert primary in colours
