"""The reveal after a step ran: per question the prediction, torch's value, the verdict and
feedback from the scoring core, the explanation; what the code printed; the training plots."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from autograd_tutor.tui.widgets.fit_plot import FitPlot
from autograd_tutor.tui.widgets.loss_plot import LossPlot
from autograd_tutor.tui.widgets.output_cell import OutputCell
from autograd_tutor.tui.widgets.verdict_card import VerdictCard


def tally(outcome: Any) -> str:
    """``"2 of 3 right"``-style summary line of a step outcome."""
    scored = [q for q in outcome.questions if q.score is not None]
    if not outcome.questions:
        return "The code ran."
    right = sum(1 for q in scored if q.score.verdict == "right")
    return f"{right} of {len(outcome.questions)} right"


class RevealScreen(Screen[str]):
    """Dismisses with ``"next"`` (go on) or ``"back"`` (look at the step again)."""

    CSS_PATH = "reveal.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("enter,n", "next", "Next step"),
        Binding("escape,b", "back", "Back to step"),
        Binding("ctrl+l", "log_scale", "Log scale"),
        Binding("g,ctrl+g", "graph", "Graph"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, outcome: Any, *, title: str, last: bool) -> None:
        super().__init__()
        self.outcome = outcome
        self.title_text = title
        self.last = last

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        result = outcome.result
        yield Header()
        with VerticalScroll(id="body"):
            yield Label(Text(self.title_text, style="bold"), id="reveal-title")
            yield Label(Text(tally(outcome), style="bold"), id="tally")
            with Container(id="cards"):
                for question in outcome.questions:
                    yield VerdictCard(question)
            yield OutputCell(result.stdout, id="output")
            training = result.training
            if training is not None:
                with Container(id="plots"):
                    yield LossPlot(training.loss, log_scale=training.log_scale, id="loss")
                    if training.x:
                        yield FitPlot(training.x, training.y or [], training.lines, id="fit")
        next_text = "Enter: see your lesson summary" if self.last else "Enter: next step"
        yield Static(Text(f"{next_text} · Esc: back to this step", style="dim"), id="status")
        yield Footer()

    AUTO_FOCUS = "#body"  # arrow keys and PageUp/PageDown scroll the reveal

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_scale":
            return self.outcome.result.training is not None
        return True

    def action_next(self) -> None:
        self.dismiss("next")

    def action_back(self) -> None:
        self.dismiss("back")

    def action_graph(self) -> None:
        from autograd_tutor.tui.screens.graph import open_graph

        open_graph(self)

    def action_log_scale(self) -> None:
        for plot in self.query(LossPlot):
            plot.log_scale = not plot.log_scale
