"""Help: the keys, what the tutor does and where progress is kept, rendered from
``tui/help.md``."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from autograd_tutor.safe_text import printable
from autograd_tutor.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from autograd_tutor.progress import ProgressStore

HELP_FILE = Path(__file__).resolve().parent.parent / "help.md"


def help_markdown(store: ProgressStore | None) -> str:
    """The help text with this learner's name and progress file filled in (Markdown
    characters in a name escaped, so it stays literal)."""
    student = printable(store.student) if store is not None else "you"
    path = printable(store.path) if store is not None else "(not saved)"
    return Template(HELP_FILE.read_text(encoding="utf-8")).safe_substitute(
        student=re.sub(r"([\\`*_\[\]<>#~|])", r"\\\1", student), path=path.replace("`", "'")
    )


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "close", "Close help")]

    def __init__(self, store: ProgressStore | None) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(help_markdown(self.store), id="help")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
