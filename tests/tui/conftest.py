"""Fixtures for the Textual app's tests: the session's one warm torch worker (from the root
conftest), and a fresh progress store per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograd_tutor.progress import ProgressStore
from autograd_tutor.worker import WorkerClient


@pytest.fixture
def tui_worker(worker: WorkerClient) -> WorkerClient:
    """The root conftest's session-wide worker, under the name the TUI tests use."""
    return worker


@pytest.fixture
def tui_store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "data", "ada")
