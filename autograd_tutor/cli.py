"""Command line: ``autograd-tutor [options] [LESSON ...]`` opens the app (or ``--plain`` mode);
subcommands (``list``, ``check``, ``export``, ``report``, ``watch``) live one per module in
``commands/``; ``--plain`` is the line-oriented interface in ``plain/``.

:func:`main` is the one error boundary: an error the user can act on (a lessons folder that
cannot be read, a broken lesson, a data folder that cannot be written, a missing device, a closed
pipe) ends as ``error: ...`` on stderr and a named :class:`~autograd_tutor.errors.ExitStatus`,
never a traceback. Options are checked once, by argparse (``type=``), before any command runs;
a subcommand may come anywhere among the options (``autograd-tutor --student bob export``).

Nothing here imports Textual or torch at module level: ``--version``, ``list`` and ``--plain``
start without either.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

from autograd_tutor import __version__
from autograd_tutor.errors import ExitStatus, UserError

if TYPE_CHECKING:
    from autograd_tutor.worker import WorkerClient

PROG = "autograd-tutor"

# subcommand name -> module under autograd_tutor.commands with parents(), add_arguments(parser)
# and run(args)
SUBCOMMANDS: dict[str, str] = {
    "list": "Show the lessons with their steps and questions, and broken lessons with the error.",
    "check": "Validate lesson files and verify every `expect` against torch.",
    "export": "Write this learner's results as JSON or CSV.",
    "report": "Summarise a folder of results files for a teacher.",
    "watch": "Watch a lab's results folder live: who is stuck, on what, right now.",
}


# -- option values, checked once ----------------------------------------------------------------


def lessons_folder(text: str) -> Path:
    """``--lessons DIR``: an existing folder (``~`` expanded)."""
    path = Path(text).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such folder")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: not a folder")
    return path


def folder_path(text: str) -> Path:
    """A folder that may not exist yet (``--data-dir``, ``--results-dir``), but is no file."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty folder name")
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: not a folder")
    return path


def learner_name(text: str) -> str:
    """``--student NAME``: a usable learner's name (no control characters, not empty)."""
    from autograd_tutor.progress.paths import StudentNameError, check_student_name

    try:
        return check_student_name(text)
    except StudentNameError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive_int(text: str) -> int:
    """A whole number of at least 1 (``--jobs N``)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} is less than 1")
    return number


def memory_size(text: str) -> int:
    """``--memory-limit SIZE``: ``2GB``, ``512MB`` (:func:`autograd_tutor.sizes.parse_size`)."""
    from autograd_tutor.sizes import SizeError, parse_size

    try:
        return parse_size(text)
    except SizeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# -- option groups: each command offers only the ones that mean something there ----------------


def lessons_folder_option() -> argparse.ArgumentParser:
    """``--lessons DIR``: for every command that reads lessons."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--lessons",
        metavar="DIR",
        type=lessons_folder,
        help="read lessons from DIR instead of the bundled ones",
    )
    return parent


def device_option() -> argparse.ArgumentParser:
    """``--device``: for every command that runs torch."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        default="auto",
        help="where lesson tensors live (default: auto = cuda if available, else cpu)",
    )
    return parent


def memory_limit_option() -> argparse.ArgumentParser:
    """``--memory-limit SIZE``: for every command that runs learner code."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--memory-limit",
        metavar="SIZE",
        type=memory_size,
        help="memory one run of exercise or experiment code may use, e.g. 2GB or 512MB "
        "(1 GB = 1024 MB); overrides the lessons' memory_limit (default: theirs, else a "
        "quarter of this machine's memory)",
    )
    return parent


def learner_options() -> argparse.ArgumentParser:
    """``--student`` and ``--data-dir``: whose progress is read (and written), and where."""
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
        type=folder_path,
        help="where progress is kept (default: $AUTOGRAD_TUTOR_DATA or the user data folder)",
    )
    return parent


def results_folder_option() -> argparse.ArgumentParser:
    """``--results-dir``: for the commands that record answers."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--results-dir",
        metavar="DIR",
        type=folder_path,
        help="also write this learner's results into DIR (a shared lab folder; "
        "default: $AUTOGRAD_TUTOR_RESULTS when set)",
    )
    return parent


def results_dir_or_env(given: Path | None) -> Path | None:
    """The shared results folder: ``--results-dir`` when given, else ``$AUTOGRAD_TUTOR_RESULTS``
    (checked as the option is; a :class:`UserError` naming the variable when it is no folder),
    else None."""
    from autograd_tutor.progress.paths import ENV_RESULTS, default_results_dir

    if given is not None:
        return given
    text = default_results_dir()
    if text is None:
        return None
    try:
        return folder_path(text)
    except argparse.ArgumentTypeError as exc:
        raise UserError(f"${ENV_RESULTS}: {exc}", ExitStatus.USAGE) from None


def build_parser() -> argparse.ArgumentParser:
    """The tutor itself (the app, or ``--plain``): every option."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Predict what PyTorch's autograd computes, then run it and compare.",
        parents=[
            lessons_folder_option(),
            device_option(),
            memory_limit_option(),
            learner_options(),
            results_folder_option(),
        ],
        epilog="commands: " + ", ".join(SUBCOMMANDS) + f" (see `{PROG} COMMAND -h`)",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="line-oriented mode: no full-screen app, reads answers from standard input",
    )
    parser.add_argument("lesson", nargs="*", help="lesson ids to take (default: pick in the app)")
    return parser


def build_subcommand_parser(name: str) -> tuple[argparse.ArgumentParser, ModuleType]:
    module = importlib.import_module(f"autograd_tutor.commands.{name}")
    parser = argparse.ArgumentParser(
        prog=f"{PROG} {name}",
        description=SUBCOMMANDS[name],
        parents=module.parents(),
    )
    module.add_arguments(parser)
    return parser, module


def split_subcommand(
    args: Sequence[str], parser: argparse.ArgumentParser
) -> tuple[str | None, list[str]]:
    """The subcommand named anywhere among ``args`` (an option's value is never one), and the
    other arguments in their order: ``--student bob export -o x`` -> ``export``,
    ``--student bob -o x``."""
    takes_value = {
        option
        for action in parser._actions  # argparse has no public list of its options
        for option in action.option_strings
        if action.nargs != 0
    }
    skip_next = False
    for i, arg in enumerate(args):
        if skip_next:
            skip_next = False
        elif arg == "--":
            break
        elif arg.startswith("-"):
            skip_next = arg in takes_value
        elif arg in SUBCOMMANDS:
            return arg, [*args[:i], *args[i + 1 :]]
    return None, list(args)


# -- running ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status (an :class:`ExitStatus`, or argparse's 0/2)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        command = _parse(args_list)
        if isinstance(command, int):
            return command
        status = command()
        sys.stdout.flush()  # a closed pipe shows here, inside the boundary, not at exit
        return int(status or 0)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitStatus.PIPE_CLOSED
    except Exception as exc:
        known = user_facing(exc)
        if known is None:
            raise  # a bug: let its traceback show
        message, status = known
        print(f"error: {message}", file=sys.stderr)
        return status


def _parse(args_list: list[str]) -> Callable[[], int | None] | int:
    """What to run, or the exit status when argparse has already answered (-h, --version,
    a bad option)."""
    parser = build_parser()
    name, rest = split_subcommand(args_list, parser)
    try:
        if name is not None:
            sub_parser, module = build_subcommand_parser(name)
            sub_args = sub_parser.parse_args(rest)
            return lambda: module.run(sub_args)
        args = parser.parse_args(rest)
    except SystemExit as exc:  # argparse printed the usage error, the help or the version
        return int(exc.code or 0) if not isinstance(exc.code, str) else ExitStatus.USAGE
    return lambda: run_tutor(args)


def run_tutor(args: argparse.Namespace) -> int:
    """The tutor itself: the Textual app, or ``--plain`` lines of text."""
    if not args.plain:
        refuse_without_terminal(sys.stdin, sys.stdout)
    check_data_folder(args.data_dir)
    args.results_dir = results_dir_or_env(args.results_dir)
    worker = worker_checked_early(args.device, args.memory_limit)
    if args.plain:
        from autograd_tutor import plain

        return plain.run(args, worker=worker)
    from autograd_tutor.commands import app

    return app.run(args, worker=worker)


def refuse_without_terminal(stdin: TextIO | None, stdout: TextIO | None) -> None:
    """The full-screen app needs a terminal: a :class:`UserError` (usage) saying to use
    ``--plain`` when standard input or output is not one (a pipe, a file, a CI log)."""
    missing = [name for name, f in (("input", stdin), ("output", stdout)) if not _is_tty(f)]
    if missing:
        raise UserError(
            f"the full-screen app needs a terminal, but standard {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not one; use --plain to read answers "
            f"line by line (e.g. {PROG} --plain first-gradient)",
            ExitStatus.USAGE,
        )


def _is_tty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


def worker_checked_early(device: str, memory_limit: int | None = None) -> WorkerClient | None:
    """With ``--device cuda`` asked for explicitly: the worker, started and waited for now
    (about the time torch takes to import), so that a machine without CUDA stops before the
    first question in either interface, which then uses this worker. Raises
    :class:`~autograd_tutor.worker.WorkerUnavailable` with the reason (the boundary makes it
    exit status 5). Otherwise None: each interface starts its own worker in the background and
    nothing waits."""
    if device != "cuda":
        return None
    from autograd_tutor.worker import WorkerClient

    worker = WorkerClient(device=device, memory_limit=memory_limit)
    try:
        worker.wait_ready()
    except BaseException:
        worker.close()
        raise
    return worker


def check_data_folder(data_dir: Path | None) -> None:
    """Make sure progress can be saved before a learner answers anything: the data folder
    (``--data-dir``, else the default) exists or can be made, and takes a file."""
    if data_dir is None:
        from autograd_tutor.progress.paths import default_data_dir

        data_dir = default_data_dir()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as exc:
        raise UserError(
            f"progress cannot be saved in {data_dir}: {exc.strerror or exc} "
            "(choose a folder you can write with --data-dir DIR)",
            ExitStatus.DATA_UNWRITABLE,
        ) from None


def user_facing(exc: Exception) -> tuple[str, ExitStatus] | None:
    """The message and status for an error the user can act on; None for a bug. (The error
    classes are imported only now, so that ``--version`` imports nothing.)"""
    from autograd_tutor.lessons.errors import LessonError, LessonsFolderError
    from autograd_tutor.progress import ProgressSaveError
    from autograd_tutor.worker import WorkerUnavailable

    if isinstance(exc, UserError):
        return exc.message, exc.status
    if isinstance(exc, LessonsFolderError):
        return f"lessons folder {exc}", ExitStatus.LESSONS_UNREADABLE
    if isinstance(exc, LessonError):
        return str(exc), ExitStatus.LESSONS_UNREADABLE
    if isinstance(exc, ProgressSaveError):
        return str(exc), ExitStatus.DATA_UNWRITABLE
    if isinstance(exc, WorkerUnavailable):
        return str(exc), ExitStatus.DEVICE_UNAVAILABLE
    return None


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so that Python's own flush at exit does
    not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
