"""Quitting ``--plain`` (ctrl+c, SIGINT) while learner code runs, issue 19: an endless loop,
and code that forks a child that sleeps. The command returns (status 130, "Interrupted"), and
nothing of it is left running: the lesson worker, its fork server, the run's process, its
process group and session (what it forked). (How long the quit takes is measured by
benchmarks/contained_bench.py, not here.)"""

from __future__ import annotations

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
    pids_in,
    session_members,
)

from autograd_tutor.errors import ExitStatus


def wait_for(predicate, limit: float, what: str) -> None:
    """Poll ``predicate`` until it holds (a generous ``limit`` in seconds, then fail)."""
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["endless", "fork_and_sleep"])
def test_ctrl_c_while_learner_code_runs_leaves_nothing_running(kind: str, tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "long-run.yaml").write_text(LONG_RUN_LESSON)
    started = tmp_path / "started"
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
        wait_for(lambda: len(pids_in(started)) == wanted, 180, "the learner's code to run")
        everything = {*descendants(app.pid), *pids_in(started)}
        run_pid = pids_in(started)[0]
        assert run_pid in everything and set(session_members(run_pid)) >= set(pids_in(started))
        app.send_signal(signal.SIGINT)  # ctrl+c
        out, err = app.communicate(timeout=120)  # a generous limit: a hang fails here
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == ExitStatus.INTERRUPTED, err
    assert "Traceback" not in err
    assert [describe(pid) for pid in sorted(everything) if not gone(pid)] == []
    assert session_members(run_pid) == []
