"""Fixtures for the Textual app's tests: one warm torch worker shared by the whole session,
a fresh progress store per test, and helpers that read what is on screen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd_tutor.progress import ProgressStore
from autograd_tutor.worker import WorkerClient

HERE = Path(__file__).resolve().parent
TEST_LESSONS = HERE / "lessons"


@pytest.fixture(scope="session")
def tui_worker() -> Iterator[WorkerClient]:
    """A real worker (torch in its own process), started once for all TUI tests."""
    worker = WorkerClient("cpu")
    worker.start()
    worker.wait_ready(timeout=120)
    yield worker
    worker.close()


@pytest.fixture
def tui_store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "data", "ada")


def screen_text(app: Any) -> str:
    """The text of every visible Static/Label/Markdown block on the current screen."""
    from textual.widgets import Markdown, OptionList, Static

    parts: list[str] = []
    for widget in app.screen.query("*"):
        if not widget.display or not widget.is_mounted:
            continue
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
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
        await pilot.pause(0.05)
    await pilot.pause()


async def type_text(pilot: Any, text: str) -> None:
    """Type into the focused input, character by character, as a learner would."""
    for ch in text:
        await pilot.press(ch)
