"""The parent's handle on one worker process: its pipes, the two anonymous files that catch
what a step prints and what the worker writes to stderr (``tempfile.TemporaryFile``: no name on
disk, handed to the worker as open file descriptors), the reader thread that parses its messages
and calls ``on_loss``, and the ways to kill it and what it started; ``describe_exit`` puts an
exit status in words.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import IO, Any

from autograd_tutor.worker import protocol
from autograd_tutor.worker.protocol import WorkerInfo
from autograd_tutor.worker.worker_like import LossCallback

STDERR_TAIL_CHARS = 2_000


class WorkerHandle:
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
