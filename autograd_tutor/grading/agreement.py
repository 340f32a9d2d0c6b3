"""Whether torch agrees with an author's ``expect``, and if not, what differs, element by element.

One place decides it for ``check`` (which fails the lesson) and for the app (which warns that
the lesson's ``expect`` is wrong and records the attempt as such, never against the learner).
The message names the differing element the way it is indexed in Python:
``z.grad[2]: expect 0.625, torch -0.375``. An error as the answer agrees when torch raised the
same exception class and its message holds the ``match`` text (case aside).
"""

from __future__ import annotations

from autograd_tutor.grading.diagnoses import aligned, close, shape_of
from autograd_tutor.grading.score import DEFAULT_TOLERANCE, same_value
from autograd_tutor.values import Value, format_number

MAX_NAMED = 3  # differing elements named in one message


def disagreement(
    expr: str, expect: Value, truth: Value, tolerance: float | None = None
) -> str | None:
    """None when ``truth`` (torch's value) scores right against ``expect``; else one line that
    says what differs: ``z.grad[2]: expect 0.625, torch -0.375``."""
    if expect.kind == "error" or truth.kind == "error":
        return _error_disagreement(expr, expect, truth)
    if same_value(expect, truth, tolerance):
        return None
    tol = DEFAULT_TOLERANCE if tolerance is None else tolerance
    pairs = aligned(expect, truth)
    if pairs is not None and shape_of(truth):
        wanted, got = pairs
        shape = shape_of(truth)
        differing = [
            i for i, (a, b) in enumerate(zip(wanted, got, strict=True)) if not close(a, b, tol)
        ]
        if differing:
            parts = [
                f"{expr}{_index(i, shape)}: expect {format_number(wanted[i])}, "
                f"torch {format_number(got[i])}"
                for i in differing[:MAX_NAMED]
            ]
            more = len(differing) - MAX_NAMED
            tail = f" (and {more} more of {len(got)} elements)" if more > 0 else ""
            return "; ".join(parts) + tail
    if expect.kind == "tensor" and truth.kind == "tensor" and shape_of(expect) != shape_of(truth):
        return (
            f"{expr}: expect shape {list(shape_of(expect))}, torch gives shape "
            f"{list(shape_of(truth))} ({_show(truth)})"
        )
    return f"{expr}: expect {_show(expect)}, torch gives {_show(truth)}"


def _error_disagreement(expr: str, expect: Value, truth: Value) -> str | None:
    if expect.kind != "error":
        raised = f"{truth.data}" + (f": {truth.message}" if truth.message else "")
        return f"{expr}: expect {_show(expect)}, torch raised {raised}"
    if truth.kind != "error":
        return f"{expr}: expect it to raise {expect.data}, torch gives {_show(truth)}"
    if str(expect.data).lower() != str(truth.data).lower():
        return (
            f"{expr}: expect it to raise {expect.data}, torch raised {truth.data}: {truth.message}"
        )
    match = expect.message
    if match and match.lower() not in truth.message.lower():
        return (
            f"{expr}: expect {expect.data} with {match!r} in its message, torch raised "
            f"{truth.data}: {truth.message}"
        )
    return None


def _index(flat: int, shape: tuple[int, ...]) -> str:
    out = []
    for dim in reversed(shape):
        out.append(flat % dim)
        flat //= dim
    return "[" + ", ".join(str(i) for i in reversed(out)) + "]"


def _show(value: Value) -> str:
    try:
        return value.display()
    except (TypeError, ValueError, OverflowError):
        return f"a {value.kind}"
