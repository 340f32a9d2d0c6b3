"""The built-in checks' verdicts (``builtin_checks.decide``) on fact sets, and the report's
schema (``learner_report.check_report``): facts are accepted, verdicts are refused."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest

from autograd_tutor.worker.builtin_checks import BUILTINS, INPLACE_LEAF, Facts, decide
from autograd_tutor.worker.learner_channel import FrameReader
from autograd_tutor.worker.learner_report import MAX_LEAVES, MAX_LOSSES, ChannelBroken
from autograd_tutor.worker.protocol import StepError

SPECS = [{"id": f"c-{name}", "builtin": name, "says": name} for name in BUILTINS]
TRAINED = Facts(backward_calls=3, losses=[3.0, 2.0, 1.0], leaves={"w": None, "b": None})


def verdicts(facts: Facts, error: StepError | None = None) -> dict[str, bool | None]:
    return {c.id.removeprefix("c-"): c.passed for c in decide(SPECS, facts, error)}


def messages(facts: Facts, error: StepError | None = None) -> dict[str, str]:
    return {c.id.removeprefix("c-"): c.message for c in decide(SPECS, facts, error)}


def test_a_trained_loop_passes_every_builtin() -> None:
    assert verdicts(TRAINED) == dict.fromkeys(BUILTINS, True)
    assert set(messages(TRAINED).values()) == {""}


def test_no_backward_fails_backward_called_and_cannot_tell_about_zeroing() -> None:
    facts = Facts(leaves={"w": None})
    assert verdicts(facts) == {
        "backward_called": False,
        "grads_zeroed": None,
        "update_not_recorded": True,
        "loss_decreased": False,
    }
    text = messages(facts)
    assert (
        text["backward_called"] == "backward_called: call loss.backward() after computing the loss"
    )
    assert "backward() ran 0 time(s), not a loop" in text["grads_zeroed"]
    assert "0 loss value(s) reached backward()" in text["loss_decreased"]


def test_accumulation_names_the_parameter_and_the_call() -> None:
    facts = Facts(backward_calls=4, losses=[3.0, 2.0, 1.0, 0.5], accumulated=("model.weight", 2))
    assert verdicts(facts)["grads_zeroed"] is False
    assert (
        "before backward() call 2, model.weight.grad still held" in messages(facts)["grads_zeroed"]
    )


def test_a_parameter_that_became_a_non_leaf_is_a_recorded_update() -> None:
    facts = Facts(backward_calls=3, losses=[3.0, 2.0, 1.0], leaves={"b": None, "w": "SubBackward0"})
    assert verdicts(facts)["update_not_recorded"] is False
    assert (
        "w is no longer a leaf tensor (w.grad_fn is SubBackward0)"
        in (messages(facts)["update_not_recorded"])
    )


def test_an_in_place_update_error_is_a_recorded_update_with_its_line() -> None:
    error = StepError("RuntimeError", INPLACE_LEAF + ".", "", 4)
    facts = Facts(backward_calls=1, losses=[3.0])
    result = {c.id.removeprefix("c-"): c for c in decide(SPECS, facts, error)}
    assert result["update_not_recorded"].passed is False
    assert "outside `with torch.no_grad():` (line 4)" in result["update_not_recorded"].message
    # what passed before the code stopped is not claimed
    assert result["backward_called"].passed is None
    assert result["loss_decreased"].passed is None


def test_a_grad_used_before_backward_is_named() -> None:
    error = StepError("TypeError", "unsupported operand type(s): 'NoneType' and 'float'", "", 5)
    result = decide(SPECS[:1], Facts(), error)
    assert result[0].passed is False and "(line 5); call loss.backward()" in result[0].message


@pytest.mark.parametrize(
    ("losses", "passed", "words"),
    [
        ([1.0, 2.0], False, "it went from 1 to 2"),
        ([1.0, math.nan], False, "NaN or infinite"),
        ([1.0, math.inf, 0.5], False, "NaN or infinite"),
        ([1.0], False, "1 loss value(s)"),
        ([2.0, 3.0, 1.0], True, ""),
    ],
)
def test_loss_decreased_reads_the_series(losses: list[float], passed: bool, words: str) -> None:
    facts = Facts(backward_calls=len(losses), losses=losses)
    (result,) = decide([SPECS[3]], facts, None)
    assert result.passed is passed and words in result.message


def test_an_unknown_builtin_fails_and_expr_checks_are_not_decided_here() -> None:
    specs = [{"id": "x", "builtin": "no_such", "says": "?"}, {"id": "e", "expr": "True"}]
    (result,) = decide(specs, TRAINED, None)
    assert result.id == "x" and result.passed is False and "no_such" in result.message


def test_facts_survive_the_channel() -> None:
    facts = Facts(4, [2.0, math.nan, 1.0], ("w", 3), {"w": "AddBackward0", "b": None})
    sent = json.loads(json.dumps(facts.to_json()))
    back = Facts.from_json(read_report(report(facts=sent))["facts"])
    assert back.accumulated == ("w", 3) and back.leaves == facts.leaves
    assert back.losses[0] == 2.0 and math.isnan(back.losses[1]) and back.backward_calls == 4


# -- the report's schema -------------------------------------------------------------------


def report(**changes: Any) -> dict[str, Any]:
    base = {"error": None, "prelude_failed": None, "facts": TRAINED.to_json(), "names": {}}
    return {**copy.deepcopy(base), **changes}


def read_report(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` sent as a run's ``R`` frame, read back by the lesson worker's frame reader."""
    reader = FrameReader("tok")
    reader.feed(b"tok P\n")
    reader.feed(b"tok R " + json.dumps(obj).encode() + b"\n")
    assert reader.frames.report is not None
    return reader.frames.report


def test_a_report_with_verdicts_is_refused() -> None:
    verdict_list = [{"id": "backward_called", "passed": True, "message": ""}]
    with pytest.raises(ChannelBroken, match="carries verdicts"):
        read_report(report(checks=verdict_list))


@pytest.mark.parametrize(
    "facts",
    [
        {"backward_calls": 3, "losses": [], "accumulated": None},  # a field missing
        {**TRAINED.to_json(), "passed": True},  # a field more
        {**TRAINED.to_json(), "backward_calls": -1},
        {**TRAINED.to_json(), "backward_calls": True},
        {**TRAINED.to_json(), "losses": ["low"]},
        {**TRAINED.to_json(), "losses": [1.0] * (MAX_LOSSES + 1)},
        {**TRAINED.to_json(), "accumulated": {"param": "w", "call": 1}},  # call 1 cannot be
        {**TRAINED.to_json(), "accumulated": {"param": "w", "call": 9}},  # more than were made
        {**TRAINED.to_json(), "accumulated": {"param": "", "call": 2}},
        {**TRAINED.to_json(), "leaves": {"w": "not a kind"}},
        {**TRAINED.to_json(), "leaves": {f"w{i}": None for i in range(MAX_LEAVES + 1)}},
        {**TRAINED.to_json(), "leaves": ["w"]},
    ],
)
def test_facts_out_of_shape_are_refused(facts: dict[str, Any]) -> None:
    with pytest.raises(ChannelBroken):
        read_report(report(facts=facts))
