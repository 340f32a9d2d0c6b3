"""Typed text of the wrong kind is refused with the kind wanted, never scored as wrong."""

from __future__ import annotations

import pytest

from autograd_tutor.grading import AnswerSyntaxError, expect_value, parse_prediction, placeholder
from autograd_tutor.values import Value


@pytest.mark.parametrize("typed", ["yes", "T", "1", "0", "[1]"])
def test_bool_question_refuses_anything_but_true_false(typed: str) -> None:
    with pytest.raises(AnswerSyntaxError) as err:
        parse_prediction(typed, Value.boolean(True))
    assert "True or False" in err.value.message


def test_bool_question_takes_true_false_in_any_case() -> None:
    assert parse_prediction("false", Value.boolean(True)) == Value.boolean(False)


def test_bare_name_refused_for_a_number_and_named_in_the_message() -> None:
    with pytest.raises(AnswerSyntaxError) as err:
        parse_prediction("y", Value.number(6))
    assert "'y' is a name" in err.value.message and "number" in err.value.message


def test_decimal_comma_is_refused_with_the_fix_and_column() -> None:
    with pytest.raises(AnswerSyntaxError) as err:
        parse_prediction("6,5", Value.number(6.5))
    assert err.value.column == 2
    assert "6.5" in err.value.message


def test_gradient_questions_take_numbers_tensors_and_none() -> None:
    grad = expect_value([[1, 2], [3, 4]])
    assert parse_prediction("[[1, 2], [3, 4]]", grad).kind == "tensor"
    assert parse_prediction("0", grad).kind == "number"
    assert parse_prediction("None", Value.number(6)).kind == "none"
    assert parse_prediction("0", Value.none()).kind == "number"  # zero vs None is diagnosed


def test_shape_question_takes_a_list_of_ints_as_the_shape() -> None:
    shape = Value.size([3, 3])
    assert parse_prediction("[3, 3]", shape) == Value.size([3, 3])
    assert parse_prediction("torch.Size([3, 3])", shape) == Value.size([3, 3])
    with pytest.raises(AnswerSyntaxError):
        parse_prediction("9", shape)


def test_name_question_refuses_a_number() -> None:
    with pytest.raises(AnswerSyntaxError) as err:
        parse_prediction("8", Value.name("MulBackward0"))
    assert "node name" in err.value.message


def test_placeholder_fits_the_kind() -> None:
    assert placeholder(Value.boolean(True)) == "True or False"
    assert "shape" in placeholder(Value.size([2]))
    assert "Backward0" in placeholder(Value.name("PowBackward0"))
    assert "None" in placeholder(None)


def test_placeholder_holds_no_value_and_depends_on_the_kind_alone() -> None:
    """'e.g. 6' under a field whose answer is 6 gives it away; so would an example that is
    dropped only when it is the answer. Same kind, same placeholder, and no digits in it."""
    for kind_values in (
        [Value.number(6), Value.number(-0.5), Value.number(0)],
        [Value.size([3, 3]), Value.size([2])],
        [Value.name("MulBackward0"), Value.name("PowBackward0")],
    ):
        shown = {placeholder(v) for v in kind_values}
        assert len(shown) == 1, shown
        assert not any(ch.isdigit() for ch in shown.pop().replace("Backward0", ""))


def test_refusals_name_the_form_and_no_example_value() -> None:
    for typed, expect in (
        ("y", Value.number(6)),
        ("9", Value.size([3, 3])),
        ("8", Value.name("MulBackward0")),
    ):
        with pytest.raises(AnswerSyntaxError) as err:
            parse_prediction(typed, expect)
        # the learner's own text may be echoed back ((9,) for 9 typed at a shape)
        wanted = err.value.message.replace("Backward0", "").replace("1-d", "")
        wanted = wanted.replace(f"'{typed}'", "").replace(f"({typed},)", "")
        assert not any(ch.isdigit() for ch in wanted), err.value.message


@pytest.mark.parametrize("typed", ["(20)", "20", " ( 20 ) "])
def test_a_1d_shape_without_its_comma_is_told_how_to_write_it(typed: str) -> None:
    with pytest.raises(AnswerSyntaxError) as refused:
        parse_prediction(typed, Value.size([20]))
    assert "a 1-d shape is written (20,)" in str(refused.value)
    assert parse_prediction("(20,)", Value.size([20])) == Value.size([20])
    # the learner's own number is echoed, never the expected one
    with pytest.raises(AnswerSyntaxError) as other:
        parse_prediction("(7)", Value.size([3, 3]))
    assert "(7,)" in str(other.value) and "3" not in str(other.value)
