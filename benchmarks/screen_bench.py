"""CPU of the app's own process to open a step screen and to Tab between its answer fields.

Drives the app with Pilot (headless, 80x24) over a real ``WorkerClient``: opens every question
step of the bundled lessons in turn (each in place of the one before), waits until it is laid
out, then presses Tab through its fields. Reports the median CPU time of the app's process (not
the worker's) for one screen opened and for one Tab, over several rounds.

    .venv/bin/python benchmarks/screen_bench.py [--rounds 3]

Run it from the checkout to measure (``PYTHONPATH=.``) to compare two of them.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.widgets.question_field import QuestionField
from autograd_tutor.worker import WorkerClient


async def settle(pilot: Any, done: Any, limit: float = 60.0) -> None:
    deadline = time.perf_counter() + limit
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there")
        await pilot.pause()


async def one_round(worker: WorkerClient, opens: list[float], tabs: list[float]) -> None:
    app = AutogradTutorApp(None, worker=worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        for lesson in app.lessons:
            session = app.session_for(lesson)
            for step in lesson.steps:
                if step.kind != "questions" or step.graph_open:
                    continue
                started = time.process_time()
                screen = StepScreen(session, step.index, range(len(lesson.steps)))
                if len(app.screen_stack) > 1:
                    await app.switch_screen(screen)
                else:
                    await app.push_screen(screen)
                await settle(pilot, lambda s=screen: s.is_mounted and app.screen is s)
                await pilot.pause()
                opens.append(time.process_time() - started)
                for _ in list(screen.query(QuestionField))[1:]:
                    started = time.process_time()
                    await pilot.press("tab")
                    tabs.append(time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    worker = WorkerClient("cpu")
    worker.start()
    worker.wait_ready(timeout=120)
    opens: list[float] = []
    tabs: list[float] = []
    try:
        for _ in range(args.rounds):
            asyncio.run(one_round(worker, opens, tabs))
    finally:
        worker.close()
    print(f"step screen opened: median {1e3 * statistics.median(opens):.1f} ms CPU ({len(opens)})")
    print(f"Tab to the next field: median {1e3 * statistics.median(tabs):.1f} ms CPU ({len(tabs)})")


if __name__ == "__main__":
    main()
