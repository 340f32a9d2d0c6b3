"""What must be on screen without scrolling, for every bundled step: at 80x24 (and at 60x20)
the field being answered, a hint just bought and, after a training step ran, its loss curve;
titles cut with an ellipsis and the footer's keys kept on a narrow terminal."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey
from tui_helpers import wait_until

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.widgets.loss_plot import LossPlot
from autograd_tutor.tui.widgets.question_field import QuestionField


def fully_visible(app: Any, widget: Widget) -> bool:
    """Every row of ``widget`` is on screen and is the widget (or a child of it), not something
    drawn over it or a part scrolled away."""
    region = widget.region
    if not region or not app.screen.region.contains_region(region):
        return False
    for y in range(region.y, region.bottom):
        for x in (region.x, region.right - 1):
            shown, _ = app.screen.get_widget_at(x, y)
            if shown is not widget and widget not in shown.ancestors:
                return False
    return True


def where(widget: Widget) -> str:
    return f"{widget!r} at {widget.region}"


async def open_step(pilot: Any, lesson: Any, position: int) -> StepScreen:
    app = pilot.app
    while len(app.screen_stack) > 1:
        await app.pop_screen()
    session = app.session_for(lesson)
    screen = StepScreen(session, position, range(len(lesson.steps)), cursor_blink=False)
    await app.push_screen(screen)
    await pilot.pause()
    if lesson.steps[position].graph_open:
        # `graph: open`: the graph panel comes up over the step; Esc goes back to the step
        await wait_until(pilot, lambda: app.screen is not screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
    return screen


SIZES = [(80, 24), (60, 20)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_field_and_a_bought_hint_are_on_screen(tui_worker, size):
    app = AutogradTutorApp(None, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        checked = 0
        for lesson in app.lessons:
            for step in lesson.steps:
                if step.kind != "questions":
                    continue  # screens of their own (tests/tui/test_tui_practice*.py)
                screen = await open_step(pilot, lesson, step.index)
                fields = list(screen.query(QuestionField))
                for i, field in enumerate(fields):
                    if i:
                        await pilot.press("tab")
                    assert app.focused is field.input
                    label = f"{lesson.id} step {step.index + 1} {field.question.id}"
                    assert fully_visible(app, field.input), f"{label}: {where(field.input)}"
                    if field.question.hints:
                        await pilot.press("ctrl+t")
                        await pilot.pause()
                        box = field.hints_box
                        assert fully_visible(app, box), f"{label} hint: {where(box)}"
                        assert fully_visible(app, field.input), f"{label}: {where(field.input)}"
                    checked += 1
        assert checked >= 20


async def test_a_training_steps_loss_curve_is_on_screen_after_it_ran(tui_worker):
    app = AutogradTutorApp(None, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        trained = 0
        for lesson in app.lessons:
            for step in lesson.steps:
                if step.training is None or step.kind == "exercise":
                    continue
                screen = await open_step(pilot, lesson, step.index)
                for _ in screen.query(QuestionField):
                    await pilot.press("ctrl+s")  # an explicit skip: torch's value may show
                await pilot.press("ctrl+r")
                await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen), 120)
                plot = app.screen.query_one(LossPlot)
                assert plot.loss, f"{lesson.id} step {step.index + 1}: no losses"
                assert fully_visible(app, plot), f"{lesson.id} step {step.index + 1}: {where(plot)}"
                trained += 1
        assert trained >= 1


async def test_at_60x20_titles_end_in_an_ellipsis_and_the_footer_keeps_its_keys(tui_worker):
    app = AutogradTutorApp(None, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        lesson = max(app.lessons, key=lambda lesson: len(lesson.title))
        asking = [step for step in lesson.steps if step.questions]
        screen = await open_step(pilot, lesson, asking[-1].index)
        title = screen.query_one("#step-title")
        line = app.screen._compositor.render_update(full=True)  # noqa: F841 - paint it
        shown = "".join(s.text for s in title.render_line(0)).rstrip()
        assert len(screen.title_text()) > 60 and shown.endswith("…"), shown
        keys = {key.action: key for key in app.screen.query_one(Footer).query(FooterKey)}
        for action in ("run", "hint", "skip"):
            assert action in keys and fully_visible(app, keys[action]), sorted(keys)
