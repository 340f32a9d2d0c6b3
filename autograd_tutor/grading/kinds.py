"""What kind of answer a question wants, and refusing typed text that is no such answer.

A question's expected value (its ``expect``) decides what a learner may type: a True/False
question takes ``True`` or ``False`` and nothing else, a gradient takes a number or a tensor
(or ``None``, which is a misconception worth scoring), a shape takes a shape, a ``grad_fn``
question takes a node name. Text of another kind is refused with an
:class:`~autograd_tutor.grading.parser.AnswerSyntaxError` that says what kind is wanted, so
that ``yes``, ``T`` or a bare variable name never scores as a wrong answer. Both interfaces call
:func:`parse_prediction` and show :func:`placeholder` in an empty field.
"""

from __future__ import annotations

import re
from typing import Literal

from autograd_tutor.grading.parser import AnswerSyntaxError, parse_answer
from autograd_tutor.values import Value

AnswerKind = Literal["number", "tensor", "none", "bool", "shape", "name", "text", "any"]

# A decimal comma: "6,5" or "-0,25" (a learner from a comma locale), not "(3, 3)" or "3,3,3".
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")

# What an empty field says. It depends on the kind of answer alone and holds no example value:
# "e.g. 6" under a field whose answer is 6 would give the answer away, and an example dropped
# only when it is the answer would tell the learner what the answer is not. No brackets either:
# --plain shows it in parentheses after the prompt, and a bracket inside would nest.
_PLACEHOLDERS: dict[str, str] = {
    "number": "a number; fractions and arithmetic are fine",
    "tensor": "a tensor as nested lists, one list per row",
    "none": "a value, or None",
    "bool": "True or False",
    "shape": "a shape as a tuple of sizes",
    "name": "a grad_fn name ending in Backward0",
    "text": "a value",
    "any": "any value: a number, a tensor, None, True or False",
}

# What a refusal says is wanted: forms, never example values (an example could be the answer).
_WANTED: dict[str, str] = {
    "number": "a number (a fraction or arithmetic on numbers is fine)",
    "tensor": "a tensor as nested lists, [[a, b], [c, d]], or a number",
    "bool": "True or False",
    "shape": "a shape, (rows, columns) or torch.Size([rows, columns])",
    "name": "an autograd node name, ...Backward0",
}


def expected_kind(expect: Value | None) -> AnswerKind:
    """The kind of answer a question with this expected value wants (``any`` when unknown)."""
    if expect is None:
        return "any"
    if expect.kind == "tensor" and expect.shape == ():
        return "number"
    if expect.kind in ("number", "tensor", "none", "bool", "shape", "name", "text"):
        return expect.kind
    return "any"


def placeholder(expect: Value | None) -> str:
    """What an empty answer field says: the kind of answer wanted, never an example value."""
    return _PLACEHOLDERS[expected_kind(expect)]


def parse_prediction(text: str, expect: Value | None = None) -> Value:
    """Parse typed text as an answer to a question that expects ``expect``.

    Raises :class:`AnswerSyntaxError` (with a column) when the text is not a value at all, or
    is a value of a kind the question cannot take; the message says which kind is wanted.
    """
    kind = expected_kind(expect)
    if kind in ("number", "tensor") and _DECIMAL_COMMA.match(text):
        comma = text.index(",")
        raise AnswerSyntaxError(
            text, comma + 1, "use a decimal point, not a comma: " + text.strip().replace(",", ".")
        )
    value = parse_answer(text)
    if kind == "any" or _accepts(kind, value):
        return _coerce(kind, value)
    column = len(text) - len(text.lstrip()) + 1
    wanted = _WANTED.get(kind, "a value")
    if value.kind == "name" and kind != "name":
        message = f"'{value.data}' is a name, not a value: type {wanted}"
    elif kind == "shape" and _whole_number(value):
        # (20) is the number 20 in Python: a 1-d shape needs its comma
        size = int(float(value.data))
        message = f"this question wants a shape: a 1-d shape is written ({size},), with a comma"
    else:
        message = f"this question wants {wanted}"
    raise AnswerSyntaxError(text, column, message)


def _accepts(kind: str, value: Value) -> bool:
    if kind in ("number", "tensor", "none"):
        # None and numbers are scored against gradients (None vs 0 is a misconception)
        return value.kind in ("number", "tensor", "none")
    if kind == "bool":
        return value.kind == "bool"
    if kind == "shape":
        return value.kind == "shape" or _int_list(value)
    if kind == "name":
        return value.kind == "name"
    return True  # text: anything may be compared


def _coerce(kind: str, value: Value) -> Value:
    """``[3, 3]`` typed for a shape question is the shape ``(3, 3)``."""
    if kind == "shape" and value.kind == "tensor" and _int_list(value):
        return Value.size([int(x) for x in value.data])
    return value


def _whole_number(value: Value) -> bool:
    return (
        value.kind in ("number", "tensor")
        and not value.shape
        and isinstance(value.data, (int, float))
        and float(value.data).is_integer()
        and float(value.data) >= 0
    )


def _int_list(value: Value) -> bool:
    return (
        value.kind == "tensor"
        and value.shape is not None
        and len(value.shape) == 1
        and all(isinstance(x, (int, float)) and float(x).is_integer() for x in value.data)
    )
