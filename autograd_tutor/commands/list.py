"""``autograd-tutor list [--lessons DIR]``: the lessons, and the broken ones with their error.

One line per lesson (id, title, number of steps and questions), in the order the picker shows
them, then every file that could not be loaded with the loader's full
``file:line:col: field: message``. Exit 0 when the folder could be read (even with broken
lessons, which are printed clearly); a ``--lessons DIR`` that is no folder is refused by the
command line before this runs. Plain text; colour only on a terminal (and never with
``NO_COLOR`` set).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from autograd_tutor.errors import ExitStatus
from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.presentation import plural
from autograd_tutor.safe_text import printable


def parents() -> list[argparse.ArgumentParser]:
    from autograd_tutor.cli import lessons_folder_option

    return [lessons_folder_option()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``list`` takes only ``--lessons DIR``."""


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
    for lesson in lessons:
        counts = (
            f"{plural(len(lesson.steps), 'step'):>8}  "
            f"{plural(len(lesson.questions), 'question'):>12}"
        )
        lid, title = ids[lesson.id], titles[lesson.id]
        print(f"  {lid:<{id_width}}  {title:<{title_width}}  {counts}", file=out)
    if broken:
        print("", file=out)
        print(red(f"Broken lessons ({len(broken)}), not shown in the app:"), file=out)
        for item in broken:
            print(f"  {red('BROKEN')} {printable(item.id)}", file=out)
            print(f"    {printable(item.error, keep_newlines=True)}", file=out)
    return ExitStatus.OK
