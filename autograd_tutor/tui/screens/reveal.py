"""The reveal after a step ran: a training step's plots first, then per question the
prediction, torch's value, the verdict and feedback from the scoring core, the explanation; what
the code printed.

Enter goes on, but not in the first moments after the reveal shows: a second Enter pressed
together with the one that ran the step cannot skip the reveal unseen."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, Static

from autograd_tutor.safe_text import printable
from autograd_tutor.session import StepOutcome
from autograd_tutor.tui.widgets.fit_plot import FitPlot
from autograd_tutor.tui.widgets.keys_footer import KeysFooter
from autograd_tutor.tui.widgets.loss_plot import LossPlot
from autograd_tutor.tui.widgets.output_cell import OutputCell
from autograd_tutor.tui.widgets.verdict_card import VerdictCard

ENTER_GUARD = 0.6  # seconds after the reveal shows during which Enter does not go on


def tally(outcome: StepOutcome) -> str:
    """``"2 of 3 right"``-style summary line of a step outcome."""
    if not outcome.questions:
        return "The code ran."
    right = sum(1 for q in outcome.questions if q.score is not None and q.score.verdict == "right")
    line = f"{right} of {len(outcome.questions)} right"
    missed = [q.question.expr for q in outcome.questions if q.score and q.score.verdict != "right"]
    if missed and len(outcome.questions) > 1:
        line += " · not right: " + ", ".join(missed)
    if any(q.retry for q in outcome.questions):
        line += " (a retry: your first try counts for the score)"
    return line


class RevealScreen(Screen[str]):
    """Dismisses with ``"next"`` (go on) or ``"back"`` (look at the step again)."""

    CSS_PATH = "reveal.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("enter", "next", "Next step"),
        Binding("n", "next(True)", "Next", show=False),
        Binding("escape,b", "back", "Back to step"),
        Binding("ctrl+l", "log_scale", "Log scale"),
        Binding("g,ctrl+g", "graph", "Graph"),
        Binding("ctrl+o", "app.step_list", "Steps", show=False),
        Binding("f1", "app.help", "Help"),
    ]

    AUTO_FOCUS = "#body"  # arrow keys and PageUp/PageDown scroll the reveal

    def __init__(self, outcome: StepOutcome, *, title: str, last: bool) -> None:
        super().__init__()
        self.outcome = outcome
        self.title_text = title
        self.last = last
        self._shown_at = time.monotonic()

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        result = outcome.result
        yield Header()
        yield Label(Text(printable(self.title_text), style="bold"), id="reveal-title")
        with VerticalScroll(id="body"):
            yield Label(Text(printable(tally(outcome)), style="bold"), id="tally")
            training = result.training
            if training is not None:
                with Container(id="plots"):
                    yield LossPlot(training.loss, log_scale=training.log_scale, id="loss")
                    if training.x:
                        yield FitPlot(training.x, training.y or [], training.lines, id="fit")
            with Container(id="cards"):
                for question in outcome.questions:
                    yield VerdictCard(question)
            yield OutputCell(result.stdout, id="output")
        next_text = "Enter: see your lesson summary" if self.last else "Enter: next step"
        yield Static(Text(f"{next_text} · Esc: back to this step", style="dim"), id="status")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self._shown_at = time.monotonic()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_scale":
            return self.outcome.result.training is not None
        return True

    def action_next(self, now: bool = False) -> None:
        if not now and time.monotonic() - self._shown_at < ENTER_GUARD:
            return  # an Enter that came with the one that ran the step
        self.dismiss("next")

    def action_back(self) -> None:
        self.dismiss("back")

    def action_graph(self) -> None:
        from autograd_tutor.tui.screens.graph import open_graph

        open_graph(self)

    def action_log_scale(self) -> None:
        for plot in self.query(LossPlot):
            plot.log_scale = not plot.log_scale
