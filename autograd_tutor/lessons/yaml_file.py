"""A lesson file's bytes and YAML nodes, with the line and column of every node.

Hostile files are refused before they can cost time or memory: files over
:data:`MAX_FILE_BYTES`, non-UTF-8 or binary bytes, empty files, YAML aliases (``*name``, the
"billion laughs" bomb), nesting deeper than :data:`MAX_DEPTH` and more than :data:`MAX_NODES`
values. A YAML syntax error names its likely cause (:func:`likely_cause`).
"""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from autograd_tutor.lessons.errors import LessonError

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_NODES = 20_000


def parse_python(text: str, mode: str = "exec") -> ast.AST:
    """``ast.parse`` without the SyntaxWarnings it prints for odd literals (``1if x``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        return ast.parse(text, mode=mode)


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


def compose(text: str, path: Path) -> tuple[Node, PositionLoader]:
    loader = PositionLoader(text)
    try:
        node = loader.get_single_node()
    except _Refused as exc:
        raise error_at(path, exc.mark, "", exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.context}, {exc.problem}"
        if "nesting depth" in problem:  # libyaml's own limit, met before ours
            raise error_at(path, mark, "", f"data nested too deeply ({problem})") from None
        cause = likely_cause(text, mark, problem)
        raise error_at(path, mark, "", f"not valid YAML: {problem}{cause}") from None
    except yaml.YAMLError as exc:
        raise LessonError(path, None, None, "", f"not valid YAML: {exc}") from None
    except RecursionError:
        raise LessonError(path, None, None, "", "data nested too deeply") from None
    if node is None:
        raise LessonError(path, 1, 1, "", "the file holds no lesson (it is empty)")
    return node, loader


def block_scalar(node: Node) -> bool:
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


def error_at(path: Path, mark: Any, field: str, message: str) -> LessonError:
    if mark is None:
        return LessonError(path, None, None, field, message)
    return LessonError(path, mark.line + 1, mark.column + 1, field, message)


# -- reading files ----------------------------------------------------------------------------


def read_text(path: Path) -> tuple[bytes, str]:
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


# -- a node in words --------------------------------------------------------------------------


def describe_node(node: Node, loader: PositionLoader) -> str:
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
