"""Saves that fail in the middle of a ``--plain`` sitting (a results folder made read-only, a
data folder that goes away): the lesson's summary says what did not reach its folder, where the
progress is, and the exit status names it (README: exit statuses). Nothing typed is lost."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import stored_attempts
from cli_runner import child_env
from save_failures import block, chmod_stops_writes
from test_cli_plain import small_lessons

from autograd_tutor.errors import ExitStatus
from autograd_tutor.progress import read_document


def sitting(
    args: list[str], first: str, marker: str, then: Callable[[], None], rest: str, env: dict
) -> tuple[int, str]:
    """``--plain`` with ``first`` typed; once ``marker`` has shown twice (step 2 asks), call
    ``then`` and type ``rest``; the exit status and everything shown (stdout and stderr)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "autograd_tutor", "--plain", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(first.encode())
    proc.stdin.flush()
    seen = b""
    deadline = time.monotonic() + 120
    try:
        while seen.count(marker.encode()) < 2:
            assert time.monotonic() < deadline, seen.decode()[-2000:]
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                assert chunk, seen.decode()[-2000:]  # it ended before step 2 asked
                seen += chunk
        then()  # step 1 is saved; step 2 waits for its answer
        out, _ = proc.communicate(rest.encode(), timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, (seen + out).decode()


def small_args(tmp_path: Path, data_dir: Path, results: Path) -> list[str]:
    folder = small_lessons(tmp_path)
    return [
        "small", "--lessons", str(folder), "--data-dir", str(data_dir),
        "--results-dir", str(results), "--student", "ann",
    ]  # fmt: skip


def results_typed(path: Path) -> list[str]:
    doc = read_document(path)
    assert doc is not None
    return [a["typed"] for a in doc["lessons"]["small"]["attempts"]]


def test_a_results_folder_made_read_only_mid_lesson(tmp_path: Path, data_dir: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    if not chmod_stops_writes(results):
        pytest.skip("a read-only mode does not stop this user (root); the next test blocks it")
    args = small_args(tmp_path, data_dir, results)
    try:
        code, shown = sitting(
            args, "6\n9\n", "x.grad = ?", lambda: results.chmod(0o555), "12\n", child_env()
        )
    finally:
        results.chmod(0o755)
    assert code == ExitStatus.RESULTS_NOT_SAVED, shown[-2000:]
    summary = " ".join(shown[shown.rindex("Step 2 of 2") :].split())
    assert f"Your results did NOT reach the results folder: {results / 'ann.json'}" in summary
    assert "(Permission denied)" in summary
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9", "12"]
    assert results_typed(results / "ann.json") == ["6", "9"]  # the copy before the chmod


def test_a_results_folder_gone_mid_lesson_is_said_on_the_summary(
    tmp_path: Path, data_dir: Path
) -> None:
    results = tmp_path / "results"
    args = small_args(tmp_path, data_dir, results)
    code, shown = sitting(args, "6\n9\n", "x.grad = ?", lambda: block(results), "12\n", child_env())
    assert code == ExitStatus.RESULTS_NOT_SAVED, shown[-2000:]
    summary = " ".join(shown[shown.rindex("Step 2 of 2") :].split())
    assert (
        f"Your results did NOT reach the results folder: {results / 'ann.json'} could not be "
        "written (" in summary
    )
    assert f"your progress is saved in {data_dir / 'ann.json'}" in summary
    assert "Tell your teacher." in summary
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9", "12"]
    assert results_typed(results.with_name("results.away") / "ann.json") == ["6", "9"]


def test_a_data_folder_gone_mid_lesson_keeps_a_copy_and_scores_every_answer(
    tmp_path: Path, data_dir: Path
) -> None:
    results = tmp_path / "results"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    args = small_args(tmp_path, data_dir, results)
    code, shown = sitting(
        args,
        "6\n9\n",
        "x.grad = ?",
        lambda: block(data_dir),
        "12\n",
        child_env(TMPDIR=str(scratch)),
    )
    assert code == ExitStatus.DATA_UNWRITABLE, shown[-2000:]
    assert "error: Your answers could not be saved" in shown  # at the step, as it happened
    rescue = scratch / f"autograd-tutor-unsaved-{os.getuid()}" / "ann.json"
    summary = " ".join(shown[shown.rindex("Step 2 of 2") :].split())
    assert (
        f"Your progress was NOT saved: 1 change could not be written to {data_dir / 'ann.json'}"
        in summary
    )
    assert f"A copy of all your progress is kept in {rescue}" in summary
    assert "small 3 / 3 100%" in summary  # the unsaved answer counts in the summary
    assert "Your answers to the finished steps are saved" not in shown
    assert results_typed(rescue) == ["6", "9", "12"]  # nothing typed is lost
    assert results_typed(results / "ann.json") == ["6", "9", "12"]  # the teacher has it too
