"""``autograd-tutor check`` tells a teacher (as a warning with file:line, without failing) when
the text a learner reads before a step runs states an answer. That the bundled lessons draw none
is asserted by the one bundled ``check`` run of tests/cli/test_cli_check.py."""

from __future__ import annotations

import textwrap
from pathlib import Path

from cli_runner import run_main

LEAKY = textwrap.dedent(
    """\
    id: leaky
    title: A step that tells the answer
    steps:
      - title: The square
        explain: |
          y = x**2 at x = 4.
          Its slope there is 2 * 4 = 8.
        code: |
          x = torch.tensor(4.0, requires_grad=True)
          (x ** 2).backward()
        ask:
          - expr: x.grad
            expect: 8
            hints:
              - "2x at x = 4 is 8."
              - "Twice x."
    """
)


def test_a_leaking_lesson_passes_with_warnings_at_file_and_line(worker, tmp_path: Path) -> None:
    path = tmp_path / "leaky.yaml"
    path.write_text(LEAKY, encoding="utf-8")
    done = run_main(["check", str(path)], worker=worker)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    warnings = [line.strip() for line in lines if line.strip().startswith("warning:")]
    assert warnings == [
        f"warning: {path}:7: step 1, explanation: '2 * 4' gives away x.grad = 8 "
        "before the learner predicts",
        f"warning: {path}:7: step 1, explanation: '8' gives away x.grad = 8 "
        "before the learner predicts",
        f"warning: {path}:15: step 1, first hint of x.grad: '8' gives away x.grad = 8 "
        "before the learner predicts",
    ]
    assert "3 warnings: text shown before a step runs states an answer" in done.stdout
    assert lines[-1] == "the lesson is valid and torch agrees with every expect."


def test_a_warning_writes_control_characters_out(worker, tmp_path: Path) -> None:
    path = tmp_path / "escape.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            id: escape
            title: Text from a file reaches the terminal
            steps:
              - explain: "It is 3."
                code: "s = 'ab'"
                ask:
                  - expr: "len(s + '\\x1b[31m'[:1])"
                    expect: 3
            """
        ),
        encoding="utf-8",
    )
    done = run_main(["check", str(path)], worker=worker)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "\x1b" not in done.stdout
    assert "warning:" in done.stdout and "len(s + '\\x1b[31m'[:1]) = 3" in done.stdout
