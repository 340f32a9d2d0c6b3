"""What crosses the pipe between :class:`~autograd_tutor.worker.client.WorkerClient` and the
torch worker process: result dataclasses, their JSON form, and the request/event messages.

Messages are JSON lines (one object per line, UTF-8; NaN and infinities use Python's ``json``
extensions). Nothing here imports torch.

Requests (client -> worker, on the worker's stdin)::

    {"op": "reset", "id": 1, "seed": 0}
    {"op": "run", "id": 2, "code": "...", "exprs": ["x.grad"], "training": {...} | null,
     "first_line": 1, "probe": {...} | null,    # probe: exercise checks, see exercise_probe.py
     "graph_for": [true] | null}
    {"op": "preview", ...same fields as run...}   # forward graph only, namespace untouched
    {"op": "graph", "exprs": [...], "graph_for": ...}  # the last run's graph, gradients

Events (worker -> client, on the worker's original stdout; lesson output never goes there)::

    {"event": "ready", "info": {...WorkerInfo...}}
    {"event": "unavailable", "message": "--device cuda was asked for, but ..."}
    {"event": "loss", "id": 2, "values": [0.5, 0.4]}        # a batch of record_loss values
    {"event": "done", "id": 1}                               # reply to reset
    {"event": "result", "id": 2, "result": {...StepResult...}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from autograd_tutor.lessons.model import Training
from autograd_tutor.presentation import StepErrorKind
from autograd_tutor.values import Value

LOSS_BATCH_SECONDS = 0.05  # the worker sends record_loss values at most this often
MAX_TENSOR_ELEMENTS = 10_000  # bigger tensors are sent without data
MAX_GRAPH_NODES = 200  # graphs with more nodes are cut (graph["truncated"] is True)
FORWARD_VALUE_MAX_ELEMENTS = 64
MAX_STDOUT_CHARS = 100_000
MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # a worker message line longer than this is dropped


class WorkerUnavailable(RuntimeError):
    """The worker cannot run lessons (device missing, torch failed to start, start timed out)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkerNotReady(WorkerUnavailable):
    """``wait_ready(timeout=...)`` ran out before the worker was ready; it keeps starting."""


@dataclass(frozen=True)
class WorkerInfo:
    torch_version: str
    device: str  # "cpu" or "cuda:0"
    device_name: str  # "CPU" or the GPU's name
    pid: int

    def to_json(self) -> dict[str, Any]:
        return {
            "torch_version": self.torch_version,
            "device": self.device,
            "device_name": self.device_name,
            "pid": self.pid,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> WorkerInfo:
        return cls(
            torch_version=str(obj["torch_version"]),
            device=str(obj["device"]),
            device_name=str(obj["device_name"]),
            pid=int(obj["pid"]),
        )


@dataclass(frozen=True)
class StepError:
    """Why a step did not complete.

    ``type`` is the name of the Python exception the lesson's code raised, or one of the
    client's own :data:`~autograd_tutor.presentation.StepErrorKind` s ("Timeout",
    "WorkerCrashed", "Cancelled", "DeviceUnavailable", "WorkerError"). ``traceback`` and
    ``line`` count the step's code from ``first_line`` (1 unless the caller asked otherwise).
    """

    type: str
    message: str
    traceback: str
    line: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "message": self.message,
            "traceback": self.traceback,
            "line": self.line,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> StepError:
        line = obj.get("line")
        return cls(
            type=str(obj["type"]),
            message=str(obj.get("message", "")),
            traceback=str(obj.get("traceback", "")),
            line=int(line) if line is not None else None,
        )


@dataclass(frozen=True)
class QuestionValue:
    """One evaluated question expression.

    The autograd graph of the step's questions is ``StepResult.graph``.
    """

    expr: str
    value: Value | None
    error: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "expr": self.expr,
            "value": self.value.to_json() if self.value is not None else None,
            "error": self.error,
        }

    @property
    def raised(self) -> Value | None:
        """The exception that evaluating ``expr`` raised, as an error value
        (``RuntimeError`` with its message); None when it gave a value, or when only turning
        the value into plain data failed (``cannot convert: ...``)."""
        if self.value is not None or not self.error or self.error.startswith("cannot convert:"):
            return None
        exception, _, message = self.error.partition(": ")
        if not exception.isidentifier():
            return None
        return Value.error(exception, message)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> QuestionValue:
        value = obj.get("value")
        return cls(
            expr=str(obj["expr"]),
            value=Value.from_json(value) if value is not None else None,
            error=obj.get("error"),
        )


@dataclass(frozen=True)
class TrainingData:
    loss: list[float]
    log_scale: bool
    x: list[float] | None
    y: list[float] | None
    lines: list[tuple[str, float, float]] = field(default_factory=list)  # label, slope, intercept

    def to_json(self) -> dict[str, Any]:
        return {
            "loss": self.loss,
            "log_scale": self.log_scale,
            "x": self.x,
            "y": self.y,
            "lines": [list(line) for line in self.lines],
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> TrainingData:
        return cls(
            loss=[float(v) for v in obj.get("loss") or []],
            log_scale=bool(obj.get("log_scale", False)),
            x=[float(v) for v in obj["x"]] if obj.get("x") is not None else None,
            y=[float(v) for v in obj["y"]] if obj.get("y") is not None else None,
            lines=[(str(a), float(b), float(c)) for a, b, c in obj.get("lines") or []],
        )


@dataclass(frozen=True)
class CheckResult:
    """One exercise check after the learner's code ran (decided by ``worker/builtin_checks.py``
    or ``exercise_probe.expr_check``, in the lesson worker).

    ``passed`` is None when the check could not run (the code stopped before it); ``message``
    says what is wrong (empty when it passed).
    """

    id: str
    passed: bool | None
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "passed": self.passed, "message": self.message}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> CheckResult:
        passed = obj.get("passed")
        return cls(
            id=str(obj["id"]),
            passed=None if passed is None else bool(passed),
            message=str(obj.get("message", "")),
        )


@dataclass(frozen=True)
class StepResult:
    """The outcome of one ``WorkerClient.run``.

    ``values`` holds one entry per expression, in order (empty when the code failed).
    ``stdout`` is everything the code printed, stdout and stderr interleaved. ``seconds`` is the
    round trip as the client measured it. ``graph`` is the autograd graph of what the step's
    questions ask about, with the gradients torch sent along it, as the plain dict that
    :func:`autograd_tutor.graph.model.graph_from_json` reads (None: nothing asked is in a graph).
    """

    values: list[QuestionValue]
    stdout: str
    error: StepError | None
    training: TrainingData | None
    backward_calls: int
    forward_values: dict[str, Value]
    seconds: float
    checks: list[CheckResult] = field(default_factory=list)  # exercise and experiment runs only
    graph: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def failure(
        cls, kind: StepErrorKind, message: str, *, stdout: str = "", seconds: float = 0.0
    ) -> StepResult:
        """A step that produced no values: ``error.type`` is ``kind`` (e.g. "Timeout")."""
        return cls(
            values=[],
            stdout=stdout,
            error=StepError(type=kind, message=message, traceback="", line=None),
            training=None,
            backward_calls=0,
            forward_values={},
            seconds=seconds,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "values": [v.to_json() for v in self.values],
            "stdout": self.stdout,
            "error": self.error.to_json() if self.error is not None else None,
            "training": self.training.to_json() if self.training is not None else None,
            "backward_calls": self.backward_calls,
            "forward_values": {k: v.to_json() for k, v in self.forward_values.items()},
            "seconds": self.seconds,
            "checks": [c.to_json() for c in self.checks],
            "graph": self.graph,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> StepResult:
        error = obj.get("error")
        training = obj.get("training")
        return cls(
            values=[QuestionValue.from_json(v) for v in obj.get("values") or []],
            stdout=str(obj.get("stdout", "")),
            error=StepError.from_json(error) if error is not None else None,
            training=TrainingData.from_json(training) if training is not None else None,
            backward_calls=int(obj.get("backward_calls", 0)),
            forward_values={
                str(k): Value.from_json(v) for k, v in (obj.get("forward_values") or {}).items()
            },
            seconds=float(obj.get("seconds", 0.0)),
            checks=[CheckResult.from_json(c) for c in obj.get("checks") or []],
            graph=obj.get("graph") if isinstance(obj.get("graph"), dict) else None,
        )


def training_to_json(training: Training | None) -> dict[str, Any] | None:
    """A lesson's :class:`Training` as the plain dict the worker evaluates."""
    if training is None:
        return None
    return {
        "loss": training.loss,
        "log_scale": training.log_scale,
        "x": training.x,
        "y": training.y,
        "lines": [
            {"label": line.label, "slope": line.slope, "intercept": line.intercept}
            for line in training.lines
        ],
    }


def encode(message: dict[str, Any]) -> bytes:
    """One message as a JSON line."""
    return (json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8")


def decode(line: bytes | str) -> dict[str, Any]:
    """One JSON line back to a message (raises ``ValueError`` on garbage)."""
    obj = json.loads(line)
    if not isinstance(obj, dict):
        raise ValueError("a protocol message must be a JSON object")
    return obj
