"""The app driven with Pilot as a learner would, over a real torch worker: a bundled seed
lesson from the picker to the summary, a wrong prediction's misconception, an endless loop
that times out while the app keeps working, a broken lesson file, and the progress file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import TEST_LESSONS, go_on, screen_text, type_text, wait_until

from autograd_tutor.lessons.model import Lesson, Question
from autograd_tutor.progress import Attempt, ProgressStore
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.summary import SummaryScreen
from autograd_tutor.tui.widgets.error_panel import ErrorPanel
from autograd_tutor.tui.widgets.loss_plot import LossPlot
from autograd_tutor.values import Value


def right_answer(question: Question) -> str:
    """What a learner who knows the answer types (the author's ``expect``, as text)."""
    assert question.expect is not None
    return question.expect.display()


def known_wrong_answer(answer: Value) -> str:
    return answer.display()


async def open_highlighted(pilot: Any, index: int) -> None:
    """Move the picker's highlight to lesson ``index`` with the arrow keys and press Enter."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))


async def answer_step(pilot: Any, answers: list[str]) -> None:
    """Type one prediction per question (Enter moves on; Enter on the last one runs)."""
    app = pilot.app
    if not answers:
        await pilot.press("ctrl+r")
    for text in answers:
        await type_text(pilot, text)
        await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen), timeout=60)


def first_lesson_with_known_wrong(lessons: list[Lesson]) -> tuple[Lesson, Question]:
    for lesson in lessons:
        for question in lesson.questions:
            if question.wrong:
                return lesson, question
    raise AssertionError("no bundled lesson has a known wrong answer")


@pytest.mark.slow
async def test_learner_takes_a_seed_lesson_to_the_summary(tui_worker, tui_store, tmp_path):
    app = AutogradTutorApp(None, worker=tui_worker, store=tui_store, cursor_blink=False)
    lesson = app.lessons[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.worker_info is not None)
        assert lesson.title in screen_text(app)
        assert "torch" in app.sub_title and "on cpu" in app.sub_title
        await open_highlighted(pilot, 0)
        for step in lesson.steps:
            await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
            assert app.screen.position == step.index
            await answer_step(pilot, [right_answer(q) for q in step.questions])
            shown = screen_text(app)
            assert shown.count("✓ right") == len(step.questions), shown
            for question in step.questions:
                if question.explain:
                    assert question.explain.strip()[:30] in shown
            await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        shown = screen_text(app)
        assert "Score 100%" in shown
        assert "Every question right" in shown
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
        assert "done · score 100%" in screen_text(app)

    saved = json.loads((tmp_path / "data" / "ada.json").read_text(encoding="utf-8"))
    attempts = saved["lessons"][lesson.id]["attempts"]
    assert {a["question_id"] for a in attempts} == {q.id for q in lesson.questions}
    assert all(a["verdict"] == "right" for a in attempts)
    assert all(a["lesson_hash"] == lesson.content_hash for a in attempts)


async def test_wrong_prediction_shows_the_lessons_misconception(tui_worker, tui_store):
    app = AutogradTutorApp(None, worker=tui_worker, store=tui_store, cursor_blink=False)
    lesson, target = first_lesson_with_known_wrong(app.lessons)
    wrong = target.wrong[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot, app.lessons.index(lesson))
        for step in lesson.steps:
            await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
            answers = [
                known_wrong_answer(wrong.answer) if q.id == target.id else right_answer(q)
                for q in step.questions
            ]
            await answer_step(pilot, answers)
            if any(q.id == target.id for q in step.questions):
                break
            await go_on(pilot)
        shown = screen_text(app)
        assert wrong.says.strip() in shown
        assert "✗ wrong" in shown or "≈ partly right" in shown
        await go_on(pilot)  # the app goes on after a wrong answer
        await wait_until(
            pilot, lambda: isinstance(app.screen, (StepScreen, SummaryScreen)), timeout=30
        )
    recorded = tui_store.load().latest(lesson.id)[target.id]
    assert recorded.verdict in ("wrong", "partial")
    assert "known_wrong" in recorded.diagnoses


LOOP_LESSON = """\
id: endless
title: An endless loop
order: 1
time_limit: 1
steps:
  - code: |
      while True:
          pass
    ask:
      - expr: "1"
        expect: 1
"""

QUICK_LESSON = """\
id: quick
title: A quick one
order: 2
steps:
  - code: |
      x = torch.tensor(2.0, requires_grad=True)
      (x * x).backward()
    ask:
      - expr: x.grad
        expect: 4
"""

BROKEN_LESSON = """\
id: broken-one
title: Broken
steps:
  - code: x = 1
    ask:
      - expr: x
        expct: 1
"""


async def test_endless_loop_times_out_and_the_app_keeps_working(tui_worker, tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "endless.yaml").write_text(LOOP_LESSON, encoding="utf-8")
    (lessons / "quick.yaml").write_text(QUICK_LESSON, encoding="utf-8")
    store = ProgressStore(tmp_path / "data", "ada")
    app = AutogradTutorApp(lessons, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot, 0)
        await type_text(pilot, "1")
        await pilot.press("enter")
        # A step that is still running after a moment says so (fast steps show no busy line).
        await wait_until(pilot, lambda: "Running the step in torch" in screen_text(app), 5)
        panel = app.screen.query_one("#error", ErrorPanel)
        await wait_until(pilot, lambda: panel.display and "-hidden" not in panel.classes, 30)
        shown = screen_text(app)
        assert "took too long" in shown
        assert isinstance(app.screen, StepScreen) and not app.screen.busy
        await pilot.press("escape")
        await open_highlighted(pilot, 1)
        await answer_step(pilot, ["4"])
        assert "✓ right" in screen_text(app)


async def test_broken_lesson_is_listed_with_its_error(tui_worker, tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "quick.yaml").write_text(QUICK_LESSON, encoding="utf-8")
    (lessons / "broken-one.yaml").write_text(BROKEN_LESSON, encoding="utf-8")
    app = AutogradTutorApp(lessons, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        shown = screen_text(app)
        assert "A quick one" in shown
        assert "broken-one  [broken lesson file]" in shown
        assert "broken-one.yaml" in shown and "expct" in shown
        await pilot.press("down", "enter")  # a broken lesson does not open
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_restart_asks_first_then_archives_the_answers(tui_worker, tui_store, tmp_path):
    app = AutogradTutorApp(None, worker=tui_worker, store=tui_store, cursor_blink=False)
    lesson = app.lessons[0]
    question = lesson.questions[0]
    tui_store.record(
        Attempt(
            lesson.id,
            lesson.content_hash,
            lesson.step_of(question.id).index,
            question.id,
            question.expr,
            "1",
            "wrong",
            0.0,
            0,
            1.0,
            "2025-01-01T00:00:00+00:00",
            "test",
        )
    )
    async with app.run_test(size=(80, 24)) as pilot:
        # the picker lists the lessons once its first frame is painted
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.screen.loaded)
        assert f"1/{len(lesson.questions)} answered" in screen_text(app)
        await pilot.press("r")
        await pilot.press("n")  # no: nothing changes
        await pilot.pause()
        assert tui_store.load().attempts(lesson.id)
        await pilot.press("r")
        await pilot.press("y")
        await wait_until(pilot, lambda: "not started" in screen_text(app))
    assert not tui_store.load().attempts(lesson.id)
    saved = json.loads(Path(tui_store.path).read_text(encoding="utf-8"))
    assert saved["reset"][0]["lesson_id"] == lesson.id


async def test_escape_cancels_a_running_step_and_the_app_keeps_working(tui_worker, tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "endless.yaml").write_text(
        LOOP_LESSON.replace("time_limit: 1", "time_limit: 60"), encoding="utf-8"
    )
    (lessons / "quick.yaml").write_text(QUICK_LESSON, encoding="utf-8")
    app = AutogradTutorApp(lessons, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot, 0)
        await type_text(pilot, "1")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Running the step in torch" in screen_text(app), 5)
        await pilot.press("escape")  # while busy, Escape cancels instead of leaving the step
        panel = app.screen.query_one("#error", ErrorPanel)
        await wait_until(pilot, lambda: "-hidden" not in panel.classes, 10)
        assert "you cancelled the run" in screen_text(app)
        assert isinstance(app.screen, StepScreen) and not app.screen.busy
        await pilot.press("escape")
        await open_highlighted(pilot, 1)
        await answer_step(pilot, ["4"])
        assert "✓ right" in screen_text(app)


STREAM_LESSON = """\
id: stream
title: Streaming losses
steps:
  - code: |
      import time
      for i in range(40):
          record_loss(1.0 / (i + 1))
          time.sleep(0.01)
    train:
      log_scale: true
"""


async def test_streamed_losses_are_plotted_once_each(tui_worker, tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "stream.yaml").write_text(STREAM_LESSON, encoding="utf-8")
    app = AutogradTutorApp(lessons, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot, 0)
        step_plot = app.screen.query_one(LossPlot)
        await answer_step(pilot, [])
        reveal_plot = app.screen.query_one(LossPlot)
        expected = [1.0 / (i + 1) for i in range(40)]
        assert reveal_plot.loss == pytest.approx(expected)
        assert step_plot.loss == pytest.approx(expected)  # streamed in batches while it ran
        assert "40 steps" in str(reveal_plot.render())


async def test_reopening_resumes_and_a_changed_lesson_is_marked(tui_worker, tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    source = (TEST_LESSONS / "chain.yaml").read_text(encoding="utf-8")
    (lessons / "chain.yaml").write_text(source, encoding="utf-8")
    store = ProgressStore(tmp_path / "data", "ada")
    app = AutogradTutorApp(lessons, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot, 0)
        assert app.screen.position == 0
        await answer_step(pilot, ["6"])
        await pilot.press("escape")  # back to the step, then to the lessons
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))
        assert "changed since you answered" not in screen_text(app)
    # A new sitting (the terminal was closed): the lesson opens at its first unanswered step.
    app = AutogradTutorApp(lessons, worker=tui_worker, store=ProgressStore(store.data_dir, "ada"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot, 0)
        assert app.screen.position == 1
    # The teacher edits the lesson: the picker says so, and the old answer stays on record.
    (lessons / "chain.yaml").write_text(source + "\n# edited\n", encoding="utf-8")
    store = ProgressStore(store.data_dir, "ada")
    app = AutogradTutorApp(lessons, worker=tui_worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        assert "changed since you answered" in screen_text(app)
    assert [a.typed for a in store.progress.attempts("tui-chain")] == ["6"]
