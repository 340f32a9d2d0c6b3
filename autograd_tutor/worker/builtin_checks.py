"""The built-in exercise checks' verdicts: the one place that decides them.

A learner's run process only *observes* (``exercise_probe.Probe``) and sends the facts back
(``learner_report.py`` checks their shape); the lesson worker, where learner code never ran,
decides every verdict here with :func:`decide`, from :class:`Facts`. The facts are:

- ``backward_calls``: how many times the code called ``backward()``;
- ``losses``: the value of each scalar ``backward()`` was called on, in order;
- ``accumulated``: the first gradient accumulation seen, ``(parameter, call)``: before
  ``backward()`` call ``call`` (the second or later), ``parameter.grad`` was still non-zero;
- ``leaves``: each name that held a leaf parameter, and the ``grad_fn`` kind of the tensor
  it holds after the code (``None``: still a leaf, or not a tensor).

A check whose rule passes on the facts passes; the facts are as true as the process that
observed them (see docs/lesson-format.md, "What a learner can and cannot forge").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd_tutor.worker.protocol import CheckResult, StepError

INPLACE_LEAF = "a leaf Variable that requires grad is being used in an in-place operation"
NO_GRAD = "`with torch.no_grad():`"
BUILTINS = ("backward_called", "grads_zeroed", "update_not_recorded", "loss_decreased")


@dataclass(frozen=True)
class Facts:
    """What a run of learner code was seen to do (see the module docstring)."""

    backward_calls: int = 0
    losses: list[float] = field(default_factory=list)
    accumulated: tuple[str, int] | None = None
    leaves: dict[str, str | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The plain data a run process sends (non-finite losses as ``{"float": "nan"}``)."""
        return {
            "backward_calls": self.backward_calls,
            "losses": [v if math.isfinite(v) else {"float": repr(v)} for v in self.losses],
            "accumulated": (
                {"param": self.accumulated[0], "call": self.accumulated[1]}
                if self.accumulated is not None
                else None
            ),
            "leaves": dict(self.leaves),
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Facts:
        """From facts whose shape ``learner_report.check_facts`` accepted (floats read)."""
        accumulated = obj["accumulated"]
        return cls(
            backward_calls=int(obj["backward_calls"]),
            losses=[float(v) for v in obj["losses"]],
            accumulated=(
                (str(accumulated["param"]), int(accumulated["call"]))
                if accumulated is not None
                else None
            ),
            leaves={str(k): v for k, v in obj["leaves"].items()},
        )


def decide(
    specs: Sequence[Mapping[str, Any]], facts: Facts, error: StepError | None
) -> list[CheckResult]:
    """The result of each built-in check of ``specs`` (``{"id", "builtin", "says"}``), in
    order, for a run with these facts that ended with ``error`` (or none)."""
    return [decide_one(spec, facts, error) for spec in specs if spec.get("builtin")]


def decide_one(spec: Mapping[str, Any], facts: Facts, error: StepError | None) -> CheckResult:
    check_id = str(spec.get("id", ""))
    says = str(spec.get("says", ""))
    builtin = str(spec.get("builtin") or "")
    passed, detail = verdict(builtin, facts, error)
    if error is not None and (passed is not False or builtin == "loss_decreased"):
        # the code stopped part-way: only a definite fault found so far is reported
        return CheckResult(check_id, None, f"not checked: the code stopped ({error.type})")
    if passed is None:
        return CheckResult(check_id, None, f"{says}? {detail}")
    return CheckResult(check_id, passed, "" if passed else f"{says}: {detail}")


def verdict(name: str, facts: Facts, error: StepError | None) -> tuple[bool | None, str]:
    """``(passed, why not)`` of built-in check ``name``; ``passed`` None: cannot tell."""
    if name == "backward_called":
        if facts.backward_calls > 0:
            return True, ""
        if error is not None and "NoneType" in error.message:
            return False, (
                "a .grad was still None when the code used it (line "
                f"{error.line}); call loss.backward() before the update"
            )
        return (None if error else False), "call loss.backward() after computing the loss"
    if name == "grads_zeroed":
        if facts.accumulated is not None:
            param, call = facts.accumulated
            return False, (
                f"before backward() call {call}, {param}.grad still held the previous "
                f"gradient, so the new one was added to it; zero it each iteration "
                f"({param}.grad.zero_() or optimizer.zero_grad())"
            )
        if facts.backward_calls < 2:
            return None, f"cannot tell: backward() ran {facts.backward_calls} time(s), not a loop"
        return True, ""
    if name == "update_not_recorded":
        if error is not None and INPLACE_LEAF in error.message:
            where = f" (line {error.line}); put the update inside it" if error.line else ""
            return False, f"an in-place update of a parameter outside {NO_GRAD}{where}"
        for param in sorted(facts.leaves):
            grad_fn = facts.leaves[param]
            if grad_fn is not None:
                return False, (
                    f"{param} is no longer a leaf tensor ({param}.grad_fn is {grad_fn}); "
                    "update it in place inside `with torch.no_grad():`"
                )
        return True, ""
    if name == "loss_decreased":
        losses = facts.losses
        if len(losses) < 2:
            return False, f"{len(losses)} loss value(s) reached backward(), not a series"
        if not all(math.isfinite(v) for v in losses):
            return False, "the loss became NaN or infinite (is the update's sign right?)"
        first, last = losses[0], losses[-1]
        if last < first:
            return True, ""
        return False, f"it went from {first:.4g} to {last:.4g} (is the update's sign right?)"
    return False, f"unknown built-in check {name!r}"
