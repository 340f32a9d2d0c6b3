"""``WorkerClient``: starts the torch worker process, sends it requests and waits for their
replies, times a step out, kills and restarts the worker (the restart policy: after a timeout, a
crash or a cancel a new worker starts, and ``generation`` grows). The calling process never
imports torch. What each request asks is in ``lesson_requests.py``; the handle on one worker
process in ``process_handle.py``; ``WorkerLike``, the Protocol a session depends on, in
``worker_like.py``.

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
import queue
import threading
import time
import weakref
from collections.abc import Sequence
from typing import Any

from autograd_tutor.presentation import StepErrorKind
from autograd_tutor.worker.lesson_requests import LessonRequests
from autograd_tutor.worker.process_handle import WorkerHandle, describe_exit
from autograd_tutor.worker.protocol import StepResult, WorkerInfo, WorkerNotReady, WorkerUnavailable
from autograd_tutor.worker.worker_like import LossCallback

RESET_TIMEOUT = 30.0

_clients: weakref.WeakSet[WorkerClient] = weakref.WeakSet()


def _close_all() -> None:
    for client in list(_clients):
        client.close()


atexit.register(_close_all)


class WorkerClient(LessonRequests):
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
        self._proc: WorkerHandle | None = None
        self.last_learner_pid: int | None = None  # the run process of the latest learner run
        self._run_lock = threading.Lock()  # serializes run/reset
        self._state_lock = threading.RLock()  # guards _proc, _busy, _cancelled, _running
        self._busy = False
        self._cancelled = False
        self._running: WorkerHandle | None = None  # the process running a step right now
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
            self._proc = WorkerHandle(self.device, self.generation)

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

    def prepare_learner(self) -> None:
        """Start the fork server of learner runs now (it imports torch: seconds), so that the
        first :meth:`run_learner` does not wait for it. The session calls it once a step of a
        lesson with an exercise or an experiment has run, and when one is shown; returns at
        once. Nothing happens when no worker is running (or the server has started)."""
        proc = self._proc
        if proc is not None and proc.info is not None and proc.alive():
            proc.send({"op": "warm_learner", "id": 0})

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

    def _ready_proc(self) -> WorkerHandle:
        self.wait_ready()
        proc = self._proc
        assert proc is not None
        return proc

    def _wait_for(self, proc: WorkerHandle, rid: int, deadline: float) -> dict[str, Any] | None:
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
