"""Reading one step: its text, code, questions (question_loader.py), practice kind
(practice_loader.py), training plot and graph key; a step with two kinds is refused.
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import Node, ScalarNode

from autograd_tutor.lessons.field_reader import FieldReader
from autograd_tutor.lessons.keys import STEP_GRAPH_VALUES, STEP_KEYS
from autograd_tutor.lessons.model import (
    ExerciseStep,
    ExperimentStep,
    LinePlot,
    Question,
    QuestionStep,
    Step,
    Training,
)
from autograd_tutor.lessons.practice import Exercise, Experiment
from autograd_tutor.lessons.practice_loader import read_exercise, read_experiment
from autograd_tutor.lessons.question_loader import read_question
from autograd_tutor.lessons.yaml_file import describe_node


def read_step(reader: FieldReader, node: Node, index: int) -> Step:
    field = f"steps[{index}]"
    keys = reader.mapping(node, field, "step", "a step")
    if not keys:
        raise reader.fail(node, field, "a step needs at least one of: " + ", ".join(STEP_KEYS))
    title = reader.text(keys["title"], f"{field}.title") if "title" in keys else ""
    explain = reader.text(keys["explain"], f"{field}.explain") if "explain" in keys else ""
    code, code_line = ("", 0)
    if "code" in keys:
        code, code_line = reader.code(keys["code"], f"{field}.code")
    questions: tuple[Question, ...] = ()
    if "ask" in keys:
        nodes = reader.sequence(keys["ask"], f"{field}.ask", non_empty=True)
        questions = tuple(
            read_question(reader, q, f"{field}.ask[{i}]", index, i) for i, q in enumerate(nodes)
        )
    training = read_training(reader, keys["train"], f"{field}.train") if "train" in keys else None
    exercise: Exercise | None = None
    experiment: Experiment | None = None
    if "exercise" in keys or "experiment" in keys:
        kind = "exercise" if "exercise" in keys else "experiment"
        for other in ("ask", "exercise" if kind == "experiment" else "experiment"):
            if other in keys:
                raise reader.fail(
                    keys[other],
                    f"{field}.{other}",
                    f"a step with {kind!r} cannot have {other!r}",
                )
        if kind == "exercise":
            exercise = read_exercise(reader, keys["exercise"], f"{field}.exercise")
        else:
            experiment = read_experiment(reader, keys["experiment"], f"{field}.experiment")
            if not code.strip():
                raise reader.fail(
                    node,
                    field,
                    "an experiment step needs 'code' (the training run that reads the knobs)",
                )
    graph_open = (
        read_step_graph(reader, keys["graph"], f"{field}.graph") if "graph" in keys else False
    )
    frame: dict[str, Any] = {
        "index": index,
        "title": title.strip(),
        "explain": explain,
        "code": code,
        "code_line": code_line,
        "training": training,
        "line": node.start_mark.line + 1,
        "graph_open": graph_open,
    }
    if exercise is not None:
        return ExerciseStep(exercise=exercise, **frame)
    if experiment is not None:
        return ExperimentStep(experiment=experiment, **frame)
    return QuestionStep(questions=questions, **frame)


def read_step_graph(reader: FieldReader, node: Node, field: str) -> bool:
    """A step's ``graph``: ``open`` (the panel opens with the step) or ``closed``."""
    value = reader.value(node, field) if isinstance(node, ScalarNode) else None
    if value not in STEP_GRAPH_VALUES:
        raise reader.fail(
            node,
            field,
            f"expected one of {', '.join(STEP_GRAPH_VALUES)}, "
            f"got {describe_node(node, reader.loader)}"
            " (to switch the graph off, put graph: false on the step's questions)",
        )
    return value == "open"


def read_training(reader: FieldReader, node: Node, field: str) -> Training:
    keys = reader.mapping(node, field, "train", "a training plot")
    loss = reader.expression(keys["loss"], f"{field}.loss") if "loss" in keys else ""
    log_scale = (
        reader.boolean(keys["log_scale"], f"{field}.log_scale") if "log_scale" in keys else False
    )
    x = reader.expression(keys["x"], f"{field}.x") if "x" in keys else ""
    y = reader.expression(keys["y"], f"{field}.y") if "y" in keys else ""
    if bool(x) != bool(y):
        missing = "y" if x else "x"
        raise reader.fail(node, field, f"x and y go together: add {missing!r} too")
    lines: tuple[LinePlot, ...] = ()
    if "lines" in keys:
        nodes = reader.sequence(keys["lines"], f"{field}.lines")
        lines = tuple(read_line_plot(reader, n, f"{field}.lines[{i}]") for i, n in enumerate(nodes))
    return Training(loss=loss, log_scale=log_scale, x=x, y=y, lines=lines)


def read_line_plot(reader: FieldReader, node: Node, field: str) -> LinePlot:
    keys = reader.mapping(node, field, "line", "a line")
    return LinePlot(
        label=reader.string(keys["label"], f"{field}.label", allow_empty=False).strip(),
        slope=reader.expression(keys["slope"], f"{field}.slope", numbers=True),
        intercept=reader.expression(keys["intercept"], f"{field}.intercept", numbers=True),
    )
