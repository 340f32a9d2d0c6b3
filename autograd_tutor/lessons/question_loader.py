"""Reading a step's ``ask`` list: each question, its answer (``expect``, or ``raises`` with
``match``) and its known wrong answers.
"""

from __future__ import annotations

from yaml.nodes import Node, ScalarNode, SequenceNode

from autograd_tutor.grading.kinds import takes_errors
from autograd_tutor.lessons.field_reader import FieldReader
from autograd_tutor.lessons.model import KnownWrong, Question
from autograd_tutor.lessons.yaml_file import describe_node
from autograd_tutor.values import Value


def read_question(
    reader: FieldReader, node: Node, field: str, step_index: int, q_index: int
) -> Question:
    keys = reader.mapping(node, field, "question", "a question")
    expr = reader.expression(keys["expr"], f"{field}.expr")
    if "id" in keys:
        qid_node = keys["id"]
        qid_value = (
            reader.value(qid_node, f"{field}.id") if isinstance(qid_node, ScalarNode) else None
        )
        if isinstance(qid_value, int) and not isinstance(qid_value, bool):
            qid = str(qid_value)
        else:
            qid = reader.string(qid_node, f"{field}.id", allow_empty=False).strip()
    else:
        qid = f"{step_index + 1}.{q_index + 1}"
    prompt = (
        reader.text(keys["prompt"], f"{field}.prompt").strip() if "prompt" in keys else ""
    ) or f"{expr} = ?"
    hints: tuple[str, ...] = ()
    if "hints" in keys:
        hints_node = keys["hints"]
        if isinstance(hints_node, SequenceNode):
            hints = tuple(
                reader.text(h, f"{field}.hints[{i}]", allow_empty=False).strip()
                for i, h in enumerate(hints_node.value)
            )
        elif isinstance(hints_node, ScalarNode) and isinstance(
            reader.value(hints_node, f"{field}.hints"), str
        ):
            hints = (reader.text(hints_node, f"{field}.hints", allow_empty=False).strip(),)
        else:
            got = describe_node(hints_node, reader.loader)
            raise reader.fail(
                hints_node, f"{field}.hints", f"expected a string or a list of strings, got {got}"
            )
    explain = reader.text(keys["explain"], f"{field}.explain") if "explain" in keys else ""
    tolerance = (
        reader.positive(keys["tolerance"], f"{field}.tolerance") if "tolerance" in keys else None
    )
    expect, expect_line = read_expected(reader, keys, field, expr)
    wrong: tuple[KnownWrong, ...] = ()
    if "wrong" in keys:
        nodes = reader.sequence(keys["wrong"], f"{field}.wrong")
        wrong = tuple(
            read_known_wrong(reader, w, f"{field}.wrong[{i}]") for i, w in enumerate(nodes)
        )
    return Question(
        id=qid,
        expr=expr,
        prompt=prompt,
        hints=hints,
        explain=explain,
        tolerance=tolerance,
        wrong=wrong,
        expect=expect,
        line=node.start_mark.line + 1,
        expect_line=expect_line,
        graph=reader.boolean(keys["graph"], f"{field}.graph") if "graph" in keys else True,
    )


def read_expected(
    reader: FieldReader, keys: dict[str, Node], field: str, expr: str
) -> tuple[Value | None, int]:
    """A question's answer and the file line it is written on: ``expect``, or an error as
    the answer (``raises: RuntimeError``, optionally ``match:`` a part of its message)."""
    if "raises" in keys and "expect" in keys:
        raise reader.fail(keys["raises"], f"{field}.raises", "give expect or raises, not both")
    if "match" in keys and "raises" not in keys:
        raise reader.fail(keys["match"], f"{field}.match", "match needs raises beside it")
    if "raises" in keys:
        node = keys["raises"]
        name = reader.string(node, f"{field}.raises", allow_empty=False).strip()
        if not name.isidentifier():
            raise reader.fail(
                node, f"{field}.raises", f"expected an exception class name, got {name!r}"
            )
        match = reader.string(keys["match"], f"{field}.match") if "match" in keys else ""
        expect: Value | None = Value.error(name, match.strip())
    elif "expect" in keys:
        node = keys["expect"]
        expect = reader.answer(node, f"{field}.expect")
    else:
        return None, 0
    if expect is not None and expect.kind == "error" and not takes_errors(expr):
        raise reader.fail(
            node,
            field + (".raises" if "raises" in keys else ".expect"),
            f"an error as the answer needs a call as the expr (y.backward(), w.add_(1)): "
            f"the answer field of {expr!r} does not offer 'raises'",
        )
    return expect, node.start_mark.line + 1


def read_known_wrong(reader: FieldReader, node: Node, field: str) -> KnownWrong:
    keys = reader.mapping(node, field, "wrong", "a known wrong answer")
    answer = reader.answer(keys["answer"], f"{field}.answer")
    says = reader.text(keys["says"], f"{field}.says", allow_empty=False)
    return KnownWrong(answer=answer, says=says.strip(), line=node.start_mark.line + 1)
