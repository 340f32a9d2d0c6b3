"""The autograd graph of a step as the UIs read it: frozen dataclasses built from the plain
dict the worker sends (``autograd_tutor/worker/graph_capture.py`` writes it). Facts only:
numbers, op names and codes; ``graph/words.py`` makes the sentences.

The dict::

    {"nodes": [{"id": 0, "kind": "op" | "leaf" | "tensor", "op": "MulBackward0" | None,
                "label": "y_hat" | None, "shape": [..] | None, "value": 1.0 | [..] | None,
                "requires_grad": bool, "asked": bool,   # a question names this tensor
                "made_by": "pow",                       # a tensor cut off a graph: its op
                # after the run only, one entry per recorded backward() call (None: not
                # reached in that call):
                "grads": [..],              # the gradient arriving here
                "output_grads": [[..]],     # instead, for a node with several outputs
                "grad_before": .., "grad_attr": .., "grad_is_none": bool}],   # leaves
     "edges": [{"src": 1, "dst": 0, "index": 0,   # data flows src -> dst; one per use
                "slot": 1,                        # which output of src (when not the first)
                # after the run only:
                "grads": [..], "local": -2.0,     # per call; d dst/d src (scalars)
                "formula": {"kind": "pow", "exponent": 2} | {"kind": "mul",
                            "other_label": "x", "other_value": 1.0} | {"kind": "constant",
                            "value": 1 | -1 | "each" | "mean"},
                "cut": "detach" | "data" | "no_grad", "op": "mul",   # a link autograd lacks
                "constant": bool}],               # an input with no history: no gradient
     "roots": [0], "truncated": bool, "node_limit": 200, "gradients": bool,
     "backward_calls": 1, "links_recorded": bool, "recorded_calls": 1,
     "call_roots": [[0]],                         # per recorded call (-1: root not drawn)
     "stopped_at_line": 4,                        # a preview drawn up to this line
     "error": {"type": "RuntimeError", "message": ".."}}   # no graph: why

Nothing here imports torch or Textual.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

from autograd_tutor import values

NodeKind = Literal["op", "leaf", "tensor"]


@dataclass(frozen=True)
class GraphNode:
    id: int
    kind: NodeKind
    op: str | None  # the grad_fn class name ("AccumulateGrad" for leaves), None for "tensor"
    label: str | None  # the lesson's variable name for this tensor, when it has one
    shape: tuple[int, ...] | None
    value: Any  # a number or nested lists when small and shown, else None
    requires_grad: bool
    grads: tuple[Any, ...] = ()  # the gradient arriving here, one per backward() call
    grad_before: Any = None  # leaves: .grad before this step's backward() calls
    grad_attr: Any = None  # leaves: .grad after the step
    grad_is_none: bool = False  # leaves: .grad is None after the step
    note: str | None = None  # set on the UI side only (a gradient kept back for a later step)
    asked: bool = False  # a question of the step names this tensor
    made_by: str | None = None  # a tensor cut off a graph: the op that made it
    output_grads: tuple[Any, ...] = ()  # a node with several outputs: per call, per output

    @property
    def name(self) -> str:
        """What the learner calls it: the variable name, else the op."""
        if self.label or self.op:
            return self.label or self.op or ""
        return f"{self.made_by}(…)" if self.made_by else "tensor"

    def grad_in(self, call: int) -> Any:
        """The gradient that arrived here in recorded call ``call``, or None."""
        return self.grads[call] if call < len(self.grads) else None


@dataclass(frozen=True)
class Formula:
    """The local derivative of a link, as facts: ``pow`` (``exponent``), ``mul`` (the other
    factor: ``other_label`` or ``other_value``), ``constant`` (``value``: 1, -1, ``"each"``
    for a sum, ``"mean"`` for a mean)."""

    kind: str
    exponent: float | int | None = None
    other_label: str | None = None
    other_value: float | int | None = None
    value: float | int | str | None = None


@dataclass(frozen=True)
class GraphEdge:
    src: int  # the input
    dst: int  # the node that used it
    index: int = 0  # which input of dst: a tensor used twice has two edges
    grads: tuple[Any, ...] = ()  # gradient flowing back along this edge, per backward() call
    local: float | None = None  # d dst / d src, from the recorded numbers (scalars)
    formula: Formula | None = None  # the same in symbols
    cut: str | None = None  # a link autograd does not have: "detach", "data", "no_grad"
    cut_op: str | None = None  # the op that made dst from src under no_grad
    constant: bool = False  # src has no history: no gradient flows along this link
    slot: int = 0  # which output of src

    def flow(self, call: int) -> Any:
        """What flowed back along this edge in recorded call ``call``, or None."""
        return self.grads[call] if call < len(self.grads) else None


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    roots: tuple[int, ...]
    truncated: bool = False
    gradients: bool = False  # True: recorded after the run (gradients present)
    notes: tuple[str, ...] = ()  # set on the UI side only
    backward_calls: int = 0  # backward() calls in the step
    links_recorded: bool = True  # False: too many calls (a loop), only leaves' final .grad
    node_limit: int = 0  # the worker sends at most this many nodes
    recorded_calls: int = 0  # backward() calls whose gradients are drawn
    call_roots: tuple[tuple[int, ...], ...] = ()  # per recorded call (-1: root not drawn)
    stopped_at_line: int | None = None  # a preview drawn from the code up to this line
    error: tuple[str, str] | None = None  # (exception type, message): the graph failed
    whole_nodes: int = 0  # set on the UI side: this is the asked part of a graph this big

    def node(self, node_id: int) -> GraphNode:
        return self._by_id[node_id]

    @functools.cached_property
    def _by_id(self) -> dict[int, GraphNode]:
        return {n.id: n for n in self.nodes}

    @functools.cached_property
    def _inputs(self) -> dict[int, list[GraphEdge]]:
        into: dict[int, list[GraphEdge]] = {}
        for edge in self.edges:
            into.setdefault(edge.dst, []).append(edge)
        for edges in into.values():
            edges.sort(key=lambda e: (e.constant or e.cut is not None, e.index))
        return into

    def inputs(self, node_id: int) -> list[GraphEdge]:
        """The edges into ``node_id`` (from what it was computed from), in argument order,
        those a gradient flows along first."""
        return list(self._inputs.get(node_id, ()))

    def users(self, node_id: int) -> list[GraphEdge]:
        """The edges out of ``node_id``: one per use, the links its gradient flows back along."""
        return list(self._users.get(node_id, ()))

    @functools.cached_property
    def _users(self) -> dict[int, list[GraphEdge]]:
        out: dict[int, list[GraphEdge]] = {}
        for edge in self.edges:
            out.setdefault(edge.src, []).append(edge)
        return out

    def call_drawn(self, call: int) -> bool:
        """Whether every root of recorded call ``call`` is drawn (so all its links are)."""
        roots = self.call_roots[call] if call < len(self.call_roots) else ()
        return bool(roots) and all(r >= 0 for r in roots)

    def top(self) -> list[int]:
        """Where drawing starts: the roots nobody uses, then every other node nobody uses."""
        used = {e.src for e in self.edges}
        starts = [r for r in self.roots if r not in used]
        starts += [n.id for n in self.nodes if n.id not in used and n.id not in starts]
        return starts or [n.id for n in self.nodes[:1]]


def graph_from_json(obj: Any) -> Graph:
    """The worker's dict as a :class:`Graph`; raises ``ValueError`` on malformed data."""
    if not isinstance(obj, dict):
        raise ValueError("a graph is a JSON object")
    try:
        nodes = tuple(
            GraphNode(
                id=int(n["id"]),
                kind=n["kind"] if n.get("kind") in ("op", "leaf", "tensor") else "op",
                op=_text(n.get("op")),
                label=_text(n.get("label")),
                shape=tuple(int(d) for d in n["shape"]) if n.get("shape") is not None else None,
                value=n.get("value"),
                requires_grad=bool(n.get("requires_grad", False)),
                grads=tuple(n.get("grads") or ()),
                grad_before=n.get("grad_before"),
                grad_attr=n.get("grad_attr"),
                grad_is_none=bool(n.get("grad_is_none", False)),
                asked=bool(n.get("asked", False)),
                made_by=_text(n.get("made_by")),
                output_grads=tuple(n.get("output_grads") or ()),
            )
            for n in obj.get("nodes") or []
        )
        ids = {n.id for n in nodes}
        edges = tuple(
            GraphEdge(
                src=int(e["src"]),
                dst=int(e["dst"]),
                index=int(e.get("index", 0)),
                grads=tuple(e.get("grads") or ()),
                local=float(e["local"]) if e.get("local") is not None else None,
                formula=_formula(e.get("formula")),
                cut=_text(e.get("cut")),
                cut_op=_text(e.get("op")),
                constant=bool(e.get("constant", False)),
                slot=int(e.get("slot") or 0),
            )
            for e in obj.get("edges") or []
            if int(e["src"]) in ids and int(e["dst"]) in ids
        )
        roots = tuple(int(r) for r in obj.get("roots") or [] if int(r) in ids)
        call_roots = tuple(
            tuple(int(r) if int(r) in ids else -1 for r in roots_of_call)
            for roots_of_call in obj.get("call_roots") or []
        )
        error = obj.get("error")
        failed = (str(error.get("type")), str(error.get("message"))) if error else None
        stopped = obj.get("stopped_at_line")
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed graph data: {exc}") from exc
    return Graph(
        nodes=nodes,
        edges=edges,
        roots=roots,
        truncated=bool(obj.get("truncated", False)),
        gradients=bool(obj.get("gradients", False)),
        backward_calls=int(obj.get("backward_calls") or 0),
        links_recorded=bool(obj.get("links_recorded", True)),
        node_limit=int(obj.get("node_limit") or 0),
        recorded_calls=int(obj.get("recorded_calls") or 0),
        call_roots=call_roots,
        stopped_at_line=int(stopped) if isinstance(stopped, int) else None,
        error=failed,
    )


def _text(obj: Any) -> str | None:
    return None if obj is None else str(obj)


def _formula(obj: Any) -> Formula | None:
    if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
        return None

    def number(key: str) -> float | int | None:
        x = obj.get(key)
        return x if isinstance(x, (int, float)) and not isinstance(x, bool) else None

    value = obj.get("value")
    return Formula(
        kind=obj["kind"],
        exponent=number("exponent"),
        other_label=_text(obj.get("other_label")),
        other_value=number("other_value"),
        value=value if isinstance(value, (int, float, str)) else None,
    )


def format_number(x: Any) -> str:
    """``-2.0`` -> ``"-2"``, ``0.1234567`` -> ``"0.1235"``, ``-0.0`` -> ``"0"``; booleans and
    odd things as text. The graph's numbers, worded by ``values.format_number`` (4 digits)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    return values.format_number(x, digits=4)


def format_numbers(data: Any, limit: int = 60) -> str:
    """A number or nested lists, compactly (``[[1, 2], [3, 4]]``), cut to ``limit`` chars;
    ``{"shape": [9, 8]}`` (a gradient too big to send) says so."""
    if isinstance(data, dict) and isinstance(data.get("shape"), list):
        shape = "×".join(str(d) for d in data["shape"])
        return f"({shape} numbers: too many to show)"
    if isinstance(data, list):
        text = "[" + ", ".join(format_numbers(item, limit) for item in data) + "]"
    else:
        text = format_number(data)
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"
