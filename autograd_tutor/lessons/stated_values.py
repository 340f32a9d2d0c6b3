"""Whether a text states a value, the way a learner would type it (the engine of
:func:`~autograd_tutor.lessons.leaks.find_leaks`; its docstring says what counts and what does
not): :func:`stated` finds each statement of an expected value in one text (a number that would
be scored right, arithmetic of numbers only, a list literal equal to a tensor or one of its rows,
a node or exception name as a word), and :func:`code_literals` the numbers and lists a step's
code sets (the setting, never a leak). Pure Python: nothing here imports torch.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterator
from typing import Any

from autograd_tutor.grading import same_value
from autograd_tutor.lessons.model import Question
from autograd_tutor.values import Value

_NUM = r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_ATOM = rf"(?:-?{_NUM}|\(\s*-?{_NUM}\s*\))"
_OP = r"(?:\*\*|[-+*/^×])"
# a number, or numbers joined by arithmetic; never glued to a word, a dot or another digit
_RUN = re.compile(rf"(?<![\w.]){_ATOM}(?:\s*{_OP}\s*{_ATOM})*(?![\w]|\.\d)")
_ATOM_RE = re.compile(rf"(?<![\w.]){_ATOM}")
_PRODUCT_BEFORE = re.compile(r"(?:\*|/|\^|×)\s*$")
_PRODUCT_AFTER = re.compile(r"^\s*(?:\*|/|\^|×)")
_STATES_BEFORE = re.compile(r"(?:=|\bis)\s*$")
_LIST_MARKER_AFTER = re.compile(r"^[.)]\s")
_TINY = (0.0, 1.0)
_MAX_LIST_TEXT = 4000  # longer bracketed text is not read as a list
_CONTEXT = 40  # characters read either side of a number
_MAX_RUN_TEXT = 200  # longer arithmetic is not evaluated
_LIST_CHARS = re.compile(r"^[\[\]\d\s.,+\-eE]*$")


# -- the setting: literals in the code --------------------------------------------------------


def code_literals(code: str) -> tuple[set[float], list[Any]]:
    """Numbers (with their sign) and list literals written in ``code``; exponents are left
    out (``x ** 2`` sets no value 2, just as ``x**2`` in text states none)."""
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError:
        return set(), []
    numbers: set[float] = set()
    lists: list[Any] = []
    exponents = {
        id(node.right)
        for node in ast.walk(tree)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)
    }
    for node in ast.walk(tree):
        number = _number_of(node)
        if number is not None and id(node) not in exponents:
            numbers.add(number)
        if isinstance(node, (ast.List, ast.Tuple)):
            try:
                lists.append(_plain_rows(ast.literal_eval(node)))
            except (ValueError, TypeError, SyntaxError, RecursionError):
                pass
    return numbers, lists


def _number_of(node: ast.AST) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _number_of(node.operand)
        if inner is None:
            return None
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


# -- finding a stated value in one text ------------------------------------------------------


def stated(
    text: str,
    expected: Value,
    question: Question,
    setting: set[float],
    setting_lists: list[Any],
) -> Iterator[tuple[str, int]]:
    """(the words that state it, their offset in ``text``) for each statement of ``expected``."""
    tolerance = question.tolerance
    if expected.kind in ("name", "error"):  # PowBackward0, RuntimeError
        name = str(expected.data)
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            yield match.group(), match.start()
        return
    if expected.kind not in ("number", "tensor"):
        return
    try:
        flat = expected.flat()
    except (TypeError, ValueError):
        return
    if len(flat) == 1:
        yield from _stated_number(text, float(flat[0]), tolerance, setting)
    elif expected.kind == "tensor" and flat:
        yield from _stated_list(text, expected, tolerance, setting_lists)


def _stated_number(
    text: str, expected: float, tolerance: float | None, setting: set[float]
) -> Iterator[tuple[str, int]]:
    if math.isnan(expected):
        return
    tiny = expected in _TINY
    truth = Value.number(expected)
    scored: dict[float, bool] = {}  # would this number be scored right? (texts repeat numbers)
    for match in _RUN.finditer(text):
        # a window either side is enough context, and keeps a huge text linear
        before = text[max(0, match.start() - _CONTEXT) : match.start()]
        after = text[match.end() : match.end() + _CONTEXT]
        if _PRODUCT_BEFORE.search(before) or _PRODUCT_AFTER.match(after):
            continue  # a coefficient or an exponent in a formula: 2 * mean(y), x**2
        if _LIST_MARKER_AFTER.match(after) and _starts_line(before, match.start()):
            continue  # "1. " starting a line is a Markdown list item
        run = match.group()
        atoms = list(_ATOM_RE.finditer(run))
        candidates: list[float] = []
        if 1 < len(atoms) and len(run) <= _MAX_RUN_TEXT:
            total = _evaluate(run)
            if total is not None:
                candidates.append(total)
        if len(atoms) == 1 or not tiny:
            for atom in atoms:
                if (
                    run[max(0, atom.start() - _CONTEXT) : atom.start()]
                    .rstrip()
                    .endswith(("^", "**"))
                ):
                    continue  # an exponent: (-1)^2 states no 2
                candidates.append(_atom_value(atom.group()))
        for value in candidates:
            if value in setting:
                continue
            if tiny and len(atoms) == 1 and not _STATES_BEFORE.search(before):
                continue
            if value not in scored:
                scored[value] = same_value(Value.number(value), truth, tolerance)
            if scored[value]:
                yield run, match.start()
                break


def _starts_line(before: str, offset: int) -> bool:
    """Whether only spaces stand between the last line break (or the text's start) and
    ``offset``; ``before`` is the window of text just before it."""
    *earlier, line = before.rsplit("\n", 1)
    return (bool(earlier) or offset <= len(before)) and not line.strip()


def _atom_value(atom: str) -> float:
    return float(atom.strip().strip("()").strip())


def _evaluate(run: str) -> float | None:
    """The value of arithmetic made only of numbers, or None when it is not plain arithmetic."""
    source = run.replace("^", "**").replace("×", "*")
    try:
        tree = ast.parse(source, mode="eval")
        value = _arith(tree.body)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return None
    return value if value is not None and math.isfinite(value) else None


def _arith(node: ast.AST) -> float | None:
    number = _number_of(node)
    if number is not None:
        return number
    if isinstance(node, ast.BinOp):
        left, right = _arith(node.left), _arith(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
        if isinstance(node.op, ast.Pow):
            if abs(right) > 64 or abs(left) > 1e6:
                return None
            result = left**right
            return result if isinstance(result, float) and not isinstance(result, bool) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _arith(node.operand)
        if inner is None:
            return None
        return -inner if isinstance(node.op, ast.USub) else inner
    return None


def _stated_list(
    text: str, expected: Value, tolerance: float | None, setting_lists: list[Any]
) -> Iterator[tuple[str, int]]:
    parts = list(_sub_tensors(expected.data))
    for start, literal, data in _list_literals(text):
        if any(data == known for known in setting_lists):
            continue
        try:
            candidate = Value.tensor(data)
        except ValueError:
            continue
        if any(same_value(candidate, Value.tensor(part), tolerance) for part in parts):
            yield literal, start


def _sub_tensors(data: Any) -> Iterator[Any]:
    """The tensor and each of its rows, rows of rows, ... that hold two numbers or more."""
    if isinstance(data, list):
        if len(list(_flat(data))) >= 2:
            yield data
        for item in data:
            yield from _sub_tensors(item)


def _flat(data: Any) -> Iterator[Any]:
    if isinstance(data, list):
        for item in data:
            yield from _flat(item)
    else:
        yield data


def _list_literals(text: str) -> Iterator[tuple[int, str, Any]]:
    """(offset, source, nested lists of floats) for each outermost ``[...]`` of numbers."""
    pairs = _bracket_pairs(text)
    covered_until = -1
    for start in sorted(pairs):
        end = pairs[start]
        if start <= covered_until or end - start > _MAX_LIST_TEXT:
            continue
        source = text[start : end + 1]
        if "," not in source or not _LIST_CHARS.match(source):
            continue
        try:
            data = _plain_rows(ast.literal_eval(source))
        except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
            continue
        if len(list(_flat(data))) >= 2:
            covered_until = end
            yield start, source, data


def _bracket_pairs(text: str) -> dict[int, int]:
    """Offset of each ``[`` that is closed -> offset of its ``]``, in one pass."""
    opened: list[int] = []
    pairs: dict[int, int] = {}
    for index, char in enumerate(text):
        if char == "[":
            opened.append(index)
        elif char == "]" and opened:
            pairs[opened.pop()] = index
    return pairs


def _plain_rows(data: Any) -> Any:
    """Nested lists/tuples of numbers as nested lists of floats; ValueError for anything else."""
    if isinstance(data, (list, tuple)):
        return [_plain_rows(item) for item in data]
    if type(data) in (int, float):
        return float(data)
    raise ValueError("not a number")
