"""Benchmark for ``autograd-tutor report``: generate N results files, then time the report.

Each generated learner has worked through 30 lessons of 3-5 questions, with 1-3 attempts per
question: realistic typed answers (spacing varies), verdicts, credit, hints, diagnoses and
feedback, in the same document format the progress store writes. The report is timed as a
function (:func:`build_report`, then the plain rendering) and once end to end through the CLI
(``python -m autograd_tutor report DIR``, output piped).

    .venv/bin/python benchmarks/report_bench.py            # 10,000 files
    .venv/bin/python benchmarks/report_bench.py --files 500 --keep /tmp/results
    .venv/bin/python benchmarks/report_bench.py --keep /tmp/results --reuse   # time again
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograd_tutor import __version__
from autograd_tutor.progress import FORMAT, VERSION
from autograd_tutor.progress.report import build_report, render

N_LESSONS = 30

# (expr, right answer, [(wrong answer, diagnoses, feedback)])
QUESTION_KINDS = [
    (
        "x.grad",
        "[2., 4., 6.]",
        [
            ("[-2., -4., -6.]", ["sign"], "The sign is flipped: d/dx of x**2 is +2x."),
            ("[4., 8., 12.]", ["accumulation"], "backward() ran twice: gradients accumulate."),
            ("[1., 2., 3.]", ["forward_value"], "That is x itself, the forward value."),
        ],
    ),
    (
        "w.grad",
        "[[1., 2.], [1., 2.]]",
        [
            ("[[1., 1.], [2., 2.]]", ["transposed"], "Transposed: w.grad has w's shape."),
            ("[[0.5, 1.], [0.5, 1.]]", ["mean"], "mean() divides by n: here n is 2."),
        ],
    ),
    (
        "y.grad",
        "None",
        [
            ("0", ["zero_not_none"], "y is not a leaf: its .grad is None, not 0."),
            ("[1.]", ["number_not_none"], "Non-leaf tensors keep no .grad."),
        ],
    ),
    (
        "loss.item()",
        "0.25",
        [
            ("0.5", ["known_wrong"], "Forgot to square the error."),
            ("-0.25", ["sign"], "A squared error is never negative."),
        ],
    ),
    (
        "b.grad",
        "3.",
        [
            ("1.", ["mean"], "The loss sums 3 terms: b gets 1 from each."),
            ("[3.]", ["shape"], "b is a scalar: its gradient is a scalar."),
        ],
    ),
]


def _spacing(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        return text.replace(", ", ",")
    if roll < 0.3:
        return text.replace("[", "[ ").replace("]", " ]")
    return text


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime(t))


def make_document(student: str, rng: random.Random, lessons: list[dict]) -> dict:
    doc_lessons = {}
    t = 1_763_900_000 + rng.randrange(86_400)
    for lesson in lessons:
        old = rng.random() < 0.03  # took the lesson before its author changed it
        lesson_hash = lesson["old_hash"] if old else lesson["hash"]
        attempts = []
        for step, (qid, kind) in enumerate(lesson["questions"]):
            expr, right, wrongs = QUESTION_KINDS[kind]
            skill = rng.random()
            for n in range(rng.choice((1, 1, 2, 3))):
                hints = rng.choice((0, 0, 0, 1))
                if rng.random() < skill or n == 2:
                    typed, verdict, credit, diagnoses, feedback = right, "right", 1.0, [], ""
                elif rng.random() < 0.05:
                    typed, verdict, credit, diagnoses, feedback = None, "skipped", 0.0, [], ""
                else:
                    typed, diagnoses, feedback = rng.choice(wrongs)
                    verdict, credit = ("partial", 0.5) if rng.random() < 0.2 else ("wrong", 0.0)
                if hints and credit:
                    credit *= 0.75
                t += rng.randrange(5, 90)
                attempts.append(
                    {
                        "lesson_id": lesson["id"],
                        "lesson_hash": lesson_hash,
                        "step": step,
                        "question_id": qid,
                        "expr": expr,
                        "typed": None if typed is None else _spacing(typed, rng),
                        "verdict": verdict,
                        "credit": credit,
                        "hints_used": hints,
                        "seconds": round(rng.uniform(3, 120), 3),
                        "timestamp": _iso(t - (30 * 86_400 if old else 0)),
                        "app_version": __version__,
                        "diagnoses": diagnoses,
                        "feedback": feedback,
                        "truth": right,
                    }
                )
                if verdict == "right":
                    break
        doc_lessons[lesson["id"]] = {"hash": lesson_hash, "attempts": attempts}
    return {
        "format": FORMAT,
        "version": VERSION,
        "student": student,
        "updated": _iso(t),
        "app_version": __version__,
        "lessons": doc_lessons,
        "reset": [],
    }


def generate(directory: Path, n_files: int, seed: int = 1) -> tuple[int, int]:
    """Write ``n_files`` results files into ``directory``; returns (bytes, attempts)."""
    rng = random.Random(seed)
    lessons = []
    for i in range(N_LESSONS):
        n_q = rng.randint(3, 5)
        lessons.append(
            {
                "id": f"lesson-{i:02d}",
                "hash": hashlib.sha256(f"lesson {i}".encode()).hexdigest(),
                "old_hash": hashlib.sha256(f"lesson {i} v0".encode()).hexdigest(),
                "questions": [
                    (f"{q + 1}.1", rng.randrange(len(QUESTION_KINDS))) for q in range(n_q)
                ],
            }
        )
    total_bytes = total_attempts = 0
    for i in range(n_files):
        doc = make_document(f"student{i:05d}", rng, lessons)
        total_attempts += sum(len(e["attempts"]) for e in doc["lessons"].values())
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        total_bytes += len(data)
        (directory / f"student{i:05d}.json").write_bytes(data)
    return total_bytes, total_attempts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="results files (10,000)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (auto)")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument(
        "--reuse", action="store_true", help="time the files already in --keep DIR again"
    )
    parser.add_argument("--repeat", type=int, default=1, help="time the report N times")
    args = parser.parse_args()

    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="report-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        if args.reuse and args.keep and any(tmp.glob("*.json")):
            print(f"reusing {sum(1 for _ in tmp.glob('*.json'))} files in {tmp}")
        else:
            t0 = time.perf_counter()
            size, attempts = generate(tmp, args.files)
            print(
                f"generated {args.files} files, {attempts} attempts, {size / 1e6:.0f} MB "
                f"in {time.perf_counter() - t0:.1f} s"
            )
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = build_report(tmp, jobs=args.jobs)
            t1 = time.perf_counter()
            buf = io.StringIO()
            render(report, buf)
            t2 = time.perf_counter()
            print(
                f"build_report: {t1 - t0:.2f} s ({len(report.learners)} learners, "
                f"{report.attempts} attempts, {len(report.questions)} questions, "
                f"{len(report.problems)} skipped); render: {t2 - t1:.2f} s"
            )
            t0 = time.perf_counter()
            cmd = [sys.executable, "-m", "autograd_tutor", "report", str(tmp)]
            if args.jobs:
                cmd += ["--jobs", str(args.jobs)]
            done = subprocess.run(cmd, capture_output=True, check=False)
            t1 = time.perf_counter()
            print(
                f"CLI end to end (`autograd-tutor report DIR | ...`): {t1 - t0:.2f} s, "
                f"exit {done.returncode}, {len(done.stdout) / 1e6:.1f} MB of output"
            )
            if done.returncode != 0:
                print(done.stderr.decode(errors="replace"), file=sys.stderr)
        print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")
        return done.returncode
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
