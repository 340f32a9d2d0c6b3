"""What exercise and experiment sessions share (``session/practice_step.py``): each refuses a
step of another kind, saves through one path (the attempt lands in the progress file with the
seconds spent), and a save that cannot be written comes back as a sentence, never raised."""

from __future__ import annotations

from pathlib import Path

import pytest
from practice_helpers import LOOP_LESSON, SOLUTION

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.progress import ProgressStore
from autograd_tutor.progress.exercise_records import practice_attempts
from autograd_tutor.progress.records import ExerciseAttemptRecord, ExperimentRunRecord
from autograd_tutor.session import LessonSession
from autograd_tutor.session.exercise import ExerciseSession
from autograd_tutor.session.experiment import ExperimentSession

EXPERIMENT_STEP = """\
  - title: Try the learning rate
    code: |
      w = torch.tensor(1.0, requires_grad=True)
      loss = w * lr
      loss.backward()
    experiment:
      knobs:
        lr: [0.01, 0.9]
      outcomes:
        - {name: big, when: "losses[-1] > 0.5"}
        - {name: small, when: "True"}
"""
# step 1: data, step 2: the loop exercise, step 3: an experiment
LESSON = LOOP_LESSON + EXPERIMENT_STEP


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def blocked_store(tmp_path: Path) -> tuple[ProgressStore, Path]:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    return ProgressStore(blocker, "ada"), blocker


def test_each_practice_session_refuses_a_step_of_another_kind(write_lesson, worker) -> None:
    session = LessonSession(load_lesson(write_lesson(LESSON)), worker)
    with pytest.raises(ValueError, match=r"step 1 of loop is not an exercise"):
        ExerciseSession(session, 0)
    with pytest.raises(ValueError, match=r"step 2 of loop is not an experiment"):
        ExperimentSession(session, 1)
    assert ExperimentSession(session, 2).outcome_names() == ["big", "small"]


def test_an_exercise_attempt_and_an_experiment_run_are_saved_with_their_seconds(
    write_lesson, worker, store
) -> None:
    clock = Clock()
    session = LessonSession(load_lesson(write_lesson(LESSON)), worker, store)
    exercise = ExerciseSession(session, 1, clock=clock)
    clock.now += 30
    assert exercise.run(SOLUTION).save_error is None
    experiment = ExperimentSession(session, 2, clock=clock)
    clock.now += 12
    first = experiment.run({"lr": 0.9}, "big")
    clock.now += 5  # the clock starts again after each run
    second = experiment.run({"lr": 0.01}, None)
    assert (first.outcome, first.save_error, second.outcome) == ("big", None, "small")

    (attempt,) = practice_attempts(store, "loop", 1)
    assert isinstance(attempt, ExerciseAttemptRecord) and attempt.passed_all
    assert attempt.seconds == 30 and attempt.code == SOLUTION
    runs = practice_attempts(store, "loop", 2)
    assert all(isinstance(r, ExperimentRunRecord) for r in runs)
    assert [(r.settings, r.predicted, r.outcome, r.seconds) for r in runs] == [
        ({"lr": 0.9}, "big", "big", 12),
        ({"lr": 0.01}, None, "small", 5),
    ]


def test_saves_that_cannot_be_written_come_back_as_sentences(
    write_lesson, worker, tmp_path
) -> None:
    store, blocker = blocked_store(tmp_path)
    session = LessonSession(load_lesson(write_lesson(LESSON)), worker, store)
    exercise = ExerciseSession(session, 1)
    error = exercise.save_code("w = 1\n")
    assert error is not None and error.startswith("Your code could not be saved: ")
    assert str(blocker) in error
    outcome = exercise.run(SOLUTION)
    assert outcome.passed  # the run is judged all the same
    assert outcome.save_error is not None
    assert outcome.save_error.startswith("Your code and this attempt could not be saved: ")
    run = ExperimentSession(session, 2).run({"lr": 0.9}, "big")
    assert run.outcome == "big"
    assert run.save_error is not None and run.save_error.startswith("This run could not be saved: ")
    assert str(blocker) in run.save_error
