"""The command line's one error boundary: every error a user can act on is ``error: ...`` on
stderr and a named exit status, never a traceback; options are checked once; a subcommand may
come anywhere among the options, and offers only the options that mean something there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import torch_sees_cuda
from cli_runner import run_cli

from autograd_tutor.cli import main
from autograd_tutor.commands import list as list_command
from autograd_tutor.errors import ExitStatus

BROKEN = """\
id: broken
title: Broken
steps:
  - code: |
      x = torch.tensor(3.0, requires_grad=True)
      (x * x).backward()
    ask:
      - expr: x.grad
        expect: 6
        wrong:
          - answer: "[1,,2]"
            says: Not even a tensor.
"""


def test_plain_with_a_missing_lessons_folder_is_a_usage_error() -> None:
    """Bug 2: ``--plain --lessons /nonexistent`` printed a FileNotFoundError traceback."""
    done = run_cli(["--plain", "--lessons", "/nonexistent"])
    assert done.returncode == ExitStatus.USAGE
    assert "error: argument --lessons: /nonexistent: no such folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_plain_never_tracebacks_on_a_lesson_whose_wrong_answer_does_not_parse(
    write_lesson, tmp_path: Path
) -> None:
    """Bug 1: such a lesson loaded, and ``--plain`` died when a learner answered."""
    folder = write_lesson(BROKEN, "broken.yaml").parent
    done = run_cli(
        ["--plain", "broken", "--lessons", str(folder), "--data-dir", str(tmp_path / "d")], "9\n"
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == ExitStatus.LESSONS_UNREADABLE
    error = f"error: {folder / 'broken.yaml'}:11:25: steps[0].ask[0].wrong[0].answer: not an"
    assert error in done.stderr
    assert done.stdout == ""  # no step was shown


def test_an_unwritable_data_folder_stops_before_any_question(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("not a folder")
    status = main(["--plain", "--data-dir", str(a_file / "data"), "first-gradient"])
    assert status == ExitStatus.DATA_UNWRITABLE
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: progress cannot be saved in {a_file / 'data'}: ")


def test_a_data_folder_that_is_a_file_is_a_usage_error(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("not a folder")
    assert main(["export", "--data-dir", str(a_file)]) == ExitStatus.USAGE
    assert f"argument --data-dir: {a_file}: not a folder" in capsys.readouterr().err


def test_an_empty_learner_name_is_a_usage_error(capsys) -> None:
    assert main(["export", "--student", "  "]) == ExitStatus.USAGE
    assert "a learner's name cannot be empty" in capsys.readouterr().err


def test_a_subcommand_may_come_after_the_options(tmp_path: Path, capsys) -> None:
    status = main(["--student", "bob", "--data-dir", str(tmp_path), "export", "--format", "json"])
    assert status == ExitStatus.OK
    out, err = capsys.readouterr()
    assert json.loads(out)["student"] == "bob"
    assert "no progress saved yet for 'bob'" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--device", "cpu"],
        ["list", "--student", "bob"],
        ["export", "--lessons", "."],
        ["export", "--results-dir", "."],
        ["--plain", "list"],
        ["report", "--student", "bob", "."],
    ],
)
def test_commands_refuse_options_that_mean_nothing_there(argv: list[str], capsys) -> None:
    assert main(argv) == ExitStatus.USAGE
    assert "unrecognized arguments" in capsys.readouterr().err


def test_an_option_value_is_never_taken_for_a_subcommand(tmp_path: Path, capsys) -> None:
    """``--student list`` names a learner called "list"; ``export`` is the command."""
    assert main(["--student", "list", "--data-dir", str(tmp_path), "export"]) == ExitStatus.OK
    assert json.loads(capsys.readouterr().out)["student"] == "list"


def test_a_closed_pipe_ends_quietly() -> None:
    """``autograd-tutor list | head -0``: the reader has gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "autograd_tutor", "list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == ExitStatus.PIPE_CLOSED
    assert done.stderr == ""


def test_ctrl_c_is_a_named_status_without_a_traceback(monkeypatch, capsys) -> None:
    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(list_command, "run", interrupted)
    assert main(["list"]) == ExitStatus.INTERRUPTED == 130
    assert "Traceback" not in capsys.readouterr().err


def test_a_bug_keeps_its_traceback(monkeypatch) -> None:
    """Only errors a user can act on are turned into one line; a bug must stay visible."""

    def buggy(args: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(list_command, "run", buggy)
    with pytest.raises(ZeroDivisionError):
        main(["list"])


@pytest.mark.skipif(torch_sees_cuda(), reason="this machine has CUDA")
def test_a_missing_device_is_a_named_status() -> None:
    done = run_cli(["check", "--device", "cuda"])
    assert done.returncode == ExitStatus.DEVICE_UNAVAILABLE
    assert "error: --device cuda was asked for, but this torch sees no CUDA device" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_number_option_is_checked_by_the_command_line(tmp_path: Path, capsys) -> None:
    assert main(["report", str(tmp_path), "--jobs", "0"]) == ExitStatus.USAGE
    assert "argument --jobs: 0 is less than 1" in capsys.readouterr().err
