"""The scorer: tolerance, shapes, element credit, hints, skips and the order of feedback."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_tutor.grading import (
    DEFAULT_TOLERANCE,
    ScoringContext,
    hint_factor,
    parse_answer,
    same_value,
    score,
)
from autograd_tutor.values import Value

GRAD_3X3 = [[16, 33, 5], [56, 85, 33], [161, 120, 56]]


def judge(typed: str, truth: Value, **kwargs: object):
    return score(parse_answer(typed), truth, **kwargs)


# -- verdict table --------------------------------------------------------------------------

VERDICTS = [
    # (typed, truth, verdict, raw credit)
    ("8", Value.number(8), "right", 1.0),
    ("8.00001", Value.number(8), "right", 1.0),  # within the default tolerance
    ("8.01", Value.number(8), "wrong", 0.0),
    ("3*3**2 + 4*3 - 5", Value.number(34.0), "right", 1.0),
    ("1/3", Value.number(0.33333334), "right", 1.0),  # float32 from torch
    ("0.00001", Value.number(0.0), "right", 1.0),  # absolute tolerance near zero
    ("1e6 + 50", Value.number(1e6), "right", 1.0),  # relative tolerance for big numbers
    ("1e6 + 500", Value.number(1e6), "wrong", 0.0),
    ("nan", Value.number(math.nan), "right", 1.0),
    ("nan", Value.number(1.0), "wrong", 0.0),
    ("inf", Value.number(math.inf), "right", 1.0),
    ("-inf", Value.number(math.inf), "wrong", 0.0),
    ("8", Value.tensor(8.0, shape=()), "right", 1.0),  # number vs 0-d tensor
    ("8", Value.tensor([[8.0]]), "right", 1.0),  # number vs one-element tensor
    ("tensor(8., grad_fn=<MulBackward0>)", Value.number(8), "right", 1.0),
    ("[8]", Value.tensor(8.0, shape=()), "wrong", 0.0),  # a list has a shape
    ("None", Value.none(), "right", 1.0),
    ("0", Value.none(), "wrong", 0.0),
    ("None", Value.number(0), "wrong", 0.0),
    ("true", Value.boolean(True), "right", 1.0),
    ("False", Value.boolean(True), "wrong", 0.0),
    ("1", Value.boolean(True), "wrong", 0.0),  # bools compare exactly
    ("True", Value.tensor(True, shape=()), "right", 1.0),
    ("(3, 3)", Value.size([3, 3]), "right", 1.0),
    ("torch.Size([3, 3])", Value.size([3, 3]), "right", 1.0),
    ("[3, 3]", Value.size([3, 3]), "right", 1.0),  # a list of whole numbers as a shape
    ("[3, 3.5]", Value.size([3, 3]), "wrong", 0.0),
    ("(3,)", Value.size([3, 3]), "wrong", 0.0),
    ("()", Value.size([]), "right", 1.0),
    ("PowBackward0", Value.name("PowBackward0"), "right", 1.0),
    ("powbackward0", Value.name("PowBackward0"), "right", 1.0),  # names ignore case
    ("PowBackward", Value.name("PowBackward0"), "right", 1.0),  # version digit left out
    ("PowBackward1", Value.name("PowBackward0"), "wrong", 0.0),
    ("MulBackward0", Value.name("PowBackward0"), "wrong", 0.0),
    ("<PowBackward0 object at 0x7f00>", Value.name("PowBackward0"), "right", 1.0),
    ("[[1, 2], [3, 4]]", Value.tensor([[1.0, 2.0], [3.0, 4.0]]), "right", 1.0),
    ("[1, 2, 3]", Value.tensor([1.0, 2.0, 4.0]), "partial", 2 / 3),
    ("[9, 9, 9]", Value.tensor([1.0, 2.0, 4.0]), "wrong", 0.0),
    ("[1, 2]", Value.tensor([1.0, 2.0, 4.0]), "wrong", 0.0),
    ("[]", Value.tensor([]), "right", 1.0),
    ("8", Value("other", "<object>"), "wrong", 0.0),
    ("8", Value("tensor", None, shape=(1,)), "wrong", 0.0),  # too big: the worker sent no data
]


@pytest.mark.parametrize(("typed", "truth", "verdict", "credit"), VERDICTS)
def test_verdicts(typed: str, truth: Value, verdict: str, credit: float) -> None:
    result = judge(typed, truth)
    assert result.verdict == verdict
    assert result.raw_credit == pytest.approx(credit)
    assert result.credit == pytest.approx(credit)
    assert (result.feedback == "") == (verdict == "right")


def test_per_question_tolerance_overrides_the_default() -> None:
    assert judge("8.01", Value.number(8)).verdict == "wrong"
    assert judge("8.01", Value.number(8), tolerance=0.01).verdict == "right"
    assert judge("8.00001", Value.number(8), tolerance=0.0).verdict == "wrong"


def test_default_tolerance_is_small() -> None:
    assert 0 < DEFAULT_TOLERANCE <= 1e-3


# -- the seed lessons' traps ----------------------------------------------------------------


def test_3x3_gradient_with_one_element_wrong_gets_8_of_9_and_names_it() -> None:
    result = judge("[[16, 33, 5], [56, 85, 30], [161, 120, 56]]", Value.tensor(GRAD_3X3))
    assert result.verdict == "partial"
    assert result.raw_credit == pytest.approx(8 / 9)
    assert result.wrong_elements == ((1, 2),)
    assert "[1][2] is 33, you said 30" in result.feedback
    assert "1 of 9" in result.feedback
    assert result.diagnoses[-1].code == "elements"


def test_many_wrong_elements_are_capped_in_the_feedback() -> None:
    result = judge("[[0, 0, 0], [0, 0, 0], [0, 0, 0]]", Value.tensor(GRAD_3X3))
    assert result.verdict == "wrong"
    assert len(result.wrong_elements) == 9
    assert "9 of 9 elements are off" in result.feedback
    assert "and 5 more" in result.feedback
    assert "[2][2]" not in result.feedback


def test_twelve_versus_six_after_two_backward_calls_is_accumulation() -> None:
    result = judge("6", Value.number(12.0), context=ScoringContext(backward_calls=2))
    assert result.verdict == "wrong"
    assert result.diagnoses[0].code == "accumulation"
    assert "2 calls without zeroing" in result.feedback


def test_zero_versus_none_after_detach() -> None:
    result = judge("0", Value.none())
    assert result.verdict == "wrong"
    assert result.diagnoses[0].code == "zero_not_none"
    assert "it is not 0" in result.feedback


def test_wrong_shape_names_both_shapes() -> None:
    result = judge("[1, 2]", Value.tensor([[1.0], [2.0], [3.0]]))
    assert result.verdict == "wrong"
    assert result.diagnoses[-1].code == "shape"
    assert "[3, 1]" in result.feedback and "[2]" in result.feedback


def test_wrong_torch_size_names_both_shapes() -> None:
    result = judge("(3,)", Value.size([3, 3]))
    assert result.diagnoses[-1].code == "shape"
    assert "torch.Size([3, 3])" in result.feedback and "torch.Size([3])" in result.feedback


def test_plain_wrong_number_says_what_torch_gives() -> None:
    result = judge("5", Value.number(7))
    assert result.diagnoses == ()
    assert result.feedback == "torch gives 7, you said 5"


# -- skip and hints -------------------------------------------------------------------------


def test_skip_scores_zero_and_reveals() -> None:
    result = score(None, Value.tensor([1.0, 2.0]))
    assert (result.verdict, result.credit, result.raw_credit) == ("skipped", 0.0, 0.0)
    assert "tensor([1, 2])" in result.feedback


@pytest.mark.parametrize(("hints", "factor"), [(0, 1.0), (1, 0.75), (2, 0.5), (3, 0.25), (9, 0.25)])
def test_hint_factor(hints: int, factor: float) -> None:
    assert hint_factor(hints) == pytest.approx(factor)


def test_hints_lower_the_credit_not_the_verdict() -> None:
    right = judge("8", Value.number(8), hints_used=2)
    assert (right.verdict, right.raw_credit, right.credit, right.hints_used) == (
        "right",
        1.0,
        0.5,
        2,
    )
    partial = judge("[1, 2, 3]", Value.tensor([1.0, 2.0, 4.0]), hints_used=1)
    assert partial.verdict == "partial"
    assert partial.credit == pytest.approx(2 / 3 * 0.75)


def test_negative_hints_count_as_none() -> None:
    assert hint_factor(-3) == 1.0


# -- feedback order -------------------------------------------------------------------------


def test_known_wrong_answer_comes_first() -> None:
    says = "8 is the forward value; the chain rule multiplies by 3"
    result = judge(
        "-6",
        Value.number(6),
        known_wrong=[(Value.number(-6.00001), says)],
    )
    assert result.diagnoses[0].code == "known_wrong"
    assert result.feedback == says
    assert [d.code for d in result.diagnoses] == ["known_wrong", "sign"]


def test_known_wrong_answer_must_match_within_tolerance() -> None:
    result = judge("-6", Value.number(6), known_wrong=[(Value.number(-7), "no")])
    assert result.diagnoses[0].code == "sign"


def test_known_wrong_none_matches_a_typed_none() -> None:
    result = judge("None", Value.number(2), known_wrong=[(Value.none(), "x requires grad")])
    assert result.feedback == "x requires grad"


def test_a_right_answer_has_no_diagnoses_even_if_listed_as_wrong() -> None:
    result = judge("6", Value.number(6), known_wrong=[(Value.number(6), "no")])
    assert (result.verdict, result.diagnoses) == ("right", ())


# -- same_value (the check command) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Value.number(8), Value.tensor(8.0, shape=()), True),
        (Value.number(8), Value.number(8.00001), True),
        (Value.none(), Value.none(), True),
        (Value.none(), Value.number(0), False),
        (Value.tensor([1, 2]), Value.tensor([1.0, 2.0], dtype="torch.float32"), True),
        (Value.tensor([1, 2]), Value.tensor([1.0, 3.0]), False),
        (Value.tensor([3, 3]), Value.size([3, 3]), True),
        (Value.name("AddBackward0"), Value.name("addbackward0"), True),
        (Value.number(math.nan), Value.number(math.nan), True),
        (Value.number(10**400), Value.number(10**400), True),
        (Value.number(10**400), Value.number(1.0), False),
    ],
)
def test_same_value(a: Value, b: Value, same: bool) -> None:
    assert same_value(a, b) is same


def test_same_value_uses_the_given_tolerance() -> None:
    assert not same_value(Value.number(1.0), Value.number(1.05))
    assert same_value(Value.number(1.0), Value.number(1.05), 0.1)


# -- robustness -----------------------------------------------------------------------------

values = st.one_of(
    st.builds(Value.number, st.one_of(st.integers(-(10**20), 10**20), st.floats())),
    st.just(Value.none()),
    st.builds(Value.boolean, st.booleans()),
    st.builds(Value.size, st.lists(st.integers(0, 5), max_size=3)),
    st.builds(Value.name, st.sampled_from(["PowBackward0", "powbackward", "x", ""])),
    st.builds(Value.tensor, st.lists(st.floats(), max_size=4)),
    st.builds(Value.tensor, st.lists(st.lists(st.integers(-3, 3), min_size=2, max_size=2))),
    st.builds(lambda x: Value.tensor(x, shape=()), st.floats()),
    st.just(Value("tensor", None, shape=(300, 300))),
    st.just(Value("text", "abc")),
    st.just(Value("other", "<object>")),
)


@settings(max_examples=300, deadline=None)
@given(
    values,
    values,
    st.integers(0, 5),
    st.integers(0, 4),
    st.dictionaries(st.sampled_from(["x", "y"]), values, max_size=2),
    st.lists(values, max_size=2),
)
def test_score_never_raises_and_stays_in_range(
    prediction: Value,
    truth: Value,
    hints: int,
    calls: int,
    forward: dict,
    wrongs: list,
) -> None:
    context = ScoringContext(backward_calls=calls, forward_values=forward)
    known = [(w, f"wrong {i}") for i, w in enumerate(wrongs)]
    result = score(prediction, truth, hints_used=hints, context=context, known_wrong=known)
    assert result.verdict in ("right", "partial", "wrong")
    assert 0.0 <= result.credit <= result.raw_credit <= 1.0
    assert (result.verdict == "right") == (result.raw_credit == 1.0)
    assert same_value(prediction, truth) == (result.verdict == "right")
    assert isinstance(result.feedback, str)
