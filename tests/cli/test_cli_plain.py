"""``autograd-tutor --plain`` end to end through a pipe, over bundled and hand-written lessons."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from cli_helpers import stored_attempts, torch_sees_cuda
from cli_runner import run_cli

from autograd_tutor.lessons.loader import load_lessons

LESSON = "first-gradient"

SMALL = textwrap.dedent(
    """\
    id: small
    title: A small lesson
    summary: Two questions for the tests.
    steps:
      - explain: Square a number.
        code: |
          x = torch.tensor(3.0, requires_grad=True)
          y = x ** 2
          y.backward()
          print("ran step one")
        ask:
          - expr: x.grad
            expect: 6
            hints: [The derivative of x**2 is 2x., At x = 3 that is 6.]
            explain: dy/dx = 2x = 6.
          - expr: y
            expect: 9
      - code: |
          y = x ** 2
          y.backward()
        ask:
          - expr: x.grad
            expect: 12
            wrong:
              - answer: 6
                says: backward() adds into .grad; the first 6 is still there.
    """
)


def bundled(lesson_id: str):
    lessons, _ = load_lessons(None)
    return next(lesson for lesson in lessons if lesson.id == lesson_id)


def flat(text: str) -> str:
    return " ".join(text.split())


def small_lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "small.yaml").write_text(SMALL, encoding="utf-8")
    return folder


def test_right_answers_score_full_marks(data_dir: Path) -> None:
    lesson = bundled(LESSON)
    answers = [q.expect.display() for q in lesson.questions]
    done = run_cli(["--plain", LESSON, "--data-dir", str(data_dir)], "\n".join(answers) + "\n")
    assert done.returncode == 0, done.stderr
    n = len(lesson.questions)
    assert re.search(rf"{LESSON}\s+{n} / {n}\s+100%", done.stdout), done.stdout[-2000:]
    attempts = stored_attempts(data_dir)
    assert [a["verdict"] for a in attempts] == ["right"] * n
    assert [a["typed"] for a in attempts] == answers
    assert "\x1b" not in done.stdout


def test_known_wrong_answer_shows_the_lessons_message(tmp_path: Path, data_dir: Path) -> None:
    folder = small_lessons(tmp_path)
    done = run_cli(
        ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)],
        "6\n9\n6\n",
    )
    assert done.returncode == 0, done.stderr
    out = flat(done.stdout)
    assert "backward() adds into .grad; the first 6 is still there." in out
    assert "ran step one" in out  # what the code printed is shown
    assert [a["verdict"] for a in stored_attempts(data_dir)] == ["right", "right", "wrong"]


def test_bundled_lessons_wrong_answers_name_their_misconception(data_dir: Path) -> None:
    lesson = bundled("accumulation-trap")
    lines, messages = [], []
    for q in lesson.questions:
        if q.wrong:
            lines.append(q.wrong[0].answer.display())
            messages.append(q.wrong[0].says)
        else:
            lines.append(q.expect.display())
    assert messages, "the accumulation trap lesson has known wrong answers"
    done = run_cli(["--plain", lesson.id, "--data-dir", str(data_dir)], "\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    for message in messages:
        assert flat(message) in flat(done.stdout)


def test_hostile_and_malformed_lines_are_refused_and_asked_again(
    tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    hostile = [
        "__import__('os').system('echo PWNED')",
        "9**9**9**9",
        "[" * 5000,
        "1" * 200_000,
        "[1, 2,, 3]",
    ]
    done = run_cli(
        ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)],
        "\n".join([*hostile, "6", "9", "12"]) + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert "PWNED" not in done.stdout.replace("echo PWNED", "")
    assert done.stdout.count("Try again.") == len(hostile)
    assert "^" in done.stdout  # a caret under the spot
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9", "12"]


def test_hint_and_skip_words(tmp_path: Path, data_dir: Path) -> None:
    folder = small_lessons(tmp_path)
    done = run_cli(
        ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)],
        "hint\nhint\nhint\n6\nskip\n12\n",
    )
    assert done.returncode == 0, done.stderr
    assert "hint: The derivative of x**2 is 2x." in done.stdout
    assert "hint: At x = 3 that is 6." in done.stdout
    assert "no more hints" in done.stdout
    first, second, third = stored_attempts(data_dir)
    assert (first["verdict"], first["hints_used"]) == ("right", 2)
    assert 0 < first["credit"] < 1
    assert (second["verdict"], second["typed"]) == ("skipped", None)
    assert third["verdict"] == "right"


@pytest.mark.slow
def test_end_of_input_mid_lesson_exits_cleanly_and_keeps_answers(
    tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    args = ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)]
    done = run_cli(args, "6\n")  # input ends inside step 1: the answer given is kept
    assert done.returncode == 0, done.stderr
    assert "Input ended" in done.stdout
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6"]
    done = run_cli(args, "6\n9\n")  # step 1 again (a question was open), then input ends
    assert done.returncode == 0, done.stderr
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "6", "9"]
    # Coming back resumes at the first unanswered step: step 2.
    again = run_cli(args, "12\n")
    assert again.returncode == 0, again.stderr
    assert "resuming at step 2" in again.stdout
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "6", "9", "12"]


def test_unknown_lesson_is_a_clear_error(data_dir: Path) -> None:
    done = run_cli(["--plain", "no-such-lesson", "--data-dir", str(data_dir)])
    assert done.returncode == 2
    assert "no lesson with id 'no-such-lesson'" in done.stderr


@pytest.mark.skipif(torch_sees_cuda(), reason="this machine has CUDA")
def test_cuda_on_a_machine_without_it_is_a_clear_error(tmp_path: Path, data_dir: Path) -> None:
    folder = small_lessons(tmp_path)
    done = run_cli(
        ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)]
        + ["--device", "cuda"],
        "6\n9\n12\n",
    )
    assert done.returncode == 2
    assert "--device cuda was asked for, but this torch sees no CUDA device" in done.stderr
    assert "Step 2" not in done.stdout  # it stops instead of failing every step
