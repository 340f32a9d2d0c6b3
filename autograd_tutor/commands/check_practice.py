"""``check`` for exercise and experiment steps.

An exercise's reference solution must pass every check, and its starter code must fail at
least one (a TODO that already passes is an authoring error). An experiment's code must run on
every knob setting (each choice; both ends of a range; every combination, up to a limit), and
on each some outcome rule must hold without raising. Each run starts from a fresh namespace
with the earlier steps replayed, so the runs cannot influence one another.
"""

from __future__ import annotations

import ast
from typing import Any

from autograd_tutor.exercise_session import probe_spec
from autograd_tutor.experiment_session import all_settings, outcome_of, run_experiment
from autograd_tutor.lessons.model import Lesson, Step
from autograd_tutor.lessons.practice import knob_label
from autograd_tutor.worker import StepResult


def _replay(worker: Any, lesson: Lesson, upto: int) -> StepResult | None:
    """A fresh namespace with steps ``0..upto-1`` run; the failing result, else None."""
    worker.reset(lesson.seed)
    for step in lesson.steps[:upto]:
        result = worker.run(step.replay_code, [], time_limit=lesson.time_limit)
        if result.error is not None:
            return result
    return None


def _combinations(experiment: Any) -> int:
    count = 1
    for knob in experiment.knobs:
        count *= len(knob.samples())
    return count


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
            if check.expr:  # the expression and what it read, not only the learner's words
                detail = (
                    f"{check.expr} is false ({_values_read(worker, check.expr)}); says: {detail}"
                )
            problems.append(
                f"{lesson.path}:{check.line}: {check.id}: fails on the reference solution: {detail}"
            )
    return problems


def _values_read(worker: Any, expr: str) -> str:
    """``w.item() = 2.71, b.item() = 0.93``: the names and ``.item()`` reads of a check's
    expression, evaluated in the namespace the reference solution left."""
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        return "its values could not be read"
    parts: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "item" and not node.args:
                parts.append(ast.unparse(node))
        elif isinstance(node, ast.Name) and node.id not in _NOT_READ:
            parts.append(node.id)
    wanted = list(
        dict.fromkeys(p for p in parts if not any(p != q and q.startswith(p + ".") for q in parts))
    )
    if not wanted:
        return "it reads no variable"
    result = worker.run("", wanted, time_limit=5.0)
    shown = []
    for name, answered in zip(wanted, result.values, strict=False):
        value = answered.value.display() if answered.value is not None else answered.error
        shown.append(f"{name} = {value}")
    return ", ".join(shown) if shown else "its values could not be read"


_NOT_READ = frozenset({"math", "torch", "abs", "len", "min", "max", "sum", "all", "any", "round"})


def check_experiment(
    worker: Any, lesson: Lesson, step: Step, notes: list[str] | None = None
) -> list[str]:
    """Problems with an experiment step, each knob setting tried (empty when none); ``notes``
    gets the outcome each setting gives (``lr=0.5: diverges``). An outcome that no setting
    reaches is a problem: a learner could never be right predicting it."""
    experiment = step.experiment
    assert experiment is not None
    problems: list[str] = []
    reached: set[str] = set()
    complete = True
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
            complete = False
            problems.append(
                f"{lesson.path}:{step.line}: step {step.index + 1} with {label}: the code raised "
                f"{_failure(result)}"
            )
            continue
        outcome, errors = outcome_of(experiment, result)
        if outcome is not None:
            reached.add(outcome)
        if notes is not None:
            notes.append(f"step {step.index + 1} with {label}: {outcome or 'no outcome'}")
        for error in errors:
            problems.append(
                f"{lesson.path}:{step.line}: step {step.index + 1} with {label}: {error}"
            )
        if outcome is None and not errors:
            problems.append(
                f"{lesson.path}:{step.line}: step {step.index + 1} with {label}: no outcome rule "
                "holds (add a last outcome whose rule is True)"
            )
    by_name = {o.name: o for o in experiment.outcomes}
    unreached = [name for name in by_name if name not in reached]
    if complete and len(all_settings(experiment)) == _combinations(experiment):
        for name in unreached:
            problems.append(
                f"{lesson.path}:{by_name[name].line}: step {step.index + 1}: no knob setting "
                f"gives the outcome {name!r} (an earlier rule always holds first, or its own never "
                "holds): a learner predicting it is never right"
            )
    # leave the namespace as a replay would: the defaults
    failed = _replay(worker, lesson, step.index + 1)
    if failed is not None:
        problems.append(
            f"{lesson.path}:{step.line}: step {step.index + 1} with the defaults: "
            f"{_failure(failed)}"
        )
    return problems
