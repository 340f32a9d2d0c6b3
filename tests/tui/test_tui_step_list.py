"""The step list ("go to step", ctrl+o and the command palette): every step with where the
learner stands on it, never a value; a step past an unanswered question cannot be opened (its
reveal would come first); an answered step opens as a retry; an unfinished exercise does not
lock what follows. The summary goes back to an unfinished exercise (e) and on to the next
lesson (l)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList
from tui_helpers import HERE, go_on, plain, screen_text, type_text, wait_until

from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.session.standing import ExerciseStanding
from autograd_tutor.session.step_list import step_entries
from autograd_tutor.session.summary import summarize
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.exercise import ExerciseScreen
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.step_list import StepListScreen
from autograd_tutor.tui.screens.summary import SummaryScreen
from autograd_tutor.tui.widgets.question_field import QuestionField

WALK = HERE / "walk_lessons"  # step 1 asks x.grad, 2 is an exercise, 3 asks z, 4 asks u


def walk_lesson() -> Any:
    lessons, broken = load_lessons(WALK)
    assert not broken and lessons[0].id == "walk"
    return lessons[0]


def test_the_list_opens_up_to_the_first_unanswered_step_and_never_shows_a_value():
    lesson = walk_lesson()
    fresh = step_entries(replace(summarize(lesson, []), practice=()))
    assert [e.open for e in fresh] == [True, False, False, False]
    assert [e.locked_by for e in fresh] == [None, 0, 0, 0]
    assert fresh[0].state == "not answered" and not fresh[0].done
    assert fresh[1].kind == "exercise" and fresh[1].state == "not tried"


async def list_rows(pilot: Any) -> list[str]:
    app = pilot.app
    await pilot.press("ctrl+o")
    await wait_until(pilot, lambda: isinstance(app.screen, StepListScreen))
    options = app.screen.query_one("#steps", OptionList)
    return [plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_go_to_step_lists_states_locks_later_steps_and_opens_an_answered_one(
    tui_worker, tui_store
):
    app = AutogradTutorApp(WALK, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        rows = await list_rows(pilot)
        assert "1. First · questions  (you are here)" in rows[0] and "not answered" in rows[0]
        assert all("locked: answer step 1 first" in row for row in rows[1:]), rows
        await pilot.press("down", "down")  # the locked steps cannot be highlighted
        assert app.screen.query_one("#steps", OptionList).highlighted == 0
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        first = app.screen
        app.go_to_step(first.session, 2)  # asked for all the same: refused
        await app.workers.wait_for_complete()
        assert app.screen is first and not tui_store.load().attempts("walk")

        await type_text(pilot, "5")  # wrong: torch says 6
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        # the exercise is left unfinished: the steps after it are open all the same,
        # up to the next unanswered question
        rows = await list_rows(pilot)
        assert "answered" in rows[0] and "tensor(6)" not in "".join(rows)
        assert "2. Write it · exercise  (you are here)" in rows[1] and "not yet, not run" in rows[1]
        assert "locked" not in rows[2] and "not answered" in rows[2]
        assert "locked: answer step 3 first" in rows[3]
        await pilot.press("up", "enter")  # back to step 1, answered: a run is a retry
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        screen = app.screen
        assert screen.position == 0 and screen.revealed
        assert "Already revealed" in screen_text(app)
        field = screen.query_one(QuestionField)
        assert field.input.value == ""  # nothing shown nor filled in
        await type_text(pilot, "6")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        assert "retry (the first try counts)" in screen_text(app)
    stored = [(a.question_id, a.typed) for a in tui_store.load().attempts("walk")]
    assert stored == [("1.1", "5"), ("1.1", "6")]


async def test_the_command_palette_lists_go_to_step_inside_a_lesson(tui_worker, tui_store):
    app = AutogradTutorApp(WALK, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Go to step…" not in titles  # no lesson open
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "go to step")
        await wait_until(pilot, lambda: "Go to step" in palette_first(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepListScreen))
        assert app.screen.current == 0


def palette_first(app: Any) -> str:
    options = app.screen.query_one(OptionList)
    return str(options.get_option_at_index(0).prompt) if options.option_count else ""


def test_a_passed_exercise_reads_passed():
    lesson = walk_lesson()
    done = ExerciseStanding(1, "Write it", "passed", 2)
    entries = step_entries(replace(summarize(lesson, []), practice=(done,)))
    assert entries[1].state == "passed, 2 runs" and entries[1].done


async def answer_and_go_on(pilot: Any, text: str) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
    await type_text(pilot, text)
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
    await go_on(pilot)


def footer_keys(app: Any) -> dict[str, str]:
    active = app.active_bindings.values()
    return {b.binding.key: b.binding.description for b in active if b.binding.show and b.enabled}


@pytest.mark.parametrize("key", ["e", "l"])
async def test_the_summary_goes_back_to_the_unfinished_exercise_or_on_to_the_next_lesson(
    tui_worker, tui_store, key
):
    app = AutogradTutorApp(WALK, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        app.open_lesson("walk")
        await answer_and_go_on(pilot, "6")
        await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        await pilot.press("ctrl+n")  # on without running the exercise
        await answer_and_go_on(pilot, "15")
        await answer_and_go_on(pilot, "16")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        shown = screen_text(app)
        assert "e: back to the exercise (step 2)" in shown
        assert "l: next lesson, After the walk" in shown
        keys = footer_keys(app)
        assert keys["e"] == "Unfinished" and keys["l"] == "Next lesson"
        await pilot.press(key)
        if key == "e":
            await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            assert app.screen.position == 1
        else:
            await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
            assert app.screen.session.lesson.id == "after" and app.screen.position == 0


async def test_the_last_lesson_has_no_next_and_a_finished_one_no_exercise_key(
    tui_worker, tui_store
):
    app = AutogradTutorApp(WALK, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        app.open_lesson("after")
        await answer_and_go_on(pilot, "2")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        keys = footer_keys(app)
        assert "l" not in keys and "e" not in keys
        assert "next lesson" not in screen_text(app)
        await pilot.press("l", "e")  # nothing happens
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
