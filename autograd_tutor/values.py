"""Plain values: what crosses the worker's process boundary and what a learner's answer becomes.

The worker turns every torch object it is asked about into a :class:`Value`; the answer parser
turns what a learner typed into a :class:`Value` of the same shape; the scorer compares the two.
Nothing here imports torch, and every ``Value`` survives a JSON round trip (``to_json`` /
``from_json``; NaN and infinities use Python's ``json`` extensions, which both ends speak).

Kinds and what ``data`` holds:

=========  ==================================================================================
``none``    ``None`` (a ``.grad`` that was never populated, a detached branch)
``number``  ``int`` or ``float`` (also Python scalars a lesson asks for, e.g. ``loss.item()``)
``bool``    ``bool``
``tensor``  nested lists of numbers (or a bare number for a 0-d tensor); ``shape`` is set;
            ``dtype``/``device``/``requires_grad``/``grad_fn``/``is_leaf`` are set for values
            that came from torch and ``None`` for values parsed from a learner's answer
``shape``   ``list[int]`` (``torch.Size``, or a tuple/list of ints typed as a shape)
``name``    ``str``: an autograd node's class name (``PowBackward0``) or a bare identifier
``text``    ``str``: a Python string the lesson asked for
``error``   ``str``: the class name of the exception an expression raised
            (``RuntimeError``); ``extra["message"]`` holds its message (torch's), or the part
            of it an author requires (``match:``) or a learner typed
``other``   ``str``: ``repr()`` of anything else, shown but never scored as right
=========  ==================================================================================
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["none", "number", "bool", "tensor", "shape", "name", "text", "error", "other"]
KINDS: tuple[str, ...] = (
    "none",
    "number",
    "bool",
    "tensor",
    "shape",
    "name",
    "text",
    "error",
    "other",
)


@dataclass(frozen=True)
class Value:
    """One plain value; see the module docstring for what ``data`` holds per ``kind``."""

    kind: Kind
    data: Any = None
    shape: tuple[int, ...] | None = None
    dtype: str | None = None
    device: str | None = None
    requires_grad: bool | None = None
    grad_fn: str | None = None
    is_leaf: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    # -- constructors -----------------------------------------------------------------------
    @classmethod
    def none(cls) -> Value:
        return cls("none")

    @classmethod
    def number(cls, x: float | int) -> Value:
        return cls("number", x)

    @classmethod
    def boolean(cls, b: bool) -> Value:
        return cls("bool", bool(b))

    @classmethod
    def tensor(cls, data: Any, shape: tuple[int, ...] | None = None, **meta: Any) -> Value:
        """A tensor from nested lists; the shape is inferred when not given."""
        if shape is None:
            shape = infer_shape(data)
        return cls("tensor", data, shape=tuple(shape), **meta)

    @classmethod
    def size(cls, dims: list[int] | tuple[int, ...]) -> Value:
        return cls("shape", [int(d) for d in dims])

    @classmethod
    def name(cls, text: str) -> Value:
        return cls("name", text)

    @classmethod
    def error(cls, exception: str, message: str = "") -> Value:
        """An exception raised instead of a value: its class name, and its message (or the
        part of it that matters)."""
        return cls("error", exception, extra={"message": message} if message else {})

    @property
    def message(self) -> str:
        """An error value's message ("" for other kinds, or when none was given)."""
        text = self.extra.get("message", "") if isinstance(self.extra, dict) else ""
        return text if isinstance(text, str) else ""

    # -- helpers ----------------------------------------------------------------------------
    @property
    def numel(self) -> int:
        """Element count of a tensor (1 for a number, 0 for anything not numeric)."""
        if self.kind == "number":
            return 1
        if self.kind == "tensor" and self.shape is not None:
            return math.prod(self.shape)
        return 0

    def flat(self) -> list[float]:
        """Numbers of a ``number`` or ``tensor`` value in row-major order."""
        if self.kind == "number":
            return [self.data]
        if self.kind == "tensor":
            return list(_flatten(self.data))
        raise TypeError(f"a {self.kind} value has no numbers")

    def display(self) -> str:
        """Short human text, the way torch users write it (used in tables and messages)."""
        if self.kind == "none":
            return "None"
        if self.kind == "bool":
            return "True" if self.data else "False"
        if self.kind == "number":
            return format_number(self.data)
        if self.kind == "tensor":
            return f"tensor({_display_nested(self.data)})"
        if self.kind == "shape":
            return f"torch.Size([{', '.join(str(d) for d in self.data)}])"
        if self.kind == "text":
            return repr(self.data)
        if self.kind == "error":
            return f"raises {self.data}"
        return str(self.data)

    # -- JSON -------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.data is not None:
            out["data"] = self.data
        for key in ("dtype", "device", "requires_grad", "grad_fn", "is_leaf"):
            val = getattr(self, key)
            if val is not None:
                out[key] = val
        if self.shape is not None:
            out["shape"] = list(self.shape)
        if self.extra:
            out["extra"] = self.extra
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Value:
        kind = obj.get("kind")
        if kind not in KINDS:
            raise ValueError(f"unknown value kind {kind!r}")
        shape = obj.get("shape")
        return cls(
            kind=kind,
            data=obj.get("data"),
            shape=tuple(shape) if shape is not None else None,
            dtype=obj.get("dtype"),
            device=obj.get("device"),
            requires_grad=obj.get("requires_grad"),
            grad_fn=obj.get("grad_fn"),
            is_leaf=obj.get("is_leaf"),
            extra=dict(obj.get("extra") or {}),
        )


def infer_shape(data: Any) -> tuple[int, ...]:
    """Shape of nested lists; raises ``ValueError`` when the nesting is ragged."""
    if not isinstance(data, list):
        return ()
    if not data:
        return (0,)
    inner = [infer_shape(item) for item in data]
    if any(s != inner[0] for s in inner):
        raise ValueError("rows have different lengths")
    return (len(data), *inner[0])


def _flatten(data: Any) -> Iterator[float]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    else:
        yield data


def format_number(x: float | int, digits: int = 6) -> str:
    """Numbers as a person writes them: ``8``, ``-6.5``, ``0.3333``, ``1e-05``, ``nan``; never
    a negative zero (``-0.0`` reads ``0``, as in a tensor's numbers). The one
    place a number is worded: answers, reveals, reports and the graph (``digits=4``)."""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{digits}g}"


def _display_nested(data: Any) -> str:
    if isinstance(data, list):
        return "[" + ", ".join(_display_nested(item) for item in data) + "]"
    return format_number(data)
