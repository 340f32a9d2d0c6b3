"""Fixtures for the Textual app's tests: one warm torch worker shared by the whole session,
and a fresh progress store per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autograd_tutor.progress import ProgressStore
from autograd_tutor.worker import WorkerClient


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
