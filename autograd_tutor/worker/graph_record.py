"""What a step's run did to the autograd graph, recorded as it ran (worker process only).

:class:`GradientRecorder` hooks every node of the graph a ``backward()`` call is about to walk
(``Node.register_hook``), so the gradient arriving at each node and the gradient flowing along
each of its links are what torch itself computed, call by call, never re-derived.

:class:`CutWitness` is a ``TorchFunctionMode`` entered around a step's code (``watching``; no
global patch of torch): it notes each tensor cut off a graph (``detach()``, ``.data``, made
under ``torch.no_grad()`` from tensors that require grad), what was computed from such
tensors, and which graph operations took one as an input, the links autograd never records.
Facts only: numbers, op names and codes; the words are made on the UI side (``graph/words.py``).
"""

from __future__ import annotations

import contextlib
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from autograd_tutor.worker.protocol import MAX_GRAPH_NODES

SMALL_VALUE_ELEMENTS = 64  # tensors up to this many elements travel with their numbers
MAX_RECORDED_CALLS = 8  # backward() calls per step whose gradients are recorded
MAX_ROOTS = 16
MAX_CUT_RECORDS = 256  # tensors cut off a graph (and made from them) remembered, newest kept
MAX_CUT_INPUTS = 64  # graph operations that took a cut tensor, newest kept
_DATA_GETTER = torch._C.TensorBase.__dict__.get("data")
_DETACH = {"detach", "detach_"}
_CUTTERS = {*_DETACH, "__get__"}


def plain(t: torch.Tensor | None) -> Any:
    """A small tensor's numbers (a float or nested lists), else None."""
    if t is None or t.numel() > SMALL_VALUE_ELEMENTS or t.is_complex():
        return None
    try:
        return t.detach().cpu().tolist()
    except Exception:  # sparse, quantized, meta: shown without numbers
        return None


def in_graph(t: Any) -> bool:
    return isinstance(t, torch.Tensor) and (t.grad_fn is not None or t.requires_grad)


class TooBig:
    """A gradient recorded by its shape only (too many elements to send)."""

    __slots__ = ("shape",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape


def kept(t: Any) -> Any:
    """A small gradient's numbers, read at once (torch may later add into the very tensor;
    reading them now costs less than a copy), else a :class:`TooBig`; None stays None."""
    if isinstance(t, torch.Tensor):
        if t.numel() > SMALL_VALUE_ELEMENTS or t.is_complex():
            return TooBig(tuple(t.shape))
        return t.detach().tolist()
    return None


def grad_plain(g: Any) -> Any:
    """Numbers already, None when absent, ``{"shape": [...]}`` when too big to send."""
    return {"shape": list(g.shape)} if isinstance(g, TooBig) else g


def saved_facts(fn: Any) -> dict[str, Any]:
    """What a node saved for its backward, while it still has it (before backward() ran):
    the exponent of a power, the two factors of a product."""
    name = type(fn).__name__
    try:
        if name.startswith("PowBackward"):
            n = getattr(fn, "_saved_exponent", None)
            return {"exponent": n} if isinstance(n, (int, float)) else {}
        if name.startswith("MulBackward"):
            return {"self": fn._saved_self, "other": fn._saved_other}
    except Exception:  # noqa: S110  freed by backward(), or not a tensor: no formula
        pass
    return {}


class GradientRecorder:
    """Per step: the gradients of the first few ``backward()`` calls, node by node and call by
    call (call numbers start at 0)."""

    def __init__(self) -> None:
        self.start_step()

    def start_step(self) -> None:
        self.calls = 0  # backward() calls seen in this step
        self.roots: list[torch.Tensor] = []  # tensors backward() ran from (recorded calls)
        self.call_roots: list[list[torch.Tensor]] = []  # per recorded call, its roots
        self.nodes: dict[int, Any] = {}  # id(node) -> node (kept alive: ids stay unique)
        self.arrived: dict[int, dict[int, Any]] = {}  # id(node) -> call -> grad arriving
        self.along: dict[int, dict[int, tuple[Any, ...]]] = {}  # id(node) -> call -> flows
        self.grad_before: dict[int, Any] = {}  # id(leaf) -> its .grad before this step's calls
        self.leaves: dict[int, torch.Tensor] = {}
        self.saved: dict[int, dict[str, Any]] = {}  # id(node) -> what local derivatives need
        self.several: set[int] = set()  # id(node)s with more than one output

    @property
    def recorded_calls(self) -> int:
        return min(self.calls, MAX_RECORDED_CALLS)

    def note_roots(self, tensors: Any) -> None:
        """A preview's backward() call: where it would start (nothing runs, nothing hooked)."""
        for t in [tensors] if isinstance(tensors, torch.Tensor) else tensors or ():
            if in_graph(t) and t.grad_fn is not None and len(self.roots) < MAX_ROOTS:
                self.roots.append(t)

    def before_backward(self, tensors: Any) -> list[Any]:
        """Hook the graph below ``tensors``; the handles go to :meth:`after_backward`."""
        call = self.calls
        self.calls += 1
        if call >= MAX_RECORDED_CALLS:
            return []
        if isinstance(tensors, torch.Tensor):
            tensors = [tensors]
        handles: list[Any] = []
        stack = []
        these: list[torch.Tensor] = []
        for t in tensors or ():
            if isinstance(t, torch.Tensor) and t.grad_fn is not None:
                if len(self.roots) < MAX_ROOTS:
                    self.roots.append(t)
                these.append(t)
                stack.append(t.grad_fn)
        self.call_roots.append(these)
        seen: set[int] = set()
        while stack and len(seen) < MAX_GRAPH_NODES:
            fn = stack.pop()
            key = id(fn)
            if key in seen:
                continue
            seen.add(key)
            self.nodes[key] = fn
            self._remember(key, fn)
            handles.append(fn.register_hook(self._hook(key, call)))
            stack.extend(child for child, _ in fn.next_functions if child is not None)
        return handles

    def after_backward(self, handles: list[Any]) -> None:
        for handle in handles:
            handle.remove()

    def _hook(self, key: int, call: int) -> Any:
        def hook(grad_inputs: Sequence[Any], grad_outputs: Sequence[Any]) -> None:
            if len(grad_outputs) > 1:  # a node with several outputs: one gradient per output
                self.several.add(key)
                arriving: Any = [kept(g) for g in grad_outputs]
            else:
                arriving = kept(grad_outputs[0]) if grad_outputs else None
            self.arrived.setdefault(key, {})[call] = arriving
            self.along.setdefault(key, {})[call] = tuple(kept(g) for g in grad_inputs)

        return hook

    def _remember(self, key: int, fn: Any) -> None:
        if type(fn).__name__ == "AccumulateGrad":
            var = getattr(fn, "variable", None)
            if isinstance(var, torch.Tensor):
                self.leaves[id(var)] = var
                if id(var) not in self.grad_before:
                    self.grad_before[id(var)] = kept(var.grad)
        elif key not in self.saved:
            self.saved[key] = saved_facts(fn)

    def too_many(self) -> bool:
        """More backward() calls than are recorded (a training loop)."""
        return self.calls > MAX_RECORDED_CALLS


@dataclass
class Cut:
    """A tensor with no history whose numbers came from a graph, or from such a tensor.

    ``how``: ``detach`` (``x.detach()``), ``data`` (``x.data``), ``no_grad`` (made under
    ``torch.no_grad()`` from tensors that require grad; the links autograd never recorded),
    or ``op`` (computed from cut tensors: ``sources`` are their :class:`Cut` records).
    """

    how: str
    op: str
    ref: Any  # weakref to the tensor
    shape: list[int]
    value: Any
    sources: list[Any] = field(default_factory=list)  # weakrefs to graph tensors, or Cuts

    def tensor(self) -> torch.Tensor | None:
        t = self.ref()
        return t if isinstance(t, torch.Tensor) else None


class CutWitness(TorchFunctionMode):
    """Entered around a step's code (:func:`watching`): notes the tensors cut off a graph and
    the graph operations that took one (see :class:`Cut`). It never changes what runs."""

    def __init__(self) -> None:
        super().__init__()
        self.cuts: OrderedDict[int, Cut] = OrderedDict()  # id(tensor) -> its record
        # id(grad_fn) -> (the node, [(link index, Cut)]): inputs the node has no link for
        self.cut_inputs: OrderedDict[int, tuple[Any, list[tuple[int, Cut]]]] = OrderedDict()
        self.aliases: dict[int, int] = {}  # a preview's copies: id(copy) -> id(original)

    def clear(self) -> None:
        self.cuts.clear()
        self.cut_inputs.clear()

    def cut_of(self, t: Any) -> Cut | None:
        """The record of ``t`` (or of the tensor a preview copied it from), if it has one."""
        if not isinstance(t, torch.Tensor):
            return None
        for key in (id(t), self.aliases.get(id(t))):
            record = self.cuts.get(key) if key is not None else None
            if record is not None and record.tensor() is not None and id(record.tensor()) == key:
                return record
        return None

    def __torch_function__(
        self, func: Any, types: Any, args: Sequence[Any] = (), kwargs: Any = None
    ) -> Any:
        out = func(*args, **(kwargs or {}))
        # The common case costs one check: grad mode on, no cut tensor around, not a cutter.
        if self.cuts or not torch.is_grad_enabled() or getattr(func, "__name__", "") in _CUTTERS:
            try:
                self._note(func, args, kwargs or {}, out)
            except Exception:  # noqa: S110  a witness must never break the lesson's code
                pass
        return out

    def _note(self, func: Any, args: Sequence[Any], kwargs: dict[str, Any], out: Any) -> None:
        name = getattr(func, "__name__", None) or str(func)
        is_data = _DATA_GETTER is not None and getattr(func, "__self__", None) is _DATA_GETTER
        if name == "__get__" and not is_data:
            return  # .grad, .T and other attributes: nothing is made from the tensor
        name = "data" if is_data else name
        tensors = _tensors_in([*args, *kwargs.values()])
        if not tensors:
            return
        outs = [out] if isinstance(out, torch.Tensor) else _tensors_in(out)
        for o in outs:
            if o.requires_grad:
                if o.grad_fn is not None:
                    self._note_cut_inputs(o.grad_fn, tensors)
                continue
            if any(o is t for t in tensors):
                continue  # in place: still the tensor it was
            graph = [t for t in tensors if in_graph(t)]
            sources: list[Any]
            if is_data or name in _DETACH:
                how, sources = ("data" if is_data else "detach"), [weakref.ref(t) for t in graph]
            elif graph and not torch.is_grad_enabled():
                how, sources = "no_grad", [weakref.ref(t) for t in graph]
            else:
                cut = [c for c in (self.cut_of(t) for t in tensors) if c is not None]
                if not cut:
                    continue
                how, sources = "op", list(cut)
            if not sources:
                continue
            self.cuts[id(o)] = Cut(how, name, weakref.ref(o), list(o.shape), plain(o), sources)
            if len(self.cuts) > MAX_CUT_RECORDS:
                self.cuts.popitem(last=False)

    def _note_cut_inputs(self, fn: Any, tensors: list[torch.Tensor]) -> None:
        constants = [t for t in tensors if not t.requires_grad]
        cut = [(i, self.cut_of(t)) for i, t in enumerate(constants)]
        found = [(i, c) for i, c in cut if c is not None]
        if not found:
            return
        # Autograd gives a node a None link for each input that needs no grad, in order: the
        # cut input takes its place; when the count differs, it goes after the real links.
        empty = [i for i, (child, _) in enumerate(fn.next_functions) if child is None]
        links = len(fn.next_functions)
        placed = [
            (empty[i] if len(empty) == len(constants) else links + k, c)
            for k, (i, c) in enumerate(found)
        ]
        self.cut_inputs[id(fn)] = (fn, placed)
        if len(self.cut_inputs) > MAX_CUT_INPUTS:
            self.cut_inputs.popitem(last=False)

    def inputs_of(self, fn: Any) -> list[tuple[int, Cut]]:
        entry = self.cut_inputs.get(id(fn))
        return entry[1] if entry is not None and entry[0] is fn else []


def _tensors_in(items: Any) -> list[torch.Tensor]:
    out: list[torch.Tensor] = []
    if isinstance(items, torch.Tensor):
        return [items]
    if isinstance(items, (list, tuple)):
        for item in items:
            if isinstance(item, torch.Tensor):
                out.append(item)
            elif isinstance(item, (list, tuple)):
                out.extend(x for x in item if isinstance(x, torch.Tensor))
    return out


@contextlib.contextmanager
def watching(
    witness: CutWitness, aliases: dict[int, int] | None = None, *, enabled: bool = True
) -> Iterator[None]:
    """Run a step's code with ``witness`` noting what it cuts (``aliases``: a preview's
    copies, so a copied tensor is known by its original's record). Not ``enabled``: the code
    runs unwatched (every torch call through the witness costs a few microseconds)."""
    if not enabled:
        yield
        return
    witness.aliases = dict(aliases or {})
    try:
        with witness:
            yield
    finally:
        witness.aliases = {}
