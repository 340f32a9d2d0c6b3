"""Learner code in a throwaway process: the lesson worker's side (the run process's side is
``learner_run.py``, the channel between them ``learner_channel.py``).

:class:`LearnerPool` keeps one spare run process ready: forked by ``multiprocessing``'s
forkserver, a server that imported torch (and never ran an op or touched CUDA), so a fresh
process costs milliseconds, not a torch import; where fork is unsafe (macOS) the spare is
spawned ahead instead. Each run takes the spare, hands it the request, reads its channel under
the time limits, then kills the process's whole group (what it forked too) and starts the next
spare. What comes back is judged in the lesson worker, where learner code never runs, by
``learner_judge.judge`` (also importable from here).
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import select
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from autograd_tutor.worker import learner_channel
from autograd_tutor.worker.learner_channel import FrameReader
from autograd_tutor.worker.learner_judge import Delivery
from autograd_tutor.worker.learner_judge import judge as judge
from autograd_tutor.worker.learner_report import ChannelBroken
from autograd_tutor.worker.protocol import MAX_STDOUT_CHARS

KILL_WAIT = 2.0  # seconds to wait for a killed run process to be reaped


def default_memory_limit() -> int:
    """A quarter of the machine's memory, in bytes (4 GiB when it cannot be read)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")) // 4
    except (ValueError, OSError, AttributeError):
        return 4 * 2**30


class _Inherited:
    """A file descriptor handed to the new process when multiprocessing pickles its args."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[Any, ...]:
        from multiprocessing import reduction

        return (_detach, (reduction.DupFd(self.fd),))


def _detach(dup: Any) -> int:
    return int(dup.detach())


def _start_child(request_fd: Any, channel_fd: Any, capture_fd: Any) -> None:
    """The run process's target (imported in the fork server: no torch op at import)."""
    from autograd_tutor.worker.learner_run import child_main

    child_main(int(request_fd), int(channel_fd), int(capture_fd))


class _Spare:
    """One run process, started and waiting for its request."""

    def __init__(self, context: Any) -> None:
        request_r, self.request_w = os.pipe()
        self.channel_r, channel_w = os.pipe()
        self.capture = tempfile.TemporaryFile(prefix="autograd-tutor-run-")
        self.process = context.Process(
            target=_start_child,
            args=(
                _Inherited(request_r),
                _Inherited(channel_w),
                _Inherited(self.capture.fileno()),
            ),
            name="autograd-tutor-run",
            daemon=False,
        )
        try:
            self.process.start()
        finally:
            os.close(request_r)
            os.close(channel_w)

    @property
    def pid(self) -> int:
        return int(self.process.pid or 0)

    def kill(self) -> None:
        """SIGKILL to the process and its group (what it forked), then reap it."""
        kill_group(self.pid)
        self.process.join(KILL_WAIT)

    def close(self) -> None:
        for fd in (self.request_w, self.channel_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self.capture.close()
        try:
            self.process.close()
        except ValueError:  # still running: a process stuck in the kernel
            pass

    def printed(self) -> str:
        """What the run printed, cut with a note."""
        fd = self.capture.fileno()
        size = os.fstat(fd).st_size
        data = os.pread(fd, MAX_STDOUT_CHARS * 4, 0)
        text = data.decode("utf-8", errors="replace")
        if len(text) > MAX_STDOUT_CHARS or size > len(data):
            text = text[:MAX_STDOUT_CHARS] + f"\n[... output cut: {size} bytes in all]\n"
        return text


def kill_group(pid: int) -> None:
    """SIGKILL to ``pid`` and to its process group (a run process leads its own)."""
    if pid <= 1:
        return
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _reap(spare: _Spare) -> None:
    spare.process.join(KILL_WAIT)
    spare.close()


# what the fork server imports once, so that no run pays for it: torch, the run's own modules,
# and what torch imports lazily on a common path, about a second each in every fresh process:
# the first backward() with a gradient argument imports symbolic_shapes and sympy, the first
# optimizer (torch.optim.SGD(...)) torch._dynamo. Importing them runs no op and starts no thread.
PRELOAD = [
    "torch",
    "torch.fx.experimental.symbolic_shapes",
    "torch._dynamo",
    "autograd_tutor.worker.learner_run",
    "autograd_tutor.worker.contained",
]


class LearnerPool:
    """Run processes for one lesson worker (see the module docstring)."""

    def __init__(self) -> None:
        if sys.platform == "darwin" or "forkserver" not in multiprocessing.get_all_start_methods():
            self.context: Any = multiprocessing.get_context("spawn")
        else:
            self.context = multiprocessing.get_context("forkserver")
            self.context.set_forkserver_preload(PRELOAD)
        self._spare: _Spare | None = None
        self._lock = threading.Lock()
        self._filling: threading.Thread | None = None

    def prepare(self) -> None:
        """Start the server and a spare in the background (a run before it is ready waits)."""
        with self._lock:
            if self._filling is None and self._spare is None:
                self._filling = threading.Thread(target=self._fill, daemon=True)
                self._filling.start()

    def _fill(self) -> None:
        try:
            spare = _Spare(self.context)
        except Exception:  # noqa: BLE001  the next run starts one itself and reports why
            spare = None
        with self._lock:
            self._spare = spare
            self._filling = None

    def _claim(self) -> _Spare | None:
        """The spare, once a start in the background has ended (None when there is none)."""
        with self._lock:
            filling = self._filling
        if filling is not None:
            filling.join()
        with self._lock:
            spare, self._spare = self._spare, None
        return spare

    def _take(self) -> _Spare:
        spare = self._claim()
        if spare is None or not spare.process.is_alive():
            if spare is not None:
                spare.close()
            spare = _Spare(self.context)
        return spare

    def close(self) -> None:
        spare = self._claim()
        if spare is not None:
            spare.kill()
            spare.close()

    def run(
        self,
        request: dict[str, Any],
        *,
        on_start: Callable[[int], None],
        on_loss: Callable[[list[float]], None],
    ) -> Delivery:
        """Hand ``request`` (see ``learner_run.py``) to a fresh process and read what it sends
        under the limits: ``time_limit`` seconds for the learner's code, that much for each
        block of the prelude. The process and its group are gone when this returns."""
        started = time.monotonic()
        spare = self._take()
        token = secrets.token_hex(16)
        time_limit = float(request.get("time_limit") or 10.0)
        prelude_limit = time_limit * max(1, len(request.get("prelude") or []))
        reader = FrameReader(token)
        broken: str | None = None
        timed_out: str | None = None
        on_start(spare.pid)
        try:
            payload = learner_channel.json_request({**request, "token": token})
            try:
                os.write(spare.request_w, payload)
            except OSError:
                broken = "the run process ended before it got its code"
            os.close(spare.request_w)
            spare.request_w = -1
            deadline = time.monotonic() + prelude_limit
            while broken is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    timed_out = (
                        f"the step ran longer than {time_limit:g} s and was stopped"
                        if reader.frames.prelude_done
                        else f"the lesson's code before yours ran longer than {prelude_limit:g} s"
                    )
                    break
                ready, _, _ = select.select([spare.channel_r], [], [], left)
                if not ready:
                    continue
                data = os.read(spare.channel_r, 1 << 16)
                if not data:
                    break
                before = len(reader.frames.losses)
                try:
                    kinds = reader.feed(data)
                except ChannelBroken as exc:
                    broken = str(exc)
                    break
                if "P" in kinds:
                    deadline = time.monotonic() + time_limit
                if len(reader.frames.losses) > before:
                    on_loss(reader.frames.losses[before:])
                if "R" in kinds:  # the last frame: no need to wait for the process to end
                    break
            if broken is None and timed_out is None:
                try:
                    reader.finish()
                except ChannelBroken as exc:
                    broken = str(exc)
        except BaseException:
            spare.kill()
            raise
        finished = broken is None and timed_out is None
        if finished:  # the result is in: the group goes, the reaping is done aside
            kill_group(spare.pid)
            stdout = spare.printed()
            threading.Thread(target=_reap, args=(spare,), daemon=True).start()
            self.prepare()
            return Delivery(
                frames=reader.frames,
                broken=None,
                timed_out=None,
                stdout=stdout,
                exitcode=None,
                seconds=time.monotonic() - started,
                losses=list(reader.frames.losses),
            )
        spare.kill()
        exitcode = spare.process.exitcode
        if (
            timed_out is None
            and exitcode is not None
            and exitcode
            in (
                -signal.SIGXCPU,
                -signal.SIGKILL,
            )
            and reader.frames.prelude_done
            and reader.frames.report is None
        ):
            if exitcode == -signal.SIGXCPU:
                timed_out = f"your code used more than {time_limit:g} s of CPU time"
        stdout = spare.printed()
        spare.close()
        self.prepare()
        return Delivery(
            frames=None,
            broken=broken,
            timed_out=timed_out,
            stdout=stdout,
            exitcode=exitcode,
            seconds=time.monotonic() - started,
            losses=list(reader.frames.losses),
        )
