"""``VerdictCard``: one question after torch ran: the prediction beside torch's value, the
verdict and feedback from the scoring core, and the question's explanation.

One widget drawing one Rich renderable (a grid, texts and Rich Markdown), so that a reveal with
several questions mounts in a few milliseconds.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.markup import escape
from textual.widgets import Static

from autograd_tutor.presentation import VERDICT_LABELS as VERDICT_WORDS
from autograd_tutor.presentation import percent, plural, torch_says
from autograd_tutor.safe_text import printable
from autograd_tutor.session import QuestionOutcome
from autograd_tutor.tui.widgets.lesson_markdown import lesson_markdown, text_with_code
from autograd_tutor.tui.widgets.value_text import value_text

VERDICT_LABELS: dict[str, tuple[str, str]] = {
    # verdict -> (text, CSS class)
    "right": (f"✓ {VERDICT_WORDS['right']}", "-right"),
    "partial": (f"≈ {VERDICT_WORDS['partial']}", "-partial"),
    "wrong": (f"✗ {VERDICT_WORDS['wrong']}", "-wrong"),
    "skipped": (f"– {VERDICT_WORDS['skipped']}", "-skipped"),
}
VERDICT_STYLES: dict[str, str] = {
    "-right": "bold green",
    "-partial": "bold yellow",
    "-wrong": "bold red",
    "-skipped": "bold",
}


def verdict_line(outcome: QuestionOutcome) -> tuple[str, str]:
    """The verdict words and CSS class for a ``QuestionOutcome``."""
    score = outcome.score
    if score is None:
        if outcome.eval_error:
            return ("torch could not evaluate this", "-wrong")
        return ("not answered", "-skipped")
    text, cls = VERDICT_LABELS.get(score.verdict, (score.verdict, "-wrong"))
    if score.verdict == "partial":
        text += f" ({percent(score.credit)} credit)"
    elif score.hints_used and score.verdict == "right":
        text += f" ({percent(score.credit)} credit, {plural(score.hints_used, 'hint')} used)"
    if outcome.retry:
        text += " · retry (the first try counts)"
    return text, cls


def card_renderable(outcome: QuestionOutcome) -> RenderableType:
    """Prediction and torch's value side by side, verdict, feedback, explanation."""
    score = outcome.score
    wrong = score.wrong_elements if score is not None else ()
    grid = Table.grid(padding=(0, 4))
    grid.add_column()
    grid.add_column()
    grid.add_row(Text("you predicted", style="dim"), Text("torch says", style="dim"))
    if outcome.typed is None:
        yours = Text("(skipped)", style="dim")
    else:
        yours = value_text(outcome.prediction, wrong)
    if outcome.truth is None:
        truth = Text(printable(outcome.eval_error or "no value"), style="red")
    elif outcome.truth.kind == "error":  # an error answer: torch's message too
        truth = Text(printable(torch_says(outcome.truth.display(), outcome.truth.message)))
    else:
        truth = value_text(outcome.truth, wrong)
    grid.add_row(yours, truth)
    text, cls = verdict_line(outcome)
    parts: list[RenderableType] = [grid, Text(""), Text(text, style=VERDICT_STYLES[cls])]
    if outcome.expect_warning:
        parts.append(Text(printable(outcome.expect_warning), style="bold yellow"))
    if score is not None and score.feedback:
        parts.append(text_with_code(score.feedback))
    if outcome.question.explain:
        parts.append(Text(""))
        parts.append(lesson_markdown(outcome.question.explain))
    return Group(*parts)


class VerdictCard(Static):
    """Prediction, torch's value, verdict, feedback and explanation of one question."""

    DEFAULT_CSS = """
    VerdictCard { height: auto; border: round $primary; padding: 0 1; margin: 1 0 0 0; }
    VerdictCard.-right { border: round $success; }
    VerdictCard.-partial { border: round $warning; }
    VerdictCard.-wrong { border: round $error; }
    """

    def __init__(self, outcome: QuestionOutcome) -> None:
        _, cls = verdict_line(outcome)
        super().__init__(card_renderable(outcome), classes=f"verdict-card {cls}")
        self.outcome = outcome
        self.border_title = escape(printable(outcome.question.expr))
