"""Before either interface starts: the full-screen app needs a terminal, and ``--device cuda``
on a machine without CUDA stops before the first question (in ``--plain`` and in the app)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cli_helpers import run_cli_in_terminal, torch_sees_cuda
from cli_runner import run_cli

from autograd_tutor.errors import ExitStatus

LESSON = "first-gradient"


def test_the_app_without_a_terminal_says_to_use_plain_and_exits(data_dir: Path) -> None:
    # `echo 8 | autograd-tutor first-gradient > out.txt`: neither end is a terminal.
    started = time.monotonic()
    done = run_cli([LESSON, "--data-dir", str(data_dir)], "8\n", timeout=60)
    assert done.returncode == ExitStatus.USAGE
    assert "standard input and output are not one" in done.stderr
    assert "use --plain" in done.stderr
    assert done.stdout == ""
    assert time.monotonic() - started < 30  # it stops at once (it never waits for keys)
    assert not data_dir.exists()  # nothing was started, nothing was written


def test_the_app_with_output_to_a_file_says_to_use_plain(data_dir: Path) -> None:
    code, shown = run_cli_in_terminal(
        [LESSON, "--data-dir", str(data_dir)], stdout_to_terminal=False
    )
    assert code == ExitStatus.USAGE
    assert "standard output is not one; use --plain" in shown


def test_plain_needs_no_terminal(data_dir: Path) -> None:
    done = run_cli(["--plain", LESSON, "--data-dir", str(data_dir)], "16\n")
    assert done.returncode == 0, done.stderr
    assert "terminal" not in done.stderr


CUDA_MISSING = "--device cuda was asked for, but this torch sees no CUDA device"


@pytest.mark.skipif(torch_sees_cuda(), reason="this machine has CUDA")
def test_cuda_without_cuda_stops_the_app_before_it_starts(data_dir: Path) -> None:
    code, shown = run_cli_in_terminal([LESSON, "--device", "cuda", "--data-dir", str(data_dir)])
    assert code == ExitStatus.DEVICE_UNAVAILABLE
    assert CUDA_MISSING in " ".join(shown.split())
    assert "\x1b[?1049h" not in shown  # the full-screen app never took over the terminal


@pytest.mark.skipif(torch_sees_cuda(), reason="this machine has CUDA")
def test_cuda_without_cuda_stops_plain_before_the_first_question(data_dir: Path) -> None:
    done = run_cli(["--plain", LESSON, "--device", "cuda", "--data-dir", str(data_dir)], "16\n")
    assert done.returncode == ExitStatus.DEVICE_UNAVAILABLE
    assert CUDA_MISSING in done.stderr
    assert "Step 1" not in done.stdout
    assert "y = ?" not in done.stdout  # no question was asked
    assert not list(data_dir.glob("*.json"))  # nothing recorded
