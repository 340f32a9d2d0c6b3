"""Driving ``WatchApp`` in tests: reading its tables and waiting for what it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pilot_waits
from textual.widgets import DataTable, Static


def rows(app: Any, table_id: str) -> list[list[str]]:
    """The rows of a table on the current screen, each cell as plain text."""
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [
        [str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]


def static(app: Any, widget_id: str) -> str:
    content = app.screen.query_one(f"#{widget_id}", Static).content
    return str(getattr(content, "plain", content))


async def wait_until(pilot: Any, predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let the app run (its timer polls the folder) until ``predicate()`` holds."""
    await pilot_waits.wait_until(pilot, predicate, timeout)
