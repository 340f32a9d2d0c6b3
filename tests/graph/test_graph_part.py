"""A graph of more than ~30 nodes: the UIs say so and draw the part the step's questions ask
about (``source.asked_part``), with the whole graph one key or word away."""

from __future__ import annotations

from autograd_tutor.graph import graph_from_json, graph_lines
from autograd_tutor.graph.source import FOCUS_NODES, GraphView, asked_part
from autograd_tutor.graph.text import view_text


def big_graph(n: int = 40) -> dict:
    """loss = t0, t_i = t_{i+1} + x_i (n - 1 additions), the last one t = w * k: w is asked."""
    nodes = [
        {"id": 0, "kind": "op", "op": "AddBackward0", "label": "loss", "grads": [1.0]},
        {"id": 1, "kind": "leaf", "op": "AccumulateGrad", "label": "w", "asked": True},
    ]
    nodes[1].update(requires_grad=True, grads=[3.0], grad_attr=3.0)
    edges = []
    chain = 0
    for i in range(n):
        leaf = {"id": 2 + 2 * i, "kind": "leaf", "op": "AccumulateGrad", "label": f"x{i}"}
        op = {"id": 3 + 2 * i, "kind": "op", "op": "AddBackward0", "grads": [1.0]}
        nodes += [{**leaf, "requires_grad": True, "grads": [1.0], "grad_attr": 1.0}, op]
        edges += [
            {"src": op["id"], "dst": chain, "index": 0, "grads": [1.0]},
            {"src": leaf["id"], "dst": chain, "index": 1, "grads": [1.0]},
        ]
        chain = op["id"]
    nodes[-1].update(op="MulBackward0")
    edges.append({"src": 1, "dst": chain, "index": 0, "grads": [3.0]})
    return {"nodes": nodes, "edges": edges, "roots": [0], "gradients": True, "call_roots": [[0]]}


def test_the_part_is_the_asked_node_and_every_link_up_to_the_output() -> None:
    graph = graph_from_json(big_graph())
    assert len(graph.nodes) > FOCUS_NODES
    part = asked_part(graph)
    assert part is not None and part.whole_nodes == len(graph.nodes)
    labels = {n.label for n in part.nodes}
    assert "w" in labels and "loss" in labels and "x0" not in labels
    assert len(part.nodes) == 2 + 40  # w, loss and the 40 additions on the way
    text = "\n".join(graph_lines(part, 80, show_gradients=True))
    assert "d loss/d w = 3" in text and "w.grad = 3" in text


def test_a_small_graph_or_one_nothing_is_asked_about_is_drawn_whole() -> None:
    small = big_graph(5)
    assert asked_part(graph_from_json(small)) is None
    unasked = big_graph()
    unasked["nodes"][1]["asked"] = False
    assert asked_part(graph_from_json(unasked)) is None


def test_plain_text_says_how_big_and_how_to_see_all() -> None:
    view = GraphView(graph_from_json(big_graph()), True)
    text = view_text(view, "Graph of step 1, after its run:", 80)
    assert "This graph has 82 nodes: drawn are the 42 that the step's questions ask" in text
    assert "Type `graph all` for the whole graph." in text.replace("\n  ", " ")
    assert "x0" not in text
    whole = view_text(view, "Graph of step 1, after its run:", 80, whole=True)
    assert "x0 · leaf" in whole and "This graph has" not in whole


def test_a_graph_the_worker_could_not_walk_says_why() -> None:
    failed = {
        "nodes": [],
        "edges": [],
        "roots": [],
        "error": {"type": "RuntimeError", "message": "odd node"},
    }
    assert graph_lines(graph_from_json(failed), 80, show_gradients=True) == [
        "note: no graph: RuntimeError: odd node"
    ]
