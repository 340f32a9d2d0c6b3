"""The autograd graph of a step, with the gradients torch sent along it, as plain data.

Imported by the worker process only (it imports torch). :class:`GradientRecorder` hooks every
node of the graph a ``backward()`` call is about to walk (``Node.register_hook``), so the
gradient arriving at each node and the gradient flowing along each edge are what torch itself
computed, never re-derived. :func:`step_graph` turns the graph of the tensors a step asks about
into the plain dict described in ``autograd_tutor/graph/model.py`` (the core side reads it).
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from autograd_tutor.worker.protocol import MAX_GRAPH_NODES

SMALL_VALUE_ELEMENTS = 64  # tensors up to this many elements travel with their numbers
MAX_RECORDED_CALLS = 8  # backward() calls per step whose gradients are recorded
MAX_ROOTS = 16
MAX_NO_GRAD_RECORDS = 256  # per step
_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def plain(t: torch.Tensor | None) -> Any:
    """A small tensor's numbers (a float or nested lists), else None."""
    if t is None or t.numel() > SMALL_VALUE_ELEMENTS or t.is_complex():
        return None
    try:
        return t.detach().cpu().tolist()
    except Exception:  # sparse, quantized, meta: shown without numbers
        return None


class GradientRecorder:
    """Per step: the gradients of the first few ``backward()`` calls, node by node."""

    def __init__(self) -> None:
        self.start_step()

    def start_step(self) -> None:
        self.calls = 0  # backward() calls seen in this step
        self.roots: list[torch.Tensor] = []  # tensors backward() ran from (recorded calls)
        self.nodes: dict[int, Any] = {}  # id(node) -> node (kept alive: ids stay unique)
        self.arrived: dict[int, list[Any]] = {}  # id(node) -> grad arriving, per call
        self.along: dict[int, list[tuple[Any, ...]]] = {}  # id(node) -> grads to its inputs
        self.grad_before: dict[int, Any] = {}  # id(leaf) -> its .grad before this step's calls
        self.leaves: dict[int, torch.Tensor] = {}
        self.saved: dict[int, dict[str, Any]] = {}  # id(node) -> what local derivatives need
        # id(tensor) -> (the tensor, the tensors needing grad it was made from, the op's name):
        # tensors made under torch.no_grad() from tensors that require grad
        self.no_grad_made: dict[int, tuple[torch.Tensor, list[torch.Tensor], str]] = {}

    def record_no_grad(self, out: Any, sources: list[torch.Tensor], op: str) -> None:
        if isinstance(out, torch.Tensor) and len(self.no_grad_made) < MAX_NO_GRAD_RECORDS:
            self.no_grad_made[id(out)] = (out, sources, op)

    def note_roots(self, tensors: Any) -> None:
        """A preview's backward() call: where it would start (nothing runs, nothing hooked)."""
        for t in [tensors] if isinstance(tensors, torch.Tensor) else tensors or ():
            if in_graph(t) and t.grad_fn is not None and len(self.roots) < MAX_ROOTS:
                self.roots.append(t)

    def before_backward(self, tensors: Any) -> list[Any]:
        """Hook the graph below ``tensors``; the handles go to :meth:`after_backward`."""
        self.calls += 1
        if self.calls > MAX_RECORDED_CALLS:
            return []
        if isinstance(tensors, torch.Tensor):
            tensors = [tensors]
        handles: list[Any] = []
        stack = []
        for t in tensors or ():
            if isinstance(t, torch.Tensor) and t.grad_fn is not None:
                if len(self.roots) < MAX_ROOTS:
                    self.roots.append(t)
                stack.append(t.grad_fn)
        seen: set[int] = set()
        while stack and len(seen) < MAX_GRAPH_NODES:
            fn = stack.pop()
            key = id(fn)
            if key in seen:
                continue
            seen.add(key)
            self.nodes[key] = fn
            self._remember_saved(key, fn)
            handles.append(fn.register_hook(self._hook(key)))
            for child, _ in fn.next_functions:
                if child is not None:
                    stack.append(child)
        return handles

    def after_backward(self, handles: list[Any]) -> None:
        for handle in handles:
            handle.remove()

    def _hook(self, key: int) -> Any:
        def hook(grad_inputs: Sequence[Any], grad_outputs: Sequence[Any]) -> None:
            arriving = grad_outputs[0] if grad_outputs else None
            self.arrived.setdefault(key, []).append(_kept(arriving))
            self.along.setdefault(key, []).append(tuple(_kept(g) for g in grad_inputs))

        return hook

    def _remember_saved(self, key: int, fn: Any) -> None:
        name = type(fn).__name__
        try:
            if name == "AccumulateGrad":
                var = fn.variable
                self.leaves[id(var)] = var
                if id(var) not in self.grad_before:
                    self.grad_before[id(var)] = _kept(var.grad)
            elif name.startswith("PowBackward") and key not in self.saved:
                self.saved[key] = {"exponent": _number(getattr(fn, "_saved_exponent", None))}
            elif name.startswith("MulBackward") and key not in self.saved:
                self.saved[key] = {"self": fn._saved_self, "other": fn._saved_other}
        except Exception:  # noqa: S110  a node without what we look for: no formula for it
            pass

    def too_many(self) -> bool:
        """More backward() calls than are recorded (a training loop)."""
        return self.calls > MAX_RECORDED_CALLS

    def note(self) -> str | None:
        if self.too_many():
            return (
                f"this step called backward() {self.calls} times: drawn is the graph its "
                "variables hold now, with each leaf's final .grad (the gradient along every "
                f"link is drawn for steps with at most {MAX_RECORDED_CALLS} backward() calls)"
            )
        return None


class _NoGradWitness(TorchFunctionMode):
    """Active only inside ``torch.no_grad()`` blocks: notes each tensor made there from
    tensors that require grad (the edge autograd never recorded)."""

    def __init__(self, recorder: GradientRecorder) -> None:
        super().__init__()
        self.recorder = recorder

    def __torch_function__(
        self, func: Any, types: Any, args: Sequence[Any] = (), kwargs: Any = None
    ) -> Any:
        out = func(*args, **(kwargs or {}))
        try:
            if isinstance(out, torch.Tensor) and not out.requires_grad:
                sources = [
                    a
                    for a in (*args, *(kwargs or {}).values())
                    if isinstance(a, torch.Tensor) and a.requires_grad
                ]
                if sources:
                    name = getattr(func, "__name__", None) or str(func)
                    self.recorder.record_no_grad(out, sources, name)
        except Exception:  # noqa: S110  a witness must never break the lesson's code
            pass
        return out


def watch_no_grad(recorder: GradientRecorder) -> None:
    """Make every ``torch.no_grad()`` block also note what it made (see _NoGradWitness)."""
    no_grad = torch.no_grad
    if getattr(no_grad, "_autograd_tutor_watched", False):
        return
    enter, leave = no_grad.__enter__, no_grad.__exit__

    def watched_enter(self: Any) -> None:
        enter(self)
        witness = _NoGradWitness(recorder)
        witness.__enter__()
        self._autograd_tutor_witness = witness

    def watched_exit(self: Any, *exc: Any) -> Any:
        witness = self.__dict__.pop("_autograd_tutor_witness", None)
        if witness is not None:
            witness.__exit__(*exc)
        return leave(self, *exc)

    no_grad.__enter__ = watched_enter  # type: ignore[method-assign]
    no_grad.__exit__ = watched_exit  # type: ignore[method-assign]
    no_grad._autograd_tutor_watched = True  # type: ignore[attr-defined]


class _TooBig:
    """A gradient recorded by its shape only (too many elements to send)."""

    __slots__ = ("shape",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape


def _kept(t: Any) -> Any:
    """A small gradient's numbers, read at once (torch may later add into the very tensor;
    reading them now costs less than a copy), else a :class:`_TooBig`; None stays None."""
    if isinstance(t, torch.Tensor):
        if t.numel() > SMALL_VALUE_ELEMENTS or t.is_complex():
            return _TooBig(tuple(t.shape))
        return t.tolist()
    return None


def _number(obj: Any) -> float | int | None:
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        return obj
    return None


def _grad_plain(g: Any) -> Any:
    """Numbers already, None when absent, ``{"shape": [...]}`` when too big to send."""
    return {"shape": list(g.shape)} if isinstance(g, _TooBig) else g


@functools.lru_cache(maxsize=512)
def names_in(expr: str) -> tuple[str, ...]:
    """The variable names an expression reads (``x.grad`` -> ``("x",)``)."""
    if _DOTTED.fullmatch(expr):
        return (expr.split(".", 1)[0],)
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        return ()
    return tuple(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))


def in_graph(t: Any) -> bool:
    return isinstance(t, torch.Tensor) and (t.grad_fn is not None or t.requires_grad)


def _same_storage(a: torch.Tensor, b: torch.Tensor) -> bool:
    try:
        return (
            a.device == b.device
            and a.shape == b.shape
            and a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
            and a.storage_offset() == b.storage_offset()
        )
    except Exception:
        return False


class _Builder:
    def __init__(
        self,
        namespace: Mapping[str, Any],
        recorder: GradientRecorder | None,
        *,
        leaf_values_only: bool,
        hidden: set[int],
        also: Mapping[str, Any] | None = None,
        copied: Mapping[int, int] | None = None,
    ) -> None:
        self.recorder = recorder
        self.copied = copied or {}
        self.leaf_values_only = leaf_values_only
        self.hidden = hidden  # id(tensor)s whose value a question asks for (kept back)
        self.by_fn: dict[int, tuple[str | None, torch.Tensor]] = {}
        self.by_tensor: dict[int, str] = {}
        for name, obj in [*namespace.items(), *(also or {}).items()]:
            if isinstance(obj, torch.nn.Module) and not name.startswith("__"):
                for path, param in _module_parameters(obj):
                    self.by_tensor.setdefault(id(param), name + path)
            if name.startswith("__") or not isinstance(obj, torch.Tensor):
                continue
            self.by_tensor.setdefault(id(obj), name)
            if obj.grad_fn is not None:
                self.by_fn.setdefault(id(obj.grad_fn), (name, obj))
        self.nodes: list[dict[str, Any]] = []
        self.keys: dict[int, int] = {}  # id(fn or tensor) -> node id
        self.edges: list[dict[str, Any]] = []
        self.edge_seen: set[tuple[int, int]] = set()
        self.truncated = False
        self.fns: dict[int, Any] = {}  # node id -> grad_fn (op nodes, leaves reached by one)
        self.leaf_vars: dict[int, torch.Tensor] = {}  # node id -> leaf tensor

    def value(self, t: torch.Tensor | None, *, leaf: bool = False) -> Any:
        if t is None or (self.leaf_values_only and not leaf):
            return None
        if id(t) in self.hidden or self.copied.get(id(t), id(t)) in self.hidden:
            return None  # a question asks for this tensor (or, in a preview, for its copy)
        return plain(t)

    def add_tensor_root(self, t: torch.Tensor, label: str | None = None) -> int | None:
        if t.grad_fn is not None:
            if id(t.grad_fn) not in self.by_fn:
                self.by_fn[id(t.grad_fn)] = (label, t)
            return self.add_fn(t.grad_fn)
        if t.requires_grad:
            return self.add_leaf(t)
        return self.add_plain(t, label)

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

    def add_plain(self, t: torch.Tensor, label: str | None) -> int | None:
        return self._new(
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
        """The node for ``fn`` and, below it, everything it came from."""
        first = self._add_fn_node(fn)
        stack = [fn]
        while stack:
            current = stack.pop()
            dst = self.keys[id(current)]
            for index, (child, _) in enumerate(current.next_functions):
                if child is None:
                    continue
                known = id(child) in self.keys or (
                    type(child).__name__ == "AccumulateGrad"
                    and id(getattr(child, "variable", None)) in self.keys
                )
                src = self._add_fn_node(child)
                if src is None:
                    continue
                if (src, dst) not in self.edge_seen:
                    self.edge_seen.add((src, dst))
                    self.edges.append({"src": src, "dst": dst, "index": index})
                if not known and type(child).__name__ != "AccumulateGrad":
                    stack.append(child)
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

    # -- after the run: what torch sent along the graph ----------------------------------------
    def add_gradients(self) -> None:
        rec = self.recorder
        if rec is None:
            return
        along_links = not rec.too_many()  # a loop: only each leaf's final .grad is drawn
        for node in self.nodes:
            fn = self.fns.get(node["id"])
            arrived = rec.arrived.get(id(fn), []) if fn is not None and along_links else []
            if arrived:
                node["grads"] = [_grad_plain(g) for g in arrived]
            var = self.leaf_vars.get(node["id"])
            if node["kind"] == "leaf" and var is not None:
                node["grad_before"] = _grad_plain(rec.grad_before.get(id(var)))
                node["grad_attr"] = plain(var.grad) if var.grad is not None else None
                node["grad_is_none"] = var.grad is None
        by_id = {n["id"]: n for n in self.nodes}
        for edge in self.edges:
            fn = self.fns.get(edge["dst"])
            along = rec.along.get(id(fn), []) if fn is not None and along_links else []
            flows = [row[edge["index"]] if edge["index"] < len(row) else None for row in along]
            if flows:
                edge["grads"] = [_grad_plain(g) for g in flows]
                arriving = by_id[edge["dst"]].get("grads") or []
                if arriving:
                    edge["local"] = _ratio(flows[-1], rec.arrived[id(fn)][-1])

    def add_formulas(self) -> None:
        by_id = {n["id"]: n for n in self.nodes}
        saved = self.recorder.saved if self.recorder is not None else {}
        for edge in self.edges:
            fn = self.fns.get(edge["dst"])
            if fn is None:
                continue
            src = by_id[edge["src"]]
            formula = _formula(
                type(fn).__name__,
                edge["index"],
                src.get("label"),
                saved.get(id(fn)) or _read_saved(fn),
                self.by_tensor,
            )
            if formula:
                edge["formula"] = formula

    def add_cuts(self, candidates: Iterable[tuple[str, torch.Tensor]], ns: Mapping[str, Any]):
        """Plain tensors cut off a graph: ``x.detach()`` of a graph tensor (same storage), or
        made under ``torch.no_grad()`` from tensors that require grad (recorded as it ran)."""
        graph_tensors = [
            (name, obj) for name, obj in ns.items() if not name.startswith("__") and in_graph(obj)
        ]
        made = self.recorder.no_grad_made if self.recorder is not None else {}
        for name, t in candidates:
            if in_graph(t):
                continue
            origin = made.get(id(t))
            if origin is not None and origin[0] is t:
                for source in origin[1]:
                    source_name = self.by_tensor.get(id(source)) or "a tensor that requires grad"
                    self._cut(
                        t,
                        name,
                        source,
                        f"{name} was made under torch.no_grad() from {source_name} "
                        f"({origin[2]}): autograd recorded nothing, so no gradient flows "
                        "back along this edge",
                    )
                continue
            for source_name, source in graph_tensors:
                if _same_storage(t, source):
                    self._cut(
                        t,
                        name,
                        source,
                        f"{name} = {source_name}.detach(): the same numbers with no history, "
                        "so no gradient flows back along this edge",
                    )
                    break

    def _cut(self, t: torch.Tensor, name: str, source: torch.Tensor, why: str) -> None:
        dst = self.add_plain(t, name)
        src = self.add_tensor_root(source, self.by_tensor.get(id(source)))
        if dst is not None and src is not None and (src, dst) not in self.edge_seen:
            self.edge_seen.add((src, dst))
            self.edges.append({"src": src, "dst": dst, "index": 0, "cut": why})

    def add_leaf_notes(self) -> None:
        cut = [e for e in self.edges if e.get("cut")]
        for node in self.nodes:
            if node["kind"] != "leaf" or not node.get("grad_is_none"):
                continue
            name = node.get("label") or "this leaf"
            why = f"{name}.grad stays None: no backward() has reached {name}"
            if cut:
                how = sorted(
                    {"torch.no_grad()" if "no_grad" in e["cut"] else "detach()" for e in cut}
                )
                why += f" (a path back to it was cut by {' and '.join(how)})"
            node["note"] = why
        cut_off = {e["dst"] for e in cut}
        for node in self.nodes:
            if node["kind"] == "tensor" and node["id"] in cut_off:
                name = node.get("label") or "it"
                node["note"] = f"requires_grad=False, no grad_fn: {name}.grad stays None"
            elif node["kind"] == "tensor" and not node.get("note"):
                name = node.get("label") or "it"
                node["note"] = (
                    f"requires_grad=False and no grad_fn: autograd keeps no history for {name} "
                    f"and {name}.grad stays None (it was made from tensors that need no grad, "
                    "under torch.no_grad(), or by detach())"
                )


def _module_parameters(module: torch.nn.Module, limit: int = 256) -> list[tuple[str, Any]]:
    """A module's parameters named as the lesson would write them: ``[0].weight``, ``.bias``."""
    out = []
    try:
        for i, (dotted, param) in enumerate(module.named_parameters()):
            if i >= limit:
                break
            path = "".join(
                f"[{part}]" if part.isdigit() else f".{part}" for part in dotted.split(".")
            )
            out.append((path, param))
    except Exception:  # noqa: S110  an odd module: its parameters stay unnamed
        pass
    return out


def _signature(t: torch.Tensor, limit: int = 64) -> tuple[Any, ...]:
    """The shape of a graph: its op names and leaves, in walking order (a loop's graphs are
    all alike)."""
    out: list[Any] = []
    stack: list[Any] = [t.grad_fn]
    while stack and len(out) < limit:
        fn = stack.pop()
        if fn is None:
            continue
        out.append(id(fn.variable) if type(fn).__name__ == "AccumulateGrad" else type(fn).__name__)
        stack.extend(child for child, _ in fn.next_functions)
    return tuple(out)


def _distinct_graphs(roots: Sequence[torch.Tensor]) -> list[torch.Tensor]:
    """The roots backward() ran from, one per distinct graph shape: the latest of each (a
    loop's last loss, the one its variable still holds)."""
    latest: dict[tuple[Any, ...], torch.Tensor] = {}
    odd: list[torch.Tensor] = []
    for t in roots:
        try:
            key = _signature(t)
        except Exception:  # an odd node: keep the root
            odd.append(t)
            continue
        latest.pop(key, None)
        latest[key] = t
    return [*latest.values(), *odd]


def _read_saved(fn: Any) -> dict[str, Any]:
    """What a node saved for its backward, while it still has it (before backward() ran)."""
    name = type(fn).__name__
    try:
        if name.startswith("PowBackward"):
            return {"exponent": _number(getattr(fn, "_saved_exponent", None))}
        if name.startswith("MulBackward"):
            return {"self": fn._saved_self, "other": fn._saved_other}
    except Exception:  # noqa: S110  freed by backward(), or not a tensor: no formula
        pass
    return {}


def _scalar(g: Any) -> float | None:
    """A one-number gradient (a float, or nested one-element lists) as a float."""
    while isinstance(g, list) and len(g) == 1:
        g = g[0]
    return float(g) if isinstance(g, (int, float)) and not isinstance(g, bool) else None


def _ratio(flow: Any, arriving: Any) -> float | None:
    """The local derivative of a link: what flowed along it over what arrived (scalars)."""
    f, a = _scalar(flow), _scalar(arriving)
    if f is None or a is None or a == 0.0:
        return None
    return f / a


def _formula(
    op: str, index: int, src: str | None, saved: Mapping[str, Any], names: Mapping[int, str]
) -> str | None:
    """The local derivative d(output)/d(input ``index``) of one link, in words and names."""
    var = src or "input"
    if op.startswith("PowBackward"):
        n = saved.get("exponent")
        if n is None:
            return None
        n_text = f"{n:g}" if isinstance(n, float) else str(n)
        if n == 2:
            return f"2·{var}"
        return f"{n_text}·{var}^{n - 1:g}"
    if op.startswith("MulBackward"):
        other = saved.get("other") if index == 0 else saved.get("self")
        if isinstance(other, torch.Tensor):
            name = names.get(id(other))
            if name:
                return name
            number = plain(other)
            if isinstance(number, (int, float)):
                return f"{number:g}"
        return "the other factor"
    if op.startswith("AddBackward"):
        return "1"
    if op.startswith("SubBackward"):
        return "1" if index == 0 else "-1"
    if op.startswith("SumBackward"):
        return "1 (for each element)"
    if op.startswith("MeanBackward"):
        return "1/n (for each of the n elements)"
    if op.startswith("NegBackward"):
        return "-1"
    return None


def step_graph(
    namespace: Mapping[str, Any],
    asked: Sequence[tuple[str, Any]],
    *,
    recorder: GradientRecorder | None,
    rebound: Sequence[str] = (),
    with_gradients: bool,
    also: Mapping[str, Any] | None = None,
    copied: Mapping[int, int] | None = None,
) -> dict[str, Any] | None:
    """The graph of what a step asks about, as plain data; None when no tensor is in a graph.

    ``asked``: (expression, its value) for each question that wants a graph. Roots are the
    tensors backward() ran from (``recorder``), the asked values, the tensors the expressions
    name, and the tensors the step (re)bound. ``also``: more names to label nodes with (the
    real namespace, when ``namespace`` is a preview's copy of it; ``copied`` maps the id of
    each copied leaf to the id of its original, so one leaf is one node). ``with_gradients``
    False (before the run) leaves out every gradient, every local derivative, the value of
    every tensor a question asks for, and every value but the leaves' numbers.
    """
    hidden: set[int] = set()
    roots: list[tuple[str | None, torch.Tensor]] = []
    for expr, value in asked:
        if isinstance(value, torch.Tensor):
            hidden.add(id(value))
            roots.append((expr if expr.isidentifier() else None, value))
        for name in names_in(expr):
            obj = namespace.get(name)
            if isinstance(obj, torch.Tensor):
                roots.append((name, obj))
    for name in rebound:
        obj = namespace.get(name)
        if isinstance(obj, torch.Tensor) and in_graph(obj):
            roots.append((name, obj))
    if recorder is not None and not recorder.too_many():
        roots = [(None, t) for t in _distinct_graphs(recorder.roots)] + roots
    builder = _Builder(
        namespace,
        recorder,
        leaf_values_only=not with_gradients,
        hidden=set() if with_gradients else hidden | {(copied or {}).get(i, i) for i in hidden},
        also=also,
        copied=copied,
    )
    root_ids: list[int] = []
    for label, t in roots:
        if not in_graph(t) and label is None:
            continue  # a plain tensor only when a question names it (``c``, not ``x.grad``)
        node_id = builder.add_tensor_root(t, label)
        if node_id is not None and node_id not in root_ids:
            root_ids.append(node_id)
    detach_candidates = [
        (name, namespace[name])
        for name in list(rebound) + [n for e, _ in asked for n in names_in(e)]
        if isinstance(namespace.get(name), torch.Tensor)
    ]
    builder.add_cuts(detach_candidates, namespace)
    if not builder.nodes or not any(n["kind"] != "tensor" for n in builder.nodes):
        if not any(e.get("cut") for e in builder.edges):
            return None
    if with_gradients:
        builder.add_gradients()
        builder.add_leaf_notes()
        builder.add_formulas()
    notes = []
    if builder.truncated:
        notes.append(f"graph cut at {MAX_GRAPH_NODES} nodes")
    recorder_note = recorder.note() if recorder is not None else None
    if with_gradients and recorder_note:
        notes.append(recorder_note)
    return {
        "nodes": builder.nodes,
        "edges": builder.edges,
        "roots": root_ids,
        "truncated": builder.truncated,
        "gradients": with_gradients,
        "backward_calls": recorder.calls if recorder is not None else 0,
        "links_recorded": recorder is not None and not recorder.too_many(),
        "notes": notes,
    }
