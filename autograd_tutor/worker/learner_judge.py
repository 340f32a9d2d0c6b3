"""Judging a learner run in the lesson worker, where learner code never ran: the
:class:`Delivery` of a run (what ``contained.py`` read from it) as a
:class:`StepResult`. The built-in checks are decided on the facts the run sent back
(``builtin_checks.py``); the ``expr`` checks and ``training`` expressions are evaluated on the
values it sent back (``learner_channel.rebuild``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from autograd_tutor.worker import builtin_checks, learner_channel
from autograd_tutor.worker.exercise_probe import expr_check
from autograd_tutor.worker.learner_channel import BROKEN, Frames
from autograd_tutor.worker.protocol import CheckResult, StepError, StepResult, TrainingData


@dataclass
class Delivery:
    """What one run brought back: its frames, or why it broke; what it printed; the exit."""

    frames: Frames | None
    broken: str | None
    timed_out: str | None
    stdout: str
    exitcode: int | None
    seconds: float
    losses: list[float] = field(default_factory=list)


def judge(request: dict[str, Any], delivery: Delivery, torch: Any) -> StepResult:
    """The run's :class:`StepResult`: the built-in checks decided here on the facts the run
    sent back, the ``expr`` checks and the ``training`` expressions evaluated here on its
    values (never in its process)."""
    if delivery.timed_out is not None:
        return StepResult.failure(
            "Timeout", delivery.timed_out, stdout=delivery.stdout, seconds=delivery.seconds
        )
    frames = delivery.frames
    if frames is None or frames.report is None:
        reason = delivery.broken or "no result came back"
        if delivery.exitcode not in (None, 0):
            from autograd_tutor.worker.process_handle import describe_exit

            reason += f"; its process ended ({describe_exit(delivery.exitcode)})"
        return StepResult.failure(
            "ConnectionBroken",
            f"{BROKEN}: {reason}",
            stdout=delivery.stdout,
            seconds=delivery.seconds,
        )
    report = frames.report
    error = StepError.from_json(report["error"]) if report["error"] is not None else None
    if report["prelude_failed"] is not None and error is not None:
        error = StepError(
            "LessonCodeFailed",
            f"the lesson's own code (block {report['prelude_failed'] + 1} before yours) "
            f"raised {error.type}: {error.message}",
            error.traceback,
            error.line,
        )
        return StepResult([], delivery.stdout, error, None, 0, {}, delivery.seconds)
    probe = dict(request.get("probe") or {})
    specs = list(probe.get("checks") or [])
    facts = builtin_checks.Facts.from_json(report["facts"])
    builtins = iter(builtin_checks.decide(specs, facts, error))
    namespace = {"torch": torch, **learner_channel.rebuild_names(report["names"], torch)}
    extra: dict[str, Any] = {}
    if probe.get("rule_names"):
        extra = {"losses": list(facts.losses), "math": math}
    checks: list[CheckResult] = [
        next(builtins) if spec.get("builtin") else expr_check(spec, error, dict(namespace), extra)
        for spec in specs
    ]
    training = None
    spec = request.get("training")
    if spec and error is None:
        training, error = _training(spec, namespace, delivery.losses)
    return StepResult(
        values=[],
        stdout=delivery.stdout,
        error=error,
        training=training,
        backward_calls=facts.backward_calls,
        forward_values={},
        seconds=delivery.seconds,
        checks=checks,
    )


def _training(
    spec: dict[str, Any], namespace: dict[str, Any], losses: list[float]
) -> tuple[TrainingData | None, StepError | None]:
    """The step's ``training`` expressions on the values the run sent back."""
    field_name = "loss"

    def evaluate(expr: str) -> Any:
        return eval(compile(expr, "<training>", "eval"), dict(namespace))  # noqa: S307  author's

    try:
        loss_expr = str(spec.get("loss") or "")
        loss = _floats(evaluate(loss_expr)) if loss_expr else list(losses)
        if not loss and losses:
            loss = list(losses)
        columns: dict[str, list[float] | None] = {}
        for field_name in ("x", "y"):
            expr = str(spec.get(field_name) or "")
            columns[field_name] = _floats(evaluate(expr)) if expr else None
        lines: list[tuple[str, float, float]] = []
        for line in spec.get("lines") or []:
            field_name = f"lines[{line.get('label', '')}]"
            slope = _float(evaluate(str(line["slope"])))
            intercept = _float(evaluate(str(line["intercept"])))
            lines.append((str(line.get("label", "")), slope, intercept))
    except Exception as exc:
        message = f"training {field_name}: {type(exc).__name__}: {exc}"
        return None, StepError(type(exc).__name__, message, "", None)
    data = TrainingData(
        loss=loss,
        log_scale=bool(spec.get("log_scale", False)),
        x=columns["x"],
        y=columns["y"],
        lines=lines,
    )
    return data, None


def _floats(obj: Any) -> list[float]:
    from autograd_tutor.worker import convert

    return list(convert.float_list(obj))


def _float(obj: Any) -> float:
    from autograd_tutor.worker import convert

    return float(convert.as_float(obj))
