"""The reference solution of an exercise, read-only, over the exercise (Esc closes it)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Label

from autograd_tutor.safe_text import printable
from autograd_tutor.tui.widgets.code_view import CodeArea
from autograd_tutor.tui.widgets.keys_footer import KeysFooter


class SolutionScreen(ModalScreen[None]):
    CSS_PATH = "solution.tcss"
    BINDINGS = [Binding("escape,q", "close", "Back to your code")]

    def __init__(self, solution: str, *, title: str) -> None:
        super().__init__()
        self.solution = solution
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield Label(Text(f"Reference solution · {printable(self.title_text)}", style="bold"))
        code = CodeArea.code_editor(
            self.solution.rstrip("\n"), language="python", read_only=True, id="solution"
        )
        yield code
        yield KeysFooter()

    def action_close(self) -> None:
        self.dismiss(None)
