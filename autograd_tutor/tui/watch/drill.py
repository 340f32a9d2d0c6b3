"""``DrillScreen``: what the learner and question screens share: a head in words over one
table, Esc back to the class. Each subclass names its columns and paints itself in
:meth:`DrillScreen.show`; the app calls ``show`` again when the folder changes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from autograd_tutor.lab.state import ClassState
from autograd_tutor.tui.widgets.keys_footer import KeysFooter


class DrillScreen(Screen[None]):
    CSS_PATH = "drill.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]
    HEAD_ID: ClassVar[str] = "head"
    TABLE_ID: ClassVar[str] = "table"
    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, state: ClassState) -> None:
        super().__init__()
        self._state = state

    def compose(self) -> ComposeResult:
        yield Static(id=self.HEAD_ID, classes="drill-head")
        yield DataTable(
            id=self.TABLE_ID, classes="drill-table", cursor_type="row", zebra_stripes=True
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*self.COLUMNS)
        self.show(self._state)
        table.focus()

    def action_back(self) -> None:
        self.dismiss()

    def show(self, state: ClassState) -> None:
        """Paint what ``state`` has now (the subclass's job)."""
        raise NotImplementedError

    def cleared(self, state: ClassState) -> tuple[Static, DataTable[object]]:
        """Take ``state`` as the one shown, and give the head and the emptied table."""
        self._state = state
        table = self.query_one(DataTable)
        table.clear()
        return self.query_one(f"#{self.HEAD_ID}", Static), table
