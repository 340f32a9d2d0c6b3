"""Benchmark for ``autograd-tutor report --rerun``: a generated lab folder of N learners with two
exercises each (training-loop and vector-jacobian, the bundled lessons), every learner's code
re-run against the lesson's checks, isolated, end to end through the CLI.

Of the learners, most saved the reference solution (passes), one in five saved code that
fails a check while the file claims a pass (a forged pass), one in ten code that fails and
says so. Target: 200 learners under a minute on the 2-core machine.

    .venv/bin/python benchmarks/rerun_bench.py                 # 200 learners
    .venv/bin/python benchmarks/rerun_bench.py --learners 20 --jobs 2
    .venv/bin/python benchmarks/rerun_bench.py --phases     # what one re-run costs, by part

``--phases`` times the parts of a re-run in one warm lesson worker (as ``report --rerun`` keeps
one per job across learners): the worker's start (a torch import), the first run (it starts the
fork server, which imports torch again, once), then per run: an empty run (a fresh process from
the fork server and back), the isolation alone, the lesson's prelude, the reference solution
with the checks, all of it isolated. The machine's load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def phases(repeat: int) -> None:
    from autograd_tutor.rerun.engine import sandbox_block
    from autograd_tutor.session.learner_code import exercise_prelude, probe_spec
    from autograd_tutor.worker import WorkerClient

    lessons = {lesson.id: lesson for lesson in load_lessons(None)[0]}
    print(f"before: {load()}")
    client = WorkerClient("cpu")
    start = time.perf_counter()
    client.wait_ready()
    print(f"lesson worker ready (python + torch import): {time.perf_counter() - start:.2f} s")

    def timed(label: str, prelude: list, code: str, probe: dict | None = None) -> None:
        seconds = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = client.run_learner(prelude, code, probe=probe, time_limit=20.0)
            seconds.append(time.perf_counter() - start)
            assert result.error is None, result.error
        print(f"  {label:46s} median {statistics.median(seconds) * 1000:6.0f} ms")

    start = time.perf_counter()
    client.run_learner([], "pass\n")
    print(f"first run (starts the fork server: torch again): {time.perf_counter() - start:.2f} s")
    print(f"per run, median of {repeat}:")
    timed("empty code (fork, channel, kill)", [], "pass\n")
    timed("isolation only", [sandbox_block([])], "pass\n")
    for lesson_id in EXERCISES:
        lesson = lessons[lesson_id]
        position = next(i for i, s in enumerate(lesson.steps) if isinstance(s, ExerciseStep))
        step = lesson.steps[position]
        assert isinstance(step, ExerciseStep)
        prelude = exercise_prelude(lesson, position)
        probe = probe_spec(step.exercise.checks)
        timed(f"{lesson_id}: prelude only", prelude, "pass\n")
        timed(f"{lesson_id}: prelude + solution + checks", prelude, step.exercise.solution, probe)
        timed(
            f"{lesson_id}: all of it, isolated",
            [sandbox_block([]), *prelude],
            step.exercise.solution,
            probe,
        )
    client.close()
    print(f"after: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--phases", action="store_true", help="time the parts of one re-run")
    parser.add_argument("--repeat", type=int, default=15, help="runs per part (--phases)")
    args = parser.parse_args()
    if args.phases:
        phases(args.repeat)
        return
    print(f"before: {load()}")
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
        print(f"after: {load()}")


if __name__ == "__main__":
    main()
