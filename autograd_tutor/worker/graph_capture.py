"""The autograd graph of a step, with the gradients torch sent along it, as plain data.

Imported by the worker process only (it imports torch). :func:`step_graph` turns the graph of
the tensors a step asks about into the plain dict described in ``autograd_tutor/graph/model.py``
(the core side reads it), from what ``graph_record`` saw while the step ran. Facts only: node
and link numbers, op names, codes; no sentence is made here (``graph/words.py`` words them).

One link per use: an operation that takes the same tensor twice (``z * z``) has two links to
it, one per input slot, each with its own flow, so the flows into a node add up to its gradient.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch

from autograd_tutor.worker.graph_facts import (
    distinct_graphs,
    formula_facts,
    local_derivative,
    module_parameters,
    names_in,
    per_output,
)
from autograd_tutor.worker.graph_record import (
    Cut,
    CutWitness,
    GradientRecorder,
    grad_plain,
    in_graph,
    plain,
    saved_facts,
)
from autograd_tutor.worker.protocol import MAX_GRAPH_NODES

MAX_CUT_DEPTH = 32  # a chain of tensors made from a cut tensor is drawn this deep


class _Builder:
    def __init__(
        self,
        namespace: Mapping[str, Any],
        recorder: GradientRecorder | None,
        witness: CutWitness | None,
        *,
        leaf_values_only: bool,
        hidden: set[int],
        also: Mapping[str, Any] | None = None,
        copied: Mapping[int, int] | None = None,
    ) -> None:
        self.recorder = recorder
        self.witness = witness
        self.copied = copied or {}
        self.leaf_values_only = leaf_values_only
        self.hidden = hidden  # id(tensor)s whose value a question asks for (kept back)
        self.by_fn: dict[int, tuple[str | None, torch.Tensor]] = {}
        self.by_tensor: dict[int, str] = {}
        for name, obj in [*namespace.items(), *(also or {}).items()]:
            if isinstance(obj, torch.nn.Module) and not name.startswith("__"):
                for path, param in module_parameters(obj):
                    self.by_tensor.setdefault(id(param), name + path)
            if name.startswith("__") or not isinstance(obj, torch.Tensor):
                continue
            self.by_tensor.setdefault(id(obj), name)
            if obj.grad_fn is not None:
                self.by_fn.setdefault(id(obj.grad_fn), (name, obj))
        self.nodes: list[dict[str, Any]] = []
        self.keys: dict[int, int] = {}  # id(fn or tensor or Cut) -> node id
        self.edges: list[dict[str, Any]] = []
        self.edge_seen: set[tuple[int, int, int]] = set()  # (src, dst, index): one per use
        self.truncated = False
        self.fns: dict[int, Any] = {}  # node id -> grad_fn (op nodes, leaves reached by one)
        self.leaf_vars: dict[int, torch.Tensor] = {}  # node id -> leaf tensor
        self.cuts_drawn: set[int] = set()  # node ids whose cut history is drawn
        self.call_roots: list[
            list[int]
        ] = []  # per recorded call, its roots' node ids (-1: not drawn)

    def value(self, t: torch.Tensor | None, *, leaf: bool = False) -> Any:
        if t is None or (self.leaf_values_only and not leaf):
            return None
        if id(t) in self.hidden or self.copied.get(id(t), id(t)) in self.hidden:
            return None  # a question asks for this tensor (or, in a preview, for its copy)
        return plain(t)

    def _new(self, key: int, node: dict[str, Any]) -> int | None:
        if key in self.keys:
            return self.keys[key]
        if len(self.nodes) >= MAX_GRAPH_NODES:
            self.truncated = True
            return None
        node["id"] = len(self.nodes)
        self.keys[key] = node["id"]
        self.nodes.append(node)
        return node["id"]

    def _link(self, src: int | None, dst: int | None, index: int, **facts: Any) -> None:
        if src is None or dst is None or (src, dst, index) in self.edge_seen:
            return
        self.edge_seen.add((src, dst, index))
        self.edges.append({"src": src, "dst": dst, "index": index, **facts})

    def add_tensor_root(self, t: torch.Tensor, label: str | None = None) -> int | None:
        if t.grad_fn is not None:
            if id(t.grad_fn) not in self.by_fn:
                self.by_fn[id(t.grad_fn)] = (label, t)
            return self.add_fn(t.grad_fn)
        if t.requires_grad:
            return self.add_leaf(t)
        node_id = self._new(
            id(t),
            {
                "kind": "tensor",
                "op": None,
                "label": label or self.by_tensor.get(id(t)),
                "shape": list(t.shape),
                "value": self.value(t),
                "requires_grad": False,
            },
        )
        cut = self.witness.cut_of(t) if self.witness is not None else None
        if cut is not None and node_id is not None:
            self._cut_history(node_id, cut, 0)
        return node_id

    def add_leaf(self, var: torch.Tensor) -> int | None:
        key = self.copied.get(id(var), id(var))
        if key in self.keys:
            return self.keys[key]
        node: dict[str, Any] = {
            "kind": "leaf",
            "op": "AccumulateGrad",
            "label": self.by_tensor.get(key),
            "shape": list(var.shape),
            "value": self.value(var, leaf=True),
            "requires_grad": bool(var.requires_grad),
        }
        node_id = self._new(key, node)
        if node_id is not None:
            self.leaf_vars[node_id] = var
        return node_id

    def add_fn(self, fn: Any) -> int | None:
        """The node for ``fn`` and, below it, everything it came from: one link per input
        slot (``next_functions``), and the inputs it took from cut tensors."""
        first = self._add_fn_node(fn)
        stack = [fn] if first is not None else []
        while stack:
            current = stack.pop()
            dst = self.keys[id(current)]
            for index, (child, slot) in enumerate(current.next_functions):
                if child is None:
                    continue
                known = id(child) in self.keys or (
                    type(child).__name__ == "AccumulateGrad"
                    and id(getattr(child, "variable", None)) in self.keys
                )
                src = self._add_fn_node(child)
                self._link(src, dst, index, **({"slot": slot} if slot else {}))
                if src is not None and not known and type(child).__name__ != "AccumulateGrad":
                    stack.append(child)
            for index, cut in self.witness.inputs_of(current) if self.witness else ():
                self._link(self._cut_node(cut, 0), dst, index, constant=True)
        return first

    def _add_fn_node(self, fn: Any) -> int | None:
        name = type(fn).__name__
        if name == "AccumulateGrad":
            var = getattr(fn, "variable", None)
            if var is None:
                return None
            node_id = self.add_leaf(var)
            if node_id is not None:
                self.fns[node_id] = fn
            return node_id
        if id(fn) in self.keys:
            return self.keys[id(fn)]
        label, tensor = self.by_fn.get(id(fn), (None, None))
        node_id = self._new(
            id(fn),
            {
                "kind": "op",
                "op": name,
                "label": label,
                "shape": list(tensor.shape) if tensor is not None else None,
                "value": self.value(tensor),
                "requires_grad": True,
            },
        )
        if node_id is not None:
            self.fns[node_id] = fn
        return node_id

    # -- tensors cut off a graph ----------------------------------------------------------------
    def _cut_node(self, cut: Cut, depth: int) -> int | None:
        """The node of a tensor with no history (alive or not), with how it was made."""
        t = cut.tensor()
        if t is not None:
            node_id = self.add_tensor_root(t)
        else:  # a temporary (``d ** 2`` in ``d ** 2 + a``): its numbers as they were
            node_id = self._new(
                id(cut),
                {
                    "kind": "tensor",
                    "op": None,
                    "label": None,
                    "shape": cut.shape,
                    "value": None if self.leaf_values_only else cut.value,
                    "requires_grad": False,
                },
            )
        if node_id is not None:
            self.nodes[node_id]["made_by"] = cut.op
            self._cut_history(node_id, cut, depth)
        return node_id

    def _cut_history(self, node_id: int, cut: Cut, depth: int) -> None:
        if node_id in self.cuts_drawn:
            return
        self.cuts_drawn.add(node_id)
        self.nodes[node_id]["made_by"] = cut.op
        if depth >= MAX_CUT_DEPTH:
            self.truncated = True
            return
        for index, source in enumerate(cut.sources):
            if isinstance(source, Cut):
                self._link(self._cut_node(source, depth + 1), node_id, index, constant=True)
                continue
            origin = source()
            if isinstance(origin, torch.Tensor):
                src = self.add_tensor_root(origin, self.by_tensor.get(id(origin)))
                self._link(src, node_id, index, cut=cut.how, op=cut.op)

    # -- after the run: what torch sent along the graph ----------------------------------------
    def add_gradients(self) -> None:
        rec = self.recorder
        if rec is None or rec.too_many():  # a loop: only each leaf's final .grad is drawn
            for node_id, var in self.leaf_vars.items():
                self._leaf_grad(self.nodes[node_id], var, rec)
            return
        calls = range(rec.recorded_calls)
        for node in self.nodes:
            fn = self.fns.get(node["id"])
            arrived = rec.arrived.get(id(fn), {}) if fn is not None else {}
            if arrived:
                key = "output_grads" if id(fn) in rec.several else "grads"
                node[key] = [per_output(arrived[c]) if c in arrived else None for c in calls]
            leaf = self.leaf_vars.get(node["id"])
            if leaf is not None:
                self._leaf_grad(node, leaf, rec)
        for edge in self.edges:
            fn = self.fns.get(edge["dst"])
            along = rec.along.get(id(fn), {}) if fn is not None else {}
            if not along or edge.get("constant") or edge.get("cut"):
                continue
            i = edge["index"]
            flows = [along[c][i] if c in along and i < len(along[c]) else None for c in calls]
            edge["grads"] = [grad_plain(g) for g in flows]
            if id(fn) not in rec.several:
                edge["local"] = local_derivative(flows, rec.arrived.get(id(fn), {}))
        self.call_roots = [
            [self.keys.get(id(t.grad_fn), -1) for t in roots] for roots in rec.call_roots
        ]

    def _leaf_grad(self, node: dict[str, Any], var: torch.Tensor, rec: Any) -> None:
        node["grad_before"] = grad_plain(rec.grad_before.get(id(var))) if rec else None
        node["grad_attr"] = plain(var.grad) if var.grad is not None else None
        node["grad_is_none"] = var.grad is None

    def add_formulas(self) -> None:
        saved = self.recorder.saved if self.recorder is not None else {}
        for edge in self.edges:
            fn = self.fns.get(edge["dst"])
            if fn is None or edge.get("constant") or edge.get("cut"):
                continue
            formula = formula_facts(
                type(fn).__name__, edge["index"], saved.get(id(fn)) or saved_facts(fn)
            )
            if formula is not None:
                other = formula.pop("other", None)
                if isinstance(other, torch.Tensor):
                    label = self.by_tensor.get(id(other))
                    number = plain(other)
                    if label:
                        formula["other_label"] = label
                    elif isinstance(number, (int, float)):
                        formula["other_value"] = number
                edge["formula"] = formula


def step_graph(
    namespace: Mapping[str, Any],
    asked: Sequence[tuple[str, Any]],
    *,
    recorder: GradientRecorder | None,
    witness: CutWitness | None = None,
    rebound: Sequence[str] = (),
    with_gradients: bool,
    also: Mapping[str, Any] | None = None,
    copied: Mapping[int, int] | None = None,
) -> dict[str, Any] | None:
    """The graph of what a step asks about, as plain data; None when no tensor is in a graph.

    ``asked``: (expression, its value) for each question that wants a graph. Roots are the
    tensors backward() ran from (``recorder``), the asked values, the tensors the expressions
    name, and the tensors the step (re)bound. ``witness``: the tensors cut off a graph, drawn
    with a cut link to where their numbers came from. ``also``: more names to label nodes with
    (the real namespace, when ``namespace`` is a preview's copy of it; ``copied`` maps the id
    of each copied tensor to the id of its original, so one leaf is one node).
    ``with_gradients`` False (before the run) leaves out every gradient, every local
    derivative, the value of every tensor a question asks for, and every value but the
    leaves' numbers.
    """
    hidden: set[int] = set()
    roots: list[tuple[str | None, torch.Tensor, bool]] = []  # (label, tensor, asked about)
    for expr, value in asked:
        if isinstance(value, torch.Tensor):
            hidden.add(id(value))
            roots.append((expr if expr.isidentifier() else None, value, True))
        for name in names_in(expr):
            obj = namespace.get(name)
            if isinstance(obj, torch.Tensor):
                roots.append((name, obj, True))
    for name in rebound:
        obj = namespace.get(name)
        if isinstance(obj, torch.Tensor) and (in_graph(obj) or _cut(witness, obj)):
            roots.append((name, obj, False))
    if recorder is not None and not recorder.too_many():
        roots = [(None, t, False) for t in distinct_graphs(recorder.roots)] + roots
    builder = _Builder(
        namespace,
        recorder,
        witness,
        leaf_values_only=not with_gradients,
        hidden=set() if with_gradients else hidden | {(copied or {}).get(i, i) for i in hidden},
        also=also,
        copied=copied,
    )
    root_ids: list[int] = []
    for label, t, about in roots:
        if not in_graph(t) and label is None:
            continue  # a plain tensor only when a question names it (``c``, not ``x.grad``)
        node_id = builder.add_tensor_root(t, label)
        if node_id is not None and node_id not in root_ids:
            root_ids.append(node_id)
        if node_id is not None and about:
            builder.nodes[node_id]["asked"] = True
    if not any(n["kind"] != "tensor" for n in builder.nodes):
        if not any(e.get("cut") for e in builder.edges):
            return None
    out: dict[str, Any] = {
        "nodes": builder.nodes,
        "edges": builder.edges,
        "roots": root_ids,
        "truncated": builder.truncated,
        "node_limit": MAX_GRAPH_NODES,
        "gradients": with_gradients,
        "backward_calls": recorder.calls if recorder is not None else 0,
        "links_recorded": recorder is not None and not recorder.too_many(),
    }
    if with_gradients:
        builder.add_gradients()
        builder.add_formulas()
        out["recorded_calls"] = recorder.recorded_calls if recorder is not None else 0
        out["call_roots"] = builder.call_roots
    return out


def _cut(witness: CutWitness | None, t: torch.Tensor) -> bool:
    return witness is not None and witness.cut_of(t) is not None
