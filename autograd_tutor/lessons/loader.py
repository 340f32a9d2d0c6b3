"""Lesson files (YAML) -> :class:`~autograd_tutor.lessons.model.Lesson`, with precise errors.
(Over 400 lines for now: every field's check sits beside its error wording; the practice
kinds are read in practice_loader.py, and the questions could follow.)

The YAML is read by a ``SafeLoader`` subclass that keeps the line and column of every node, so
every problem is reported as ``file:line:col: field.path: what is wrong``. Unknown keys suggest
the closest known key, wrong types say which type was expected, and ``code`` / ``expr`` text is
checked with :func:`ast.parse` (never executed).

Hostile files are refused before they can cost time or memory: files over
:data:`MAX_FILE_BYTES`, non-UTF-8 or binary bytes, empty files, YAML aliases (``*name``, the
"billion laughs" bomb), nesting deeper than :data:`MAX_DEPTH` and more than :data:`MAX_NODES`
values. A broken file never stops the others: :func:`load_lessons` lists it as a
:class:`BrokenLesson`.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from autograd_tutor.grading.expect import expect_value
from autograd_tutor.grading.kinds import takes_errors
from autograd_tutor.grading.parser import AnswerSyntaxError
from autograd_tutor.lessons.files import lesson_paths
from autograd_tutor.lessons.model import (
    DEFAULT_TIME_LIMIT,
    ExerciseStep,
    ExperimentStep,
    KnownWrong,
    Lesson,
    LinePlot,
    Question,
    QuestionStep,
    Step,
    Training,
)
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
    format_text,
    resolve_answer,
    variant_label,
)
from autograd_tutor.lessons.practice import Exercise, Experiment
from autograd_tutor.lessons.practice_loader import (
    PRACTICE_KNOWN_KEYS,
    PRACTICE_REQUIRED_KEYS,
    read_exercise,
    read_experiment,
)
from autograd_tutor.sizes import SizeError, parse_size
from autograd_tutor.values import Value

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_NODES = 20_000
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")

# The known (and required) keys of each mapping; tests check that schema.json says the same.
LESSON_KEYS = (
    "id",
    "title",
    "summary",
    "credit",
    "seed",
    "time_limit",
    "memory_limit",
    "order",
    "minutes",
    "params",
    "require",
    "steps",
)
STEP_KEYS = (
    "title",
    "explain",
    "code",
    "ask",
    "train",
    "exercise",
    "experiment",
    "graph",
    "params",
)
PARAM_KEYS = ("choice", "range", "default")
QUESTION_KEYS = (
    "id",
    "expr",
    "prompt",
    "hints",
    "explain",
    "tolerance",
    "expect",
    "raises",
    "match",
    "wrong",
    "graph",
)
STEP_GRAPH_VALUES = ("open", "closed")
WRONG_KEYS = ("answer", "says")
TRAIN_KEYS = ("loss", "log_scale", "x", "y", "lines")
LINE_KEYS = ("label", "slope", "intercept")
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "lesson": LESSON_KEYS,
    "step": STEP_KEYS,
    "question": QUESTION_KEYS,
    "wrong": WRONG_KEYS,
    "train": TRAIN_KEYS,
    "line": LINE_KEYS,
    "param": PARAM_KEYS,
    **PRACTICE_KNOWN_KEYS,
}
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "lesson": ("id", "title", "steps"),
    "step": (),
    "question": ("expr",),
    "wrong": ("answer", "says"),
    "train": (),
    "line": LINE_KEYS,
    "param": (),
    **PRACTICE_REQUIRED_KEYS,
}


MAX_CODE = 20_000  # characters of code in one step; ast.parse of ~1 MB takes seconds


def parse_python(text: str, mode: str = "exec") -> ast.AST:
    """``ast.parse`` without the SyntaxWarnings it prints for odd literals (``1if x``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        return ast.parse(text, mode=mode)


class LessonError(Exception):
    """A problem in a lesson file: where it is (file, 1-based line/column, field path) and what.

    ``str(err)`` reads ``lessons/x.yaml:12:7: steps[2].ask[0]: unknown key 'expct' (did you
    mean 'expect'?)``; the line/column and the field are left out when unknown or empty.
    """

    def __init__(
        self,
        path: Path | str,
        line: int | None,
        column: int | None,
        field: str,
        message: str,
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.field = field
        self.message = message
        super().__init__(str(self))

    def location(self) -> str:
        """``file:line:col`` (as much of it as is known)."""
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        parts = [self.location()]
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LessonError, (self.path, self.line, self.column, self.field, self.message))


@dataclass(frozen=True)
class BrokenLesson:
    """A lesson file that could not be loaded, with the reason."""

    path: Path
    error: LessonError

    @property
    def id(self) -> str:
        return self.path.stem


# -- YAML with positions ----------------------------------------------------------------------


class _Refused(Exception):
    """Raised inside the YAML loader to stop at once; carries the node mark and a message."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


if getattr(yaml, "__with_libyaml__", False):

    class _SafeBase(Composer, yaml.CSafeLoader):
        """libyaml's ``CSafeLoader`` (a fast C scanner and parser) with PyYAML's Python
        composer in front, so that :class:`PositionLoader` can watch every node as it is
        built. Same safe constructors and resolver as ``yaml.SafeLoader``."""

        def __init__(self, stream: Any) -> None:
            yaml.CSafeLoader.__init__(self, stream)
            Composer.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml
    _SafeBase = yaml.SafeLoader  # type: ignore[misc,assignment]


class PositionLoader(_SafeBase):
    """A safe loader that refuses aliases, caps depth and node count, and reads ``1e-3``
    as a float (plain YAML 1.1 wants ``1.0e-3``). Nodes keep their ``start_mark``."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def _next_mark(self) -> Any:
        """Where the next event starts (None at the end of the stream)."""
        event = self.peek_event()
        return event.start_mark if event is not None else None

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            anchor = getattr(self.peek_event(), "anchor", "")
            raise _Refused(
                self._next_mark(),
                f"YAML aliases (*{anchor}) are not allowed in lessons; write the value out in full",
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(
                self._next_mark(),
                f"too many values (more than {MAX_NODES}); a lesson is much smaller than this",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    self._next_mark(),
                    f"data nested too deeply (more than {MAX_DEPTH} levels)",
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


PositionLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def _compose(text: str, path: Path) -> tuple[Node, PositionLoader]:
    loader = PositionLoader(text)
    try:
        node = loader.get_single_node()
    except _Refused as exc:
        raise _error_at(path, exc.mark, "", exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.context}, {exc.problem}"
        if "nesting depth" in problem:  # libyaml's own limit, met before ours
            raise _error_at(path, mark, "", f"data nested too deeply ({problem})") from None
        cause = likely_cause(text, mark, problem)
        raise _error_at(path, mark, "", f"not valid YAML: {problem}{cause}") from None
    except yaml.YAMLError as exc:
        raise LessonError(path, None, None, "", f"not valid YAML: {exc}") from None
    except RecursionError:
        raise LessonError(path, None, None, "", "data nested too deeply") from None
    if node is None:
        raise LessonError(path, 1, 1, "", "the file holds no lesson (it is empty)")
    return node, loader


def _block_scalar(node: Node) -> bool:
    """A ``|`` or ``>`` block: its text starts on the line after the indicator."""
    return isinstance(node, ScalarNode) and node.style in ("|", ">")


_INDENTATION_PROBLEMS = (
    "mapping values are not allowed",
    "expected <block end>",
    "did not find expected key",
    "did not find expected '-' indicator",
)


def likely_cause(text: str, mark: Any, problem: str) -> str:
    """For the YAML errors that a misplaced indent or an unquoted ``: `` cause, the likely
    cause and the column expected (``; indentation? ...``); "" for other errors."""
    if mark is None or not any(p in problem for p in _INDENTATION_PROBLEMS):
        return ""
    lines = text.splitlines()
    row = mark.line
    if not 0 <= row < len(lines):
        return ""
    here = lines[row]
    indent = len(here) - len(here.lstrip(" "))
    body = here.strip()
    key, colon, value = body.partition(": ")
    if "mapping values" in problem and colon and ": " in value and mark.column > indent + len(key):
        return (
            f"; a ': ' inside the value of {key.lstrip('- ')!r}? put the value in quotes "
            f'({key.lstrip("- ")}: "...")'
        )
    above = row - 1
    while above >= 0 and (not lines[above].strip() or lines[above].lstrip().startswith("#")):
        above -= 1
    if above < 0:
        return ""
    prev = lines[above]
    prev_indent = len(prev) - len(prev.lstrip(" "))
    prev_body = prev.strip()
    if prev_body.startswith("- "):
        prev_indent += 2  # the keys of a list item start after its dash
    if prev_body.endswith(":") or prev_body.endswith("|") or prev_body.endswith(">"):
        return (
            f"; indentation? line {above + 1} opens a mapping at column {prev_indent + 1}: "
            f"what belongs to it goes at column {prev_indent + 3}, and line {row + 1} starts "
            f"at column {indent + 1}"
        )
    return (
        f"; indentation? line {row + 1} starts at column {indent + 1}, the key above it at "
        f"column {prev_indent + 1}: keys of one mapping start at the same column"
    )


def _error_at(path: Path, mark: Any, field: str, message: str) -> LessonError:
    if mark is None:
        return LessonError(path, None, None, field, message)
    return LessonError(path, mark.line + 1, mark.column + 1, field, message)


# -- reading files ----------------------------------------------------------------------------


def _read_text(path: Path) -> tuple[bytes, str]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LessonError(
                path,
                None,
                None,
                "",
                f"file is too large ({size} bytes; lessons are at most 1 MB)",
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LessonError(path, None, None, "", f"cannot read the file: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise LessonError(path, None, None, "", f"file is too large (over {MAX_FILE_BYTES} bytes)")
    if not data.strip():
        raise LessonError(path, 1, 1, "", "the file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LessonError(
            path,
            line,
            column,
            "",
            f"not a UTF-8 text file (byte 0x{data[exc.start]:02x} at offset {exc.start})",
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise LessonError(path, line, column, "", "not a text file (it holds NUL bytes)")
    if text.startswith("\ufeff"):
        text = text[1:]
    return data, text


# -- validation -------------------------------------------------------------------------------


def _kind(node: Node, loader: PositionLoader) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return f"a value tagged {node.tag}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a true/false value ({node.value})"
    if isinstance(value, (int, float)):
        return f"a number ({node.value})"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"a string ({shown!r})"
    return f"a value of type {type(value).__name__}"


class _Reader:
    """Walks the node tree of one file and builds the lesson model."""

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
        return _error_at(self.path, node.start_mark if node is not None else None, field, message)

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
            f"'PowBackward0', or a list of numbers), got {_kind(node, self.loader)}",
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
                f"expected a mapping (the keys of {what}), got {_kind(node, self.loader)}",
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
            got = _kind(node, self.loader)
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
            raise self.fail(node, field, f"expected a whole number, got {_kind(node, self.loader)}")
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
                node, field, f"expected a positive number{unit}, got {_kind(node, self.loader)}"
            )
        if not value > 0 or value == float("inf"):
            raise self.fail(node, field, f"must be a positive number{unit}, got {value}")
        return float(value)

    def size(self, node: Node, field: str) -> int:
        """A memory size such as ``2GB`` or ``512MB`` (:func:`autograd_tutor.sizes.parse_size`)."""
        value = self.value(node, field) if isinstance(node, ScalarNode) else None
        if not isinstance(value, str):
            got = _kind(node, self.loader)
            raise self.fail(node, field, f"expected a size such as 2GB or 512MB, got {got}")
        try:
            return parse_size(value)
        except SizeError as exc:
            raise self.fail(node, field, str(exc)) from None

    def boolean(self, node: Node, field: str) -> bool:
        value = self.value(node, field) if isinstance(node, ScalarNode) else None
        if not isinstance(value, bool):
            raise self.fail(node, field, f"expected true or false, got {_kind(node, self.loader)}")
        return value

    def sequence(self, node: Node, field: str, *, non_empty: bool = False) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, field, f"expected a list, got {_kind(node, self.loader)}")
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
            if _block_scalar(node):
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
        if _block_scalar(node):
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
                if _block_scalar(node):
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

    # -- the format --
    def lesson(self, root: Node, content_hash: str) -> Lesson:
        if not isinstance(root, MappingNode):
            raise self.fail(
                root,
                "",
                "the top level must be a mapping with id, title and steps, "
                f"got {_kind(root, self.loader)}",
            )
        keys = self.mapping(root, "", "lesson", "a lesson")
        lesson_id = self.string(keys["id"], "id", allow_empty=False)
        if not ID_PATTERN.fullmatch(lesson_id):
            raise self.fail(
                keys["id"],
                "id",
                f"{lesson_id!r} is not a valid id: use lowercase letters, digits and '-', "
                "starting with a letter or digit (e.g. 'first-gradient')",
            )
        title = self.string(keys["title"], "title", allow_empty=False)
        summary = self.string(keys["summary"], "summary") if "summary" in keys else ""
        attribution = self.string(keys["credit"], "credit") if "credit" in keys else ""
        seed = self.integer(keys["seed"], "seed") if "seed" in keys else 0
        time_limit = (
            self.positive(keys["time_limit"], "time_limit", " of seconds")
            if "time_limit" in keys
            else DEFAULT_TIME_LIMIT
        )
        memory_limit = (
            self.size(keys["memory_limit"], "memory_limit") if "memory_limit" in keys else None
        )
        order = self.integer(keys["order"], "order") if "order" in keys else 1000
        minutes = self.minutes(keys["minutes"]) if "minutes" in keys else None
        step_nodes = self.sequence(keys["steps"], "steps", non_empty=True)
        self.space = self.param_space(keys, step_nodes)
        if self.space is not None:
            self.variant = self.choose_variant(self.space, keys)
        steps = tuple(self.step(node, i) for i, node in enumerate(step_nodes))
        seen: dict[str, Question] = {}
        for step in steps:
            for question in step.questions:
                if question.id in seen:
                    raise LessonError(
                        self.path,
                        question.line,
                        None,
                        f"steps[{step.index}]",
                        f"question id {question.id!r} is used twice "
                        f"(also on line {seen[question.id].line})",
                    )
                seen[question.id] = question
        return Lesson(
            id=lesson_id,
            title=title.strip(),
            summary=summary.strip(),
            path=self.path,
            content_hash=content_hash,
            steps=steps,
            attribution=attribution.strip(),
            seed=seed,
            time_limit=time_limit,
            memory_limit=memory_limit,
            order=order,
            minutes=minutes,
            extra={"id_line": keys["id"].start_mark.line + 1},
            params=self.space,
            variant=dict(self.variant),
            source=self.text_source,
        )

    # -- parameters --
    def param_space(self, keys: dict[str, Node], step_nodes: list[Node]) -> ParamSpace | None:
        """The lesson's ``params`` and those of its steps (one space; a name once), and
        ``require``; None for a lesson without parameters."""
        params: list[Param] = []
        if "params" in keys:
            params.extend(self.params(keys["params"], "params"))
        for i, node in enumerate(step_nodes):
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == "params":
                        params.extend(self.params(value_node, f"steps[{i}].params"))
        seen: dict[str, Param] = {}
        for param in params:
            if param.name in seen:
                raise LessonError(
                    self.path,
                    param.line,
                    None,
                    "params",
                    f"the parameter {param.name!r} is declared twice "
                    f"(also on line {seen[param.name].line})",
                )
            seen[param.name] = param
        if not params:
            if "require" in keys:
                raise self.fail(keys["require"], "require", "'require' needs 'params'")
            return None
        require = ""
        if "require" in keys:
            require = self.expression(keys["require"], "require")
            try:
                evaluate(require, {p.name: p.default for p in params})
            except ParamError as exc:
                raise self.fail(keys["require"], "require", str(exc)) from None
        space = ParamSpace(tuple(params), require)
        if space.size_before_require() > MAX_COMBINATIONS:
            raise self.fail(
                keys.get("params") or keys["steps"],
                "params",
                f"{space.size_before_require():,} combinations of values; a lesson has at most "
                f"{MAX_COMBINATIONS:,} (give fewer values)",
            )
        return space

    def params(self, node: Node, field: str) -> list[Param]:
        if not isinstance(node, MappingNode) or not node.value:
            raise self.fail(
                node,
                field,
                "expected a mapping from parameter names to their values "
                f"(e.g. a: {{choice: [2, 3, 4]}}), got {_kind(node, self.loader)}",
            )
        out: list[Param] = []
        for key_node, value_node in node.value:
            name = self.value(key_node, field) if isinstance(key_node, ScalarNode) else None
            if not isinstance(name, str):
                raise self.fail(key_node, field, "a parameter's name must be a plain word")
            problem = check_name(name)
            if problem:
                raise self.fail(key_node, field, problem)
            out.append(self.param(name, value_node, f"{field}.{name}"))
        return out

    def param(self, name: str, node: Node, field: str) -> Param:
        keys = self.mapping(node, field, "param", "a parameter")
        if ("choice" in keys) == ("range" in keys):
            raise self.fail(node, field, "give the values as either 'choice' or 'range'")
        values: tuple[Number, ...]
        if "choice" in keys:
            items = self.sequence(keys["choice"], f"{field}.choice", non_empty=True)
            values = tuple(self.number(n, f"{field}.choice[{i}]") for i, n in enumerate(items))
            for i, value in enumerate(values):
                if value in values[:i]:
                    raise self.fail(items[i], f"{field}.choice[{i}]", f"{value} is listed twice")
        else:
            items = self.sequence(keys["range"], f"{field}.range")
            if len(items) != 2:
                raise self.fail(
                    keys["range"], f"{field}.range", "expected [lowest, highest] (two integers)"
                )
            lo = self.integer(items[0], f"{field}.range[0]")
            hi = self.integer(items[1], f"{field}.range[1]")
            if hi < lo or hi - lo + 1 > MAX_VALUES:
                raise self.fail(
                    keys["range"],
                    f"{field}.range",
                    f"expected lowest <= highest and at most {MAX_VALUES} values, got [{lo}, {hi}]",
                )
            values = tuple(range(lo, hi + 1))
        default = values[0]
        if "default" in keys:
            default = self.number(keys["default"], f"{field}.default")
            if default not in values:
                raise self.fail(
                    keys["default"], f"{field}.default", f"{default} is not one of the values"
                )
        return Param(name, values, default, node.start_mark.line + 1)

    def number(self, node: Node, field: str) -> Number:
        value = self.value(node, field) if isinstance(node, ScalarNode) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise self.fail(node, field, f"expected a number, got {_kind(node, self.loader)}")
        if isinstance(value, float) and not abs(value) < float("inf"):
            raise self.fail(node, field, f"expected a finite number, got {value}")
        return value

    def choose_variant(self, space: ParamSpace, keys: dict[str, Node]) -> Variant:
        """The variant to read: the one asked for, else the default (which must meet
        ``require``)."""
        where = keys.get("require") or keys.get("params") or keys["steps"]
        field = "require" if "require" in keys else "params"
        try:
            if self.wanted is None:
                if not space.meets(space.default):
                    raise self.fail(
                        where,
                        field,
                        f"the default values ({variant_label(space.default)}) do not meet "
                        "'require' (the first value of each parameter, or its 'default')",
                    )
                return space.default
            if not space.allows(self.wanted):
                raise self.fail(
                    where, field, f"{variant_label(self.wanted)} is not a variant of this lesson"
                )
            return dict(self.wanted)
        except ParamError as exc:
            raise self.fail(where, field, str(exc)) from None

    def step(self, node: Node, index: int) -> Step:
        field = f"steps[{index}]"
        keys = self.mapping(node, field, "step", "a step")
        if not keys:
            raise self.fail(node, field, "a step needs at least one of: " + ", ".join(STEP_KEYS))
        title = self.text(keys["title"], f"{field}.title") if "title" in keys else ""
        explain = self.text(keys["explain"], f"{field}.explain") if "explain" in keys else ""
        code, code_line = ("", 0)
        if "code" in keys:
            code, code_line = self.code(keys["code"], f"{field}.code")
        questions: tuple[Question, ...] = ()
        if "ask" in keys:
            nodes = self.sequence(keys["ask"], f"{field}.ask", non_empty=True)
            questions = tuple(
                self.question(q, f"{field}.ask[{i}]", index, i) for i, q in enumerate(nodes)
            )
        training = self.training(keys["train"], f"{field}.train") if "train" in keys else None
        exercise: Exercise | None = None
        experiment: Experiment | None = None
        if "exercise" in keys or "experiment" in keys:
            kind = "exercise" if "exercise" in keys else "experiment"
            for other in ("ask", "exercise" if kind == "experiment" else "experiment"):
                if other in keys:
                    raise self.fail(
                        keys[other],
                        f"{field}.{other}",
                        f"a step with {kind!r} cannot have {other!r}",
                    )
            if kind == "exercise":
                exercise = read_exercise(self, keys["exercise"], f"{field}.exercise")
            else:
                experiment = read_experiment(self, keys["experiment"], f"{field}.experiment")
                if not code.strip():
                    raise self.fail(
                        node,
                        field,
                        "an experiment step needs 'code' (the training run that reads the knobs)",
                    )
        graph_open = self.step_graph(keys["graph"], f"{field}.graph") if "graph" in keys else False
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

    def question(self, node: Node, field: str, step_index: int, q_index: int) -> Question:
        keys = self.mapping(node, field, "question", "a question")
        expr = self.expression(keys["expr"], f"{field}.expr")
        if "id" in keys:
            qid_node = keys["id"]
            qid_value = (
                self.value(qid_node, f"{field}.id") if isinstance(qid_node, ScalarNode) else None
            )
            if isinstance(qid_value, int) and not isinstance(qid_value, bool):
                qid = str(qid_value)
            else:
                qid = self.string(qid_node, f"{field}.id", allow_empty=False).strip()
        else:
            qid = f"{step_index + 1}.{q_index + 1}"
        prompt = (
            self.text(keys["prompt"], f"{field}.prompt").strip() if "prompt" in keys else ""
        ) or f"{expr} = ?"
        hints: tuple[str, ...] = ()
        if "hints" in keys:
            hints_node = keys["hints"]
            if isinstance(hints_node, SequenceNode):
                hints = tuple(
                    self.text(h, f"{field}.hints[{i}]", allow_empty=False).strip()
                    for i, h in enumerate(hints_node.value)
                )
            elif isinstance(hints_node, ScalarNode) and isinstance(
                self.value(hints_node, f"{field}.hints"), str
            ):
                hints = (self.text(hints_node, f"{field}.hints", allow_empty=False).strip(),)
            else:
                raise self.fail(
                    hints_node,
                    f"{field}.hints",
                    f"expected a string or a list of strings, got {_kind(hints_node, self.loader)}",
                )
        explain = self.text(keys["explain"], f"{field}.explain") if "explain" in keys else ""
        tolerance = (
            self.positive(keys["tolerance"], f"{field}.tolerance") if "tolerance" in keys else None
        )
        expect, expect_line = self.expected(keys, field, expr)
        wrong: tuple[KnownWrong, ...] = ()
        if "wrong" in keys:
            nodes = self.sequence(keys["wrong"], f"{field}.wrong")
            wrong = tuple(self.known_wrong(w, f"{field}.wrong[{i}]") for i, w in enumerate(nodes))
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
            graph=self.boolean(keys["graph"], f"{field}.graph") if "graph" in keys else True,
        )

    def expected(self, keys: dict[str, Node], field: str, expr: str) -> tuple[Value | None, int]:
        """A question's answer and the file line it is written on: ``expect``, or an error as
        the answer (``raises: RuntimeError``, optionally ``match:`` a part of its message)."""
        if "raises" in keys and "expect" in keys:
            raise self.fail(keys["raises"], f"{field}.raises", "give expect or raises, not both")
        if "match" in keys and "raises" not in keys:
            raise self.fail(keys["match"], f"{field}.match", "match needs raises beside it")
        if "raises" in keys:
            node = keys["raises"]
            name = self.string(node, f"{field}.raises", allow_empty=False).strip()
            if not name.isidentifier():
                raise self.fail(
                    node, f"{field}.raises", f"expected an exception class name, got {name!r}"
                )
            match = self.string(keys["match"], f"{field}.match") if "match" in keys else ""
            expect: Value | None = Value.error(name, match.strip())
        elif "expect" in keys:
            node = keys["expect"]
            expect = self.answer(node, f"{field}.expect")
        else:
            return None, 0
        if expect is not None and expect.kind == "error" and not takes_errors(expr):
            raise self.fail(
                node,
                field + (".raises" if "raises" in keys else ".expect"),
                f"an error as the answer needs a call as the expr (y.backward(), w.add_(1)): "
                f"the answer field of {expr!r} does not offer 'raises'",
            )
        return expect, node.start_mark.line + 1

    def step_graph(self, node: Node, field: str) -> bool:
        """A step's ``graph``: ``open`` (the panel opens with the step) or ``closed``."""
        value = self.value(node, field) if isinstance(node, ScalarNode) else None
        if value not in STEP_GRAPH_VALUES:
            raise self.fail(
                node,
                field,
                f"expected one of {', '.join(STEP_GRAPH_VALUES)}, got {_kind(node, self.loader)}"
                " (to switch the graph off, put graph: false on the step's questions)",
            )
        return value == "open"

    def known_wrong(self, node: Node, field: str) -> KnownWrong:
        keys = self.mapping(node, field, "wrong", "a known wrong answer")
        answer = self.answer(keys["answer"], f"{field}.answer")
        says = self.text(keys["says"], f"{field}.says", allow_empty=False)
        return KnownWrong(answer=answer, says=says.strip(), line=node.start_mark.line + 1)

    def training(self, node: Node, field: str) -> Training:
        keys = self.mapping(node, field, "train", "a training plot")
        loss = self.expression(keys["loss"], f"{field}.loss") if "loss" in keys else ""
        log_scale = (
            self.boolean(keys["log_scale"], f"{field}.log_scale") if "log_scale" in keys else False
        )
        x = self.expression(keys["x"], f"{field}.x") if "x" in keys else ""
        y = self.expression(keys["y"], f"{field}.y") if "y" in keys else ""
        if bool(x) != bool(y):
            missing = "y" if x else "x"
            raise self.fail(node, field, f"x and y go together: add {missing!r} too")
        lines: tuple[LinePlot, ...] = ()
        if "lines" in keys:
            nodes = self.sequence(keys["lines"], f"{field}.lines")
            lines = tuple(self.line_plot(n, f"{field}.lines[{i}]") for i, n in enumerate(nodes))
        return Training(loss=loss, log_scale=log_scale, x=x, y=y, lines=lines)

    def line_plot(self, node: Node, field: str) -> LinePlot:
        keys = self.mapping(node, field, "line", "a line")
        return LinePlot(
            label=self.string(keys["label"], f"{field}.label", allow_empty=False).strip(),
            slope=self.expression(keys["slope"], f"{field}.slope", numbers=True),
            intercept=self.expression(keys["intercept"], f"{field}.intercept", numbers=True),
        )


# -- public API -------------------------------------------------------------------------------


def load_lesson(path: Path | str) -> Lesson:
    """Read and validate one lesson file; raises :class:`LessonError` on any problem."""
    path = Path(path)
    data, text = _read_text(path)
    root, loader = _compose(text, path)
    try:
        return _Reader(path, text, loader).lesson(root, hashlib.sha256(data).hexdigest())
    except RecursionError:
        raise LessonError(path, None, None, "", "data nested too deeply") from None


def load_variant(lesson: Lesson, variant: Variant) -> Lesson:
    """``lesson`` read again with the parameter values of ``variant`` (from the text it was
    loaded from, not the file, which may have changed since). :class:`LessonError` when the
    variant is not one of the lesson's or some field fails for it; the message names the
    variant."""
    if lesson.params is None or variant == lesson.variant:
        return lesson
    root, loader = _compose(lesson.source, lesson.path)
    try:
        return _Reader(lesson.path, lesson.source, loader, variant).lesson(
            root, lesson.content_hash
        )
    except RecursionError:
        raise LessonError(lesson.path, None, None, "", "data nested too deeply") from None


def load_lessons(
    directory: Path | str | None = None,
) -> tuple[list[Lesson], list[BrokenLesson]]:
    """Every lesson in ``directory`` (``None``: the bundled lessons), sorted by (order, id), and
    the files that could not be loaded. A second file with an id already taken is broken.

    Raises :class:`LessonsFolderError` when ``directory`` is no folder or cannot be listed.
    """
    if directory is None:
        from autograd_tutor.lessons.bundled import bundled_lessons_dir

        directory = bundled_lessons_dir()
    directory = Path(directory)
    lessons: list[Lesson] = []
    broken: list[BrokenLesson] = []
    by_id: dict[str, Lesson] = {}
    for path in lesson_paths(directory):
        try:
            lesson = load_lesson(path)
        except LessonError as exc:
            broken.append(BrokenLesson(path, exc))
            continue
        if lesson.id in by_id:
            first = by_id[lesson.id]
            error = LessonError(
                path,
                lesson.extra.get("id_line"),
                None,
                "id",
                f"duplicate lesson id {lesson.id!r}: {first.path.name} already uses it",
            )
            broken.append(BrokenLesson(path, error))
            continue
        by_id[lesson.id] = lesson
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.id))
    return lessons, broken


def find_lessons(
    lessons: Iterable[Lesson], wanted: Sequence[str], broken: Iterable[BrokenLesson] = ()
) -> list[Lesson]:
    """The lessons named in ``wanted``, in that order. A name that is a ``broken`` lesson's
    (its file name without the suffix) raises that lesson's :class:`LessonError`; ``KeyError``
    names an unknown id (and the closest known one)."""
    by_id = {lesson.id: lesson for lesson in lessons}
    broken_by_id = {item.id: item for item in broken}
    found: list[Lesson] = []
    for name in wanted:
        if name not in by_id and name in broken_by_id:
            raise broken_by_id[name].error
        if name not in by_id:
            close = difflib.get_close_matches(name, list(by_id), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = ", ".join(by_id) or "none"
            raise KeyError(f"no lesson with id {name!r}{hint}; known lessons: {known}")
        found.append(by_id[name])
    return found
