"""Fixtures for exercise and experiment tests: one warm worker per module, the practice
test lessons, and a fresh progress store per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autograd_tutor.progress import ProgressStore
from autograd_tutor.worker import WorkerClient


@pytest.fixture(scope="module")
def worker() -> Iterator[WorkerClient]:
    client = WorkerClient(device="cpu")
    client.start()
    client.wait_ready(timeout=120)
    yield client
    client.close()


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "data", "ada")
