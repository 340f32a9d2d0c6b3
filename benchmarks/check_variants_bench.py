"""Benchmark for ``autograd-tutor check`` on the bundled lessons: every variant of every
parameterised lesson, against the default variants alone (what ``check`` ran before lessons
had parameters). One worker process for both, started before the clock runs.

    .venv/bin/python benchmarks/check_variants_bench.py
"""

from __future__ import annotations

import time

from autograd_tutor.commands.check import check_lesson, check_variants
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.worker import WorkerClient


def main() -> None:
    lessons, broken = load_lessons()
    assert not broken, broken
    with WorkerClient(device="cpu") as worker:
        worker.start()
        worker.wait_ready()
        started = time.perf_counter()
        runs = 0
        for lesson in lessons:
            report = check_lesson(lesson, worker)
            assert report.ok, report.problems
            runs += 1
        default_only = time.perf_counter() - started
        started = time.perf_counter()
        variant_runs = 0
        for lesson in lessons:
            report = check_variants(lesson, worker)
            assert report.ok, report.problems
            variant_runs += report.variants
        every_variant = time.perf_counter() - started
    print(f"default variants only: {runs} lesson runs in {default_only:.1f} s")
    print(f"every variant:         {variant_runs} lesson runs in {every_variant:.1f} s")


if __name__ == "__main__":
    main()
