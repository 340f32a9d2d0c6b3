"""``autograd-tutor --plain [LESSON ...]``: the tutor as lines of text.

For screen readers, dumb terminals, logs and scripts: it prints the explanation, the code and one
prompt per question (with the kind of answer it takes), reads one answer per question from
standard input (``hint``, ``skip`` and ``quit`` are words; a pasted multi-line tensor is one
answer), and after each step prints a table of prediction, torch's value, verdict and feedback.
A step runs only once every question has an answer or a skip: ``quit``, the end of input or
ctrl+c while a step waits for answers never runs it nor shows its values, and the answers typed
for it are dropped (those of finished steps are saved). It drives the same
:class:`~autograd_tutor.session.LessonSession` as the app, and every line it prints passes
through :func:`~autograd_tutor.safe_text.printable`, so text from lessons, learners or torch
cannot send control codes to the terminal. A sitting (the lessons chosen, the worker, the
scores at the end) is started by ``sitting.py``.
"""

from __future__ import annotations

import sys
import textwrap
from typing import Literal, TextIO

from autograd_tutor.grading import AnswerSyntaxError, parse_prediction, placeholder
from autograd_tutor.lessons.model import (
    ExerciseStep,
    ExperimentStep,
    Lesson,
    Question,
    QuestionStep,
    assert_never,
)
from autograd_tutor.plain.answers import continues, join_lines
from autograd_tutor.plain.open_step import OpenStep
from autograd_tutor.plain.text import WIDTH, clip, format_table, markdown_to_text, wrap_labelled
from autograd_tutor.presentation import (
    STEP_ERROR_KINDS,
    VERDICT_LABELS,
    error_detail,
    error_title,
    percent,
    plural,
    takes_text,
    torch_says,
)
from autograd_tutor.progress import ProgressStore
from autograd_tutor.safe_text import printable
from autograd_tutor.session import LessonSession, StepOutcome
from autograd_tutor.worker import WorkerClient, WorkerUnavailable

WORDS_HELP = "Type your prediction, or: hint, skip, graph, quit."
CONTINUATION_PROMPT = "  ... "


class Stopped(Exception):
    """The learner typed ``quit``, or standard input ended, before a step had all its answers."""

    def __init__(self, reason: Literal["quit", "end of input"]) -> None:
        super().__init__(reason)
        self.reason = reason


class Quit(Stopped):
    """``quit`` typed at a prompt of an exercise or experiment step (``plain/practice.py``)."""

    def __init__(self) -> None:
        super().__init__("quit")


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
        self.open_step: OpenStep | None = None  # the step waiting for answers, if any

    def say(self, text: str = "") -> None:
        """Print a line (or lines); control characters in it are written out visibly."""
        print(printable(text, keep_newlines=True), file=self.out, flush=True)

    def read(self, prompt: str) -> str:
        """One line of input after ``prompt``; :class:`Stopped` when the input has ended."""
        self.out.write(printable(prompt))
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            raise Stopped("end of input")
        line = line.rstrip("\r\n")
        if self.echo:
            self.say(line)
        return line

    def read_answer(self, prompt: str) -> str:
        """One answer: a line, and the lines after it while it leaves brackets open (a pasted
        multi-line tensor), up to an empty line or the caps in :mod:`.answers`."""
        text = self.read(prompt).strip()
        lines = 1
        while continues(text, lines):
            line = self.read(CONTINUATION_PROMPT)
            if not line.strip():
                break
            text = join_lines(text, line)
            lines += 1
        return text

    # -- a lesson ------------------------------------------------------------------------

    def take(self, lesson: Lesson, *, restart: bool = False) -> None:
        session = LessonSession.for_learner(lesson, self.worker, self.store)
        if restart and lesson.params is not None and session.summary().finished:
            session = session.retake()  # a finished lesson with parameters: new numbers
        start = 0 if restart else session.resume_position()
        self.say("=" * WIDTH)
        self.say(f"{lesson.title}  [{lesson.id}]")
        if lesson.summary:
            self.say(markdown_to_text(lesson.summary))
        if session.lesson.variant:
            again = f" (retake {session.take}: new numbers)" if session.take else ""
            self.say(f"Your numbers: {session.lesson.variant_label}{again}")
        if start:
            self.say(f"(resuming at step {start + 1} of {len(lesson.steps)})")
        try:
            for position in range(start, len(lesson.steps)):
                self.step(session, position)
        finally:
            summary = session.summary()
            self.scores.append((lesson, summary.credit, summary.total))
            if summary.earlier:
                self.say(takes_text(summary))
            self.say_not_saved()

    def step(self, session: LessonSession, position: int) -> None:
        """Show a step, ask all its questions, and only then run it and show the outcome."""
        step = session.lesson.steps[position]
        total = len(session.lesson.steps)
        self.say()
        self.say("-" * WIDTH)
        self.say(f"Step {position + 1} of {total}" + (f": {step.title}" if step.title else ""))
        if step.explain:
            self.say()
            self.say(markdown_to_text(step.explain))
        match step:
            case ExerciseStep():
                from autograd_tutor.plain.practice import take_exercise

                session.show(position)
                take_exercise(self, session, position, Quit)
                return
            case ExperimentStep():
                from autograd_tutor.plain.practice import take_experiment

                session.show(position)
                take_experiment(self, session, position, Quit)
                return
            case QuestionStep():
                pass
            case _:
                assert_never(step)
        if step.code:
            self.say()
            self.say("Code:")
            for line in step.code.rstrip().splitlines():
                self.say("    " + line)
        session.show(position)
        if not step.questions and not step.code:
            return
        answers: dict[str, str | None] = {}
        self.open_step = waiting = OpenStep(position, total)
        if step.questions:
            self.say()
            self.say(f"Predict before it runs. {WORDS_HELP}")
            for question in step.questions:
                answers[question.id] = self.ask(session, question)
                waiting.typed += answers[question.id] is not None
        waiting.running = True
        outcome = session.commit(position, answers, on_loss=None)
        self.open_step = None
        error = outcome.result.error
        if error is not None and error.type == "DeviceUnavailable":
            raise WorkerUnavailable(error.message)  # nothing can run: cli.main says so
        self.show_outcome(outcome)
        if outcome.save_error:
            self.warn(f"error: {outcome.save_error}")

    def ask(self, session: LessonSession, question: Question) -> str | None:
        """The learner's answer to ``question`` (None for a skip), parsed as a value its field
        takes (decided by the expression, never the answer); anything else is refused and
        asked again."""
        prompt = f"{question.prompt} ({placeholder(question.expr)})"
        while True:
            typed = self.read_answer(f"{prompt} ")
            word = typed.lower()
            if word == "quit":
                raise Stopped("quit")
            if word == "skip":
                return None
            if word in ("graph", "graph all"):
                from autograd_tutor.graph.text import step_graph_text

                position = session.lesson.step_of(question.id).index
                whole = word == "graph all"
                self.say(step_graph_text(session, position, WIDTH, whole=whole))
                continue
            if word == "hint":
                hint = session.next_hint(question.id)
                self.say(f"  hint: {hint}" if hint else "  no more hints for this question.")
                continue
            if not typed:
                self.say(f"  {WORDS_HELP}")
                continue
            try:
                parse_prediction(typed, question.expr)
            except AnswerSyntaxError as exc:
                self.say(textwrap.indent(exc.pretty(), "  "))
                self.say("  Try again.")
                continue
            return typed

    def stopped(self, how: str, to: TextIO | None = None) -> None:
        """Say why the sitting stopped, what became of the open step, and what is kept."""
        line = self.open_step.dropped(how) if self.open_step is not None else f"{how}."
        self.out.write("\n")  # the prompt (or a ^C) may have left the cursor mid-line
        self.out.flush()
        print(printable(line), file=to or self.out, flush=True)
        if self.store is not None and self.store.save_state.progress_error is None:
            self.say("Your answers to the finished steps are saved.")

    def say_not_saved(self) -> None:
        """What did not reach its file (the progress file, the results folder), after trying
        once more; nothing when every save got there."""
        if self.store is None:
            return
        self.store.retry_unsaved()
        lines = self.store.save_state.lines()
        if lines:
            self.say()
            for line in lines:
                self.say(line)

    def warn(self, message: str) -> None:
        """A line on standard error (control characters written out visibly)."""
        print(printable(message, keep_newlines=True), file=sys.stderr, flush=True)

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
            truth = (
                torch_says(q.truth.display(), q.truth.message) if q.truth is not None else "(error)"
            )
            verdict = VERDICT_LABELS.get(q.score.verdict, q.score.verdict) if q.score else "-"
            if q.score is not None and q.score.hints_used:
                verdict += f" ({percent(q.score.credit)}, {plural(q.score.hints_used, 'hint')})"
            if q.retry and q.score is not None:
                verdict += ", a retry"
            rows.append((q.question.expr, clip(said), clip(truth), verdict))
            full.append((said, truth))
        self.say(format_table(rows))
        if any(q.retry and q.score is not None for q in scored):
            self.say("  A retry is recorded; the score counts each question's first try.")
        for q, (said, truth) in zip(scored, full, strict=True):
            notes: list[str] = []
            if clip(said) != said:
                notes.append(wrap_labelled("you said: ", said))
            if clip(truth) != truth:
                notes.append(wrap_labelled("torch:    ", truth))
            if q.eval_error:
                notes.append(wrap_labelled("", f"could not be evaluated: {q.eval_error}"))
            if q.expect_warning:
                notes.append(wrap_labelled("warning: ", q.expect_warning))
            if q.score is not None and q.score.feedback:
                notes.append(wrap_labelled("", q.score.feedback))
            if q.question.explain and q.score is not None:
                notes.append(wrap_labelled("why: ", markdown_to_text(q.question.explain)))
            if notes:  # a question with nothing more to say gets no heading
                self.say(f"  {q.question.expr}:")
                self.say("\n".join(notes))

    def show_error(self, outcome: StepOutcome) -> None:
        err = outcome.result.error
        assert err is not None
        self.say()
        if outcome.replay_failed_at is not None:
            self.say(f"Replaying step {outcome.replay_failed_at + 1} failed:")
        self.say(error_title(err.type))
        detail = error_detail(err.type, err.message, err.line)
        if detail:
            self.say("  " + detail)
        if err.type not in STEP_ERROR_KINDS and err.traceback.strip():
            self.say(textwrap.indent(err.traceback.rstrip(), "    "))
        self.say("Nothing was scored for this step.")

    def show_scores(self) -> None:
        if not self.scores:
            return
        self.say()
        self.say("=" * WIDTH)
        self.say("Scores (first tries)")
        rows = [("lesson", "score", "percent")]
        for lesson, credit, total in self.scores:
            share = percent(credit / total) if total else "-"
            rows.append((lesson.id, f"{round(credit, 2):g} / {total}", share))
        self.say(format_table(rows))
