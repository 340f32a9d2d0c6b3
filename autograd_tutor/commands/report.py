"""``autograd-tutor report DIR [--lessons LESSONS] [--csv FILE] [--gradebook FILE]``:
summarise a folder of results files.

Per learner totals, per question the share right on the first try and the most common wrong
answers with their misconception, and the lessons with the lowest scores (see
:mod:`autograd_tutor.progress.report`). Every attempt of a lesson in LESSONS (and, for the
bundled lesson ids, of the bundled lessons) is scored again from what was typed, and learners
whose stored verdicts disagree are flagged; an attempt that does not belong to those lessons
(lesson, version, question or expression) is not counted, and summed up in one line per
learner. Colour in a terminal, plain text when piped; no
raw control character from a results file reaches either. Broken files are listed and skipped.
Imports neither Textual nor torch.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from autograd_tutor.commands.output import is_stdout, write_output
from autograd_tutor.errors import ExitStatus, UserError
from autograd_tutor.progress.exercise_records import exercise_report_lines
from autograd_tutor.progress.report import build_report, render, write_csv
from autograd_tutor.progress.report.gradebook import gradebook_csv
from autograd_tutor.progress.rescore import AnswerKey
from autograd_tutor.rerun.command import check_isolation, rerun_lines, rerun_report
from autograd_tutor.safe_text import printable

if TYPE_CHECKING:
    from autograd_tutor.lessons.model import Lesson


def parents() -> list[argparse.ArgumentParser]:
    return []


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from autograd_tutor.cli import lessons_folder, positive_int

    parser.add_argument("directory", metavar="DIR", help="the folder of results files")
    parser.add_argument(
        "--lessons",
        metavar="LESSONS",
        type=lessons_folder,
        help="score every attempt again against the lessons in this folder "
        "(default: the bundled lessons, for the bundled lesson ids)",
    )
    parser.add_argument(
        "--csv",
        metavar="FILE",
        help="also write the per-question table to FILE as CSV (- : standard output, "
        "instead of the text report)",
    )
    parser.add_argument(
        "--gradebook",
        metavar="FILE",
        help="also write the gradebook to FILE as CSV: one row per learner, per lesson the "
        "score, finished and exercises passed (- : standard output, instead of the text report)",
    )
    parser.add_argument(
        "--jobs",
        type=positive_int,
        metavar="N",
        help="worker processes for large folders and re-runs (default: one per CPU)",
    )
    parser.add_argument(
        "--rerun",
        action="store_true",
        help="run every learner's saved exercise code again against the lessons' checks, "
        "here, each run isolated (no network, read-only files, no HOME, no other learner's "
        "file); then only the passes re-run here count",
    )
    parser.add_argument(
        "--rerun-without-isolation",
        action="store_true",
        help="--rerun even where this machine cannot isolate the runs: learners' code runs "
        "with your rights",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour: auto = when writing to a terminal",
    )


def teacher_lessons(lessons_dir: Path | None) -> list[Lesson]:
    """The lessons in ``lessons_dir`` and the bundled lessons whose ids it does not hold: what
    results files are checked against. Broken lesson files are named on stderr (their questions
    cannot be verified)."""
    from autograd_tutor.lessons.loader import load_lessons

    lessons: list[Lesson] = []
    if lessons_dir is not None:
        lessons, broken = load_lessons(lessons_dir)
        for b in broken:
            print(f"note: skipped a broken lesson: {printable(b.error)}", file=sys.stderr)
    known = {lesson.id for lesson in lessons}
    bundled, _broken = load_lessons(None)
    return lessons + [lesson for lesson in bundled if lesson.id not in known]


def answer_key(lessons_dir: Path | None) -> AnswerKey:
    """The expected values of :func:`teacher_lessons`."""
    return AnswerKey.from_lessons(teacher_lessons(lessons_dir))


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    directory = Path(args.directory).expanduser()
    if not directory.is_dir():
        raise UserError(f"{printable(directory)} is not a folder", ExitStatus.USAGE)
    wants_rerun = args.rerun or args.rerun_without_isolation
    isolated, how = check_isolation(args.rerun_without_isolation) if wants_rerun else (False, "")
    lessons = teacher_lessons(args.lessons)
    key = AnswerKey.from_lessons(lessons)
    try:
        report = build_report(directory, jobs=args.jobs, key=key)
    except OSError as exc:
        where = printable(directory)
        raise UserError(
            f"cannot read {where}: {printable(exc.strerror or exc)}", ExitStatus.USAGE
        ) from None
    csv_targets = [t for t in (args.csv, args.gradebook) if t]
    if sum(map(is_stdout, csv_targets)) > 1:
        raise UserError(
            "only one of --csv and --gradebook can be - (standard output)", ExitStatus.USAGE
        )
    rerun_text: list[str] = []
    if wants_rerun:
        results = rerun_report(
            report,
            lessons,
            isolate=isolated,
            jobs=args.jobs or max(1, min(os.cpu_count() or 1, 4)),
            hidden=[directory],
        )
        rerun_text = rerun_lines(results, how)
    color = args.color == "always" or (args.color == "auto" and out.isatty())
    try:
        if any(map(is_stdout, csv_targets)):
            pass  # the CSV alone goes to standard output
        elif not report.learners and not report.problems:
            print(f"no results files (*.json) in {printable(directory)}", file=out)
        else:
            render(report, out, color=color)
            for line in exercise_report_lines(report.practice) + rerun_text:
                print(line, file=out)
        out.flush()
        if args.csv:
            buf = io.StringIO()
            write_csv(report, buf)
            write_output(args.csv, buf.getvalue(), out)
        if args.gradebook:
            write_output(args.gradebook, gradebook_csv(report), out)
    except BrokenPipeError:  # `report DIR | head`: the reader has gone, which is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return ExitStatus.OK if report.learners else ExitStatus.PROBLEMS_FOUND
