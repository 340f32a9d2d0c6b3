"""Save the README's screenshots (SVG) by driving the real app with Pilot.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Each picture is what a learner sees in an 80x24 terminal (plus one training step at 200x60):
the lesson picker, a step before it runs, the reveal after a wrong answer, a training step's
loss curve, and the lesson summary. Progress goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from autograd_tutor.progress import ProgressStore
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import ENTER_GUARD, RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.summary import SummaryScreen
from autograd_tutor.worker import WorkerClient


async def until(pilot, predicate, limit: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.05)
    await pilot.pause(0.2)


async def answer(pilot, texts: list[str]) -> None:
    for text in texts:
        for ch in text:
            await pilot.press(ch)
        await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, RevealScreen))


async def next_step(pilot) -> None:
    """Enter on a reveal, once Enter counts there (not in its first moments)."""
    await pilot.pause(ENTER_GUARD)
    await pilot.press("enter")


async def shoot(worker: WorkerClient, data: Path, out: Path) -> None:
    store = ProgressStore(data, "ada")
    app = AutogradTutorApp(None, worker=worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        await until(pilot, lambda: app.worker_info is not None)
        app.save_screenshot("picker.svg", str(out))
        app.open_lesson("first-gradient")
        await until(pilot, lambda: isinstance(app.screen, StepScreen))
        app.save_screenshot("step.svg", str(out))
        await answer(pilot, ["16", "4", "True", "MulBackward0"])
        app.save_screenshot("reveal.svg", str(out))
        await next_step(pilot)
        await until(pilot, lambda: isinstance(app.screen, StepScreen))
        await answer(pilot, ["1040", "[[16,33,5],[56,85,33],[161,120,50]]", "(3, 3)"])
        await next_step(pilot)
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        app.save_screenshot("summary.svg", str(out))
    for size, name in (((80, 24), "training.svg"), ((200, 60), "training-wide.svg")):
        app = AutogradTutorApp(None, worker=worker, store=None, cursor_blink=False)
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: pilot.app.lessons_loaded and pilot.app.worker_info)
            lesson = app.lesson_by_id("training-loop")
            await app.push_screen(  # its last step: the loop, the plots first in the reveal
                StepScreen(app.session_for(lesson), 2, range(3), cursor_blink=False)
            )
            await until(pilot, lambda: isinstance(pilot.app.screen, StepScreen))
            await answer(pilot, ["200", "2", "1"])
            app.save_screenshot(name, str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with WorkerClient("cpu") as worker, tempfile.TemporaryDirectory() as data:
        worker.start()
        worker.wait_ready()
        asyncio.run(shoot(worker, Path(data), args.out))
    print(f"screenshots saved in {args.out}")


if __name__ == "__main__":
    main()
