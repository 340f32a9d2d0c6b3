"""``VerdictCard``: one question after torch ran: the prediction beside torch's value, the
verdict and feedback from the scoring core, and the question's explanation."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Markdown, Static

from autograd_tutor.tui.widgets.tensor_view import TensorView

VERDICT_LABELS: dict[str, tuple[str, str]] = {
    # verdict -> (text, CSS class)
    "right": ("✓ right", "-right"),
    "partial": ("≈ partly right", "-partial"),
    "wrong": ("✗ wrong", "-wrong"),
    "skipped": ("– skipped", "-skipped"),
}


def verdict_line(outcome: Any) -> tuple[str, str]:
    """The verdict words and CSS class for a ``QuestionOutcome``."""
    score = outcome.score
    if score is None:
        if outcome.eval_error:
            return ("torch could not evaluate this", "-wrong")
        return ("not answered", "-skipped")
    text, cls = VERDICT_LABELS.get(score.verdict, (score.verdict, "-wrong"))
    if score.verdict == "partial":
        text += f" ({round(100 * score.credit)}% credit)"
    elif score.hints_used and score.verdict == "right":
        text += f" ({round(100 * score.credit)}% credit, {score.hints_used} hint(s) used)"
    return text, cls


class VerdictCard(Vertical):
    """Prediction, torch's value, verdict, feedback and explanation of one question."""

    DEFAULT_CSS = """
    VerdictCard { height: auto; border: round $primary; padding: 0 1; margin: 1 0 0 0; }
    VerdictCard .values { height: auto; }
    VerdictCard .side { width: auto; height: auto; margin: 0 4 0 0; }
    VerdictCard .caption { color: $text-muted; }
    VerdictCard .verdict { text-style: bold; margin: 1 0 0 0; }
    VerdictCard .verdict.-right { color: $success; }
    VerdictCard .verdict.-partial { color: $warning; }
    VerdictCard .verdict.-wrong { color: $error; }
    VerdictCard .verdict.-skipped { color: $text-muted; }
    VerdictCard .feedback { height: auto; }
    VerdictCard Markdown { margin: 1 0 0 0; padding: 0; }
    """

    def __init__(self, outcome: Any) -> None:
        super().__init__(classes="verdict-card")
        self.outcome = outcome
        self.border_title = f"{outcome.question.expr}"

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        score = outcome.score
        wrong = score.wrong_elements if score is not None else ()
        with Horizontal(classes="values"):
            with Vertical(classes="side"):
                yield Label("you predicted", classes="caption")
                if outcome.typed is None:
                    yield Static(Text("(skipped)", style="dim"))
                else:
                    yield TensorView(outcome.prediction, wrong, classes="prediction")
            with Vertical(classes="side"):
                yield Label("torch says", classes="caption")
                if outcome.truth is None:
                    yield Static(Text(outcome.eval_error or "no value", style="red"))
                else:
                    yield TensorView(outcome.truth, wrong, classes="truth")
        text, cls = verdict_line(outcome)
        yield Label(text, classes=f"verdict {cls}")
        if score is not None and score.feedback:
            yield Static(Text(score.feedback), classes="feedback")
        if outcome.question.explain:
            yield Markdown(outcome.question.explain)
