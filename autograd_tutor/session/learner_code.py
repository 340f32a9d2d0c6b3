"""The one place learner code goes to the worker: an exercise attempt and an experiment run
(and ``check``'s runs of an exercise's starter and solution, which take the same path).

Each function gets a worker whose namespace the lesson session has already brought to "every
earlier step ran" (:meth:`LessonSession.run_learner_code`) and returns a :class:`PracticeRun`.
Switching learner code to a throwaway process per run changes these two functions only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from autograd_tutor.lessons.model import ExerciseStep, ExperimentStep, Training
from autograd_tutor.lessons.practice import Check, Experiment
from autograd_tutor.worker import StepResult, WorkerLike

LossCallback = Callable[[list[float]], None]


@dataclass(frozen=True)
class PracticeRun:
    """What running learner code gave. ``ran`` is False when the learner's code never ran:
    the worker was unavailable, an earlier step failed on replay (``replay_failed_at``, its
    position), or the step's own setup code failed (``replay_failed_at`` is the step)."""

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


def run_exercise_code(
    worker: WorkerLike,
    step: ExerciseStep,
    code: str,
    *,
    time_limit: float,
    on_loss: LossCallback | None = None,
) -> PracticeRun:
    """The step's setup code, then ``code`` with the exercise's checks."""
    exercise = step.exercise
    if step.code.strip():
        setup = worker.run(step.code, [], time_limit=time_limit, first_line=1)
        if setup.error is not None:
            return PracticeRun(setup, step.index, ran=False)
    result = worker.run(
        code,
        [],
        training=step.training,
        time_limit=time_limit,
        on_loss=on_loss,
        probe=probe_spec(exercise.checks),
    )
    return PracticeRun(result)


def run_experiment_code(
    worker: WorkerLike,
    step: ExperimentStep,
    settings: Mapping[str, Any],
    *,
    time_limit: float,
    on_loss: LossCallback | None = None,
) -> PracticeRun:
    """Set the knobs, then run the experiment's code with its outcome rules."""
    experiment = step.experiment
    knobs = worker.run(knob_code(settings), [], time_limit=time_limit)
    if knobs.error is not None:
        return PracticeRun(knobs)
    result = worker.run(
        step.code,
        [],
        training=step.training or Training(),
        time_limit=time_limit,
        on_loss=on_loss,
        probe=probe_spec(rule_checks(experiment), rule_names=True),
    )
    return PracticeRun(result)
