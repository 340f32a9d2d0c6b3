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

import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd_tutor.lessons.model import ExperimentStep, Lesson, Question, Step
from autograd_tutor.lessons.stated_values import code_literals, stated
from autograd_tutor.values import Value


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
            literals, lists = code_literals(code)
            setting |= literals
            setting_lists += lists
        stop = lesson.steps[number + 1].line if number + 1 < len(lesson.steps) else 0
        for text in _pre_run_texts(step):
            for question in step.questions:
                expected = _expected(question)
                if expected is None:
                    continue
                for words, offset in stated(text.text, expected, question, setting, setting_lists):
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
