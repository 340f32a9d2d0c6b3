"""Benchmark for ``autograd-tutor watch``: the CPU one refresh costs over a lab of N learners
(default 200), when nothing changed and when one learner's file changed.

The folder is made by ``scripts/demo_lab.py`` (learners part-way through the first lessons,
answers scored by the app). Measured with ``time.process_time`` (CPU of this process, not wall
time): the core alone (:meth:`ClassState.refresh`: the poll, re-reading and verifying the
changed file, rebuilding the class views) and the app (:meth:`WatchApp.action_refresh` and the
repaint that follows, headless at 80x24).

    .venv/bin/python benchmarks/watch_bench.py [--learners 200] [--rounds 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from demo_lab import make_lab, write_document  # noqa: E402

from autograd_tutor.lab.state import ClassState  # noqa: E402
from autograd_tutor.lessons.loader import load_lessons  # noqa: E402
from autograd_tutor.progress.records import decode_document  # noqa: E402


def touch_one(paths: list[Path], i: int) -> None:
    """Rewrite one learner's file with one more attempt (as a learner's save does)."""
    import msgspec

    path = paths[i % len(paths)]
    raw = msgspec.json.decode(path.read_bytes())
    decode_document(path.read_bytes())  # still a valid document
    lesson = next(iter(raw["lessons"].values()))
    if lesson["attempts"]:
        extra = dict(lesson["attempts"][-1])
        extra["timestamp"] = f"2026-03-02T10:00:{i % 60:02d}.000000+00:00"
        lesson["attempts"].append(extra)
    write_document(path.parent, raw)


def per_refresh_ms(samples: list[float]) -> str:
    ms = [1000 * s for s in samples]
    return f"median {statistics.median(ms):6.2f} ms, max {max(ms):6.2f} ms"


def bench_core(folder: Path, paths: list[Path], rounds: int) -> None:
    lessons, _ = load_lessons(None)
    state = ClassState(folder, lessons)
    start = time.process_time()
    state.refresh()
    print(
        f"core  first read of {len(paths)} files: {1000 * (time.process_time() - start):.0f} ms CPU"
    )
    idle = []
    for _ in range(rounds):
        start = time.process_time()
        assert not state.refresh()
        idle.append(time.process_time() - start)
    one = []
    for i in range(rounds):
        touch_one(paths, i)
        start = time.process_time()
        assert state.refresh()
        one.append(time.process_time() - start)
    print(f"core  refresh, nothing changed:   {per_refresh_ms(idle)} CPU")
    print(f"core  refresh, one file changed:  {per_refresh_ms(one)} CPU")


async def bench_app(folder: Path, paths: list[Path], rounds: int) -> None:
    from autograd_tutor.tui.watch.app import WatchApp

    lessons, _ = load_lessons(None)
    app = WatchApp(folder, lessons, interval=3600)  # refreshed by hand here
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        idle, one = [], []
        for _ in range(rounds):
            start = time.process_time()
            app.action_refresh()
            await pilot.pause()
            idle.append(time.process_time() - start)
        for i in range(rounds):
            touch_one(paths, i)
            start = time.process_time()
            app.action_refresh()
            await pilot.pause()
            one.append(time.process_time() - start)
    print(f"app   refresh, nothing changed:   {per_refresh_ms(idle)} CPU (with the repaint)")
    print(f"app   refresh, one file changed:  {per_refresh_ms(one)} CPU (with the repaint)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lab"
        paths = make_lab(folder, args.learners)
        size = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} results files, {size / 1e6:.1f} MB")
        bench_core(folder, paths, args.rounds)
        asyncio.run(bench_app(folder, paths, args.rounds))


if __name__ == "__main__":
    main()
