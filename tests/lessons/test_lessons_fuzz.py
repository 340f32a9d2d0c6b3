"""Whatever bytes a lesson file holds, loading it gives a Lesson or a LessonError that names
the file - never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lessons_helpers import MINIMAL

from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.loader import load_lesson

YAML_BITS = [
    ":", "-", " ", "  ", "\n", "[", "]", "{", "}", ",", "&a", "*a", "!!str", "!!python/none",
    "? ", "|", ">", "'", '"', "#", "\t", "---", "...", "%YAML 1.1", "~", "1e3", "yes", "\x00",
    "\ufeff", "é", "steps", "ask", "expr", "id", "title",
]  # fmt: skip


def load_or_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        try:
            load_lesson(path)
        except LessonError as exc:
            assert str(exc).startswith(str(path))
            assert exc.line is None or exc.line >= 1
            assert exc.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(data):
    load_or_error(data)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(YAML_BITS), max_size=60))
def test_random_yaml_pieces(pieces):
    load_or_error("".join(pieces).encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_minimal_lesson(data):
    text = MINIMAL
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        insert = data.draw(st.sampled_from(YAML_BITS + [""]))
        text = text[:at] + insert + text[at + cut :]
    load_or_error(text.encode("utf-8"))
