"""Watching a learner's code while it runs: the facts the built-in checks are decided on.

The worker builds a :class:`Probe` for a run request that carries ``"probe"``::

    {"checks": [{"id": "grads_zeroed", "builtin": "grads_zeroed", "says": "..."},
                {"id": "check 1", "expr": "abs(w.item() - 2) < 0.1", "says": "..."}],
     "record_backward": true,     # every scalar backward() is also record_loss()-ed
     "rule_names": false}         # expressions also see `losses` and `math` (experiments)

Before every ``backward()`` (the worker's counting wrapper calls :meth:`Probe.before_backward`)
the probe looks at the leaf tensors that require grad (namespace names, and the parameters of
modules in the namespace) and notes the first one whose ``.grad`` is still non-zero before the
second or a later ``backward()``. It also keeps the value of each scalar that ``backward()``
was called on: that is the loss series. After the code, :meth:`Probe.facts` adds what each name
that held a leaf parameter holds now. The probe only observes: every built-in verdict is
decided from these facts by ``builtin_checks.py`` (in the lesson worker for a contained run,
where learner code never ran). Expressions are evaluated in the lesson namespace (a trusted
run) or by the lesson worker on the values sent back (a contained run).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from autograd_tutor.worker import builtin_checks
from autograd_tutor.worker.builtin_checks import Facts
from autograd_tutor.worker.protocol import CheckResult, StepError

MAX_FACT_LOSSES = 100_000
MAX_FACT_LEAVES = 1_000


class Probe:
    def __init__(
        self,
        torch: Any,
        namespace: dict[str, Any],
        record_loss: Callable[[Any], None],
        spec: dict[str, Any],
    ) -> None:
        self.torch = torch
        self.namespace = namespace
        self.record_loss = record_loss
        self.checks: list[dict[str, Any]] = list(spec.get("checks") or [])
        self.record_backward = bool(spec.get("record_backward"))
        self.rule_names = bool(spec.get("rule_names"))
        self.backward_count = 0
        self.accumulated: tuple[str, int] | None = None  # (name, backward call number)
        self.losses: list[float] = []
        self.leaf_names: set[str] = {name for name, _ in self._top_level_params()}

    # -- while the code runs -------------------------------------------------------------------
    def _top_level_params(self) -> list[tuple[str, Any]]:
        torch = self.torch
        return [
            (name, obj)
            for name, obj in list(self.namespace.items())
            if isinstance(obj, torch.Tensor) and obj.requires_grad and obj.is_leaf
        ]

    def _params(self) -> list[tuple[str, Any]]:
        out = self._top_level_params()
        module_type = self.torch.nn.Module
        for name, obj in list(self.namespace.items()):
            if isinstance(obj, module_type):
                out.extend((f"{name}.{p}", t) for p, t in obj.named_parameters())
        return out

    def before_backward(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        torch = self.torch
        self.backward_count += 1
        params = self._params()
        self.leaf_names.update(name for name, _ in params if "." not in name)
        with torch.no_grad():
            if self.backward_count > 1 and self.accumulated is None:
                for name, tensor in params:
                    grad = tensor.grad
                    if grad is not None and bool((grad != 0).any()):
                        self.accumulated = (name, self.backward_count)
                        break
            target = args[0] if args else kwargs.get("tensors")
            if isinstance(target, torch.Tensor) and target.numel() == 1:
                value = float(target.detach().reshape(()).cpu())
                self.losses.append(value)
                if self.record_backward:
                    self.record_loss(value)

    # -- after the code ------------------------------------------------------------------------
    def facts(self) -> Facts:
        """What the code was seen to do (``builtin_checks.Facts``): sent back by a contained
        run, whose verdicts the lesson worker decides. At most :data:`MAX_FACT_LOSSES` losses
        (the first ones and the last) and :data:`MAX_FACT_LEAVES` leaves (the changed first)."""
        torch = self.torch
        leaves: dict[str, str | None] = {}
        for param in sorted(self.leaf_names):
            obj = self.namespace.get(param)
            grad_fn = obj.grad_fn if isinstance(obj, torch.Tensor) else None
            leaves[param] = type(grad_fn).__name__ if grad_fn is not None else None
        kept = sorted(leaves, key=lambda name: leaves[name] is None)[:MAX_FACT_LEAVES]
        losses = self.losses
        if len(losses) > MAX_FACT_LOSSES:
            losses = [*losses[: MAX_FACT_LOSSES - 1], losses[-1]]
        return Facts(
            backward_calls=self.backward_count,
            losses=list(losses),
            accumulated=self.accumulated,
            leaves={name: leaves[name] for name in sorted(kept)},
        )

    def finish(self, error: StepError | None) -> list[CheckResult]:
        """Every check, in order (a run in the lesson worker itself: the trusted steps)."""
        builtins = iter(builtin_checks.decide(self.checks, self.facts(), error))
        names: dict[str, Any] = {}
        if self.rule_names:
            names = {"losses": list(self.losses), "math": math}
        namespace = self.namespace
        return [
            next(builtins) if spec.get("builtin") else expr_check(spec, error, namespace, names)
            for spec in self.checks
        ]


def expr_check(
    spec: dict[str, Any],
    error: StepError | None,
    namespace: dict[str, Any],
    names: dict[str, Any],
) -> CheckResult:
    """One ``expr`` check, evaluated in ``namespace`` (plus ``names``) after the code ran."""
    check_id = str(spec.get("id", ""))
    says = str(spec.get("says", ""))
    if error is not None:
        return CheckResult(check_id, None, f"not checked: the code stopped ({error.type})")
    expr = str(spec.get("expr", ""))
    try:
        ok = bool(eval(compile(expr, "<check>", "eval"), namespace, names))  # noqa: S307
    except Exception as exc:  # the learner's code left the namespace in another shape
        return CheckResult(
            check_id, False, f"{says} (checking it raised {type(exc).__name__}: {exc})"
        )
    return CheckResult(check_id, ok, "" if ok else says)
