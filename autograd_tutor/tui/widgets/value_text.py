"""``value_text``: any value (number, tensor, None, shape, name) as Rich text the way a person
reads it, tensors as aligned matrices.

Elements listed in ``wrong`` (indices from ``Score.wrong_elements``) are drawn in the error
colour and followed by ``*`` so they stand out without colour too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text

from autograd_tutor.safe_text import printable
from autograd_tutor.values import Value, format_number

WRONG_STYLE = "bold red"


def _rows(data: Any, shape: tuple[int, ...]) -> list[tuple[tuple[int, ...], list[Any]]]:
    """Split an n-d nested list into rows (index prefix, numbers) along the last axis."""
    if len(shape) == 1:
        return [((), list(data))]
    out: list[tuple[tuple[int, ...], list[Any]]] = []
    for i, item in enumerate(data):
        for prefix, row in _rows(item, shape[1:]):
            out.append(((i, *prefix), row))
    return out


def value_text(value: Value | None, wrong: Iterable[tuple[int, ...]] = ()) -> Text:
    """Rich text for ``value``; matrices get one line per row with aligned columns."""
    if value is None:
        return Text("—", style="dim")
    marked = {tuple(w) for w in wrong}
    if value.kind != "tensor" or not value.shape or not isinstance(value.data, list):
        text = Text(printable(value.display()))
        if marked:
            text.stylize(WRONG_STYLE)
        return text
    shape = tuple(value.shape)
    rows = _rows(value.data, shape)
    cells = [[format_number(x) for x in row] for _, row in rows]
    width = max((len(c) for row in cells for c in row), default=1)
    out = Text()
    depth = len(shape)
    for r, ((prefix, _), row) in enumerate(zip(rows, cells, strict=True)):
        if r:
            out.append("\n")
            # a blank line between 2-d slices of a 3-d or bigger tensor
            if depth > 2 and prefix[-1] == 0:
                out.append("\n")
        out.append(("[" if r == 0 else " ") if depth > 1 else "")
        out.append("[")
        for c, cell in enumerate(row):
            index = (*prefix, c)
            bad = index in marked or (depth == 1 and (c,) in marked)
            out.append(cell.rjust(width), style=WRONG_STYLE if bad else "")
            out.append("*" if bad else " ", style=WRONG_STYLE if bad else "")
            if c < len(row) - 1:
                out.append(" ")
        out.append("]")
        out.append("]" if depth > 1 and r == len(rows) - 1 else "")
    extra = []
    if value.grad_fn:
        extra.append(f"grad_fn={value.grad_fn}")
    if value.dtype and value.dtype not in ("torch.float32", "float32"):
        extra.append(value.dtype)
    if extra:
        out.append("  " + ", ".join(extra), style="dim")
    return out
