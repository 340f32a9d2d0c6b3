"""Fixtures for the lesson loader tests (``write_lesson`` is in the root conftest)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.loader import load_lesson


@pytest.fixture
def load_error(write_lesson: Callable[..., Path]) -> Callable[..., LessonError]:
    """``load_error(text)``: the LessonError that loading ``text`` raises."""

    def _load_error(text: str | bytes, name: str = "lesson.yaml") -> LessonError:
        path = write_lesson(text, name)
        with pytest.raises(LessonError) as info:
            load_lesson(path)
        assert info.value.path == path
        assert str(info.value).startswith(str(path))
        return info.value

    return _load_error
