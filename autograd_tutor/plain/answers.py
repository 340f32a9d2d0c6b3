"""One answer from lines of input: a line that leaves brackets open continues on the next.

torch prints a 2-D tensor over several lines (``tensor([[ 16., 33.,  5.],`` then
``        [ 56., 85., 33.]])``); a learner who pastes it gives one answer, not one per line.
A line continues when it leaves brackets open and ends in a comma or an opening bracket (as
every line torch breaks does); an empty line ends the answer early, and so do the caps below,
so a stray ``[`` never swallows the rest of the input. The parser then judges the whole text.
"""

from __future__ import annotations

from autograd_tutor.grading.parser import MAX_DEPTH, MAX_LENGTH

MAX_CONTINUATION_LINES = 64  # lines after the first that one answer may take
_OPENING = "([{"
_CLOSING = ")]}"


def open_brackets(text: str) -> int:
    """How many brackets ``text`` leaves open (never below 0: a stray closer is the parser's)."""
    depth = 0
    for char in text:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(0, depth - 1)
    return depth


def continues(text: str, lines: int = 1) -> bool:
    """Whether the answer ``text`` (read over ``lines`` lines so far) goes on to the next line."""
    if lines > MAX_CONTINUATION_LINES or len(text) > MAX_LENGTH:
        return False
    depth = open_brackets(text)
    return 0 < depth <= MAX_DEPTH and text.rstrip().endswith((",", *_OPENING))


def join_lines(text: str, line: str) -> str:
    """``line`` added to the answer ``text``: one space between, the paste's indent dropped."""
    return f"{text} {line.strip()}"
