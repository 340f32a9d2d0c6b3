"""--plain exercises and experiments: code typed and ended with '.', or read with 'file PATH';
checks listed; the solution only after a run; knob settings and predictions on one line."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_main
from practice_helpers import LOOP_LESSON, NO_ZEROING, SOLUTION


def practice(data_dir: Path, lesson_id: str) -> dict:
    (path,) = data_dir.glob("*.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    return doc["lessons"][lesson_id]["practice"]


def run_plain(worker, args: list[str], stdin: str):
    return run_main(["--plain", "--device", "cpu", *args], stdin, worker=worker)


def test_typed_code_then_a_file_pass_the_exercise(worker, tmp_path: Path, write_lesson) -> None:
    lessons = write_lesson(LOOP_LESSON, "loop.yaml").parent
    solution_file = tmp_path / "mine.py"
    solution_file.write_text(SOLUTION, encoding="utf-8")
    stdin = "solution\n" + NO_ZEROING + ".\n" + f"file {tmp_path / 'missing.py'}\n"
    stdin += f"file {solution_file}\n"
    done = run_plain(
        worker, ["--lessons", str(lessons), "--data-dir", str(tmp_path / "data"), "loop"], stdin
    )
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "end it with a line holding only '.'" in out
    assert "Run your code first: the solution is shown after a run." in out
    assert "✗ failed  gradients were never zeroed: before backward() call 2" in out
    assert "Cannot read" in out and "missing.py" in out
    assert "All 5 checks passed." in out
    entry = practice(tmp_path / "data", "loop")["1"]
    assert entry["code"] == SOLUTION
    assert [a["code"] for a in entry["attempts"]] == [NO_ZEROING, SOLUTION]


def test_the_bundled_experiment_in_plain(worker, tmp_path: Path) -> None:
    # skip the lesson's 7 questions, leave the exercise with 'next', then run the experiment
    stdin = "skip\n" * 7 + "next\n" + "lr=0.5 diverges\nlr=2 slow\nzero_grad=False skip\nnext\n"
    done = run_plain(worker, ["--data-dir", str(tmp_path / "data"), "training-loop"], stdin)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "lr=0.5 zero_grad=True: diverges (right, as you predicted)" in out
    assert "lr cannot be 2 (it takes 0.001, 0.01, 0.1, 0.5)" in out
    assert "lr=0.5 zero_grad=False: oscillates (prediction skipped)" in out
    (step,) = [k for k, v in practice(tmp_path / "data", "training-loop").items() if v["attempts"]]
    runs = practice(tmp_path / "data", "training-loop")[step]["attempts"]
    assert [(r["settings"], r["predicted"], r["outcome"]) for r in runs] == [
        ({"lr": 0.5, "zero_grad": True}, "diverges", "diverges"),
        ({"lr": 0.5, "zero_grad": False}, None, "oscillates"),
    ]
    assert "inf" in runs[0]["losses"] and len(runs[1]["losses"]) == 100


def test_an_outcome_of_several_words_is_one_prediction(worker, tmp_path: Path) -> None:
    # optimizer-sgd: skip its 9 questions, leave the exercise with 'next', then the momentum runs
    stdin = "skip\n" * 9 + "next\n"
    stdin += "momentum=0.9 still swinging at the end\n"
    stdin += "momentum=0.5   slides straight in\n"
    stdin += "momentum=0 still swinging\nnext\n"
    done = run_plain(worker, ["--data-dir", str(tmp_path / "data"), "optimizer-sgd"], stdin)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "momentum=0.9: still swinging at the end (right, as you predicted)" in out
    assert "momentum=0.5: overshoots and settles (you predicted slides straight in)" in out
    assert "'still swinging' is neither knob=value nor an outcome" in out
    (step,) = [k for k, v in practice(tmp_path / "data", "optimizer-sgd").items() if v["attempts"]]
    runs = practice(tmp_path / "data", "optimizer-sgd")[step]["attempts"]
    assert [(r["settings"], r["predicted"], r["outcome"]) for r in runs] == [
        ({"momentum": 0.9}, "still swinging at the end", "still swinging at the end"),
        ({"momentum": 0.5}, "slides straight in", "overshoots and settles"),
    ]
