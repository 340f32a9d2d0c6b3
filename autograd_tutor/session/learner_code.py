"""The one place learner code goes to the worker: an exercise attempt and an experiment run
(and ``check``'s runs of an exercise's starter and solution, which take the same path).

Each function gets the worker (from :meth:`LessonSession.run_learner_code`) and returns a
:class:`PracticeRun`. Both send the code to a throwaway process of its own
(``WorkerClient.run_learner``), where the earlier steps replay first; the lesson worker's
namespace is neither used nor changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, Lesson, Training
from autograd_tutor.lessons.practice import Check, Experiment
from autograd_tutor.session.kinds import replay_code
from autograd_tutor.worker import StepResult, WorkerLike

LossCallback = Callable[[list[float]], None]


@dataclass(frozen=True)
class PracticeRun:
    """What running learner code gave. ``ran`` is False when the learner's code never ran:
    the worker was unavailable, or the lesson's own code before it (the earlier steps replayed,
    the step's setup or knobs) failed (``replay_failed_at`` is then the step)."""

    result: StepResult
    replay_failed_at: int | None = None
    ran: bool = True


def probe_spec(checks: tuple[Check, ...], *, rule_names: bool = False) -> dict[str, Any]:
    """The ``probe`` of a worker run request for these checks (see worker/exercise_probe.py)."""
    return {
        "checks": [
            {"id": c.id, "builtin": c.builtin, "expr": c.expr, "says": c.says} for c in checks
        ],
        "record_backward": True,
        "rule_names": rule_names,
    }


def rule_checks(experiment: Experiment) -> tuple[Check, ...]:
    """The outcome rules as worker checks (ids are the outcome names)."""
    return tuple(
        Check(id=o.name, says=f"rule {o.name!r}", expr=o.when, line=o.line)
        for o in experiment.outcomes
    )


def knob_code(settings: Mapping[str, Any]) -> str:
    """The knobs as Python assignments, one a line."""
    return "".join(f"{name} = {value!r}\n" for name, value in settings.items())


PreludeBlock = tuple[str, int]  # trusted code, and the number its first line has in tracebacks


def prelude_for(lesson: Lesson, position: int) -> list[PreludeBlock]:
    """The trusted code a learner run at step ``position`` replays first, from the lesson
    model alone (``report --rerun`` builds it the same way): every earlier step as it replays
    (an exercise with its reference solution, an experiment with its knobs' defaults)."""
    blocks = [(replay_code(step), 1) for step in lesson.steps[:position]]
    return [(code, line) for code, line in blocks if code.strip()]


def exercise_prelude(lesson: Lesson, position: int) -> list[PreludeBlock]:
    """The earlier steps, then the exercise's own setup code."""
    step = lesson.steps[position]
    setup = [(step.code, 1)] if step.code.strip() else []
    return prelude_for(lesson, position) + setup


def run_exercise_code(
    worker: WorkerLike,
    step: ExerciseStep,
    code: str,
    *,
    lesson: Lesson,
    time_limit: float,
    on_loss: LossCallback | None = None,
) -> PracticeRun:
    """``code`` in a throwaway process (``WorkerClient.run_learner``): the earlier steps and
    the setup replay there, then the code runs with the exercise's checks; the ``expr``
    checks are evaluated outside that process. The lesson worker's namespace is untouched."""
    result = worker.run_learner(
        exercise_prelude(lesson, step.index),
        code,
        seed=lesson.seed,
        probe=probe_spec(step.exercise.checks),
        training=step.training,
        time_limit=time_limit,
        memory_limit=lesson.memory_limit,
        on_loss=on_loss,
    )
    return _practice_run(result, step.index)


def run_experiment_code(
    worker: WorkerLike,
    step: ExperimentStep,
    settings: Mapping[str, Any],
    *,
    lesson: Lesson,
    time_limit: float,
    on_loss: LossCallback | None = None,
) -> PracticeRun:
    """The experiment's code with the knobs set, in a throwaway process (the earlier steps
    replay there first), with its outcome rules as checks evaluated outside that process."""
    result = worker.run_learner(
        [*prelude_for(lesson, step.index), (knob_code(settings), 1)],
        step.code,
        seed=lesson.seed,
        probe=probe_spec(rule_checks(step.experiment), rule_names=True),
        training=step.training or Training(),
        time_limit=time_limit,
        memory_limit=lesson.memory_limit,
        on_loss=on_loss,
    )
    return _practice_run(result, step.index)


def _practice_run(result: StepResult, position: int) -> PracticeRun:
    """A run whose lesson code before the learner's failed did not run the learner's code."""
    if result.error is not None and result.error.type == "LessonCodeFailed":
        return PracticeRun(result, position, ran=False)
    return PracticeRun(result)
