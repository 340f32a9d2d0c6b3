"""The step list ("go to step"): every step of the lesson with where the learner stands on it
(answered, passed, run...), the current one highlighted. Enter opens a step; a step after an
unanswered question is listed but cannot be chosen (``session/step_list.py`` decides which, and
why). Dismisses with the chosen step's index, or None."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from autograd_tutor.safe_text import printable
from autograd_tutor.session.step_list import StepEntry

KIND_WORDS = {"questions": "questions", "exercise": "exercise", "experiment": "experiment"}


def entry_prompt(entry: StepEntry, current: int | None) -> Text:
    """One step as the list shows it: ``3. Title · exercise`` then its state (never a value)."""
    text = Text()
    head = f"{entry.index + 1}. {entry.title or 'Step'}"
    text.append(printable(head), style="bold" if entry.open else "dim")
    text.append(f" · {KIND_WORDS.get(entry.kind, entry.kind)}", style="dim")
    if entry.index == current:
        text.append("  (you are here)", style="italic")
    text.append("\n   ")
    if not entry.open:
        text.append(printable(f"locked: {entry.lock}"), style="dim")
    else:
        text.append(entry.state, style="green" if entry.done else "yellow")
    return text


class StepListScreen(ModalScreen[int | None]):
    """The lesson's steps; Enter opens the highlighted one, Esc closes the list."""

    CSS_PATH = "step_list.tcss"
    BINDINGS = [
        Binding("escape,ctrl+o", "close", "Close"),
        Binding("enter", "open", "Open step", key_display="Enter", priority=True),
    ]

    def __init__(self, title: str, entries: Sequence[StepEntry], current: int | None) -> None:
        super().__init__()
        self.title_text = title
        self.entries = list(entries)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(printable(self.title_text), style="bold"), id="list-title")
            yield OptionList(
                *[
                    Option(entry_prompt(e, self.current), id=str(e.index), disabled=not e.open)
                    for e in self.entries
                ],
                id="steps",
            )
            yield Static(Text("Enter: open the step · Esc: close", style="dim"), id="list-status")
        yield Footer()

    def on_mount(self) -> None:
        steps = self.query_one("#steps", OptionList)
        steps.focus()
        if self.current is not None:
            steps.highlighted = next(
                (i for i, e in enumerate(self.entries) if e.index == self.current), 0
            )

    def action_open(self) -> None:
        steps = self.query_one("#steps", OptionList)
        highlighted = steps.highlighted
        if highlighted is None:
            return
        entry = self.entries[highlighted]
        if entry.open:
            self.dismiss(entry.index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_close(self) -> None:
        self.dismiss(None)
