"""The lesson model is complete at load: ``expect`` and known wrong answers are Values, and an
author's answer that is no value is a LessonError at its file:line:col (issue 10, bug 1)."""

from __future__ import annotations

import pytest
from lessons_helpers import MINIMAL

from autograd_tutor.cli import main
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.values import Value

WITH_WRONG = MINIMAL + (
    '        wrong:\n          - answer: "[1,,2]"\n            says: That is not even a tensor.\n'
)


def test_expect_and_known_wrong_answers_are_values(write_lesson):
    text = MINIMAL.replace("expect: 6", 'expect: "tensor(6.)"') + (
        "        wrong:\n          - answer: [3, 3]\n            says: That is x twice.\n"
    )
    question = load_lesson(write_lesson(text)).questions[0]
    assert question.expect == Value.tensor(6.0)
    assert question.wrong[0].answer == Value.tensor([3, 3])


def test_no_expect_is_none_and_expect_null_is_torchs_none(write_lesson):
    without = load_lesson(write_lesson(MINIMAL.replace("        expect: 6\n", ""))).questions[0]
    assert without.expect is None and not without.has_expect
    null = load_lesson(write_lesson(MINIMAL.replace("expect: 6", "expect: null"))).questions[0]
    assert null.expect == Value.none() and null.has_expect


def test_a_known_wrong_answer_that_does_not_parse_is_a_load_error(load_error):
    err = load_error(WITH_WRONG)
    # '          - answer: "[1,,2]"': the second comma is column 25 of line 12
    assert (err.line, err.column) == (12, 25)
    assert err.field == "steps[0].ask[0].wrong[0].answer"
    assert err.message == "not an answer: unexpected ','"


@pytest.mark.parametrize(
    ("expect", "column", "field", "words"),
    [
        ("1,,2", 19, "steps[0].ask[0].expect", "unexpected ','"),
        ("[[1, 2], [3, y]]", 30, "steps[0].ask[0].expect[1][1]", "must be a number"),
        ("[[1, 2], [3]]", 17, "steps[0].ask[0].expect", "rows have different lengths"),
        ("x.grad", 18, "steps[0].ask[0].expect", "not allowed"),
    ],
)
def test_an_expect_that_does_not_parse_names_where(load_error, expect, column, field, words):
    err = load_error(MINIMAL.replace("expect: 6", f"expect: {expect}"))
    assert (err.line, err.column, err.field) == (10, column, field)
    assert words in err.message


def test_list_shows_the_lesson_broken(write_lesson, capsys):
    path = write_lesson(WITH_WRONG, "bad.yaml")
    assert main(["list", "--lessons", str(path.parent)]) == 0
    out, _ = capsys.readouterr()
    assert "BROKEN bad" in out
    assert f"{path}:12:25: steps[0].ask[0].wrong[0].answer: not an answer" in out
