"""The lesson picker with the whole bundled curriculum at 80x24: the lessons in course order,
each saying how long it takes; the list scrolls to the last lesson and opens it."""

from __future__ import annotations

import html
import re

import pytest
from tui_helpers import wait_until

from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.step import StepScreen


def visible_text(app) -> str:
    """What is painted on the terminal right now (only the rows in view)."""
    svg = app.export_screenshot()
    text = html.unescape(re.sub(r"<[^>]+>", "", svg))
    return text.replace("\xa0", " ")


async def test_picker_orders_the_curriculum_and_reaches_its_last_lesson(tui_worker, tui_store):
    app = AutogradTutorApp(
        bundled_lessons_dir(), worker=tui_worker, store=tui_store, cursor_blink=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        options = app.screen.query_one("#lessons")
        ids = [
            option.id.partition(":")[2]
            for option in options.options
            if option.id and option.id.startswith("lesson:")
        ]
        assert len(ids) >= 18 and len(set(ids)) == len(ids)
        assert ids[0] == "first-gradient" and ids[-1] == "softmax-cross-entropy"
        orders = [app.lesson_by_id(lesson_id).order for lesson_id in ids]
        assert orders == sorted(set(orders))  # course order, no ties
        prompts = {option.id: str(option.prompt) for option in options.options if option.id}
        small_mlp = prompts["lesson:small-mlp"]
        assert "A small network" in small_mlp and "~15 min" in small_mlp
        assert "not started" in small_mlp
        assert all(re.search(r"~\d+ min", prompt) for prompt in prompts.values())

        shown = visible_text(app)
        assert "Your first gradient" in shown and "~10 min" in shown
        assert "Softmax and cross-entropy" not in shown  # below the fold at first

        await pilot.press("end")
        await pilot.pause()
        highlighted = options.get_option_at_index(options.highlighted)
        assert highlighted.id == "lesson:softmax-cross-entropy"
        shown = visible_text(app)
        assert "Softmax and cross-entropy" in shown
        assert "6 questions · ~15 min · not started" in shown

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert app.screen.session.lesson.id == "softmax-cross-entropy"
        assert "Softmax and cross-entropy · step 1 of 3" in visible_text(app)


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_lesson_is_ruled_off_from_the_one_before(tui_worker, tui_store, size):
    """A rule above each lesson's title but the first, down the whole list: a wrapped summary is
    never drawn over the rule (the list measures its options with the scrollbar's room kept)."""
    app = AutogradTutorApp(
        bundled_lessons_dir(), worker=tui_worker, store=tui_store, cursor_blink=False
    )
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        titles = {lesson.title for lesson in app.lessons}
        options = app.screen.query_one("#lessons")
        seen: set[str] = set()
        for _ in range(options.option_count):
            lines = [options.render_line(y).text.strip() for y in range(options.size.height)]
            for row, line in enumerate(lines):
                # a title's first line (a long one wraps at 60 columns); row 0: the rule is above
                title = next((t for t in titles if line and t.startswith(line)), None)
                if title and title != app.lessons[0].title and row > 0:
                    assert lines[row - 1].startswith("──"), (line, lines[row - 1])
                    seen.add(title)
            if seen | {app.lessons[0].title} == titles:
                break
            await pilot.press("down")  # the list scrolls as little as it must
            await pilot.pause()
        assert seen | {app.lessons[0].title} == titles
