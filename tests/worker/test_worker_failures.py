"""Steps that never finish or take the worker down: timeout, crash, cancel, restart."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from process_helpers import gone

from autograd_tutor.worker import WorkerClient


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) counts as gone
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _works_again(worker: WorkerClient) -> None:
    worker.reset(3)
    result = worker.run(
        "x = torch.tensor(2.0, requires_grad=True)\n(x ** 3).backward()", ["x.grad"]
    )
    assert result.ok, result.error
    assert result.values[0].value is not None and result.values[0].value.data == 12.0


def test_an_endless_step_is_killed_at_its_limit(worker: WorkerClient) -> None:
    worker.reset(0)
    worker.run("state = 1", [])
    old_pid = worker.wait_ready().pid
    generation = worker.generation
    result = worker.run("print('before')\nwhile True:\n    pass\n", [], time_limit=1)
    assert result.error is not None
    assert result.error.type == "Timeout"
    assert result.error.message == "the step ran longer than 1 s and was stopped"
    assert result.stdout == "before\n"
    assert worker.generation == generation + 1
    assert not _alive(old_pid)
    _works_again(worker)
    assert worker.run("", ["'state' in dir()"]).values[0].value.data is False  # namespace lost


@pytest.mark.parametrize(
    ("code", "expect"),
    [
        ("import os\nos._exit(3)", ["(exit code 3)"]),
        (
            "import ctypes\nctypes.string_at(0)",
            # faulthandler's report, from the stderr tail, names the step's line
            ["SIGSEGV", "Segmentation fault", '"<step>", line 2'],
        ),
    ],
    ids=["os-exit", "segfault"],
)
def test_a_crashing_step_reports_the_crash_and_the_worker_restarts(
    worker: WorkerClient, code: str, expect: list[str]
) -> None:
    worker.reset(0)
    generation = worker.generation
    result = worker.run(code, ["1"], time_limit=30)
    assert result.error is not None
    assert result.error.type == "WorkerCrashed"
    for text in expect:
        assert text in result.error.message
    assert result.seconds < 30
    assert worker.generation == generation + 1
    _works_again(worker)


def _once_started(tmp_path: Path, action: Callable[[], None]) -> tuple[str, threading.Thread]:
    """(a line of step code, a thread): the thread calls ``action`` once the step has run
    that line, which writes to a FIFO the thread waits on (no clock in between)."""
    fifo = tmp_path / "started"
    os.mkfifo(fifo)

    def wait_then_act() -> None:
        with open(fifo) as started:
            started.read()  # returns when the step has written and closed its end
        action()

    thread = threading.Thread(target=wait_then_act, daemon=True)
    thread.start()
    return f"with open({str(fifo)!r}, 'w') as started:\n    started.write('started')\n", thread


def test_cancel_from_another_thread_stops_the_step(worker: WorkerClient, tmp_path: Path) -> None:
    worker.reset(0)
    generation = worker.generation
    line, thread = _once_started(tmp_path, worker.cancel)
    code = f"import threading\nprint('started')\n{line}threading.Event().wait()"  # never ends
    result = worker.run(code, [], time_limit=60)  # Cancelled, not Timeout
    thread.join(timeout=60)
    assert result.error is not None
    assert result.error.type == "Cancelled"
    assert result.stdout == "started\n"
    assert worker.generation == generation + 1
    _works_again(worker)


def test_cancel_with_nothing_running_changes_nothing(worker: WorkerClient) -> None:
    worker.reset(0)
    worker.run("kept = 5", [])
    generation = worker.generation
    worker.cancel()
    result = worker.run("", ["kept"])
    assert result.ok and result.values[0].value.data == 5
    assert worker.generation == generation


def test_a_worker_that_died_while_idle_is_reported_and_replaced(worker: WorkerClient) -> None:
    worker.reset(0)
    info = worker.wait_ready()
    generation = worker.generation
    os.kill(info.pid, 9)
    assert gone(info.pid)  # the process itself says it ended (pidfd), no poll
    result = worker.run("a = 1", [])
    assert result.error is not None and result.error.type == "WorkerCrashed"
    assert "SIGKILL" in result.error.message
    assert worker.generation == generation + 1
    _works_again(worker)


def test_close_during_a_step_ends_it_and_starts_no_new_worker(tmp_path: Path) -> None:
    client = WorkerClient(device="cpu")
    client.start()
    pid = client.wait_ready().pid
    generation = client.generation
    line, thread = _once_started(tmp_path, client.close)
    result = client.run(f"{line}while True:\n    pass\n", [], time_limit=30)
    thread.join(timeout=60)
    assert result.error is not None and result.error.type == "Cancelled"
    assert not _alive(pid)
    assert client.generation == generation  # nothing was restarted after close
