"""The schema of a learner run's report (the ``R`` frame of ``learner_channel.py``): facts and
values, never verdicts.

The run process is the learner's: whatever it sends may be forged. So the report carries only
what was observed (the error, the facts the built-in checks are decided on, the values of the
names the lesson's expressions read) and :func:`check_report` accepts exactly that shape, within
size limits, and nothing more. A report that carries verdicts (``"checks"``) is refused: every
verdict is decided in the lesson worker (``builtin_checks.py`` and ``exercise_probe.expr_check``)::

    {"error": null | {"type", "message", "traceback", "line"},
     "prelude_failed": null | 0,                  # which trusted block failed, if one did
     "facts": {"backward_calls": 3, "losses": [0.5, 0.4, {"float": "nan"}],
               "accumulated": null | {"param": "w", "call": 2},
               "leaves": {"w": null, "b": "SubBackward0"}},
     "names": {"w": {...a plain value...}}}
"""

from __future__ import annotations

from typing import Any

MAX_LOSSES = 100_000
MAX_DEPTH = 8
MAX_ITEMS = 10_000  # a list, tuple or dict with more items is not sent back
MAX_LEAVES = 1_000
MAX_NAME_CHARS = 1_000

REPORT_KEYS = {"error", "prelude_failed", "facts", "names"}
FACT_KEYS = {"backward_calls", "losses", "accumulated", "leaves"}


class ChannelBroken(Exception):
    """What came back is not a run's one well-formed result; ``str(exc)`` says what."""


def float_in(value: Any, what: str) -> float:
    """A number sent as JSON (``{"float": "nan"}`` for the non-finite ones)."""
    if type(value) in (int, float):
        return float(value)
    if isinstance(value, dict) and set(value) == {"float"}:
        text = value["float"]
        if text in ("nan", "inf", "-inf"):
            return float(text)
    raise ChannelBroken(f"{what} is not a number: {str(value)[:40]!r}")


def check_report(obj: Any) -> dict[str, Any]:
    """The report, checked (see the module docstring); its losses read as floats."""
    if isinstance(obj, dict) and "checks" in obj:
        raise ChannelBroken("its result carries verdicts; a run sends back what it observed")
    if not isinstance(obj, dict) or set(obj) != REPORT_KEYS:
        raise ChannelBroken("its result does not have the result's fields")
    error = obj["error"]
    if error is not None:
        if not isinstance(error, dict) or set(error) != {"type", "message", "traceback", "line"}:
            raise ChannelBroken("its error is not an error")
        if not all(isinstance(error[k], str) for k in ("type", "message", "traceback")):
            raise ChannelBroken("its error is not an error")
        if error["line"] is not None and type(error["line"]) is not int:
            raise ChannelBroken("its error line is not a number")
    failed = obj["prelude_failed"]
    if failed is not None and (type(failed) is not int or failed < 0):
        raise ChannelBroken("its prelude position is not a position")
    obj["facts"] = check_facts(obj["facts"])
    names = obj["names"]
    if not isinstance(names, dict) or not all(isinstance(k, str) for k in names):
        raise ChannelBroken("its values are not named")
    for name, value in names.items():
        _check_value(value, 0, name)
    return obj


def check_facts(facts: Any) -> dict[str, Any]:
    """The facts of a report (see ``builtin_checks.Facts``), checked; losses read as floats."""
    if not isinstance(facts, dict) or set(facts) != FACT_KEYS:
        raise ChannelBroken("its facts are not the facts a run observes")
    calls = facts["backward_calls"]
    if type(calls) is not int or not 0 <= calls < 2**63:
        raise ChannelBroken("its backward count is not a count")
    losses = facts["losses"]
    if not isinstance(losses, list) or len(losses) > MAX_LOSSES:
        raise ChannelBroken(f"its loss series is not a list of at most {MAX_LOSSES} values")
    facts["losses"] = [float_in(v, "a loss value") for v in losses]
    accumulated = facts["accumulated"]
    if accumulated is not None and not (
        isinstance(accumulated, dict)
        and set(accumulated) == {"param", "call"}
        and _is_name(accumulated["param"])
        and type(accumulated["call"]) is int
        and 2 <= accumulated["call"] <= calls
    ):
        raise ChannelBroken("its gradient accumulation is not a parameter and a backward call")
    leaves = facts["leaves"]
    if (
        not isinstance(leaves, dict)
        or len(leaves) > MAX_LEAVES
        or not all(_is_name(k) for k in leaves)
        or not all(v is None or (_is_name(v) and v.isidentifier()) for v in leaves.values())
    ):
        raise ChannelBroken(f"its leaves are not at most {MAX_LEAVES} names and grad_fn kinds")
    return facts


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_NAME_CHARS


def _check_value(value: Any, depth: int, where: str) -> None:
    if depth > MAX_DEPTH + 1:
        raise ChannelBroken(f"{where} is nested too deep")
    if value is None or type(value) in (bool, int, str, float):
        return
    if not isinstance(value, dict) or len(value) == 0:
        raise ChannelBroken(f"{where} is not a value")
    keys = set(value)
    if keys == {"float"}:
        float_in(value, where)
    elif keys == {"unsent"}:
        if not isinstance(value["unsent"], str):
            raise ChannelBroken(f"{where} is not a value")
    elif keys == {"size"}:
        if not isinstance(value["size"], list) or not all(type(v) is int for v in value["size"]):
            raise ChannelBroken(f"{where} is not a size")
    elif keys in ({"list"}, {"tuple"}):
        items = value.get("list", value.get("tuple"))
        if not isinstance(items, list):
            raise ChannelBroken(f"{where} is not a list")
        for item in items:
            _check_value(item, depth + 1, where)
    elif keys == {"dict"}:
        if not isinstance(value["dict"], dict):
            raise ChannelBroken(f"{where} is not a dict")
        for item in value["dict"].values():
            _check_value(item, depth + 1, where)
    elif keys == {"module", "parameters"}:
        if not isinstance(value["parameters"], dict):
            raise ChannelBroken(f"{where} is not a module")
        for item in value["parameters"].values():
            _check_tensor(item, where)
    else:
        _check_tensor(value, where)


TENSOR_KEYS = {"dtype", "shape", "requires_grad", "grad_fn", "data", "grad"}
DTYPES = {
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool",
    "complex64",
    "complex128",
}


def _check_tensor(value: Any, where: str) -> None:
    if not isinstance(value, dict) or set(value) != TENSOR_KEYS:
        raise ChannelBroken(f"{where} is not a value")
    if value["dtype"] not in DTYPES:
        raise ChannelBroken(f"{where} has an unknown dtype")
    shape = value["shape"]
    if not isinstance(shape, list) or not all(type(v) is int and v >= 0 for v in shape):
        raise ChannelBroken(f"{where} has no shape")
    if type(value["requires_grad"]) is not bool:
        raise ChannelBroken(f"{where} is not a tensor")
    if value["grad_fn"] is not None and not (
        isinstance(value["grad_fn"], str) and value["grad_fn"].isidentifier()
    ):
        raise ChannelBroken(f"{where} has a strange grad_fn")
    for key in ("data", "grad"):
        if value[key] is not None:
            _check_nested(value[key], len(shape), where)


def _check_nested(data: Any, dims: int, where: str) -> None:
    if dims == 0:
        if type(data) in (int, float, bool):
            return
        float_in(data, where)
        return
    if not isinstance(data, list):
        raise ChannelBroken(f"{where}: the data does not have the tensor's shape")
    for item in data:
        _check_nested(item, dims - 1, where)
