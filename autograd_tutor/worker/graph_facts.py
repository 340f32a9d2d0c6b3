"""Facts about torch objects that the graph capture reads (worker process only): the names an
expression reads, a module's parameter names, which graphs a step's backward() calls ran on,
and the local derivative of a link, as numbers and codes (no words: ``graph/words.py``)."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import torch

from autograd_tutor.worker.graph_record import grad_plain

_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


@functools.lru_cache(maxsize=512)
def names_in(expr: str) -> tuple[str, ...]:
    """The variable names an expression reads (``x.grad`` -> ``("x",)``)."""
    if _DOTTED.fullmatch(expr):
        return (expr.split(".", 1)[0],)
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        return ()
    return tuple(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))


def per_output(arrived: Any) -> Any:
    return [grad_plain(g) for g in arrived] if isinstance(arrived, list) else grad_plain(arrived)


def module_parameters(module: torch.nn.Module, limit: int = 256) -> list[tuple[str, Any]]:
    """A module's parameters named as the lesson would write them: ``[0].weight``, ``.bias``."""
    out = []
    try:
        for i, (dotted, param) in enumerate(module.named_parameters()):
            if i >= limit:
                break
            path = "".join(
                f"[{part}]" if part.isdigit() else f".{part}" for part in dotted.split(".")
            )
            out.append((path, param))
    except Exception:  # noqa: S110  an odd module: its parameters stay unnamed
        pass
    return out


def _signature(t: torch.Tensor, limit: int = 64) -> tuple[Any, ...]:
    """The shape of a graph: its op names and leaves, in walking order (a loop's graphs are
    all alike)."""
    out: list[Any] = []
    stack: list[Any] = [t.grad_fn]
    while stack and len(out) < limit:
        fn = stack.pop()
        if fn is None:
            continue
        out.append(id(fn.variable) if type(fn).__name__ == "AccumulateGrad" else type(fn).__name__)
        stack.extend(child for child, _ in fn.next_functions)
    return tuple(out)


def distinct_graphs(roots: Sequence[torch.Tensor]) -> list[torch.Tensor]:
    """The roots backward() ran from, one per distinct graph shape: the latest of each (a
    loop's last loss, the one its variable still holds)."""
    latest: dict[tuple[Any, ...], torch.Tensor] = {}
    odd: list[torch.Tensor] = []
    for t in roots:
        try:
            key = _signature(t)
        except Exception:  # an odd node: keep the root
            odd.append(t)
            continue
        latest.pop(key, None)
        latest[key] = t
    return [*latest.values(), *odd]


def _scalar(g: Any) -> float | None:
    """A one-number gradient (a float, or nested one-element lists) as a float."""
    while isinstance(g, list) and len(g) == 1:
        g = g[0]
    return float(g) if isinstance(g, (int, float)) and not isinstance(g, bool) else None


def local_derivative(flows: list[Any], arrived: Mapping[int, Any]) -> float | None:
    """The local derivative of a link: what flowed along it over what arrived at its node
    (scalars), from the latest call that sent both."""
    for call in range(len(flows) - 1, -1, -1):
        f, a = _scalar(flows[call]), _scalar(arrived.get(call))
        if f is not None and a is not None and a != 0.0:
            return f / a
    return None


def formula_facts(op: str, index: int, saved: Mapping[str, Any]) -> dict[str, Any] | None:
    """The local derivative d(output)/d(input ``index``) of one link, as facts."""
    if op.startswith("PowBackward"):
        n = saved.get("exponent")
        return {"kind": "pow", "exponent": n} if isinstance(n, (int, float)) else None
    if op.startswith("MulBackward"):
        return {"kind": "mul", "other": saved.get("other" if index == 0 else "self")}
    simple = {"AddBackward": 1, "SumBackward": "each", "MeanBackward": "mean", "NegBackward": -1}
    for prefix, value in simple.items():
        if op.startswith(prefix):
            return {"kind": "constant", "value": value}
    if op.startswith("SubBackward"):
        return {"kind": "constant", "value": 1 if index == 0 else -1}
    return None
