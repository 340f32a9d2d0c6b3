"""Lesson text (explanations, hints, feedback) rendered as Markdown the same way everywhere.

A line that begins with a number and a dot (``0.5 is the slope``, ``1. is a float``) is prose,
not a numbered list: the dot is escaped before parsing so it stays as written.
"""

from __future__ import annotations

import re

from rich.markdown import Markdown

from autograd_tutor.safe_text import printable

# "1. text" / "0.5 x" at the start of a line: a number that markdown would read as a list item.
_NUMBER_AT_LINE_START = re.compile(r"^(\s*\d+)\.(?=\s|$)", re.MULTILINE)


def literal_numbers(text: str) -> str:
    """``text`` with the dot after a number that begins a line escaped (no list items)."""
    return _NUMBER_AT_LINE_START.sub(r"\1\\.", text)


def lesson_markdown(text: str) -> Markdown:
    """A Rich renderable for lesson text (control characters written out visibly)."""
    return Markdown(literal_numbers(printable(text.strip(), keep_newlines=True)))
