"""One link per use, flows that add up, a cut branch drawn as a cut, no negative zero: the
cases of issue 20, through a real worker and the text both UIs draw."""

from __future__ import annotations

from autograd_tutor.graph import Graph, graph_from_json, graph_lines
from autograd_tutor.graph.model import format_number, format_numbers
from autograd_tutor.values import Value
from autograd_tutor.values import format_number as value_number
from autograd_tutor.worker import WorkerClient

MICROGRAD = (
    "x = torch.tensor(-4.0, requires_grad=True)\n"
    "z = 2 * x + 2 + x\n"
    "q = z.relu() + z * x\n"
    "h = (z * z).relu()\n"
    "y = h + q + q * x\n"
    "y.backward()\n"
)


def after_run(worker: WorkerClient, code: str, exprs: list[str]) -> Graph:
    worker.reset(0)
    result = worker.run(code, exprs)
    assert result.ok, result.error
    data = worker.graph(exprs).graph
    assert data is not None
    return graph_from_json(data)


def shown(graph: Graph, width: int = 80) -> str:
    return "\n".join(graph_lines(graph, width, show_gradients=True))


def node(graph: Graph, label: str):  # noqa: ANN201
    return next(n for n in graph.nodes if n.label == label)


def test_z_times_z_has_two_links_whose_flows_add_up_to_the_gradient(worker: WorkerClient) -> None:
    graph = after_run(
        worker, "z = torch.tensor(-2.0, requires_grad=True)\ny = z * z\ny.backward()\n", ["z.grad"]
    )
    z, y = node(graph, "z"), node(graph, "y")
    links = graph.users(z.id)
    assert [(e.dst, e.index) for e in links] == [(y.id, 0), (y.id, 1)]
    assert [e.grads for e in links] == [(-2.0,), (-2.0,)] and z.grads == (-4.0,)
    text = shown(graph)
    assert "link 1 of 2: d y/d z = z = -2; flows back: -2" in text
    assert "link 2 of 2: d y/d z = z = -2; flows back: -2" in text
    assert "d y/d z = -2 + -2 = -4 (the flows along its 2 links add up)" in text
    assert "z.grad = -4" in text


def test_c_plus_c_has_two_links_of_one(worker: WorkerClient) -> None:
    graph = after_run(
        worker, "c = torch.tensor(3.0, requires_grad=True)\ns = c + c\ns.backward()\n", ["c.grad"]
    )
    text = shown(graph)
    assert "link 1 of 2: d s/d c = 1; flows back: 1" in text
    assert "link 2 of 2: d s/d c = 1; flows back: 1" in text
    assert "d s/d c = 1 + 1 = 2" in text


def test_micrograd_sanity_check_every_node_is_the_sum_of_its_flows(worker: WorkerClient) -> None:
    graph = after_run(worker, MICROGRAD, ["x.grad"])
    for n in graph.nodes:
        flows = [e.flow(0) for e in graph.users(n.id) if e.flow(0) is not None]
        if flows:
            assert abs(sum(flows) - n.grad_in(0)) < 1e-6, (n, flows)
    z = node(graph, "z")
    assert sorted(e.flow(0) for e in graph.users(z.id)) == [-10.0, -10.0, 0.0, 12.0]
    text = shown(graph, 200)
    assert "d y/d z = 12 + 0 + -10 + -10 = -8" in text
    assert "d y/d x = 40 + 30 + -8 + -16 = 46" in text and "x.grad = 46" in text
    assert "-0" not in text.replace("-0.", "")  # relu at a negative input: its link reads 0
    assert "link d ReluBackward0/d z = 0; flows back: 0" in text


def test_a_detached_branch_is_drawn_as_a_cut_link(worker: WorkerClient) -> None:
    worker.reset(0)
    first = "a = torch.tensor(2.0, requires_grad=True)\nb = a * 3\nd = b.detach()\nc = d ** 2\n"
    assert worker.run(first, ["c"]).ok
    step3 = "e = d ** 2 + a\ne.backward()\n"
    preview = worker.preview(step3, ["a.grad"])
    assert preview.ok and preview.graph is not None
    before = "\n".join(graph_lines(graph_from_json(preview.graph), 80, show_gradients=False))
    assert "✂ cut: d = b.detach()" in before and "1" not in before.split("\n", 1)[0]
    assert worker.run(step3, ["a.grad"]).ok
    data = worker.graph(["a.grad"]).graph
    assert data is not None
    graph = graph_from_json(data)
    e, d, b = node(graph, "e"), node(graph, "d"), node(graph, "b")
    branch = [edge for edge in graph.inputs(e.id) if edge.constant]
    assert len(branch) == 1 and not branch[0].grads  # d ** 2: no gradient flows
    square = graph.node(branch[0].src)
    assert (square.made_by, square.value, square.requires_grad) == ("pow", 36.0, False)
    assert [(x.src, x.cut) for x in graph.inputs(square.id)] == [(d.id, None)]
    assert [(x.src, x.cut) for x in graph.inputs(d.id)] == [(b.id, "detach")]
    text = shown(graph)
    assert "✂─ b = 6 · MulBackward0" in text
    assert "✂ cut: d = b.detach(): the same numbers with no history" in text
    assert "no gradient flows here: pow(…) has no history" in text
    assert "d e/d a = 1" in text and "a.grad = 1" in text


def test_no_negative_zero_anywhere_a_number_is_worded() -> None:
    assert format_number(-0.0) == "0" and value_number(-0.0) == "0"
    assert format_numbers([-0.0, [0.0, -0.0]]) == "[0, [0, 0]]"
    assert Value.tensor([-0.0, 1.5]).display() == "tensor([0, 1.5])"
    assert Value.number(-0.0).display() == "0"
    assert format_number(-0.00012345) == "-0.0001234"  # a small negative stays negative


def test_data_and_no_grad_are_cut_links_without_patching_torch(worker: WorkerClient) -> None:
    import torch  # the test process may import torch: the tutor's UI side never does

    enter = torch.no_grad.__enter__
    code = (
        "a = torch.tensor(2.0, requires_grad=True)\nb = a * 3\nd = b.data\n"
        "with torch.no_grad():\n    z = a * 5\ne = d * a + z\ne.backward()\n"
    )
    graph = after_run(worker, code, ["a.grad"])
    cuts = {(graph.node(e.src).label, graph.node(e.dst).label): e for e in graph.edges if e.cut}
    assert cuts[("b", "d")].cut == "data" and cuts[("a", "z")].cut == "no_grad"
    text = shown(graph, 200)
    assert "d = b.data: the same numbers with no history" in text
    assert "z was made under torch.no_grad() from a (mul)" in text
    assert "d e/d a = 6" in text and "a.grad = 6" in text  # only e = d * a carries a gradient
    assert torch.no_grad.__enter__ is enter  # and the worker's torch was never patched either
    patched = worker.run("", ["hasattr(torch.no_grad, '_autograd_tutor_watched')"])
    assert patched.values[0].value == Value.boolean(False), patched.values
