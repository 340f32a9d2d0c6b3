"""The four lessons of issue 23, written as a new teacher would, each with the mistake it
showed; ``check`` lists them in course order and says where and what, with the values."""

from __future__ import annotations

import re
from pathlib import Path

from cli_runner import run_main

CASES = Path(__file__).parent / "authoring_cases"


def test_the_four_cases_get_messages_that_say_how_to_fix(worker) -> None:
    done = run_main(["check", str(CASES)], worker=worker)
    assert done.returncode == 1
    out = done.stdout
    lines = [line.strip() for line in out.splitlines()]
    # course order (order: 1..4), not file-name order
    heads = [line.split()[1] for line in lines if line.startswith(("ok", "FAIL"))]
    assert heads == ["softmax-ce", "backward-twice", "gd-quadratic", "lr-experiment"]
    # 1. softmax + CE: the expect line, and the element that differs
    assert f"{CASES / 'softmax-ce.yaml'}:17: logits.grad[2]: expect 0.625, torch -0.75" in lines
    # 2. backward twice: an error as the answer, its match checked against torch's message
    assert (
        f"{CASES / 'backward-twice.yaml'}:15: y.backward(): expect RuntimeError with "
        "'retained' in its message, torch raised RuntimeError: Trying to backward through the "
        "graph a second time"
    ) in out
    # 3. GD exercise: the failing check's expression and the value it read
    assert (
        f"{CASES / 'gd-quadratic.yaml'}:25: check 2: fails on the reference solution: "
        "abs(w.item() - 3) < 1e-3 is false (w.item() = "
    ) in out
    assert "says: w did not reach 3 - run more steps?" in out
    # the value the reference solution left (evaluated in the lesson worker), not a placeholder
    assert re.search(r"is false \(w\.item\(\) = 2\.0\d+\); says", out)
    # 4. LR experiment: the outcome no setting reaches, and what each setting gives
    assert (
        f"{CASES / 'lr-experiment.yaml'}:23: step 1: no knob setting gives the outcome 'oscillates'"
    ) in out
    assert "outcome 'converges'" not in out  # lr=0.1 reaches it
    assert [line for line in lines if line.startswith("step 1 with")] == [
        "step 1 with lr=0.01: slow",
        "step 1 with lr=0.1: converges",
        "step 1 with lr=1.5: diverges",
    ]
    assert "4 of 4 lesson files have problems." in out
