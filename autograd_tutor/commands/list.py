"""``autograd-tutor list [--lessons DIR]``: the lessons, and the broken ones with their error.

One line per lesson (id, title, number of steps and questions, about how many minutes it takes
when the lesson says; a lesson with exercises or experiments has a second line counting them),
in the order the picker shows them; on a terminal, titles too long for its width end in an
ellipsis so that every row fits. Then every file that could not be loaded
with the loader's full
``file:line:col: field: message``. Exit 0 when the folder could be read (even with broken
lessons, which are printed clearly); a ``--lessons DIR`` that is no folder is refused by the
command line before this runs. Plain text; colour only on a terminal (and never with
``NO_COLOR`` set).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import TextIO

from autograd_tutor.errors import ExitStatus
from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.presentation import plural, practice_counts_text
from autograd_tutor.safe_text import printable
from autograd_tutor.session.kinds import kind_counts


def parents() -> list[argparse.ArgumentParser]:
    from autograd_tutor.cli import lessons_folder_option

    return [lessons_folder_option()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``list`` takes only ``--lessons DIR``."""


MIN_TITLE_WIDTH = 12


def minutes_text(minutes: int | None) -> str:
    """``"~15 min"`` for a lesson that says how long it takes, ``""`` for one that does not."""
    return f"~{minutes} min" if minutes else ""


def practice_counts(lesson: Lesson) -> str:
    """``"1 exercise, 1 experiment"``; ``""`` for a lesson of questions only."""
    kinds = kind_counts(lesson.steps)
    return practice_counts_text(kinds["exercise"], kinds["experiment"])


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in an ellipsis when it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Print the lessons of ``--lessons DIR`` (else the bundled ones); a folder that cannot be
    listed raises ``LessonsFolderError`` for the command line to report."""
    out = out or sys.stdout
    directory = Path(args.lessons) if args.lessons else bundled_lessons_dir()
    lessons, broken = load_lessons(directory)
    colour = out.isatty() and "NO_COLOR" not in os.environ

    def red(text: str) -> str:
        return f"\x1b[31m{text}\x1b[0m" if colour else text

    print(f"Lessons in {printable(directory)}:", file=out)
    if not lessons:
        print("  (none)", file=out)
    ids = {lesson.id: printable(lesson.id) for lesson in lessons}
    titles = {lesson.id: printable(lesson.title) for lesson in lessons}
    id_width = max(map(len, ids.values()), default=0)
    title_width = max(map(len, titles.values()), default=0)
    with_minutes = any(lesson.minutes for lesson in lessons)
    counts_width = 8 + 2 + 12 + (2 + 7 if with_minutes else 0)
    if out.isatty():  # a row one column short of the terminal's width never wraps
        room = shutil.get_terminal_size().columns - 1 - (2 + id_width + 2 + 2 + counts_width)
        title_width = min(title_width, max(room, MIN_TITLE_WIDTH))
    for lesson in lessons:
        counts = (
            f"{plural(len(lesson.steps), 'step'):>8}  "
            f"{plural(len(lesson.questions), 'question'):>12}"
        )
        if with_minutes:
            counts += f"  {minutes_text(lesson.minutes):>7}"
        lid, title = ids[lesson.id], fit(titles[lesson.id], title_width)
        print(f"  {lid:<{id_width}}  {title:<{title_width}}  {counts}", file=out)
        practice = practice_counts(lesson)
        if practice:  # a line of its own under the title, so that every row fits 80 columns
            print(f"  {'':<{id_width}}  and {practice}", file=out)
    if broken:
        print("", file=out)
        print(red(f"Broken lessons ({len(broken)}), not shown in the app:"), file=out)
        for item in broken:
            print(f"  {red('BROKEN')} {printable(item.id)}", file=out)
            print(f"    {printable(item.error, keep_newlines=True)}", file=out)
    return ExitStatus.OK
