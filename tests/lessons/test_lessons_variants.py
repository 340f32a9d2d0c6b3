"""Lesson parameters and variants (lessons/params.py, lessons/variants.py, the loader): the
author's expressions in a small language, {a} in text and code, expect and wrong answers of
each variant, errors that name the variant, and a learner's variant drawn from their name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.loader import load_lesson, load_lessons
from autograd_tutor.lessons.params import ParamError, evaluate, format_text, format_value
from autograd_tutor.lessons.variants import (
    check_sample,
    draw,
    for_learner,
    instantiate,
    learner_order,
)
from autograd_tutor.values import Value

SQUARE = """\
id: square
title: Square
params:
  a: {choice: [4, 3, 5]}
  b: {range: [-1, 1]}
require: b != 0
steps:
  - title: "x = {a}"
    explain: "Here x = {a} and the factor is {b}; a set {{1}} stays a set."
    code: |
      x = torch.tensor({a}.0, requires_grad=True)
      y = b * x ** 2
      y.backward()
    ask:
      - expr: x.grad
        prompt: "x = {a}, y = {b} * x**2. x.grad = ?"
        expect: 2 * a * b
        hints: ["the slope of {b}x^2 is {2*b}x"]
        wrong:
          - answer: a ** 2 * b
            says: "{a**2 * b} is y itself."
      - expr: torch.stack([x.grad, x.grad])
        expect: "[2*a*b, 2*a*b]"
"""

SIX = (
    "first-gradient",
    "backprop-by-hand",
    "polynomial-gradient",
    "two-layer-chain",
    "accumulation-trap",
    "detach",
)


@pytest.fixture
def square(write_lesson: Callable[..., Path]):
    return load_lesson(write_lesson(SQUARE))


def test_the_default_variant_is_the_first_values_and_reads_like_a_plain_lesson(square) -> None:
    assert square.variant == {"a": 4, "b": -1}
    assert square.variant_label == "a=4, b=-1"
    step = square.steps[0]
    assert step.title == "x = 4"
    assert step.explain == "Here x = 4 and the factor is -1; a set {1} stays a set."
    assert step.code.startswith("x = torch.tensor(4.0, requires_grad=True)")
    grad, stacked = step.questions
    assert grad.prompt == "x = 4, y = -1 * x**2. x.grad = ?"
    assert grad.hints == ("the slope of -1x^2 is -2x",)
    assert grad.expect == Value.number(-8)
    assert grad.wrong[0].answer == Value.number(-16)
    assert grad.wrong[0].says == "-16 is y itself."
    assert stacked.expect == Value.tensor([-8, -8])
    assert square.prelude == "a = 4\nb = -1\n"


def test_another_variant_has_its_own_numbers_everywhere(square) -> None:
    other = instantiate(square, {"a": 3, "b": 1})
    assert other.variant_label == "a=3, b=1"
    assert other.steps[0].code.startswith("x = torch.tensor(3.0,")
    assert other.questions[0].expect == Value.number(6)
    assert other.questions[0].wrong[0].says == "9 is y itself."
    assert other.content_hash == square.content_hash  # one file, many variants
    assert instantiate(square, square.variant) is square


def test_combinations_leave_out_what_require_refuses(square) -> None:
    combos = square.params.combinations()
    assert len(combos) == 6
    assert all(v["b"] != 0 for v in combos)
    assert check_sample(square) == (combos, 6)


def test_a_variant_that_is_not_one_is_an_error_naming_it(square) -> None:
    with pytest.raises(LessonError, match=r"a=3, b=0 is not a variant"):
        instantiate(square, {"a": 3, "b": 0})


def test_a_failing_expression_names_the_variant_and_the_field(write_lesson) -> None:
    text = SQUARE.replace("expect: 2 * a * b", "expect: 2 / (a - 3)")
    lesson = load_lesson(write_lesson(text))
    with pytest.raises(LessonError) as info:
        instantiate(lesson, {"a": 3, "b": 1})
    message = str(info.value)
    assert "steps[0].ask[0].expect" in message
    assert "with a=3, b=1: " in message
    assert "division by zero" in message


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("{a} and the", "{aa} and the"), "no parameter 'aa' (known: a, b)"),
        (("require: b != 0", "require: b != 0 and c"), "unknown name 'c'"),
        (("require: b != 0", "require: b != -1"), "do not meet 'require'"),
        (("{range: [-1, 1]}", "{range: [1, 5000]}"), "at most 1000 values"),
        (("{range: [-1, 1]}", "{choice: [1, 1]}"), "1 is listed twice"),
        (("{range: [-1, 1]}", "{choice: [1], range: [1, 2]}"), "either 'choice' or 'range'"),
        (("{range: [-1, 1]}", "{choice: [x]}"), "expected a number"),
        (("  b: {range", "  torch: {range"), "a name the lesson code needs"),
        (("expect: 2 * a * b", "expect: a.__class__"), "is not allowed here"),
        (("expect: 2 * a * b", "expect: a ** 100"), "an exponent of 100 is too large"),
        (("{a**2 * b}", "{__import__('os').system('x') + a}"), "is not allowed here"),
    ],
)
def test_bad_parameters_are_load_errors_that_say_where_and_what(
    load_error, change: tuple[str, str], words: str
) -> None:
    old, new = change
    assert old in SQUARE
    error = load_error(SQUARE.replace(old, new, 1))
    assert words in str(error)
    assert error.line is not None


def test_the_evaluator_knows_only_the_small_language() -> None:
    env = {"a": 3, "b": -1}
    assert evaluate("2*a + b", env) == 5
    assert evaluate("[[2*a, 0], [0, 2*a]]", env) == [[6, 0], [0, 6]]
    assert evaluate("a if b < 0 else -a", env) == 3
    assert evaluate("abs(b) + max(a, 7) + round(a / 2)", env) == 10
    assert evaluate("a != b and not b == 0", env) is True
    for hostile in (
        "open('x')",
        "a.real",
        "[x for x in (1, 2)]",
        "lambda: 1",
        "'text'",
        "(9 ** 9) ** 9 ** 9",
        "10 ** 40",
        "min",
    ):
        with pytest.raises(ParamError):
            evaluate(hostile, env)


def test_values_are_written_as_a_learner_types_them() -> None:
    assert [format_value(v) for v in (3, -1, 0.5, 2.0, -0.0, 1 / 3)] == [
        "3",
        "-1",
        "0.5",
        "2",
        "0",
        "0.3333333333",
    ]
    assert format_text("{a}, {{a}}, {a*0.5}, {x}", {"a": 3, "x": 1}) == "3, {a}, 1.5, 1"
    assert format_text("no params {here}", {}) == "no params {here}"


def test_a_learner_variant_is_fixed_by_name_lesson_and_take(square) -> None:
    assert draw(square, None) == square.variant  # no name: the seed values
    assert draw(square, "ada") == draw(square, "ada")
    order = learner_order(square, "ada")
    assert sorted(map(str, order)) == sorted(map(str, square.params.combinations()))
    takes = [draw(square, "ada", take) for take in range(6)]
    assert len({str(v) for v in takes}) == 6  # a retake has new numbers until all are used
    assert draw(square, "ada", 6) == takes[0]


def test_an_unfinished_lesson_keeps_its_numbers_and_old_attempts_are_the_default(
    square,
) -> None:
    class Old:  # an attempt from before variants: no variant, no take
        variant: dict[str, int] = {}
        take = 0

    mine, take = for_learner(square, "ada", [Old()])
    assert (mine.variant, take) == (square.variant, 0)

    class Later:
        variant = {"a": 5, "b": 1}
        take = 2

    mine, take = for_learner(square, "ada", [Old(), Later()])
    assert (mine.variant, take) == ({"a": 5, "b": 1}, 2)
    fresh, take = for_learner(square, "ada", [])
    assert (fresh.variant, take) == (draw(square, "ada"), 0)


def test_six_bundled_lessons_give_two_learners_different_numbers() -> None:
    lessons, broken = load_lessons()
    assert broken == []
    by_id = {lesson.id: lesson for lesson in lessons}
    for lesson_id in SIX:
        lesson = by_id[lesson_id]
        assert lesson.params is not None, lesson_id
        assert len(lesson.params.combinations()) >= 4, lesson_id
        ada = instantiate(lesson, draw(lesson, "ada"))
        bob = instantiate(lesson, draw(lesson, "bob"))
        assert ada.variant != bob.variant, lesson_id
        expects = [(q.expect, r.expect) for q, r in zip(ada.questions, bob.questions, strict=True)]
        assert any(a != b for a, b in expects), lesson_id


def test_the_seed_values_are_the_default_variant_of_the_seed_lessons() -> None:
    lessons, _ = load_lessons()
    by_id = {lesson.id: lesson for lesson in lessons}
    first = by_id["first-gradient"]
    assert "torch.tensor(4.0" in first.steps[0].code
    assert first.questions[1].expect == Value.number(8)
    chain = by_id["two-layer-chain"]
    assert [q.expect for q in chain.steps[1].questions] == [
        Value.number(6.5),
        Value.number(-1),
        Value.number(-2),
        Value.number(-3),
    ]


PRACTICE = """\
id: scaled
title: Scaled
params:
  a: {choice: [2, 3]}
steps:
  - title: "Fit y = {a}x"
    explain: "The data follow y = {a} * x."
    code: |
      x = torch.tensor([1.0, 2.0])
      w = torch.tensor(0.0, requires_grad=True)
    exercise:
      starter: |
        target = {a} * x  # TODO the loop
      solution: |
        for i in range(200):
            loss = ((w * x - {a} * x) ** 2).mean()
            loss.backward()
            with torch.no_grad():
                w -= 0.1 * w.grad
            w.grad.zero_()
      checks:
        - expr: abs(w.item() - a) < 0.01
          says: "w should end near {a}, the slope of the data"
  - title: "Learning rates for y = {a}x"
    code: |
      v = torch.tensor(0.0, requires_grad=True)
      for i in range(30):
          loss = ((v * x - {a} * x) ** 2).mean()
          loss.backward()
          with torch.no_grad():
              v -= lr * v.grad
              v.grad.zero_()
    experiment:
      knobs:
        lr: [0.01, 0.1]
      prompt: "Which learning rate gets v to {a} in 30 steps?"
      outcomes:
        - name: converges
          when: "losses[-1] < 0.01"
          explain: "v reached {a}: the loss is near 0."
        - {name: slow, when: "True", explain: "v is still short of {a}; {{no}} format here."}
"""


def test_experiment_and_exercise_text_show_the_variants_numbers(write_lesson) -> None:
    """An experiment's prompt and outcomes and an exercise's check messages are formatted
    like a question's text: ``{a}`` is the variant's value, ``{{`` a brace."""
    lesson = load_lesson(write_lesson(PRACTICE))
    for a, mine in ((2, lesson), (3, instantiate(lesson, {"a": 3}))):
        exercise, experiment = mine.steps
        assert exercise.title == f"Fit y = {a}x"
        assert exercise.exercise.starter == f"target = {a} * x  # TODO the loop\n"
        assert exercise.exercise.checks[0].says == f"w should end near {a}, the slope of the data"
        assert experiment.experiment.prompt == f"Which learning rate gets v to {a} in 30 steps?"
        converges, slow = experiment.experiment.outcomes
        assert converges.explain == f"v reached {a}: the loss is near 0."
        assert slow.explain == f"v is still short of {a}; {{no}} format here."
