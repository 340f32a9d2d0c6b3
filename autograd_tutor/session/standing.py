"""Where a learner stands on a lesson's exercises and experiments: the one definition of an
exercise passed is ``ExerciseAttemptRecord.passed_all`` (progress/records.py); a practice step
done is ``.done`` here; a lesson is
finished by :attr:`~autograd_tutor.session.summary.LessonSummary.finished`. No UI, no torch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, Lesson, Step, assert_never
from autograd_tutor.progress.exercise_records import lesson_practice
from autograd_tutor.progress.records import (
    ExerciseAttemptRecord,
    ExperimentRunRecord,
    PracticeAttempt,
)
from autograd_tutor.session.kinds import practice_step

if TYPE_CHECKING:
    from autograd_tutor.lessons.practice import Experiment
    from autograd_tutor.progress import ProgressStore


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
    """An experiment step in the lesson summary: runs made, predictions made and right, and
    (``try_all``) the knob settings not run yet."""

    step_index: int
    title: str
    runs: int
    predictions: int
    right: int
    untried: tuple[str, ...] = ()

    @property
    def done(self) -> bool:
        """Run at least once, and (``try_all``) with every knob value."""
        return self.runs > 0 and not self.untried


PracticeStanding = ExerciseStanding | ExperimentStanding


def exercise_standing(step: Step, attempts: Sequence[PracticeAttempt]) -> ExerciseStanding:
    """An exercise's standing from its attempts, oldest first: passed (by the learner's own
    code, ``ExerciseAttemptRecord.passed_all``), the solution shown before passing, or not
    yet."""
    status: ExerciseStatus = "not yet"
    runs = 0
    for attempt in attempts:
        if not isinstance(attempt, ExerciseAttemptRecord):
            continue
        if attempt.solution_shown:
            if status == "not yet":
                status = "solution shown"
            continue
        runs += 1
        if attempt.passed_all and status == "not yet":
            status = "passed"
    return ExerciseStanding(step.index, step.title, status, runs)


def experiment_standing(step: Step, attempts: Sequence[PracticeAttempt]) -> ExperimentStanding:
    """An experiment's runs, predictions (not skipped) and predictions right, and the
    settings it still asks to be run (``try_all``)."""
    runs = [a for a in attempts if isinstance(a, ExperimentRunRecord)]
    predicted = [a for a in runs if not a.skipped]
    right = sum(1 for a in predicted if a.right)
    untried: tuple[str, ...] = ()
    if isinstance(step, ExperimentStep):
        untried = tuple(untried_settings(step.experiment, tried_settings(runs)))
    return ExperimentStanding(step.index, step.title, len(runs), len(predicted), right, untried)


def tried_settings(runs: Iterable[ExperimentRunRecord]) -> set[tuple[str, str]]:
    """``(knob, repr(value))`` of every knob value the ``runs`` used."""
    return {(knob, repr(value)) for run in runs for knob, value in run.settings.items()}


def untried_settings(experiment: Experiment, tried: set[tuple[str, str]]) -> list[str]:
    """``knob=value`` of each knob value not in ``tried`` when the experiment asks to try every
    value before moving on (``try_all``); else []. The one rule: the experiment screen's
    "next" and the step list both ask it."""
    if not experiment.try_all:
        return []
    return [
        f"{knob.name}={value}"
        for knob in experiment.knobs
        for value in knob.samples()
        if (knob.name, repr(value)) not in tried
    ]


def practice_standings(store: ProgressStore | None, lesson: Lesson) -> tuple[PracticeStanding, ...]:
    """Every exercise and experiment step of ``lesson`` with the learner's standing on it
    (from the progress store; without one, as if nothing was tried)."""
    has_practice = any(practice_step(step) is not None for step in lesson.steps)
    tried = lesson_practice(store, lesson.id) if store is not None and has_practice else {}
    return practice_standings_from(lesson, tried)


def practice_standings_from(
    lesson: Lesson, tried: Mapping[int, Sequence[PracticeAttempt]]
) -> tuple[PracticeStanding, ...]:
    """Every exercise and experiment step of ``lesson`` with its standing from ``tried`` (step
    index -> its attempts, oldest first): the learner's store, or a results file (``watch``)."""
    out: list[PracticeStanding] = []
    steps = [p for p in map(practice_step, lesson.steps) if p is not None]
    for practice in steps:
        attempts = tried.get(practice.index, [])
        match practice:
            case ExerciseStep():
                out.append(exercise_standing(practice, attempts))
            case ExperimentStep():
                out.append(experiment_standing(practice, attempts))
            case _:
                assert_never(practice)
    return tuple(out)
