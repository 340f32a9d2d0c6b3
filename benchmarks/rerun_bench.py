"""Benchmark for ``autograd-tutor report --rerun``: a generated lab folder of N learners with two
exercises each (training-loop and vector-jacobian, the bundled lessons), every learner's code
re-run against the lesson's checks, isolated, end to end through the CLI.

Of the learners, most saved the reference solution (passes), one in five saved code that
fails a check while the file claims a pass (a forged pass), one in ten code that fails and
says so. Target: 200 learners under a minute on the 2-core machine.

    .venv/bin/python benchmarks/rerun_bench.py                 # 200 learners
    .venv/bin/python benchmarks/rerun_bench.py --learners 20 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograd_tutor import __version__
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.lessons.model import ExerciseStep
from autograd_tutor.progress import FORMAT, VERSION, file_stem

EXERCISES = ("training-loop", "vector-jacobian")


def _attempt(lesson, step, code: str, passed: bool) -> dict:
    checks = step.exercise.checks
    return {
        "kind": "exercise",
        "code": code,
        "passed": [c.id for c in checks] if passed else [],
        "failed": [] if passed else [{"id": checks[0].id, "says": checks[0].says}],
        "error": "",
        "solution_shown": False,
        "seconds": 30.0,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "lesson_hash": lesson.content_hash,
        "app_version": __version__,
    }


def generate(folder: Path, learners: int) -> None:
    lessons = {lesson.id: lesson for lesson in load_lessons(None)[0]}
    for i in range(learners):
        student = f"learner{i:03d}"
        doc_lessons = {}
        for lesson_id in EXERCISES:
            lesson = lessons[lesson_id]
            step = next(s for s in lesson.steps if isinstance(s, ExerciseStep))
            if i % 5 == 1:  # forged: the file says passed, the code does nothing
                attempt = _attempt(lesson, step, "pass\n", True)
            elif i % 10 == 2:  # honest failure
                attempt = _attempt(lesson, step, "pass\n", False)
            else:
                attempt = _attempt(lesson, step, step.exercise.solution, True)
            doc_lessons[lesson_id] = {
                "hash": lesson.content_hash,
                "attempts": [],
                "practice": {str(step.index): {"code": attempt["code"], "attempts": [attempt]}},
            }
        doc = {"format": FORMAT, "version": VERSION, "student": student, "lessons": doc_lessons}
        (folder / f"{file_stem(student)}.json").write_text(json.dumps(doc), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lab"
        folder.mkdir()
        generate(folder, args.learners)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "autograd_tutor", "report", str(folder), "--rerun"]
            + ["--jobs", str(args.jobs), "--color", "never"],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
        summary = [line for line in done.stdout.splitlines() if "re-run on this machine" in line]
        print(
            f"report --rerun: {args.learners} learners x {len(EXERCISES)} exercises, "
            f"--jobs {args.jobs}: {seconds:.1f} s end to end, exit {done.returncode}"
        )
        print("\n".join(summary) or done.stderr[-2000:])


if __name__ == "__main__":
    main()
