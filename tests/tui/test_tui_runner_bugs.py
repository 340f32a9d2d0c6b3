"""Regression tests over the real app for the step runner's bugs (issue 18): B (a lesson with
an exercise left is not done), F (the picker's cursor starts on the lesson in progress) and G
(a retry asks only the missed questions of every step)."""

from __future__ import annotations

from tui_helpers import go_on, screen_text, type_text, wait_until

from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.progress import Attempt, ProgressStore, utc_now_iso
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.exercise import ExerciseScreen
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.summary import SummaryScreen
from autograd_tutor.tui.widgets.question_field import QuestionField

QUESTION_THEN_EXERCISE = """\
id: practice
title: A question, then an exercise
steps:
  - code: x = torch.tensor(2.0, requires_grad=True)
    ask:
      - expr: x
        expect: 2
  - exercise:
      starter: |
        y = ...
      solution: |
        y = 3 * x
      checks:
        - expr: y.item() == 6
          says: y is not 3 * x
"""

TWO_BY_TWO = """\
id: detach-like
title: Two steps of two questions
steps:
  - code: |
      a = torch.tensor(1.0)
      b = torch.tensor(2.0)
    ask:
      - expr: a
        expect: 1
      - expr: b
        expect: 2
  - code: |
      c = torch.tensor(3.0)
      d = torch.tensor(4.0)
      e = torch.tensor(5.0)
    ask:
      - expr: c
        expect: 3
      - expr: d
        expect: 4
      - expr: e
        expect: 5
"""


def answer(store: ProgressStore, lesson_id: str, lesson_hash: str, step: int, qid: str, ok: bool):
    store.record(
        Attempt(
            lesson_id=lesson_id, lesson_hash=lesson_hash, step=step, question_id=qid,
            expr="x", typed="2" if ok else "0", verdict="right" if ok else "wrong",
            credit=1.0 if ok else 0.0, hints_used=0, seconds=1.0, timestamp=utc_now_iso(),
            app_version="test",
        )
    )  # fmt: skip


def highlighted_id(app: AutogradTutorApp) -> str | None:
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    assert options.highlighted is not None
    return options.get_option_at_index(options.highlighted).id


async def test_f_the_picker_starts_on_the_lesson_in_progress(write_lesson, tui_worker, tmp_path):
    """Bug F: the separators between lessons are not options; the cursor starts on the
    lesson in progress (the third of four), and Enter opens it."""
    for order, lesson_id in enumerate(["first", "second", "third", "fourth"]):
        write_lesson(TWO_BY_TWO.replace("detach-like", lesson_id) + f"order: {order}\n",
                     f"{lesson_id}.yaml")  # fmt: skip
    folder = tmp_path / "lessons"
    store = ProgressStore(tmp_path / "data", "ada")
    third = next(lesson for lesson in load_lessons(folder)[0] if lesson.id == "third")
    answer(store, "third", third.content_hash, 0, "1.1", ok=True)
    app = AutogradTutorApp(folder, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.lessons_loaded and highlighted_id(app) is not None)
        assert highlighted_id(app) == "lesson:third"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert isinstance(app.screen, StepScreen)
        assert app.screen.session.lesson.id == "third"


async def test_b_a_lesson_with_its_exercise_left_is_not_done_and_opens_at_it(
    write_lesson, tui_worker, tmp_path
):
    """Bug B: every question answered but the exercise not done: the picker does not say
    "done", and the lesson opens at the exercise, not at its summary."""
    path = write_lesson(QUESTION_THEN_EXERCISE, "practice.yaml")
    store = ProgressStore(tmp_path / "data", "ada")
    [lesson], _ = load_lessons(path.parent)
    answer(store, "practice", lesson.content_hash, 0, "1.1", ok=True)
    app = AutogradTutorApp(path.parent, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.lessons_loaded and "answered" in screen_text(app))
        shown = screen_text(app)
        assert "1/1 answered, 1 step to do" in shown
        assert "done" not in shown
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, PickerScreen))
        assert isinstance(app.screen, ExerciseScreen)
        assert not isinstance(app.screen, SummaryScreen)


async def test_g_a_retry_asks_only_the_missed_questions_of_every_step(
    write_lesson, tui_worker, tmp_path
):
    """Bug G: step 1 missed one of two, step 2 one of three: the retry asks exactly the
    missed question of each step, the second step too."""
    path = write_lesson(TWO_BY_TWO, "detach-like.yaml")
    store = ProgressStore(tmp_path / "data", "ada")
    [lesson], _ = load_lessons(path.parent)
    for step, qid, ok in [(0, "1.1", True), (0, "1.2", False), (1, "2.1", True),
                          (1, "2.2", False), (1, "2.3", True)]:  # fmt: skip
        answer(store, lesson.id, lesson.content_hash, step, qid, ok)
    app = AutogradTutorApp(path.parent, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.lessons_loaded)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert [f.question.id for f in app.screen.query(QuestionField)] == ["1.2"]
        await type_text(pilot, "2")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        await go_on(pilot)
        await wait_until(
            pilot, lambda: isinstance(app.screen, StepScreen) and app.screen.position == 1
        )
        assert [f.question.id for f in app.screen.query(QuestionField)] == ["2.2"]
