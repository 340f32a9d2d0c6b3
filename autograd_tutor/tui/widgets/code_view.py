"""A step's code as the learner reads it before it runs: Python highlighted, wrapped, read-only
and out of the focus chain (the keys stay with the answers or the editor)."""

from __future__ import annotations

from textual.widgets import TextArea


def step_code_view(code: str, *, id: str, line_numbers: bool = True) -> TextArea:
    """A read-only, unfocusable view of ``code`` (its trailing newlines dropped)."""
    view = TextArea(
        code.rstrip("\n"),
        language="python",
        read_only=True,
        show_line_numbers=line_numbers,
        soft_wrap=True,
        id=id,
    )
    view.cursor_blink = False
    view.can_focus = False
    return view
