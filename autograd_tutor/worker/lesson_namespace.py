"""The lesson worker's state (worker process only): one lesson namespace and what runs in it
(author's code run with ``exec``, question expressions and training columns evaluated, the
``backward()`` calls counted and recorded for the graph, ``record_loss`` batched to the client),
and the capture of what a step prints (fd 1 and 2 into the capture file, C-level buffers
flushed). :func:`step_error` cuts the worker's own frames off a step's traceback.
"""

from __future__ import annotations

import builtins
import ctypes
import errno
import linecache
import os
import sys
import threading
import time
import traceback
from typing import Any, BinaryIO

from autograd_tutor.worker import protocol
from autograd_tutor.worker.protocol import (
    FORWARD_VALUE_MAX_ELEMENTS,
    LOSS_BATCH_SECONDS,
    MAX_STDOUT_CHARS,
    QuestionValue,
    StepError,
    TrainingData,
)

STEP_FILENAME = "<step>"
MAX_FILE_BYTES = 64 * 1024 * 1024


class LessonNamespace:
    """One lesson namespace, the capture file, and the protocol stream: what each request's
    handler (``step_handlers.py``) works with."""

    def __init__(self, torch: Any, proto: BinaryIO, capture_fd: int, log_fd: int) -> None:
        from autograd_tutor.worker import convert, graph_capture, graph_record

        self.torch = torch
        self.convert = convert
        self.graph_capture = graph_capture
        self.graph_record = graph_record
        self.recorder = graph_record.GradientRecorder()
        self.witness = graph_record.CutWitness()  # entered around each step's code only
        self._previewing = False  # a preview runs the forward pass only: backward() is a no-op
        self.proto = proto
        self.proto_lock = threading.Lock()
        self.log_fd = log_fd
        self.capture_fd = capture_fd  # opened for reading and writing
        self.namespace: dict[str, Any] = {}
        self._before_run: dict[str, int] = {}  # name -> id(object) before the last run
        self.backward_calls = 0
        self._in_backward = False
        self.losses: list[float] = []
        self._loss_sent = 0
        self._loss_last_send = 0.0
        self._run_id: int | None = None
        self.on_backward: Any = None  # an exercise probe watching the code (exercise_probe.py)
        self._wrap_backward()
        self.reset(0)

    # -- protocol ------------------------------------------------------------------------
    def send(self, message: dict[str, Any]) -> None:
        data = protocol.encode(message)
        with self.proto_lock:
            self.proto.write(data)
            self.proto.flush()

    # -- namespace -----------------------------------------------------------------------
    def reset(self, seed: int) -> None:
        self.namespace = {
            "__name__": "__lesson__",
            "__builtins__": builtins,
            "torch": self.torch,
            "record_loss": self.record_loss,
        }
        self.backward_calls = 0
        self.torch.manual_seed(int(seed))

    def record_loss(self, value: Any) -> None:
        """Lesson-facing: append one loss value; sent to the client in batches."""
        if self._previewing:
            return
        self.losses.append(self.convert.as_float(value))
        now = time.monotonic()
        if now - self._loss_last_send >= LOSS_BATCH_SECONDS:
            self._flush_losses(now)

    def _flush_losses(self, now: float | None = None) -> None:
        if self._run_id is None or self._loss_sent >= len(self.losses):
            return
        batch = self.losses[self._loss_sent :]
        self._loss_sent = len(self.losses)
        self._loss_last_send = time.monotonic() if now is None else now
        self.send({"event": "loss", "id": self._run_id, "values": batch})

    def _wrap_backward(self) -> None:
        """Count ``Tensor.backward`` and ``torch.autograd.backward`` calls (once per call)."""
        torch = self.torch
        worker = self
        tensor_backward = torch.Tensor.backward
        autograd_backward = torch.autograd.backward

        def count(fn: Any) -> Any:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if worker._in_backward:
                    return fn(*args, **kwargs)
                if worker._previewing:  # the forward graph only: note where backward starts
                    worker.recorder.note_roots(args[0] if args else kwargs.get("tensors"))
                    return None
                worker._in_backward = True
                worker.backward_calls += 1
                handles: list[Any] = []
                try:
                    roots = args[0] if args else kwargs.get("tensors", kwargs.get("self"))
                    handles = worker.recorder.before_backward(roots)
                except Exception:  # noqa: S110  recording must never break a lesson's backward
                    handles = []
                try:
                    if worker.on_backward is not None:
                        worker.on_backward(args, kwargs)
                    return fn(*args, **kwargs)
                finally:
                    worker.recorder.after_backward(handles)
                    worker._in_backward = False

            wrapper.__name__ = fn.__name__
            wrapper.__qualname__ = getattr(fn, "__qualname__", fn.__name__)
            wrapper.__doc__ = fn.__doc__
            return wrapper

        torch.Tensor.backward = count(tensor_backward)
        torch.autograd.backward = count(autograd_backward)

    def _exec(self, code: str, first_line: int) -> StepError | None:
        source = "\n" * max(0, first_line - 1) + code
        lines = source.splitlines(keepends=True)
        linecache.cache[STEP_FILENAME] = (len(source), None, lines, STEP_FILENAME)
        try:
            compiled = compile(source, STEP_FILENAME, "exec")
        except SyntaxError as exc:
            text = "".join(traceback.format_exception_only(type(exc), exc))
            return StepError(type(exc).__name__, str(exc.msg), text, exc.lineno)
        try:
            exec(compiled, self.namespace)  # lesson code (author's data), see module docstring
        except BaseException as exc:  # noqa: B036  SystemExit from lesson code is an error too
            if isinstance(exc, KeyboardInterrupt):
                raise
            return step_error(exc)
        return None

    def _question(self, expr: str) -> tuple[QuestionValue, Any]:
        """The question's plain value, and the object itself (for the graph)."""
        try:
            compiled = compile(expr, "<question>", "eval")
            obj = eval(compiled, self.namespace)  # noqa: S307  the lesson author's expression
        except Exception as exc:
            return QuestionValue(expr, None, f"{type(exc).__name__}: {exc}"), None
        try:
            value = self.convert.to_value(obj)
        except Exception as exc:  # an object torch itself cannot read back
            return QuestionValue(expr, None, f"cannot convert: {type(exc).__name__}: {exc}"), None
        return QuestionValue(expr, value, None), obj

    def _evaluate(self, expr: str) -> Any:
        return eval(compile(expr, "<training>", "eval"), self.namespace)  # noqa: S307  author's

    def _training(self, spec: dict[str, Any]) -> tuple[TrainingData | None, StepError | None]:
        field_name = "loss"
        try:
            loss_expr = str(spec.get("loss") or "")
            loss = self.convert.float_list(self._evaluate(loss_expr)) if loss_expr else self.losses
            if not loss and self.losses:
                loss = self.losses
            columns: dict[str, list[float] | None] = {}
            for field_name in ("x", "y"):
                expr = str(spec.get(field_name) or "")
                columns[field_name] = (
                    self.convert.float_list(self._evaluate(expr)) if expr else None
                )
            lines: list[tuple[str, float, float]] = []
            for line in spec.get("lines") or []:
                field_name = f"lines[{line.get('label', '')}]"
                slope = self.convert.as_float(self._evaluate(str(line["slope"])))
                intercept = self.convert.as_float(self._evaluate(str(line["intercept"])))
                lines.append((str(line.get("label", "")), slope, intercept))
        except Exception as exc:
            message = f"training {field_name}: {type(exc).__name__}: {exc}"
            return None, StepError(type(exc).__name__, message, "", None)
        data = TrainingData(
            loss=list(loss),
            log_scale=bool(spec.get("log_scale", False)),
            x=columns["x"],
            y=columns["y"],
            lines=lines,
        )
        return data, None

    def _forward_values(self) -> dict[str, Any]:
        out = {}
        torch = self.torch
        for name, obj in list(self.namespace.items()):
            if name.startswith("__") or not isinstance(obj, torch.Tensor):
                continue
            if obj.numel() > FORWARD_VALUE_MAX_ELEMENTS:
                continue
            if obj.requires_grad or obj.grad_fn is not None:
                try:
                    out[name] = self.convert.tensor_value(obj)
                except Exception:  # noqa: S112  an odd tensor is simply not offered
                    continue
        return out

    # -- output capture --------------------------------------------------------------------
    def _capture_start(self) -> None:
        flush_std()
        os.ftruncate(self.capture_fd, 0)
        os.lseek(self.capture_fd, 0, os.SEEK_SET)
        os.dup2(self.capture_fd, 1)
        os.dup2(self.capture_fd, 2)

    def _capture_end(self) -> str:
        flush_std()
        os.dup2(self.log_fd, 1)
        os.dup2(self.log_fd, 2)
        size = os.lseek(self.capture_fd, 0, os.SEEK_END)
        os.lseek(self.capture_fd, 0, os.SEEK_SET)
        data = os.read(self.capture_fd, min(size, MAX_STDOUT_CHARS * 4))
        text = data.decode("utf-8", errors="replace")
        if len(text) > MAX_STDOUT_CHARS or size > len(data):
            text = text[:MAX_STDOUT_CHARS] + f"\n[... output cut: {size} bytes in all]\n"
        return text


def step_error(exc: BaseException) -> StepError:
    """An exception from lesson code, with the worker's own frames cut off the traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    start = next((i for i, f in enumerate(frames) if f.filename == STEP_FILENAME), 0)
    kept = frames[start:]
    line = next((f.lineno for f in reversed(kept) if f.filename == STEP_FILENAME), None)
    text = "".join(traceback.format_exception_only(type(exc), exc))
    if kept:
        stack = "".join(traceback.StackSummary.from_list(kept).format())
        text = "Traceback (most recent call last):\n" + stack + text
    message = str(exc)
    if isinstance(exc, SystemExit):
        message = f"the step called exit({exc.code!r})"
    elif isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        message += f" (the step wrote more than {MAX_FILE_BYTES // 2**20} MiB of output)"
    return StepError(type(exc).__name__, message, text, line)


_libc: Any = None


def flush_std() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: S110  lesson code may have closed or replaced a stream
            pass
    global _libc
    try:
        if _libc is None:
            _libc = ctypes.CDLL(None)
        _libc.fflush(None)  # C-level stdio buffers (extensions that printf)
    except Exception:  # noqa: S110
        pass
