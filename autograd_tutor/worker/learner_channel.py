"""The one way back from a learner's run process (``contained.py``) to the lesson worker.

Learner code runs in a throwaway process that it owns: whatever that process sends may be a
forgery. So what comes back is plain data only (JSON: numbers, strings, lists, dicts; tensors
as nested lists with their dtype and autograd facts), never a pickle, and the lesson worker
reads it with :func:`read_frames`, which accepts exactly this shape and nothing more::

    <token> P                      the trusted prelude ran (sent once, before the learner's code)
    <token> L [0.5, 0.41]          a batch of loss values (record_loss / backward), any number
    <token> R {...report...}       the result, last; then the process closes the channel

one frame a line, each under :data:`MAX_FRAME_BYTES`, :data:`MAX_CHANNEL_BYTES` in all. The
token is a random string the lesson worker gives the run: code that writes a line to every
open descriptor without looking for it gets "your code broke the connection to the tutor".

The report (its schema is ``learner_report.py``) holds facts, never verdicts: what the
built-in checks are decided on (``builtin_checks.py``), and the values of the names that the
lesson's ``expr`` checks and ``training`` expressions read (found by :func:`names_read`), so
that every check is evaluated by the lesson worker (:func:`rebuild`), where learner code never
ran. Nothing here imports torch at
module level: the run process and the lesson worker pass theirs in.
"""

from __future__ import annotations

import ast
import builtins
import json
import math
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from autograd_tutor.worker.learner_report import (
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_LOSSES,
    ChannelBroken,
    check_report,
    float_in,
)

MAX_FRAME_BYTES = 4 * 1024 * 1024
MAX_CHANNEL_BYTES = 16 * 1024 * 1024
MAX_SENT_ELEMENTS = 100_000  # a tensor (or its .grad) with more elements is not sent back

BROKEN = "your code broke the connection to the tutor"


def json_request(request: dict[str, Any]) -> bytes:
    """The lesson worker's request to a run process (trusted data, the run reads it once)."""
    return json.dumps(request, separators=(",", ":")).encode("utf-8")


# -- which names the lesson's expressions read ----------------------------------------------


def names_read(exprs: Iterable[str]) -> list[str]:
    """The free names that ``exprs`` read (``abs(w.item() - 2) < 0.1`` -> ``["w"]``), without
    builtins, ``torch`` and ``math`` (the evaluator has its own). Unparsable ones are skipped:
    evaluating them reports the syntax error."""
    found: dict[str, None] = {}
    for expr in exprs:
        try:
            tree = ast.parse(expr, mode="eval")
        except SyntaxError:
            continue
        bound = {
            n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        for comp in ast.walk(tree):
            if isinstance(comp, ast.Lambda):
                bound.update(a.arg for a in comp.args.args)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                name = node.id
                if name in bound or name in ("torch", "math") or hasattr(builtins, name):
                    continue
                found[name] = None
    return list(found)


# -- run process side: objects -> plain data ----------------------------------------------


class Encoder:
    """Objects of the run's namespace as plain data. Built before the learner's code runs, so
    that it holds torch's own ``tolist`` and friends even if that code patches them later."""

    def __init__(self, torch: Any) -> None:
        self.torch = torch
        self.tensor_type = torch.Tensor
        self.size_type = torch.Size
        self.module_type = torch.nn.Module
        self.tolist = torch.Tensor.tolist
        self.detach = torch.Tensor.detach
        self.cpu = torch.Tensor.cpu
        self.numel = torch.Tensor.numel
        self.isinstance = isinstance
        self.type = type

    def value(self, obj: Any, depth: int = 0) -> Any:
        """Plain data for ``obj``; ``{"unsent": "<type name>"}`` for what cannot be sent."""
        kind = self.type(obj)
        if obj is None or kind in (bool, int, str):
            if kind is int and abs(obj) > 2**63:
                return {"unsent": "int"}
            if kind is str and len(obj) > MAX_ITEMS:
                return {"unsent": "str"}
            return obj
        if kind is float:
            return _float_out(obj)
        if depth >= MAX_DEPTH:
            return {"unsent": kind.__name__}
        if self.isinstance(obj, self.size_type):
            return {"size": [int(v) for v in obj]}
        if self.isinstance(obj, self.tensor_type):
            return self.tensor(obj)
        if kind in (list, tuple):
            if len(obj) > MAX_ITEMS:
                return {"unsent": kind.__name__}
            items = [self.value(v, depth + 1) for v in obj]
            return {"list": items} if kind is list else {"tuple": items}
        if kind is dict:
            if len(obj) > MAX_ITEMS or not all(self.type(k) is str for k in obj):
                return {"unsent": "dict"}
            return {"dict": {k: self.value(v, depth + 1) for k, v in obj.items()}}
        if self.isinstance(obj, self.module_type):
            params = {}
            for name, tensor in obj.named_parameters():
                params[name] = self.tensor(tensor)
            return {"module": type(obj).__name__, "parameters": params}
        return {"unsent": kind.__name__}

    def tensor(self, t: Any) -> dict[str, Any]:
        grad_fn = t.grad_fn
        out: dict[str, Any] = {
            "dtype": str(t.dtype).removeprefix("torch."),
            "shape": [int(v) for v in t.shape],
            "requires_grad": bool(t.requires_grad),
            "grad_fn": type(grad_fn).__name__ if grad_fn is not None else None,
            "data": None,
            "grad": None,
        }
        if self.numel(t) <= MAX_SENT_ELEMENTS:
            out["data"] = _floats_out(self.tolist(self.cpu(self.detach(t))))
        grad = t.grad if t.is_leaf else None
        if grad is not None and self.numel(grad) <= MAX_SENT_ELEMENTS:
            out["grad"] = _floats_out(self.tolist(self.cpu(self.detach(grad))))
        return out


def _float_out(value: float) -> Any:
    return value if math.isfinite(value) else {"float": repr(value)}


def _floats_out(data: Any) -> Any:
    if isinstance(data, list):
        return [_floats_out(v) for v in data]
    if isinstance(data, float):
        return _float_out(data)
    return data


# -- lesson worker side: reading the channel ----------------------------------------------


@dataclass
class Frames:
    """What a run sent, checked: whether the prelude finished, the loss batches, the report."""

    prelude_done: bool = False
    losses: list[float] = field(default_factory=list)
    report: dict[str, Any] | None = None


class FrameReader:
    """Reads a run's channel frame by frame as bytes arrive (see the module docstring);
    raises :class:`ChannelBroken` at the first thing out of shape."""

    def __init__(self, token: str) -> None:
        self.prefix = token.encode("ascii") + b" "
        self.buffer = b""
        self.total = 0
        self.frames = Frames()

    def feed(self, data: bytes) -> list[str]:
        """Take more bytes; the kinds of the whole frames they completed (``"P"``, ``"L"``,
        ``"R"``)."""
        self.total += len(data)
        if self.total > MAX_CHANNEL_BYTES:
            raise ChannelBroken(f"it sent more than {MAX_CHANNEL_BYTES // 2**20} MiB")
        self.buffer += data
        kinds = []
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            kinds.append(self._frame(line))
        if len(self.buffer) > MAX_FRAME_BYTES:
            raise ChannelBroken(f"it sent a line longer than {MAX_FRAME_BYTES // 2**20} MiB")
        return kinds

    def finish(self) -> Frames:
        """The channel closed: the frames, which must end with the report."""
        if self.buffer:
            raise ChannelBroken("it sent a line that does not end")
        if self.frames.report is None:
            raise ChannelBroken("no result came back")
        return self.frames

    def _frame(self, line: bytes) -> str:
        if len(line) > MAX_FRAME_BYTES:
            raise ChannelBroken(f"it sent a line longer than {MAX_FRAME_BYTES // 2**20} MiB")
        if not line.startswith(self.prefix):
            raise ChannelBroken("it sent something that is not from the tutor")
        body = line[len(self.prefix) :]
        kind, _, payload = body.partition(b" ")
        frames = self.frames
        if frames.report is not None:
            raise ChannelBroken("it sent more after its result")
        if kind == b"P" and not payload and not frames.prelude_done:
            frames.prelude_done = True
            return "P"
        if not frames.prelude_done:
            raise ChannelBroken("it sent data before the lesson's own code had run")
        try:
            obj = json.loads(payload)
        except ValueError as exc:
            raise ChannelBroken(f"it sent a line that is not JSON ({exc})") from None
        if kind == b"L":
            frames.losses.extend(_loss_batch(obj))
            if len(frames.losses) > MAX_LOSSES:
                raise ChannelBroken(f"it sent more than {MAX_LOSSES} loss values")
            return "L"
        if kind == b"R":
            frames.report = check_report(obj)
            return "R"
        raise ChannelBroken("it sent a line of an unknown kind")


def _loss_batch(obj: Any) -> list[float]:
    if not isinstance(obj, list):
        raise ChannelBroken("a loss batch is not a list")
    return [float_in(v, "a loss value") for v in obj]


# -- lesson worker side: plain data -> objects the checks read ------------------------------


class Unsent:
    """Stands for a value the run could not send back (an object of another type)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __getattr__(self, name: str) -> Any:
        raise TypeError(f"a {self.type_name} object cannot be checked outside your run")

    def __repr__(self) -> str:
        return f"<{self.type_name} (not sent back)>"


def rebuild(value: Any, torch: Any) -> Any:
    """A checked plain value (see :func:`check_report`) as the object a check reads: tensors
    come back on the CPU with their data, ``requires_grad`` and ``.grad``; a non-leaf tensor
    keeps ``grad_fn`` set (as a ``CloneBackward0``, its own kind is in :func:`grad_fn_name`)."""
    if value is None or type(value) in (bool, int, str, float):
        return value
    keys = set(value)
    if keys == {"float"}:
        return float(value["float"])
    if keys == {"unsent"}:
        return Unsent(value["unsent"])
    if keys == {"size"}:
        return torch.Size(value["size"])
    if keys == {"list"}:
        return [rebuild(v, torch) for v in value["list"]]
    if keys == {"tuple"}:
        return tuple(rebuild(v, torch) for v in value["tuple"])
    if keys == {"dict"}:
        return {k: rebuild(v, torch) for k, v in value["dict"].items()}
    if keys == {"module", "parameters"}:
        root = types.SimpleNamespace()
        for dotted, tensor in value["parameters"].items():
            *path, last = dotted.split(".")
            node = root
            for part in path:
                node = node.__dict__.setdefault(part, types.SimpleNamespace())
            setattr(node, last, rebuild_tensor(tensor, torch))
        return root
    return rebuild_tensor(value, torch)


def _floats_in(data: Any) -> Any:
    if isinstance(data, list):
        return [_floats_in(v) for v in data]
    if isinstance(data, dict):
        return float(data["float"])
    return data


def rebuild_tensor(value: dict[str, Any], torch: Any) -> Any:
    dtype = getattr(torch, value["dtype"])
    shape = value["shape"]
    if value["data"] is None:
        tensor = torch.full(shape, float("nan"), device="cpu").to(dtype)
    else:
        tensor = torch.tensor(_floats_in(value["data"]), dtype=dtype, device="cpu").reshape(shape)
    if value["requires_grad"] and (dtype.is_floating_point or dtype.is_complex):
        tensor.requires_grad_(True)
        if value["grad"] is not None:
            grad = torch.tensor(_floats_in(value["grad"]), dtype=dtype, device="cpu")
            tensor.grad = grad.reshape(shape)
        if value["grad_fn"] is not None:
            tensor = tensor.clone()
    return tensor


def rebuild_names(names: dict[str, Any], torch: Any) -> dict[str, Any]:
    """The report's names as a namespace for the lesson's expressions."""
    return {name: rebuild(value, torch) for name, value in names.items()}
