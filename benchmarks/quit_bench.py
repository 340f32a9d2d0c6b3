"""Benchmark: how long quitting takes while learner code runs (issue 19: within 2 s, and
nothing left running), in ``--plain`` (ctrl+c, SIGINT) and in the app (ctrl+q, driven
headless by Textual's Pilot), for an endless loop and for code that forks a child that sleeps.

Each case starts the tutor on a one-exercise lesson, runs the code, waits until it runs, then
quits and times two figures: until the command returned (``plain``: the process exited;
``app``: ``App.run_test`` returned), and until every process of it is gone (the lesson worker,
its fork server, the run's process, what it forked). Median and worst of N.

    .venv/bin/python benchmarks/quit_bench.py [--runs 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LESSON = """\
id: long-run
title: A long run
time_limit: 600
steps:
  - code: |
      x = 1
    exercise:
      starter: |
        y = ...
      solution: |
        y = x
      checks:
        - expr: y == 1
          says: y is not x
"""
KINDS = ("endless", "fork_and_sleep")


def learner_code(kind: str, started: Path) -> str:
    head = "import os, time\n"
    if kind == "endless":
        return (
            head + f"open({str(started)!r}, 'w').write(str(os.getpid()))\nwhile True:\n    pass\n"
        )
    return head + (
        "child = os.fork()\nif child == 0:\n    time.sleep(600)\n    os._exit(0)\n"
        f"open({str(started)!r}, 'w').write(f'{{os.getpid()}} {{child}}')\ntime.sleep(600)\n"
    )


def pids_in(path: Path) -> list[int]:
    try:
        return [int(word) for word in path.read_text().split()]
    except (OSError, ValueError):
        return []


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def wait_all_gone(pids: set[int], limit: float = 60.0) -> None:
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            if not select.select([fd], [], [], limit)[0]:
                raise SystemExit(f"process {pid} still runs after {limit:g} s")
        finally:
            os.close(fd)


def wait_started(started: Path, wanted: int) -> None:
    deadline = time.monotonic() + 300
    while len(pids_in(started)) < wanted:
        if time.monotonic() > deadline:
            raise SystemExit("the learner's code never started")
        time.sleep(0.02)


def plain_quit(folder: Path, kind: str) -> tuple[float, float]:
    started, code = folder / "started", folder / "mine.py"
    code.write_text(learner_code(kind, started))
    args = ["--plain", "--device", "cpu", "--lessons", str(folder / "lessons")]
    args += ["--data-dir", str(folder / "data"), "long-run"]
    app = subprocess.Popen(
        [sys.executable, "-m", "autograd_tutor", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert app.stdin is not None
    app.stdin.write(f"file {code}\n")
    app.stdin.flush()
    wait_started(started, 2 if kind == "fork_and_sleep" else 1)
    everything = {app.pid, *descendants(app.pid), *pids_in(started)}
    quit_at = time.perf_counter()
    app.send_signal(signal.SIGINT)
    app.wait(timeout=120)
    returned = time.perf_counter() - quit_at
    wait_all_gone(everything)
    return returned, time.perf_counter() - quit_at


def app_quit(folder: Path, kind: str) -> tuple[float, float]:
    from autograd_tutor.progress import ProgressStore
    from autograd_tutor.tui.app import AutogradTutorApp
    from autograd_tutor.tui.screens.exercise import ExerciseScreen

    started = folder / "started"
    store = ProgressStore(folder / "data", "bench")
    app = AutogradTutorApp(folder / "lessons", device="cpu", store=store, cursor_blink=False)
    wanted = 2 if kind == "fork_and_sleep" else 1

    async def until(pilot: object, predicate: object) -> None:
        while not predicate():  # type: ignore[operator]
            await pilot.pause(0.02)  # type: ignore[attr-defined]

    async def run() -> tuple[float, set[int]]:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.lessons_loaded)
            app.open_lesson("long-run", {0: None})
            await until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
            app.screen.editor.load_text(learner_code(kind, started))  # type: ignore[attr-defined]
            await pilot.press("ctrl+r")
            await until(pilot, lambda: len(pids_in(started)) == wanted)
            worker_pid = app.worker.pid or 0
            everything = {worker_pid, *descendants(worker_pid), *pids_in(started)}
            quit_at = time.perf_counter()
            await pilot.press("ctrl+q")
        return quit_at, everything

    quit_at, everything = asyncio.run(run())
    returned = time.perf_counter() - quit_at
    wait_all_gone(everything)
    return returned, time.perf_counter() - quit_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict[str, dict[str, float]] = {}
    for where, quit_one in (("plain", plain_quit), ("app", app_quit)):
        for kind in KINDS:
            returned, all_gone = [], []
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory() as tmp:
                    folder = Path(tmp)
                    (folder / "lessons").mkdir()
                    (folder / "lessons" / "long-run.yaml").write_text(LESSON)
                    back, gone = quit_one(folder, kind)
                returned.append(back)
                all_gone.append(gone)
            figures[f"{where} {kind}"] = {
                "returned_median_s": round(statistics.median(returned), 3),
                "returned_worst_s": round(max(returned), 3),
                "all_gone_worst_s": round(max(all_gone), 3),
            }
    if args.json:
        print(json.dumps(figures))
        return
    print(f"quit while learner code runs, {args.runs} runs each (target: under 2 s):")
    print(f"  {'':24} {'returned (median, worst)':>26} {'all gone (worst)':>18}")
    for name, case in figures.items():
        text = f"{case['returned_median_s']:.2f} s, {case['returned_worst_s']:.2f} s"
        print(f"  {name:24} {text:>26} {case['all_gone_worst_s']:>16.2f} s")


if __name__ == "__main__":
    main()
