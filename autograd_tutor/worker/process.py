"""The torch worker process's main: ``python -m autograd_tutor.worker.process --device
auto|cpu|cuda [--capture-fd N]`` (the parent's handle on it is ``process_handle.WorkerHandle``).

It imports torch once, then answers requests (JSON lines on stdin, see ``protocol.py``) on its
original stdout, which it keeps for the protocol alone: file descriptor 1 is pointed elsewhere
at start, and during a step both fd 1 and fd 2 write into a capture file, so ``print``, warnings
and C-level writes of lesson code come back in ``StepResult.stdout`` and never corrupt the
protocol. The capture file is the open file descriptor the client passes (``--capture-fd``), or
an anonymous temporary file: it has no name on disk, so nothing is left behind when either
process is killed. The worker exits as soon as its stdin closes, even in the middle of a step.

Lesson code and question expressions are lesson data written by the lesson's author (trusted,
like any other code in the package); learner input never reaches this process.
"""

from __future__ import annotations

import argparse
import builtins
import ctypes
import errno
import faulthandler
import linecache
import os
import queue
import signal
import sys
import tempfile
import threading
import time
import traceback
import warnings
from typing import Any, BinaryIO

from autograd_tutor.worker import protocol
from autograd_tutor.worker.protocol import (
    FORWARD_VALUE_MAX_ELEMENTS,
    LOSS_BATCH_SECONDS,
    MAX_STDOUT_CHARS,
    QuestionValue,
    StepError,
    StepResult,
    TrainingData,
    WorkerInfo,
)

STEP_FILENAME = "<step>"
MAX_FILE_BYTES = 64 * 1024 * 1024


class Worker:
    """One lesson namespace, the capture file, and the protocol stream."""

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

    # -- learner code, in a process of its own (contained.py) ---------------------------------
    def run_learner(self, request: dict[str, Any], pool: Any) -> StepResult:
        """Trusted prelude + learner code in a fresh process; judged here from its data. The
        lesson namespace is not touched."""
        from autograd_tutor.worker import contained, learner_channel

        rid = int(request["id"])
        probe = dict(request.get("probe") or {})
        exprs = [str(c.get("expr") or "") for c in probe.get("checks") or [] if c.get("expr")]
        training = request.get("training") or {}
        exprs += [str(training.get(k) or "") for k in ("loss", "x", "y")]
        for line in training.get("lines") or []:
            exprs += [str(line.get("slope", "")), str(line.get("intercept", ""))]
        run_request = {
            "prelude": [[str(c), int(n)] for c, n in request.get("prelude") or []],
            "code": str(request.get("code") or ""),
            "first_line": int(request.get("first_line") or 1),
            "seed": int(request.get("seed") or 0),
            "device": str(self.torch.get_default_device()),
            "probe": {
                **probe,
                "checks": [c for c in probe.get("checks") or [] if c.get("builtin")],
            },
            "names": learner_channel.names_read(e for e in exprs if e),
            "time_limit": float(request.get("time_limit") or 10.0),
            "memory_limit": int(request.get("memory_limit") or contained.default_memory_limit()),
        }
        delivery = pool.run(
            run_request,
            on_start=lambda pid: self.send({"event": "learner", "id": rid, "pid": pid}),
            on_loss=lambda batch: self.send({"event": "loss", "id": rid, "values": batch}),
        )
        return contained.judge(
            {"probe": probe, "training": request.get("training")}, delivery, self.torch
        )

    # -- running a step --------------------------------------------------------------------
    def run(self, request: dict[str, Any]) -> StepResult:
        code = str(request.get("code") or "")
        exprs = [str(e) for e in request.get("exprs") or []]
        first_line = int(request.get("first_line") or 1)
        training = request.get("training")
        self._run_id = int(request["id"])
        self.losses = []
        self._loss_sent = 0
        self._loss_last_send = 0.0
        started = time.monotonic()
        values: list[QuestionValue] = []
        error: StepError | None = None
        train_data: TrainingData | None = None
        forward: dict[str, Any] = {}
        self.recorder.start_step()
        self._before_run = {name: id(obj) for name, obj in self.namespace.items()}
        checks: list[Any] = []
        probe = None
        if request.get("probe"):
            from autograd_tutor.worker.exercise_probe import Probe

            probe = Probe(self.torch, self.namespace, self.record_loss, request["probe"])
            self.on_backward = probe.before_backward
        self._capture_start()
        try:
            # An exercise or training run draws no cut links: its loop runs unwatched.
            plain_run = probe is not None or training
            with self.graph_record.watching(self.witness, enabled=not plain_run):
                error = self._exec(code, first_line)
            self.on_backward = None
            if probe is not None:
                checks = probe.finish(error)
            if error is None:
                values = [self._question(expr)[0] for expr in exprs]
                if training:
                    train_data, error = self._training(training)
            forward = self._forward_values()
        finally:
            self.on_backward = None
            stdout = self._capture_end()
            self._flush_losses()
            self._run_id = None
        return StepResult(
            values=values,
            stdout=stdout,
            error=error,
            training=train_data,
            backward_calls=self.backward_calls,
            forward_values=forward,
            seconds=time.monotonic() - started,
            checks=checks,
        )

    def graph(self, request: dict[str, Any]) -> StepResult:
        """The graph of the step that ran last, with the gradients its backward() calls sent
        along it (recorded while they ran). Asked for after the run, when the learner opens
        the graph, so drawing costs a step's run nothing."""
        exprs = [str(e) for e in request.get("exprs") or []]
        graph_for = request.get("graph_for")
        wants_graph = [bool(g) for g in graph_for] if graph_for is not None else [True] * len(exprs)
        started = time.monotonic()
        graph: dict[str, Any] | None = None
        self._capture_start()
        try:
            if any(wants_graph):
                asked = [self._question(expr) for expr in exprs]
                graph = self._graph(
                    exprs, asked, wants_graph, self._before_run, with_gradients=True
                )
        finally:
            self._capture_end()
        return StepResult(
            values=[],
            stdout="",
            error=None,
            training=None,
            backward_calls=self.backward_calls,
            forward_values={},
            seconds=time.monotonic() - started,
            graph=graph,
        )

    def _graph(
        self,
        exprs: list[str],
        asked: list[tuple[QuestionValue, Any]],
        wants_graph: list[bool],
        before: dict[str, int],
        *,
        with_gradients: bool,
        also: dict[str, Any] | None = None,
        copied: dict[int, int] | None = None,
    ) -> dict[str, Any] | None:
        """The step's graph as plain data (None when nothing asked about is in a graph)."""
        rebound = [
            name
            for name, obj in self.namespace.items()
            if not name.startswith("__") and before.get(name) != id(obj)
        ]
        chosen = [
            (expr, obj)
            for expr, (_, obj), wanted in zip(exprs, asked, wants_graph, strict=False)
            if wanted
        ]
        try:
            return self.graph_capture.step_graph(
                self.namespace,
                chosen,
                recorder=self.recorder,
                witness=self.witness,
                rebound=rebound,
                with_gradients=with_gradients,
                also=also,
                copied=copied,
            )
        except Exception as exc:  # a graph torch cannot walk: the step's values still count
            return {
                "nodes": [],
                "edges": [],
                "roots": [],
                "gradients": False,
                "error": {"type": type(exc).__name__, "message": str(exc)[:500]},
            }

    def preview(self, request: dict[str, Any]) -> StepResult:
        """The step's forward graph before it runs: its code runs in a copy of the namespace
        with backward() a no-op and the random state put back afterwards, so the real run
        later sees exactly what it would have seen. Values: leaves only, no gradient."""
        code = str(request.get("code") or "")
        exprs = [str(e) for e in request.get("exprs") or []]
        graph_for = request.get("graph_for")
        wants_graph = [bool(g) for g in graph_for] if graph_for is not None else [True] * len(exprs)
        started = time.monotonic()
        torch = self.torch
        real = self.namespace
        rng = torch.random.get_rng_state()
        cuda_rng = torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None
        calls = self.backward_calls
        graph: dict[str, Any] | None = None
        error: StepError | None = None
        self._previewing = True
        # What the last run's backward() calls recorded stays for its graph (put back below).
        recorded = dict(vars(self.recorder))
        self.recorder.start_step()
        self.namespace, copied = self.convert.scratch_copy(real)
        before = {name: id(obj) for name, obj in self.namespace.items()}
        self._capture_start()
        watch = self.graph_record.watching(self.witness, copied)  # a copy is known as its original
        watch.__enter__()
        try:
            error = self._exec(code, int(request.get("first_line") or 1))
            # Code after backward() often reads what it computed (w.grad), which a preview
            # does not have: the graph built up to the failing line is still the forward one.
            if any(wants_graph):
                asked = [self._question(expr) for expr in exprs]
                graph = self._graph(
                    exprs,
                    asked,
                    wants_graph,
                    before,
                    with_gradients=False,
                    also=real,
                    copied=copied,
                )
            if error is not None and graph is not None and graph["nodes"]:
                graph["stopped_at_line"] = error.line  # the rest reads what backward() computes
                error = None
        finally:
            watch.__exit__(None, None, None)
            self._capture_end()
            self.namespace = real
            self._previewing = False
            vars(self.recorder).update(recorded)
            self.backward_calls = calls
            torch.random.set_rng_state(rng)
            if cuda_rng is not None:
                torch.cuda.set_rng_state_all(cuda_rng)
        return StepResult(
            values=[],
            stdout="",
            error=error,
            training=None,
            backward_calls=calls,
            forward_values={},
            seconds=time.monotonic() - started,
            graph=graph,
        )

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
        _flush_std()
        os.ftruncate(self.capture_fd, 0)
        os.lseek(self.capture_fd, 0, os.SEEK_SET)
        os.dup2(self.capture_fd, 1)
        os.dup2(self.capture_fd, 2)

    def _capture_end(self) -> str:
        _flush_std()
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


def _flush_std() -> None:
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


def _limit_file_size() -> None:
    """Cap files this process writes (the capture file above all: a step printing in an endless
    loop must not fill the disk); writing past the cap raises ``OSError`` in the lesson code."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        cap = MAX_FILE_BYTES if hard == resource.RLIM_INFINITY else min(hard, MAX_FILE_BYTES)
        if soft == resource.RLIM_INFINITY or soft > cap:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (cap, hard))
    except (ImportError, ValueError, OSError, AttributeError):  # not on every platform
        pass


def _import_torch() -> Any:
    with warnings.catch_warnings():
        # torch warns on import when NumPy is missing; numpy is a dependency, but never let
        # that warning reach anyone.
        warnings.filterwarnings("ignore", message=r".*[Nn]um[Pp]y.*")
        import torch

    return torch


def _pick_device(torch: Any, wanted: str) -> tuple[str | None, str]:
    """(device, name), or (None, message) when ``cuda`` was asked for and there is none."""
    has_cuda = bool(torch.cuda.is_available())
    if wanted == "cuda" and not has_cuda:
        reason = "built without CUDA" if torch.version.cuda is None else "no driver or GPU found"
        version = ".".join(torch.__version__.split("+")[0].split(".")[:2])
        return None, (
            "--device cuda was asked for, but this torch sees no CUDA device "
            f"(torch {version}, {reason})"
        )
    if wanted == "cuda" or (wanted == "auto" and has_cuda):
        index = torch.cuda.current_device()
        return f"cuda:{index}", str(torch.cuda.get_device_name(index))
    return "cpu", "CPU"


def _stdin_reader(requests: queue.Queue[dict[str, Any]]) -> None:
    """Read requests; when stdin closes (the client went away) exit at once, even mid-step."""
    stdin = sys.stdin.buffer
    for line in stdin:
        if not line.strip():
            continue
        try:
            requests.put(protocol.decode(line))
        except ValueError:
            continue
    _flush_std()
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograd_tutor.worker.process")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument(
        "--capture-fd",
        type=int,
        help="an open file (read and write) for the output of lesson code "
        "(default: an anonymous temporary file)",
    )
    args = parser.parse_args(argv)

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the client's business
    _limit_file_size()
    faulthandler.enable(all_threads=False)  # segfault -> traceback in the capture file
    proto = os.fdopen(os.dup(1), "wb")  # buffered: big messages are written whole
    log_fd = os.dup(2)
    os.dup2(log_fd, 1)  # stray writes to fd 1 from now on go to stderr, never the protocol
    sys.stdout.reconfigure(line_buffering=True, write_through=True)  # type: ignore[union-attr]

    def send(message: dict[str, Any]) -> None:
        proto.write(protocol.encode(message))
        proto.flush()

    torch = _import_torch()
    device, name = _pick_device(torch, args.device)
    if device is None:
        send({"event": "unavailable", "message": name})
        return 2
    torch.set_default_device(device)
    if args.capture_fd is None:
        capture_file = tempfile.TemporaryFile(prefix="autograd-tutor-capture-")
        capture_fd = capture_file.fileno()  # kept open by capture_file for the process's life
    else:
        capture_fd = args.capture_fd
    worker = Worker(torch, proto, capture_fd, log_fd)
    info = WorkerInfo(torch.__version__, device, name, os.getpid())

    from autograd_tutor.worker.contained import LearnerPool

    pool = LearnerPool()  # its fork server starts with the first "warm_learner" or learner run
    requests: queue.Queue[dict[str, Any]] = queue.Queue()
    threading.Thread(target=_stdin_reader, args=(requests,), daemon=True).start()
    send({"event": "ready", "info": info.to_json()})
    while True:  # until stdin closes: then _stdin_reader ends the process
        request = requests.get()
        op = request.get("op")
        rid = request.get("id")
        if op == "warm_learner":  # an exercise or experiment is near: start the fork server
            pool.prepare()
            worker.send({"event": "done", "id": rid})
        elif op == "reset":
            worker.reset(int(request.get("seed") or 0))
            worker.send({"event": "done", "id": rid})
        elif op in ("run", "preview", "graph", "learner"):
            try:
                if op == "learner":
                    result = worker.run_learner(request, pool)
                else:
                    handler = {"run": worker.run, "preview": worker.preview, "graph": worker.graph}
                    result = handler[op](request)
            except Exception as exc:  # a bug in the worker itself: report it, keep serving
                error = StepError("WorkerError", f"{type(exc).__name__}: {exc}", "", None)
                result = StepResult([], "", error, None, worker.backward_calls, {}, 0.0)
            worker.send({"event": "result", "id": rid, "result": result.to_json()})
        else:
            worker.send({"event": "done", "id": rid, "error": f"unknown op {op!r}"})


if __name__ == "__main__":
    sys.exit(main())
