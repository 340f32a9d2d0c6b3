"""Benchmark: the cost of one exercise run, old design against new.

Old design: the learner's code ran in the lesson worker, in a namespace the earlier steps had
already built: ``run(setup)`` then ``run(code, probe=...)``. New design: ``run_learner``: a
fresh process (the forkserver's spare) replays the earlier steps and the setup, runs the code,
sends its report back, and the ``expr`` checks are evaluated in the lesson worker. Each is
timed N times from the call until the result is back, with a pause between runs as a learner
makes (the next spare process is started in it); the figure is the median, and the added
latency is new minus old (target: under 30 ms).

    .venv/bin/python benchmarks/contained_bench.py [--runs 30] [--pause 0.3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

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
    figures = {
        "runs": args.runs,
        "old_median_ms": round(statistics.median(old) * 1000, 1),
        "new_median_ms": round(statistics.median(new) * 1000, 1),
    }
    figures["added_median_ms"] = round(figures["new_median_ms"] - figures["old_median_ms"], 1)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"exercise run, median of {args.runs}:")
    print(f"  old design (in the lesson worker):  {figures['old_median_ms']:7.1f} ms")
    print(f"  new design (a fresh process):       {figures['new_median_ms']:7.1f} ms")
    print(f"  added:                              {figures['added_median_ms']:7.1f} ms")


if __name__ == "__main__":
    main()
