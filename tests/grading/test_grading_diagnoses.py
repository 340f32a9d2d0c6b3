"""Each generic diagnosis: a concrete case that triggers it and cases that must not."""

from __future__ import annotations

import pytest

from autograd_tutor.grading import ScoringContext, parse_answer, score
from autograd_tutor.grading.diagnoses import RULES, close
from autograd_tutor.values import Value

NO_CONTEXT = ScoringContext()


def codes(typed: str, truth: Value, context: ScoringContext = NO_CONTEXT) -> list[str]:
    result = score(parse_answer(typed), truth, context=context)
    return [d.code for d in result.diagnoses]


def first(typed: str, truth: Value, context: ScoringContext = NO_CONTEXT) -> str:
    return score(parse_answer(typed), truth, context=context).feedback


def test_every_rule_has_a_docstring() -> None:
    for rule in RULES:
        assert rule.__doc__ and len(rule.__doc__.strip()) > 20


# -- sign ---------------------------------------------------------------------------------------


def test_sign_fires_for_the_negated_number() -> None:
    assert codes("-6", Value.number(6))[0] == "sign"
    assert "sign is flipped" in first("-6", Value.number(6))


def test_sign_fires_for_a_negated_tensor() -> None:
    assert codes("[-1, 2, 0]", Value.tensor([1.0, -2.0, 0.0]))[0] == "sign"


@pytest.mark.parametrize(
    ("typed", "truth"),
    [
        ("0.5", Value.number(0.0)),  # truth zero: nothing to flip
        ("[0, 0]", Value.tensor([0.0, 1e-9])),  # nonzero only below the tolerance
        ("-6", Value.number(7)),
        ("[-1, -2]", Value.tensor([1.0, 3.0])),  # only some elements flipped
    ],
)
def test_sign_does_not_fire(typed: str, truth: Value) -> None:
    assert "sign" not in codes(typed, truth)


# -- accumulation ---------------------------------------------------------------------------


def test_accumulation_fires_after_k_backward_calls() -> None:
    three = ScoringContext(backward_calls=3)
    assert codes("[1, 2]", Value.tensor([3.0, 6.0]), three)[0] == "accumulation"
    assert "3 calls without zeroing" in first("[1, 2]", Value.tensor([3.0, 6.0]), three)
    assert codes("4", Value.number(8), three)[0] == "accumulation"  # 2 of the 3 calls


@pytest.mark.parametrize(
    ("typed", "truth", "calls"),
    [
        ("6", Value.number(12), 1),  # one backward call: nothing added up
        ("6", Value.number(12), 0),
        ("4", Value.number(12), 2),  # factor 3 needs three calls
        ("0", Value.number(12), 5),  # k * 0 is never 12
        ("5", Value.number(12), 4),  # not a whole factor
    ],
)
def test_accumulation_does_not_fire(typed: str, truth: Value, calls: int) -> None:
    assert "accumulation" not in codes(typed, truth, ScoringContext(backward_calls=calls))


# -- mean -----------------------------------------------------------------------------------


def test_mean_fires_when_the_division_is_left_out() -> None:
    truth = Value.tensor([0.25, 0.5, 0.75, 1.0])
    assert codes("[1, 2, 3, 4]", truth)[0] == "mean"
    assert "factor 4" in first("[1, 2, 3, 4]", truth)


def test_mean_fires_when_dividing_where_there_is_a_sum() -> None:
    assert codes("[1/3, 1/3, 1/3]", Value.tensor([1.0, 1.0, 1.0]))[0] == "mean"


def test_mean_of_a_scalar_uses_the_averaged_forward_value() -> None:
    context = ScoringContext(forward_values={"x": Value.tensor([1.0, 2.0, 3.0])})
    assert codes("12", Value.number(4.0), context)[0] == "mean"


@pytest.mark.parametrize(
    ("typed", "truth", "forward"),
    [
        ("12", Value.number(4.0), {}),  # a single number, no averaged tensor around
        ("[0, 0]", Value.tensor([0.0, 0.0]), {}),  # zeros are right, and 0 * n = 0
        ("[2, 4]", Value.tensor([1.0, 3.0]), {}),  # not one factor for every element
        ("12", Value.number(4.0), {"w": Value.tensor(2.0, shape=())}),  # 1 element: no mean
    ],
)
def test_mean_does_not_fire(typed: str, truth: Value, forward: dict) -> None:
    assert "mean" not in codes(typed, truth, ScoringContext(forward_values=forward))


# -- None versus numbers --------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0", "0.0", "[0, 0]", "tensor(0.)"])
def test_zero_not_none_fires(typed: str) -> None:
    assert codes(typed, Value.none()) == ["zero_not_none"]


def test_zero_not_none_does_not_fire_on_a_zero_gradient() -> None:
    assert score(parse_answer("0"), Value.number(0.0)).verdict == "right"
    assert "zero_not_none" not in codes("0", Value.number(1.0))


def test_number_not_none_fires_for_a_nonzero_number() -> None:
    assert codes("3", Value.none()) == ["number_not_none"]
    assert codes("[1, 2]", Value.none()) == ["number_not_none"]


def test_number_not_none_does_not_fire_for_zero_or_other_kinds() -> None:
    assert "number_not_none" not in codes("0", Value.none())
    assert codes("True", Value.none()) == []


def test_none_not_gradient_fires_where_a_gradient_exists() -> None:
    assert codes("None", Value.tensor([1.0, 2.0])) == ["none_not_gradient"]
    assert "a gradient did flow here" in first("None", Value.number(2.0))


def test_none_not_gradient_does_not_fire_for_other_kinds() -> None:
    assert codes("None", Value.boolean(False)) == []
    assert codes("None", Value.name("AddBackward0")) == []


# -- transposed -----------------------------------------------------------------------------


def test_transposed_fires_for_a_non_square_matrix() -> None:
    truth = Value.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert codes("[[1, 4], [2, 5], [3, 6]]", truth)[0] == "transposed"
    assert "(2 x 3)" in first("[[1, 4], [2, 5], [3, 6]]", truth)


def test_transposed_fires_for_a_square_non_symmetric_matrix() -> None:
    truth = Value.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert codes("[[1, 3], [2, 4]]", truth)[0] == "transposed"


@pytest.mark.parametrize(
    ("typed", "truth"),
    [
        # symmetric: the transpose is the matrix itself, so a wrong answer is not "transposed"
        ("[[1, 2], [2, 0]]", Value.tensor([[1.0, 2.0], [2.0, 5.0]])),
        ("[[1, 2], [3, 4]]", Value.tensor([[1.0, 2.0], [3.0, 5.0]])),  # just wrong
        ("[1, 2, 3]", Value.tensor([[1.0], [2.0], [3.0]])),  # 1-D: no transpose
        ("[[1, 2], [3, 4], [5, 6]]", Value.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])),
    ],
)
def test_transposed_does_not_fire(typed: str, truth: Value) -> None:
    assert "transposed" not in codes(typed, truth)


# -- forward value --------------------------------------------------------------------------


def test_forward_value_names_the_tensor() -> None:
    context = ScoringContext(
        forward_values={"x": Value.tensor(3.0, shape=()), "y": Value.tensor(9.0, shape=())}
    )
    assert codes("9", Value.number(6.0), context)[0] == "forward_value"
    assert first("9", Value.number(6.0), context) == (
        "that is the value of y (the forward pass), not its gradient"
    )


def test_forward_value_for_a_tensor() -> None:
    context = ScoringContext(forward_values={"y": Value.tensor([1.0, 4.0])})
    assert codes("[1, 4]", Value.tensor([2.0, 4.0]), context)[0] == "forward_value"


@pytest.mark.parametrize(
    ("typed", "truth", "forward"),
    [
        ("9", Value.number(6.0), {}),
        ("5", Value.number(6.0), {"y": Value.tensor(9.0, shape=())}),
        ("[1, 4]", Value.tensor([2.0, 4.0]), {"y": Value.tensor([1.0, 4.0, 5.0])}),
        # a forward value equal to the truth says nothing about a wrong answer
        ("7", Value.number(6.0), {"g": Value.number(6.0)}),
    ],
)
def test_forward_value_does_not_fire(typed: str, truth: Value, forward: dict) -> None:
    assert "forward_value" not in codes(typed, truth, ScoringContext(forward_values=forward))


# -- the numeric rule they share ------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (1.0, 1.00001, True),
        (1.0, 1.001, False),
        (0.0, 5e-5, True),
        (float("nan"), float("nan"), True),
        (float("nan"), 0.0, False),
        (float("inf"), float("inf"), True),
        (float("inf"), float("-inf"), False),
        (10**400, 10**400, True),
        (True, 1, True),
    ],
)
def test_close(a: float, b: float, equal: bool) -> None:
    assert close(a, b, 1e-4) is equal
