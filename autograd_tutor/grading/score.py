"""The scorer: a learner's prediction against torch's value -> a :class:`Score`.

Rules (``docs/scoring.md`` explains them for learners and authors):

- numbers are equal within a tolerance (:data:`DEFAULT_TOLERANCE`, absolute or relative,
  whichever is larger; NaN equals NaN); a single number and a one-element tensor compare by
  value;
- tensors compare shape first (a wrong shape is wrong), then element by element: the credit is
  the fraction of elements right, and the wrong elements are listed;
- ``None`` is its own answer (``0`` is not ``None``); bools, shapes and names compare exactly
  (names ignore case, and ``PowBackward`` stands for any ``PowBackwardN``); a list of whole
  numbers is accepted as a shape;
- the verdict is ``right`` (all of it), ``partial`` (some elements), ``wrong`` or ``skipped``;
  hints lower the credit by :func:`hint_factor`, never the verdict;
- feedback for a wrong answer is the most specific message found: the lesson's own known wrong
  answers first, then the generic rules of :mod:`.diagnoses`, then what differs (shape,
  elements).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from autograd_tutor.grading.diagnoses import (
    Diagnosis,
    ScoringContext,
    aligned,
    close,
    diagnose,
    is_numeric,
    shape_of,
)
from autograd_tutor.presentation import Verdict
from autograd_tutor.values import Value, format_number

DEFAULT_TOLERANCE = 1e-4
HINT_COST = 0.25  # each hint takes this fraction of the full credit ...
HINT_FLOOR = 0.25  # ... but a right answer keeps at least this much
MAX_LISTED_ELEMENTS = 4  # wrong elements named in the feedback


@dataclass(frozen=True)
class Score:
    """How a prediction relates to torch's value."""

    verdict: Verdict
    credit: float  # 0..1, after the hint penalty
    raw_credit: float  # 0..1, before it
    feedback: str  # the most specific message ("" when right)
    diagnoses: tuple[Diagnosis, ...]
    wrong_elements: tuple[tuple[int, ...], ...]  # indices of wrong tensor elements
    hints_used: int


def hint_factor(hints_used: int) -> float:
    """Credit kept after ``hints_used`` hints: 1, 0.75, 0.5, then 0.25 for 3 or more."""
    used = max(0, int(hints_used))
    return max(HINT_FLOOR, 1.0 - HINT_COST * used)


def score(
    prediction: Value | None,
    truth: Value,
    *,
    tolerance: float | None = None,
    known_wrong: Sequence[tuple[Value, str]] = (),
    hints_used: int = 0,
    context: ScoringContext | None = None,
) -> Score:
    """Score one prediction (``None`` = skipped) against torch's value ``truth``."""
    tol = DEFAULT_TOLERANCE if tolerance is None else tolerance
    hints = max(0, int(hints_used))
    if prediction is None:
        return Score("skipped", 0.0, 0.0, f"skipped: torch gives {_show(truth)}", (), (), hints)
    context = context or ScoringContext()
    raw, wrong_elements, structural = _compare(prediction, truth, tol)
    if raw >= 1.0:
        return Score("right", hint_factor(hints), 1.0, "", (), (), hints)
    found = [
        Diagnosis("known_wrong", says)
        for value, says in known_wrong
        if _safe_same(prediction, value, tol)
    ]
    if "error" in (prediction.kind, truth.kind):
        found.append(_error_diagnosis(prediction, truth))
    else:
        found += diagnose(prediction, truth, context, tol)
    if structural is not None:
        found.append(structural)
    if found:
        feedback = found[0].message
    else:
        feedback = f"torch gives {_show(truth)}, you said {_show(prediction)}"
    verdict: Verdict = "partial" if raw > 0 else "wrong"
    return Score(
        verdict, raw * hint_factor(hints), raw, feedback, tuple(found), wrong_elements, hints
    )


def same_value(a: Value, b: Value, tolerance: float | None = None) -> bool:
    """Whether ``a`` would score right against ``b`` (used by ``check``: expect vs torch)."""
    tol = DEFAULT_TOLERANCE if tolerance is None else tolerance
    return _safe_same(a, b, tol)


def _show(value: Value) -> str:
    """``value.display()``, or what is known of a value that cannot be shown."""
    try:
        return value.display()
    except (TypeError, ValueError, OverflowError):
        note = value.extra.get("note") if isinstance(value.extra, dict) else None
        shape = f" of shape {list(value.shape)}" if value.shape is not None else ""
        return f"a {value.kind}{shape}" + (f" ({note})" if note else "")


def _safe_same(a: Value, b: Value, tolerance: float) -> bool:
    try:
        return _compare(a, b, tolerance)[0] >= 1.0
    except (TypeError, ValueError, OverflowError):
        return False


# -- comparison -----------------------------------------------------------------------------

_Result = tuple[float, tuple[tuple[int, ...], ...], Diagnosis | None]


def _compare(prediction: Value, truth: Value, tol: float) -> _Result:
    """(raw credit, wrong element indices, what differs) for one prediction."""
    pk, tk = prediction.kind, truth.kind
    if (tk == "tensor" and truth.data is None) or (pk == "tensor" and prediction.data is None):
        return 0.0, (), None  # a tensor too big to carry its numbers is never compared
    if tk == "error" or pk == "error":
        same = pk == tk and _exception_equal(str(prediction.data), str(truth.data))
        return (1.0 if same else 0.0), (), None
    if tk == "none" or pk == "none":
        return (1.0 if pk == tk else 0.0), (), None
    if tk == "shape" or pk == "shape":
        return _compare_shapes(prediction, truth)
    if tk == "name" and pk == "name":
        return (1.0 if _names_equal(str(prediction.data), str(truth.data)) else 0.0), (), None
    if pk == "bool" or tk == "bool":
        return _compare_bools(prediction, truth)
    if is_numeric(prediction) and is_numeric(truth):
        return _compare_numbers(prediction, truth, tol)
    if tk == "text" and pk in ("text", "name"):
        return (1.0 if prediction.data == truth.data else 0.0), (), None
    return 0.0, (), None


def _compare_numbers(prediction: Value, truth: Value, tol: float) -> _Result:
    pairs = aligned(prediction, truth)
    if pairs is None:
        pshape, tshape = shape_of(prediction), shape_of(truth)
        return (
            0.0,
            (),
            Diagnosis(
                "shape",
                f"torch gives a tensor of shape {list(tshape)}, yours has shape {list(pshape)}",
            ),
        )
    p, t = pairs
    if not t:
        return 1.0, (), None
    wrong = [i for i, (x, y) in enumerate(zip(p, t, strict=True)) if not close(x, y, tol)]
    if not wrong:
        return 1.0, (), None
    credit = (len(t) - len(wrong)) / len(t)
    if len(t) == 1:
        return 0.0, (), None
    shape = shape_of(truth)
    indices = tuple(_unravel(i, shape) for i in wrong)
    return credit, indices, Diagnosis("elements", _elements_message(indices, wrong, p, t))


def _elements_message(indices: tuple, flat_wrong: list[int], p: list, t: list) -> str:
    count = len(flat_wrong)
    head = f"{count} of {len(t)} elements {'is' if count == 1 else 'are'} off: "
    parts = [
        f"{''.join(f'[{j}]' for j in index)} is {format_number(t[i])}, "
        f"you said {format_number(p[i])}"
        for index, i in zip(indices[:MAX_LISTED_ELEMENTS], flat_wrong, strict=False)
    ]
    more = count - MAX_LISTED_ELEMENTS
    tail = f"; and {more} more" if more > 0 else ""
    return head + "; ".join(parts) + tail


def _unravel(flat_index: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    out = []
    for dim in reversed(shape):
        out.append(flat_index % dim)
        flat_index //= dim
    return tuple(reversed(out))


def _as_dims(value: Value) -> list[int] | None:
    """A shape's dimensions; a list of whole numbers (``[3, 3]``) counts as a shape too."""
    if value.kind == "shape":
        return [int(d) for d in value.data]
    if value.kind == "tensor" and value.shape is not None and len(value.shape) == 1:
        dims = []
        for x in value.data:
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                return None
            if x != int(x) or x < 0:
                return None
            dims.append(int(x))
        return dims
    return None


def _compare_shapes(prediction: Value, truth: Value) -> _Result:
    p, t = _as_dims(prediction), _as_dims(truth)
    if p is None or t is None:
        return 0.0, (), None
    if p == t:
        return 1.0, (), None
    return (
        0.0,
        (),
        Diagnosis("shape", f"torch gives torch.Size({t}), you said torch.Size({p})"),
    )


def _compare_bools(prediction: Value, truth: Value) -> _Result:
    def as_bool(v: Value) -> bool | None:
        if v.kind == "bool":
            return bool(v.data)
        if v.kind == "tensor" and v.numel == 1:
            x = v.flat()[0]
            return x if isinstance(x, bool) else None
        return None

    p, t = as_bool(prediction), as_bool(truth)
    return (1.0 if p is not None and p == t else 0.0), (), None


def _exception_equal(predicted: str, truth: str) -> bool:
    """Exception class names compare without case: ``runtimeerror`` is ``RuntimeError``."""
    return predicted.strip().lower() == truth.strip().lower()


def _error_diagnosis(prediction: Value, truth: Value) -> Diagnosis:
    """What differs when an error is the answer or the prediction."""
    if truth.kind == "error":
        said = f"torch raised {truth.data}" + (f": {truth.message}" if truth.message else "")
        if prediction.kind == "error":
            return Diagnosis("error", f"{said}; you said it raises {prediction.data}")
        return Diagnosis("error", f"{said}; you said it gives {_show(prediction)}")
    return Diagnosis(
        "error", f"it runs without an error: torch gives {_show(truth)}, you said it raises"
    )


def _names_equal(predicted: str, truth: str) -> bool:
    """Case-insensitive; a name without the version digit (``PowBackward``) matches any."""
    a, b = predicted.strip().lower(), truth.strip().lower()
    if a == b:
        return True
    stem = b.rstrip("0123456789")
    return bool(a) and stem != b and a == stem
