"""Reading a lesson's parameters (``params`` on the lesson and its steps, ``require``) and
choosing the variant to read.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode

from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.field_reader import FieldReader
from autograd_tutor.lessons.params import (
    MAX_COMBINATIONS,
    MAX_VALUES,
    Number,
    Param,
    ParamError,
    ParamSpace,
    Variant,
    check_name,
    evaluate,
    variant_label,
)
from autograd_tutor.lessons.yaml_file import describe_node


def read_param_space(
    reader: FieldReader, keys: dict[str, Node], step_nodes: list[Node]
) -> ParamSpace | None:
    """The lesson's ``params`` and those of its steps (one space; a name once), and
    ``require``; None for a lesson without parameters."""
    params: list[Param] = []
    if "params" in keys:
        params.extend(read_params(reader, keys["params"], "params"))
    for i, node in enumerate(step_nodes):
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == "params":
                    params.extend(read_params(reader, value_node, f"steps[{i}].params"))
    seen: dict[str, Param] = {}
    for param in params:
        if param.name in seen:
            raise LessonError(
                reader.path,
                param.line,
                None,
                "params",
                f"the parameter {param.name!r} is declared twice "
                f"(also on line {seen[param.name].line})",
            )
        seen[param.name] = param
    if not params:
        if "require" in keys:
            raise reader.fail(keys["require"], "require", "'require' needs 'params'")
        return None
    require = ""
    if "require" in keys:
        require = reader.expression(keys["require"], "require")
        try:
            evaluate(require, {p.name: p.default for p in params})
        except ParamError as exc:
            raise reader.fail(keys["require"], "require", str(exc)) from None
    space = ParamSpace(tuple(params), require)
    if space.size_before_require() > MAX_COMBINATIONS:
        raise reader.fail(
            keys.get("params") or keys["steps"],
            "params",
            f"{space.size_before_require():,} combinations of values; a lesson has at most "
            f"{MAX_COMBINATIONS:,} (give fewer values)",
        )
    return space


def read_params(reader: FieldReader, node: Node, field: str) -> list[Param]:
    if not isinstance(node, MappingNode) or not node.value:
        raise reader.fail(
            node,
            field,
            "expected a mapping from parameter names to their values "
            f"(e.g. a: {{choice: [2, 3, 4]}}), got {describe_node(node, reader.loader)}",
        )
    out: list[Param] = []
    for key_node, value_node in node.value:
        name = reader.value(key_node, field) if isinstance(key_node, ScalarNode) else None
        if not isinstance(name, str):
            raise reader.fail(key_node, field, "a parameter's name must be a plain word")
        problem = check_name(name)
        if problem:
            raise reader.fail(key_node, field, problem)
        out.append(read_param(reader, name, value_node, f"{field}.{name}"))
    return out


def read_param(reader: FieldReader, name: str, node: Node, field: str) -> Param:
    keys = reader.mapping(node, field, "param", "a parameter")
    if ("choice" in keys) == ("range" in keys):
        raise reader.fail(node, field, "give the values as either 'choice' or 'range'")
    values: tuple[Number, ...]
    if "choice" in keys:
        items = reader.sequence(keys["choice"], f"{field}.choice", non_empty=True)
        values = tuple(read_number(reader, n, f"{field}.choice[{i}]") for i, n in enumerate(items))
        for i, value in enumerate(values):
            if value in values[:i]:
                raise reader.fail(items[i], f"{field}.choice[{i}]", f"{value} is listed twice")
    else:
        items = reader.sequence(keys["range"], f"{field}.range")
        if len(items) != 2:
            raise reader.fail(
                keys["range"], f"{field}.range", "expected [lowest, highest] (two integers)"
            )
        lo = reader.integer(items[0], f"{field}.range[0]")
        hi = reader.integer(items[1], f"{field}.range[1]")
        if hi < lo or hi - lo + 1 > MAX_VALUES:
            raise reader.fail(
                keys["range"],
                f"{field}.range",
                f"expected lowest <= highest and at most {MAX_VALUES} values, got [{lo}, {hi}]",
            )
        values = tuple(range(lo, hi + 1))
    default = values[0]
    if "default" in keys:
        default = read_number(reader, keys["default"], f"{field}.default")
        if default not in values:
            raise reader.fail(
                keys["default"], f"{field}.default", f"{default} is not one of the values"
            )
    return Param(name, values, default, node.start_mark.line + 1)


def read_number(reader: FieldReader, node: Node, field: str) -> Number:
    value = reader.value(node, field) if isinstance(node, ScalarNode) else None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise reader.fail(
            node, field, f"expected a number, got {describe_node(node, reader.loader)}"
        )
    if isinstance(value, float) and not abs(value) < float("inf"):
        raise reader.fail(node, field, f"expected a finite number, got {value}")
    return value


def choose_variant(reader: FieldReader, space: ParamSpace, keys: dict[str, Node]) -> Variant:
    """The variant to read: the one asked for, else the default (which must meet
    ``require``)."""
    where = keys.get("require") or keys.get("params") or keys["steps"]
    field = "require" if "require" in keys else "params"
    try:
        if reader.wanted is None:
            if not space.meets(space.default):
                raise reader.fail(
                    where,
                    field,
                    f"the default values ({variant_label(space.default)}) do not meet "
                    "'require' (the first value of each parameter, or its 'default')",
                )
            return space.default
        if not space.allows(reader.wanted):
            raise reader.fail(
                where, field, f"{variant_label(reader.wanted)} is not a variant of this lesson"
            )
        return dict(reader.wanted)
    except ParamError as exc:
        raise reader.fail(where, field, str(exc)) from None
