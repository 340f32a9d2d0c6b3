"""Quitting ``--plain`` (ctrl+c, SIGINT) while learner code runs, issue 19: an endless loop,
and code that forks a child that sleeps. The command returns (status 130, "Interrupted"), and
nothing of it is left running: the lesson worker, its fork server, the run's process, its
process group and session (what it forked). (How long the quit takes is measured by
benchmarks/contained_bench.py, not here.)"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_runner import REPO, child_env
from process_helpers import (
    LONG_RUN_LESSON,
    descendants,
    describe,
    gone,
    long_running_code,
    session_members,
)

from autograd_tutor.errors import ExitStatus


def pids_written(fifo: int, limit: float) -> list[int]:
    """The pids the learner's code writes into the FIFO ``fifo`` (a non-blocking read end):
    waits for the write itself (select), at most a generous ``limit`` in seconds."""
    deadline = time.monotonic() + limit
    data = b""
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([fifo], [], [], max(left, 0))
        assert ready, "still waiting for the learner's code to run"
        chunk = os.read(fifo, 4096)
        if not chunk and data:  # the writer closed it: all is there
            return [int(word) for word in data.split()]
        data += chunk


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["endless", "fork_and_sleep"])
def test_ctrl_c_while_learner_code_runs_leaves_nothing_running(kind: str, tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "long-run.yaml").write_text(LONG_RUN_LESSON)
    started = tmp_path / "started"  # a FIFO: the test waits on the learner's write itself
    os.mkfifo(started)
    fifo = os.open(started, os.O_RDONLY | os.O_NONBLOCK)
    code = tmp_path / "mine.py"
    code.write_text(long_running_code(kind, started))
    wanted = 2 if kind == "fork_and_sleep" else 1
    args = ["--plain", "--device", "cpu", "--lessons", str(lessons)]
    args += ["--data-dir", str(tmp_path / "data"), "long-run"]
    app = subprocess.Popen(
        [sys.executable, "-m", "autograd_tutor", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        cwd=REPO,
    )
    try:
        assert app.stdin is not None
        app.stdin.write(f"file {code}\n")
        app.stdin.flush()  # stdin stays open: the learner is still there
        written = pids_written(fifo, 180)
        assert len(written) == wanted, written
        everything = {*descendants(app.pid), *written}
        run_pid = written[0]
        assert run_pid in everything and set(session_members(run_pid)) >= set(written)
        app.send_signal(signal.SIGINT)  # ctrl+c
        out, err = app.communicate(timeout=120)  # a generous limit: a hang fails here
    finally:
        os.close(fifo)
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == ExitStatus.INTERRUPTED, err
    assert "Traceback" not in err
    assert [describe(pid) for pid in sorted(everything) if not gone(pid)] == []
    assert session_members(run_pid) == []
