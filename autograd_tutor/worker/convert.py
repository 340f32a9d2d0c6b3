"""Torch objects -> plain :class:`~autograd_tutor.values.Value` s, and autograd graphs -> dicts.

Imported by the worker process only (it imports torch). Everything returned here is JSON-safe
and lives on the CPU.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import torch

from autograd_tutor.values import Value
from autograd_tutor.worker.protocol import MAX_GRAPH_NODES, MAX_TENSOR_ELEMENTS

MAX_TEXT_CHARS = 10_000
MAX_REPR_CHARS = 2_000


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.float32`` -> ``"float32"``."""
    return str(dtype).removeprefix("torch.")


def to_value(obj: Any) -> Value:
    """Any object a lesson asks about, as a plain value (see ``values.py`` for the kinds)."""
    if obj is None:
        return Value.none()
    if isinstance(obj, bool):
        return Value.boolean(obj)
    if isinstance(obj, int):
        return Value.number(int(obj))
    if isinstance(obj, float):
        return Value.number(float(obj))
    if isinstance(obj, torch.Tensor):
        return tensor_value(obj)
    if isinstance(obj, torch.Size):
        return Value.size(list(obj))
    if isinstance(obj, torch.autograd.graph.Node):
        return Value.name(type(obj).__name__)
    if isinstance(obj, str):
        text = obj if len(obj) <= MAX_TEXT_CHARS else obj[:MAX_TEXT_CHARS]
        extra = {"note": f"cut to {MAX_TEXT_CHARS} characters"} if text is not obj else {}
        return Value("text", text, extra=extra)
    if type(obj).__module__ == "numpy" and hasattr(obj, "item") and getattr(obj, "ndim", 1) == 0:
        return to_value(obj.item())  # numpy scalars: np.float32(2.0), np.bool_(True)
    return Value("other", _short_repr(obj))


def tensor_value(t: torch.Tensor) -> Value:
    """A tensor with its data (on the CPU, as nested lists) and its autograd metadata."""
    meta: dict[str, Any] = {
        "dtype": dtype_name(t.dtype),
        "device": str(t.device),
        "requires_grad": bool(t.requires_grad),
        "grad_fn": type(t.grad_fn).__name__ if t.grad_fn is not None else None,
        "is_leaf": bool(t.is_leaf),
    }
    shape = tuple(int(d) for d in t.shape)
    numel = t.numel()
    if numel > MAX_TENSOR_ELEMENTS:
        note = f"{numel} elements: too big to show (more than {MAX_TENSOR_ELEMENTS})"
        return Value("tensor", None, shape=shape, extra={"note": note}, **meta)
    if t.is_complex() or t.layout != torch.strided or t.is_meta:
        return Value("other", _short_repr(t))
    try:
        data = t.detach().cpu().tolist()
    except Exception as exc:  # quantized, nested or otherwise unusual tensors
        return Value("other", f"{_short_repr(t)} ({type(exc).__name__}: {exc})")
    return Value("tensor", data, shape=shape, **meta)


def float_list(obj: Any) -> list[float]:
    """A loss series or data column: a tensor, a number or a (nested) list -> flat floats."""
    if isinstance(obj, torch.Tensor):
        return [float(v) for v in obj.detach().cpu().reshape(-1).tolist()]
    if isinstance(obj, (int, float)):
        return [float(obj)]
    if isinstance(obj, (list, tuple)):
        out: list[float] = []
        for item in obj:
            out.extend(float_list(item))
        return out
    return [float(obj)]


def as_float(obj: Any) -> float:
    """One number (a Python number or a one-element tensor)."""
    if isinstance(obj, torch.Tensor):
        return float(obj.detach().cpu().reshape(-1)[0].item()) if obj.numel() == 1 else math.nan
    return float(obj)


def autograd_graph(
    t: torch.Tensor, names: Mapping[str, Any] | None = None, label: str | None = None
) -> dict[str, Any] | None:
    """The autograd graph that produced ``t``, or None for a tensor outside any graph.

    Nodes: the output tensor (kind "output"), each ``grad_fn`` node (kind "op", named by its
    class, e.g. ``PowBackward0``) and each leaf's ``AccumulateGrad`` (kind "leaf"). Edges point
    from inputs to outputs. ``names`` (the lesson namespace) labels nodes with variable names.
    """
    if not (t.requires_grad or t.grad_fn is not None):
        return None
    by_node: dict[int, str] = {}  # id(grad_fn) -> variable name
    by_tensor: dict[int, str] = {}  # id(leaf tensor) -> variable name
    for name, obj in (names or {}).items():
        if isinstance(obj, torch.Tensor) and not name.startswith("__"):
            if obj.grad_fn is not None:
                by_node.setdefault(id(obj.grad_fn), name)
            elif obj.requires_grad:
                by_tensor.setdefault(id(obj), name)

    nodes: list[dict[str, Any]] = []
    edges: list[list[int]] = []
    truncated = False
    out_id = 0
    nodes.append(
        {
            "id": out_id,
            "name": label or "output",
            "kind": "output",
            "requires_grad": bool(t.requires_grad),
            "label": label,
        }
    )
    if t.grad_fn is None:  # a leaf that requires grad: the output is the leaf itself
        nodes[0]["kind"] = "leaf"
        nodes[0]["name"] = "AccumulateGrad"
        nodes[0]["label"] = label or by_tensor.get(id(t))
        return {"nodes": nodes, "edges": edges, "truncated": False}

    ids: dict[int, int] = {}
    stack: list[Any] = []

    def node_id(fn: Any) -> int | None:
        nonlocal truncated
        key = id(fn)
        if key in ids:
            return ids[key]
        if len(nodes) >= MAX_GRAPH_NODES:
            truncated = True
            return None
        new = len(nodes)
        ids[key] = new
        name = type(fn).__name__
        if name == "AccumulateGrad":
            var = getattr(fn, "variable", None)
            nodes.append(
                {
                    "id": new,
                    "name": name,
                    "kind": "leaf",
                    "requires_grad": True,
                    "label": by_tensor.get(id(var)) if var is not None else None,
                    "shape": list(var.shape) if var is not None else None,
                }
            )
        else:
            nodes.append(
                {
                    "id": new,
                    "name": name,
                    "kind": "op",
                    "requires_grad": True,
                    "label": by_node.get(key),
                }
            )
        stack.append(fn)
        return new

    first = node_id(t.grad_fn)
    if first is not None:
        edges.append([first, out_id])
    seen_edges: set[tuple[int, int]] = set()
    while stack:
        fn = stack.pop()
        to = ids[id(fn)]
        for child, _ in getattr(fn, "next_functions", ()):
            if child is None:
                continue
            src = node_id(child)
            if src is None:
                continue
            if (src, to) not in seen_edges:
                seen_edges.add((src, to))
                edges.append([src, to])
    return {"nodes": nodes, "edges": edges, "truncated": truncated}


def _short_repr(obj: Any) -> str:
    try:
        text = repr(obj)
    except Exception as exc:
        text = f"<{type(obj).__name__} (repr failed: {type(exc).__name__})>"
    return text if len(text) <= MAX_REPR_CHARS else text[:MAX_REPR_CHARS] + "..."
