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

import ast

from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, assert_never
from autograd_tutor.lessons.practice import Experiment, knob_label
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


def _combinations(experiment: Experiment) -> int:
    count = 1
    for knob in experiment.knobs:
        count *= len(knob.samples())
    return count


def check_practice(
    session: LessonSession,
    step: ExerciseStep | ExperimentStep,
    notes: list[str] | None = None,
) -> list[str]:
    """Problems with an exercise or experiment step (empty when none); ``notes`` gets what
    each experiment setting gave."""
    match step:
        case ExerciseStep():
            return check_exercise(session, step)
        case ExperimentStep():
            return check_experiment(session, step, notes)
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
            if check.expr:  # the expression and what it read, not only the learner's words
                read = _values_read(session, step, check.expr)
                detail = f"{check.expr} is false ({read}); says: {detail}"
            problems.append(
                f"{lesson.path}:{check.line}: {check.id}: fails on the reference solution: {detail}"
            )
    return problems


_NOT_READ = frozenset({"math", "torch", "abs", "len", "min", "max", "sum", "all", "any", "round"})


def _read_names(expr: str) -> list[str] | None:
    """The names and ``.item()`` reads of an expression (``w.item()``, ``b``), None when it
    does not parse."""
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        return None
    parts: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "item" and not node.args:
                parts.append(ast.unparse(node))
        elif isinstance(node, ast.Name) and node.id not in _NOT_READ:
            parts.append(node.id)
    return list(
        dict.fromkeys(p for p in parts if not any(p != q and q.startswith(p + ".") for q in parts))
    )


def _values_read(session: LessonSession, step: ExerciseStep, expr: str) -> str:
    """``w.item() = 2.71, b = 0.93``: what a check's expression reads, in the namespace the
    reference solution leaves (the lesson's own code, run as a later step replays it)."""
    wanted = _read_names(expr)
    if wanted is None:
        return "its values could not be read"
    if not wanted:
        return "it reads no variable"
    # the steps before replay and the setup runs in the lesson worker (run_step), then the
    # reference solution: the namespace a later step replays this one into
    ran = session.run_step(step.index, [])
    if ran.replay_failed_at is not None or ran.result.error is not None:
        return "its values could not be read"
    result = session.worker.run(
        step.exercise.solution, wanted, training=step.training, time_limit=session.lesson.time_limit
    )
    shown = []
    for name, answered in zip(wanted, result.values, strict=False):
        value = answered.value.display() if answered.value is not None else answered.error
        shown.append(f"{name} = {value}")
    return ", ".join(shown) if shown else "its values could not be read"


def check_experiment(
    session: LessonSession, step: ExperimentStep, notes: list[str] | None = None
) -> list[str]:
    """Problems with an experiment step, each knob setting tried (empty when none); ``notes``
    gets the outcome each setting gives (``step 3 with lr=0.5: diverges``). An outcome that no
    setting reaches is a problem: a learner predicting it could never be right."""
    lesson = session.lesson
    experiment = step.experiment
    problems: list[str] = []
    reached: set[str] = set()
    complete = True
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
    if complete and len(all_settings(experiment)) == _combinations(experiment):
        for found in experiment.outcomes:
            if found.name not in reached:
                problems.append(
                    f"{lesson.path}:{found.line}: step {step.index + 1}: no knob setting gives "
                    f"the outcome {found.name!r} (an earlier rule always holds first, or its own "
                    "never holds): a learner predicting it is never right"
                )
    return problems
