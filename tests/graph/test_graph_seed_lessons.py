"""The seed lessons' graphs, from a real worker through ``LessonSession.graph``: the preview
before the run (structure only) and the gradients torch sent along the graph after it."""

from __future__ import annotations

import pytest

from autograd_tutor.graph import graph_from_json, graph_lines
from autograd_tutor.graph.source import GraphView
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.session import LessonSession
from autograd_tutor.worker import WorkerClient


@pytest.fixture
def graph_worker(worker: WorkerClient) -> WorkerClient:
    """The suite's shared worker (tests/conftest.py), under a name that says what it is for."""
    return worker


def seed(lesson_id: str) -> Lesson:
    lessons, _ = load_lessons()
    return next(lesson for lesson in lessons if lesson.id == lesson_id)


def run_step(session: LessonSession, position: int) -> tuple[GraphView, GraphView]:
    """(the graph before the run, the graph after it), skipping every question."""
    before = session.graph(position)
    step = session.lesson.steps[position]
    outcome = session.commit(position, {q.id: None for q in step.questions})  # skips
    assert outcome.ok, outcome.result.error
    return before, session.graph(position)


def text(view: GraphView, width: int = 80) -> str:
    assert view.graph is not None, view.message
    return "\n".join(graph_lines(view.graph, width, show_gradients=view.revealed))


def test_backprop_by_hand_reads_minus_two_along_the_chain(graph_worker: WorkerClient) -> None:
    session = LessonSession(seed("backprop-by-hand"), graph_worker)
    first_before, _ = run_step(session, 0)
    assert first_before.graph is None and "requires_grad" in first_before.message
    before, after = run_step(session, 1)
    assert not before.revealed and after.revealed
    shown = text(before)
    assert "loss · PowBackward0" in shown and "w = 1 · leaf" in shown
    assert "-2" not in shown and "d loss/d" not in shown
    assert "= 1 · PowBackward0" not in shown  # loss's value is what step 1 asked: kept back
    revealed = text(after)
    for expected in (
        "d loss/d loss = 1",
        "d loss/d s = -2",
        "d loss/d y_hat = -2",
        "d loss/d w = -2",
        "link d loss/d s = 2·s = -2",
        "link d y_hat/d w = x = 1",
    ):
        assert expected in revealed, revealed
    assert after.graph is not None
    s = next(n for n in after.graph.nodes if n.label == "s")
    assert s.grads == (-2.0,) and s.op == "SubBackward0"
    x = next(n for n in after.graph.nodes if n.label == "x")
    assert x.kind == "tensor" and "x.grad stays None" in revealed


def test_first_gradient_leaf_and_power_node(graph_worker: WorkerClient) -> None:
    session = LessonSession(seed("first-gradient"), graph_worker)
    before, after = run_step(session, 0)
    assert before.graph is None  # it asks y.requires_grad and y.grad_fn: drawn after the run
    revealed = text(after)
    assert "y = 16 · PowBackward0" in revealed
    assert "x = 4 · leaf · AccumulateGrad" in revealed
    assert "link d y/d x = 2·x = 8" in revealed and "x.grad = 8" in revealed


def test_two_layer_chain_gradients_reach_every_leaf(graph_worker: WorkerClient) -> None:
    session = LessonSession(seed("two-layer-chain"), graph_worker)
    run_step(session, 0)
    before, after = run_step(session, 1)
    assert before.graph is not None and "d y/d" not in text(before)
    revealed = text(after, 200)
    for expected in (
        "d y/d w2 = 6.5",
        "d y/d h_act = -1",
        "d y/d b = -1",
        "d y/d w1 = -2",
        "d y/d x = -3",
        "d y/d h = -1",
    ):
        assert expected in revealed, revealed


def test_accumulation_shows_what_each_backward_added(graph_worker: WorkerClient) -> None:
    session = LessonSession(seed("accumulation-trap"), graph_worker)
    run_step(session, 0)
    _, after = run_step(session, 1)
    assert "x.grad = 6 (already there) + 6 (this backward()) = 12" in text(after, 200)
    graph_worker.reset(0)
    code = "x = torch.tensor(2.0, requires_grad=True)\n(x * 3).backward()\n(x ** 2).backward()\n"
    assert graph_worker.run(code, ["x.grad"]).ok
    data = graph_worker.graph(["x.grad"]).graph
    assert data is not None
    leaf = next(n for n in data["nodes"] if n["label"] == "x")
    assert leaf["grads"] == [3.0, 4.0] and leaf["grad_attr"] == 7.0  # two contributions


def test_detach_cuts_the_edge_and_says_why_grad_stays_none(graph_worker: WorkerClient) -> None:
    session = LessonSession(seed("detach"), graph_worker)
    run_step(session, 0)
    before, after = run_step(session, 1)
    assert before.graph is None  # c.requires_grad is asked: the picture would answer it
    assert after.graph is not None
    cut = [e for e in after.graph.edges if e.cut]
    assert len(cut) == 1
    assert after.graph.node(cut[0].src).label == "b" and after.graph.node(cut[0].dst).label == "d"
    revealed = text(after)
    assert "✂ cut: d = b.detach()" in revealed
    assert "a.grad stays None: no backward() has reached a" in revealed


def test_a_preview_leaves_the_namespace_and_random_numbers_alone(
    graph_worker: WorkerClient,
) -> None:
    graph_worker.reset(3)
    code = "w = torch.randn((), requires_grad=True)\nloss = (w * 2) ** 2\nloss.backward()\n"
    preview = graph_worker.preview(code, ["w.grad"])
    assert preview.ok and preview.graph is not None and preview.values == []
    assert all("grads" not in n for n in preview.graph["nodes"])
    after = graph_worker.run("", ["'w' in dir()", "torch.randn(())"])
    assert after.values[0].value is not None and after.values[0].value.data is False
    graph_worker.reset(3)
    graph_worker.preview(code, ["w.grad"])
    real = graph_worker.run(code, ["w", "w.grad"])
    graph_worker.reset(3)
    plain = graph_worker.run(code, ["w", "w.grad"])
    assert [v.value for v in real.values] == [v.value for v in plain.values]
    assert real.backward_calls == plain.backward_calls == 1


def test_graph_false_on_every_question_means_no_graph(graph_worker: WorkerClient, tmp_path):
    path = tmp_path / "off.yaml"
    path.write_text(
        "id: switched-off\ntitle: Graph switched off\nsteps:\n  - graph: open\n    code: |\n"
        "      x = torch.tensor(1.0, requires_grad=True)\n      y = x * 2\n"
        "    ask:\n      - expr: y\n        graph: false\n",
        encoding="utf-8",
    )
    from autograd_tutor.lessons.loader import load_lesson

    lesson = load_lesson(path)
    assert lesson.steps[0].graph_open and not lesson.steps[0].questions[0].graph
    view = LessonSession(lesson, graph_worker).graph(0)
    assert view.graph is None and "switched off" in view.message


def test_a_preview_keeps_back_the_values_the_questions_ask(graph_worker: WorkerClient) -> None:
    graph_worker.reset(0)
    assert graph_worker.run("w = torch.tensor(5.0, requires_grad=True)\nk = w * 1", []).ok
    preview = graph_worker.preview("y = w * 3\ny.backward()", ["w", "y", "k.grad"])
    assert preview.graph is not None
    nodes = {n["label"]: n for n in preview.graph["nodes"]}
    assert nodes["w"]["value"] is None  # asked for: even a leaf's number waits for the run
    assert nodes["y"]["value"] is None and nodes["y"]["op"] == "MulBackward0"
    assert nodes["k"]["value"] is None  # not a leaf: before the run only leaves show numbers
    assert not any("grads" in n or "note" in n for n in preview.graph["nodes"])
    assert not any("grads" in e or "formula" in e for e in preview.graph["edges"])


def test_no_grad_cuts_the_edge_and_says_why(graph_worker: WorkerClient) -> None:
    graph_worker.reset(0)
    code = (
        "a = torch.tensor(2.0, requires_grad=True)\nb = a * 3\n"
        "with torch.no_grad():\n    z = b * 2\nc = z ** 2\n"
    )
    assert graph_worker.run(code, ["z"]).ok
    data = graph_worker.graph(["z", "a.grad"]).graph
    assert data is not None
    nodes = {n["id"]: n for n in data["nodes"]}
    (cut,) = [e for e in data["edges"] if e.get("cut")]
    assert (nodes[cut["src"]]["label"], nodes[cut["dst"]]["label"]) == ("b", "z")
    assert (cut["cut"], cut["op"]) == ("no_grad", "mul")  # a code: the UI words it
    a = next(n for n in data["nodes"] if n["label"] == "a")
    assert a["grad_is_none"]
    shown = "\n".join(graph_lines(graph_from_json(data), 200, show_gradients=True))
    assert "z was made under torch.no_grad() from b (mul)" in shown
    assert "a.grad stays None: no backward() has reached a (a path back to it was cut by " in shown
    assert graph_worker.run("w = torch.ones(2, requires_grad=True)\nq = w * 2", ["q"]).ok
    assert not any(e.get("cut") for e in graph_worker.graph(["q"]).graph["edges"])


def test_a_training_loop_draws_one_graph_not_one_per_iteration(graph_worker: WorkerClient) -> None:
    loop = (
        "w = torch.tensor(0.0, requires_grad=True)\nx = torch.tensor([1.0, 2.0])\n"
        "for _ in range({n}):\n    loss = ((w * x - x) ** 2).mean()\n    loss.backward()\n"
        "    with torch.no_grad():\n        w -= 0.1 * w.grad\n    w.grad.zero_()\n"
    )
    for n, recorded in ((3, True), (50, False)):
        graph_worker.reset(0)
        assert graph_worker.run(loop.format(n=n), []).ok
        data = graph_worker.graph(["w.grad"]).graph
        assert data is not None
        ops = [node["op"] for node in data["nodes"]]
        assert ops.count("MeanBackward0") == 1, ops  # one graph, not one per backward()
        assert data["links_recorded"] is recorded
        assert any("grads" in e for e in data["edges"]) is recorded
        assert not any(e.get("cut") for e in data["edges"])  # w -= ... under no_grad: no cut
        w = next(node for node in data["nodes"] if node["label"] == "w")
        assert w["grad_attr"] == 0.0
    assert data["backward_calls"] == 50
    shown = "\n".join(graph_lines(graph_from_json(data), 200, show_gradients=True))
    assert "this step called backward() 50 times" in shown


def test_a_preview_draws_the_forward_graph_when_code_needs_backward(
    graph_worker: WorkerClient,
) -> None:
    graph_worker.reset(0)
    code = (
        "model = torch.nn.Linear(1, 1)\nloss = model(torch.ones(1, 1)).sum()\n"
        "loss.backward()\nsize = model.weight.grad.abs().sum()\n"
    )
    preview = graph_worker.preview(code, ["size"])
    assert preview.ok and preview.graph is not None
    labels = {n["label"] for n in preview.graph["nodes"]}
    assert {"model.weight", "model.bias", "loss"} <= labels
    assert preview.graph["stopped_at_line"] == 4
    shown = "\n".join(graph_lines(graph_from_json(preview.graph), 200, show_gradients=False))
    assert "drawn from the code up to line 4" in shown
    assert graph_worker.run(code, ["size"]).ok  # the real run has backward(): it works


def test_a_gradient_the_next_step_asks_for_waits_for_it(graph_worker: WorkerClient, write_lesson):
    from autograd_tutor.lessons.loader import load_lesson

    path = write_lesson(
        """\
        id: ask-later
        title: The gradient is asked one step later
        steps:
          - code: |
              x = torch.tensor(3.0, requires_grad=True)
              y = x ** 2
              y.backward()
            ask:
              - expr: y
          - ask:
              - expr: x.grad
        """
    )
    session = LessonSession(load_lesson(path), graph_worker)
    _, after = run_step(session, 0)
    shown = text(after)
    assert "y = 9 · PowBackward0" in shown  # step 1's own answer, revealed
    assert "6" not in shown and "d y/d x" not in shown  # x.grad is step 2's question
    assert "x.grad: a later step asks for it" in shown
    _, second = run_step(session, 1)
    assert second.graph is not None
