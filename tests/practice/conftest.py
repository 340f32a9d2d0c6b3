"""Fixtures for exercise and experiment tests: a fresh progress store per test (the torch
worker and ``write_lesson`` come from the root conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograd_tutor.progress import ProgressStore


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "data", "ada")
