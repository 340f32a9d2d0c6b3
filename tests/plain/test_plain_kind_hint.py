"""The field hint after a --plain prompt and in a TUI field is one level of brackets at most:
``y.grad = ? (a number, a tensor as nested lists, or None)``, never ``(a number (...))``; and
it comes from the expression, so it reads the same whatever the answer is."""

from __future__ import annotations

import io

import pytest

from autograd_tutor.grading import placeholder
from autograd_tutor.grading.kinds import FIELD_KINDS, field_kind
from autograd_tutor.lessons.model import Question
from autograd_tutor.plain.tutor import PlainTutor
from autograd_tutor.values import Value

EXPRS = ["x.grad", "w.item()", "y.requires_grad", "t.grad.shape", "y.grad_fn", "y.backward()", "y"]
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


def test_the_exprs_cover_every_field_kind() -> None:
    assert {field_kind(expr) for expr in EXPRS} == set(FIELD_KINDS)


@pytest.mark.parametrize("expr", EXPRS)
@pytest.mark.parametrize("expect", [Value.number(36), Value.none(), None], ids=["36", "None", "-"])
def test_the_plain_prompt_shows_the_expressions_hint_in_one_bracket(
    expr: str, expect: Value | None
) -> None:
    out = io.StringIO()
    tutor = PlainTutor(None, None, io.StringIO("skip\n"), out)  # type: ignore[arg-type]
    question = Question("1.1", expr, f"{expr} = ?", expect=expect)
    assert tutor.ask(None, question) is None  # type: ignore[arg-type]
    assert bracket_depth(placeholder(expr)) == 0  # the TUI shows it as the field's placeholder
    # the same prompt whatever the expected value: 36, None or not given
    assert out.getvalue().startswith(f"{expr} = ? ({placeholder(expr)}) ")
    assert bracket_depth(out.getvalue()) == 1
