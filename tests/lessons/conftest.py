"""Fixtures for the lesson loader tests: write a lesson file and load it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from autograd_tutor.lessons.loader import LessonError, load_lesson


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write(text, name="lesson.yaml")``: dedent ``text`` into a file under tmp_path."""

    def _write(text: str | bytes, name: str = "lesson.yaml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def load_error(write: Callable[..., Path]) -> Callable[..., LessonError]:
    """``load_error(text)``: the LessonError that loading ``text`` raises."""

    def _load_error(text: str | bytes, name: str = "lesson.yaml") -> LessonError:
        path = write(text, name)
        with pytest.raises(LessonError) as info:
            load_lesson(path)
        assert info.value.path == path
        assert str(info.value).startswith(str(path))
        return info.value

    return _load_error
