"""The kind hint after a --plain prompt and in a TUI field is one level of brackets at most:
``y = ? (a number; fractions and arithmetic are fine)``, never ``(a number (...))``."""

from __future__ import annotations

import io
from typing import get_args

import pytest

from autograd_tutor.grading import placeholder
from autograd_tutor.grading.kinds import AnswerKind, expected_kind
from autograd_tutor.lessons.model import Question
from autograd_tutor.plain.tutor import PlainTutor
from autograd_tutor.values import Value

EXPECTS = [
    Value.number(9),
    Value.tensor([[1.0, 2.0]]),
    Value.none(),
    Value.boolean(True),
    Value.size([2, 3]),
    Value.name("MulBackward0"),
    None,
]
BRACKETS = {"(": ")", "[": "]", "{": "}"}


def bracket_depth(text: str) -> int:
    """The deepest nesting of (), [] and {} in ``text``."""
    depth = deepest = 0
    for ch in text:
        if ch in BRACKETS:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in BRACKETS.values():
            depth -= 1
    return deepest


def test_the_expects_cover_the_kinds_a_question_can_want() -> None:
    kinds = {expected_kind(expect) for expect in EXPECTS}
    assert kinds == set(get_args(AnswerKind)) - {"text"}


@pytest.mark.parametrize("expect", EXPECTS, ids=lambda e: expected_kind(e))
def test_the_hint_holds_no_bracket_and_the_plain_prompt_one_level(expect: Value | None) -> None:
    assert bracket_depth(placeholder(expect)) == 0  # the TUI shows it as the field's placeholder
    out = io.StringIO()
    tutor = PlainTutor(None, None, io.StringIO("skip\n"), out)  # type: ignore[arg-type]
    question = Question("1.1", "y", "y = ?", expect=expect)
    assert tutor.ask(None, question) is None  # type: ignore[arg-type]
    assert out.getvalue().startswith(f"y = ? ({placeholder(expect)}) ")
    assert bracket_depth(out.getvalue()) == 1
