"""The graph tells the truth, proved on every step of every bundled lesson and on generated
expressions (repeated inputs, shared subexpressions, broadcasting, detach, in-place ops, a node
with several outputs, non-scalar ``backward(gradient=...)``, two backward() calls): after the
run, for each node the flows along its links add up to the gradient shown on it (and the
drawing shows the sum), and each leaf's shown ``.grad`` is torch's. One shared worker; a
bounded number of examples."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from graph_truth import flow_problems, leaf_problems
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd_tutor.graph import Graph, graph_from_json
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.session.kinds import replay_code
from autograd_tutor.worker import WorkerClient

LESSONS, _ = load_lessons()


def graph_after(worker: WorkerClient, code: str, exprs: list[str]) -> Graph | None:
    result = worker.run(code, exprs, time_limit=30)
    assert result.ok, (code, result.error)
    data = worker.graph(exprs).graph
    return graph_from_json(data) if data is not None else None


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_every_step_of_every_lesson_adds_up(worker: WorkerClient, lesson) -> None:  # noqa: ANN001
    worker.reset(lesson.seed)
    checked = 0
    for step in lesson.steps:
        exprs = [q.expr for q in step.questions]
        graph = graph_after(worker, replay_code(step), exprs)
        if graph is None:
            continue
        checked += 1
        assert flow_problems(graph) == [], (lesson.id, step.index)
        assert leaf_problems(graph, worker) == [], (lesson.id, step.index)
    assert checked or lesson.id in {"leaf-tensors"}, f"{lesson.id}: no step has a graph"


# -- generated expressions ---------------------------------------------------------------------
SHAPES = ["()", "(3,)", "(2, 3)"]  # any two broadcast together


@dataclass(frozen=True)
class Program:
    code: str
    leaves: tuple[str, ...]


def _tensor(shape: str, seed: int) -> str:
    return (
        f"(torch.arange({_numel(shape)}, dtype=torch.float32).reshape({shape}) * 0.37 - {seed % 5})"
    )


def _numel(shape: str) -> int:
    return {"()": 1, "(3,)": 3, "(2, 3)": 6}[shape]


@st.composite
def programs(draw: st.DrawFn) -> Program:
    """A few leaves (some shared by shape, some constants) and a chain of operations over a
    growing pool of names: every later operation may reuse any earlier result."""
    lines: list[str] = []
    pool: list[tuple[str, int]] = []  # (name, rank: 0, 1, 2)
    leaves = []
    for i in range(draw(st.integers(1, 3))):
        rank = draw(st.integers(0, 2))
        lines.append(f"v{i} = {_tensor(SHAPES[rank], i + 1)}.requires_grad_()")
        pool.append((f"v{i}", rank))
        leaves.append(f"v{i}")
    if draw(st.booleans()):
        lines.append(f"k = {_tensor('(3,)', 7)}")  # a constant: no grad
        pool.append(("k", 1))
    for i in range(draw(st.integers(1, 7))):
        a, ra = pool[draw(st.integers(0, len(pool) - 1))]
        b, rb = pool[draw(st.integers(0, len(pool) - 1))]
        op = draw(
            st.sampled_from(
                ["mul", "add", "sub", "square", "same", "relu", "tanh", "sum", "mean"]
                + ["detach", "inplace_add", "inplace_mul", "unbind"]
            )
        )
        name = f"t{i}"
        rank = max(ra, rb)
        if op in ("mul", "add", "sub"):
            sign = {"mul": "*", "add": "+", "sub": "-"}[op]
            lines.append(f"{name} = {a} {sign} {b}")
        elif op == "same":  # a tensor used twice in one operation
            lines.append(f"{name} = {a} * {a}")
            rank = ra
        elif op == "square":
            lines.append(f"{name} = {a} ** 2")
            rank = ra
        elif op in ("relu", "tanh"):
            lines.append(f"{name} = torch.{op}({a})")
            rank = ra
        elif op in ("sum", "mean"):
            lines.append(f"{name} = {a}.{op}()")
            rank = 0
        elif op == "unbind" and ra:  # a node with several outputs, two of them used
            lines.append(f"u{i} = {a}.unbind(0)\n{name} = u{i}[0] * u{i}[-1]")
            rank = ra - 1
        elif op == "unbind":
            lines.append(f"{name} = {a} - 1")
            rank = ra
        elif op == "detach":
            lines.append(f"{name} = {a}.detach() * 2")
            rank = ra
        else:  # in place on a fresh copy: the other operand broadcasts into its shape
            a, ra = (a, ra) if ra >= rb else (b, rb)
            b = b if a != b else a
            method = "add_" if op == "inplace_add" else "mul_"
            lines.append(f"{name} = {a} * 1.0\n{name}.{method}({b})")
            rank = ra
        pool.append((name, rank))
    last, rank = pool[-1]
    lines.append(f"out = {last} + v0")  # v0 requires grad: out is always in a graph
    rank = max(rank, dict(pool)["v0"])
    if rank:
        seed = draw(st.sampled_from(["torch.ones_like(out)", "torch.full_like(out, -0.5)"]))
        weights = f"{seed} + torch.arange(out.numel(), dtype=torch.float32).reshape(out.shape)"
        call = f"out.backward(gradient={weights}"
    else:
        call = "out.backward("
    if draw(st.booleans()):  # two backward() calls on one graph: .grad adds up
        lines.append(f"{call}, retain_graph=True)" if rank else f"{call}retain_graph=True)")
    lines.append(f"{call})")
    return Program("\n".join(lines) + "\n", tuple(leaves))


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(program=programs())
def test_generated_graphs_add_up(worker: WorkerClient, program: Program) -> None:
    worker.reset(0)
    graph = graph_after(worker, program.code, [f"{leaf}.grad" for leaf in program.leaves])
    assert graph is not None, program.code
    assert flow_problems(graph) == [], program.code
    assert leaf_problems(graph, worker) == [], program.code
