"""Generic misconception rules: why a prediction that is not torch's value might be wrong.

Each rule is a small function ``rule(prediction, truth, context, tolerance)`` that returns a
:class:`Diagnosis` or ``None``; :data:`RULES` lists them most specific first. The scorer calls
them only for a prediction that is not right, after the lesson's own known wrong answers.
Numbers are compared with :func:`close` (absolute and relative tolerance, NaN equals NaN).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from autograd_tutor.values import Value

MAX_ACCUMULATION_FACTOR = 100  # backward() calls checked by the accumulation rule


@dataclass(frozen=True)
class Diagnosis:
    """One reason a prediction is wrong: a stable ``code`` and a sentence for the learner.

    Codes: ``known_wrong``, ``sign``, ``accumulation``, ``mean``, ``zero_not_none``,
    ``number_not_none``, ``none_not_gradient``, ``transposed``, ``forward_value``, ``shape``,
    ``elements``, ``error`` (an exception raised, or predicted, where the other is not it).
    """

    code: str
    message: str


@dataclass(frozen=True)
class ScoringContext:
    """What the worker knows about the namespace when the question was asked."""

    backward_calls: int = 0
    forward_values: Mapping[str, Value] = field(default_factory=dict)


# -- numbers --------------------------------------------------------------------------------


def close(a: float | int | bool, b: float | int | bool, tolerance: float) -> bool:
    """``a`` equals ``b`` within ``tolerance``, absolute or relative (whichever is larger).

    ``|a - b| <= max(tolerance, tolerance * max(|a|, |b|))``; NaN equals NaN; infinities equal
    only themselves; integers too large for a float compare exactly.
    """
    try:
        fa, fb = float(a), float(b)
    except (OverflowError, TypeError, ValueError):
        return a == b
    if math.isnan(fa) or math.isnan(fb):
        return math.isnan(fa) and math.isnan(fb)
    tol = max(0.0, float(tolerance))
    return math.isclose(fa, fb, rel_tol=tol, abs_tol=tol)


def all_close(xs: list, ys: list, tolerance: float) -> bool:
    """Element by element :func:`close`; lists of different lengths are not close."""
    return len(xs) == len(ys) and all(close(x, y, tolerance) for x, y in zip(xs, ys, strict=True))


def is_numeric(value: Value) -> bool:
    return value.kind in ("number", "tensor")


def shape_of(value: Value) -> tuple[int, ...]:
    """A number is shaped like a 0-d tensor."""
    if value.kind == "tensor" and value.shape is not None:
        return tuple(value.shape)
    return ()


def aligned(prediction: Value, truth: Value) -> tuple[list, list] | None:
    """Both values' numbers, paired element by element, or ``None`` when they do not pair up.

    They pair up when the shapes are equal, or when the prediction is a single number (or a
    0-d tensor) and the truth has exactly one element.
    """
    if not (is_numeric(prediction) and is_numeric(truth)):
        return None
    try:
        pshape, tshape = shape_of(prediction), shape_of(truth)
        if pshape == tshape or (pshape == () and truth.numel == 1):
            return prediction.flat(), truth.flat()
    except (TypeError, ValueError):
        return None
    return None


def _all_zero(xs: list, tolerance: float) -> bool:
    return all(close(x, 0, tolerance) for x in xs)


def _scaled(xs: list, factor: float) -> list:
    try:
        return [float(x) * factor for x in xs]
    except OverflowError:
        return [math.nan for _ in xs]


def _transposed_data(value: Value) -> list | None:
    """The transpose of a 2-D tensor's nested lists, or ``None`` for anything else."""
    if value.kind != "tensor" or value.shape is None or len(value.shape) != 2:
        return None
    rows = value.data
    return [list(col) for col in zip(*rows, strict=True)] if rows else []


# -- the rules ------------------------------------------------------------------------------

Rule = Callable[[Value, Value, ScoringContext, float], "Diagnosis | None"]


def sign(
    prediction: Value, truth: Value, context: ScoringContext, tolerance: float
) -> Diagnosis | None:
    """The prediction is minus the truth (the truth not zero): e.g. 6 for -6.

    Typical cause: mixing up the gradient with the update direction, or dropping the minus
    of ``(y - y_hat)`` in a loss.
    """
    pairs = aligned(prediction, truth)
    if pairs is None:
        return None
    p, t = pairs
    if _all_zero(t, tolerance) or not all_close(p, _scaled(t, -1.0), tolerance):
        return None
    return Diagnosis(
        "sign",
        f"the sign is flipped: torch gives {truth.display()}, the opposite of yours - "
        "check each minus sign on the way back",
    )


def accumulation(
    prediction: Value, truth: Value, context: ScoringContext, tolerance: float
) -> Diagnosis | None:
    """The truth is ``k`` times the prediction, with ``k >= 2`` ``backward()`` calls made.

    ``.grad`` adds up: two ``backward()`` calls without zeroing give twice one call's gradient.
    """
    pairs = aligned(prediction, truth)
    if pairs is None or context.backward_calls < 2:
        return None
    p, t = pairs
    if _all_zero(p, tolerance):
        return None
    for k in range(2, min(context.backward_calls, MAX_ACCUMULATION_FACTOR) + 1):
        if all_close(t, _scaled(p, float(k)), tolerance):
            return Diagnosis(
                "accumulation",
                f".grad adds up across backward() calls: {k} calls without zeroing give "
                f"{k} times one call's gradient ({prediction.display()} x {k} = "
                f"{truth.display()})",
            )
    return None


def transposed(
    prediction: Value, truth: Value, context: ScoringContext, tolerance: float
) -> Diagnosis | None:
    """A 2-D prediction whose transpose is the truth (a square truth must not be symmetric).

    A gradient has the shape of the tensor it belongs to, not of its transpose.
    """
    if prediction.kind != "tensor" or truth.kind != "tensor":
        return None
    if truth.shape is None or len(truth.shape) != 2 or prediction.shape != truth.shape[::-1]:
        return None
    flipped = _transposed_data(prediction)
    truth_t = _transposed_data(truth)
    if flipped is None or truth_t is None:
        return None
    t = truth.flat()
    if truth.shape[0] == truth.shape[1] and all_close(t, Value.tensor(truth_t).flat(), tolerance):
        return None  # symmetric: a transpose is the same matrix
    if not all_close(Value.tensor(flipped).flat(), t, tolerance):
        return None
    rows, cols = truth.shape
    return Diagnosis(
        "transposed",
        f"this is the transpose of torch's answer: the gradient has the shape of the tensor "
        f"it belongs to ({rows} x {cols}), row i of yours is column i of torch's",
    )


def forward_value(
    prediction: Value, truth: Value, context: ScoringContext, tolerance: float
) -> Diagnosis | None:
    """The prediction is the forward value of a tensor in the namespace, not a gradient."""
    for name, value in context.forward_values.items():
        pairs = aligned(prediction, value)
        if pairs is None or value.numel == 0:
            continue
        truth_pairs = aligned(value, truth)
        if truth_pairs is not None and all_close(*truth_pairs, tolerance):
            continue  # that forward value is the truth itself
        if all_close(*pairs, tolerance):
            return Diagnosis(
                "forward_value",
                f"that is the value of {name} (the forward pass), not its gradient",
            )
    return None


def mean(
    prediction: Value, truth: Value, context: ScoringContext, tolerance: float
) -> Diagnosis | None:
    """Off by a factor ``n >= 2``, the element count: a mean divides by it, a sum does not.

    ``n`` is the truth's element count, or for a single-number truth the element count of a
    forward value (the vector that was averaged).
    """
    pairs = aligned(prediction, truth)
    if pairs is None:
        return None
    p, t = pairs
    if _all_zero(t, tolerance):
        return None
    counts = set()
    if truth.numel >= 2:
        counts.add(truth.numel)
    if truth.numel == 1:
        counts.update(v.numel for v in context.forward_values.values() if v.numel >= 2)
    for n in sorted(counts):
        times = all_close(p, _scaled(t, float(n)), tolerance)
        over = all_close(p, _scaled(t, 1.0 / n), tolerance)
        if times or over:
            how = "you did not divide by it" if times else "you divided by it once too often"
            return Diagnosis(
                "mean",
                f"off by a factor {n} - the mean divides by the number of elements ({n}), "
                f"a sum does not; {how}",
            )
    return None


def zero_not_none(
    prediction: Value, truth: Value, context: ScoringContext, tolerance: float
) -> Diagnosis | None:
    """``0`` (or all zeros) where torch gives ``None``."""
    if truth.kind != "none" or not is_numeric(prediction):
        return None
    try:
        zeros = _all_zero(prediction.flat(), tolerance)
    except TypeError:
        return None
    if not zeros:
        return None
    return Diagnosis(
        "zero_not_none",
        "None means no gradient flowed here: detached, requires_grad=False, or a non-leaf "
        "without retain_grad(); it is not 0",
    )


def number_not_none(
    prediction: Value, truth: Value, context: ScoringContext, tolerance: float
) -> Diagnosis | None:
    """A nonzero number where torch gives ``None`` (zeros get :func:`zero_not_none`)."""
    if truth.kind != "none" or not is_numeric(prediction):
        return None
    try:
        if _all_zero(prediction.flat(), tolerance):
            return None
    except TypeError:
        return None
    return Diagnosis(
        "number_not_none",
        "torch gives None: no gradient reached this tensor (detached, requires_grad=False, or "
        "a non-leaf without retain_grad()), so there is no number to give",
    )


def none_not_gradient(
    prediction: Value, truth: Value, context: ScoringContext, tolerance: float
) -> Diagnosis | None:
    """``None`` where torch computed a gradient."""
    if prediction.kind != "none" or not is_numeric(truth):
        return None
    return Diagnosis(
        "none_not_gradient",
        f"a gradient did flow here: torch gives {truth.display()}; None would mean this tensor "
        "is not on a path from the output back to a tensor that requires grad",
    )


RULES: tuple[Rule, ...] = (
    zero_not_none,
    number_not_none,
    none_not_gradient,
    sign,
    accumulation,
    transposed,
    forward_value,
    mean,
)


def diagnose(
    prediction: Value, truth: Value, context: ScoringContext, tolerance: float
) -> list[Diagnosis]:
    """Every rule that fires, most specific first."""
    found = []
    for rule in RULES:
        try:
            result = rule(prediction, truth, context, tolerance)
        except (TypeError, ValueError, OverflowError):  # a malformed value never breaks scoring
            result = None
        if result is not None:
            found.append(result)
    return found
