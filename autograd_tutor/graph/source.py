"""What a UI gets when the learner opens the graph: :class:`GraphView`, and the rule for when
a step's graph may be drawn before its run (``preview_withheld``). No torch, no Textual."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from autograd_tutor.grading.kinds import takes_errors
from autograd_tutor.graph.model import Graph, GraphEdge, GraphNode

# Questions about the graph itself: drawing it before the run would answer them.
_STRUCTURE = re.compile(r"\b(grad_fn|requires_grad|is_leaf|next_functions|_version)\b")
# A question about a variable's value (``y``, ``y.item()``, ``y[0]``) or its gradient
# (``w.grad``, ``w.grad.item()``, ``w.grad[1]``).
_VALUE = re.compile(r"([A-Za-z_]\w*)(\.item\(\)|\[[^\]]*\])?")
_GRAD = re.compile(r"([A-Za-z_]\w*)\.grad(\.item\(\)|\[[^\]]*\])?")


@dataclass(frozen=True)
class GraphView:
    """A step's graph as the UIs show it.

    ``graph`` is None when there is nothing to draw (``message`` says why). ``revealed``:
    drawn from the step's run, gradients included; False: the forward structure only, from a
    preview of the step's code (never a gradient, never a value a question asks for).
    """

    graph: Graph | None
    revealed: bool
    message: str = ""


_READS_ONLY = (ast.Name, ast.Attribute, ast.Subscript, ast.Constant, ast.Slice, ast.Tuple, ast.Load)


def drawn_expr(expr: str) -> str | None:
    """What the graph draws for a question on ``expr``: the expression itself, except for a
    call question (``y.backward()``, ``w.add_(1)``: its answer may be an error), which is never
    evaluated again to draw it (it would run again): then the object it is called on (``y``),
    when reading that runs nothing, else None (nothing is drawn for the question)."""
    if not takes_errors(expr):
        return expr
    try:
        tree = ast.parse(expr.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Attribute):
        return None  # a function call (torch.autograd.grad(y, x)): no one object it acts on
    receiver = tree.func.value
    if not all(isinstance(node, _READS_ONLY) for node in ast.walk(receiver)):
        return None
    root = receiver
    while isinstance(root, (ast.Attribute, ast.Subscript)):
        root = root.value
    if isinstance(root, ast.Name) and root.id == "torch":
        return None  # a module's function (torch.nn.init.zeros_(w)), not a tensor's method
    return ast.unparse(receiver)


def preview_withheld(exprs: Sequence[str], *, training: bool = False) -> str | None:
    """Why this step's graph is drawn only after its run, or None when it may be previewed."""
    if training:
        return "A training step's graph is drawn after it has run."
    for expr in exprs:
        match = _STRUCTURE.search(expr)
        if match:
            return (
                f"A question here asks about the graph itself ({match.group(1)}), so the "
                "graph is drawn after the step has run."
            )
    return None


@dataclass(frozen=True)
class LaterAnswers:
    """Variables whose value, or whose gradient, a later step asks for and no step up to
    this one has revealed: a graph drawn now must not show them."""

    values: frozenset[str]
    grads: frozenset[str]


def later_answers(asked_before: Iterable[str], asked_later: Iterable[str]) -> LaterAnswers:
    """From the question expressions of the steps up to this one and of the later ones."""

    def split(exprs: Iterable[str]) -> tuple[set[str], set[str]]:
        values: set[str] = set()
        grads: set[str] = set()
        for expr in exprs:
            text = expr.replace(" ", "")
            grad = _GRAD.fullmatch(text)
            value = _VALUE.fullmatch(text)
            if grad:
                grads.add(grad.group(1))
            elif value:
                values.add(value.group(1))
        return values, grads

    seen_values, seen_grads = split(asked_before)
    later_values, later_grads = split(asked_later)
    return LaterAnswers(frozenset(later_values - seen_values), frozenset(later_grads - seen_grads))


def without_later_answers(graph: Graph, later: LaterAnswers) -> Graph:
    """``graph`` with the values and gradients of ``later`` left out (a node's own value,
    the gradient arriving at it, a leaf's ``.grad``, and what flowed along its links)."""
    if not later.values and not later.grads:
        return graph
    hidden_grad_ids = {n.id for n in graph.nodes if n.label in later.grads}
    hidden_values = {n.id for n in graph.nodes if n.label in later.values and n.value is not None}
    if not hidden_grad_ids and not hidden_values:
        return graph
    nodes: list[GraphNode] = []
    for node in graph.nodes:
        if node.label in later.values:
            node = dataclasses.replace(node, value=None)
        if node.id in hidden_grad_ids:
            node = dataclasses.replace(
                node,
                grads=(),
                grad_before=None,
                grad_attr=None,
                grad_is_none=False,
                note=f"{node.label}.grad: a later step asks for it",
            )
        nodes.append(node)
    edges: list[GraphEdge] = [
        dataclasses.replace(e, grads=(), local=None) if e.src in hidden_grad_ids else e
        for e in graph.edges
    ]
    notes = graph.notes + (
        "values and gradients a later step asks for are left out until it has run",
    )
    return dataclasses.replace(graph, nodes=tuple(nodes), edges=tuple(edges), notes=notes)


FOCUS_NODES = 30  # a bigger graph is drawn first as the part the step's questions ask about


def asked_part(graph: Graph) -> Graph | None:
    """For a graph of more than ``FOCUS_NODES`` nodes, the part the step's questions ask
    about: the nodes they name, every node that used them on the way to the output (so the
    flows into each kept node are all there), and what each named node was computed from.
    None when the graph is small, no question names a node in it, or the part is all of it.
    """
    if len(graph.nodes) <= FOCUS_NODES:
        return None
    asked = [n.id for n in graph.nodes if n.asked]
    keep = set(asked)
    stack = list(asked)
    while stack:
        for edge in graph.users(stack.pop()):
            if edge.dst not in keep:
                keep.add(edge.dst)
                stack.append(edge.dst)
    keep |= {e.src for a in asked for e in graph.inputs(a)}
    if not asked or len(keep) >= len(graph.nodes):
        return None
    return dataclasses.replace(
        graph,
        nodes=tuple(n for n in graph.nodes if n.id in keep),
        edges=tuple(e for e in graph.edges if e.src in keep and e.dst in keep),
        roots=tuple(r for r in graph.roots if r in keep),
        call_roots=tuple(
            tuple(r if r in keep else -1 for r in roots) for roots in graph.call_roots
        ),
        whole_nodes=len(graph.nodes),
    )
