"""``check`` for exercise and experiment steps.

An exercise's reference solution must pass every check, and its starter code must fail at
least one (a TODO that already passes is an authoring error). An experiment's code must run on
every knob setting (each choice; both ends of a range; every combination, up to a limit), and
on each some outcome rule must hold without raising. Each run starts from a fresh namespace
with the earlier steps replayed, so the runs cannot influence one another.
"""

from __future__ import annotations

from typing import Any

from autograd_tutor.exercise_session import probe_spec
from autograd_tutor.experiment_session import all_settings, outcome_of, run_experiment
from autograd_tutor.lessons.model import Lesson, Step
from autograd_tutor.lessons.practice import knob_label
from autograd_tutor.lessons.variants import reset_namespace
from autograd_tutor.worker import StepResult


def _replay(worker: Any, lesson: Lesson, upto: int) -> StepResult | None:
    """A fresh namespace with steps ``0..upto-1`` run; the failing result, else None."""
    failed = reset_namespace(worker, lesson)
    if failed is not None:
        return failed
    for step in lesson.steps[:upto]:
        result = worker.run(step.replay_code, [], time_limit=lesson.time_limit)
        if result.error is not None:
            return result
    return None


def _failure(result: StepResult) -> str:
    assert result.error is not None
    where = f" (line {result.error.line})" if result.error.line else ""
    return f"{result.error.type}{where}: {result.error.message}"


def _exercise_run(worker: Any, lesson: Lesson, step: Step, code: str) -> StepResult:
    failed = _replay(worker, lesson, step.index)
    if failed is not None:
        return failed
    if step.code.strip():
        setup = worker.run(step.code, [], time_limit=lesson.time_limit)
        if setup.error is not None:
            return setup
    assert step.exercise is not None
    return worker.run(
        code,
        [],
        training=step.training,
        time_limit=lesson.time_limit,
        probe=probe_spec(step.exercise.checks),
    )


def check_exercise(worker: Any, lesson: Lesson, step: Step) -> list[str]:
    """Problems with an exercise step (empty when none); the namespace ends after the solution."""
    exercise = step.exercise
    assert exercise is not None
    problems: list[str] = []
    starter = _exercise_run(worker, lesson, step, exercise.starter)
    if starter.error is None and all(c.passed for c in starter.checks):
        problems.append(
            f"{lesson.path}:{exercise.starter_line}: step {step.index + 1}: the starter code "
            "already passes every check (a TODO must fail at least one)"
        )
    solution = _exercise_run(worker, lesson, step, exercise.solution)
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


def check_experiment(worker: Any, lesson: Lesson, step: Step) -> list[str]:
    """Problems with an experiment step, each knob setting tried (empty when none)."""
    experiment = step.experiment
    assert experiment is not None
    problems: list[str] = []
    for settings in all_settings(experiment):
        label = knob_label(settings)
        failed = _replay(worker, lesson, step.index)
        if failed is not None:
            return [
                f"{lesson.path}:{step.line}: replaying before step {step.index + 1}: "
                f"{_failure(failed)}"
            ]
        result = run_experiment(worker, step, settings, time_limit=lesson.time_limit)
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
    # leave the namespace as a replay would: the defaults
    failed = _replay(worker, lesson, step.index + 1)
    if failed is not None:
        problems.append(
            f"{lesson.path}:{step.line}: step {step.index + 1} with the defaults: "
            f"{_failure(failed)}"
        )
    return problems
