"""Save the README's picture of ``autograd-tutor watch`` (SVG, 80x24) by driving the real app
with Pilot over a demo lab folder (``scripts/demo_lab.py``, 30 learners, in a temporary
folder), plus the learner drill-down and a 200x60 view beside it.

    .venv/bin/python scripts/watch_screenshot.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_lab import make_lab  # noqa: E402

from autograd_tutor.lessons.loader import load_lessons  # noqa: E402
from autograd_tutor.tui.watch.app import WatchApp  # noqa: E402
from autograd_tutor.tui.watch.learner import LearnerScreen  # noqa: E402


async def shoot(folder: Path, out: Path) -> None:
    lessons, _ = load_lessons(None)
    for size, name in (((80, 24), "watch.svg"), ((200, 60), "watch-wide.svg")):
        app = WatchApp(folder, lessons, interval=3600)
        async with app.run_test(size=size) as pilot:
            await pilot.pause(1.0)  # the footer paints last
            app.save_screenshot(name, str(out))
            if size == (200, 60):
                await pilot.press("3")
                await pilot.pause(0.5)
                app.save_screenshot("watch-wide-questions.svg", str(out))
            if size == (80, 24):
                await pilot.press("2")
                await pilot.pause(0.3)
                app.save_screenshot("watch-class.svg", str(out))
                await pilot.press("3")
                await pilot.pause(0.3)
                app.save_screenshot("watch-questions.svg", str(out))
                await pilot.press("1", "enter")
                while not isinstance(app.screen, LearnerScreen):
                    await pilot.pause(0.05)
                await pilot.pause(0.3)
                app.save_screenshot("watch-learner.svg", str(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    out = args.out.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # the status line shows the folder as given: "lab"
        folder = Path("lab")
        make_lab(folder, 30)
        asyncio.run(shoot(folder, out))
    print(f"saved to {args.out}")


if __name__ == "__main__":
    main()
