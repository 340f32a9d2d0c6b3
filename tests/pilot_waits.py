"""Waiting on a Textual app under test (``App.run_test()``'s Pilot) until a condition holds,
and reading its screen as text for the message when it never does: for every test folder
that drives an app (tests/tui, tests/lab, tests/practice)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

from rich.console import Console


def plain(renderable: Any, width: int = 200) -> str:
    """A Rich renderable (or Textual content) as plain text."""
    if isinstance(renderable, str):
        return renderable
    if not hasattr(renderable, "__rich_console__") and not hasattr(renderable, "__rich__"):
        return str(renderable)
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def screen_text(app: Any) -> str:
    """The text of every shown Static/Label/Markdown/OptionList on the current screen (also
    the parts scrolled out of view)."""
    from textual.widgets import Markdown, OptionList, Static

    parts: list[str] = []
    for widget in app.screen.query("*"):
        if not widget.display or not widget.is_mounted:
            continue
        if isinstance(widget, Static):
            parts.append(plain(widget.content))
        elif isinstance(widget, Markdown):
            parts.append(widget.source)
        elif isinstance(widget, OptionList):
            parts.extend(str(option.prompt) for option in widget.options)
    return "\n".join(parts)


async def wait_until(pilot: Any, predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until ``predicate()`` holds (fails the test after ``timeout``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting; screen shows:\n{screen_text(pilot.app)}")
        await pilot.pause(0.02)
    await pilot.pause()
