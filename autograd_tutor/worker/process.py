"""The torch worker process's main: ``python -m autograd_tutor.worker.process --device
auto|cpu|cuda [--capture-fd N]`` (the parent's handle on it is ``process_handle.WorkerHandle``).

It imports torch once, then answers requests (JSON lines on stdin, see ``protocol.py``) on its
original stdout, which it keeps for the protocol alone: file descriptor 1 is pointed elsewhere
at start, and during a step both fd 1 and fd 2 write into a capture file, so ``print``, warnings
and C-level writes of lesson code come back in ``StepResult.stdout`` and never corrupt the
protocol. The capture file is the open file descriptor the client passes (``--capture-fd``), or
an anonymous temporary file: it has no name on disk, so nothing is left behind when either
process is killed. The worker exits as soon as its stdin closes, even in the middle of a step.

This module sets the process up and dispatches each request; each request's handler is in
``step_handlers.py``, the namespace they work in (and the capture) in ``lesson_namespace.py``.

Lesson code and question expressions are lesson data written by the lesson's author (trusted,
like any other code in the package); learner input never reaches this process.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import queue
import signal
import sys
import tempfile
import threading
import warnings
from typing import Any

from autograd_tutor.worker import protocol
from autograd_tutor.worker.lesson_namespace import MAX_FILE_BYTES, flush_std
from autograd_tutor.worker.protocol import StepError, StepResult, WorkerInfo
from autograd_tutor.worker.step_handlers import Worker


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
    flush_std()
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
