"""Running steps in a warm worker: state, replay, output, errors and value conversion."""

from __future__ import annotations

import threading

from autograd_tutor.lessons.model import LinePlot, Training
from autograd_tutor.values import Value
from autograd_tutor.worker import WorkerClient


def test_state_carries_from_step_to_step(worker: WorkerClient) -> None:
    worker.reset(0)
    first = worker.run("x = torch.tensor(3.0, requires_grad=True)\ny = x ** 2", [])
    assert first.ok, first.error
    second = worker.run("y.backward()", ["x.grad", "y"])
    assert second.ok, second.error
    grad, y = (q.value for q in second.values)
    assert grad == Value.tensor(
        6.0, shape=(), dtype="float32", device="cpu", requires_grad=False, is_leaf=True
    )
    assert y is not None and y.data == 9.0 and y.grad_fn == "PowBackward0"


def test_reset_gives_a_fresh_namespace_with_torch_and_record_loss(worker: WorkerClient) -> None:
    worker.reset(0)
    worker.run("leftover = 1", [])
    worker.reset(0)
    result = worker.run("", ["'leftover' in dir()", "torch.__name__", "callable(record_loss)"])
    assert [q.value for q in result.values] == [
        Value.boolean(False),
        Value("text", "torch"),
        Value.boolean(True),
    ]


def test_same_seed_replays_the_same_random_numbers(worker: WorkerClient) -> None:
    def draw(seed: int) -> list[float]:
        worker.reset(seed)
        result = worker.run("a = torch.randn(4)", ["a"])
        value = result.values[0].value
        assert value is not None
        return value.flat()

    first, again, other = draw(7), draw(7), draw(8)
    assert first == again
    assert first != other


def test_printed_output_comes_back_and_not_in_the_protocol(worker: WorkerClient) -> None:
    worker.reset(0)
    code = (
        "import os, sys\n"
        "print('hello from python')\n"
        "print('to stderr', file=sys.stderr)\n"
        "os.write(1, b'raw fd 1\\n')\n"
        "os.write(2, b'raw fd 2\\n')\n"
        "print(torch.tensor([1.0, 2.0]))\n"
    )
    result = worker.run(code, ["1 + 1"])
    assert result.ok, result.error
    assert result.stdout == ("hello from python\nto stderr\nraw fd 1\nraw fd 2\ntensor([1., 2.])\n")
    assert result.values[0].value == Value.number(2)
    # the next step starts with empty output
    assert worker.run("pass", []).stdout == ""


def test_an_exception_reports_type_message_and_the_steps_line_numbers(
    worker: WorkerClient,
) -> None:
    worker.reset(0)
    code = "a = 1\nb = 2\n\ndef f(v):\n    return v / 0\n\nc = f(a)\n"
    result = worker.run(code, ["a"])
    assert result.error is not None
    assert result.error.type == "ZeroDivisionError"
    assert result.error.message == "division by zero"
    assert result.error.line == 5
    assert result.values == []
    tb = result.error.traceback
    assert tb.startswith("Traceback (most recent call last):\n")
    assert 'File "<step>", line 7, in <module>' in tb
    assert 'File "<step>", line 5, in f' in tb
    assert "return v / 0" in tb
    assert "process.py" not in tb  # the worker's own frames are cut off


def test_first_line_shifts_the_reported_line_numbers(worker: WorkerClient) -> None:
    worker.reset(0)
    result = worker.run("x = 1\nraise ValueError('nope')", [], first_line=20)
    assert result.error is not None
    assert (result.error.type, result.error.message, result.error.line) == (
        "ValueError",
        "nope",
        21,
    )


def test_a_syntax_error_names_its_line(worker: WorkerClient) -> None:
    worker.reset(0)
    result = worker.run("x = 1\ny = (\n", [])
    assert result.error is not None
    assert result.error.type == "SyntaxError"
    assert result.error.line == 2


def test_a_torch_error_keeps_the_steps_frame(worker: WorkerClient) -> None:
    worker.reset(0)
    code = "x = torch.tensor(2.0, requires_grad=True)\ny = x * x\ny.backward()\ny.backward()\n"
    result = worker.run(code, [])
    assert result.error is not None
    assert result.error.type == "RuntimeError"
    assert "second time" in result.error.message
    assert result.error.line == 4


def test_a_failing_question_reports_its_error_and_the_others_still_answer(
    worker: WorkerClient,
) -> None:
    worker.reset(0)
    result = worker.run("a = torch.tensor(1.0)", ["a.grad.shape", "a"])
    assert result.ok
    bad, good = result.values
    assert bad.value is None
    assert bad.error == "AttributeError: 'NoneType' object has no attribute 'shape'"
    assert good.value is not None and good.value.data == 1.0


def test_conversions(worker: WorkerClient) -> None:
    worker.reset(0)
    code = (
        "x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n"
        "s = (x * 3).sum()\n"
        "a = torch.tensor(5.0, requires_grad=True)\n"
    )
    exprs = [
        "a.grad",
        "x.shape",
        "s.grad_fn",
        "x.requires_grad",
        "s.detach()",
        "s.item()",
        "3",
        "'text'",
        "[1, 2]",
        "torch.arange(3)",
        "torch.zeros(101, 100)",
    ]
    result = worker.run(code, exprs)
    assert result.ok, result.error
    v = {q.expr: q.value for q in result.values}
    assert v["a.grad"] == Value.none()
    assert v["x.shape"] == Value.size([2, 2])
    assert v["s.grad_fn"] == Value.name("SumBackward0")
    assert v["x.requires_grad"] == Value.boolean(True)
    zero_d = v["s.detach()"]
    assert zero_d is not None
    assert (zero_d.kind, zero_d.data, zero_d.shape) == ("tensor", 30.0, ())
    assert (zero_d.requires_grad, zero_d.grad_fn, zero_d.is_leaf) == (False, None, True)
    assert v["s.item()"] == Value.number(30.0)
    assert v["3"] == Value.number(3)
    assert v["'text'"] == Value("text", "text")
    assert v["[1, 2]"] == Value("other", "[1, 2]")
    ints = v["torch.arange(3)"]
    assert ints is not None and (ints.data, ints.dtype) == ([0, 1, 2], "int64")
    big = v["torch.zeros(101, 100)"]
    assert big is not None
    assert (big.kind, big.data, big.shape, big.dtype) == ("tensor", None, (101, 100), "float32")
    assert "10100 elements" in big.extra["note"]


def test_graph_of_a_square_has_pow_and_accumulate_grad(worker: WorkerClient) -> None:
    worker.reset(0)
    assert worker.run("x = torch.tensor(3.0, requires_grad=True)\ny = x ** 2", ["y"]).ok
    graph = worker.graph(["y", "x", "3"]).graph
    assert graph is not None
    nodes = {n["id"]: n for n in graph["nodes"]}
    ops = {n["op"]: n for n in graph["nodes"]}
    assert ops["PowBackward0"]["label"] == "y" and ops["PowBackward0"]["kind"] == "op"
    assert ops["AccumulateGrad"]["label"] == "x" and ops["AccumulateGrad"]["kind"] == "leaf"
    named_edges = {(nodes[e["src"]]["label"], nodes[e["dst"]]["label"]) for e in graph["edges"]}
    assert named_edges == {("x", "y")}


def test_no_graph_when_nothing_asked_is_in_one(worker: WorkerClient) -> None:
    worker.reset(0)
    worker.run("a = torch.ones(2)", [])
    assert worker.graph(["a.sum()", "3"]).graph is None
    worker.run("x = torch.tensor(3.0, requires_grad=True)\ny = x * 2", [])
    assert worker.graph(["y"], graph_for=[False]).graph is None
    assert worker.graph(["y"], graph_for=[True]).graph is not None


def test_graph_of_a_long_chain_is_capped(worker: WorkerClient) -> None:
    worker.reset(0)
    code = (
        "x = torch.tensor(1.0, requires_grad=True)\ny = x\nfor _ in range(500):\n    y = y * 1.0\n"
    )
    worker.run(code, [])
    graph = worker.graph(["y"]).graph
    assert graph is not None
    assert graph["truncated"] is True
    assert len(graph["nodes"]) <= 200


def test_backward_calls_are_counted_per_namespace(worker: WorkerClient) -> None:
    worker.reset(0)
    code = (
        "x = torch.tensor(3.0, requires_grad=True)\n"
        "(x * 2).backward()\n"
        "torch.autograd.backward(x * 3)\n"
    )
    assert worker.run(code, []).backward_calls == 2
    assert worker.run("(x ** 2).backward()", []).backward_calls == 3
    worker.reset(0)
    assert worker.run("pass", []).backward_calls == 0


def test_forward_values_are_the_small_tensors_in_a_graph(worker: WorkerClient) -> None:
    worker.reset(0)
    code = (
        "w = torch.tensor(1.0, requires_grad=True)\n"
        "y_hat = 2.0 * w\n"
        "plain = torch.tensor(5.0)\n"
        "big = torch.ones(100, requires_grad=True)\n"
    )
    result = worker.run(code, [])
    assert set(result.forward_values) == {"w", "y_hat"}
    assert result.forward_values["y_hat"].data == 2.0


def test_record_loss_streams_to_on_loss(worker: WorkerClient) -> None:
    worker.reset(0)
    seen: list[list[float]] = []
    threads: set[str] = set()

    def on_loss(series: list[float]) -> None:
        seen.append(series)
        threads.add(threading.current_thread().name)

    code = (
        "import time\n"
        "for i in range(6):\n"
        "    record_loss(torch.tensor(float(i)))\n"
        "    time.sleep(0.03)\n"
    )
    result = worker.run(code, [], training=Training(), on_loss=on_loss)
    assert result.ok, result.error
    assert seen[-1] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert len(seen) >= 2  # streamed in batches while the step ran, not only at its end
    assert all(s == seen[-1][: len(s)] for s in seen)  # each call gets the series so far
    assert threading.current_thread().name not in threads
    assert result.training is not None and result.training.loss == seen[-1]


def test_training_data_is_evaluated(worker: WorkerClient) -> None:
    worker.reset(0)
    code = (
        "xs = torch.tensor([0.0, 1.0, 2.0])\n"
        "ys = 2 * xs + 1\n"
        "w = torch.tensor(1.5)\n"
        "losses = [3.0, 2.0, 1.0]\n"
    )
    training = Training(
        loss="losses",
        log_scale=True,
        x="xs",
        y="ys",
        lines=(LinePlot("learned", "w", "0.5"), LinePlot("true", "2", "1")),
    )
    result = worker.run(code, [], training=training)
    assert result.ok, result.error
    data = result.training
    assert data is not None
    assert data.loss == [3.0, 2.0, 1.0] and data.log_scale is True
    assert data.x == [0.0, 1.0, 2.0] and data.y == [1.0, 3.0, 5.0]
    assert data.lines == [("learned", 1.5, 0.5), ("true", 2.0, 1.0)]


def test_a_broken_training_expression_is_an_error(worker: WorkerClient) -> None:
    worker.reset(0)
    result = worker.run("a = 1", [], training=Training(loss="missing_name"))
    assert result.error is not None
    assert result.error.type == "NameError"
    assert "training loss" in result.error.message


def test_endless_printing_stops_at_the_output_cap(worker: WorkerClient) -> None:
    worker.reset(0)
    result = worker.run("while True:\n    print('x' * 100_000)\n", [], time_limit=30)
    assert result.error is not None
    assert result.error.type == "OSError"
    assert "MiB of output" in result.error.message and result.error.line == 2
    assert len(result.stdout) < 200_000 and "output cut" in result.stdout
    assert worker.run("print('fine')", []).stdout == "fine\n"
