"""The main of a learner's run process: the side of ``contained.py`` that learner code owns.

The process is forked from a server that imported torch and this module and nothing else
(``multiprocessing``'s forkserver; a spawned spare where fork is unsafe). It waits for one
request (JSON from the lesson worker), then, in a session of its own: points fd 1 and 2 at the
capture file, closes every other descriptor but the channel back, empties the environment to a
few plain variables, seeds torch, replays the TRUSTED prelude (the lesson's earlier steps with
their reference solutions, the step's setup), sends ``P``, sets its limits (memory, CPU
time), runs the learner's code with the probe watching ``backward()``, and sends one report
of plain data (``learner_report.py``): the facts the probe observed, never a verdict (the
lesson worker decides those, ``builtin_checks.py``); then it ends with ``os._exit`` so that nothing
the code left behind (threads, ``atexit`` hooks) runs. Everything it needs after the learner's
code is taken before that code runs.
"""

from __future__ import annotations

import builtins
import json
import linecache
import math
import os
import resource
import signal
import sys
import time
import traceback
from typing import Any

from autograd_tutor.sizes import describe_size
from autograd_tutor.worker.builtin_checks import Facts
from autograd_tutor.worker.learner_channel import Encoder
from autograd_tutor.worker.learner_report import MAX_LOSSES
from autograd_tutor.worker.protocol import LOSS_BATCH_SECONDS, StepError

LEARNER_FILENAME = "<your code>"
PRELUDE_FILENAME = "<step>"
MAX_REQUEST_BYTES = 64 * 1024 * 1024
MAX_CAPTURE_BYTES = 2 * 1024 * 1024
KEPT_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "USER", "TERM")
MEMORY_ERROR_MARKS = ("not enough memory", "can't allocate memory", "out of memory")

_write = os.write
_dumps = json.dumps
_monotonic = time.monotonic
_exit = os._exit


def child_main(request_fd: int, channel_fd: int, capture_fd: int) -> None:
    """Wait for the request, run it, end the process (never returns)."""
    try:
        os.setsid()  # killing the session's group kills what the code forks
    except OSError:
        pass
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    data = b""
    while len(data) <= MAX_REQUEST_BYTES:
        chunk = os.read(request_fd, 1 << 20)
        if not chunk:
            break
        data += chunk
    if not data:  # the lesson worker went away before handing over a run
        _exit(0)
    os.close(request_fd)
    try:
        request = json.loads(data)
        _Run(request, channel_fd, capture_fd).main()
    finally:
        _exit(0)


def _die_with_parent() -> None:
    """Linux: SIGKILL when the fork server (our parent) ends, as it does with the worker."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class _Run:
    def __init__(self, request: dict[str, Any], channel_fd: int, capture_fd: int) -> None:
        self.request = request
        self.token = str(request["token"])
        self.channel_fd = channel_fd
        self.capture_fd = capture_fd
        self.losses: list[float] = []
        self.sent = 0
        self.last_send = 0.0
        self.in_backward = False
        self.watching = False
        self.probe: Any = None

    # -- the channel -----------------------------------------------------------------------
    def send(self, kind: str, payload: Any = None) -> None:
        line = f"{self.token} {kind}"
        if payload is not None:
            line += " " + _dumps(payload, separators=(",", ":"))
        data = (line + "\n").encode("utf-8")
        while data:
            written = _write(self.channel_fd, data)
            data = data[written:]

    def record_loss(self, value: Any) -> None:
        """Lesson-facing: one loss value (sent in batches; the prelude's are not this run's)."""
        if not self.watching or len(self.losses) >= MAX_LOSSES:
            return
        self.losses.append(_as_float(value))
        now = _monotonic()
        if now - self.last_send >= LOSS_BATCH_SECONDS:
            self.flush_losses(now)

    def flush_losses(self, now: float | None = None) -> None:
        if self.sent >= len(self.losses):
            return
        batch = [v if math.isfinite(v) else {"float": repr(v)} for v in self.losses[self.sent :]]
        self.sent = len(self.losses)
        self.last_send = _monotonic() if now is None else now
        self.send("L", batch)

    # -- the process -------------------------------------------------------------------------
    def isolate(self) -> None:
        os.dup2(self.capture_fd, 1)
        os.dup2(self.capture_fd, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        keep = sorted({0, 1, 2, self.channel_fd})
        start = 3
        for fd in keep[3:]:
            os.closerange(start, fd)
            start = fd + 1
        os.closerange(start, _max_fd())
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.reconfigure(line_buffering=True, write_through=True)  # type: ignore[union-attr]
            except (AttributeError, ValueError):
                pass
        kept = {k: os.environ[k] for k in KEPT_ENVIRONMENT if k in os.environ}
        os.environ.clear()
        os.environ.update(kept)
        _set_limit(resource.RLIMIT_FSIZE, MAX_CAPTURE_BYTES)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    def set_limits(self) -> None:
        """Memory (address space on the CPU; data on CUDA, whose driver reserves address
        space it never uses) above what the process holds now, and CPU time."""
        memory = int(self.request.get("memory_limit") or 0)
        if memory > 0:
            cuda = str(self.request.get("device", "cpu")).startswith("cuda")
            kind, field = (
                (resource.RLIMIT_DATA, "VmData") if cuda else (resource.RLIMIT_AS, "VmSize")
            )
            _set_limit(kind, _status_bytes(field) + memory)
        time_limit = float(self.request.get("time_limit") or 0)
        if time_limit > 0:
            used = resource.getrusage(resource.RUSAGE_SELF)
            seconds = int(used.ru_utime + used.ru_stime + math.ceil(time_limit)) + 1
            _set_limit(resource.RLIMIT_CPU, seconds, seconds + 1)

    # -- running -----------------------------------------------------------------------------
    def main(self) -> None:
        self.isolate()
        import torch

        from autograd_tutor.worker.exercise_probe import Probe

        request = self.request
        device = str(request.get("device") or "cpu")
        if device != "cpu":
            torch.set_default_device(device)
        torch.manual_seed(int(request.get("seed") or 0))
        encoder = Encoder(torch)
        namespace: dict[str, Any] = {
            "__name__": "__lesson__",
            "__builtins__": builtins,
            "torch": torch,
            "record_loss": self.record_loss,
        }
        self._wrap_backward(torch)
        for index, (code, first_line) in enumerate(request.get("prelude") or []):
            error = _exec(str(code), int(first_line), PRELUDE_FILENAME, namespace)
            if error is not None:
                self.send("P")
                self.report(error, Facts(), {}, prelude_failed=index)
                return
        self.send("P")
        self.probe = Probe(torch, namespace, self.record_loss, dict(request.get("probe") or {}))
        self.set_limits()
        self.watching = True
        error = _exec(
            str(request.get("code") or ""),
            int(request.get("first_line") or 1),
            LEARNER_FILENAME,
            namespace,
        )
        self.watching = False
        memory = int(request.get("memory_limit") or 0)
        if error is not None and memory > 0 and _is_memory_error(error):
            error = StepError(
                "MemoryLimit",
                f"your code used more than {describe_size(memory)} of memory",
                error.traceback,
                error.line,
            )
        facts = self.probe.facts()
        names: dict[str, Any] = {}
        for name in request.get("names") or []:
            if name in namespace:
                try:
                    names[name] = encoder.value(namespace[name])
                except Exception as exc:  # an object whose attributes raise
                    names[name] = {"unsent": type(exc).__name__}
        self.report(error, facts, names)

    def report(
        self,
        error: StepError | None,
        facts: Facts,
        names: dict[str, Any],
        *,
        prelude_failed: int | None = None,
    ) -> None:
        self.flush_losses()
        self.send(
            "R",
            {
                "error": error.to_json() if error is not None else None,
                "prelude_failed": prelude_failed,
                "facts": facts.to_json(),
                "names": names,
            },
        )

    def _wrap_backward(self, torch: Any) -> None:
        """Count ``backward()`` calls of the learner's code and let the probe look first."""
        run = self

        def count(fn: Any) -> Any:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if run.in_backward or not run.watching:
                    return fn(*args, **kwargs)
                run.in_backward = True
                try:
                    if run.probe is not None:
                        run.probe.before_backward(args, kwargs)
                    return fn(*args, **kwargs)
                finally:
                    run.in_backward = False

            wrapper.__name__ = fn.__name__
            wrapper.__doc__ = fn.__doc__
            return wrapper

        torch.Tensor.backward = count(torch.Tensor.backward)
        torch.autograd.backward = count(torch.autograd.backward)


def _exec(code: str, first_line: int, filename: str, namespace: dict[str, Any]) -> StepError | None:
    source = "\n" * max(0, first_line - 1) + code
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    try:
        compiled = compile(source, filename, "exec")
    except SyntaxError as exc:
        text = "".join(traceback.format_exception_only(type(exc), exc))
        return StepError(type(exc).__name__, str(exc.msg), text, exc.lineno)
    try:
        exec(compiled, namespace)  # noqa: S102  prelude: the lesson's; code: the learner's, contained
    except BaseException as exc:  # noqa: B036  exit() and Ctrl-C raised by the code are errors too
        return _error(exc, filename)
    return None


def _error(exc: BaseException, filename: str) -> StepError:
    frames = traceback.extract_tb(exc.__traceback__)
    start = next((i for i, f in enumerate(frames) if f.filename == filename), 0)
    kept = frames[start:]
    line = next((f.lineno for f in reversed(kept) if f.filename == filename), None)
    try:
        text = "".join(traceback.format_exception_only(type(exc), exc))
        if kept:
            stack = "".join(traceback.StackSummary.from_list(kept).format())
            text = "Traceback (most recent call last):\n" + stack + text
        message = str(exc)
    except Exception:  # an exception whose str() raises
        text, message = "", type(exc).__name__
    if isinstance(exc, SystemExit):
        message = f"the step called exit({exc.code!r})"
    elif isinstance(exc, KeyboardInterrupt):
        message = "the code raised KeyboardInterrupt"
    return StepError(type(exc).__name__, message[:2000], text[-8000:], line)


def _is_memory_error(error: StepError) -> bool:
    message = error.message.lower()
    return error.type == "MemoryError" or any(mark in message for mark in MEMORY_ERROR_MARKS)


def _as_float(value: Any) -> float:
    try:
        if hasattr(value, "detach"):
            value = value.detach().reshape(()).cpu().item()
        return float(value)
    except Exception:
        return float("nan")


def _set_limit(kind: int, soft: int, hard: int | None = None) -> None:
    try:
        _, old_hard = resource.getrlimit(kind)
        hard = soft if hard is None else hard
        if old_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, old_hard), min(hard, old_hard)
        resource.setrlimit(kind, (soft, hard))
    except (ValueError, OSError):  # not on every platform (macOS ignores RLIMIT_AS)
        pass


def _status_bytes(field: str) -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (ValueError, OSError):
        return 1024
