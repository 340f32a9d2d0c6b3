"""``WorkerClient``: starts the torch worker process, talks to it, times it out, kills and
restarts it. The calling process never imports torch.

Threading: ``run`` and ``reset`` may be called from any thread and are serialized by a lock;
``cancel`` may be called from any other thread at any time. One reader thread per worker
process parses its messages and calls ``on_loss`` (with the whole loss series so far). No
signal handlers are installed, so the client works inside a Textual app. The worker process
never outlives its client: ``close()`` (also on ``with`` exit and at interpreter exit) kills
it, and the worker exits by itself when its stdin closes. The files that catch what a step prints
and what the worker writes to stderr are anonymous (``tempfile.TemporaryFile``: no name on disk),
handed to the worker as open file descriptors, so a killed app leaves nothing behind.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any, Protocol

from autograd_tutor.lessons.model import Training
from autograd_tutor.presentation import StepErrorKind
from autograd_tutor.worker import protocol
from autograd_tutor.worker.protocol import (
    StepResult,
    WorkerInfo,
    WorkerNotReady,
    WorkerUnavailable,
)

LossCallback = Callable[[list[float]], None]
PreludeBlock = tuple[str, int]  # trusted code, and the number of its first line
RESET_TIMEOUT = 30.0
LEARNER_MARGIN = 15.0  # seconds the client waits beyond a learner run's own limits
STDERR_TAIL_CHARS = 2_000

_clients: weakref.WeakSet[WorkerClient] = weakref.WeakSet()


def _close_all() -> None:
    for client in list(_clients):
        client.close()


atexit.register(_close_all)


class _WorkerHandle:
    """The parent's handle on one worker process (one generation): its pipes, its two
    anonymous files (what a step prints, the worker's stderr) and the reader thread. The
    worker's own main loop is ``worker/process.py``."""

    def __init__(self, device: str, generation: int) -> None:
        self.generation = generation
        self.capture = tempfile.TemporaryFile(prefix="autograd-tutor-capture-")
        self.stderr = tempfile.TemporaryFile(prefix="autograd-tutor-stderr-")
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.settled = threading.Event()  # ready, unavailable, or exited
        self.info: WorkerInfo | None = None
        self.unavailable: str | None = None
        self.on_loss: LossCallback | None = None
        self.loss_id: int | None = None
        self.losses: list[float] = []
        self.learner_pid: int | None = None  # the run process of the learner's code, if any
        self.last_learner_pid: int | None = None  # the latest one (tests look for leftovers)
        self.write_lock = threading.Lock()
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        env.pop("PYTHONSTARTUP", None)
        capture_fd = self.capture.fileno()
        self.popen = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "autograd_tutor.worker.process",
                "--device",
                device,
                "--capture-fd",
                str(capture_fd),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            pass_fds=(capture_fd,),
            env=env,
            start_new_session=True,  # a Ctrl-C in the terminal is not sent to the worker
        )
        self.started = time.monotonic()
        self.reader = threading.Thread(
            target=self._read, name=f"autograd-tutor-worker-{generation}", daemon=True
        )
        self.reader.start()

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def _read(self) -> None:
        """Messages of the worker, one a line; a line longer than MAX_MESSAGE_BYTES is read
        past and dropped (never held whole), a malformed message is dropped."""
        assert self.popen.stdout is not None
        stream = self.popen.stdout
        try:
            while True:
                line = stream.readline(protocol.MAX_MESSAGE_BYTES)
                if not line:
                    break
                if not line.endswith(b"\n") and len(line) >= protocol.MAX_MESSAGE_BYTES:
                    while line and not line.endswith(b"\n"):  # the rest of the long line
                        line = stream.readline(protocol.MAX_MESSAGE_BYTES)
                    continue
                try:
                    self._handle(protocol.decode(line))
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # a malformed message: the step waiting for it times out or fails
        except (OSError, ValueError):
            pass
        self.popen.wait()
        self.settled.set()
        self.messages.put({"event": "exit", "code": self.popen.returncode})

    def _handle(self, message: dict[str, Any]) -> None:
        event = message.get("event")
        if event == "loss":
            self._loss(message)
        elif event == "learner":
            pid = message.get("pid")
            if type(pid) is int and pid > 1 and message.get("id") == self.loss_id:
                self.learner_pid = self.last_learner_pid = pid
        elif event == "ready":
            try:
                self.info = protocol.WorkerInfo.from_json(message["info"])
            except (KeyError, TypeError, ValueError) as exc:
                self.unavailable = (
                    f"the torch worker said it was ready in a malformed message ({exc!r})"
                )
            self.settled.set()
        elif event == "unavailable":
            self.unavailable = str(message.get("message", "the worker is unavailable"))
            self.settled.set()
        else:
            self.messages.put(message)

    def _loss(self, message: dict[str, Any]) -> None:
        if message.get("id") != self.loss_id:
            return
        values = [float(v) for v in message.get("values") or []]  # ValueError: dropped whole
        self.losses.extend(values)
        callback = self.on_loss
        if callback is not None:
            try:
                callback(list(self.losses))
            except Exception:  # noqa: S110  a failing plot must not kill the reader thread
                pass

    def send(self, message: dict[str, Any]) -> bool:
        """Write a request; False when the process is gone."""
        assert self.popen.stdin is not None
        try:
            with self.write_lock:
                self.popen.stdin.write(protocol.encode(message))
                self.popen.stdin.flush()
        except (OSError, ValueError):
            return False
        return True

    def kill_group(self) -> None:
        """SIGKILL to the worker's process group: the fork server of learner runs and its
        helpers (the worker leads the group; learner runs lead their own)."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def kill_learner(self) -> None:
        """SIGKILL to the learner's run process and its group (what it forked)."""
        pid, self.learner_pid = self.learner_pid, None
        if pid is not None:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

    def kill(self) -> None:
        self.kill_learner()
        if self.alive():
            try:
                self.popen.kill()
            except OSError:
                pass
        self.kill_group()
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process stuck in the kernel
            pass

    def close(self) -> None:
        """Close stdin (the worker exits by itself), then make sure it is gone."""
        self.kill_learner()
        if self.popen.stdin is not None:
            try:
                self.popen.stdin.close()
            except OSError:
                pass
        if self.alive():
            try:
                self.popen.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                self.kill()
        self.kill_group()
        self.cleanup()

    def cleanup(self) -> None:
        for stream in (self.popen.stdout, self.capture, self.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

    def captured(self) -> str:
        """What the current step printed so far (read after the process died or was killed)."""
        data = _read_at(self.capture, 0, protocol.MAX_STDOUT_CHARS * 4)
        return data.decode("utf-8", errors="replace")[: protocol.MAX_STDOUT_CHARS]

    def stderr_tail(self) -> str:
        text = _tail(self.stderr) + _tail(self.capture)
        return text[-STDERR_TAIL_CHARS:].strip()


def _read_at(file: IO[bytes], offset: int, size: int) -> bytes:
    """Bytes of a file the worker shares, read without moving the worker's file offset."""
    try:
        return os.pread(file.fileno(), size, offset)
    except (OSError, ValueError):  # closed
        return b""


def _tail(file: IO[bytes]) -> str:
    try:
        size = os.fstat(file.fileno()).st_size
    except (OSError, ValueError):
        return ""
    start = max(0, size - STDERR_TAIL_CHARS)
    return _read_at(file, start, size - start).decode("utf-8", errors="replace")


def describe_exit(code: int | None) -> str:
    """``-11`` -> "killed by signal SIGSEGV (segmentation fault)"; ``3`` -> "exit code 3"."""
    if code is None:
        return "still running"
    if code < 0:
        try:
            sig = signal.Signals(-code)
            name = sig.name
            desc = signal.strsignal(sig) or ""
        except ValueError:
            name, desc = f"signal {-code}", ""
        text = f"killed by signal {name}" + (f" ({desc.lower()})" if desc else "")
        if -code == signal.SIGKILL:
            text += "; the system may have run out of memory"
        return text
    return f"exit code {code}"


class WorkerLike(Protocol):
    """What a lesson session needs of a worker: :class:`WorkerClient` is one; tests use a
    scripted fake (no torch) to drive replay, cancel and crash paths deterministically."""

    generation: int  # +1 whenever a new worker process starts (its namespace is lost)

    def wait_ready(self, timeout: float | None = None) -> WorkerInfo: ...

    def reset(self, seed: int) -> None: ...

    def run(
        self,
        code: str,
        exprs: Sequence[str],
        *,
        training: Training | None = None,
        time_limit: float = 10.0,
        first_line: int = 1,
        on_loss: LossCallback | None = None,
        probe: Mapping[str, Any] | None = None,
    ) -> StepResult: ...

    def preview(
        self,
        code: str,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        first_line: int = 1,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult: ...

    def run_learner(
        self,
        prelude: Sequence[PreludeBlock],
        code: str,
        *,
        first_line: int = 1,
        seed: int = 0,
        probe: Mapping[str, Any] | None = None,
        training: Training | None = None,
        time_limit: float = 10.0,
        memory_limit: int | None = None,
        on_loss: LossCallback | None = None,
    ) -> StepResult: ...

    def prepare_learner(self) -> None: ...

    def graph(
        self,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult: ...

    def cancel(self) -> None: ...


class WorkerClient:
    """Runs lesson steps in a separate torch process; see the module docstring."""

    def __init__(
        self,
        device: str = "auto",
        *,
        startup_timeout: float = 120.0,
        memory_limit: int | None = None,
    ) -> None:
        if device not in ("auto", "cpu", "cuda"):
            raise ValueError(f"device must be auto, cpu or cuda, not {device!r}")
        self.device = device
        # bytes for every learner run, whatever the lesson asks (``--memory-limit``); None: the
        # lesson's ``memory_limit``, else the default
        self.memory_limit = memory_limit
        self.startup_timeout = startup_timeout
        self.info: WorkerInfo | None = None
        self.generation = 0
        self._proc: _WorkerHandle | None = None
        self.last_learner_pid: int | None = None  # the run process of the latest learner run
        self._run_lock = threading.Lock()  # serializes run/reset
        self._state_lock = threading.RLock()  # guards _proc, _busy, _cancelled, _running
        self._busy = False
        self._cancelled = False
        self._running: _WorkerHandle | None = None  # the process running a step right now
        self._closed = False
        self._next_id = 0
        _clients.add(self)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Spawn the worker now and return at once (does nothing when one is running)."""
        with self._state_lock:
            if self._closed:
                raise RuntimeError("this WorkerClient is closed")
            if self._proc is None:
                self._spawn()

    def _spawn(self) -> None:
        """A new worker process (the namespace is lost): generation += 1. Not after close()."""
        with self._state_lock:
            old = self._proc
            if old is not None:
                old.kill()
                old.cleanup()
            if self._closed:
                self._proc = None
                return
            self.generation += 1
            self.info = None
            self._proc = _WorkerHandle(self.device, self.generation)

    def wait_ready(self, timeout: float | None = None) -> WorkerInfo:
        """Block until the worker has imported torch; its :class:`WorkerInfo`.

        Raises :class:`WorkerUnavailable` when it cannot start (``--device cuda`` without
        CUDA, torch failing to import, no answer within ``startup_timeout``), and
        :class:`WorkerNotReady` (a subclass) when an explicit ``timeout`` ran out first; the
        worker keeps starting then.
        """
        self.start()
        proc = self._proc
        assert proc is not None
        give_up_at = proc.started + self.startup_timeout
        wait = give_up_at - time.monotonic()
        if timeout is not None:
            wait = min(wait, timeout)
        if not proc.settled.wait(max(0.0, wait)):
            if time.monotonic() < give_up_at:
                raise WorkerNotReady(f"the torch worker is still starting after {timeout:g} s")
            proc.kill()
            raise WorkerUnavailable(
                f"the torch worker did not get ready within {self.startup_timeout:g} s"
            )
        if proc.info is not None and proc.alive():
            self.info = proc.info
            return proc.info
        if proc.unavailable is not None:
            raise WorkerUnavailable(proc.unavailable)
        if proc.info is not None:  # it was ready and has died since: start a new one
            self._spawn()
            return self.wait_ready(timeout)
        proc.popen.wait()
        tail = proc.stderr_tail()
        raise WorkerUnavailable(
            f"the torch worker stopped while starting ({describe_exit(proc.popen.returncode)})"
            + (f":\n{tail}" if tail else "")
        )

    @property
    def pid(self) -> int | None:
        """The lesson worker's process id (None when none is running)."""
        proc = self._proc
        return proc.pid if proc is not None else None

    def close(self) -> None:
        """Stop the worker process (idempotent)."""
        with self._state_lock:
            self._closed = True
            proc, self._proc = self._proc, None
        if proc is not None:
            proc.close()

    def __enter__(self) -> WorkerClient:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # pragma: no cover - best effort at garbage collection
        try:
            self.close()
        except Exception:  # noqa: S110
            pass

    # -- requests ----------------------------------------------------------------------------
    def reset(self, seed: int) -> None:
        """A fresh lesson namespace (``torch`` and ``record_loss`` in it), seeded with ``seed``.

        Raises :class:`WorkerUnavailable` when no worker can be started.
        """
        with self._run_lock:
            for _attempt in range(2):
                proc = self._ready_proc()
                rid = self._new_id()
                if proc.send({"op": "reset", "id": rid, "seed": int(seed)}):
                    reply = self._wait_for(proc, rid, time.monotonic() + RESET_TIMEOUT)
                    if reply is not None and reply.get("event") == "done":
                        return
                self._spawn()  # died or hung during a reset: a new worker is a fresh namespace
            raise WorkerUnavailable("the torch worker keeps failing to reset")

    def run(
        self,
        code: str,
        exprs: Sequence[str],
        *,
        training: Training | None = None,
        time_limit: float = 10.0,
        first_line: int = 1,
        on_loss: LossCallback | None = None,
        probe: Mapping[str, Any] | None = None,
    ) -> StepResult:
        """Run ``code`` in the lesson namespace, then evaluate each of ``exprs``.

        Never raises for lesson problems: errors come back in ``StepResult.error`` (the
        exception from the code, "Timeout", "WorkerCrashed", "Cancelled" or
        "DeviceUnavailable"). After Timeout, WorkerCrashed and Cancelled a new worker is
        already starting (``generation`` grew; the namespace is gone, callers replay).
        ``on_loss`` is called from the reader thread with the whole series so far.
        ``first_line`` is the number given to the code's first line in tracebacks.
        ``probe`` (exercises, experiments) asks the worker to watch the code and run checks
        after it (``worker/exercise_probe.py``); their results come in ``StepResult.checks``.
        The step's graph is asked for afterwards, with :meth:`graph`.
        """
        request = {
            "op": "run",
            "training": protocol.training_to_json(training),
            "probe": dict(probe) if probe is not None else None,
        }
        return self._request(request, code, exprs, time_limit, first_line, on_loss, None)

    def run_learner(
        self,
        prelude: Sequence[PreludeBlock],
        code: str,
        *,
        first_line: int = 1,
        seed: int = 0,
        probe: Mapping[str, Any] | None = None,
        training: Training | None = None,
        time_limit: float = 10.0,
        memory_limit: int | None = None,
        on_loss: LossCallback | None = None,
    ) -> StepResult:
        """Run untrusted ``code`` (a learner's) in a fresh process, thrown away afterwards.

        The process starts from a fork server that imported torch, seeds torch with ``seed``,
        runs the TRUSTED ``prelude`` blocks in order (``(code, first_line)`` each: the
        lesson's earlier steps with reference solutions, then the step's setup; build them
        with :func:`autograd_tutor.session.learner_code.prelude_for`), then ``code`` (its first
        line numbered ``first_line``) with ``record_loss`` and the built-in checks of
        ``probe`` watching it (same ``probe`` dict as :meth:`run`: ``checks``,
        ``record_backward``, ``rule_names``). It sends back plain data only; the ``expr``
        checks and ``training`` expressions are then evaluated in the lesson worker on that
        data, where learner code never ran. The lesson namespace is not touched.

        Limits: ``time_limit`` seconds (wall and CPU) for ``code``, as much for each prelude
        block; ``memory_limit`` bytes above what the process held before ``code`` (None: a
        quarter of the machine's memory; this client's own ``memory_limit`` wins over it). On
        timeout, cancel or close the process's whole group is killed, whatever it forked
        included.

        Never raises for the code's problems: ``StepResult.error`` is the exception the code
        raised, or "Timeout", "MemoryLimit", "ConnectionBroken" (the code ended its process or
        wrote into the channel: the run failed), "LessonCodeFailed" (a prelude block raised),
        "Cancelled", "WorkerCrashed", "DeviceUnavailable". ``StepResult.checks`` holds every
        check of ``probe`` in order; ``training`` the loss series (``record_loss`` values, and
        with ``record_backward`` the scalars ``backward()`` was called on). ``on_loss`` is
        called from a reader thread with the whole series so far.
        """
        blocks = [[str(block_code), int(line)] for block_code, line in prelude]
        request = {
            "op": "learner",
            "training": protocol.training_to_json(training),
            "probe": dict(probe) if probe is not None else None,
            "prelude": blocks,
            "seed": int(seed),
            "time_limit": float(time_limit),
            "memory_limit": int(self.memory_limit or memory_limit or 0) or None,
        }
        # the lesson worker stops the run at its limits; this is the safety net above them
        waits = time_limit * (len(blocks) + 1) + LEARNER_MARGIN
        return self._request(request, code, [], waits, first_line, on_loss, None)

    def prepare_learner(self) -> None:
        """Start the fork server of learner runs now (it imports torch: seconds), so that the
        first :meth:`run_learner` does not wait for it. Call it when an exercise or an
        experiment is shown; returns at once. Nothing happens when no worker is running."""
        proc = self._proc
        if proc is not None and proc.info is not None and proc.alive():
            proc.send({"op": "warm_learner", "id": 0})

    def preview(
        self,
        code: str,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        first_line: int = 1,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult:
        """The forward graph ``code`` would build, before it really runs: the code runs in a
        copy of the namespace (which stays as it was), ``backward()`` does nothing, and the
        result has no values, only ``graph`` (structure and the leaves' numbers, never a
        gradient). Errors and timeouts come back as in :meth:`run`."""
        request = {"op": "preview", "training": None}
        return self._request(request, code, exprs, time_limit, first_line, None, graph_for)

    def graph(
        self,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult:
        """The graph of the step that ran last (call it right after :meth:`run`, before any
        other run), with the gradient torch sent along each edge and into each node during
        that step's backward() calls: ``StepResult.graph``, no values."""
        request = {"op": "graph", "training": None}
        return self._request(request, "", exprs, time_limit, 1, None, graph_for)

    def _request(
        self,
        request: dict[str, Any],
        code: str,
        exprs: Sequence[str],
        time_limit: float,
        first_line: int,
        on_loss: LossCallback | None,
        graph_for: Sequence[bool] | None,
    ) -> StepResult:
        request = dict(request)
        request["graph_for"] = [bool(g) for g in graph_for] if graph_for is not None else None
        with self._run_lock:
            started = time.monotonic()
            with self._state_lock:
                self._busy = True
                self._cancelled = False
            try:
                return self._run(request, code, exprs, time_limit, first_line, on_loss, started)
            finally:
                with self._state_lock:
                    self._busy = False
                    self._cancelled = False

    def cancel(self) -> None:
        """Stop the running step (from any thread); it returns error type "Cancelled"."""
        with self._state_lock:
            if not self._busy:
                return
            self._cancelled = True
            proc = self._running
            if proc is not None:
                proc.kill_learner()
            if proc is not None and proc.alive():
                try:
                    proc.popen.kill()  # under the lock: run() knows for sure whether this happened
                except OSError:
                    pass

    # -- internals ---------------------------------------------------------------------------
    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _ready_proc(self) -> _WorkerHandle:
        self.wait_ready()
        proc = self._proc
        assert proc is not None
        return proc

    def _wait_for(self, proc: _WorkerHandle, rid: int, deadline: float) -> dict[str, Any] | None:
        """The reply to request ``rid``, an ``exit`` event, or None at the deadline."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                message = proc.messages.get(timeout=left)
            except queue.Empty:
                return None
            if message.get("event") == "exit" or message.get("id") == rid:
                return message

    def _run(
        self,
        base: dict[str, Any],
        code: str,
        exprs: Sequence[str],
        time_limit: float,
        first_line: int,
        on_loss: LossCallback | None,
        started: float,
    ) -> StepResult:
        with self._state_lock:
            proc = self._proc
            if proc is not None and proc.info is not None and not proc.alive():
                # it died while idle: the namespace is gone, so this step cannot run as asked
                code_died = describe_exit(proc.popen.returncode)
                tail = proc.stderr_tail()
                self._spawn()
                return _failed(
                    "WorkerCrashed",
                    f"the torch worker had stopped ({code_died}); a new one is starting",
                    tail,
                    started,
                )
        try:
            proc = self._ready_proc()
        except WorkerUnavailable as exc:
            return _failed("DeviceUnavailable", exc.message, "", started)
        except RuntimeError:
            if not self._closed:
                raise
            return _failed("Cancelled", "the worker was closed", "", started)
        rid = self._new_id()
        proc.losses = []
        proc.loss_id = rid
        proc.on_loss = on_loss
        request = {
            **base,
            "id": rid,
            "code": code,
            "exprs": list(exprs),
            "first_line": int(first_line),
        }
        with self._state_lock:
            if self._cancelled or self._closed:
                return _failed("Cancelled", "the step was cancelled", "", started)
            self._running = proc
        try:
            sent_at = time.monotonic()
            reply = None
            if proc.send(request):
                reply = self._wait_for(proc, rid, sent_at + time_limit)
            else:
                proc.popen.wait()
                reply = {"event": "exit", "code": proc.popen.returncode}
        finally:
            with self._state_lock:
                self._running = None
                cancelled = self._cancelled or self._closed
            proc.on_loss = None
            proc.loss_id = None
            if reply is not None and reply.get("event") == "result":
                proc.learner_pid = None  # the lesson worker killed the run's group already
            else:  # interrupted (ctrl+c), timed out or the worker died: the run's group goes now
                proc.kill_learner()
            self.last_learner_pid = proc.last_learner_pid
        finished = reply is not None and reply.get("event") == "result"
        if finished and not cancelled:
            try:
                result = StepResult.from_json(reply["result"])  # type: ignore[index]
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                return _failed(
                    "WorkerError",
                    f"the torch worker sent a malformed result ({exc!r})",
                    "",
                    started,
                )
            return _with_seconds(result, time.monotonic() - started)
        # the step did not finish (or was cancelled as it finished): the process must go
        proc.kill()
        printed = proc.captured()
        if cancelled:
            self._spawn()
            return _failed("Cancelled", "the step was cancelled", printed, started)
        if reply is None:
            self._spawn()
            return _failed(
                "Timeout",
                f"the step ran longer than {time_limit:g} s and was stopped",
                printed,
                started,
            )
        exit_text = describe_exit(proc.popen.returncode)
        tail = proc.stderr_tail()
        self._spawn()
        message = f"the torch worker stopped while running the step ({exit_text})"
        if tail:
            message += f"; its last output:\n{tail}"
        return _failed("WorkerCrashed", message, printed, started)


def _failed(kind: StepErrorKind, message: str, stdout: str, started: float) -> StepResult:
    return StepResult.failure(kind, message, stdout=stdout, seconds=time.monotonic() - started)


def _with_seconds(result: StepResult, seconds: float) -> StepResult:
    return dataclasses.replace(result, seconds=seconds)
