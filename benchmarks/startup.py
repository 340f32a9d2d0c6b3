"""Time to the first painted screen: autograd-tutor's app against a minimal Textual app,
measured in the same run.

Each app is spawned N times in a pseudo-terminal (80x24); the clock runs from spawn until the
first frame's text (a marker string of each app's first screen) has been written to the
terminal. For autograd-tutor it also reports when the picker lists the lessons (read right
after the first frame). Medians are reported against the minimal app's first frame (targets:
the picker's first frame at most 1.5x, the lessons listed at most 1.1x). A third app, the
minimal one with 18 three-line options in its first frame and nothing else, shows how low
"lessons listed" could go with Textual at all.

Wall-clock time depends on what else the machine runs; where Linux's ``/proc`` is there, the
CPU time the app's process had used by each moment (every thread's run time, from
``/proc/PID/task/*/schedstat``) is reported too: that figure hardly moves with the load.

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

# The floor for "lessons listed": the minimal app with the picker's list in its first frame (18
# options of three lines, as many as the bundled lessons) and nothing else: no lessons read,
# no progress, no standing.
LISTING_APP = """
from rich.text import Text
from textual.app import App
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

class Listing(App):
    def compose(self):
        yield Header()
        yield Static("Progress of a learner")
        rows = []
        for i in range(18):
            text = Text(f"Lesson {i}: a title of some length", style="bold")
            text.append("\\nA summary long enough to wrap at eighty columns, or very nearly so\\n")
            text.append("5 questions · ~10 min · not started · listing-ready", style="dim")
            rows += [Option(text, id=f"lesson-{i}"), None]
        yield OptionList(*rows)
        yield Footer()

Listing().run()
"""


def cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by every thread of process ``pid`` (None without ``/proc``)."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += int((task / "schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e9


def first_frame_seconds(
    argv: list[str], markers: list[bytes], env: dict[str, str], limit: float
) -> list[tuple[float, float | None]]:
    """(seconds, CPU seconds) from spawning ``argv`` in an 80x24 pty until each of ``markers``
    has appeared in what it wrote to the terminal (in the order given)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    found: list[tuple[float, float | None]] = []
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
            cpu = cpu_seconds(proc.pid) if markers[len(found)] in seen else None
            while len(found) < len(markers) and markers[len(found)] in seen:
                found.append((now, cpu))
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
    # An installed app runs from compiled bytecode (pip compiles it, Python caches it), as
    # Textual's own modules do here: the untimed warm-up run writes it, so no timed run pays for
    # compiling autograd_tutor's sources (PYTHONDONTWRITEBYTECODE=1 would make every run do so).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    python = sys.executable
    with tempfile.TemporaryDirectory() as data:
        ours = [python, "-m", "autograd_tutor", "--data-dir", str(Path(data)), "--device", "cpu"]
        minimal = [python, "-c", MINIMAL_APP]
        listing = [python, "-c", LISTING_APP]
        # The app's first frame is the picker with its header and footer keys; the lessons are
        # listed right after it is painted ("Loading lessons…" until then), from the lessons
        # kept by an earlier start (the warm-up run keeps them) when none changed.
        ours_markers = [b"Progress of", b"question"]
        # warm the file cache (and write the bytecode) once for each, untimed
        first_frame_seconds(minimal, [b"minimal-ready"], env, 60)
        first_frame_seconds(listing, [b"listing-ready"], env, 60)
        first_frame_seconds(ours, ours_markers, env, 60)
        minimal_runs: list[tuple[float, float | None]] = []
        first_frame: list[tuple[float, float | None]] = []
        listed: list[tuple[float, float | None]] = []
        floor: list[tuple[float, float | None]] = []
        for _ in range(args.n):  # interleaved, so both see the same machine load
            minimal_runs += first_frame_seconds(minimal, [b"minimal-ready"], env, 60)
            floor += first_frame_seconds(listing, [b"listing-ready"], env, 60)
            frame, lessons = first_frame_seconds(ours, ours_markers, env, 60)
            first_frame.append(frame)
            listed.append(lessons)
    rows = [
        ("minimal Textual app, first frame", minimal_runs),
        ("minimal app listing 18 options", floor),
        ("autograd-tutor, first frame", first_frame),
        ("autograd-tutor, lessons listed", listed),
    ]
    base = statistics.median(wall for wall, _ in minimal_runs)
    cpu_known = all(cpu is not None for _, runs in rows for _, cpu in runs)
    cpu_base = statistics.median(cpu or 0.0 for _, cpu in minimal_runs) if cpu_known else 0.0
    for name, pairs in rows:
        walls = [wall for wall, _ in pairs]
        median = statistics.median(walls)
        runs = " ".join(f"{v:.3f}" for v in walls)
        line = f"{name:34s} median {median:.3f} s  {median / base:.2f}x"
        if cpu_known:
            cpu = statistics.median(c or 0.0 for _, c in pairs)
            line += f"   CPU {cpu:.3f} s  {cpu / cpu_base:.2f}x"
        print(f"{line}   (runs: {runs})")
    ratio = statistics.median(wall for wall, _ in first_frame) / base
    listed_ratio = statistics.median(wall for wall, _ in listed) / base
    print(f"first frame ratio {ratio:.2f}x (target <= 1.5x): {'OK' if ratio <= 1.5 else 'OVER'}")
    print(
        f"lessons listed ratio {listed_ratio:.2f}x (target <= 1.1x): "
        f"{'OK' if listed_ratio <= 1.1 else 'OVER'}"
    )
    return 0 if ratio <= 1.5 and listed_ratio <= 1.1 else 1


if __name__ == "__main__":
    sys.exit(main())
