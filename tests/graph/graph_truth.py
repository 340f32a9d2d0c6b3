"""The graph's arithmetic, checked on what the UIs draw: for each node and each recorded
``backward()`` call, the flows along the links into it add up to the gradient shown on it, and
where there is more than one the drawing shows the sum; each leaf's shown ``.grad`` is torch's.
"""

from __future__ import annotations

import math
from typing import Any

from autograd_tutor.graph import Graph
from autograd_tutor.graph.layout import arrival_text
from autograd_tutor.values import Value
from autograd_tutor.worker import WorkerClient

TOLERANCE = 1e-4


def close(a: Any, b: Any) -> bool:
    """Numbers or equally nested lists, equal within a relative float tolerance."""
    if isinstance(a, list) or isinstance(b, list):
        if not (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)):
            return False
        return all(close(x, y) for x, y in zip(a, b, strict=True))
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return False
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def add(a: Any, b: Any) -> Any:
    """Elementwise sum of two numbers or equally nested lists."""
    if isinstance(a, list):
        return [add(x, y) for x, y in zip(a, b, strict=True)]
    return a + b


def total(flows: list[Any]) -> Any:
    out = flows[0]
    for flow in flows[1:]:
        out = add(out, flow)
    return out


def flow_problems(graph: Graph) -> list[str]:
    """Every node whose shown gradient is not the sum of the flows along its links."""
    problems: list[str] = []
    if graph.truncated or not graph.links_recorded:
        return problems
    for node in graph.nodes:
        for call in range(graph.recorded_calls):
            if not graph.call_drawn(call) or node.id in graph.call_roots[call]:
                continue  # a call's root gets the seed; an undrawn call's links are not here
            users = graph.users(node.id)
            if node.output_grads:
                arrived = node.output_grads[call] if call < len(node.output_grads) else None
                for slot, grad in enumerate(arrived or ()):
                    flows = [e.flow(call) for e in users if e.slot == slot]
                    flows = [f for f in flows if f is not None]
                    if grad is not None and flows and not close(total(flows), grad):
                        problems.append(f"{node.name} output {slot}, call {call}: {flows}")
                continue
            grad = node.grad_in(call)
            flows = [f for f in (e.flow(call) for e in users) if f is not None]
            if grad is None or isinstance(grad, dict):
                if flows and grad is None:
                    problems.append(f"{node.name}, call {call}: flows {flows} but no gradient")
                continue
            if not flows:
                problems.append(f"{node.name}, call {call}: gradient {grad} and no link to it")
            elif any(isinstance(f, dict) for f in flows):
                continue  # too big to send: only its shape is known
            elif not close(total(flows), grad):
                problems.append(f"{node.name}, call {call}: {flows} do not add up to {grad}")
            elif len(flows) > 1 and " + " not in (arrival_text(graph, node) or ""):
                problems.append(f"{node.name}, call {call}: the sum of {flows} is not shown")
    return problems


def leaf_problems(graph: Graph, worker: WorkerClient) -> list[str]:
    """Every named leaf whose shown ``.grad`` is not torch's (asked of the worker afterwards:
    this starts a new step in the worker)."""
    leaves = [n for n in graph.nodes if n.kind == "leaf" and n.label and n.requires_grad]
    if not leaves:
        return []
    result = worker.run("", [f"{n.label}.grad" for n in leaves])
    assert result.ok, result.error
    problems: list[str] = []
    for node, asked in zip(leaves, result.values, strict=True):
        value = asked.value
        assert value is not None, asked
        if value.kind == "none":
            if not node.grad_is_none or node.grad_attr is not None:
                problems.append(f"{node.label}.grad is None, shown {node.grad_attr}")
        elif node.grad_is_none:
            problems.append(f"{node.label}.grad is {value.display()}, shown as None")
        elif node.grad_attr is not None and not close(_numbers(value), node.grad_attr):
            problems.append(f"{node.label}.grad is {value.display()}, shown {node.grad_attr}")
    return problems


def _numbers(value: Value) -> Any:
    return value.data
