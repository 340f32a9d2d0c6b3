"""Watching a learner's code while it runs, and checking it afterwards (worker side only).

The worker builds a :class:`Probe` for a run request that carries ``"probe"``::

    {"checks": [{"id": "grads_zeroed", "builtin": "grads_zeroed", "says": "..."},
                {"id": "check 1", "expr": "abs(w.item() - 2) < 0.1", "says": "..."}],
     "record_backward": true,     # every scalar backward() is also record_loss()-ed
     "rule_names": false}         # expressions also see `losses` and `math` (experiments)

Before every ``backward()`` (the worker's counting wrapper calls :meth:`Probe.before_backward`)
the probe looks at the leaf tensors that require grad (namespace names, and the parameters of
modules in the namespace): one whose ``.grad`` is still non-zero before the second or a later
``backward()`` means the gradients were never zeroed. It also keeps the value of each scalar
that ``backward()`` was called on: that is the loss series. After the code, a name that held a
leaf parameter but now holds a tensor with a ``grad_fn`` means the update was recorded by
autograd. Expressions are evaluated in the lesson namespace; they are the lesson author's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from autograd_tutor.worker.protocol import CheckResult, StepError

INPLACE_LEAF = "a leaf Variable that requires grad is being used in an in-place operation"


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
    def finish(self, error: StepError | None) -> list[CheckResult]:
        return [self._check(spec, error) for spec in self.checks]

    def _check(self, spec: dict[str, Any], error: StepError | None) -> CheckResult:
        check_id = str(spec.get("id", ""))
        says = str(spec.get("says", ""))
        builtin = str(spec.get("builtin") or "")
        if builtin:
            passed, detail = self._builtin(builtin, error)
            if error is not None and (passed is not False or builtin == "loss_decreased"):
                # the code stopped part-way: only a definite fault found so far is reported
                return CheckResult(check_id, None, f"not checked: the code stopped ({error.type})")
            if passed is None:
                return CheckResult(check_id, None, f"{says}? {detail}")
            return CheckResult(check_id, passed, "" if passed else f"{says}: {detail}")
        names: dict[str, Any] = {}
        if self.rule_names:
            names = {"losses": list(self.losses), "math": math}
        return expr_check(spec, error, self.namespace, names)

    def finish_builtins(self, error: StepError | None) -> list[CheckResult]:
        """The built-in checks only (a contained run: its ``expr`` checks are evaluated by the
        lesson worker, from the values the run sent back)."""
        return [self._check(spec, error) for spec in self.checks if spec.get("builtin")]

    def _builtin(self, name: str, error: StepError | None) -> tuple[bool | None, str]:
        if name == "backward_called":
            if self.backward_count > 0:
                return True, ""
            if error is not None and "NoneType" in error.message:
                return False, (
                    "a .grad was still None when the code used it (line "
                    f"{error.line}); call loss.backward() before the update"
                )
            return (None if error else False), "call loss.backward() after computing the loss"
        if name == "grads_zeroed":
            if self.accumulated is not None:
                param, call = self.accumulated
                return False, (
                    f"before backward() call {call}, {param}.grad still held the previous "
                    f"gradient, so the new one was added to it; zero it each iteration "
                    f"({param}.grad.zero_() or optimizer.zero_grad())"
                )
            if self.backward_count < 2:
                return (
                    None,
                    f"cannot tell: backward() ran {self.backward_count} time(s), not a loop",
                )
            return True, ""
        if name == "update_not_recorded":
            if error is not None and INPLACE_LEAF in error.message:
                return False, (
                    "an in-place update of a parameter outside `with torch.no_grad():` "
                    "(line " + str(error.line) + "); put the update inside it"
                    if error.line
                    else "an in-place update of a parameter outside `with torch.no_grad():`"
                )
            for param in sorted(self.leaf_names):
                obj = self.namespace.get(param)
                if isinstance(obj, self.torch.Tensor) and obj.grad_fn is not None:
                    return False, (
                        f"{param} is no longer a leaf tensor ({param}.grad_fn is "
                        f"{type(obj.grad_fn).__name__}); update it in place inside "
                        "`with torch.no_grad():`"
                    )
            return True, ""
        if name == "loss_decreased":
            finite = [v for v in self.losses if math.isfinite(v)]
            if len(self.losses) < 2:
                return False, f"{len(self.losses)} loss value(s) reached backward(), not a series"
            if len(finite) < len(self.losses):
                return False, "the loss became NaN or infinite (is the update's sign right?)"
            first, last = self.losses[0], self.losses[-1]
            if last < first:
                return True, ""
            return False, f"it went from {first:.4g} to {last:.4g} (is the update's sign right?)"
        return False, f"unknown built-in check {name!r}"


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
