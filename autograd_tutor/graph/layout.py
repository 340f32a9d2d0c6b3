"""The graph drawn as lines of text: a pure function of the graph data and the width.

Drawn top to bottom from the output down to the leaves, as an indented tree (the direction the
gradient flows in ``backward()``): each node on its own line, what it was computed from
indented below it, a node used twice drawn once and pointed at afterwards. At 80 columns a
node's details go on lines below it; with room (``WIDE`` columns and more) they go beside it.
Before the reveal (``show_gradients=False``) nothing about gradients is drawn, whatever the
data holds: only the structure and the numbers the worker let through.

Nothing here imports Textual or torch; both UIs (the graph panel and ``--plain``) use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autograd_tutor.graph.model import Graph, GraphEdge, GraphNode, format_numbers
from autograd_tutor.graph.words import (
    constant_text,
    cut_text,
    derivative,
    formula_text,
    graph_notes,
    leaf_none_text,
    tensor_text,
)

WIDE = 120  # from this width a node's details share its line
MAX_LINES = 400  # a bigger drawing is cut, with a note saying how much was left out
MIN_WIDTH = 20


@dataclass
class Drawing:
    """The lines, and for each node the line where it is drawn (for moving between nodes)."""

    lines: list[str] = field(default_factory=list)
    node_lines: dict[int, int] = field(default_factory=dict)
    cut: bool = False


def output_name(graph: Graph) -> str:
    """What the gradients are of: the first root backward() ran from, by its variable name."""
    tops = [graph.node(t) for t in graph.roots if any(g is not None for g in graph.node(t).grads)]
    return (tops[0].label if tops else None) or "out"


def describe_node(node: GraphNode, *, show_values: bool = True) -> str:
    """``y_hat = 1 · MulBackward0`` / ``w = 1 · leaf, requires_grad`` (no gradient)."""
    head = node.name
    if show_values and node.value is not None:
        head += f" = {format_numbers(node.value, 60)}"
    if node.shape:  # not for 0-d tensors
        head += f" ({'×'.join(str(d) for d in node.shape)})"
    if node.kind == "leaf":
        kind = "leaf · AccumulateGrad"
        if node.requires_grad:
            kind += " · requires_grad"
    elif node.kind == "tensor":
        kind = "tensor · no grad_fn"
    else:
        kind = node.op or "op"
    if node.label is None and node.kind == "op":
        return f"{kind} (no name)"
    return f"{head} · {kind}"


def _adds_up(parts: list[Any], total: Any, tolerance: float = 1e-4) -> bool:
    """Whether the numbers (or equally nested lists) in ``parts`` sum to ``total``."""
    if isinstance(total, list):
        if not all(isinstance(p, list) and len(p) == len(total) for p in parts):
            return False
        return all(_adds_up([p[i] for p in parts], total[i], tolerance) for i in range(len(total)))
    if not isinstance(total, (int, float)) or not all(isinstance(p, (int, float)) for p in parts):
        return False
    return abs(sum(parts) - total) <= tolerance * max(1.0, abs(total))


def arrival_text(graph: Graph, node: GraphNode) -> str | None:
    """The gradient that arrived at ``node``, per backward() call; where it came along more
    than one link, as the sum of the flows along them (``-2 + -2 = -4``)."""
    texts = []
    links = 0
    for call, grad in enumerate(node.grads):
        if grad is None:
            continue
        flows = [e.flow(call) for e in graph.users(node.id) if e.flow(call) is not None]
        if len(flows) > 1 and _adds_up(flows, grad):
            links = max(links, len(flows))
            terms = " + ".join(format_numbers(f, 40) for f in flows)
            texts.append(f"{terms} = {format_numbers(grad, 60)}")
        else:
            texts.append(format_numbers(grad, 120))
    for grads in node.output_grads:
        if grads is not None:
            outputs = ", ".join(format_numbers(g, 40) for g in grads)
            texts.append(f"[{outputs}] (one per output)")
    if not texts:
        return None
    text = " then ".join(texts)
    return f"{text} (the flows along its {links} links add up)" if links else text


def node_gradient_lines(graph: Graph, node: GraphNode, of: str) -> list[str]:
    """After the reveal: the gradient arriving at ``node``, and a leaf's ``.grad`` sum."""
    out: list[str] = []
    arrived = arrival_text(graph, node)
    if arrived:
        out.append(f"{derivative(of, node.name)} = {arrived}")
    reached = [(call, g) for call, g in enumerate(node.grads) if g is not None]
    if node.kind == "leaf":
        if node.grad_is_none:
            out.append(node.note or leaf_none_text(graph, node))
        elif reached:
            parts = [g for _, g in reached]
            labels = ["this backward()"] * len(parts)
            if len(parts) > 1:
                labels = [f"backward() #{call + 1}" for call, _ in reached]
            if node.grad_before is not None:
                parts.insert(0, node.grad_before)
                labels.insert(0, "already there")
            if len(parts) > 1 and not _adds_up(parts, node.grad_attr):
                out.append(
                    f"{node.name}.grad = {format_numbers(node.grad_attr, 120)} (after "
                    f"{len(reached)} backward() calls, with .grad reset in between)"
                )
            elif len(parts) > 1:
                terms = " + ".join(
                    f"{format_numbers(p, 60)} ({label})"
                    for p, label in zip(parts, labels, strict=True)
                )
                out.append(
                    f"{node.name}.grad = {terms} = {format_numbers(node.grad_attr, 60)}"
                    " (backward() adds to .grad)"
                )
            else:
                out.append(f"{node.name}.grad = {format_numbers(node.grad_attr, 120)}")
        elif node.grad_attr is not None:
            grad = format_numbers(node.grad_attr, 120)
            if graph.links_recorded:
                grad += " (no backward() reached it in this step)"
            out.append(f"{node.name}.grad = {grad}")
        elif node.note:
            out.append(node.note)
    elif node.kind == "tensor":
        out.append(node.note or tensor_text(graph, node))
    elif node.note:
        out.append(node.note)
    return out


def edge_lines(graph: Graph, edge: GraphEdge, *, show_gradients: bool) -> list[str]:
    """The link from ``edge.dst`` down to its input ``edge.src``: one line per use."""
    if edge.cut:
        return [f"✂ cut: {cut_text(graph, edge)}"]
    if edge.constant:
        return [constant_text(graph, edge)]
    if not show_gradients or not edge.grads:  # a link's derivative once backward() used it
        return []
    user = graph.node(edge.dst)
    used = graph.node(edge.src)
    uses = [e for e in graph.inputs(edge.dst) if e.src == edge.src and not e.constant]
    which = f" {uses.index(edge) + 1} of {len(uses)}:" if len(uses) > 1 else ""
    parts = []
    local = f"link{which} {derivative(user.name, used.name)}"
    formula = formula_text(edge.formula, used.name) if edge.formula else None
    if formula and edge.local is not None and formula != format_numbers(edge.local):
        parts.append(f"{local} = {formula} = {format_numbers(edge.local)}")
    elif formula:
        parts.append(f"{local} = {formula}")
    elif edge.local is not None:
        parts.append(f"{local} = {format_numbers(edge.local)}")
    elif which:
        parts.append(local)
    flows = [format_numbers(g, 120) for g in edge.grads if g is not None]
    if flows:
        parts.append(f"flows back: {' then '.join(flows)}")
    return ["; ".join(parts)] if parts else []


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap to ``width`` (hard-cutting words longer than a line)."""
    width = max(8, width)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def render_graph(
    graph: Graph, width: int, *, show_gradients: bool, max_lines: int = MAX_LINES
) -> Drawing:
    """The graph as lines no wider than ``width``; gradients only when ``show_gradients``."""
    width = max(MIN_WIDTH, width)
    show_gradients = show_gradients and graph.gradients
    drawing = Drawing()
    wide = width >= WIDE
    tops = graph.top()
    of = output_name(graph)
    drawn: set[int] = set()
    # (node id, edge that led here or None, prefix for the node line, prefix below it)
    stack: list[tuple[int, GraphEdge | None, str, str]] = [
        (t, None, "", "") for t in reversed(tops)
    ]
    pending = {n.id for n in graph.nodes}

    def emit(text: str, first: str, rest: str) -> bool:
        if len(drawing.lines) >= max_lines:
            drawing.cut = True
            return False
        first, rest = _bounded(first, width), _bounded(rest, width)
        chunks = wrap(text, width - max(len(first), len(rest)))
        drawing.lines.append(first + chunks[0])
        for chunk in chunks[1:]:
            if len(drawing.lines) >= max_lines:
                drawing.cut = True
                return False
            drawing.lines.append(rest + chunk)
        return True

    while (stack or pending - drawn) and not drawing.cut:
        if not stack:  # a part not reached from the tops (e.g. a detached tensor's source)
            stack.append((min(pending - drawn), None, "", ""))
        node_id, edge, first, below = stack.pop()
        node = graph.node(node_id)
        branch_info = edge_lines(graph, edge, show_gradients=show_gradients) if edge else []
        if node_id in drawn:
            if not emit(f"↑ {node.name} (drawn above)", first, below + "  "):
                break
            for info in branch_info:
                emit(info, below + "  ", below + "  ")
            continue
        drawn.add(node_id)
        drawing.node_lines[node_id] = len(drawing.lines)
        details = list(branch_info)
        if show_gradients:
            details += node_gradient_lines(graph, node, of)
        children = graph.inputs(node_id)
        detail_prefix = below + ("│ " if children else "  ")
        head = describe_node(node)
        if wide and details:
            head = f"{head}   ─   {'; '.join(details)}"
            details = []
        if not emit(head, first, detail_prefix + "  "):
            break
        for info in details:
            if not emit(info, detail_prefix + "  ", detail_prefix + "  "):
                break
        for i, child in reversed(list(enumerate(children))):
            last = i == len(children) - 1
            mark = "✂─ " if child.cut else ("└─ " if last else "├─ ")
            stack.append((child.src, child, below + mark, below + ("   " if last else "│  ")))
    if drawing.cut:
        left = len(pending - drawn)
        more = f", {left} more nodes not drawn" if left else ""
        drawing.lines.extend(wrap(f"… graph too large: cut at {max_lines} lines{more}", width))
    if graph.truncated:
        drawing.lines.extend(
            wrap("… the graph is bigger than the worker sends: the rest is left out", width)
        )
    for note in graph_notes(graph, show_gradients=show_gradients):
        drawing.lines.extend(wrap(f"note: {note}", width))
    drawing.lines = [line[:width] for line in drawing.lines]
    return drawing


def _bounded(prefix: str, width: int) -> str:
    """Indentation never takes more than half the width (a very deep chain stays readable)."""
    limit = max(4, width // 2)
    if len(prefix) <= limit:
        return prefix
    return "…" + prefix[-(limit - 1) :]


def graph_lines(graph: Graph, width: int, *, show_gradients: bool) -> list[str]:
    """Just the lines of :func:`render_graph`."""
    return render_graph(graph, width, show_gradients=show_gradients).lines


def node_detail(graph: Graph, node_id: int, *, show_gradients: bool) -> list[str]:
    """Everything about one node, one fact a line (the panel's Enter, ``--plain``'s detail):
    the gradients first (after the reveal), then the numbers, the links, what the node is."""
    node = graph.node(node_id)
    show_gradients = show_gradients and graph.gradients
    lines = [describe_node(node)]
    if show_gradients:
        lines.extend(node_gradient_lines(graph, node, output_name(graph)))
    if node.value is not None:
        lines.append(f"value: {format_numbers(node.value, 200)}")
    if node.shape is not None:
        shape = "×".join(str(d) for d in node.shape) or "a single number (0-d)"
        lines.append(f"shape: {shape}")
    lines.append(f"requires_grad: {node.requires_grad}")
    for edge in graph.inputs(node_id):
        lines.append(f"computed from: {graph.node(edge.src).name}")
        lines.extend("  " + info for info in edge_lines(graph, edge, show_gradients=show_gradients))
    for edge in graph.users(node_id):
        lines.append(f"used by: {graph.node(edge.dst).name}")
    if node.kind == "leaf":
        lines.append(
            "A leaf: a tensor made directly (not by an operation). backward() stores its "
            "gradient in .grad through its AccumulateGrad node."
        )
    elif node.kind == "op":
        lines.append(f"Made by {node.op}: backward() runs this node to pass the gradient on.")
    return lines
