"""``autograd-tutor watch DIR`` on the command line: what it refuses, before any screen."""

from __future__ import annotations

from pathlib import Path

from cli_runner import run_cli

from autograd_tutor.errors import ExitStatus


def test_watch_needs_a_folder(tmp_path: Path) -> None:
    done = run_cli(["watch", str(tmp_path / "nowhere")])
    assert done.returncode == ExitStatus.USAGE
    assert done.stderr.strip() == f"error: {tmp_path / 'nowhere'} is not a folder"


def test_watch_needs_a_terminal_and_says_so(tmp_path: Path) -> None:
    done = run_cli(["watch", str(tmp_path)])
    assert done.returncode == ExitStatus.USAGE
    assert done.stderr.strip() == (
        "error: watch is a full-screen app and needs a terminal; for the class as text use "
        f"autograd-tutor report {tmp_path}"
    )
    assert list(tmp_path.iterdir()) == []  # nothing written into the folder


def test_thresholds_are_checked_as_options(tmp_path: Path) -> None:
    done = run_cli(["watch", str(tmp_path), "--wrong-in-a-row", "0"])
    assert done.returncode == ExitStatus.USAGE
    assert "--wrong-in-a-row: 0 is less than 1" in done.stderr
    done = run_cli(["watch", str(tmp_path), "--interval", "-1"])
    assert done.returncode == ExitStatus.USAGE
    assert "--interval: -1 is not between 0 and 3600 seconds" in done.stderr
