"""The plain data that crosses the pipe survives JSON, and exits are described for people."""

from __future__ import annotations

import json
import math

from autograd_tutor.lessons.model import LinePlot, Training
from autograd_tutor.values import Value
from autograd_tutor.worker import describe_exit
from autograd_tutor.worker.protocol import (
    QuestionValue,
    StepError,
    StepResult,
    TrainingData,
    WorkerInfo,
    decode,
    encode,
    training_to_json,
)


def test_step_result_round_trips_through_a_json_line() -> None:
    result = StepResult(
        values=[
            QuestionValue(
                "y",
                Value.tensor([1.0, math.inf], dtype="float32", grad_fn="MulBackward0"),
                None,
            ),
            QuestionValue("a.grad.shape", None, "AttributeError: nope"),
        ],
        stdout="hi\n",
        error=StepError("ValueError", "bad", "Traceback ...", 3),
        training=TrainingData([1.0, 0.5], True, [0.0], [1.0], [("true", 2.0, 1.0)]),
        backward_calls=2,
        forward_values={"w": Value.tensor(1.0, shape=(), requires_grad=True)},
        seconds=0.25,
        graph={"nodes": [{"id": 0, "kind": "op", "op": "MulBackward0"}], "edges": []},
    )
    line = encode({"event": "result", "id": 1, "result": result.to_json()})
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    back = StepResult.from_json(decode(line)["result"])
    assert back == result
    assert not back.ok


def test_worker_info_round_trips() -> None:
    info = WorkerInfo("2.13.0+cpu", "cpu", "CPU", 42)
    assert WorkerInfo.from_json(json.loads(json.dumps(info.to_json()))) == info


def test_training_is_sent_as_plain_data() -> None:
    training = Training(loss="losses", x="xs", lines=(LinePlot("fit", "w", "b"),))
    assert training_to_json(training) == {
        "loss": "losses",
        "log_scale": False,
        "x": "xs",
        "y": "",
        "lines": [{"label": "fit", "slope": "w", "intercept": "b"}],
    }
    assert training_to_json(None) is None


def test_exits_are_described() -> None:
    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-11) == "killed by signal SIGSEGV (segmentation fault)"
    assert "out of memory" in describe_exit(-9)
