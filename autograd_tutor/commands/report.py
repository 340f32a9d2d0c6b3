"""``autograd-tutor report DIR [--csv FILE]``: summarise a folder of results files.

Per learner totals, per question the share right on the first try and the most common wrong
answers with their misconception, and the lessons with the lowest scores (see
:mod:`autograd_tutor.progress.report`). A rich table in a terminal, plain aligned text when
piped. Broken files are listed and skipped. Imports neither Textual nor torch.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TextIO

from autograd_tutor.progress.report import build_report, render_plain, render_rich, write_csv
from autograd_tutor.progress.store import atomic_write_bytes


def parents() -> list[argparse.ArgumentParser]:
    return []


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from autograd_tutor.cli import positive_int

    parser.add_argument("directory", metavar="DIR", help="the folder of results files")
    parser.add_argument(
        "--csv", metavar="FILE", help="also write the per-question table to FILE as CSV"
    )
    parser.add_argument(
        "--jobs",
        type=positive_int,
        metavar="N",
        help="worker processes for large folders (default: one per CPU)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="rich tables with colour: auto = when writing to a terminal",
    )


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    directory = Path(args.directory).expanduser()
    if not directory.is_dir():
        print(f"error: {directory} is not a folder", file=sys.stderr)
        return 2
    try:
        report = build_report(directory, jobs=args.jobs)
    except OSError as exc:
        print(f"error: cannot read {directory}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    fancy = args.color == "always" or (args.color == "auto" and out.isatty())
    try:
        if not report.learners and not report.problems:
            print(f"no results files (*.json) in {directory}", file=out)
        elif fancy:
            render_rich(report, out, force_terminal=True if args.color == "always" else None)
        else:
            render_plain(report, out)
        out.flush()
    except BrokenPipeError:  # `report DIR | head`: the reader has gone, which is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    if args.csv:
        buf = io.StringIO()
        write_csv(report, buf)
        try:
            atomic_write_bytes(Path(args.csv), buf.getvalue().encode("utf-8"))
        except OSError as exc:
            print(f"error: cannot write {args.csv}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    return 0 if report.learners else 1
