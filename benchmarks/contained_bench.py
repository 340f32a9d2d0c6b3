"""Benchmark: the cost of one exercise run, old design against new.

Old design: the learner's code ran in the lesson worker, in a namespace the earlier steps had
already built: ``run(setup)`` then ``run(code, probe=...)``. New design: ``run_learner``: a
fresh process (the forkserver's spare) replays the earlier steps and the setup, runs the code,
sends its report back, and the ``expr`` checks are evaluated in the lesson worker. Each is
timed N times from the call until the result is back, with a pause between runs as a learner
makes (the next spare process is started in it); the figure is the median, and the added
latency is new minus old (target: under 30 ms).

Exercise attempts through the lesson session (``ExerciseSession.run`` at the exercise of the
bundled ``optimizer-sgd`` lesson, steps 1-5 taken first): the median time of an attempt after
the first, and how many steps the lesson worker ran (or reset) for the attempts. Before issue
19's last change the session replayed the lesson's earlier steps in the lesson worker before
each retry, which the contained run never used; now it runs nothing there.

    .venv/bin/python benchmarks/contained_bench.py [--runs 30] [--pause 0.3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import ExerciseStep
from autograd_tutor.session import LessonSession
from autograd_tutor.session.exercise import ExerciseSession
from autograd_tutor.worker import WorkerClient

PRELUDE = [
    ("x = torch.tensor([1.0, 2.0, 3.0])\ny = 2 * x + 1\n", 1),
]
SETUP = "w = torch.zeros(1, requires_grad=True)\nb = torch.zeros(1, requires_grad=True)\n"
CODE = """\
for _ in range(20):
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
    w.grad.zero_()
    b.grad.zero_()
"""
PROBE = {
    "checks": [
        {"id": "backward_called", "builtin": "backward_called", "says": ""},
        {"id": "grads_zeroed", "builtin": "grads_zeroed", "says": ""},
        {"id": "check 1", "expr": "abs(w.item() - 2) < 5", "says": ""},
    ],
    "record_backward": True,
    "rule_names": False,
}


def old_design(worker: WorkerClient, runs: int, pause: float) -> list[float]:
    times = []
    for _ in range(runs):
        worker.reset(0)
        for code, line in PRELUDE:
            worker.run(code, [], first_line=line)
        time.sleep(pause)
        started = time.perf_counter()
        worker.run(SETUP, [])
        result = worker.run(CODE, [], probe=PROBE)
        times.append(time.perf_counter() - started)
        assert result.error is None and all(c.passed for c in result.checks), result
    return times


def new_design(worker: WorkerClient, runs: int, pause: float) -> list[float]:
    times = []
    for _ in range(runs):
        time.sleep(pause)
        started = time.perf_counter()
        result = worker.run_learner([*PRELUDE, (SETUP, 1)], CODE, probe=PROBE)
        times.append(time.perf_counter() - started)
        assert result.error is None and all(c.passed for c in result.checks), result
    return times


class CountingWorker:
    """The worker, counting the steps run (and resets) in the lesson worker's namespace."""

    def __init__(self, worker: WorkerClient) -> None:
        self.worker = worker
        self.lesson_worker_calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.worker, name)

    def reset(self, seed: int) -> None:
        self.lesson_worker_calls += 1
        self.worker.reset(seed)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        self.lesson_worker_calls += 1
        return self.worker.run(*args, **kwargs)


def session_attempts(worker: WorkerClient, runs: int, pause: float) -> tuple[list[float], int]:
    """Attempts at ``optimizer-sgd``'s exercise after its earlier steps were taken: the time of
    each attempt after the first, and the lesson worker's runs for all the attempts."""
    lesson = load_lesson(bundled_lessons_dir() / "optimizer-sgd.yaml")
    counting = CountingWorker(worker)
    session = LessonSession(lesson, counting)
    (position,) = [s.index for s in lesson.steps if isinstance(s, ExerciseStep)]
    for step in lesson.steps[:position]:
        assert session.commit(step.index, {q.id: None for q in step.questions}).ok
    exercise = ExerciseSession(session, position)
    solution = exercise.exercise.solution
    counting.lesson_worker_calls = 0
    assert exercise.run(solution).passed
    times = []
    for _ in range(runs):
        time.sleep(pause)
        started = time.perf_counter()
        outcome = exercise.run(solution)
        times.append(time.perf_counter() - started)
        assert outcome.passed, outcome.result
    return times, counting.lesson_worker_calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pause", type=float, default=0.3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with WorkerClient("cpu") as worker:
        worker.wait_ready()
        worker.run_learner([], "pass")  # the forkserver imports torch once
        new_design(worker, 3, args.pause)  # warm-up
        old = old_design(worker, args.runs, args.pause)
        new = new_design(worker, args.runs, args.pause)
        attempts, lesson_worker_calls = session_attempts(worker, args.runs, args.pause)
    figures: dict[str, float] = {
        "runs": args.runs,
        "old_median_ms": round(statistics.median(old) * 1000, 1),
        "new_median_ms": round(statistics.median(new) * 1000, 1),
    }
    figures["added_median_ms"] = round(figures["new_median_ms"] - figures["old_median_ms"], 1)
    figures["session_attempt_median_ms"] = round(statistics.median(attempts) * 1000, 1)
    figures["session_lesson_worker_calls"] = lesson_worker_calls
    if args.json:
        print(json.dumps(figures))
        return
    print(f"exercise run, median of {args.runs}:")
    print(f"  old design (in the lesson worker):  {figures['old_median_ms']:7.1f} ms")
    print(f"  new design (a fresh process):       {figures['new_median_ms']:7.1f} ms")
    print(f"  added:                              {figures['added_median_ms']:7.1f} ms")
    print(f"exercise attempt through the lesson session, median of {args.runs} retries:")
    print(f"  per attempt:                        {figures['session_attempt_median_ms']:7.1f} ms")
    print(f"  lesson worker runs for {args.runs + 1} attempts:  {lesson_worker_calls:7d}")


if __name__ == "__main__":
    main()
