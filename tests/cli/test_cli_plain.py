"""``autograd-tutor --plain`` end to end through a pipe, over bundled and hand-written lessons."""

from __future__ import annotations

import json
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from cli_helpers import stored_attempts
from cli_runner import child_env, run_cli, run_main

from autograd_tutor.errors import ExitStatus
from autograd_tutor.grading import placeholder
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


def test_right_answers_score_full_marks(worker, data_dir: Path) -> None:
    lesson = bundled(LESSON)
    answers = [q.expect.display() for q in lesson.questions]
    done = run_main(
        ["--plain", LESSON, "--data-dir", str(data_dir)], "\n".join(answers) + "\n", worker=worker
    )
    assert done.returncode == 0, done.stderr
    n = len(lesson.questions)
    assert re.search(rf"{LESSON}\s+{n} / {n}\s+100%", done.stdout), done.stdout[-2000:]
    attempts = stored_attempts(data_dir)
    assert [a["verdict"] for a in attempts] == ["right"] * n
    assert [a["typed"] for a in attempts] == answers
    assert "\x1b" not in done.stdout


def test_known_wrong_answer_shows_the_lessons_message(
    worker, tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    done = run_main(
        ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)],
        "6\n9\n6\n",
        worker=worker,
    )
    assert done.returncode == 0, done.stderr
    out = flat(done.stdout)
    assert "backward() adds into .grad; the first 6 is still there." in out
    assert "ran step one" in out  # what the code printed is shown
    assert [a["verdict"] for a in stored_attempts(data_dir)] == ["right", "right", "wrong"]


def test_bundled_lessons_wrong_answers_name_their_misconception(worker, data_dir: Path) -> None:
    lesson = bundled("accumulation-trap")
    lines, messages = [], []
    for q in lesson.questions:
        if q.wrong:
            lines.append(q.wrong[0].answer.display())
            messages.append(q.wrong[0].says)
        else:
            lines.append(q.expect.display())
    assert messages, "the accumulation trap lesson has known wrong answers"
    done = run_main(
        ["--plain", lesson.id, "--data-dir", str(data_dir)], "\n".join(lines) + "\n", worker=worker
    )
    assert done.returncode == 0, done.stderr
    for message in messages:
        assert flat(message) in flat(done.stdout)


def test_hostile_and_malformed_lines_are_refused_and_asked_again(
    worker, tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    hostile = [
        "__import__('os').system('echo PWNED')",
        "9**9**9**9",
        "[" * 5000,
        "1" * 200_000,
        "[1, 2,, 3]",
    ]
    done = run_main(
        ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)],
        "\n".join([*hostile, "6", "9", "12"]) + "\n",
        worker=worker,
    )
    assert done.returncode == 0, done.stderr
    assert "PWNED" not in done.stdout.replace("echo PWNED", "")
    assert done.stdout.count("Try again.") == len(hostile)
    assert "^" in done.stdout  # a caret under the spot
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9", "12"]


def test_hint_and_skip_words(worker, tmp_path: Path, data_dir: Path) -> None:
    folder = small_lessons(tmp_path)
    done = run_main(
        ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)],
        "hint\nhint\nhint\n6\nskip\n12\n",
        worker=worker,
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


def step_one_ran(stdout: str) -> bool:
    """Whether the small lesson's step 1 ran: its print, not the code listing, is in ``stdout``."""
    return "\n    ran step one\n" in stdout


def stored_or_none(data_dir: Path) -> list[dict]:
    """The attempts stored under ``data_dir`` (none when no progress file was written)."""
    return stored_attempts(data_dir) if list(data_dir.glob("*.json")) else []


def test_quit_in_the_middle_of_a_step_never_runs_it_nor_shows_a_value(
    worker, tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    args = ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)]
    done = run_main(args, "6\nquit\n9\n", worker=worker)
    assert done.returncode == 0, done.stderr
    assert not step_one_ran(done.stdout)  # the step's code never ran
    assert "torch" not in done.stdout.replace("torch.tensor", "")  # no table of torch's values
    assert "Step 2" not in done.stdout
    assert "Input ended" not in done.stdout
    assert (
        "You quit: step 1 of 2 did not run and nothing of it was shown; "
        "the answer typed for it was dropped." in done.stdout
    )
    assert stored_or_none(data_dir) == []  # no first try recorded for a value never shown
    # The next sitting asks step 1 again: its answers are first tries, scored as such.
    again = run_main(args, "6\n9\nquit\n", worker=worker)
    assert again.returncode == 0, again.stderr
    assert step_one_ran(again.stdout)
    assert "You quit: step 2 of 2 did not run and nothing of it was shown." in again.stdout
    assert [(a["typed"], a["verdict"]) for a in stored_attempts(data_dir)] == [
        ("6", "right"),
        ("9", "right"),
    ]


def test_end_of_input_mid_step_never_runs_it_and_keeps_finished_steps(
    worker, tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    args = ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)]
    done = run_main(args, "6\n", worker=worker)  # input ends inside step 1: it does not run
    assert done.returncode == 0, done.stderr
    assert not step_one_ran(done.stdout)
    assert "Input ended: step 1 of 2 did not run" in done.stdout
    assert "the answer typed for it was dropped" in done.stdout
    assert stored_or_none(data_dir) == []
    done = run_main(args, "6\n9\n", worker=worker)  # step 1 runs; input ends before step 2's answer
    assert done.returncode == 0, done.stderr
    assert step_one_ran(done.stdout)
    assert "Input ended: step 2 of 2 did not run" in done.stdout
    assert "Your answers to the finished steps are saved." in done.stdout
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9"]
    # Coming back resumes at the first unanswered step: step 2.
    again = run_main(args, "12\n", worker=worker)
    assert again.returncode == 0, again.stderr
    assert "resuming at step 2" in again.stdout
    assert "Input ended" not in again.stdout  # the lesson ended before the input did
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9", "12"]


PASTE = textwrap.dedent(
    """\
    id: paste
    title: Pasting torch's output
    steps:
      - code: |
          t = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
          s = (t ** 2).sum()
          s.backward()
          m = torch.arange(9.).reshape(3, 3).requires_grad_() * 2
        ask:
          - expr: t.grad
            expect: [[2, 4, 6], [8, 10, 12]]
          - expr: s
            expect: 91
          - expr: m
            expect: [[0, 2, 4], [6, 8, 10], [12, 14, 16]]
    """
)

# What torch printed for t.grad and m (str(tensor)), pasted as they are.
TORCH_T_GRAD = "tensor([[ 2.,  4.,  6.],\n        [ 8., 10., 12.]])"
TORCH_M = (
    "tensor([[ 0.,  2.,  4.],\n        [ 6.,  8., 10.],\n"
    "        [12., 14., 16.]], grad_fn=<MulBackward0>)"
)


def test_a_pasted_multi_line_tensor_is_one_answer(worker, tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "paste.yaml").write_text(PASTE, encoding="utf-8")
    args = ["--plain", "paste", "--lessons", str(folder), "--data-dir", str(data_dir)]
    done = run_main(args, f"{TORCH_T_GRAD}\n91\n{TORCH_M}\n", worker=worker)
    assert done.returncode == 0, done.stderr
    assert "Try again" not in done.stdout
    attempts = stored_attempts(data_dir)
    assert [a["typed"] for a in attempts] == [
        "tensor([[ 2.,  4.,  6.], [ 8., 10., 12.]])",
        "91",
        "tensor([[ 0.,  2.,  4.], [ 6.,  8., 10.], [12., 14., 16.]], grad_fn=<MulBackward0>)",
    ]
    assert [a["verdict"] for a in attempts] == ["right", "right", "right"]


def test_an_empty_line_ends_an_open_answer(worker, tmp_path: Path, data_dir: Path) -> None:
    folder = small_lessons(tmp_path)
    args = ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)]
    done = run_main(args, "[[6,\n\n6\n9\n12\n", worker=worker)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n  ... \n") == 1  # "[[6," asked for more; the empty line ended it
    assert done.stdout.count("Try again.") == 1  # then "[[6," was judged on its own, and refused
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9", "12"]


KINDS = textwrap.dedent(
    """\
    id: kinds
    title: Kinds of answers
    steps:
      - code: |
          x = torch.tensor(3.0, requires_grad=True)
          y = x ** 2
        ask:
          - expr: y.requires_grad
            prompt: Does y require grad?
            expect: true
          - expr: y
            prompt: y = ?
            expect: 9
          - expr: y.shape
            prompt: y.shape = ?
            expect: "torch.Size([])"
    """
)


def test_answers_of_the_wrong_kind_are_refused_saying_the_kind_wanted(
    worker, tmp_path: Path, data_dir: Path
) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "kinds.yaml").write_text(KINDS, encoding="utf-8")
    args = ["--plain", "kinds", "--lessons", str(folder), "--data-dir", str(data_dir)]
    typed = ["yes", "T", "1", "True", "x", "6,5", "9", "3.5", "()"]
    done = run_main(args, "\n".join(typed) + "\n", worker=worker)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # The prompt says what kind of answer it takes.
    assert "Does y require grad? (True or False) yes" in out
    assert f"y = ? ({placeholder('y')}) x" in out
    assert f"y.shape = ? ({placeholder('y.shape')}) 3.5" in out
    # Each refusal names the kind wanted, with a caret under the spot.
    assert out.count("is a name, not a value: type True or False") == 2  # yes, T
    assert out.count("this question wants True or False") == 1  # 1
    assert "'x' is a name, not a value: type a number" in out  # y takes many forms
    assert "use a decimal point, not a comma: 6.5" in out
    assert "this question wants a shape" in out
    assert out.count("Try again.") == 6
    assert out.count("^") >= 6
    attempts = stored_attempts(data_dir)
    assert [a["typed"] for a in attempts] == ["True", "9", "()"]
    assert [a["verdict"] for a in attempts] == ["right", "right", "right"]


HOSTILE_TEXT = textwrap.dedent(
    """\
    id: hostile
    title: "Clear \\e[2J the screen"
    summary: "Set the title \\e]0;pwned\\a here."
    steps:
      - title: "Step \\e[31mred"
        explain: "Copy \\e]52;c;cHduZWQ=\\a to the clipboard."
        code: |
          x = torch.tensor(3.0, requires_grad=True)
          print("\\x1b[2Jcleared")
        ask:
          - expr: x
            prompt: "x = \\e[1m?"
            expect: 3
            hints: ["Bold \\e[1mhint"]
    """
)


def test_no_control_character_from_a_lesson_answer_or_output_reaches_the_terminal(
    worker, tmp_path: Path, data_dir: Path
) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "hostile.yaml").write_text(HOSTILE_TEXT, encoding="utf-8")
    args = ["--plain", "hostile", "--lessons", str(folder), "--data-dir", str(data_dir)]
    done = run_main(args, "hint\n\x1b[31m3\n3\x07\n3\n", worker=worker)
    assert done.returncode == 0, done.stderr
    for stream in (done.stdout, done.stderr):
        assert not [c for c in stream if ord(c) < 0x20 and c not in "\n\t"], stream[-2000:]
    out = done.stdout
    assert "Clear \\x1b[2J the screen" in out  # the title, the control character written out
    assert "\\x1b]0;pwned\\x07" in out  # the summary
    assert "Step \\x1b[31mred" in out  # the step title
    assert "\\x1b]52;c;cHduZWQ=\\x07" in out  # the explanation
    assert "\\x1b[2Jcleared" in out  # what the step's code printed
    assert "hint: Bold \\x1b[1mhint" in out  # a hint
    assert "\\x1b[31m3" in out  # the refused answer as it was typed
    assert out.count("Try again.") == 2
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["3"]


def test_unknown_lesson_is_a_clear_error(worker, data_dir: Path) -> None:
    done = run_main(["--plain", "no-such-lesson", "--data-dir", str(data_dir)], worker=worker)
    assert done.returncode == 2
    assert "no lesson with id 'no-such-lesson'" in done.stderr


def test_the_readme_plain_mode_example_answers_every_question_right(data_dir: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    example = next(b for b in blocks if "autograd-tutor --plain first-gradient" in b)
    command = example.strip().replace("\\\n", " ")
    assert "\n" not in command, "the example is one command"
    program = f"{shlex.quote(sys.executable)} -m autograd_tutor"
    script = command.replace("autograd-tutor", program)
    script += f" --data-dir {shlex.quote(str(data_dir))}"
    env = child_env()
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    n = len(bundled(LESSON).questions)
    assert [a["verdict"] for a in stored_attempts(data_dir)] == ["right"] * n
    assert re.search(rf"{LESSON}\s+{n} / {n}\s+100%", done.stdout), done.stdout[-2000:]
    assert "Input ended" not in done.stdout


def interrupt_when(
    args: list[str], typed: str, marker: str, times: int = 1
) -> tuple[int, str, str]:
    """Run the CLI with ``typed`` on a pipe left open, press ctrl+c (SIGINT) once ``marker``
    has shown ``times`` times on stdout; the exit status, stdout and stderr."""
    env = child_env(NO_COLOR="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "autograd_tutor", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(typed.encode())
    proc.stdin.flush()
    seen = b""
    deadline = time.monotonic() + 60
    try:
        while seen.count(marker.encode()) < times:
            assert time.monotonic() < deadline, seen.decode()[-2000:]
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                assert chunk, seen.decode()[-2000:]  # it ended before the marker showed
                seen += chunk
        # the prompt is out: ctrl+c now lands in the wait for the answer
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, (seen + rest).decode(), err.decode()


def test_ctrl_c_while_a_step_waits_reveals_nothing_and_keeps_finished_steps(
    tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    args = ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)]
    code, out, err = interrupt_when(args, "6\n", "y = ?")  # inside step 1
    assert code == ExitStatus.INTERRUPTED
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Interrupted: step 1 of 2 did not run and nothing of it was shown" in err
    assert not step_one_ran(out)
    assert stored_or_none(data_dir) == []
    code, out, err = interrupt_when(args, "6\n9\n", "x.grad = ?", times=2)  # in step 2
    assert code == ExitStatus.INTERRUPTED
    assert "Traceback" not in err
    assert "Interrupted: step 2 of 2 did not run" in err
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9"]


def test_a_store_warning_is_printed_when_it_happens_before_the_step_output(
    tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    results = tmp_path / "results"
    (results / "ann.json").mkdir(parents=True)  # the results copy cannot be written there
    args = ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)]
    args += ["--results-dir", str(results), "--student", "ann"]
    done = subprocess.run(
        [sys.executable, "-m", "autograd_tutor", *args],
        input="6\n9\n12\n",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream, in the order the learner sees it
        text=True,
        timeout=120,
        env=child_env(NO_COLOR="1"),
    )
    assert done.returncode == ExitStatus.RESULTS_NOT_SAVED, done.stdout[-2000:]
    shown = done.stdout
    note = shown.index("note: Could not write your results to")
    assert shown.index("y = ?") < note < shown.index("question ")  # before step 1's table
    assert shown.count("Could not write your results") == 1  # said once, not at every save
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9", "12"]  # progress kept


def test_taking_a_finished_lesson_again_records_retries_and_keeps_the_first_try_score(
    worker, tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    args = ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)]
    first = run_main(
        args, "6\n9\n6\n", worker=worker
    )  # 6 for the second x.grad is the accumulation trap
    assert first.returncode == 0, first.stderr
    assert re.search(r"small\s+2 / 3\s+67%", first.stdout), first.stdout[-1500:]
    assert "a retry" not in first.stdout
    again = run_main(args, "5\n9\n12\n", worker=worker)  # finished: taken again from step 1
    assert again.returncode == 0, again.stderr
    assert re.search(r"x\.grad\s+5\s+tensor\(6\.?\)\s+wrong, a retry", again.stdout), again.stdout
    assert "the score counts each question's first try" in again.stdout
    assert re.search(r"small\s+2 / 3\s+67%", again.stdout)  # first tries: right, right, wrong
    assert [a["typed"] for a in stored_attempts(data_dir)] == ["6", "9", "6", "5", "9", "12"]


def test_the_results_folder_comes_from_the_environment_unless_the_option_names_one(
    tmp_path: Path, data_dir: Path
) -> None:
    folder = small_lessons(tmp_path)
    lab, other = tmp_path / "lab", tmp_path / "other"
    args = ["--plain", "small", "--lessons", str(folder), "--data-dir", str(data_dir)]
    args += ["--student", "ann"]
    done = run_cli(args, "6\n9\n12\n", env=child_env(AUTOGRAD_TUTOR_RESULTS=str(lab)))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in lab.iterdir()] == ["ann.json"]
    doc = json.loads((lab / "ann.json").read_text(encoding="utf-8"))
    assert [a["typed"] for a in doc["lessons"]["small"]["attempts"]] == ["6", "9", "12"]

    args += ["--results-dir", str(other)]
    done = run_cli(args, "", env=child_env(AUTOGRAD_TUTOR_RESULTS=str(tmp_path / "unused")))
    assert done.returncode == 0, done.stderr
    assert (other / "ann.json").is_file()  # the option wins over the variable
    assert not (tmp_path / "unused").exists()


def test_a_results_variable_that_names_a_file_is_a_usage_error(
    tmp_path: Path, data_dir: Path
) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    args = ["--plain", "first-gradient", "--data-dir", str(data_dir)]
    done = run_cli(args, "", env=child_env(AUTOGRAD_TUTOR_RESULTS=str(not_a_folder)))
    assert done.returncode == ExitStatus.USAGE
    assert done.stderr.strip() == f"error: $AUTOGRAD_TUTOR_RESULTS: {not_a_folder}: not a folder"
