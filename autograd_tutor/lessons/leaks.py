"""Answers given away before the learner predicts: a lesson author's check.

The text a learner reads before a step runs (the step's title and explanation, the comments in
its code, every question's prompt and every question's first hint) should give the rule and the
setting, never the value a question asks for. :func:`find_leaks` reports each place where that
text states a question's expected value, the way a learner would type it:

- a number that would be scored right: ``= -2``, ``about -13.3`` (with the question's
  tolerance), or arithmetic made only of numbers that comes out right (``2 * (-1)``,
  ``27 + 18 - 15 + 1``);
- a list literal equal to an expected tensor, or to one of its rows (``[16, 33, 5]``);
- an expected autograd node name (``PowBackward0``) or exception class (``RuntimeError``) as a
  word.

:func:`find_form_hints` reports a prompt that names the kind of its answer (``(a number, or
None)``, ``(a 3x3 nested list)``, ``(True or False)``): the answer field already names every
form it takes, the same for every question on the same kind of expression, and a prompt
written for this one answer tells the learner which form it has (or has not). It also reports
an experiment prompt that names one of its outcomes.

What is not a leak (so that ordinary mathematics reads clean):

- numbers that are part of a formula: exponents (``x**2``, ``t^3``), coefficients written
  against a symbol (``2x``, ``3t^2``, ``-2 * mean(y)``), digits inside names (``w1``, ``3x3``),
  and Markdown list markers (``1.`` at the start of a line);
- a number that is a literal in the code of this step or an earlier one, or in a question's
  expression (exponents aside): that is the setting (``x = 4``), which the learner reads in
  the code anyway;
- for a question whose answer is 0 or 1, a lone 0 or 1 counts only right after ``=`` or
  ``is`` (these two numbers are everywhere in prose); arithmetic that comes out to them counts.

True/False, None and shapes are not looked for. Pure Python: nothing here imports torch.
"""

from __future__ import annotations

import ast
import io
import math
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd_tutor.grading import same_value
from autograd_tutor.lessons.model import ExperimentStep, Lesson, Question, Step
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


@dataclass(frozen=True)
class Leak:
    """One place where pre-run text states the expected value of one or more questions."""

    path: Path
    line: int
    step: int
    where: str
    found: str
    answers: tuple[str, ...]
    says: str = ""  # what it gives away, when that is no value (a form hint)

    def message(self) -> str:
        """``file:line: step N, <where>: ...``, for ``check`` to print as a warning."""
        if self.says:
            where = f"{self.path}:{self.line}: step {self.step}, {self.where}"
            return f"{where}: {self.found!r} {self.says}"
        return (
            f"{self.path}:{self.line}: step {self.step}, {self.where}: {self.found!r} gives "
            f"away {_and(self.answers)} before the learner predicts"
        )


def _and(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class _Text:
    where: str
    text: str
    anchor: int


def find_leaks(lesson: Lesson) -> list[Leak]:
    """Every place in ``lesson`` where pre-run text states a question's expected value."""
    file_lines = _file_lines(lesson.path)
    found: dict[tuple[int, int, str, str], list[str]] = {}
    setting: set[float] = set()
    setting_lists: list[Any] = []
    for number, step in enumerate(lesson.steps):
        for code in (step.code, *(q.expr for q in step.questions)):
            literals, lists = _code_literals(code)
            setting |= literals
            setting_lists += lists
        stop = lesson.steps[number + 1].line if number + 1 < len(lesson.steps) else 0
        for text in _pre_run_texts(step):
            for question in step.questions:
                expected = _expected(question)
                if expected is None:
                    continue
                for words, offset in _stated(text.text, expected, question, setting, setting_lists):
                    line = _line_of(file_lines, text, offset, words, stop)
                    answers = found.setdefault((line, step.index, text.where, words), [])
                    answer = f"{question.expr} = {expected.display()}"
                    if answer not in answers:
                        answers.append(answer)
    return [
        Leak(lesson.path, line, index + 1, where, words, tuple(answers))
        for (line, index, where, words), answers in found.items()
    ]


# Words in a prompt that name the form of one answer.
_FORM_WORDS = re.compile(
    r"\((?:[^()]|\([^()]*\))*?\b(?:numbers?|None|True or False|nested lists?|list of|"
    r"class name|write it like|a tensor|tensors|a shape|Backward\d*)\b(?:[^()]|\([^()]*\))*\)"
    r"|\bor None\b|\bTrue or False\b|\bnested list\b|\ba list of\b|\bwrite it like\b"
)
_FORM_SAYS = (
    "names the kind of answer before the learner predicts; leave it to the field, which "
    "names every form its expression can take"
)


def find_form_hints(lesson: Lesson) -> list[Leak]:
    """Every prompt that names the kind of its answer, and every experiment prompt that names
    one of its outcomes (an example prediction that may be right)."""
    found: list[Leak] = []
    for step in lesson.steps:
        for question in step.questions:
            for match in _FORM_WORDS.finditer(question.prompt):
                found.append(
                    Leak(
                        lesson.path,
                        question.line or step.line,
                        step.index + 1,
                        f"prompt of {question.expr}",
                        match.group(),
                        (),
                        _FORM_SAYS,
                    )
                )
        if not isinstance(step, ExperimentStep):
            continue
        experiment = step.experiment
        for outcome in experiment.outcomes:
            words = rf"(?<!\w){re.escape(outcome.name)}(?!\w)"
            named = re.search(words, experiment.prompt, re.IGNORECASE)
            if named:
                found.append(
                    Leak(
                        lesson.path,
                        step.line,
                        step.index + 1,
                        "experiment prompt",
                        named.group(),
                        (),
                        "names an outcome: an example prediction may be right for some knob "
                        "setting; name none",
                    )
                )
    return found


# -- what the learner reads before the run ---------------------------------------------------


def _pre_run_texts(step: Step) -> Iterator[_Text]:
    if step.title:
        yield _Text("title", step.title, step.line)
    if step.explain:
        yield _Text("explanation", step.explain, step.line)
    for comment in _comments(step.code):
        yield _Text("code comment", comment, step.code_line or step.line)
    for question in step.questions:
        yield _Text(f"prompt of {question.expr}", question.prompt, question.line or step.line)
        if question.hints:
            yield _Text(f"first hint of {question.expr}", question.hints[0], question.line)


def _comments(code: str) -> list[str]:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    return [tok.string.lstrip("#").strip() for tok in tokens if tok.type == tokenize.COMMENT]


def _expected(question: Question) -> Value | None:
    """The question's expected value (None when the author gave none)."""
    return question.expect


# -- the setting: literals in the code --------------------------------------------------------


def _code_literals(code: str) -> tuple[set[float], list[Any]]:
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


def _stated(
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


# -- where in the file -----------------------------------------------------------------------


def _file_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _line_of(file_lines: list[str], text: _Text, offset: int, found: str, stop: int) -> int:
    """The file line that holds the leak: the text's own line where it can be found, else the
    line of the step or question the text belongs to."""
    start = max(text.anchor, 1)
    stop = stop or len(file_lines) + 1
    text_line = text.text[text.text.rfind("\n", 0, offset) + 1 :].split("\n", 1)[0].strip()
    for wanted in (text_line, found):
        if not wanted:
            continue
        for number in range(start, min(stop, len(file_lines) + 1)):
            if wanted in file_lines[number - 1]:
                return number
    return text.anchor
