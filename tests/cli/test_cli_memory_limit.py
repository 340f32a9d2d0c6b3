"""``--memory-limit SIZE`` (issue 19) for the app, ``--plain`` and ``check``: a bad value is a
usage error that says why (no traceback); a good one limits every run of learner code and
wins over the lesson's ``memory_limit``."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import run_cli

# An exercise whose code must allocate 400 MB before it can pass.
LESSON = """\
id: big
title: Big
time_limit: 60
{limit}steps:
  - code: |
      x = 1
    exercise:
      starter: |
        y = ...
      solution: |
        big = torch.ones(100_000_000)
        y = x
      checks:
        - expr: y == 1
          says: y is not x
"""
ALLOCATES = "big = torch.ones(100_000_000)\ny = x\n"


def big_lesson(write_lesson, limit: str = "") -> Path:
    return write_lesson(
        LESSON.format(limit=f"memory_limit: {limit}\n" if limit else ""), "big.yaml"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--plain", "--memory-limit", "2 gigs"], "'2 gigs' is not a size: write a number"),
        (["check", "--memory-limit", "2 gigs"], "'2 gigs' is not a size: write a number"),
        (["--memory-limit", "0MB"], "'0MB' is too small: give at least 1MB"),
        (["--plain", "--memory-limit"], "expected one argument"),
    ],
)
def test_a_bad_size_is_a_usage_error_that_says_why(
    args: list[str], words: str, tmp_path: Path
) -> None:
    done = run_cli([*args, "--data-dir", str(tmp_path / "data")] if "check" not in args else args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"argument --memory-limit: {words}" in done.stderr


def plain_attempt(write_lesson, tmp_path: Path, lesson_limit: str, option: list[str]) -> str:
    lessons = big_lesson(write_lesson, lesson_limit).parent
    tmp_path.mkdir(exist_ok=True)
    code = tmp_path / "mine.py"
    code.write_text(ALLOCATES, encoding="utf-8")
    done = run_cli(
        ["--plain", "--device", "cpu", "--lessons", str(lessons), *option]
        + ["--data-dir", str(tmp_path / "data"), "big"],
        f"file {code}\nnext\n",
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_option_limits_a_plain_run(write_lesson, tmp_path: Path) -> None:
    out = plain_attempt(write_lesson, tmp_path, "", ["--memory-limit", "128MB"])
    assert "your code used more than 128 MB of memory" in out
    assert "0 of 1 checks passed" in out


def test_the_lessons_limit_applies_and_the_option_overrides_it(write_lesson, tmp_path) -> None:
    out = plain_attempt(write_lesson, tmp_path / "lesson", "128MB", [])
    assert "your code used more than 128 MB of memory" in out
    out = plain_attempt(write_lesson, tmp_path / "option", "128MB", ["--memory-limit", "2GB"])
    assert "used more than" not in out
    assert "All 1 checks passed." in out


def test_check_runs_the_reference_solution_under_the_option(write_lesson) -> None:
    lesson = big_lesson(write_lesson)
    done = run_cli(
        ["check", "--device", "cpu", "--memory-limit", "128MB", str(lesson)], timeout=300
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "the reference solution raised MemoryLimit" in done.stdout
    assert "your code used more than 128 MB of memory" in done.stdout
