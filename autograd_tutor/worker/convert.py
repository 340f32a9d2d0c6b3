"""Torch objects -> plain :class:`~autograd_tutor.values.Value` s; a scratch namespace copy.

Imported by the worker process only (it imports torch). Everything returned here is JSON-safe
and lives on the CPU.
"""

from __future__ import annotations

import copy
import math
import types
from collections.abc import Mapping
from typing import Any

import torch

from autograd_tutor.values import Value
from autograd_tutor.worker.protocol import MAX_TENSOR_ELEMENTS

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


def scratch_copy(namespace: Mapping[str, Any]) -> tuple[dict[str, Any], dict[int, int]]:
    """A copy of a lesson namespace that code can change without touching the original.

    Leaf tensors, modules, optimizers and containers are deep-copied together (one memo, so
    an optimizer still points at its model's copied parameters); tensors made by autograd
    (they cannot be deep-copied), modules such as ``torch`` and functions are shared. An
    object that refuses to be copied is shared. Also returns id(copied tensor) -> id(its
    original), so a graph drawn from the copy knows a copied leaf is the original's node.
    """
    memo: dict[int, Any] = {}
    for obj in namespace.values():
        if isinstance(obj, torch.Tensor) and not obj.is_leaf:
            memo[id(obj)] = obj
    out: dict[str, Any] = {}
    for name, obj in namespace.items():
        if (
            name.startswith("__")
            or isinstance(obj, types.ModuleType)
            or (callable(obj) and not isinstance(obj, torch.nn.Module))
        ):
            out[name] = obj
            continue
        try:
            out[name] = copy.deepcopy(obj, memo)
        except Exception:
            out[name] = obj
    copied = {
        id(copy_): key
        for key, copy_ in memo.items()
        if isinstance(copy_, torch.Tensor) and id(copy_) != key
    }
    return out, copied


def _short_repr(obj: Any) -> str:
    try:
        text = repr(obj)
    except Exception as exc:
        text = f"<{type(obj).__name__} (repr failed: {type(exc).__name__})>"
    return text if len(text) <= MAX_REPR_CHARS else text[:MAX_REPR_CHARS] + "..."
