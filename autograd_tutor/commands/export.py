"""``autograd-tutor export [--format json|csv] [-o FILE]``: this learner's results.

Reads the learner's progress file (``--student``, ``--data-dir``) without changing it and writes
the document as JSON, or one CSV row per attempt, to standard output or (atomically) to FILE.
A progress file that cannot be used is reported, not moved aside: export only reads.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from autograd_tutor.commands.output import STDOUT, write_output
from autograd_tutor.errors import UserError
from autograd_tutor.progress import (
    ProgressStore,
    default_data_dir,
    default_student,
    new_document,
    read_document,
)
from autograd_tutor.progress.export import to_csv, to_json
from autograd_tutor.progress.records import DocumentError, convert_document
from autograd_tutor.safe_text import printable


def parents() -> list[argparse.ArgumentParser]:
    from autograd_tutor.cli import learner_options

    return [learner_options()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("json", "csv"),
        help="json (the progress document) or csv (one row per attempt); "
        "default: from the -o file's suffix, else json",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output (-)"
    )


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    store = ProgressStore(
        Path(args.data_dir).expanduser() if args.data_dir else default_data_dir(),
        args.student or default_student(),
    )
    where = printable(store.path)
    store.check_owner()  # another learner's file: LearnerFileError, reported by the CLI
    try:
        raw = read_document(store.path)
    except DocumentError as exc:
        print(f"error: {where} cannot be exported: {printable(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot read {where}: {printable(exc.strerror or exc)}", file=sys.stderr)
        return 1
    if raw is None:
        print(
            f"note: no progress saved yet for {printable(store.student)!r} (looked for {where})",
            file=sys.stderr,
        )
        raw = new_document(store.student, store.app_version)
    fmt = args.format
    if fmt is None:
        fmt = "csv" if args.output and args.output.lower().endswith(".csv") else "json"
    text = to_csv(convert_document(raw)) if fmt == "csv" else to_json(raw)
    try:
        write_output(args.output or STDOUT, text, out)
    except UserError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    return 0
