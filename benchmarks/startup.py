"""Time to the first painted screen: autograd-tutor's app against a minimal Textual app,
measured in the same run.

Each app is spawned N times in a pseudo-terminal (80x24); the clock runs from spawn until the
first frame's text (a marker string of each app's first screen) has been written to the
terminal. For autograd-tutor it also reports when the picker lists the lessons (read right
after the first frame). Medians are reported against the minimal app's first frame (targets:
the picker's first frame at most 1.5x, the lessons listed at most 1.1x).

    .venv/bin/python benchmarks/startup.py [-n 7]
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


def first_frame_seconds(
    argv: list[str], markers: list[bytes], env: dict[str, str], limit: float
) -> list[float]:
    """Seconds from spawning ``argv`` in an 80x24 pty until each of ``markers`` has appeared in
    what it wrote to the terminal (in the order given)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    found: list[float] = []
    try:
        while len(found) < len(markers):
            elapsed = time.perf_counter() - start
            if elapsed > limit:
                raise TimeoutError(f"{argv[-1]!r}: {markers[len(found)]!r} not seen in {limit} s")
            ready, _, _ = select.select([master], [], [], 0.005)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                raise RuntimeError(f"{argv}: exited early: {seen[-500:]!r}") from None
            now = time.perf_counter() - start
            seen += chunk
            while len(found) < len(markers) and markers[len(found)] in seen:
                found.append(now)
        return found
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
        # The app's first frame is the picker with its header and footer keys; the lessons are
        # read right after it is painted (the list says "Loading lessons…" until then).
        ours_markers = [b"Progress of", b"question"]
        # warm the file cache once for each, untimed
        first_frame_seconds(minimal, [b"minimal-ready"], env, 60)
        first_frame_seconds(ours, ours_markers, env, 60)
        minimal_times: list[float] = []
        first_frame: list[float] = []
        listed: list[float] = []
        for _ in range(args.n):  # interleaved, so both see the same machine load
            minimal_times += first_frame_seconds(minimal, [b"minimal-ready"], env, 60)
            frame, lessons = first_frame_seconds(ours, ours_markers, env, 60)
            first_frame.append(frame)
            listed.append(lessons)
    base = statistics.median(minimal_times)
    rows = [
        ("minimal Textual app, first frame", minimal_times),
        ("autograd-tutor, first frame", first_frame),
        ("autograd-tutor, lessons listed", listed),
    ]
    for name, values in rows:
        runs = " ".join(f"{v:.3f}" for v in values)
        median = statistics.median(values)
        print(f"{name:34s} median {median:.3f} s  {median / base:.2f}x   (runs: {runs})")
    ratio = statistics.median(first_frame) / base
    listed_ratio = statistics.median(listed) / base
    print(f"first frame ratio {ratio:.2f}x (target <= 1.5x): {'OK' if ratio <= 1.5 else 'OVER'}")
    print(
        f"lessons listed ratio {listed_ratio:.2f}x (target <= 1.1x): "
        f"{'OK' if listed_ratio <= 1.1 else 'OVER'}"
    )
    return 0 if ratio <= 1.5 and listed_ratio <= 1.1 else 1


if __name__ == "__main__":
    sys.exit(main())
