"""Where a learner stands on a lesson's exercises and experiments (no UI, no torch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from autograd_tutor.progress.exercise_records import practice_attempts

if TYPE_CHECKING:
    from autograd_tutor.lessons.model import Lesson, Step
    from autograd_tutor.progress import ProgressStore


def step_done(store: Any, lesson: Any, step: Any) -> bool:
    """An exercise passed (or its solution shown), an experiment run at least once."""
    attempts = practice_attempts(store, lesson.id, step.index)
    if step.exercise is not None:
        return any(
            a.get("kind") == "exercise"
            and (a.get("solution_shown") or (not a.get("failed") and not a.get("error")))
            for a in attempts
        )
    return any(a.get("kind") == "experiment" for a in attempts)


def is_practice(step: Any) -> bool:
    return step.exercise is not None or step.experiment is not None


def first_open_practice_step(store: Any, lesson: Any) -> int | None:
    """The index of the first exercise or experiment step not done yet, moved back over the
    explanation steps right before it (as for questions); None when all are done."""
    steps = list(lesson.steps)
    for pos, step in enumerate(steps):
        if is_practice(step) and not step_done(store, lesson, step):
            while pos > 0 and not steps[pos - 1].questions and not is_practice(steps[pos - 1]):
                pos -= 1
            return steps[pos].index
    return None


def lesson_finished(store: Any, lesson: Any) -> bool:
    """Every question answered, every exercise passed (or its solution shown), every
    experiment run at least once."""
    return (
        store.progress.first_unanswered_step(lesson) is None
        and first_open_practice_step(store, lesson) is None
    )


ExerciseStatus = Literal["passed", "not yet", "solution shown"]


@dataclass(frozen=True)
class ExerciseStanding:
    """An exercise step in the lesson summary: passed (the checks, without the solution
    shown first), the solution shown before passing, or not yet; and how many runs."""

    step_index: int
    title: str
    status: ExerciseStatus
    runs: int

    @property
    def done(self) -> bool:
        """Passed, or its solution shown: the lesson can be finished without it."""
        return self.status != "not yet"


@dataclass(frozen=True)
class ExperimentStanding:
    """An experiment step in the lesson summary: runs made, predictions made and right."""

    step_index: int
    title: str
    runs: int
    predictions: int
    right: int

    @property
    def done(self) -> bool:
        """Run at least once."""
        return self.runs > 0


PracticeStanding = ExerciseStanding | ExperimentStanding


def exercise_standing(step: Step, attempts: Sequence[Mapping[str, Any]]) -> ExerciseStanding:
    """An exercise's standing from its attempts, oldest first."""
    status: ExerciseStatus = "not yet"
    runs = 0
    for attempt in attempts:
        if attempt.get("kind") != "exercise":
            continue
        if attempt.get("solution_shown"):
            if status == "not yet":
                status = "solution shown"
            continue
        runs += 1
        if not attempt.get("failed") and not attempt.get("error") and status == "not yet":
            status = "passed"
    return ExerciseStanding(step.index, step.title, status, runs)


def experiment_standing(step: Step, attempts: Sequence[Mapping[str, Any]]) -> ExperimentStanding:
    """An experiment's runs, predictions (not skipped) and predictions right."""
    runs = [a for a in attempts if a.get("kind") == "experiment"]
    predicted = [a for a in runs if a.get("predicted") is not None]
    right = sum(1 for a in predicted if a.get("predicted") == a.get("outcome"))
    return ExperimentStanding(step.index, step.title, len(runs), len(predicted), right)


def practice_standings(store: ProgressStore | None, lesson: Lesson) -> tuple[PracticeStanding, ...]:
    """Every exercise and experiment step of ``lesson`` with the learner's standing on it
    (from the progress store; without one, as if nothing was tried)."""
    out: list[PracticeStanding] = []
    for step in lesson.steps:
        if not is_practice(step):
            continue
        attempts = practice_attempts(store, lesson.id, step.index) if store is not None else []
        if step.exercise is not None:
            out.append(exercise_standing(step, attempts))
        else:
            out.append(experiment_standing(step, attempts))
    return tuple(out)
