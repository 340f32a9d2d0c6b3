"""Quitting the app (ctrl+q) while learner code runs, issue 19: an endless loop, and code that
forks a child that sleeps. The app returns, and nothing of the app is left running: the run's
process, its process group and session (what it forked), the lesson worker and its fork
server. (How long the quit takes is measured by benchmarks/contained_bench.py, not here.)"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from process_helpers import (
    LONG_RUN_LESSON,
    descendants,
    describe,
    gone,
    long_running_code,
    pids_in,
    session_members,
)
from tui_helpers import wait_until

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.exercise import ExerciseScreen


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["endless", "fork_and_sleep"])
async def test_quit_while_learner_code_runs_leaves_nothing_running(
    kind: str, tmp_path: Path, tui_store
) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "long-run.yaml").write_text(LONG_RUN_LESSON)
    started = tmp_path / "started"
    wanted = 2 if kind == "fork_and_sleep" else 1
    app = AutogradTutorApp(lessons, device="cpu", store=tui_store, cursor_blink=False)

    async def run_then_quit() -> list[int]:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: app.lessons_loaded)
            app.open_lesson("long-run", {0: None})
            await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen), timeout=60)
            screen = app.screen
            screen.editor.load_text(long_running_code(kind, started))
            await pilot.press("ctrl+r")
            # the learner's code is running (its pids written), in the app's own worker
            await wait_until(pilot, lambda: len(pids_in(started)) == wanted, timeout=180)
            assert screen.busy
            run_pid = pids_in(started)[0]
            worker_pid = app.worker.pid
            assert worker_pid is not None
            everything = {worker_pid, *descendants(worker_pid), *pids_in(started)}
            assert run_pid in everything  # run by the app's own worker
            assert set(session_members(run_pid)) >= set(pids_in(started))
            await pilot.press("ctrl+q")
        return sorted(everything)

    # the app returns (a generous limit: a hang fails here, not after minutes)
    everything = await asyncio.wait_for(run_then_quit(), timeout=300)
    run_pid = pids_in(started)[0]
    assert [describe(pid) for pid in everything if not gone(pid)] == []
    assert session_members(run_pid) == []
    assert app.return_code in (None, 0)
