"""The author's warning for answers given away before the run (``lessons/leaks.py``): it fires
where the pre-run text states an expected value, and stays quiet on formulas, on the setting
the code itself shows, and on every bundled lesson."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from autograd_tutor.lessons.leaks import Leak, find_leaks
from autograd_tutor.lessons.loader import load_lesson, load_lessons

POWER = """\
x = torch.tensor(4.0, requires_grad=True)
y = x ** 2
y.backward()
"""


def lesson_text(explain: str = "", hints: list[str] | None = None, **question: str) -> str:
    """A one-step lesson: y = x**2 at x = 4, asking for x.grad (8) unless told otherwise."""
    fields = {"expr": "x.grad", "expect": "8", **question}
    lines = ["id: leaky", "title: Leaky", "steps:", "  - title: Power"]
    if explain:
        lines.append("    explain: |")
        lines += ["      " + line for line in textwrap.dedent(explain).strip().splitlines()]
    lines.append("    code: |")
    lines += ["      " + line for line in POWER.splitlines()]
    lines.append("    ask:")
    lines.append(f"      - expr: {fields.pop('expr')}")
    for key, value in fields.items():
        lines.append(f"        {key}: {value}")
    if hints:
        lines.append("        hints:")
        lines += [f"          - {hint!r}".replace("'", '"') for hint in hints]
    return "\n".join(lines) + "\n"


@pytest.fixture
def leaks_in(write_lesson: Callable[..., Path]) -> Callable[..., list[Leak]]:
    def _leaks(text: str) -> list[Leak]:
        return find_leaks(load_lesson(write_lesson(text)))

    return _leaks


def test_a_stated_gradient_is_a_leak_with_its_file_line(leaks_in) -> None:
    text = lesson_text("The slope of x**2 is 2x.\nAt this x:\ndy/dx = 2 * 4 = 8.")
    leaks = leaks_in(text)
    assert [(leak.found, leak.where, leak.step) for leak in leaks] == [
        ("2 * 4", "explanation", 1),
        ("8", "explanation", 1),
    ]
    line = text.splitlines().index("      dy/dx = 2 * 4 = 8.") + 1
    assert {leak.line for leak in leaks} == {line}
    assert (
        leaks[1]
        .message()
        .endswith(
            f":{line}: step 1, explanation: '8' gives away x.grad = 8 before the learner predicts"
        )
    )


@pytest.mark.parametrize(
    ("explain", "expr", "expect"),
    [
        # exponent and coefficient: the rule, not a value
        ("y = x**2, so dy/dx = 2x.", "x.grad / 4", "2"),
        # the setting: a literal in the code
        ("Here y = x^2 with x = 4.", "x", "4"),
        # a coefficient of a symbol
        ("d loss/d w = -2 * mean(x * y)", "-x.grad / 4", "-2"),
        ("8 * w is the other factor.", "x.grad", "8"),
        ("Note that (-1)^2 is positive.", "x.grad / 4", "2"),
        # digits inside words
        ("A 3x3 tensor, w3 and x3.", "x.grad - 5", "3"),
        # Markdown list markers
        ("1. Square x.\n2. Differentiate.", "x.grad / 4", "2"),
    ],
)
def test_formulas_and_the_setting_are_not_leaks(leaks_in, explain, expr, expect) -> None:
    assert leaks_in(lesson_text(explain, expr=expr, expect=expect)) == []
    # the same question is caught when the text does state its value
    stated = leaks_in(
        lesson_text(f"{explain}\nIt comes out at {expect}.", expr=expr, expect=expect)
    )
    if expect != "4":
        assert [leak.found for leak in stated] == [expect]


def test_arithmetic_that_comes_out_right_is_a_leak(leaks_in) -> None:
    leaks = leaks_in(lesson_text("", hints=["Twice x: 2 * 4.", "That is 8."]))
    assert [(leak.where, leak.found) for leak in leaks] == [("first hint of x.grad", "2 * 4")]


def test_only_the_first_hint_is_checked(leaks_in) -> None:
    assert leaks_in(lesson_text("", hints=["The slope of x**2 is 2x.", "2 * 4 = 8."])) == []


def test_the_prompt_and_code_comments_are_read_before_the_run(leaks_in) -> None:
    leaks = leaks_in(lesson_text("", prompt='"x.grad = ? (hint: 8)"'))
    assert [leak.where for leak in leaks] == ["prompt of x.grad"]
    text = lesson_text("").replace("y.backward()", "y.backward()  # x.grad becomes 8")
    assert [(leak.where, leak.found) for leak in leaks_in(text)] == [("code comment", "8")]


def test_a_tolerance_widens_what_counts_as_stated(leaks_in) -> None:
    about = "The gradient is about 7.9."
    assert leaks_in(lesson_text(about)) == []
    assert [leak.found for leak in leaks_in(lesson_text(about, tolerance="0.05"))] == ["7.9"]


def test_the_sign_matters(leaks_in) -> None:
    assert leaks_in(lesson_text("It is -8 or 8?", expect="-8"))[0].found == "-8"
    assert leaks_in(lesson_text("Subtract 8 from y.", expect="-8")) == []


def test_zero_and_one_count_only_when_stated_as_the_value(leaks_in) -> None:
    quiet = "Step 1 squares x; backward() adds 1 path."
    assert leaks_in(lesson_text(quiet, expr="x.grad / 8", expect="1")) == []
    leaks = leaks_in(lesson_text("The ratio is 1 here.", expr="x.grad / 8", expect="1"))
    assert [leak.found for leak in leaks] == ["1"]
    leaks = leaks_in(lesson_text("Compare 9 - 8 with it.", expr="x.grad / 8", expect="1"))
    assert [leak.found for leak in leaks] == ["9 - 8"]


def test_a_tensor_or_one_of_its_rows_is_a_leak(write_lesson) -> None:
    text = textwrap.dedent(
        """\
        id: rows
        title: Rows
        steps:
          - explain: |
              Start from [[1, 2], [3, 4]]; the top row of the answer is [2, 4].
            code: |
              t = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
              (t ** 2).sum().backward()
            ask:
              - expr: t.grad
                expect: [[2, 4], [6, 8]]
                hints: ["The whole answer: [[2.0, 4.0], [6.0, 8.0]]."]
        """
    )
    leaks = find_leaks(load_lesson(write_lesson(text)))
    assert [(leak.where, leak.found) for leak in leaks] == [
        ("explanation", "[2, 4]"),
        ("first hint of t.grad", "[[2.0, 4.0], [6.0, 8.0]]"),
    ]


def test_a_list_written_in_the_code_is_the_setting(write_lesson) -> None:
    text = textwrap.dedent(
        """\
        id: setting
        title: Setting
        steps:
          - explain: |
              t = [1, 2] is a plain tensor.
            code: |
              t = torch.tensor([1.0, 2.0])
            ask:
              - expr: t
                expect: [1, 2]
        """
    )
    assert find_leaks(load_lesson(write_lesson(text))) == []
    leaky = text.replace("[1.0, 2.0]", "[1.0, 1.0] * 2")
    leaky = leaky.replace("[1, 2]\n", "[2, 2]\n").replace("t = [1, 2] is", "t = [2, 2] is")
    assert [leak.found for leak in find_leaks(load_lesson(write_lesson(leaky)))] == ["[2, 2]"]


def test_a_node_name_is_a_leak(leaks_in) -> None:
    leaks = leaks_in(lesson_text("`**` records a PowBackward0.", expr="y.grad_fn", expect="Pow"))
    assert leaks == []  # the answer there is Pow, a different name
    leaks = leaks_in(
        lesson_text("`**` records a PowBackward0.", expr="y.grad_fn", expect="PowBackward0")
    )
    assert [leak.found for leak in leaks] == ["PowBackward0"]


def test_one_spot_that_gives_away_two_answers_is_one_warning(write_lesson) -> None:
    text = textwrap.dedent(
        """\
        id: twice
        title: Twice
        steps:
          - explain: |
              Both come out at 8.
            code: |
              x = torch.tensor(4.0, requires_grad=True)
              y = 2 * x
              (x ** 2).backward()
            ask:
              - expr: x.grad
                expect: 8
              - expr: y
                expect: 8
        """
    )
    (leak,) = find_leaks(load_lesson(write_lesson(text)))
    assert leak.answers == ("x.grad = 8", "y = 8")
    assert "gives away x.grad = 8 and y = 8" in leak.message()


def test_no_bundled_lesson_gives_an_answer_away() -> None:
    lessons, broken = load_lessons()
    assert broken == [] and len(lessons) >= 7
    for lesson in lessons:
        assert [leak.message() for leak in find_leaks(lesson)] == []


@pytest.mark.parametrize(
    "explain",
    [
        "[[1, 2], [3",  # a list that never closes
        "]] [1, [2, 3]] [[",  # ragged, stray brackets
        "1e999 and -1e999 and 1/0 and 0/0",  # inf, division by zero
        "10**10**10 and 9^999999",  # huge powers are not evaluated
        "(-8)**0.5",  # a complex result
        "[1e999, 2]",  # inf inside a list
        "1 + " * 300 + "1",  # long arithmetic is not evaluated
    ],
)
def test_odd_text_never_breaks_the_check(leaks_in, explain: str) -> None:
    assert leaks_in(lesson_text(explain)) == []
    pair = lesson_text(explain, expr="torch.stack([x.grad, x.grad])", expect="[8, 8]")
    assert leaks_in(pair) == []
