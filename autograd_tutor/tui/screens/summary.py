"""The end of a lesson, and what a finished lesson shows when opened again: the score (each
question's first try), each exercise (passed / not yet / solution shown) and experiment (runs,
predictions right), then every question read-only with what was typed, torch's value, the
verdict, the feedback and the explanation (the past reveals); missed questions say whether a
retry fixed them. ``r`` retries the questions still missed; ``n`` takes a finished
parameterised lesson again with new numbers (the earlier takes' scores stay listed); ``e`` goes
back to the first exercise or experiment not done yet; ``l`` opens the next lesson."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, Static

from autograd_tutor.presentation import (
    VERDICT_LABELS,
    exercise_standing_text,
    experiment_standing_text,
    lesson_heading,
    plural,
    takes_text,
)
from autograd_tutor.safe_text import printable
from autograd_tutor.session import LessonSummary, QuestionRecord
from autograd_tutor.session.standing import ExerciseStanding, PracticeStanding
from autograd_tutor.tui.widgets.keys_footer import KeysFooter
from autograd_tutor.tui.widgets.lesson_markdown import lesson_markdown, text_with_code

VERDICT_STYLES = {"right": "bold green", "partial": "bold yellow", "wrong": "bold red"}


def record_renderable(record: QuestionRecord) -> RenderableType:
    """One question as answered: first try, a later retry, torch's value, feedback."""
    first, latest = record.first, record.latest
    head = Text()
    head.append(printable(f"Step {record.step_index + 1} · {record.question.expr}"), "bold")
    if first is None:
        head.append("  not answered yet", "dim")
        return head
    parts: list[RenderableType] = [head]
    parts.append(_attempt_line("your first try", first.typed, first.verdict))
    if latest is not None and record.retried:
        line = _attempt_line("on retry", latest.typed, latest.verdict)
        if first.verdict != "right" and latest.verdict == "right":
            line.append("  (fixed on retry)", "bold")
        parts.append(line)
    parts.append(Text.assemble(("torch says     ", "dim"), printable(first.truth)))
    if first.feedback:
        parts.append(text_with_code(first.feedback))
    if record.question.explain:
        parts.append(lesson_markdown(record.question.explain))
    return Group(*parts)


EXERCISE_STYLES = {"passed": "bold green", "not yet": "bold red", "solution shown": "bold yellow"}


def practice_renderable(standing: PracticeStanding) -> Text:
    """One exercise (passed / not yet / solution shown, and its runs) or experiment (runs,
    predictions right) as the summary lists it."""
    line = Text()
    head = f"Step {standing.step_index + 1}"
    if standing.title:
        head += f" · {standing.title}"
    line.append(printable(head), "bold")
    if isinstance(standing, ExerciseStanding):
        line.append("\nexercise       ", "dim")
        status, _, runs = exercise_standing_text(standing.status, standing.runs).partition(", ")
        line.append(status, EXERCISE_STYLES.get(standing.status, "bold"))
        line.append(f", {runs}")
    else:
        line.append("\nexperiment     ", "dim")
        line.append(experiment_standing_text(standing.runs, standing.predictions, standing.right))
    return line


def _attempt_line(label: str, typed: str | None, verdict: str) -> Text:
    line = Text()
    line.append(f"{label:<15}", "dim")
    line.append("(skipped)" if typed is None else printable(typed))
    line.append("  " + VERDICT_LABELS.get(verdict, verdict), VERDICT_STYLES.get(verdict, "bold"))
    return line


class SummaryScreen(Screen[str]):
    """Dismisses with ``"retry"`` (retry the missed questions), ``"retake"`` (the lesson again
    with new numbers), ``"practice"`` (back to the unfinished exercise or experiment),
    ``"next"`` (the next lesson, ``next_lesson`` its title) or ``"done"``."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("n", "retake", "New numbers"),
        Binding("e", "practice", "Unfinished"),
        Binding("l", "next_lesson", "Next lesson"),
        Binding("enter,escape", "done", "Lessons"),
        Binding("ctrl+o", "app.step_list", "Steps", show=False),  # 80 columns: in help
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(
        self,
        summary: LessonSummary,
        not_saved: Sequence[str] = (),
        *,
        next_lesson: str | None = None,
    ) -> None:
        """``not_saved``: what did not reach its file (``SaveState.lines``), shown first;
        ``next_lesson``: the title of the lesson ``l`` opens (None: this is the last)."""
        super().__init__()
        self.summary = summary
        self.not_saved = list(not_saved)
        self.next_lesson = next_lesson

    def compose(self) -> ComposeResult:
        s = self.summary
        to_retry = sum(len(ids) for ids in s.to_retry().values())
        yield Header()
        heading = lesson_heading(s.lesson.title, s.lesson.variant_label)
        yield Label(Text(printable(f"{heading}: lesson summary"), style="bold"), id="title")
        with VerticalScroll(id="body"):
            if self.not_saved:
                yield Static(Text("\n".join(self.not_saved)), id="not-saved")
            if s.earlier:
                yield Static(Text(takes_text(s), style="dim"), id="takes")
            score = Text()
            if s.total:
                score.append(f"Score {s.percent}%", style="bold")
                score.append(
                    f"  ({s.credit:.2f} of {s.total} points, first tries; "
                    f"{plural(s.answered, 'question')} of {s.total} answered)"
                )
            else:  # exercises and experiments only: nothing to score
                score.append("No questions to score in this lesson.", style="bold")
            yield Label(score, id="score")
            fixed = sum(1 for m in s.missed if m.fixed)
            if s.answered and not s.missed:
                yield Static(Text("Every question right on the first try. Well done!", "green"))
            elif s.missed:
                line = Text(f"Missed on the first try: {len(s.missed)}", style="bold")
                if fixed:
                    line.append(f" ({fixed} fixed on retry)")
                names = ", ".join(f"{m.question.expr} (step {m.step_index + 1})" for m in s.missed)
                line.append("\n" + printable(names), style="")
                yield Static(line, id="missed-title")
            if s.practice:
                yield Static(Text("Exercises and experiments", style="bold"), id="practice-title")
                for standing in s.practice:
                    yield Static(practice_renderable(standing), classes="record practice")
            missed_ids = {m.question.id for m in s.missed if not m.fixed}
            for record in s.records:
                classes = "record -missed" if record.question.id in missed_ids else "record"
                yield Static(record_renderable(record), classes=classes)
        hint = f"r: retry the {plural(to_retry, 'missed question')} · " if to_retry else ""
        if self._can_retake():
            hint += "n: again with new numbers · "
        unfinished = s.unfinished_practice
        if unfinished is not None:
            kind = "exercise" if isinstance(unfinished, ExerciseStanding) else "experiment"
            hint += f"e: back to the {kind} (step {unfinished.step_index + 1}) · "
        if self.next_lesson is not None:
            hint += printable(f"l: next lesson, {self.next_lesson} · ")
        yield Static(Text(f"{hint}Enter: back to the lessons", style="dim"), id="status")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return bool(self.summary.to_retry())
        if action == "retake":
            return self._can_retake()
        if action == "practice":
            return self.summary.unfinished_practice is not None
        if action == "next_lesson":
            return self.next_lesson is not None
        return True

    def _can_retake(self) -> bool:
        s = self.summary
        return s.lesson.params is not None and s.finished and bool(s.total)

    def action_retake(self) -> None:
        self.dismiss("retake")

    def action_practice(self) -> None:
        self.dismiss("practice")

    def action_next_lesson(self) -> None:
        self.dismiss("next")

    def action_retry(self) -> None:
        self.dismiss("retry")

    def action_done(self) -> None:
        self.dismiss("done")
