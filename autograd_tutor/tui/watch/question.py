"""``QuestionScreen``: one question across the class: the first-try share, the most common
wrong answers with their misconceptions, and every learner's first answer; Esc goes back."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from autograd_tutor.lab.state import ClassState
from autograd_tutor.lab.stuck import misconception
from autograd_tutor.tui.watch.rows import bar, clip, text, verdict


class QuestionScreen(Screen[None]):
    CSS_PATH = "question.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, lesson_id: str, question_id: str, state: ClassState) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.question_id = question_id
        self._state = state

    def compose(self) -> ComposeResult:
        yield Static(id="question-head")
        yield DataTable(id="firsts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Learner", "First answer", "Verdict", "Misconception")
        self.show(self._state)
        self.query_one(DataTable).focus()

    def action_back(self) -> None:
        self.dismiss()

    def show(self, state: ClassState) -> None:
        self._state = state
        q = state.question(self.lesson_id, self.question_id)
        head = self.query_one("#question-head", Static)
        table = self.query_one(DataTable)
        table.clear()
        if q is None:
            head.update(Text("Nobody has answered this question.", style="dim"))
            return
        out = text(f"{q.lesson_id} {q.question.id}: {q.question.expr}", "bold")
        out.append("\nright on the first try: ")
        out.append(bar(q.share))
        out.append(f" ({q.first_right} of {q.learners})")
        for w in q.wrong:
            out.append(f"\n×{w.count} ", style="bold")
            out.append(text(clip(w.text, 20)))
            out.append(" → ")
            out.append(text(clip(w.misconception, 160), "italic"))
        head.update(out)
        for f in q.firsts:
            a = f.attempt
            typed = "(skipped)" if a.attempt.typed is None else a.attempt.typed
            meaning = misconception(a) if a.wrong else ""
            table.add_row(
                text(f.student),
                text(clip(typed, 20)),
                verdict(a),
                text(clip(meaning, max(12, self.size.width - 50)), "italic"),
            )
