"""``autograd-tutor --plain [LESSON ...]``: the tutor as lines of text.

For screen readers, dumb terminals, logs and scripts: it prints the explanation, the code and one
prompt per question, reads one line per answer from standard input (``hint``, ``skip`` and
``quit`` are words), and after each step prints a table of prediction, torch's value, verdict and
feedback. It drives the same :class:`~autograd_tutor.session.LessonSession` as the app, prints
no terminal control codes, and ends cleanly (exit 0) at the end of input.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from autograd_tutor.grading import AnswerSyntaxError, parse_answer
from autograd_tutor.lessons.loader import BrokenLesson, find_lessons, load_lessons
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.practice_progress import lesson_finished
from autograd_tutor.progress import ProgressSaveError, ProgressStore
from autograd_tutor.safe_text import printable
from autograd_tutor.session import LessonSession, StepOutcome
from autograd_tutor.worker import WorkerClient

WIDTH = 78
CELL = 18  # widest prediction / torch cell in the table; longer values follow it in full
WORDS_HELP = "Type your prediction, or: hint, skip, graph, quit."
VERDICT_WORDS = {
    "right": "right",
    "partial": "partly right",
    "wrong": "wrong",
    "skipped": "skipped",
}


class EndOfInput(Exception):
    """Standard input ended (or the learner typed ``quit``)."""


class TorchUnavailable(Exception):
    """The worker cannot run torch as asked (``--device cuda`` without CUDA): nothing can run."""


def markdown_to_text(markdown: str) -> str:
    """Markdown as plain text: headings, emphasis markers and code fences dropped, text wrapped."""
    lines: list[str] = []
    in_fence = False
    for line in markdown.strip().splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            lines.append("    " + line)
            continue
        heading = re.match(r"^#+\s*(.*)", line)
        if heading:
            line = heading.group(1).upper()
        line = _outside_code(line, _strip_emphasis)
        indent = len(line) - len(line.lstrip())
        bullet = re.match(r"^(\s*(?:[-*+]|\d+\.)\s+)", line)
        hang = " " * len(bullet.group(1)) if bullet else " " * indent
        lines.append(
            textwrap.fill(line, WIDTH, subsequent_indent=hang, break_on_hyphens=False) or ""
        )
    return "\n".join(lines)


def _strip_emphasis(text: str) -> str:
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"\1", text)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)


def _outside_code(line: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the parts of ``line`` outside `inline code` spans."""
    parts = re.split(r"(`[^`]*`)", line)
    return "".join(part if part.startswith("`") else change(part) for part in parts)


class PlainTutor:
    """One ``--plain`` sitting: reads answers from ``stdin``, writes everything to ``out``."""

    def __init__(
        self,
        worker: WorkerClient,
        store: ProgressStore | None,
        stdin: TextIO,
        out: TextIO,
        *,
        echo: bool = False,
    ) -> None:
        self.worker = worker
        self.store = store
        self.stdin = stdin
        self.out = out
        self.echo = echo  # print what was read (when input is not typed at a terminal)
        self.scores: list[tuple[Lesson, float, int]] = []

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def read(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            raise EndOfInput
        line = line.rstrip("\r\n")
        if self.echo:
            self.say(line)
        return line

    # -- a lesson ------------------------------------------------------------------------

    def take(self, lesson: Lesson, *, restart: bool = False) -> None:
        session = LessonSession(lesson, self.worker, self.store)
        start = 0 if restart else session.resume_position()
        self.say("=" * WIDTH)
        self.say(f"{lesson.title}  [{lesson.id}]")
        if lesson.summary:
            self.say(markdown_to_text(lesson.summary))
        if start:
            self.say(f"(resuming at step {start + 1} of {len(lesson.steps)})")
        try:
            for position in range(start, len(lesson.steps)):
                self.step(session, position)
        finally:
            summary = session.summary()
            self.scores.append((lesson, summary.credit, summary.total))

    def step(self, session: LessonSession, position: int) -> None:
        step = session.lesson.steps[position]
        total = len(session.lesson.steps)
        self.say()
        self.say("-" * WIDTH)
        self.say(f"Step {position + 1} of {total}" + (f": {step.title}" if step.title else ""))
        if step.explain:
            self.say()
            self.say(markdown_to_text(step.explain))
        if step.exercise is not None or step.experiment is not None:
            from autograd_tutor.commands.plain_practice import take_exercise, take_experiment

            take = take_exercise if step.exercise is not None else take_experiment
            session.show(position)
            take(self, session, position, EndOfInput)
            return
        if step.code:
            self.say()
            self.say("Code:")
            for line in step.code.rstrip().splitlines():
                self.say("    " + line)
        session.show(position)
        answers: dict[str, str | None] = {}
        ended = False
        if step.questions:
            self.say()
            self.say(f"Predict before it runs. {WORDS_HELP}")
            try:
                for question in step.questions:
                    answers[question.id] = self.ask(session, question.id, question.prompt)
            except EndOfInput:
                ended = True
        elif not step.code:
            return
        outcome = session.commit(position, answers, on_loss=None)
        error = outcome.result.error
        if error is not None and error.type == "DeviceUnavailable":
            raise TorchUnavailable(error.message)
        self.show_outcome(outcome)
        if outcome.save_error:
            print(f"error: {outcome.save_error}", file=sys.stderr, flush=True)
        if ended:
            raise EndOfInput

    def ask(self, session: LessonSession, question_id: str, prompt: str) -> str | None:
        while True:
            typed = self.read(f"{prompt} ").strip()
            word = typed.lower()
            if word == "quit":
                raise EndOfInput
            if word == "skip":
                return None
            if word == "graph":
                from autograd_tutor.graph.text import step_graph_text

                position = session.lesson.step_of(question_id).index
                self.say(step_graph_text(session, position, WIDTH))
                continue
            if word == "hint":
                hint = session.next_hint(question_id)
                self.say(f"  hint: {hint}" if hint else "  no more hints for this question.")
                continue
            if not typed:
                self.say(f"  {WORDS_HELP}")
                continue
            try:
                parse_answer(typed)
            except AnswerSyntaxError as exc:
                self.say(textwrap.indent(exc.pretty(), "  "))
                self.say("  Try again.")
                continue
            return typed

    # -- after a step --------------------------------------------------------------------

    def show_outcome(self, outcome: StepOutcome) -> None:
        result = outcome.result
        if result.stdout.strip():
            self.say()
            self.say("Output:")
            for line in result.stdout.rstrip().splitlines():
                self.say("    " + line)
        if result.error is not None:
            self.show_error(outcome)
            return
        if result.training is not None and result.training.loss:
            loss = result.training.loss
            self.say()
            self.say(
                f"Training: {len(loss)} losses, first {loss[0]:.4g}, last {loss[-1]:.4g}, "
                f"lowest {min(loss):.4g}."
            )
            for label, slope, intercept in result.training.lines:
                self.say(f"  {label} line: y = {slope:.4g} x + {intercept:.4g}")
        scored = [q for q in outcome.questions if q.truth is not None or q.eval_error]
        if not scored:
            return
        self.say()
        rows = [("question", "you said", "torch", "verdict")]
        full: list[tuple[str, str]] = []
        for q in scored:
            said = "skipped" if q.typed is None else q.typed
            if q.score is None and not q.eval_error:
                said = "(not answered)"
            truth = q.truth.display() if q.truth is not None else "(error)"
            verdict = VERDICT_WORDS.get(q.score.verdict, q.score.verdict) if q.score else "-"
            if q.score is not None and q.score.hints_used:
                verdict += f" ({q.score.credit:.0%}, {q.score.hints_used} hint(s))"
            rows.append((q.question.expr, clip(said), clip(truth), verdict))
            full.append((said, truth))
        self.say(format_table(rows))
        for q, (said, truth) in zip(scored, full, strict=True):
            self.say(f"  {q.question.expr}:")
            if clip(said) != said:
                self.say(wrap_labelled("you said: ", said))
            if clip(truth) != truth:
                self.say(wrap_labelled("torch:    ", truth))
            if q.eval_error:
                self.say(wrap_labelled("", f"could not be evaluated: {q.eval_error}"))
            if q.score is not None and q.score.feedback:
                self.say(wrap_labelled("", q.score.feedback))
            if q.question.explain and q.score is not None:
                self.say(wrap_labelled("why: ", markdown_to_text(q.question.explain)))

    def show_error(self, outcome: StepOutcome) -> None:
        err = outcome.result.error
        assert err is not None
        self.say()
        if outcome.replay_failed_at is not None:
            self.say(f"Replaying step {outcome.replay_failed_at + 1} failed:")
        if err.type == "Timeout":
            self.say(f"Stopped: {err.message}")
        elif err.type in ("WorkerCrashed", "Cancelled", "DeviceUnavailable"):
            self.say(f"{err.type}: {err.message}")
        else:
            self.say(f"The code raised {err.type}: {err.message}")
            if err.traceback.strip():
                self.say(textwrap.indent(err.traceback.rstrip(), "    "))
        self.say("Nothing was scored for this step.")

    def show_scores(self) -> None:
        if not self.scores:
            return
        self.say()
        self.say("=" * WIDTH)
        self.say("Scores")
        rows = [("lesson", "score", "percent")]
        for lesson, credit, total in self.scores:
            percent = f"{100 * credit / total:.0f}%" if total else "-"
            rows.append((lesson.id, f"{round(credit, 2):g} / {total}", percent))
        self.say(format_table(rows))


def clip(cell: str, width: int = CELL) -> str:
    """``cell`` cut to ``width`` characters, ending in ``...`` when cut."""
    return cell if len(cell) <= width else cell[: width - 3] + "..."


def format_table(rows: Sequence[tuple[str, ...]]) -> str:
    """Rows as aligned columns (the first row is the header, underlined with dashes)."""
    clipped = [tuple(clip(cell, 2 * CELL) for cell in r) for r in rows]
    widths = [max(len(r[i]) for r in clipped) for i in range(len(clipped[0]))]
    lines = [
        "  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in clipped
    ]
    lines.insert(1, "  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def wrap_labelled(label: str, text: str) -> str:
    """``text`` wrapped to the page, under a question: ``label`` first, then indented lines."""
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent="    " + label,
        subsequent_indent="    " + " " * len(label),
        break_on_hyphens=False,
    )


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
    return [lesson for lesson in lessons if not lesson_finished(store, lesson)]


def print_warning(message: str) -> None:
    """What the progress store wants the learner to know, on stderr as it happens."""
    print(f"note: {printable(message)}", file=sys.stderr, flush=True)


def run(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    make_worker: Callable[[str], WorkerClient] | None = None,
) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    lessons, broken = load_lessons(Path(args.lessons) if args.lessons else None)
    for b in broken:
        print(f"note: skipped a broken lesson: {b.error}", file=sys.stderr)
    store = ProgressStore.from_options(
        args.student, args.data_dir, args.results_dir, on_warning=print_warning
    )
    try:
        chosen = choose_lessons(lessons, list(args.lesson), store, broken)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    if not chosen:
        print("Every lesson is finished. Name one to take it again, e.g.", file=out)
        print(f"  autograd-tutor --plain {lessons[0].id if lessons else 'LESSON'}", file=out)
        return 0
    worker = (make_worker or (lambda device: WorkerClient(device=device)))(args.device)
    worker.start()
    tutor = PlainTutor(worker, store, stdin, out, echo=not stdin.isatty())
    tutor.say(f"autograd-tutor, plain mode. Progress of {store.student}: {store.path}")
    try:
        for lesson in chosen:
            finished = lesson_finished(store, lesson)
            tutor.take(lesson, restart=finished)  # a finished lesson is taken again from the start
    except EndOfInput:
        tutor.say("Input ended; your answers so far are saved.")
    except TorchUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ProgressSaveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        tutor.say("Interrupted; your answers so far are saved.")
        return 130
    finally:
        worker.close()
        tutor.show_scores()
    return 0
