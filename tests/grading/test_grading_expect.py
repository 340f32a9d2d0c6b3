"""expect_value: an author's YAML value for ``expect`` or a known wrong ``answer``."""

from __future__ import annotations

import math

import pytest
import yaml

from autograd_tutor.grading import AnswerSyntaxError, expect_value
from autograd_tutor.values import Value


@pytest.mark.parametrize(
    ("yaml_text", "kind", "data"),
    [
        ("8", "number", 8),
        ("-2.5", "number", -2.5),
        ("null", "none", None),
        ("true", "bool", True),
        ("[[1, 2], [3, 4]]", "tensor", [[1, 2], [3, 4]]),
        ("[1, '1/2', -3]", "tensor", [1, 0.5, -3]),
        ("'3*3**2 + 4*3 - 5'", "number", 34),
        ("'tensor([1., 2.])'", "tensor", [1.0, 2.0]),
        ("'torch.Size([3, 3])'", "shape", [3, 3]),
        ("'(3,)'", "shape", [3]),
        ("PowBackward0", "name", "PowBackward0"),
        ("None", "none", None),  # YAML text "None" goes through the answer parser
        ("'[]'", "tensor", []),
        ("[]", "tensor", []),
    ],
)
def test_yaml_values(yaml_text: str, kind: str, data: object) -> None:
    value = expect_value(yaml.safe_load(yaml_text))
    assert (value.kind, value.data) == (kind, data)


def test_nan_and_inf_inside_a_list() -> None:
    value = expect_value(yaml.safe_load("[nan, .inf, -inf]"))
    assert value.kind == "tensor" and value.shape == (3,)
    first, second, third = value.data
    assert math.isnan(first) and second == math.inf and third == -math.inf


def test_shape_is_inferred() -> None:
    assert expect_value([[1, 2, 3], [4, 5, 6]]).shape == (2, 3)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"a": 1}, "dict is not a value"),
        ([[1, 2], [3]], "rows have different lengths"),
        ([1, "x.grad"], "is not allowed"),
        ([1, "None"], "must be a number"),
        ([1, {"a": 1}], "must be a number"),
        ("__import__('os')", "is not allowed"),
        ("[1, 2,, 3]", "unexpected ','"),
    ],
)
def test_refused(raw: object, words: str) -> None:
    with pytest.raises(AnswerSyntaxError) as info:
        expect_value(raw)
    assert words in info.value.message


def test_deep_yaml_nesting_is_refused() -> None:
    raw: list = [1]
    for _ in range(200):
        raw = [raw]
    with pytest.raises(AnswerSyntaxError):
        expect_value(raw)


def test_expect_equals_what_a_learner_types() -> None:
    assert expect_value("tensor([[1., 2.]])") == Value.tensor([[1.0, 2.0]])
