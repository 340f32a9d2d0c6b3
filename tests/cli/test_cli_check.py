"""``autograd-tutor check``: bundled lessons pass; broken files and wrong expectations fail
with file:line and both values."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from cli_runner import run_cli, run_main

GOOD = textwrap.dedent(
    """\
    id: good
    title: Good
    steps:
      - code: |
          x = torch.tensor(4.0, requires_grad=True)
          (x ** 2).backward()
        ask:
          - expr: x.grad
            expect: 8
    """
)

WRONG_EXPECT = textwrap.dedent(
    """\
    id: wrong-expect
    title: A hand calculation that is off
    steps:
      - code: |
          x = torch.tensor(3.0, requires_grad=True)
          y = x ** 3
          y.backward()
        ask:
          - expr: x.grad
            expect: 9
          - expr: y
            expect: 27
            wrong:
              - answer: 27
                says: this is right, so it cannot be a known wrong answer
    """
)

RAISES = textwrap.dedent(
    """\
    id: raises
    title: Code that fails
    steps:
      - code: |
          x = torch.tensor(1.0)

          x.backward()
        ask:
          - expr: x.grad
            expect: null
    """
)


def test_bundled_lessons_pass_and_draw_no_warning(worker) -> None:
    """One run of ``check`` over the bundled lessons (every variant, exercise and experiment:
    the suite's longest command): all pass, and no text gives an answer away (the warnings
    themselves: tests/cli/test_cli_check_leaks.py)."""
    done = run_main(["check"], worker=worker)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok  ") >= 7
    assert "torch agrees with every expect" in done.stdout
    assert "warning" not in done.stdout


def test_wrong_expectation_fails_naming_both_values_and_the_line(worker, write_lesson) -> None:
    write_lesson(GOOD, "good.yaml")
    bad = write_lesson(WRONG_EXPECT, "wrong.yaml")
    done = run_main(["check", str(bad.parent)], worker=worker)
    assert done.returncode == 1
    # the line of expect (not of expr), and what differs
    assert f"{bad}:10: x.grad: expect 9, torch gives tensor(27)" in done.stdout
    assert f"{bad}:14:" in done.stdout and "is what torch gives" in done.stdout
    assert "ok    good" in done.stdout
    assert "1 of 2 lesson files has problems." in done.stdout


def test_broken_file_fails_with_file_and_line(write_lesson) -> None:
    broken = write_lesson(GOOD.replace("    expect: 8", "    expct: 8"), "broken.yaml")
    done = run_cli(["check", str(broken)])
    assert done.returncode == 1
    expected = f"{broken}:9:9: steps[0].ask[0]: unknown key 'expct' (did you mean 'expect'?)"
    assert expected in done.stdout


def test_code_that_raises_is_reported_at_its_file_line(worker, write_lesson) -> None:
    lesson = write_lesson(RAISES, "raises.yaml")
    done = run_main(["check", str(lesson)], worker=worker)
    assert done.returncode == 1
    assert f"{lesson}:7: step 1: the code raised RuntimeError" in done.stdout


def test_missing_path_fails(tmp_path: Path) -> None:
    done = run_cli(["check", str(tmp_path / "nope.yaml")])
    assert done.returncode == 1
    assert "no such file or folder" in done.stdout


def test_schema_path_is_printed_for_editors() -> None:
    done = run_cli(["check", "--schema"])
    assert done.returncode == 0
    schema = json.loads(Path(done.stdout.strip()).read_text(encoding="utf-8"))
    assert "steps" in schema["properties"]


def test_expects_after_a_failing_step_are_named_as_unverified(worker, write_lesson) -> None:
    text = RAISES + (
        "  - code: |\n      y = 2\n    ask:\n      - expr: y\n        expect: 2\n"
        "      - expr: y + 1\n        expect: 3\n"
    )
    lesson = write_lesson(text, "raises.yaml")
    done = run_main(["check", str(lesson)], worker=worker)
    assert done.returncode == 1
    assert "2 expects in later steps went unverified: step 1 failed" in done.stdout
