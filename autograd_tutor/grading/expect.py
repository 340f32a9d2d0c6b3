"""An author's YAML value (``expect`` or a known wrong ``answer``) -> a :class:`Value`.

YAML already gives numbers, bools, ``null`` and lists; strings are read with the learner's
parser, so an author may write anything a learner may type (``"tensor([1., 2.])"``,
``"torch.Size([3])"``, ``"PowBackward0"``, ``"nan"``, ``"raises RuntimeError"``). Inside a list
a string must be a number (YAML reads a bare ``nan`` or ``inf`` as text). Anything else raises
:class:`AnswerSyntaxError`.
"""

from __future__ import annotations

from typing import Any

from autograd_tutor.grading.kinds import error_prediction
from autograd_tutor.grading.parser import MAX_DEPTH, AnswerSyntaxError, parse_answer
from autograd_tutor.values import Value


def expect_value(raw: Any) -> Value:
    """Turn a raw YAML value into a :class:`Value`; raises :class:`AnswerSyntaxError`."""
    if raw is None:
        return Value.none()
    if isinstance(raw, bool):
        return Value.boolean(raw)
    if isinstance(raw, (int, float)):
        return Value.number(raw)
    if isinstance(raw, str):
        error = error_prediction(raw) if raw.strip().lower().startswith("raise") else None
        return error if error is not None else parse_answer(raw)
    if isinstance(raw, (list, tuple)):
        data = _rows(list(raw), 1)
        try:
            return Value.tensor(data)
        except ValueError as exc:
            raise AnswerSyntaxError(repr(raw)[:200], 1, str(exc)) from None
    raise AnswerSyntaxError(repr(raw)[:200], 1, f"a {type(raw).__name__} is not a value")


def _rows(items: list[Any], depth: int) -> list[Any]:
    if depth > MAX_DEPTH:
        raise AnswerSyntaxError("[" * 3 + "...", 1, "too deeply nested")
    out: list[Any] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out.append(_rows(list(item), depth + 1))
        elif isinstance(item, bool) or isinstance(item, (int, float)):
            out.append(item)
        elif isinstance(item, str):
            value = parse_answer(item)
            if value.kind == "number":
                out.append(value.data)
            elif value.kind == "tensor" and value.shape == ():
                out.append(value.data)
            else:
                raise AnswerSyntaxError(item, 1, "an element of a list must be a number")
        else:
            raise AnswerSyntaxError(repr(item)[:200], 1, "an element of a list must be a number")
    return out
