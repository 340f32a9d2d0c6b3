"""Exercises and experiments in the lesson summary and in ``list``: each exercise passed / not
yet / solution shown with its runs, each experiment's runs and predictions right."""

from __future__ import annotations

from pathlib import Path

from fake_worker import FakeWorker
from pilot_waits import wait_until
from practice_helpers import LOOP_LESSON
from textual.widgets import Static

from autograd_tutor.cli import main
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.progress import Attempt, ProgressStore
from autograd_tutor.progress.exercise_records import (
    ExerciseAttempt,
    ExperimentRun,
    FailedCheck,
    save_practice,
)
from autograd_tutor.progress.records import PracticeAttempt
from autograd_tutor.session import LessonSession
from autograd_tutor.session.standing import (
    ExerciseStanding,
    ExperimentStanding,
    exercise_standing,
    experiment_standing,
)

EXPERIMENT_STEP = """\
  - title: Try the learning rate
    code: |
      w = torch.tensor(0.0, requires_grad=True)
      losses = [float(lr)]
    experiment:
      knobs:
        lr: [0.01, 0.9]
      outcomes:
        - {name: diverges, when: "losses[-1] > 0.5"}
        - {name: slow, when: "True"}
"""
QUESTION_STEP = """\
  - code: |
      q = torch.tensor(3.0, requires_grad=True)
      (q ** 2).backward()
    ask:
      - expr: q.grad
        expect: 6
"""
# One question, the loop exercise (step 3) and an experiment (step 4).
MIXED_LESSON = (
    LOOP_LESSON.replace("id: loop", "id: mixed").replace("title: Loop", "title: Mixed")
    + EXPERIMENT_STEP
).replace("steps:\n", "steps:\n" + QUESTION_STEP, 1)

FAILED = ExerciseAttempt(1, "code", ("backward_called",), (FailedCheck("grads_zeroed", "x"),))
PASSED = ExerciseAttempt(1, "code", ("backward_called", "grads_zeroed"), ())
SOLUTION = ExerciseAttempt(1, "code", (), (), solution_shown=True)


def _json(*attempts: ExerciseAttempt | ExperimentRun) -> list[PracticeAttempt]:
    """The attempts as the progress file keeps them, read back as typed records."""
    return [a.record("hash", "test") for a in attempts]


def test_an_exercise_is_passed_not_yet_or_solution_shown_by_what_came_first(write_lesson):
    step = load_lesson(write_lesson(LOOP_LESSON)).steps[1]
    assert exercise_standing(step, []) == ExerciseStanding(1, "", "not yet", 0)
    assert exercise_standing(step, _json(FAILED, FAILED)).status == "not yet"
    assert exercise_standing(step, _json(FAILED, PASSED)) == ExerciseStanding(1, "", "passed", 2)
    shown_first = exercise_standing(step, _json(FAILED, SOLUTION, PASSED))
    assert shown_first == ExerciseStanding(1, "", "solution shown", 2)  # the view is not a run
    assert exercise_standing(step, _json(PASSED, SOLUTION)).status == "passed"


def test_an_experiment_counts_runs_and_predictions_right(write_lesson):
    step = load_lesson(write_lesson(MIXED_LESSON)).steps[3]
    runs = _json(
        ExperimentRun(3, {"lr": 0.9}, "diverges", "diverges"),
        ExperimentRun(3, {"lr": 0.01}, "diverges", "slow"),
        ExperimentRun(3, {"lr": 0.01}, None, "slow"),
    )
    assert experiment_standing(step, runs) == ExperimentStanding(
        3, "Try the learning rate", 3, 2, 1
    )
    assert experiment_standing(step, []) == ExperimentStanding(3, "Try the learning rate", 0, 0, 0)


def _mixed_progress(tmp_path: Path, lesson: Lesson) -> ProgressStore:
    """The question right, the exercise failed then its solution shown, two experiment runs."""
    store = ProgressStore(tmp_path / "data", "ada")
    question = lesson.questions[0]
    store.record(
        Attempt(lesson.id, lesson.content_hash, 0, question.id, question.expr, "6", "right",
                1.0, 0, 1.0, "2025-01-01T00:00:00+00:00", "test", truth="tensor(6.)")
    )  # fmt: skip
    for attempt in (FAILED, SOLUTION):
        save_practice(store, lesson.id, lesson.content_hash, 2, attempt=attempt)
    for run in (
        ExperimentRun(3, {"lr": 0.9}, "diverges", "diverges"),
        ExperimentRun(3, {"lr": 0.01}, "diverges", "slow"),
    ):
        save_practice(store, lesson.id, lesson.content_hash, 3, attempt=run)
    return store


def test_the_session_summary_holds_every_exercise_and_experiment(write_lesson, tmp_path):
    lesson = load_lesson(write_lesson(MIXED_LESSON))
    store = _mixed_progress(tmp_path, lesson)
    summary = LessonSession(lesson, FakeWorker(), store).summary()
    assert summary.practice == (
        ExerciseStanding(2, "", "solution shown", 1),
        ExperimentStanding(3, "Try the learning rate", 2, 2, 1),
    )
    assert summary.percent == 100 and summary.total == 1  # the questions' score is unchanged


async def test_the_summary_screen_shows_exercises_and_experiments(worker, write_lesson, tmp_path):
    from autograd_tutor.tui.app import AutogradTutorApp
    from autograd_tutor.tui.screens.picker import PickerScreen
    from autograd_tutor.tui.screens.summary import SummaryScreen

    path = write_lesson(MIXED_LESSON, "mixed.yaml")
    store = _mixed_progress(tmp_path, load_lesson(path))
    app = AutogradTutorApp(path.parent, worker=worker, store=store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        app.open_lesson("mixed")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        shown = [str(w.render()) for w in app.screen.query(".practice").results(Static)]
        assert shown == [
            "Step 3\nexercise       solution shown, 1 run",
            "Step 4 · Try the learning rate\nexperiment     2 runs, 1 of 2 predictions right",
        ]
        assert str(app.screen.query_one("#practice-title", Static).render()) == (
            "Exercises and experiments"
        )
        assert "Score 100%" in str(app.screen.query_one("#score", Static).render())
        for widget in app.screen.query(".practice"):  # on screen at 80x24 without scrolling
            assert 0 <= widget.region.y and widget.region.bottom <= 24 - 2


def test_list_counts_exercises_and_experiments_beside_questions(write_lesson, capsys):
    folder = write_lesson(MIXED_LESSON, "mixed.yaml").parent
    write_lesson(QUESTION_STEP.join(["id: plain\ntitle: Plain\nsteps:\n", ""]), "plain.yaml")
    assert main(["list", "--lessons", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    mixed = lines.index(next(line for line in lines if line.split()[:1] == ["mixed"]))
    assert "4 steps" in lines[mixed] and lines[mixed].rstrip().endswith("1 question")
    assert lines[mixed + 1].split() == ["and", "1", "exercise,", "1", "experiment"]
    plain = next(i for i, line in enumerate(lines) if line.split()[:1] == ["plain"])
    assert plain + 1 == len(lines) or lines[plain + 1].split()[:1] != ["and"]
