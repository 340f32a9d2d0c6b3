"""One frame of a plot: plotext 6 (tui/widgets/plot.py) against the hand-written renderer it
replaced (tui/widgets/chart.py, read from git history, never imported by the app).

Frames: a 200-point loss curve (the training step's plot) and a 4-run overlay with a legend,
log scale and a diverging run clipped (the experiment's plot), each at 80x24 and 200x60 (the
whole terminal), drawn to Rich text as the widget's ``render`` does, and laid out into lines
by Rich as Textual does. Reports the median of N frames in milliseconds.

    .venv/bin/python benchmarks/plot_bench.py [-n 50]
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from autograd_tutor.tui.widgets.loss_overlay import run_series
from autograd_tutor.tui.widgets.plot import Series, render_plot

OLD_RENDERER = "2386975:autograd_tutor/tui/widgets/chart.py"  # the last commit that had it
ROOT = Path(__file__).resolve().parent.parent


def old_renderer() -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", OLD_RENDERER], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType("old_chart")
    sys.modules["old_chart"] = module  # dataclasses look their module up
    exec(compile(source, "old_chart.py", "exec"), module.__dict__)  # our own file, from git
    return module


def curve() -> list[float]:
    return [2.0 * math.exp(-i / 40) + 0.05 * math.sin(i / 3) + 0.1 for i in range(200)]


def runs() -> list[tuple[str, list[float]]]:
    out = [(f"lr {lr}", [5 * (1 - lr) ** i + 0.01 for i in range(150)]) for lr in (0.01, 0.1, 0.3)]
    out.append(("lr 1.5", [5 * 1.6**i for i in range(30)] + [math.inf, math.nan]))
    return out


def median_ms(frame: Callable[[], object], n: int, width: int) -> float:
    console = Console(width=width, color_system="truecolor", file=open("/dev/null", "w"))
    times = []
    for _ in range(n):
        start = time.perf_counter()
        text = frame()
        console.render_lines(text, console.options.update_width(width), pad=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50)
    n = parser.parse_args().n
    old = old_renderer()
    loss = curve()
    overlay = runs()
    print(f"median of {n} frames, ms (render + Rich layout)")
    print(f"{'frame':<22}{'size':>8}{'plotext 6':>12}{'old chart':>12}")
    for width, height in ((80, 24), (200, 60)):
        cases = {
            "200-point curve": (
                lambda w=width, h=height: render_plot(
                    [Series("loss", range(1, 201), loss)],
                    w,
                    h,
                    title="loss",
                    xlabel="step",
                    clip=True,
                    integer_x=True,
                ),
                lambda w=width, h=height: old.render_chart(
                    [old.Series("loss", range(1, 201), loss)],
                    w,
                    h,
                    title="loss",
                    xlabel="step",
                    clip=True,
                    integer_x=True,
                ),
            ),
            "4-run overlay": (
                lambda w=width, h=height: render_plot(
                    run_series(overlay),
                    w,
                    h,
                    log_y="auto",
                    legend=True,
                    clip=True,
                    integer_x=True,
                ),
                lambda w=width, h=height: old.render_chart(
                    [
                        old.Series(s.label, s.x, s.y, True, old.SERIES_COLOURS[i], s.marker)
                        for i, s in enumerate(run_series(overlay))
                    ],
                    w,
                    h,
                    log_y="auto",
                    legend=True,
                    clip=True,
                    integer_x=True,
                ),
            ),
        }
        for name, (new, before) in cases.items():
            size = f"{width}x{height}"
            print(
                f"{name:<22}{size:>8}{median_ms(new, n, width):>12.2f}"
                f"{median_ms(before, n, width):>12.2f}"
            )


if __name__ == "__main__":
    main()
