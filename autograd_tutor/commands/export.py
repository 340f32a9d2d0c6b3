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

from autograd_tutor.progress import ProgressStore, new_document, read_document
from autograd_tutor.progress.export import to_csv, to_json
from autograd_tutor.progress.records import DocumentError
from autograd_tutor.progress.store import atomic_write_bytes


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
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    store = ProgressStore.from_options(args.student, args.data_dir, None)
    try:
        doc = read_document(store.path)
    except DocumentError as exc:
        print(f"error: {store.path} cannot be exported: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot read {store.path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if doc is None:
        print(
            f"note: no progress saved yet for {store.student!r} (looked for {store.path})",
            file=sys.stderr,
        )
        doc = new_document(store.student, store.app_version)
    fmt = args.format
    if fmt is None:
        fmt = "csv" if args.output and args.output.lower().endswith(".csv") else "json"
    text = to_csv(doc) if fmt == "csv" else to_json(doc)
    if args.output and args.output != "-":
        try:
            atomic_write_bytes(Path(args.output).expanduser(), text.encode("utf-8"))
        except OSError as exc:
            print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        return 0
    out.write(text)
    out.flush()
    return 0
