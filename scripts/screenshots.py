"""Save the README's screenshots (SVG) by driving the real app with Pilot.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Every kind of screen, each at 80x24 (``name.svg``) and at 200x60 (``name-wide.svg``): the lesson
picker, a step before it runs, the reveal after a wrong answer, the step list, help, the lesson
summary, a training step's loss curve, an exercise's results after a failed run (and its task
view at 80x24; at 200x60 the task is on screen beside the code), an experiment after three
runs, the graph panel (before the run and after the reveal at 80x24; after the reveal, a node's
detail open, at 200x60). Progress goes to a temporary folder. ``--practice`` makes only the
exercise and the experiment, ``--only graph`` only the graph pictures.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from autograd_tutor.lessons.model import ExerciseStep
from autograd_tutor.progress import ProgressStore
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.exercise import ExerciseScreen
from autograd_tutor.tui.screens.experiment import ExperimentScreen
from autograd_tutor.tui.screens.graph import GraphScreen
from autograd_tutor.tui.screens.help import HelpScreen
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import ENTER_GUARD, RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.step_list import StepListScreen
from autograd_tutor.tui.screens.summary import SummaryScreen
from autograd_tutor.worker import WorkerClient


def footer_ready(app) -> bool:
    """The screen's footer shows its keys (it fills in a moment after the screen)."""
    return all(footer.query(FooterKey) for footer in app.screen.query(Footer))


async def until(pilot, predicate, limit: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not (predicate() and footer_ready(pilot.app)):
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


async def shoot_lesson_at(
    worker: WorkerClient, data: Path, out: Path, size: tuple[int, int], suffix: str
) -> None:
    store = ProgressStore(data, "ada")
    app = AutogradTutorApp(None, worker=worker, store=store, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        await until(pilot, lambda: app.worker_info is not None)
        app.save_screenshot(f"picker{suffix}.svg", str(out))
        app.open_lesson("first-gradient")
        await until(pilot, lambda: isinstance(app.screen, StepScreen))
        app.save_screenshot(f"step{suffix}.svg", str(out))
        await answer(pilot, ["16", "4", "True", "MulBackward0"])
        app.save_screenshot(f"reveal{suffix}.svg", str(out))
        await next_step(pilot)
        await until(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.press("ctrl+o")  # the step list: step 1 answered, step 2 here
        await until(pilot, lambda: isinstance(app.screen, StepListScreen))
        app.save_screenshot(f"steps{suffix}.svg", str(out))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        app.save_screenshot(f"help{suffix}.svg", str(out))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StepScreen))
        await answer(pilot, ["1040", "[[16,33,5],[56,85,33],[161,120,50]]", "(3, 3)"])
        await next_step(pilot)
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        app.save_screenshot(f"summary{suffix}.svg", str(out))


SIZES = (((80, 24), ""), ((200, 60), "-wide"))


async def shoot(worker: WorkerClient, data: Path, out: Path) -> None:
    """The picker, a step, its reveal, the step list, help and the summary at 80x24 and
    200x60, then a training step's loss curve at both sizes."""
    for size, suffix in SIZES:
        await shoot_lesson_at(worker, data / f"data{suffix or '-narrow'}", out, size, suffix)
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


async def graph_drawn(pilot) -> None:
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, GraphScreen) and pilot.app.screen.view is not None,
    )


async def shoot_graph(worker: WorkerClient, out: Path) -> None:
    """The graph panel: backprop by hand at 80x24 before and after the run, the two-layer
    chain at 200x60 after the reveal with a node's detail open."""
    app = AutogradTutorApp(None, worker=worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: pilot.app.lessons_loaded and pilot.app.worker_info)
        app.open_lesson("backprop-by-hand", [1])
        await until(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.press("ctrl+g")
        await graph_drawn(pilot)
        app.save_screenshot("graph-before.svg", str(out))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StepScreen))
        await answer(pilot, ["-2", "-2", "-2", "None"])
        await pilot.press("g")
        await graph_drawn(pilot)
        app.save_screenshot("graph.svg", str(out))
    app = AutogradTutorApp(None, worker=worker, store=None, cursor_blink=False)
    async with app.run_test(size=(200, 60)) as pilot:
        await until(pilot, lambda: pilot.app.lessons_loaded and pilot.app.worker_info)
        app.open_lesson("two-layer-chain", [1])
        await until(pilot, lambda: isinstance(app.screen, StepScreen))
        await answer(pilot, ["6.5", "-1", "-2", "-3"])
        await pilot.press("g")
        await graph_drawn(pilot)
        for _ in range(4):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause(0.2)
        app.save_screenshot("graph-wide.svg", str(out))


NO_ZEROING = """for step in range(100):
    pred = w * x + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
"""


async def run_and_wait(pilot, screen) -> None:
    done = screen.finished_runs
    await pilot.press("ctrl+r")
    await until(pilot, lambda: screen.finished_runs > done)


async def shoot_practice(worker: WorkerClient, out: Path) -> None:
    """The training loop's exercise after a run that forgot to zero the gradients (its task
    view too at 80x24), and its experiment after three runs; at 80x24 and 200x60."""
    for size, suffix in (((80, 24), ""), ((200, 60), "-wide")):
        await shoot_practice_at(worker, out, size, suffix)


async def shoot_practice_at(
    worker: WorkerClient, out: Path, size: tuple[int, int], suffix: str
) -> None:
    app = AutogradTutorApp(None, worker=worker, store=None, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: pilot.app.lessons_loaded and pilot.app.worker_info)
        lesson = app.lesson_by_id("training-loop")
        exercise = next(s.index for s in lesson.steps if isinstance(s, ExerciseStep))
        app.open_lesson("training-loop", [exercise, exercise + 1])
        await until(pilot, lambda: isinstance(pilot.app.screen, ExerciseScreen))
        screen = app.screen
        screen.editor.load_text(NO_ZEROING)
        if not suffix:
            await pilot.press("f4")  # the task in full: explanation, setup code, checks
            await pilot.pause(0.2)
            app.save_screenshot("exercise-task.svg", str(out))
            await pilot.press("f4")
        await run_and_wait(pilot, screen)
        app.save_screenshot(f"exercise{suffix}.svg", str(out))
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(pilot.app.screen, ExperimentScreen))
        screen = app.screen
        # lr 0.01 then 0.1 (both converge), then 0.5 (diverges: clipped at the top)
        for keys in (["right", "3"], ["right", "3"], ["right", "1"]):
            await pilot.press(*keys)
            await run_and_wait(pilot, screen)
        app.save_screenshot(f"experiment{suffix}.svg", str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", choices=["graph"], help="make only these pictures")
    parser.add_argument("--practice", action="store_true", help="only the exercise pictures")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with WorkerClient("cpu") as worker, tempfile.TemporaryDirectory() as data:
        worker.start()
        worker.wait_ready()
        everything = args.only is None and not args.practice
        if everything:
            asyncio.run(shoot(worker, Path(data), args.out))
        if everything or args.only == "graph":
            asyncio.run(shoot_graph(worker, args.out))
        if everything or args.practice:
            asyncio.run(shoot_practice(worker, args.out))
    print(f"screenshots saved in {args.out}")


if __name__ == "__main__":
    main()
