"""The autograd graph of a step as the UIs read it: frozen dataclasses built from the plain
dict the worker sends (``autograd_tutor/worker/graph_capture.py`` writes it).

The dict::

    {"nodes": [{"id": 0, "kind": "op" | "leaf" | "tensor", "op": "MulBackward0" | None,
                "label": "y_hat" | None, "shape": [..] | None, "value": 1.0 | [..] | None,
                "requires_grad": bool,
                # after the run only:
                "grads": [..one per recorded backward() call..],   # gradient arriving here
                "grad_before": .., "grad_attr": .., "grad_is_none": bool,   # leaves
                "note": str}],
     "edges": [{"src": 1, "dst": 0, "index": 0,        # data flows src -> dst
                "grads": [..], "local": -2.0, "formula": "2·s",   # after the run only
                "cut": "d = b.detach(): ..."}],          # an edge autograd does not have
     "roots": [0], "truncated": bool, "gradients": bool, "notes": [str],
     "backward_calls": 1, "links_recorded": bool}

Nothing here imports torch or Textual.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Literal

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
    note: str | None = None

    @property
    def name(self) -> str:
        """What the learner calls it: the variable name, else the op."""
        return self.label or (self.op or "tensor")


@dataclass(frozen=True)
class GraphEdge:
    src: int  # the input
    dst: int  # the node that used it
    index: int = 0
    grads: tuple[Any, ...] = ()  # gradient flowing back along this edge, per backward() call
    local: float | None = None  # d dst / d src, from the recorded numbers (scalars)
    formula: str | None = None  # the same in symbols, e.g. "2·s"
    cut: str | None = None  # why no gradient can flow here (detach)


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    roots: tuple[int, ...]
    truncated: bool = False
    gradients: bool = False  # True: recorded after the run (gradients present)
    notes: tuple[str, ...] = ()
    backward_calls: int = 0  # backward() calls in the step
    links_recorded: bool = True  # False: too many calls (a loop), only leaves' final .grad

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
            edges.sort(key=lambda e: e.index)
        return into

    def inputs(self, node_id: int) -> list[GraphEdge]:
        """The edges into ``node_id`` (from what it was computed from), in argument order."""
        return list(self._inputs.get(node_id, ()))

    def users(self, node_id: int) -> list[GraphEdge]:
        return [e for e in self.edges if e.src == node_id]

    def top(self) -> list[int]:
        """Where drawing starts: the roots nobody uses, then every other node nobody uses."""
        used = {e.src for e in self.edges}
        starts = [r for r in self.roots if r not in used]
        starts += [n.id for n in self.nodes if n.id not in used and n.id not in starts]
        return starts or [self.nodes[0].id]


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
                note=_text(n.get("note")),
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
                formula=_text(e.get("formula")),
                cut=_text(e.get("cut")),
            )
            for e in obj.get("edges") or []
            if int(e["src"]) in ids and int(e["dst"]) in ids
        )
        roots = tuple(int(r) for r in obj.get("roots") or [] if int(r) in ids)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed graph data: {exc}") from exc
    return Graph(
        nodes=nodes,
        edges=edges,
        roots=roots,
        truncated=bool(obj.get("truncated", False)),
        gradients=bool(obj.get("gradients", False)),
        notes=tuple(str(t) for t in obj.get("notes") or []),
        backward_calls=int(obj.get("backward_calls") or 0),
        links_recorded=bool(obj.get("links_recorded", True)),
    )


def _text(obj: Any) -> str | None:
    return None if obj is None else str(obj)


def format_number(x: Any) -> str:
    """``-2.0`` -> ``"-2"``, ``0.1234567`` -> ``"0.1235"``; booleans and odd things as text."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            return str(x)
        return f"{x:.4g}"
    return str(x)


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
