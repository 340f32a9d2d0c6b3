"""Fixtures for the progress tests."""

from __future__ import annotations

import pytest
from progress_helpers import FakeLesson, FakeQuestion, FakeStep


@pytest.fixture
def fake_lesson() -> FakeLesson:
    """Step 0 explains, steps 1 and 3 ask two and one questions, step 2 explains."""
    return FakeLesson(
        "chain-rule",
        [
            FakeStep(0),
            FakeStep(1, [FakeQuestion("2.1"), FakeQuestion("2.2")]),
            FakeStep(2),
            FakeStep(3, [FakeQuestion("4.1")]),
        ],
    )
