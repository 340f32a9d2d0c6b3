"""One lesson file's fields read from its YAML nodes: strings, numbers, sizes, lists, mappings
checked against their known keys, Python expressions and code (checked with ``ast.parse``,
never run), an author's answers, and the variant's ``{a}`` in text.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from autograd_tutor.grading.expect import expect_value
from autograd_tutor.grading.parser import AnswerSyntaxError
from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.keys import KNOWN_KEYS, REQUIRED_KEYS
from autograd_tutor.lessons.params import (
    ParamError,
    ParamSpace,
    Variant,
    format_text,
    resolve_answer,
    variant_label,
)
from autograd_tutor.lessons.yaml_file import (
    PositionLoader,
    block_scalar,
    describe_node,
    error_at,
    parse_python,
)
from autograd_tutor.sizes import SizeError, parse_size
from autograd_tutor.values import Value

MAX_CODE = 20_000  # characters of code in one step; ast.parse of ~1 MB takes seconds


class FieldReader:
    """Reads the typed fields of one lesson file's node tree (the model's builders in
    loader.py, step_loader.py, question_loader.py, params_loader.py and practice_loader.py
    call it); every problem is a :class:`LessonError` at its node."""

    def __init__(
        self,
        path: Path,
        text: str,
        loader: PositionLoader,
        variant: Variant | None = None,
    ) -> None:
        self.path = path
        self.text_source = text
        self.lines = text.splitlines()
        self.loader = loader
        self.wanted = variant  # None: the default variant
        self.variant: Variant = {}  # the parameters' values while reading (empty: none)
        self.space: ParamSpace | None = None

    # -- helpers --
    def fail(self, node: Node | None, field: str, message: str) -> LessonError:
        return error_at(self.path, node.start_mark if node is not None else None, field, message)

    def value(self, node: Node, field: str) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            problem = exc.problem or "cannot read this value"
            raise self.fail(node, field, problem) from None
        except (ValueError, TypeError, OverflowError) as exc:
            raise self.fail(node, field, f"cannot read this value: {exc}") from None

    def plain_tag(self, node: Node, field: str, tag: str) -> None:
        if node.tag != tag:
            raise self.fail(node, field, f"the YAML tag {node.tag!r} is not allowed here")

    def answer(self, node: Node, field: str) -> Value:
        """An author's answer (``expect``, ``wrong[].answer``) as a :class:`Value`, read the way
        a learner's typed answer is (:func:`expect_value`); an answer that is no value is a
        :class:`LessonError` at the node (or the list element) that is wrong."""
        raw = self.raw_answer(node, field)
        if self.variant:
            try:
                raw = resolve_answer(raw, self.variant)
            except ParamError as exc:
                raise self.fail(node, field, f"{self.where_variant()}{exc}") from None
        try:
            return expect_value(raw)
        except AnswerSyntaxError as exc:
            raise self.answer_error(node, field, exc) from None

    def raw_answer(self, node: Node, field: str) -> Any:
        """null, true/false, a number, a string, or a list of these (a tensor), nested."""
        if isinstance(node, SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
            return [self.raw_answer(item, f"{field}[{i}]") for i, item in enumerate(node.value)]
        value = self.value(node, field)
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise self.fail(
            node,
            field,
            "expected an answer (a number, true/false, null, a string such as '(3, 3)' or "
            f"'PowBackward0', or a list of numbers), got {describe_node(node, self.loader)}",
        )

    def answer_error(self, node: Node, field: str, exc: AnswerSyntaxError) -> LessonError:
        """Where in ``node`` the answer went wrong: the first list element that is no number
        (or no row), else the node itself; inside a one-line string, at the parser's column."""
        if isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                raw = self.raw_answer(item, f"{field}[{i}]")
                try:
                    expect_value(raw if isinstance(item, SequenceNode) else [raw])
                except AnswerSyntaxError as inner:
                    return self.answer_error(item, f"{field}[{i}]", inner)
            return self.fail(node, field, f"not an answer: {exc.message}")
        mark = node.start_mark
        column = mark.column + 1
        if isinstance(node, ScalarNode) and node.end_mark.line == mark.line:
            quoted = node.style in ("'", '"')
            if not node.style or quoted:  # plain ("" from libyaml, None from PyYAML)
                column += int(quoted) + exc.column - 1
        return LessonError(self.path, mark.line + 1, column, field, f"not an answer: {exc.message}")

    def mapping(self, node: Node, field: str, kind: str, what: str) -> dict[str, Node]:
        """The keys of a mapping node, checked against ``KNOWN_KEYS[kind]``/``REQUIRED_KEYS``."""
        known, required = KNOWN_KEYS[kind], REQUIRED_KEYS[kind]
        if not isinstance(node, MappingNode):
            raise self.fail(
                node,
                field,
                f"expected a mapping (the keys of {what}), got {describe_node(node, self.loader)}",
            )
        self.plain_tag(node, field, "tag:yaml.org,2002:map")
        out: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node, field) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                raise self.fail(key_node, field, "keys must be plain words such as 'title'")
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(known)
                raise self.fail(key_node, field, f"unknown key {key!r} ({hint})")
            if key in out:
                raise self.fail(key_node, field, f"the key {key!r} is given twice")
            out[key] = value_node
        for key in required:
            if key not in out:
                raise self.fail(node, field, f"missing required key {key!r} in {what}")
        return out

    def string(self, node: Node, field: str, *, allow_empty: bool = True) -> str:
        value = self.value(node, field) if isinstance(node, ScalarNode) else None
        if not isinstance(value, str):
            got = describe_node(node, self.loader)
            hint = (
                " (put it in quotes)" if isinstance(node, ScalarNode) and value is not None else ""
            )
            raise self.fail(node, field, f"expected a string, got {got}{hint}")
        if not allow_empty and not value.strip():
            raise self.fail(node, field, "must not be empty")
        return value

    def integer(self, node: Node, field: str) -> int:
        value = self.value(node, field) if isinstance(node, ScalarNode) else None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(
                node, field, f"expected a whole number, got {describe_node(node, self.loader)}"
            )
        return value

    def minutes(self, node: Node) -> int:
        """About how long the lesson takes: a whole number of minutes, at least 1."""
        value = self.integer(node, "minutes")
        if value < 1:
            raise self.fail(node, "minutes", f"must be a whole number of minutes >= 1, got {value}")
        return value

    def positive(self, node: Node, field: str, unit: str = "") -> float:
        value = self.value(node, field) if isinstance(node, ScalarNode) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise self.fail(
                node,
                field,
                f"expected a positive number{unit}, got {describe_node(node, self.loader)}",
            )
        if not value > 0 or value == float("inf"):
            raise self.fail(node, field, f"must be a positive number{unit}, got {value}")
        return float(value)

    def size(self, node: Node, field: str) -> int:
        """A memory size such as ``2GB`` or ``512MB`` (:func:`autograd_tutor.sizes.parse_size`)."""
        value = self.value(node, field) if isinstance(node, ScalarNode) else None
        if not isinstance(value, str):
            got = describe_node(node, self.loader)
            raise self.fail(node, field, f"expected a size such as 2GB or 512MB, got {got}")
        try:
            return parse_size(value)
        except SizeError as exc:
            raise self.fail(node, field, str(exc)) from None

    def boolean(self, node: Node, field: str) -> bool:
        value = self.value(node, field) if isinstance(node, ScalarNode) else None
        if not isinstance(value, bool):
            raise self.fail(
                node, field, f"expected true or false, got {describe_node(node, self.loader)}"
            )
        return value

    def sequence(self, node: Node, field: str, *, non_empty: bool = False) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, field, f"expected a list, got {describe_node(node, self.loader)}")
        self.plain_tag(node, field, "tag:yaml.org,2002:seq")
        if non_empty and not node.value:
            raise self.fail(node, field, "the list must not be empty")
        return list(node.value)

    def expression(self, node: Node, field: str, *, numbers: bool = False) -> str:
        """A Python expression (checked with ``ast.parse``); ``numbers`` also takes 2 or -0.5."""
        if numbers and isinstance(node, ScalarNode):
            value = self.value(node, field)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return repr(value)
        text = self.string(node, field, allow_empty=False)
        try:
            parse_python(text.strip(), mode="eval")
        except SyntaxError as exc:
            line = node.start_mark.line + 1
            column = node.start_mark.column + 1 + max((exc.offset or 1) - 1, 0)
            if block_scalar(node):
                line, column = line + 1, None
            msg = exc.msg or "invalid syntax"
            raise LessonError(
                self.path, line, column, field, f"not a valid Python expression: {msg}"
            ) from None
        return text.strip()

    def where_variant(self) -> str:
        """``"with a=3, b=-1: "`` while reading a variant other than the default."""
        if self.space is None or self.variant == self.space.default:
            return ""
        return f"with {variant_label(self.variant)}: "

    def text(self, node: Node, field: str, *, allow_empty: bool = True) -> str:
        """A string a learner reads (or code), with ``{a}`` / ``{2*a}`` put in for the
        variant's values (:func:`~autograd_tutor.lessons.params.format_text`)."""
        value = self.string(node, field, allow_empty=allow_empty)
        if not self.variant:
            return value
        try:
            return format_text(value, self.variant)
        except ParamError as exc:
            raise self.fail(node, field, f"{self.where_variant()}{exc}") from None

    def code(self, node: Node, field: str) -> tuple[str, int]:
        text = self.text(node, field)
        start = node.start_mark.line + 1
        if block_scalar(node):
            start += 1  # the text starts on the line after the '|' indicator
        if len(text) > MAX_CODE:
            raise LessonError(
                self.path,
                start,
                None,
                field,
                f"the code is {len(text):,} characters long; a step's code is at most "
                f"{MAX_CODE:,} (split it into steps)",
            )
        try:
            parse_python(text)
        except SyntaxError as exc:
            line = start + (exc.lineno or 1) - 1
            column = None
            if exc.offset is not None and 0 < line <= len(self.lines):
                source = self.lines[line - 1]
                if block_scalar(node):
                    column = len(source) - len(source.lstrip()) + exc.offset
                elif (exc.lineno or 1) == 1:
                    column = node.start_mark.column + exc.offset
            raise LessonError(
                self.path,
                line,
                column,
                field,
                f"Python syntax error in the code (code line {exc.lineno}): {exc.msg}",
            ) from None
        return text, start
