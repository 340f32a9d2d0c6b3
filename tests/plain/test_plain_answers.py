"""When a line of ``--plain`` input continues on the next (a pasted multi-line tensor)."""

from __future__ import annotations

import pytest

from autograd_tutor.plain.answers import MAX_CONTINUATION_LINES, continues, open_brackets


@pytest.mark.parametrize(
    "line",
    [
        "tensor([[ 16.,  33.,   5.],",  # torch's first line of a 2-D tensor
        "[[1, 2],",
        "[",
        "tensor(",
    ],
)
def test_an_open_line_ending_in_a_comma_or_an_opener_continues(line: str) -> None:
    assert continues(line)


@pytest.mark.parametrize(
    "line",
    [
        "[1, 2",  # left open by mistake: judged (and refused) at once, with a caret
        "[[1, 2], [3, 4]]",
        "6",
        "(3, 3)",
        "[" * 5000,  # deeper than the parser allows: refused at once, never swallows input
        "]],",
    ],
)
def test_a_closed_or_hopeless_line_does_not(line: str) -> None:
    assert not continues(line)


def test_the_line_cap_ends_an_answer() -> None:
    assert continues("[[1,", MAX_CONTINUATION_LINES)
    assert not continues("[[1,", MAX_CONTINUATION_LINES + 1)


def test_open_brackets_ignores_stray_closers() -> None:
    assert open_brackets("tensor([[1., 2.],") == 2
    assert open_brackets("]) [") == 1
