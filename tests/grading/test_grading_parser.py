"""The answer parser: what it accepts, what it refuses, and where it says the problem is."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_tutor.grading import AnswerSyntaxError, parse_answer
from autograd_tutor.grading.parser import MAX_DEPTH, MAX_LENGTH
from autograd_tutor.values import Value

FAST = settings(deadline=timedelta(milliseconds=200), max_examples=200)


def same_data(a: object, b: object) -> bool:
    """Equal nested data, NaN equal to NaN."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)


# -- accepted answers ---------------------------------------------------------------------------

NUMBERS = [
    ("8", 8),
    ("-2", -2),
    ("6.5", 6.5),
    ("1e-3", 0.001),
    (".5", 0.5),
    ("inf", math.inf),
    ("-inf", -math.inf),
    ("Inf", math.inf),
    ("3*3**2 + 4*3 - 5", 34),
    ("2*(-1)", -2),
    ("1/4", 0.25),
    ("(6+6)", 12),
    ("-2**2", -4),
    ("2**-1", 0.5),
    ("\u22122", -2),  # a typographic minus, as copied from a web page
    ("  8  ", 8),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_numbers_and_arithmetic(text: str, expected: float) -> None:
    value = parse_answer(text)
    assert value.kind == "number"
    assert value.data == expected


def test_nan_is_a_number() -> None:
    value = parse_answer("nan")
    assert value.kind == "number" and math.isnan(value.data)


TENSORS = [
    ("[[16, 33, 5], [56, 85, 33], [161, 120, 56]]", [[16, 33, 5], [56, 85, 33], [161, 120, 56]]),
    ("[2*3, 1/2, -1]", [6, 0.5, -1]),
    ("tensor([1., 2.])", [1.0, 2.0]),
    ("torch.tensor([[1, 2], [3, 4]])", [[1, 2], [3, 4]]),
    ("tensor([1., 2.], requires_grad=True)", [1.0, 2.0]),
    ("tensor([2., 4.], grad_fn=<MulBackward0>)", [2.0, 4.0]),
    ("tensor([1.], device='cuda:0', dtype=torch.float64)", [1.0]),
    ("tensor([[1., 2.],\n        [3., 4.]])", [[1.0, 2.0], [3.0, 4.0]]),
    ("[]", []),
    ("[True, False]", [True, False]),
]


@pytest.mark.parametrize(("text", "expected"), TENSORS)
def test_tensors(text: str, expected: list) -> None:
    value = parse_answer(text)
    assert value.kind == "tensor"
    assert value.data == expected
    assert value.shape == Value.tensor(expected).shape


def test_tensor_of_one_number_is_0d_and_drops_the_grad_fn_tail() -> None:
    value = parse_answer("tensor(8., grad_fn=<MulBackward0>)")
    assert (value.kind, value.data, value.shape) == ("tensor", 8.0, ())


@pytest.mark.parametrize(
    ("text", "kind", "data"),
    [
        ("None", "none", None),
        ("none", "none", None),
        ("NONE", "none", None),
        ("True", "bool", True),
        ("true", "bool", True),
        ("FALSE", "bool", False),
        ("(3, 3)", "shape", [3, 3]),
        ("(3,)", "shape", [3]),
        ("()", "shape", []),
        ("torch.Size([3, 3])", "shape", [3, 3]),
        ("Size([3,3])", "shape", [3, 3]),
        ("torch.Size([])", "shape", []),
        ("PowBackward0", "name", "PowBackward0"),
        ("<PowBackward0 object at 0x7f3a2c1b9d60>", "name", "PowBackward0"),
        ("<AddBackward0>", "name", "AddBackward0"),
    ],
)
def test_words_shapes_and_names(text: str, kind: str, data: object) -> None:
    value = parse_answer(text)
    assert (value.kind, value.data) == (kind, data)


def test_a_list_of_ints_is_a_tensor_not_a_shape() -> None:
    value = parse_answer("[3, 3]")
    assert (value.kind, value.shape) == ("tensor", (2,))


# -- refused answers: message and column ----------------------------------------------------

REFUSED = [
    # (text, column, words in the message)
    ("[1, 2,, 3]", 7, "unexpected ','"),
    ("[[1, 2, 3], [1, 2]]", 13, "row 2 has 2 elements, row 1 has 3"),
    ("[[1, 2], [3]]", 10, "row 2 has 1 element, row 1 has 2"),
    ("[1, [2]]", 5, "row 2 is a list"),
    ("((1)", 1, "brackets do not match"),
    ("[1)", 3, "brackets do not match"),
    ("1]", 2, "brackets do not match"),
    ("1 +", 4, "ends too early"),
    ("[1 2]", 4, "',' is missing"),
    ("", 1, "type an answer"),
    ("   ", 1, "type an answer"),
    ("__import__('os').system('x')", 1, "is not allowed"),
    ("open('f')", 1, "is not allowed"),
    ("torch.zeros(3)", 1, "torch.zeros(...)"),
    ("x.grad", 2, "'.grad' is not allowed"),
    ("[1, a.b]", 6, "'.b' is not allowed"),
    ("().__class__", 3, "'.__class__' is not allowed"),
    ("lambda: 1", 1, "lambda"),
    ("[x for x in y]", 1, "comprehension"),
    ("'abc'", 1, "text in quotes"),
    ("{1: 2}", 1, "'{ }'"),
    ("1 if 2 else 3", 1, "unexpected"),
    ("1 < 2", 1, "comparison"),
    ("x[0]", 1, "indexing"),
    ("1 // 2", 3, "'//' is not allowed"),
    ("tensor(1, 2)", 1, "takes one value"),
    ("tensor([1], foo=1)", 13, "'foo=' is not allowed"),
    ("tensor([1], requires_grad=(1+1))", 28, "unexpected value"),
    ("tensor(x)", 8, "unknown name 'x'"),
    ("9**9**9", 2, "too large"),
    ("2 ** 10000", 3, "too large"),
    ("10**308 * 10", 9, "too large"),
    ("1e308 * 10", 7, "too large"),
    ("1/0", 2, "division by zero"),
    ("[1, 1/(2-2)]", 6, "division by zero"),
    ("(-8)**0.5", 5, "not a real number"),
    ("(1.5, 2)", 2, "whole numbers"),
    ("(3, -1)", 5, "whole numbers"),
    ("1j", 1, "complex"),
    ("x = 8", 3, "unexpected '='"),
    ("8\x00", 2, "unexpected character"),
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), MAX_DEPTH + 1, "too deeply nested"),
    ("[" * 5000 + "]" * 5000, MAX_DEPTH + 1, "too deeply nested"),
    ("(" * 5000, MAX_DEPTH + 1, "too deeply nested"),
    ("1" * (MAX_LENGTH + 1), 1, "too long"),
    ("[" + "0," * 1_000_000 + "]", 1, "too long"),
    ("9" * 5000, 1, "too many digits"),
    ("-" * 5000 + "1", 1, "too"),
    ("1+" * 4000 + "1", 1, "too"),
    ("2**" * 3000 + "2", 1, "too"),
]


@pytest.mark.parametrize(("text", "column", "words"), REFUSED, ids=lambda x: repr(x)[:30])
def test_refused_with_column_and_message(text: str, column: int, words: str) -> None:
    with pytest.raises(AnswerSyntaxError) as info:
        parse_answer(text)
    err = info.value
    assert words in err.message
    assert err.column == column
    assert str(err) == f"{err.message} at column {column}"
    shown, caret, last = err.pretty().split("\n")
    assert last == f"column {column}: {err.message}"
    if column <= len(err.text):  # the caret sits under the character the column names
        assert shown[caret.index("^")] == err.text[column - 1]


@settings(deadline=timedelta(milliseconds=200), max_examples=len(REFUSED) * 2)
@given(st.sampled_from(REFUSED))
def test_refused_quickly(case: tuple[str, int, str]) -> None:
    with pytest.raises(AnswerSyntaxError):
        parse_answer(case[0])


def test_pretty_puts_the_caret_under_the_column() -> None:
    with pytest.raises(AnswerSyntaxError) as info:
        parse_answer("[1, 2,, 3]")
    assert info.value.pretty() == "  [1, 2,, 3]\n        ^\ncolumn 7: unexpected ','"


def test_pretty_on_a_long_line_shows_a_window_around_the_caret() -> None:
    text = "[" + "1, " * 200 + ", 2]"
    with pytest.raises(AnswerSyntaxError) as info:
        parse_answer(text)
    shown, caret, message = info.value.pretty().split("\n")
    assert len(shown) < 140
    assert shown[caret.index("^")] == ","
    assert message == f"column {info.value.column}: unexpected ','"


def test_pretty_of_a_multi_line_answer_stays_on_one_line() -> None:
    with pytest.raises(AnswerSyntaxError) as info:
        parse_answer("[[1, 2],\n [3,, 4]]")
    shown, caret, _ = info.value.pretty().split("\n")
    assert shown[caret.index("^")] == ","


def test_the_error_is_a_value_error() -> None:
    assert issubclass(AnswerSyntaxError, ValueError)


def test_non_text_is_refused() -> None:
    with pytest.raises(AnswerSyntaxError):
        parse_answer(8)  # type: ignore[arg-type]


# -- properties ---------------------------------------------------------------------------------

ANSWER_CHARS = "0123456789.,+-*/()[] eEnaifNTFrusl_<>=x'j#@%:"


@FAST
@given(st.one_of(st.text(max_size=60), st.text(alphabet=ANSWER_CHARS, max_size=60)))
def test_any_text_parses_or_raises_the_parser_error(text: str) -> None:
    try:
        value = parse_answer(text)
    except AnswerSyntaxError as err:
        assert 1 <= err.column <= len(err.text) + 1
        assert err.pretty().count("\n") == 2
    else:
        assert isinstance(value, Value)


finite_or_special = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**15), max_value=10**15),
)


@FAST
@given(finite_or_special)
def test_numbers_round_trip_through_repr(x: float) -> None:
    value = parse_answer(repr(x))
    assert value.kind == "number"
    assert same_data(value.data, x)


def nested_lists(elements: st.SearchStrategy) -> st.SearchStrategy:
    """Rectangular nested lists of up to 3 dimensions."""

    def build(shape: list[int]) -> st.SearchStrategy:
        if len(shape) == 1:
            return st.lists(elements, min_size=shape[0], max_size=shape[0])
        return st.lists(build(shape[1:]), min_size=shape[0], max_size=shape[0])

    return st.lists(st.integers(0, 4), min_size=1, max_size=3).flatmap(build)


@FAST
@given(nested_lists(finite_or_special))
def test_nested_lists_round_trip_through_repr(data: list) -> None:
    for text in (repr(data), f"tensor({data!r})", f"torch.tensor({data!r}, requires_grad=True)"):
        value = parse_answer(text)
        assert value.kind == "tensor"
        assert same_data(value.data, data)
        assert value.shape == Value.tensor(data).shape


@FAST
@given(nested_lists(st.floats(allow_nan=True, allow_infinity=True, width=32)))
def test_tensors_round_trip_through_display(data: list) -> None:
    original = Value.tensor(data)
    value = parse_answer(original.display())
    assert value.shape == original.shape
    for got, want in zip(value.flat(), original.flat(), strict=True):
        if math.isnan(want) or math.isinf(want):
            assert same_data(float(got), want)
        else:
            assert math.isclose(got, want, rel_tol=1e-5, abs_tol=1e-300)
