"""The graph's sentences: what the worker sends as codes and numbers (``graph/model.py``),
worded the one way the TUI panel and ``--plain`` both show it. No torch, no Textual.
"""

from __future__ import annotations

from autograd_tutor.graph.model import Formula, Graph, GraphEdge, GraphNode, format_number


def derivative(of: str, wrt: str) -> str:
    """``d loss/d s``: how the tutor writes a derivative (a screen reader says it plainly)."""
    return f"d {of}/d {wrt}"


def formula_text(formula: Formula, src: str) -> str | None:
    """A link's local derivative in symbols: ``2·s``, ``3·s^2``, ``x``, ``1``, ``-1``."""
    if formula.kind == "pow" and formula.exponent is not None:
        n = formula.exponent
        if n == 2:
            return f"2·{src}"
        return f"{format_number(n)}·{src}^{format_number(n - 1)}"
    if formula.kind == "mul":
        if formula.other_label:
            return formula.other_label
        if formula.other_value is not None:
            return format_number(formula.other_value)
        return "the other factor"
    if formula.kind == "constant":
        if formula.value == "each":
            return "1 (for each element)"
        if formula.value == "mean":
            return "1/n (for each of the n elements)"
        if isinstance(formula.value, (int, float)):
            return format_number(formula.value)
    return None


def cut_text(graph: Graph, edge: GraphEdge) -> str:
    """Why no gradient flows along a link autograd does not have (``edge.cut``)."""
    made, source = graph.node(edge.dst).name, graph.node(edge.src).name
    if edge.cut == "no_grad":
        how = f" ({edge.cut_op})" if edge.cut_op else ""
        return (
            f"{made} was made under torch.no_grad() from {source}{how}: autograd recorded "
            "nothing, so no gradient flows back along this link"
        )
    attribute = "data" if edge.cut == "data" else "detach()"
    return (
        f"{made} = {source}.{attribute}: the same numbers with no history, so no gradient "
        "flows back along this link"
    )


def constant_text(graph: Graph, edge: GraphEdge) -> str:
    """A link from a tensor with no history: the operation used its numbers, nothing flows."""
    return (
        f"no gradient flows here: {graph.node(edge.src).name} has no history (requires_grad=False)"
    )


def cut_kinds(graph: Graph) -> list[str]:
    """The ways the graph was cut, as a learner writes them (``detach()``, ``torch.no_grad()``)."""
    words = {"detach": "detach()", "data": ".data", "no_grad": "torch.no_grad()"}
    return sorted({words.get(e.cut, e.cut) for e in graph.edges if e.cut})


def leaf_none_text(graph: Graph, node: GraphNode) -> str:
    """Why a leaf's ``.grad`` is None after the run."""
    name = node.label or "this leaf"
    text = f"{name}.grad stays None: no backward() has reached {name}"
    kinds = cut_kinds(graph)
    if kinds:
        text += f" (a path back to it was cut by {' and '.join(kinds)})"
    return text


def tensor_text(graph: Graph, node: GraphNode) -> str:
    """What a tensor with no history is, for a learner wondering where its gradient went."""
    name = node.label or "it"
    if any(e.dst == node.id and e.cut for e in graph.edges) or node.made_by:
        kept = f"{node.label}.grad stays None" if node.label else "no gradient is kept for it"
        return f"requires_grad=False, no grad_fn: {kept}"
    return (
        f"requires_grad=False and no grad_fn: autograd keeps no history for {name} and "
        f"{name}.grad stays None (it was made from tensors that need no grad, under "
        "torch.no_grad(), or by detach())"
    )


def graph_notes(graph: Graph, *, show_gradients: bool) -> list[str]:
    """The notes under a drawing: what is left out of it, and why."""
    notes: list[str] = []
    if graph.error is not None:
        notes.append(f"no graph: {graph.error[0]}: {graph.error[1]}")
    if graph.truncated and graph.node_limit:
        notes.append(f"graph cut at {graph.node_limit} nodes")
    if graph.stopped_at_line is not None:
        notes.append(
            f"drawn from the code up to line {graph.stopped_at_line}: the rest reads what "
            "backward() computes, and nothing is computed before the run"
        )
    if show_gradients and graph.gradients and not graph.links_recorded:
        notes.append(
            f"this step called backward() {graph.backward_calls} times: drawn is the graph its "
            "variables hold now, with each leaf's final .grad (the gradient along every link "
            f"is drawn for steps with at most {graph.recorded_calls} backward() calls)"
        )
    notes.extend(n for n in graph.notes if show_gradients or "gradient" not in n)
    return notes


def part_text(graph: Graph, how_to_see_all: str) -> str:
    """The line above the asked part of a big graph (``source.asked_part``)."""
    return (
        f"This graph has {graph.whole_nodes} nodes: drawn are the {len(graph.nodes)} that the "
        f"step's questions ask about, with every link up to the output. {how_to_see_all} "
        "for the whole graph."
    )
