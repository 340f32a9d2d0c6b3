"""What must be on screen without scrolling, for every bundled step: at 80x24 (and at 60x20)
the code the questions are about (from its first line), the field being answered, a hint just
bought and, after a training step ran, its loss curve; titles cut with an ellipsis and the
footer's keys kept on a narrow terminal."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey
from tui_helpers import fully_visible, settle, wait_until, where

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.widgets.loss_plot import LossPlot
from autograd_tutor.tui.widgets.question_field import QuestionField


async def open_step(pilot: Any, lesson: Any, position: int) -> StepScreen:
    """The step screen of ``lesson`` at ``position``, over the picker: it takes the place of
    the step shown before (no layout of the picker in between, which nothing here reads)."""
    app = pilot.app
    while len(app.screen_stack) > 2:
        await app.pop_screen()
    session = app.session_for(lesson)
    screen = StepScreen(session, position, range(len(lesson.steps)), cursor_blink=False)
    if len(app.screen_stack) == 2:
        await app.switch_screen(screen)
    else:
        await app.push_screen(screen)
    await pilot.pause()
    if lesson.steps[position].graph_open:
        # `graph: open`: the graph panel comes up over the step; Esc goes back to the step
        await wait_until(pilot, lambda: app.screen is not screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
    return screen


SIZES = [(80, 24), (60, 20)]
CODE_ROWS = {(80, 24): 6, (60, 20): 4}  # code rows always on screen (all of a shorter code)


def code_on_screen(app: Any, screen: StepScreen, size: tuple[int, int]) -> str | None:
    """None when the step's code is on screen from its first line, with at least
    ``CODE_ROWS`` of its rows (all of them when it has fewer); else what is wrong."""
    code = screen.query_one("#code")
    rows = code.virtual_size.height
    if not fully_visible(app, code):
        return f"code not on screen: {where(code)}"
    if code.scroll_y != 0:
        return "code scrolled"
    if code.content_region.height < min(rows, CODE_ROWS[size]):
        return f"{code.content_region.height} of its {rows} rows shown"
    return None


def off_screen(
    app: Any, screen: StepScreen, size: tuple[int, int], field: Any, label: str, hint: bool = False
) -> str | None:
    """None when the field being answered, the step's code and (``hint``) the field's open
    hints are on screen; else what is not."""
    if hint:
        label = f"{label} after a hint"
        if not fully_visible(app, field.hints_box):
            return f"{label}: {where(field.hints_box)}"
    if not fully_visible(app, field.input):
        return f"{label}: {where(field.input)}"
    wrong = code_on_screen(app, screen, size)
    return f"{label}: {wrong}" if wrong else None


PARTS = 4  # the bundled lessons in four parts (each with 20 fields or more), tests of their own


@pytest.mark.parametrize("part", range(PARTS), ids=lambda p: f"part{p + 1}of{PARTS}")
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_code_every_field_and_a_bought_hint_are_on_screen(tui_worker, size, part):
    app = AutogradTutorApp(None, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        checked = 0
        for lesson in app.lessons[part::PARTS]:
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
                    await settle(pilot, partial(off_screen, app, screen, size, field, label))
                    if field.question.hints:
                        await pilot.press("ctrl+t")
                        hinted = partial(off_screen, app, screen, size, field, label, hint=True)
                        await settle(pilot, hinted)
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
        footer = app.screen.query_one(Footer)

        def keys() -> dict[str, FooterKey]:
            return {key.action: key for key in footer.query(FooterKey)}

        await wait_until(pilot, lambda: {"run", "hint", "skip"} <= set(keys()))  # composed
        for action in ("run", "hint", "skip"):
            assert fully_visible(app, keys()[action]), sorted(keys())


async def test_page_down_and_up_scroll_the_explanation_while_an_answer_is_typed(tui_worker):
    app = AutogradTutorApp(None, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        lesson = next(lesson for lesson in app.lessons if lesson.id == "first-gradient")
        screen = await open_step(pilot, lesson, 0)
        body = screen.query_one("#lesson-part")
        await wait_until(pilot, lambda: body.max_scroll_y > 0)  # too long for 60x20
        assert isinstance(app.focused, Input)  # the keys go past the answer's own pane
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: body.scroll_y == body.max_scroll_y)
        await pilot.press("pageup")
        await wait_until(pilot, lambda: body.scroll_y == 0)


async def test_a_short_explanation_has_the_code_right_under_it(tui_worker):
    """Not the rows the explanation does not need between them (a long explanation scrolls in
    the room the code leaves it: the test of every field above)."""
    app = AutogradTutorApp(None, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        asking = [(lesson, step) for lesson in app.lessons for step in lesson.steps]
        asking = [(lesson, step) for lesson, step in asking if step.kind == "questions"]
        lesson, step = min(asking, key=lambda pair: len(pair[1].explain))
        screen = await open_step(pilot, lesson, step.index)
        explain, code = screen.query_one("#explain"), screen.query_one("#code")

        def code_follows() -> str | None:
            if code.region.y == explain.region.bottom and fully_visible(app, code):
                return None
            return f"{lesson.id} step {step.index + 1}: {where(explain)}, {where(code)}"

        await settle(pilot, code_follows)
