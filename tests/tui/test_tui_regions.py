"""Every kind of screen at 80x24, driven as a learner would: each part that matters (titles,
the code, the field being answered, the verdicts, the editor, the knobs and plot, the step list,
help, the summary's score) and every key the footer shows lies whole inside the screen, nothing
cut off, scrolled away or drawn over. (The fields, hints and loss curves of every bundled step:
test_tui_layout.py; the exercise's task and results views: test_tui_exercise_layout.py.)"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer
from textual.widgets._footer import FooterKey
from tui_helpers import fully_visible, go_on, settle, type_text, wait_until, where

from autograd_tutor.lessons.model import ExerciseStep
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.exercise import ExerciseScreen
from autograd_tutor.tui.screens.experiment import ExperimentScreen
from autograd_tutor.tui.screens.graph import GraphScreen
from autograd_tutor.tui.screens.help import HelpScreen
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.step_list import StepListScreen
from autograd_tutor.tui.screens.summary import SummaryScreen


def outside(app: Any, parts: tuple[str, ...], keys: tuple[str, ...]) -> str | None:
    """What is not whole on screen among ``parts`` (selectors) and the footer's keys, or a key
    (action) of ``keys`` missing from the footer; None when all is well."""
    screen = app.screen
    name = type(screen).__name__
    for part in parts:
        widget = screen.query_one(part)
        if not fully_visible(app, widget):
            return f"{name}: {part} {where(widget)}"
    shown = {}
    for footer in screen.query(Footer):
        for key in footer.query(FooterKey):
            if not fully_visible(app, key):
                return f"{name}: footer key {key.description!r} cut off"
            shown[key.action] = key
    missing = [action for action in keys if action not in shown]
    if missing:
        return f"{name}: {missing} not in the footer ({sorted(shown)})"
    return None


async def check_inside(pilot: Any, *parts: str, keys: tuple[str, ...] = ()) -> None:
    """``parts`` and every footer key are whole on screen once the screen is laid out."""
    await settle(pilot, lambda: outside(pilot.app, parts, keys))


async def answer(pilot: Any, texts: list[str]) -> None:
    for text in texts:
        await type_text(pilot, text)
        await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RevealScreen), 60)


async def test_every_screen_kind_fits_80x24(tui_worker, tui_store):
    app = AutogradTutorApp(None, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        await check_inside(pilot, "#whose", "#lessons", "#status", keys=("restart",))

        app.open_lesson("first-gradient")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        step = app.screen
        await check_inside(
            pilot,
            "#step-title",
            "#code",
            "#status",
            keys=("run", "hint", "skip", "graph", "app.step_list", "app.help"),
        )
        await settle(pilot, lambda: None if fully_visible(app, app.focused) else where(app.focused))

        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await check_inside(pilot, "#help-body", keys=("close",))
        await pilot.press("escape")

        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, StepListScreen))
        await check_inside(pilot, "#list-title", "#steps", "#list-status", keys=("open", "close"))
        await pilot.press("escape")

        await wait_until(pilot, lambda: app.screen is step)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, GraphScreen))
        await wait_until(pilot, lambda: app.screen.view is not None)
        await check_inside(pilot, "#graph-title", "#graph-scroll")
        await pilot.press("escape")

        await wait_until(pilot, lambda: app.screen is step)
        await answer(pilot, ["16", "4", "True", "MulBackward0"])
        await check_inside(
            pilot, "#reveal-title", "#tally", "#status", keys=("next", "back", "graph")
        )
        first_card = app.screen.query_one("#cards").children[0]  # starts on screen
        top = first_card.region
        assert app.screen.query_one("#body").region.contains(top.x, top.y + 1), where(first_card)

        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        await check_inside(pilot, "#step-title", "#code", "#status")
        await answer(pilot, ["1040", "[[16,33,5],[56,85,33],[161,120,50]]", "(3, 3)"])
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await check_inside(
            pilot, "#title", "#score", "#status", keys=("retry", "next_lesson", "done")
        )

        lesson = app.lesson_by_id("training-loop")
        exercise = next(s.index for s in lesson.steps if isinstance(s, ExerciseStep))
        app.open_lesson("training-loop", [exercise, exercise + 1])
        await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        await check_inside(
            pilot, "#step-title", "#brief", "#editor", "#status", keys=("run", "reset")
        )

        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ExperimentScreen))
        await check_inside(
            pilot, "#knobs", "#predict", "#overlay", "#verdict", "#status", keys=("run", "next")
        )
        assert app.screen.query_one("#overlay").region.height >= 8
