"""``autograd-tutor watch DIR``: the teacher's live view of a lab's results folder (who is
stuck, on what, right now). Read-only: it never writes into DIR. Textual is imported only when
the app starts; the folder is read the way ``report`` reads it (:mod:`autograd_tutor.lab`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograd_tutor.errors import ExitStatus, UserError
from autograd_tutor.safe_text import printable


def parents() -> list[argparse.ArgumentParser]:
    return []


def positive_seconds(text: str) -> float:
    """``--interval SECONDS``: a number above 0 (at most an hour)."""
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < number <= 3600:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 3600 seconds")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from autograd_tutor.cli import lessons_folder, positive_int

    parser.add_argument("directory", metavar="DIR", help="the lab's shared results folder")
    parser.add_argument(
        "--lessons",
        metavar="LESSONS",
        type=lessons_folder,
        help="the lessons the class takes (default: the bundled lessons); every answer is "
        "checked against them",
    )
    parser.add_argument(
        "--wrong-in-a-row",
        type=positive_int,
        default=3,
        metavar="N",
        help="stuck: the same question wrong N times in a row (default: 3)",
    )
    parser.add_argument(
        "--exercise-runs",
        type=positive_int,
        default=5,
        metavar="N",
        help="stuck: an exercise run N times without passing (default: 5)",
    )
    parser.add_argument(
        "--idle-minutes",
        type=positive_int,
        default=10,
        metavar="N",
        help="stuck: no progress for N minutes in a lesson in progress (default: 10)",
    )
    parser.add_argument(
        "--interval",
        type=positive_seconds,
        default=1.0,
        metavar="SECONDS",
        help="how often the folder is looked at (default: 1)",
    )


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


def run(args: argparse.Namespace) -> int:
    from autograd_tutor.commands.report import teacher_lessons
    from autograd_tutor.lab.stuck import StuckRules

    directory = Path(args.directory).expanduser()
    if not directory.is_dir():
        raise UserError(f"{printable(directory)} is not a folder", ExitStatus.USAGE)
    if not (_is_terminal(sys.stdin) and _is_terminal(sys.stdout)):
        raise UserError(
            "watch is a full-screen app and needs a terminal; for the class as text use "
            f"autograd-tutor report {printable(directory)}",
            ExitStatus.USAGE,
        )
    lessons = teacher_lessons(args.lessons)
    rules = StuckRules(args.wrong_in_a_row, args.exercise_runs, float(args.idle_minutes))

    from autograd_tutor.tui.watch.app import WatchApp

    app = WatchApp(directory, lessons, rules=rules, interval=args.interval)
    app.run()
    return int(app.return_code or 0)
