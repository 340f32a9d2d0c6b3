"""The chart renderer behind every plot: integer step ticks, each series its own marker (so
NO_COLOR keeps them apart), every data point visible on top of the lines, several loss runs
overlaid with a legend, a log scale when they span decades and a diverging run clipped."""

from __future__ import annotations

import re

from autograd_tutor.tui.widgets.chart import Series, render_chart, wants_log
from autograd_tutor.tui.widgets.fit_plot import FitPlot
from autograd_tutor.tui.widgets.loss_overlay import LossOverlay, run_series


def plot_lines(text: str) -> list[str]:
    """The rows of the plot area (those with a y axis bar)."""
    return [line for line in text.splitlines() if re.match(r"^\s*\S*[┤│]", line)]


def test_step_ticks_are_whole_numbers():
    losses = [10 * 0.95**i for i in range(67)]
    text = render_chart(
        [Series("loss", range(1, 68), losses)], 70, 12, xlabel="step", integer_x=True
    ).plain
    tick_line = text.splitlines()[-2]
    labels = tick_line.split()
    assert labels and all(label.isdigit() for label in labels), tick_line


def test_fit_plot_shows_every_point_and_both_lines_without_colour(monkeypatch):
    xs = [i / 19 * 4 - 2 for i in range(20)]
    ys = [2 * x + 1 + (0.4 if i % 2 else -0.4) for i, x in enumerate(xs)]
    plot = FitPlot(xs, ys, [("learned", 1.97, 0.96), ("true", 2.0, 1.0)])
    monkeypatch.setattr(FitPlot, "content_size", property(lambda self: (76, 16)))
    text = plot.render().plain
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
    text = render_chart(series, 76, 16, log_y="auto", legend=True, clip=True, integer_x=True)
    plain = text.plain
    # log decades, and the axis stops one decade above where the runs started (10)
    assert "1e+2" in plain and "1e+3" not in plain and "1e-5" in plain
    body = "\n".join(plot_lines(plain))
    for marker in "•+x":
        assert marker in body
    legend = plain.splitlines()[-1]
    assert "• lr 0.01" in legend and "+ lr 0.1" in legend
    assert "x lr 0.5 ↑clipped" in legend
    assert "lr 0.01 ↑clipped" not in legend


def test_overlay_widget_streams_into_the_newest_run(monkeypatch):
    overlay = LossOverlay([("lr 0.01", [1.0, 0.9])])
    overlay.start_run("lr 0.1")
    overlay.update_run([1.0, 0.5, 0.2])
    assert overlay.runs == [("lr 0.01", [1.0, 0.9]), ("lr 0.1", [1.0, 0.5, 0.2])]
    monkeypatch.setattr(LossOverlay, "content_size", property(lambda self: (60, 12)))
    assert "+ lr 0.1" in overlay.render().plain
