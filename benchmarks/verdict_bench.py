"""From committing a prediction to the verdict on screen, with a warm torch worker.

Drives the app with Pilot (headless, 80x24) over a real ``WorkerClient``: opens the first step
of a bundled lesson, types the predictions once, then N times presses ctrl+r and waits until
the reveal screen's first frame with its verdicts is handed to the terminal driver, then goes
back to the step. Reports the median (target: under 100 ms).

    .venv/bin/python benchmarks/verdict_bench.py [-n 30] [--lesson first-gradient]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from autograd_tutor.progress import ProgressStore
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.widgets.verdict_card import VerdictCard
from autograd_tutor.worker import WorkerClient


async def wait_for(predicate, limit: float = 60.0) -> None:
    deadline = time.perf_counter() + limit
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


async def measure(worker: WorkerClient, lesson_id: str, n: int, data: Path) -> list[float]:
    store = ProgressStore(data, "bench")
    app = AutogradTutorApp(None, worker=worker, store=store, cursor_blink=False)
    lesson = app.lesson_by_id(lesson_id)
    if lesson is None:
        raise SystemExit(f"no lesson {lesson_id!r}")
    step = next(s for s in lesson.steps if s.questions)

    # The moment a frame of the reveal screen (with all its verdict cards) is handed to the
    # terminal driver: App._display is where every frame goes, headless or not.
    painted: list[float] = []
    display = app._display

    def display_and_note(screen, renderable) -> None:
        display(screen, renderable)
        if (
            renderable is not None
            and isinstance(screen, RevealScreen)
            and len(screen.query(VerdictCard)) == len(step.questions)
        ):
            painted.append(time.perf_counter())

    app._display = display_and_note  # type: ignore[method-assign]
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: app.worker_info is not None)
        app.open_lesson(lesson_id, [step.index])
        await wait_for(lambda: isinstance(app.screen, StepScreen))
        await pilot.pause()
        for field, question in zip(app.screen.query("QuestionField"), step.questions, strict=True):
            raw = question.expect
            field.input.value = raw.display() if raw is not None else "None"
        for _ in range(n):
            painted.clear()
            start = time.perf_counter()
            await pilot.press("ctrl+r")
            await wait_for(lambda: bool(painted))
            times.append(painted[0] - start)
            await pilot.press("escape")
            await wait_for(lambda: isinstance(app.screen, StepScreen))
            await pilot.pause()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30)
    parser.add_argument("--lesson", default="first-gradient")
    args = parser.parse_args()
    with WorkerClient("cpu") as worker, tempfile.TemporaryDirectory() as data:
        worker.start()
        worker.wait_ready()
        times = asyncio.run(measure(worker, args.lesson, args.n, Path(data)))
    ms = [t * 1000 for t in times]
    median = statistics.median(ms)
    print(
        f"commit -> verdict on screen, {len(ms)} runs: median {median:.1f} ms, "
        f"min {min(ms):.1f} ms, max {max(ms):.1f} ms (target < 100 ms): "
        f"{'OK' if median < 100 else 'OVER'}"
    )
    return 0 if median < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
