"""Lesson text rendered the same way on every screen.

The lesson format makes ``explain`` fields Markdown (:func:`lesson_markdown`): a line that
begins with a number and a dot (``0.5 is the slope``, ``1. is a float``) is prose, not a
numbered list, so the dot is escaped before parsing. Hints and feedback (an author's ``says``,
the scorer's misconception messages) are plain text in which only `code spans` are marked
(:func:`text_with_code`): no literal backticks, and ``x**2`` stays ``x**2``.
"""

from __future__ import annotations

import re

from rich.markdown import Markdown
from rich.text import Text

from autograd_tutor.safe_text import printable

# "1. text" / "0.5 x" at the start of a line: a number that markdown would read as a list item.
_NUMBER_AT_LINE_START = re.compile(r"^(\s*\d+)\.(?=\s|$)", re.MULTILINE)


def literal_numbers(text: str) -> str:
    """``text`` with the dot after a number that begins a line escaped (no list items)."""
    return _NUMBER_AT_LINE_START.sub(r"\1\\.", text)


def lesson_markdown(text: str) -> Markdown:
    """A Rich renderable for lesson text (control characters written out visibly)."""
    return Markdown(literal_numbers(printable(text.strip(), keep_newlines=True)))


_CODE_SPAN = re.compile(r"`([^`\n]+)`")
CODE_STYLE = "bold"


def text_with_code(text: str, style: str = "") -> Text:
    """Plain text with each `code span` shown without its backticks, in :data:`CODE_STYLE`."""
    out = Text(style=style)
    clean = printable(text.strip(), keep_newlines=True)
    end = 0
    for match in _CODE_SPAN.finditer(clean):
        out.append(clean[end : match.start()])
        out.append(match.group(1), style=CODE_STYLE)
        end = match.end()
    out.append(clean[end:])
    return out
