"""The graph layout as a pure function (no Textual, no torch): widths, the reveal rule, size."""

from __future__ import annotations

import pytest

from autograd_tutor.graph import graph_from_json, graph_lines, render_graph
from autograd_tutor.graph.layout import MAX_LINES

# The graph the worker sends for loss = (x*w - y)**2 after loss.backward() (x=1, y=2, w=1).
CHAIN = {
    "nodes": [
        {
            "id": 0,
            "kind": "op",
            "op": "PowBackward0",
            "label": "loss",
            "shape": [],
            "value": 1.0,
            "requires_grad": True,
            "grads": [1.0],
        },
        {
            "id": 1,
            "kind": "op",
            "op": "SubBackward0",
            "label": "s",
            "shape": [],
            "value": -1.0,
            "requires_grad": True,
            "grads": [-2.0],
        },
        {
            "id": 2,
            "kind": "op",
            "op": "MulBackward0",
            "label": "y_hat",
            "shape": [],
            "value": 1.0,
            "requires_grad": True,
            "grads": [-2.0],
        },
        {
            "id": 3,
            "kind": "leaf",
            "op": "AccumulateGrad",
            "label": "w",
            "shape": [],
            "value": 1.0,
            "requires_grad": True,
            "grads": [-2.0],
            "grad_before": None,
            "grad_attr": -2.0,
            "grad_is_none": False,
        },
    ],
    "edges": [
        {
            "src": 1,
            "dst": 0,
            "index": 0,
            "grads": [-2.0],
            "local": -2.0,
            "formula": {"kind": "pow", "exponent": 2},
        },
        {
            "src": 2,
            "dst": 1,
            "index": 0,
            "grads": [-2.0],
            "local": 1.0,
            "formula": {"kind": "constant", "value": 1},
        },
        {
            "src": 3,
            "dst": 2,
            "index": 1,
            "grads": [-2.0],
            "local": 1.0,
            "formula": {"kind": "mul", "other_label": "x"},
        },
    ],
    "roots": [0],
    "truncated": False,
    "gradients": True,
}

GRADIENT_WORDS = ("d loss/d", "flows back", "link", ".grad", "-2")


def test_after_the_reveal_the_chain_reads_link_by_link() -> None:
    text = "\n".join(graph_lines(graph_from_json(CHAIN), 80, show_gradients=True))
    for expected in (
        "d loss/d loss = 1",
        "d loss/d s = -2",
        "d loss/d y_hat = -2",
        "d loss/d w = -2",
        "link d loss/d s = 2·s = -2",
        "link d s/d y_hat = 1",
        "link d y_hat/d w = x = 1",
        "w.grad = -2",
    ):
        assert expected in text, text
    order = [text.index(f"d loss/d {name} =") for name in ("loss", "s", "y_hat", "w")]
    assert order == sorted(order)  # top to bottom: from the output down to the leaf


def test_before_the_reveal_no_gradient_is_drawn_even_when_the_data_has_one() -> None:
    lines = graph_lines(graph_from_json(CHAIN), 200, show_gradients=False)
    text = "\n".join(lines)
    assert "loss = 1 · PowBackward0" in text and "w = 1 · leaf" in text
    for word in GRADIENT_WORDS:
        assert word not in text, (word, text)


@pytest.mark.parametrize("width", [80, 200])
def test_lines_fit_the_width_and_wide_screens_put_details_beside_the_node(width: int) -> None:
    drawing = render_graph(graph_from_json(CHAIN), width, show_gradients=True)
    assert all(len(line) <= width for line in drawing.lines)
    w_line = drawing.lines[drawing.node_lines[3]]
    assert w_line.lstrip("└─│├ ").startswith("w = 1")
    if width == 200:
        assert "d loss/d w = -2" in w_line  # the room is used: one line per node
        assert len(drawing.lines) == 4
    else:
        assert "d loss/d w = -2" not in w_line  # details below the node at 80 columns
        assert len(drawing.lines) > 4


def _chain(n: int) -> dict:
    nodes = [{"id": i, "kind": "op", "op": "MulBackward0", "label": f"t{i}"} for i in range(n)]
    nodes[-1] = {"id": n - 1, "kind": "leaf", "op": "AccumulateGrad", "label": "x", "value": 1.0}
    edges = [{"src": i + 1, "dst": i} for i in range(n - 1)]
    return {"nodes": nodes, "edges": edges, "roots": [0], "truncated": True}


def test_a_graph_too_large_is_cut_with_a_note_never_a_hang() -> None:
    drawing = render_graph(graph_from_json(_chain(3000)), 80, show_gradients=False)
    assert drawing.cut
    assert len(drawing.lines) <= MAX_LINES + 2
    assert any("graph too large" in line and "more nodes" in line for line in drawing.lines)
    assert any("bigger than the worker sends" in line for line in drawing.lines)
    assert all(len(line) <= 80 for line in drawing.lines)  # deep nesting stays in the width


def test_a_wide_fan_in_and_a_shared_node_are_drawn_once_each() -> None:
    leaves = [
        {"id": i, "kind": "leaf", "op": "AccumulateGrad", "label": f"w{i}"} for i in range(1, 301)
    ]
    graph = {
        "nodes": [{"id": 0, "kind": "op", "op": "AddBackward0", "label": "total"}, *leaves],
        "edges": [{"src": i, "dst": 0, "index": i} for i in range(1, 301)]
        + [{"src": 1, "dst": 2, "index": 0}],
        "roots": [0],
    }
    drawing = render_graph(graph_from_json(graph), 80, show_gradients=False)
    assert len(drawing.node_lines) == 301
    assert sum("w1 ·" in line for line in drawing.lines) == 1
    assert any("↑ w1 (drawn above)" in line for line in drawing.lines)


def test_malformed_graph_data_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="malformed"):
        graph_from_json({"nodes": [{"kind": "op"}]})
    with pytest.raises(ValueError):
        graph_from_json(["not", "a", "graph"])


def test_two_backward_calls_show_both_contributions_to_grad() -> None:
    graph = {
        "nodes": [
            {"id": 0, "kind": "op", "op": "PowBackward0", "grads": [None, 1.0]},
            {
                "id": 1,
                "kind": "leaf",
                "op": "AccumulateGrad",
                "label": "x",
                "value": 2.0,
                "requires_grad": True,
                "grads": [3.0, 4.0],
                "grad_before": None,
                "grad_attr": 7.0,
                "grad_is_none": False,
            },
        ],
        "edges": [
            {
                "src": 1,
                "dst": 0,
                "grads": [None, 4.0],
                "local": 4.0,
                "formula": {"kind": "pow", "exponent": 2},
            }
        ],
        "roots": [0],
        "gradients": True,
    }
    text = " ".join(graph_lines(graph_from_json(graph), 200, show_gradients=True))
    assert "x.grad = 3 (backward() #1) + 4 (backward() #2) = 7" in text
    assert "d out/d x = 3 then 4" in text


def test_what_a_later_step_asks_for_is_left_out_of_an_earlier_graph() -> None:
    from autograd_tutor.graph.source import later_answers, without_later_answers

    later = later_answers(["loss", "s.grad"], ["w.grad.item()", "loss", "s.grad", "y_hat", "x[0]"])
    assert later.grads == {"w"} and later.values == {"y_hat", "x"}
    graph = without_later_answers(graph_from_json(CHAIN), later)
    text = "\n".join(graph_lines(graph, 200, show_gradients=True))
    assert "d loss/d s = -2" in text  # asked already: stays
    assert "d loss/d w" not in text and "w.grad: a later step asks for it" in text
    assert "w.grad =" not in text
    assert "d y_hat/d w" not in text  # what flowed along w's link would give it away too
    assert "y_hat = 1 ·" not in text and "y_hat · MulBackward0" in text
    assert "a later step asks for" in text
    untouched = without_later_answers(graph_from_json(CHAIN), later_answers(["loss"], ["q.grad"]))
    assert untouched == graph_from_json(CHAIN)
