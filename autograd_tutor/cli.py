"""Command line: ``autograd-tutor [options] [LESSON ...]`` opens the app (or ``--plain`` mode);
subcommands (``list``, ``check``, ``export``, ``report``) live one per module in ``commands/``.

Nothing here imports Textual or torch at module level: ``--version``, ``list`` and ``--plain``
start without either.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from autograd_tutor import __version__

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


def learner_name(text: str) -> str:
    """``--student NAME``: a usable learner's name (no control characters, not empty)."""
    from autograd_tutor.progress.paths import StudentNameError, check_student_name

    try:
        return check_student_name(text)
    except StudentNameError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def learner_options() -> argparse.ArgumentParser:
    """Options that say whose progress is read and written, and where."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--student",
        metavar="NAME",
        type=learner_name,
        help="whose progress this is (default: the login name)",
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
    if args.plain:
        from autograd_tutor.commands import plain

        return plain.run(args)
    from autograd_tutor.commands import app

    return app.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
