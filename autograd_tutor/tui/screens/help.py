"""Help: the keys, what the tutor does and where progress is kept, rendered from
``tui/help.md``."""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

HELP_FILE = Path(__file__).resolve().parent.parent / "help.md"


def help_markdown(store: Any) -> str:
    """The help text with this learner's name and progress file filled in."""
    student = getattr(store, "student", "you")
    path = getattr(store, "path", "(not saved)")
    return Template(HELP_FILE.read_text(encoding="utf-8")).safe_substitute(
        student=student, path=str(path)
    )


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "close", "Close help")]

    def compose(self) -> ComposeResult:
        app: Any = self.app
        with VerticalScroll(id="help-body"):
            yield Markdown(help_markdown(app.store), id="help")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
