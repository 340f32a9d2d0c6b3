"""``autograd-tutor list [--lessons DIR]``: the lessons, and the broken ones with their error.

One line per lesson (id, title, number of steps and questions, about how many minutes it takes
when the lesson says), in the order the picker shows
them, then every file that could not be loaded with the loader's full
``file:line:col: field: message``. Exit 0 when the folder could be read (even with broken
lessons, which are printed clearly), 2 when ``--lessons DIR`` is not a folder. Plain text; colour
only on a terminal (and never with ``NO_COLOR`` set).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.lessons.loader import load_lessons


def parents() -> list[argparse.ArgumentParser]:
    from autograd_tutor.cli import lesson_options

    return [lesson_options()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``list`` takes only the shared lesson options (``--lessons DIR``)."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def minutes_text(minutes: int | None) -> str:
    """``"~15 min"`` for a lesson that says how long it takes, ``""`` for one that does not."""
    return f"~{minutes} min" if minutes else ""


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    directory = Path(args.lessons) if getattr(args, "lessons", None) else bundled_lessons_dir()
    if not directory.is_dir():
        what = "no such folder" if not directory.exists() else "not a folder"
        print(f"error: --lessons {directory}: {what}", file=sys.stderr)
        return 2
    try:
        lessons, broken = load_lessons(directory)
    except OSError as exc:
        print(f"error: cannot read {directory}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    colour = out.isatty() and "NO_COLOR" not in os.environ

    def red(text: str) -> str:
        return f"\x1b[31m{text}\x1b[0m" if colour else text

    print(f"Lessons in {directory}:", file=out)
    if not lessons:
        print("  (none)", file=out)
    id_width = max((len(lesson.id) for lesson in lessons), default=0)
    title_width = max((len(lesson.title) for lesson in lessons), default=0)
    for lesson in lessons:
        counts = (
            f"{_plural(len(lesson.steps), 'step'):>8}  "
            f"{_plural(len(lesson.questions), 'question'):>12}"
        )
        if any(other.minutes for other in lessons):
            counts += f"  {minutes_text(lesson.minutes):>9}"
        print(f"  {lesson.id:<{id_width}}  {lesson.title:<{title_width}}  {counts}", file=out)
    if broken:
        print("", file=out)
        print(red(f"Broken lessons ({len(broken)}), not shown in the app:"), file=out)
        for item in broken:
            print(f"  {red('BROKEN')} {item.id}", file=out)
            print(f"    {item.error}", file=out)
    return 0
