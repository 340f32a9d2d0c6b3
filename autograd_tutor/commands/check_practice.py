"""``check`` for exercise and experiment steps.

An exercise's reference solution must pass every check, and its starter code must fail at
least one (a TODO that already passes is an authoring error). An experiment's code must run on
every knob setting (each choice; both ends of a range; every combination, up to a limit), and
on each some outcome rule must hold without raising. Each run starts from a fresh namespace
with the earlier steps replayed, so the runs cannot influence one another: the replay and the
runs go through the same :class:`~autograd_tutor.session.lesson.LessonSession` and
``session/learner_code.py`` functions as a learner's.
"""

from __future__ import annotations

from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, assert_never
from autograd_tutor.lessons.practice import knob_label
from autograd_tutor.session.experiment import all_settings, outcome_of
from autograd_tutor.session.learner_code import (
    PracticeRun,
    run_exercise_code,
    run_experiment_code,
)
from autograd_tutor.session.lesson import LessonSession
from autograd_tutor.worker import StepResult, WorkerLike


def _failure(result: StepResult) -> str:
    assert result.error is not None
    where = f" (line {result.error.line})" if result.error.line else ""
    return f"{result.error.type}{where}: {result.error.message}"


def _exercise_run(session: LessonSession, step: ExerciseStep, code: str) -> StepResult:
    """``code`` as the learner's attempt (the steps before replay in its own process)."""
    run = session.run_learner_code(
        step.index,
        lambda worker: run_exercise_code(
            worker, step, code, lesson=session.lesson, time_limit=session.lesson.time_limit
        ),
    )
    return run.result


def check_practice(session: LessonSession, step: ExerciseStep | ExperimentStep) -> list[str]:
    """Problems with an exercise or experiment step (empty when none)."""
    match step:
        case ExerciseStep():
            return check_exercise(session, step)
        case ExperimentStep():
            return check_experiment(session, step)
        case _:
            assert_never(step)


def check_exercise(session: LessonSession, step: ExerciseStep) -> list[str]:
    """Problems with an exercise step (empty when none)."""
    lesson = session.lesson
    exercise = step.exercise
    problems: list[str] = []
    starter = _exercise_run(session, step, exercise.starter)
    if starter.error is None and all(c.passed for c in starter.checks):
        problems.append(
            f"{lesson.path}:{exercise.starter_line}: step {step.index + 1}: the starter code "
            "already passes every check (a TODO must fail at least one)"
        )
    solution = _exercise_run(session, step, exercise.solution)
    if solution.error is not None:
        line = (
            exercise.solution_line + solution.error.line - 1
            if solution.error.line and exercise.solution_line
            else step.line
        )
        problems.append(
            f"{lesson.path}:{line}: step {step.index + 1}: the reference solution raised "
            f"{_failure(solution)}"
        )
        return problems
    by_id = {c.id: c for c in solution.checks}
    for check in exercise.checks:
        found = by_id.get(check.id)
        if found is None or not found.passed:
            detail = found.message if found is not None else "not run"
            problems.append(
                f"{lesson.path}:{check.line}: {check.id}: fails on the reference solution: {detail}"
            )
    return problems


def check_experiment(session: LessonSession, step: ExperimentStep) -> list[str]:
    """Problems with an experiment step, each knob setting tried (empty when none)."""
    lesson = session.lesson
    experiment = step.experiment
    problems: list[str] = []
    for settings in all_settings(experiment):
        label = knob_label(settings)

        def run(worker: WorkerLike, settings: dict[str, object] = settings) -> PracticeRun:
            return run_experiment_code(
                worker, step, settings, lesson=lesson, time_limit=lesson.time_limit
            )

        tried = session.run_learner_code(step.index, run)
        if tried.replay_failed_at is not None:
            return [
                f"{lesson.path}:{step.line}: replaying before step {step.index + 1}: "
                f"{_failure(tried.result)}"
            ]
        result = tried.result
        if result.error is not None:
            problems.append(
                f"{lesson.path}:{step.line}: step {step.index + 1} with {label}: the code raised "
                f"{_failure(result)}"
            )
            continue
        outcome, errors = outcome_of(experiment, result)
        for error in errors:
            problems.append(
                f"{lesson.path}:{step.line}: step {step.index + 1} with {label}: {error}"
            )
        if outcome is None and not errors:
            problems.append(
                f"{lesson.path}:{step.line}: step {step.index + 1} with {label}: no outcome rule "
                "holds (add a last outcome whose rule is True)"
            )
    return problems
