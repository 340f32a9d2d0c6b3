"""What an answer field takes, decided from the question's expression, never from its answer.

A field's hint (the TUI placeholder, the ``--plain`` prompt's parenthesis) and what it refuses
are decided here, from the *kind of expression* the author wrote (:func:`field_kind`): every
``.grad`` question shows the same hint whether torch gives a number, a tensor or ``None``; every
``.grad_fn`` question says it may be a node name or ``None``; a call (``y.backward()``) says it
may raise. The expected value is never consulted: a hint that changed with the answer would
tell the learner the answer's kind before they predict.

Text of a kind the field cannot take is refused with an
:class:`~autograd_tutor.grading.parser.AnswerSyntaxError` that says which forms it takes, so
that ``yes``, ``T`` or a bare variable name never scores as a wrong answer. Both interfaces call
:func:`parse_prediction` and show :func:`placeholder` in an empty field.
"""

from __future__ import annotations

import ast
import re
from typing import Literal

from autograd_tutor.grading.parser import AnswerSyntaxError, parse_answer
from autograd_tutor.values import Value

FieldKind = Literal["gradient", "number", "bool", "shape", "node", "call", "value"]
FIELD_KINDS: tuple[FieldKind, ...] = (
    "gradient",
    "number",
    "bool",
    "shape",
    "node",
    "call",
    "value",
)

# A decimal comma: "6,5" or "-0,25" (a learner from a comma locale), not "(3, 3)" or "3,3,3".
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")
# "raises RuntimeError", "raises RuntimeError: a part of the message", or a bare error class.
_RAISES = re.compile(r"^\s*raises?\s+([A-Za-z_]\w*)\s*(?::\s*(.*?))?\s*$", re.IGNORECASE | re.S)
_ERROR_CLASS = re.compile(r"^\s*([A-Za-z_]\w*(?:Error|Exception))\s*$", re.IGNORECASE)

# What an empty field says. It depends on the kind of expression alone and holds no example
# value: "e.g. 6" under a field whose answer is 6 would give the answer away. It names every
# form the field takes (a .grad may be None; a grad_fn may be None; a call may raise), so
# that it says nothing about which one this question's answer has. No brackets either:
# --plain shows it in parentheses after the prompt, and a bracket inside would nest.
_PLACEHOLDERS: dict[FieldKind, str] = {
    "gradient": "a number, a tensor as nested lists, or None",
    "number": "a number; fractions and arithmetic are fine",
    "bool": "True or False",
    "shape": "a shape as a tuple of sizes",
    "node": "a grad_fn name ending in Backward0, or None",
    "call": "a value or None, or raises and the exception class",
    "value": "a number, a tensor as nested lists, None, True or False",
}

# What a refusal says is wanted: forms, never example values (an example could be the answer).
_WANTED: dict[FieldKind, str] = {
    "gradient": "a number, a tensor as nested lists [[a, b], [c, d]], or None",
    "number": "a number (a fraction or arithmetic on numbers is fine)",
    "bool": "True or False",
    "shape": "a shape, (rows, columns) or torch.Size([rows, columns])",
    "node": "an autograd node name, ...Backward0, or None",
    "call": "a value, None, or raises and the exception class",
    "value": "a number, a tensor as nested lists, None, True or False",
}

# Attributes and calls whose kind is known whatever the tensor.
_BOOL_ATTRS = frozenset({"requires_grad", "is_leaf", "retains_grad", "is_cuda"})
_BOOL_CALLS = frozenset({"is_tensor", "isinstance", "is_contiguous", "is_floating_point"})
_NUMBER_CALLS = frozenset({"item", "dim", "numel", "len", "abs", "float", "int", "round"})
_NUMBER_ATTRS = frozenset({"ndim"})


def field_kind(expr: str | None) -> FieldKind:
    """The kind of field a question on ``expr`` gets; ``value`` when it cannot tell."""
    if not expr:
        return "value"
    try:
        node = ast.parse(expr.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "value"
    return _kind_of(node)


def _kind_of(node: ast.expr) -> FieldKind:
    if isinstance(node, (ast.Compare, ast.BoolOp)) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
    ):
        return "bool"
    if isinstance(node, ast.Subscript):
        inner = _kind_of(node.value)
        return "gradient" if inner == "gradient" else "value"
    if isinstance(node, ast.Attribute):
        if node.attr == "grad":
            return "gradient"
        if node.attr == "grad_fn":
            return "node"
        if node.attr == "shape":
            return "shape"
        if node.attr in _BOOL_ATTRS:
            return "bool"
        if node.attr in _NUMBER_ATTRS:
            return "number"
        return "value"
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "size":
            return "shape"
        if name in _NUMBER_CALLS:
            return "number"
        if name in _BOOL_CALLS:
            return "bool"
        return "call"
    return "value"


def placeholder(expr: str | None) -> str:
    """What an empty answer field for a question on ``expr`` says: every form it takes,
    never an example value, the same for every question on the same kind of expression."""
    return _PLACEHOLDERS[field_kind(expr)]


def takes_errors(expr: str | None) -> bool:
    """Whether a field on ``expr`` offers an error as the answer (its hint says so): only a
    call can raise as the thing asked about (``y.backward()``, ``w.add_(1)``)."""
    return field_kind(expr) == "call"


def error_prediction(text: str) -> Value | None:
    """``raises RuntimeError`` (optionally ``: part of the message``) or a bare
    ``RuntimeError`` -> an error value; None when the text names no error."""
    found = _RAISES.match(text)
    if found:
        return Value.error(found.group(1), found.group(2) or "")
    bare = _ERROR_CLASS.match(text)
    if bare:
        return Value.error(bare.group(1))
    return None


def parse_prediction(text: str, expr: str | None = None) -> Value:
    """Parse typed text as an answer to a question on ``expr``.

    Raises :class:`AnswerSyntaxError` (with a column) when the text is not a value at all, or
    is a value of a kind the field cannot take; the message says which forms it takes.
    """
    kind = field_kind(expr)
    if kind == "call":
        error = error_prediction(text)
        if error is not None:
            return error
    if kind in ("number", "gradient", "value", "call") and _DECIMAL_COMMA.match(text):
        comma = text.index(",")
        raise AnswerSyntaxError(
            text, comma + 1, "use a decimal point, not a comma: " + text.strip().replace(",", ".")
        )
    value = parse_answer(text)
    if _accepts(kind, value):
        return _coerce(kind, value)
    column = len(text) - len(text.lstrip()) + 1
    wanted = _WANTED[kind]
    if value.kind == "name" and kind != "node":
        message = f"'{value.data}' is a name, not a value: type {wanted}"
    elif kind == "shape" and _whole_number(value):
        # (20) is the number 20 in Python: a 1-d shape needs its comma
        size = int(float(value.data))
        message = f"this question wants a shape: a 1-d shape is written ({size},), with a comma"
    else:
        message = f"this question wants {wanted}"
    raise AnswerSyntaxError(text, column, message)


def _accepts(kind: FieldKind, value: Value) -> bool:
    if kind in ("number", "gradient"):
        # None and numbers are scored against gradients (None vs 0 is a misconception)
        return value.kind in ("number", "tensor", "none")
    if kind == "bool":
        return value.kind == "bool"
    if kind == "shape":
        return value.kind == "shape" or _int_list(value)
    if kind == "node":
        return value.kind in ("name", "none")
    if kind == "call":
        return value.kind != "name"
    return value.kind != "name"  # value: anything but a bare name may be compared


def _coerce(kind: FieldKind, value: Value) -> Value:
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
