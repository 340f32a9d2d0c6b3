"""The end of a lesson: the score, the missed questions with their misconception, and a key
to retry the missed ones."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static


class SummaryScreen(Screen[str]):
    """Dismisses with ``"retry"`` (retry the missed questions) or ``"done"``."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("r", "retry", "Retry missed"),
        Binding("enter,escape", "done", "Back to lessons"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, summary: Any) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        s = self.summary
        yield Header()
        with VerticalScroll(id="body"):
            yield Label(Text(f"{s.lesson.title}: lesson summary", style="bold"), id="title")
            score = Text()
            score.append(f"Score {s.percent}%", style="bold")
            score.append(f"  ({s.credit:.2f} of {s.total} points, {s.answered} answered)")
            yield Label(score, id="score")
            if not s.missed:
                yield Static(Text("Every question right. Well done!", style="bold green"))
            else:
                yield Label(Text(f"Missed {len(s.missed)}:", style="bold"), id="missed-title")
                for missed in s.missed:
                    line = Text()
                    line.append(f"Step {missed.step_index + 1} · {missed.question.expr}", "bold")
                    line.append(f"  ({missed.verdict})\n", style="dim")
                    if missed.feedback:
                        line.append(missed.feedback)
                    elif missed.question.explain:
                        line.append(missed.question.explain.strip())
                    yield Static(line, classes="missed")
        hint = "r: retry the missed questions · " if s.missed else ""
        yield Static(Text(f"{hint}Enter: back to the lessons", style="dim"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return bool(self.summary.missed)
        return True

    def action_retry(self) -> None:
        self.dismiss("retry")

    def action_done(self) -> None:
        self.dismiss("done")
