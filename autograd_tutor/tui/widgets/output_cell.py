"""``OutputCell``: what the step's code printed, framed like a notebook cell's output."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class OutputCell(Static):
    """Printed text of a step (``Out:`` border title); hidden when nothing was printed."""

    DEFAULT_CSS = """
    OutputCell {
        height: auto; border: round $secondary; padding: 0 1; margin: 1 0 0 0;
        border-title-color: $secondary;
    }
    """

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(Text(text.rstrip("\n"), no_wrap=False), id=id)
        self.border_title = "Out"
        self.display = bool(text.strip())
