"""The shared words: every verdict and every error kind of the worker client has its label."""

from __future__ import annotations

from typing import get_args

from autograd_tutor.presentation import (
    STEP_ERROR_KINDS,
    VERDICTS,
    StepErrorKind,
    Verdict,
    aligned_table,
    clip,
    error_title,
    verdict_label,
)


def test_the_literals_and_their_tuples_agree() -> None:
    assert get_args(Verdict) == VERDICTS
    assert get_args(StepErrorKind) == STEP_ERROR_KINDS


def test_every_verdict_has_a_label() -> None:
    assert [verdict_label(v) for v in VERDICTS] == ["right", "partly right", "wrong", "skipped"]


def test_error_titles() -> None:
    titles = {kind: error_title(kind) for kind in STEP_ERROR_KINDS}
    assert len(set(titles.values())) == len(STEP_ERROR_KINDS)  # each its own title
    assert not any(kind in title for kind, title in titles.items())  # words, not class names
    assert error_title("ZeroDivisionError") == "The step's code raised ZeroDivisionError"


def test_clip_keeps_one_line_and_marks_a_cut() -> None:
    assert clip("a\n  b", 10) == "a b"
    assert clip("abcdefghij", 5) == "abcd…"
    assert len(clip("x" * 100, 30)) == 30


def test_aligned_table_never_cuts_a_cell() -> None:
    lines = aligned_table(("Name", "N"), [("a-very-long-name", "3"), ("b", "12")], {1})
    assert lines == [
        "Name               N",
        "----------------  --",
        "a-very-long-name   3",
        "b                 12",
    ]
