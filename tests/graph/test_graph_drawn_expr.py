"""What the graph draws for a question: the expression, or for a call the object it acts on
when reading that runs nothing (a call is never evaluated again to draw it)."""

from __future__ import annotations

import pytest

from autograd_tutor.graph.source import drawn_expr


@pytest.mark.parametrize(
    ("expr", "drawn"),
    [
        ("x.grad", "x.grad"),
        ("y", "y"),
        ("y.backward()", "y"),
        ("y.backward(retain_graph=True)", "y"),
        ("w.add_(1)", "w"),
        ("model.fc.weight.grad.zero_()", "model.fc.weight.grad"),
        ("ys[0].backward()", "ys[0]"),
        ("w.grad.item()", "w.grad.item()"),  # a number question: evaluated as it is
        ("y.sum()", "y"),  # a call question too (its hint offers "raises")
        ("(a * b).sum().backward()", None),  # reading the receiver would compute (and call)
        ("f(x).backward()", None),
        ("torch.autograd.grad(y, x)", None),
        ("torch.nn.init.zeros_(w)", None),
        ("print(x)", None),
    ],
)
def test_a_call_draws_what_it_acts_on_never_the_call(expr: str, drawn: str | None) -> None:
    assert drawn_expr(expr) == drawn
