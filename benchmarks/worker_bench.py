"""Benchmark for the torch worker: time to ready (cold start) and the round trip of a small step.

Cold start: a new ``WorkerClient`` is started N times; the clock runs from ``start()`` until
``wait_ready()`` returns (the worker process has imported torch and said "ready"). Warm round
trip: in one ready worker, ``run("x = ...; y = x ** 2; y.backward()", ["x.grad"])`` is timed
M times from the call until the converted result is back (target: median under 20 ms).
Graph: after that step, ``graph(["x.grad"])`` (what pressing g on the reveal asks the worker
for: the graph with the gradients recorded during the step) is timed M times.

    .venv/bin/python benchmarks/worker_bench.py [--starts 5] [--runs 200] [--device cpu] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from autograd_tutor.worker import WorkerClient

STEP = "x = torch.tensor(3.0, requires_grad=True)\ny = x ** 2\ny.backward()\n"
QUESTIONS = ["x.grad"]


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by linear interpolation."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def cold_starts(n: int, device: str) -> tuple[list[float], str]:
    times = []
    where = ""
    for _ in range(n):
        client = WorkerClient(device=device)
        started = time.perf_counter()
        client.start()
        info = client.wait_ready()
        times.append(time.perf_counter() - started)
        where = f"torch {info.torch_version} on {info.device} ({info.device_name})"
        client.close()
    return times, where


def warm_runs(m: int, device: str) -> tuple[list[float], list[float]]:
    """(round trips of the step, round trips of its graph request)."""
    with WorkerClient(device=device) as client:
        client.wait_ready()
        client.reset(0)
        for _ in range(10):  # warm-up
            client.run(STEP, QUESTIONS)
            client.graph(QUESTIONS)
        times = []
        graph_times = []
        for _ in range(m):
            started = time.perf_counter()
            result = client.run(STEP, QUESTIONS)
            times.append(time.perf_counter() - started)
            if not result.ok or result.values[0].value is None:
                raise SystemExit(f"the benchmark step failed: {result.error}")
            started = time.perf_counter()
            graph = client.graph(QUESTIONS)
            graph_times.append(time.perf_counter() - started)
            if graph.graph is None:
                raise SystemExit(f"the benchmark step has no graph: {graph.error}")
        return times, graph_times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5, help="cold starts (default 5)")
    parser.add_argument("--runs", type=int, default=200, help="warm round trips (default 200)")
    parser.add_argument("--device", default="cpu", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    starts, where = cold_starts(args.starts, args.device)
    runs, graph_runs = warm_runs(args.runs, args.device)
    figures = {
        "device": where,
        "starts": args.starts,
        "ready_median_s": statistics.median(starts),
        "ready_p90_s": percentile(starts, 0.9),
        "ready_min_s": min(starts),
        "ready_max_s": max(starts),
        "runs": args.runs,
        "round_trip_median_ms": statistics.median(runs) * 1000,
        "round_trip_p90_ms": percentile(runs, 0.9) * 1000,
        "round_trip_min_ms": min(runs) * 1000,
        "round_trip_max_ms": max(runs) * 1000,
        "graph_median_ms": statistics.median(graph_runs) * 1000,
        "graph_p90_ms": percentile(graph_runs, 0.9) * 1000,
        "graph_min_ms": min(graph_runs) * 1000,
        "graph_max_ms": max(graph_runs) * 1000,
        "target_ms": 20.0,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"worker benchmark: {where}")
    print(f"{'measure':<36}{'median':>10}{'p90':>10}{'min':>10}{'max':>10}")
    ready = [figures[f"ready_{k}_s"] * 1000 for k in ("median", "p90", "min", "max")]
    trip = [figures[f"round_trip_{k}_ms"] for k in ("median", "p90", "min", "max")]
    graph = [figures[f"graph_{k}_ms"] for k in ("median", "p90", "min", "max")]
    rows = [
        (f"time to ready ({args.starts} cold starts)", ready),
        (f"small step round trip ({args.runs} runs)", trip),
        (f"its graph, g on the reveal ({args.runs})", graph),
    ]
    for label, numbers in rows:
        print(
            f"{label:<36}"
            + "".join(f"{v:>8.1f}ms" if v >= 100 else f"{v:>8.2f}ms" for v in numbers)
        )
    verdict = "meets" if figures["round_trip_median_ms"] < 20.0 else "misses"
    print(f"round trip {verdict} the 20 ms target (median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
