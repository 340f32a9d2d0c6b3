"""Where a learner stands on a lesson's exercises and experiments: the one definition of an
exercise passed (:func:`attempt_passed`) and of a practice step done (``.done``); a lesson is
finished by :attr:`~autograd_tutor.session.summary.LessonSummary.finished`. No UI, no torch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, Lesson, Step, assert_never
from autograd_tutor.progress.exercise_records import practice_attempts
from autograd_tutor.session.kinds import practice_step

if TYPE_CHECKING:
    from autograd_tutor.progress import ProgressStore


def attempt_passed(attempt: Mapping[str, Any]) -> bool:
    """An exercise attempt that passed every check by the learner's own code: it ran without
    an error, no check failed, and it is not the record of the solution being shown."""
    return (
        attempt.get("kind") == "exercise"
        and not attempt.get("failed")
        and not attempt.get("error")
        and not attempt.get("solution_shown")
    )


def first_open_practice_step(store: ProgressStore | None, lesson: Lesson) -> int | None:
    """The index of the first exercise or experiment step not done yet, moved back over the
    explanation steps right before it (as for questions); None when all are done."""
    steps = list(lesson.steps)
    open_steps = {s.step_index for s in practice_standings(store, lesson) if not s.done}
    for pos, step in enumerate(steps):
        if step.index in open_steps:
            while pos > 0 and not steps[pos - 1].questions and not practice_step(steps[pos - 1]):
                pos -= 1
            return steps[pos].index
    return None


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
    """An exercise's standing from its attempts, oldest first: passed (by the learner's own
    code), the solution shown before passing, or not yet."""
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
        if attempt_passed(attempt) and status == "not yet":
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
        practice = practice_step(step)
        if practice is None:
            continue
        attempts = practice_attempts(store, lesson.id, step.index) if store is not None else []
        match practice:
            case ExerciseStep():
                out.append(exercise_standing(practice, attempts))
            case ExperimentStep():
                out.append(experiment_standing(practice, attempts))
            case _:
                assert_never(practice)
    return tuple(out)
