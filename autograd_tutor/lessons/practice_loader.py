"""Reading the ``exercise`` and ``experiment`` keys of a step (see docs/lesson-format.md).

Called by the lesson loader with its reader, so errors name file, line, column and field path
like every other lesson error.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from autograd_tutor.lessons.practice import (
    BUILTIN_CHECKS,
    Check,
    Exercise,
    Experiment,
    Knob,
    Outcome,
)

EXERCISE_KEYS = ("starter", "solution", "checks")
CHECK_KEYS = ("builtin", "expr", "says", "label")
EXPERIMENT_KEYS = ("knobs", "outcomes", "prompt", "try_all", "show")
OUTCOME_KEYS = ("name", "when", "explain")
PRACTICE_KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "exercise": EXERCISE_KEYS,
    "check": CHECK_KEYS,
    "experiment": EXPERIMENT_KEYS,
    "outcome": OUTCOME_KEYS,
}
PRACTICE_REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "exercise": ("starter", "solution", "checks"),
    "check": (),
    "experiment": ("knobs", "outcomes"),
    "outcome": ("name", "when"),
}
RANGE = re.compile(r"\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def read_exercise(reader: Any, node: Node, field: str) -> Exercise:
    keys = reader.mapping(node, field, "exercise", "an exercise")
    starter, starter_line = reader.code(keys["starter"], f"{field}.starter")
    solution, solution_line = reader.code(keys["solution"], f"{field}.solution")
    if not solution.strip():
        raise reader.fail(keys["solution"], f"{field}.solution", "must not be empty")
    nodes = reader.sequence(keys["checks"], f"{field}.checks", non_empty=True)
    checks = tuple(read_check(reader, n, f"{field}.checks[{i}]", i) for i, n in enumerate(nodes))
    ids = [c.id for c in checks]
    for i, check_id in enumerate(ids):
        if check_id in ids[:i]:
            raise reader.fail(nodes[i], f"{field}.checks[{i}]", f"{check_id!r} is listed twice")
    return Exercise(starter, solution, checks, starter_line, solution_line)


def read_check(reader: Any, node: Node, field: str, index: int) -> Check:
    keys = reader.mapping(node, field, "check", "a check")
    line = node.start_mark.line + 1
    if ("builtin" in keys) == ("expr" in keys):
        raise reader.fail(node, field, "a check has either 'builtin' or 'expr' (not both)")
    says = (
        reader.text(keys["says"], f"{field}.says", allow_empty=False).strip()
        if "says" in keys
        else ""
    )
    if "builtin" in keys:
        name = reader.string(keys["builtin"], f"{field}.builtin", allow_empty=False).strip()
        if name not in BUILTIN_CHECKS:
            close = difflib.get_close_matches(name, list(BUILTIN_CHECKS), n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else "known: " + ", ".join(BUILTIN_CHECKS)
            raise reader.fail(
                keys["builtin"], f"{field}.builtin", f"unknown built-in check {name!r} ({hint})"
            )
        if "label" in keys:
            raise reader.fail(
                keys["label"],
                f"{field}.label",
                "a built-in check has its own words; label is for expr",
            )
        return Check(id=name, says=says or BUILTIN_CHECKS[name], builtin=name, line=line)
    expr = reader.expression(keys["expr"], f"{field}.expr")
    label = (
        reader.string(keys["label"], f"{field}.label", allow_empty=False).strip()
        if "label" in keys
        else ""
    )
    if not says:
        raise reader.fail(
            node, field, "an 'expr' check needs 'says': the message shown when it fails"
        )
    return Check(id=f"check {index + 1}", says=says, expr=expr, line=line, label=label)


def read_experiment(reader: Any, node: Node, field: str) -> Experiment:
    keys = reader.mapping(node, field, "experiment", "an experiment")
    knobs_node = keys["knobs"]
    if not isinstance(knobs_node, MappingNode) or not knobs_node.value:
        raise reader.fail(
            knobs_node,
            f"{field}.knobs",
            "expected a mapping of knob names to choices (e.g. lr: [0.01, 0.1])",
        )
    knobs: list[Knob] = []
    for key_node, value_node in knobs_node.value:
        name = (
            reader.value(key_node, f"{field}.knobs") if isinstance(key_node, ScalarNode) else None
        )
        if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
            raise reader.fail(
                key_node, f"{field}.knobs", f"a knob name must be a Python name, got {name!r}"
            )
        if any(k.name == name for k in knobs):
            raise reader.fail(key_node, f"{field}.knobs", f"the knob {name!r} is given twice")
        knobs.append(read_knob(reader, value_node, f"{field}.knobs.{name}", name))
    prompt = (
        reader.text(keys["prompt"], f"{field}.prompt", allow_empty=False).strip()
        if "prompt" in keys
        else "What will this run do?"
    )
    nodes = reader.sequence(keys["outcomes"], f"{field}.outcomes", non_empty=True)
    outcomes: list[Outcome] = []
    for i, item in enumerate(nodes):
        sub = f"{field}.outcomes[{i}]"
        okeys = reader.mapping(item, sub, "outcome", "an outcome")
        name = reader.string(okeys["name"], f"{sub}.name", allow_empty=False).strip()
        if any(o.name == name for o in outcomes):
            raise reader.fail(okeys["name"], f"{sub}.name", f"the outcome {name!r} is given twice")
        when = reader.expression(okeys["when"], f"{sub}.when")
        explain = (
            reader.text(okeys["explain"], f"{sub}.explain").strip() if "explain" in okeys else ""
        )
        outcomes.append(Outcome(name, when, explain, item.start_mark.line + 1))
    if len(outcomes) < 2:
        raise reader.fail(
            keys["outcomes"],
            f"{field}.outcomes",
            "an experiment needs at least two outcomes to predict from",
        )
    try_all = reader.boolean(keys["try_all"], f"{field}.try_all") if "try_all" in keys else False
    show: list[str] = []
    if "show" in keys:
        names = [o.name for o in outcomes]
        for i, item in enumerate(reader.sequence(keys["show"], f"{field}.show", non_empty=True)):
            name = reader.string(item, f"{field}.show[{i}]", allow_empty=False).strip()
            if name not in names:
                raise reader.fail(
                    item,
                    f"{field}.show[{i}]",
                    f"no outcome {name!r} (outcomes: {', '.join(names)})",
                )
            if name in show:
                raise reader.fail(item, f"{field}.show[{i}]", f"{name!r} is listed twice")
            show.append(name)
    return Experiment(tuple(knobs), tuple(outcomes), prompt, try_all, tuple(show))


def read_knob(reader: Any, node: Node, field: str, name: str) -> Knob:
    if isinstance(node, SequenceNode):
        items = reader.sequence(node, field, non_empty=True)
        choices: list[Any] = []
        for i, item in enumerate(items):
            value = reader.value(item, f"{field}[{i}]") if isinstance(item, ScalarNode) else None
            if value is None or not isinstance(value, (bool, int, float, str)):
                raise reader.fail(
                    item, f"{field}[{i}]", "a choice is a number, true/false or a string"
                )
            if any(value == c and type(value) is type(c) for c in choices):
                raise reader.fail(item, f"{field}[{i}]", f"the choice {value!r} is given twice")
            choices.append(value)
        return Knob(name, tuple(choices), default=choices[0])
    value = reader.value(node, field) if isinstance(node, ScalarNode) else None
    match = RANGE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise reader.fail(
            node, field, "expected a list of choices or a whole-number range such as '10..500'"
        )
    low, high = int(match.group(1)), int(match.group(2))
    if low > high:
        raise reader.fail(node, field, f"the range {low}..{high} is empty (low > high)")
    return Knob(name, (), low=low, high=high, default=low)
