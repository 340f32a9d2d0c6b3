"""Helpers for the Textual app's tests: the test lessons, and reading what is on screen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pilot_waits import plain as plain
from pilot_waits import screen_text as screen_text
from pilot_waits import wait_until as wait_until

HERE = Path(__file__).resolve().parent
TEST_LESSONS = HERE / "lessons"


async def settle(pilot: Any, problem: Callable[[], str | None], timeout: float = 30.0) -> None:
    """Let the app run until ``problem()`` finds nothing wrong (None), for checks of the layout:
    a screen just pushed or a hint just opened is laid out over the next refreshes, which a busy
    machine spreads over time. Fails with what is still wrong after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (wrong := problem()) is not None:
        if loop.time() > deadline:
            raise AssertionError(wrong)
        await pilot.pause(0.02)


async def type_text(pilot: Any, text: str, timeout: float = 30.0) -> None:
    """Type into the focused input, character by character, as a learner would: each
    character is a key event (what ``pilot.press`` sends), queued in order as a fast typist's
    keys are; returns when the app and the screen have handled them all. (``pilot.press``
    waits at least 40 ms after each key, most of the time the TUI tests spent typing.)"""
    from textual import events
    from textual.keys import _character_to_key

    app = pilot.app
    for ch in text:
        key = events.Key(ch if ch.isalnum() else _character_to_key(ch), ch)
        key.set_sender(app)
        app.post_message(key)
    handled = asyncio.Event()
    app.call_later(handled.set)  # after the keys in the app's queue
    await asyncio.wait_for(handled.wait(), timeout)
    await pilot.pause()  # the screen's widgets handle what the app passed on to them


async def go_on(pilot: Any) -> None:
    """Enter on a reveal: it counts at once in these tests (tests/tui/conftest.py)."""
    await pilot.press("enter")


def fully_visible(app: Any, widget: Any) -> bool:
    """Every row of ``widget`` is on screen and is the widget (or a child of it), not something
    drawn over it or a part scrolled away."""
    region = widget.region
    if not region or not app.screen.region.contains_region(region):
        return False
    for y in range(region.y, region.bottom):
        for x in (region.x, region.right - 1):
            shown, _ = app.screen.get_widget_at(x, y)
            if shown is not widget and widget not in shown.ancestors:
                return False
    return True


def where(widget: Any) -> str:
    return f"{widget!r} at {widget.region}"
