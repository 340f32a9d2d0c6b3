"""``autograd-tutor --plain [LESSON ...]``: one sitting in plain text. :func:`run` (what the
command line calls) loads the lessons, chooses the ones named (else every unfinished one), opens
the learner's progress and the torch worker, has :class:`~autograd_tutor.plain.tutor.PlainTutor`
take each lesson, and at the end (quit, end of input, ctrl+c) says what became of the open step
and prints the scores.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from autograd_tutor.errors import ExitStatus, UserError
from autograd_tutor.lessons.errors import BrokenLesson
from autograd_tutor.lessons.loader import find_lessons, load_lessons
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.plain.tutor import PlainTutor, Stopped
from autograd_tutor.progress import ProgressStore
from autograd_tutor.safe_text import printable
from autograd_tutor.session import lesson_standing
from autograd_tutor.worker import WorkerClient


def choose_lessons(
    lessons: list[Lesson],
    wanted: list[str],
    store: ProgressStore | None,
    broken: Sequence[BrokenLesson] = (),
) -> list[Lesson]:
    """The lessons named (by id, in the order given), else every lesson not yet finished; a
    broken lesson named raises its LessonError (the command line reports it)."""
    if wanted:
        return find_lessons(lessons, wanted, broken)
    if store is None:
        return lessons
    return [lesson for lesson in lessons if not lesson_standing(lesson, store).finished]


def print_warning(message: str) -> None:
    """What the progress store wants the learner to know, on stderr as it happens."""
    print(f"note: {printable(message)}", file=sys.stderr, flush=True)


def run(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    *,
    worker: WorkerClient | None = None,
) -> int:
    """Take the lessons ``args`` name (else every unfinished one) in plain text; the exit status.

    ``worker`` is a worker already started (by the CLI's early ``--device cuda`` check); without
    one a worker is started here. Either way it is closed at the end. Errors and ctrl+c go on
    to the one error boundary, :func:`autograd_tutor.cli.main`, once the sitting has said what
    became of the step that was open.
    """
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    try:
        return _run(args, stdin, out, worker)
    finally:
        if worker is not None:
            worker.close()


def _run(args: argparse.Namespace, stdin: TextIO, out: TextIO, worker: WorkerClient | None) -> int:
    lessons, broken = load_lessons(Path(args.lessons) if args.lessons else None)
    for b in broken:
        print(printable(f"note: skipped a broken lesson: {b.error}"), file=sys.stderr)
    store = ProgressStore.from_options(
        args.student, args.data_dir, args.results_dir, on_warning=print_warning
    )
    try:
        chosen = choose_lessons(lessons, list(args.lesson), store, broken)
    except KeyError as exc:
        raise UserError(printable(str(exc.args[0])), ExitStatus.USAGE) from None
    if not chosen:
        first = lessons[0].id if lessons else "LESSON"
        print("Every lesson is finished. Name one to take it again, e.g.", file=out)
        print(printable(f"  autograd-tutor --plain {first}"), file=out)
        return ExitStatus.OK
    worker = worker or WorkerClient(device=args.device, memory_limit=args.memory_limit)
    worker.start()
    tutor = PlainTutor(worker, store, stdin, out, echo=not stdin.isatty())
    tutor.say(f"autograd-tutor, plain mode. Progress of {store.student}: {store.path}")
    try:
        for lesson in chosen:
            finished = lesson_standing(lesson, store).finished
            tutor.take(lesson, restart=finished)  # a finished lesson is taken again from the start
    except Stopped as stop:
        tutor.stopped("You quit" if stop.reason == "quit" else "Input ended")
    except KeyboardInterrupt:
        tutor.stopped("Interrupted", to=sys.stderr)
        raise
    finally:
        worker.close()
        tutor.show_scores()
    store.retry_unsaved()  # the folder may be writable again
    return store.save_state.exit_status()
