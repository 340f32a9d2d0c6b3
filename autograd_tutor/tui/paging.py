"""PgUp/PgDn on a screen: one page of a scrolling box, up or down (the step's explanation and
code, an experiment's brief, the graph)."""

from __future__ import annotations

from textual.widget import Widget


def page(box: Widget, direction: int) -> None:
    """Scroll ``box`` one page up (``direction`` < 0) or down."""
    if direction < 0:
        box.scroll_page_up()
    else:
        box.scroll_page_down()
