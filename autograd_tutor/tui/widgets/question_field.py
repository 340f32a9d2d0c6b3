"""``QuestionField``: one question of a step: its prompt, ``expr =`` and an input for the
prediction, the hints shown so far, and the parse error (with its caret) under the input.

The field never holds the question's answer: its placeholder comes from the expression
(``grading.placeholder``), so it reads the same whatever torch will give."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from autograd_tutor.grading import AnswerSyntaxError, parse_prediction, placeholder
from autograd_tutor.lessons.model import Question
from autograd_tutor.safe_text import printable
from autograd_tutor.tui.widgets.lesson_markdown import text_with_code

SKIPPED_PLACEHOLDER = "skipped: torch's value will be shown (type to answer)"


class AnswerInput(Input):
    """A one-line input that takes a multi-line paste (torch's printed tensor) as one answer."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own handler would insert the first line again
        if event.text:
            line = " ".join(part.strip() for part in event.text.splitlines() if part.strip())
            if self.selection.is_empty:
                self.insert_text_at_cursor(line)
            else:
                self.replace(line, *self.selection)
        event.stop()


class QuestionField(Vertical):
    """Prompt, ``x.grad =`` label, input, hints and error of one question."""

    DEFAULT_CSS = """
    QuestionField { height: auto; margin: 1 0 0 0; }
    QuestionField .prompt { color: $text-muted; }
    QuestionField Horizontal { height: auto; }
    QuestionField .expr { padding: 0 1 0 0; text-style: bold; width: auto; max-width: 40%; }
    QuestionField Input { width: 1fr; }
    QuestionField .hints { color: $warning; height: auto; }
    QuestionField .error { color: $error; height: auto; }
    QuestionField .hints.-empty, QuestionField .error.-empty { display: none; }
    QuestionField.-skipped Input { color: $text-muted; }
    """

    def __init__(
        self,
        question: Question,
        *,
        draft: str = "",
        blink: bool = True,
    ) -> None:
        super().__init__(id=f"q-{_safe_id(question.id)}", classes="question")
        self.question = question
        self.skipped = False
        self._draft = draft
        self._blink = blink

    def compose(self) -> ComposeResult:
        prompt = self.question.prompt.strip()
        if prompt and prompt != f"{self.question.expr} = ?":  # the loader's default says no more
            yield Label(Text(printable(prompt)), classes="prompt")
        with Horizontal():
            yield Label(Text(printable(f"{self.question.expr} =")), classes="expr")
            yield AnswerInput(
                self._draft, placeholder=placeholder(self.question.expr), id="answer", compact=True
            )
        yield Static("", classes="hints -empty")
        yield Static("", classes="error -empty")

    def on_mount(self) -> None:
        self.input.cursor_blink = self._blink

    @property
    def input(self) -> Input:
        return self.query_one("#answer", Input)

    @property
    def hints_box(self) -> Static:
        return self.query_one(".hints", Static)

    @property
    def text(self) -> str:
        return self.input.value

    def show_hints(self, hints: list[str]) -> None:
        box = self.hints_box
        lines = [
            Text.assemble((f"Hint {i}: ", "bold"), text_with_code(h))
            for i, h in enumerate(hints, 1)
        ]
        box.update(Group(*lines))
        box.set_class(not hints, "-empty")

    def show_error(self, message: str) -> None:
        box = self.query_one(".error", Static)
        box.update(Text(printable(message, keep_newlines=True)))
        box.set_class(not message, "-empty")

    def set_skipped(self, skipped: bool) -> None:
        self.skipped = skipped
        self.show_error("")
        self.set_class(skipped, "-skipped")
        self.input.disabled = False
        if skipped:
            self.input.value = ""
            self.input.placeholder = SKIPPED_PLACEHOLDER
        else:
            self.input.placeholder = placeholder(self.question.expr)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value and self.skipped:
            self.set_skipped(False)
        self.show_error("")


def read_answers(
    fields: Sequence[QuestionField],
) -> tuple[dict[str, str | None], QuestionField | None]:
    """The typed answers by question id (None for a skip), and the first field whose text is
    empty or does not parse (each such field shows why under its input)."""
    answers: dict[str, str | None] = {}
    first_bad: QuestionField | None = None
    for field in fields:
        qid = field.question.id
        if field.skipped:
            answers[qid] = None
            continue
        text = field.text.strip()
        if not text:
            field.show_error("Type your prediction, or press ctrl+s to skip this question.")
            first_bad = first_bad or field
            continue
        try:
            parse_prediction(text, field.question.expr)
        except AnswerSyntaxError as exc:
            field.show_error(exc.pretty())
            first_bad = first_bad or field
            continue
        field.show_error("")
        answers[qid] = text
    return answers, first_bad


def _safe_id(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)
