"""An error as the answer: a learner's 'raises RuntimeError' scored against what torch raised,
and an author's expect compared with torch, naming the element or the exception that differs."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from autograd_tutor.grading import parse_prediction, score
from autograd_tutor.grading.agreement import disagreement
from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.values import Value
from autograd_tutor.worker.protocol import QuestionValue

RAISED = QuestionValue(
    "y.backward()", None, "RuntimeError: Trying to backward through the graph a second time"
).raised


def test_what_torch_raised_is_an_error_value_with_its_message() -> None:
    assert RAISED == Value.error("RuntimeError")
    assert RAISED is not None and "second time" in RAISED.message
    assert QuestionValue("w", None, "cannot convert: TypeError: x").raised is None


def test_naming_the_exception_is_right_whatever_the_case() -> None:
    assert RAISED is not None
    for typed in ("raises RuntimeError", "runtimeerror", "raises RuntimeError: whatever"):
        assert score(parse_prediction(typed, "y.backward()"), RAISED).verdict == "right"


def test_a_value_where_torch_raised_is_wrong_and_says_what_torch_raised() -> None:
    assert RAISED is not None
    result = score(parse_prediction("None", "y.backward()"), RAISED)
    assert result.verdict == "wrong"
    assert "torch raised RuntimeError: Trying to backward" in result.feedback
    other = score(parse_prediction("raises ValueError", "y.backward()"), RAISED)
    assert other.verdict == "wrong" and "you said it raises ValueError" in other.feedback


def test_an_error_where_torch_gives_a_value_is_wrong() -> None:
    result = score(parse_prediction("raises RuntimeError", "y.backward()"), Value.none())
    assert result.verdict == "wrong"
    assert "runs without an error: torch gives None" in result.feedback


def test_disagreement_names_the_element_that_differs() -> None:
    said = disagreement(
        "z.grad", Value.tensor([0.25, 0.5, 0.625]), Value.tensor([0.25, 0.5, -0.375])
    )
    assert said == "z.grad[2]: expect 0.625, torch -0.375"
    assert disagreement("W.grad", Value.tensor([[1, 2]]), Value.tensor([[1, 2]])) is None
    assert (
        disagreement("x.grad", Value.number(6), Value.none())
        == "x.grad: expect 6, torch gives None"
    )


def test_disagreement_of_an_error_answer_checks_class_and_match() -> None:
    assert RAISED is not None
    assert disagreement("y.backward()", Value.error("RuntimeError", "SECOND time"), RAISED) is None
    wrong_match = disagreement("y.backward()", Value.error("RuntimeError", "retain"), RAISED)
    assert wrong_match is not None and "'retain' in its message" in wrong_match
    ran = disagreement("y.backward()", Value.error("RuntimeError"), Value.none())
    assert ran == "y.backward(): expect it to raise RuntimeError, torch gives None"


LESSON = textwrap.dedent(
    """\
    id: errors
    title: Errors as answers
    steps:
      - code: |
          x = torch.tensor(3.0, requires_grad=True)
        ask:
          - expr: {expr}
            {answer}
    """
)


@pytest.mark.parametrize(
    ("expr", "answer", "problem"),
    [
        ("x.grad", "raises: RuntimeError", "needs a call as the expr"),
        ("x.grad", 'expect: "raises RuntimeError"', "needs a call as the expr"),
        ("x.add_(1)", "raises: RuntimeError\n        expect: 1", "not both"),
        ("x.add_(1)", "match: leaf", "match needs raises"),
        ("x.add_(1)", "raises: not a class", "exception class name"),
    ],
)
def test_the_loader_refuses_an_error_answer_it_cannot_ask(
    write_lesson: Callable[..., Path], expr: str, answer: str, problem: str
) -> None:
    path = write_lesson(LESSON.format(expr=expr, answer=answer))
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert problem in str(info.value)


def test_the_loader_reads_raises_and_match_and_the_expect_line(
    write_lesson: Callable[..., Path],
) -> None:
    text = LESSON.format(expr="x.add_(1)", answer="raises: RuntimeError\n        match: leaf")
    question = load_lesson(write_lesson(text)).questions[0]
    assert question.expect == Value.error("RuntimeError")
    assert question.expect.message == "leaf"
    assert question.expect_line == 8
