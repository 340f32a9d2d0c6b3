"""What a field takes comes from the question's expression, never from its expected value;
typed text of a kind the field cannot take is refused with the forms wanted, never scored."""

from __future__ import annotations

import pytest

from autograd_tutor.grading import AnswerSyntaxError, field_kind, parse_prediction, placeholder
from autograd_tutor.values import Value


@pytest.mark.parametrize(
    ("expr", "kind"),
    [
        ("x.grad", "gradient"),
        ("x.grad[2, 3]", "gradient"),
        ("model[0].weight.grad", "gradient"),
        ("w.item()", "number"),
        ("len(losses)", "number"),
        ("y.requires_grad", "bool"),
        ("not c.requires_grad", "bool"),
        ("a.grad is None", "bool"),
        ("abs(w.item() - 2) < 0.15 and b.item() > 0", "bool"),
        ("torch.is_tensor(total)", "bool"),
        ("t.grad.shape", "shape"),
        ("x.size()", "shape"),
        ("y.grad_fn", "node"),
        ("y.backward()", "call"),
        ("w.add_(1)", "call"),
        ("y", "value"),
        ("x[2, 3]", "value"),
        ("not valid python (", "value"),
    ],
)
def test_the_field_kind_is_read_from_the_expression(expr: str, kind: str) -> None:
    assert field_kind(expr) == kind


def test_every_gradient_question_shows_one_hint_that_names_none_too() -> None:
    """detach's a.grad (36) and a.grad (None) once showed different hints."""
    assert placeholder("a.grad") == placeholder("x.grad[0, 0]") == placeholder("W.grad")
    assert "None" in placeholder("a.grad") and "tensor" in placeholder("a.grad")
    assert "None" in placeholder("y.grad_fn")  # a leaf's grad_fn is None
    assert "raises" in placeholder("y.backward()")


@pytest.mark.parametrize("typed", ["yes", "T", "1", "0", "[1]"])
def test_bool_question_refuses_anything_but_true_false(typed: str) -> None:
    with pytest.raises(AnswerSyntaxError) as err:
        parse_prediction(typed, "y.requires_grad")
    assert "True or False" in err.value.message


def test_bool_question_takes_true_false_in_any_case() -> None:
    assert parse_prediction("false", "y.is_leaf") == Value.boolean(False)


def test_bare_name_refused_for_a_gradient_and_named_in_the_message() -> None:
    with pytest.raises(AnswerSyntaxError) as err:
        parse_prediction("y", "x.grad")
    assert "'y' is a name" in err.value.message and "number" in err.value.message


def test_decimal_comma_is_refused_with_the_fix_and_column() -> None:
    with pytest.raises(AnswerSyntaxError) as err:
        parse_prediction("6,5", "x.grad")
    assert err.value.column == 2
    assert "6.5" in err.value.message


def test_gradient_questions_take_numbers_tensors_and_none() -> None:
    assert parse_prediction("[[1, 2], [3, 4]]", "x.grad").kind == "tensor"
    assert parse_prediction("0", "x.grad").kind == "number"
    assert parse_prediction("None", "x.grad").kind == "none"


def test_shape_question_takes_a_list_of_ints_as_the_shape() -> None:
    assert parse_prediction("[3, 3]", "t.shape") == Value.size([3, 3])
    assert parse_prediction("torch.Size([3, 3])", "t.shape") == Value.size([3, 3])
    with pytest.raises(AnswerSyntaxError):
        parse_prediction("9", "t.shape")


def test_node_question_refuses_a_number_and_takes_none() -> None:
    with pytest.raises(AnswerSyntaxError) as err:
        parse_prediction("8", "y.grad_fn")
    assert "node name" in err.value.message
    assert parse_prediction("None", "x.grad_fn") == Value.none()
    assert parse_prediction("MulBackward0", "x.grad_fn") == Value.name("MulBackward0")


@pytest.mark.parametrize(
    "typed",
    ["raises RuntimeError", "RuntimeError", "raise runtimeerror", "RAISES RuntimeError: twice"],
)
def test_a_call_takes_an_error_as_the_answer(typed: str) -> None:
    value = parse_prediction(typed, "y.backward()")
    assert value.kind == "error" and value.data.lower() == "runtimeerror"
    assert parse_prediction("None", "y.backward()") == Value.none()


def test_only_a_call_takes_an_error() -> None:
    with pytest.raises(AnswerSyntaxError):
        parse_prediction("raises RuntimeError", "x.grad")
    with pytest.raises(AnswerSyntaxError):
        parse_prediction("RuntimeError", "y.backward()".replace("()", ".grad"))


def test_placeholder_holds_no_value() -> None:
    for expr in ("x.grad", "t.shape", "y.grad_fn", "w.item()", "y.backward()", "y"):
        shown = placeholder(expr).replace("Backward0", "")
        assert not any(ch.isdigit() for ch in shown), shown


def test_refusals_name_the_form_and_no_example_value() -> None:
    for typed, expr in (("y", "x.grad"), ("9", "t.shape"), ("8", "y.grad_fn")):
        with pytest.raises(AnswerSyntaxError) as err:
            parse_prediction(typed, expr)
        # the learner's own text may be echoed back ((9,) for 9 typed at a shape)
        wanted = err.value.message.replace("Backward0", "").replace("1-d", "")
        wanted = wanted.replace(f"'{typed}'", "").replace(f"({typed},)", "")
        assert not any(ch.isdigit() for ch in wanted), err.value.message


@pytest.mark.parametrize("typed", ["(20)", "20", " ( 20 ) "])
def test_a_1d_shape_without_its_comma_is_told_how_to_write_it(typed: str) -> None:
    with pytest.raises(AnswerSyntaxError) as refused:
        parse_prediction(typed, "x.shape")
    assert "a 1-d shape is written (20,)" in str(refused.value)
    assert parse_prediction("(20,)", "x.shape") == Value.size([20])
    # the learner's own number is echoed (the hint never depends on the answer)
    with pytest.raises(AnswerSyntaxError) as other:
        parse_prediction("(7)", "w.shape")
    assert "(7,)" in str(other.value)
