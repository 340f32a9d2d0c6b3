"""Fixtures for the Textual app's tests: the session's one warm torch worker (from the root
conftest), a fresh progress store per test, and a reveal that takes Enter at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograd_tutor.progress import ProgressStore
from autograd_tutor.worker import WorkerClient


@pytest.fixture(autouse=True)
def _reveal_takes_enter_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reveal ignores Enter for ``ENTER_GUARD`` seconds after it shows (an Enter typed with
    the one that ran the step); the tests press Enter on purpose, so it counts at once. The
    guard's own test (tests/tui/test_tui_honest.py) sets it again."""
    from autograd_tutor.tui.screens import reveal

    monkeypatch.setattr(reveal, "ENTER_GUARD", 0.0)


@pytest.fixture
def tui_worker(worker: WorkerClient) -> WorkerClient:
    """The root conftest's session-wide worker, under the name the TUI tests use."""
    return worker


@pytest.fixture
def tui_store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "data", "ada")
