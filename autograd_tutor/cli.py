"""Command line: ``autograd-tutor [options] [LESSON ...]`` opens the app (or ``--plain`` mode);
subcommands (``list``, ``check``, ``export``, ``report``) live one per module in ``commands/``;
``--plain`` is the line-oriented interface in ``plain/``.

Nothing here imports Textual or torch at module level: ``--version``, ``list`` and ``--plain``
start without either.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from autograd_tutor import __version__

if TYPE_CHECKING:
    from autograd_tutor.worker import WorkerClient

# subcommand name -> module under autograd_tutor.commands with add_arguments(parser) and run(args)
SUBCOMMANDS: dict[str, str] = {
    "list": "Show the lessons with their steps and questions, and broken lessons with the error.",
    "check": "Validate lesson files and verify every `expect` against torch.",
    "export": "Write this learner's results as JSON or CSV.",
    "report": "Summarise a folder of results files for a teacher.",
}


def lesson_options() -> argparse.ArgumentParser:
    """Options shared by every command that reads lessons or runs torch."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--lessons", metavar="DIR", help="read lessons from DIR instead of the bundled ones"
    )
    parent.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        default="auto",
        help="where lesson tensors live (default: auto = cuda if available, else cpu)",
    )
    return parent


def learner_options() -> argparse.ArgumentParser:
    """Options that say whose progress is read and written, and where."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--student", metavar="NAME", help="whose progress this is (default: the login name)"
    )
    parent.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where progress is kept (default: $AUTOGRAD_TUTOR_DATA or the user data folder)",
    )
    parent.add_argument(
        "--results-dir",
        metavar="DIR",
        help="also write this learner's results into DIR (a shared lab folder)",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograd-tutor",
        description="Predict what PyTorch's autograd computes, then run it and compare.",
        parents=[lesson_options(), learner_options()],
    )
    parser.add_argument("--version", action="version", version=f"autograd-tutor {__version__}")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="line-oriented mode: no full-screen app, reads answers from standard input",
    )
    parser.add_argument("lesson", nargs="*", help="lesson ids to take (default: pick in the app)")
    return parser


def build_subcommand_parser(name: str) -> tuple[argparse.ArgumentParser, object]:
    module = importlib.import_module(f"autograd_tutor.commands.{name}")
    parser = argparse.ArgumentParser(
        prog=f"autograd-tutor {name}",
        description=SUBCOMMANDS[name],
        parents=module.parents(),
    )
    module.add_arguments(parser)
    return parser, module


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in SUBCOMMANDS:
        parser, module = build_subcommand_parser(args_list[0])
        args = parser.parse_args(args_list[1:])
        return int(module.run(args) or 0)
    parser = build_parser()
    parser.epilog = "commands: " + ", ".join(SUBCOMMANDS) + " (see `autograd-tutor COMMAND -h`)"
    args = parser.parse_args(args_list)
    if not args.plain and refuse_without_terminal(sys.stdin, sys.stdout):
        return 2
    from autograd_tutor.worker import WorkerUnavailable

    try:
        worker = worker_checked_early(args.device)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except WorkerUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.plain:
        from autograd_tutor import plain

        return plain.run(args, worker=worker)
    from autograd_tutor.commands import app

    return app.run(args, worker=worker)


def refuse_without_terminal(stdin: TextIO, stdout: TextIO) -> bool:
    """True, having said why and what to do instead, when the full-screen app cannot run
    because standard input or output is not a terminal (a pipe, a file, a CI log)."""
    missing = [name for name, f in (("input", stdin), ("output", stdout)) if not _is_tty(f)]
    if not missing:
        return False
    print(
        f"error: the full-screen app needs a terminal, but standard {' and '.join(missing)} "
        f"{'is' if len(missing) == 1 else 'are'} not one; use --plain to read answers "
        "line by line (e.g. autograd-tutor --plain first-gradient)",
        file=sys.stderr,
    )
    return True


def _is_tty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


def worker_checked_early(device: str) -> WorkerClient | None:
    """With ``--device cuda`` asked for explicitly: the worker, started and waited for now
    (about the time torch takes to import), so that a machine without CUDA stops before the
    first question in either interface; the interface then uses this worker. Raises
    :class:`WorkerUnavailable` with the reason. Otherwise None: each interface starts its own
    worker in the background and nothing waits."""
    if device != "cuda":
        return None
    from autograd_tutor.worker import WorkerClient

    worker = WorkerClient(device=device)
    try:
        worker.wait_ready()
    except BaseException:
        worker.close()
        raise
    return worker


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
