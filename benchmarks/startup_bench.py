"""Time to the first painted screen: autograd-tutor's app against a minimal Textual app,
measured in the same run.

Each app is spawned N times in a pseudo-terminal (80x24); the clock runs from spawn until the
first frame's text (a marker string of each app's first screen) has been written to the
terminal. Medians are reported with their ratio (target: at most 1.5x the minimal app).

    .venv/bin/python benchmarks/startup_bench.py [-n 7]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("minimal-ready")
        yield Footer()

Minimal().run()
"""


def first_frame_seconds(argv: list[str], marker: bytes, env: dict[str, str], limit: float) -> float:
    """Seconds from spawning ``argv`` in an 80x24 pty until ``marker`` appears in its output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    try:
        while True:
            elapsed = time.perf_counter() - start
            if elapsed > limit:
                raise TimeoutError(f"{argv[-1]!r}: no first frame within {limit} s")
            ready, _, _ = select.select([master], [], [], 0.01)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                raise RuntimeError(f"{argv}: exited before painting: {seen[-500:]!r}") from None
            seen += chunk
            if marker in seen:
                return time.perf_counter() - start
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the app and the torch worker it started
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=7, help="runs per app (default 7)")
    args = parser.parse_args()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("NO_COLOR", None)
    python = sys.executable
    with tempfile.TemporaryDirectory() as data:
        ours = [python, "-m", "autograd_tutor", "--data-dir", str(Path(data)), "--device", "cpu"]
        minimal = [python, "-c", MINIMAL_APP]
        # warm the file cache once for each, untimed
        first_frame_seconds(minimal, b"minimal-ready", env, 60)
        first_frame_seconds(ours, b"Restart lesson", env, 60)
        times: dict[str, list[float]] = {"minimal Textual app": [], "autograd-tutor": []}
        for _ in range(args.n):  # interleaved, so both see the same machine load
            times["minimal Textual app"].append(
                first_frame_seconds(minimal, b"minimal-ready", env, 60)
            )
            times["autograd-tutor"].append(first_frame_seconds(ours, b"Restart lesson", env, 60))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        runs = " ".join(f"{v:.3f}" for v in values)
        print(f"{name:22s} median {medians[name]:.3f} s   (runs: {runs})")
    ratio = medians["autograd-tutor"] / medians["minimal Textual app"]
    print(f"ratio {ratio:.2f}x (target <= 1.5x): {'OK' if ratio <= 1.5 else 'OVER'}")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
