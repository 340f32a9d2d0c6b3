"""One wording for step errors: the TUI's error panel and exercise verdicts, and ``--plain``'s
step and exercise output all head an error with ``presentation.error_title``."""

from __future__ import annotations

import dataclasses
import io

import pytest
from rich.console import Console

from autograd_tutor.lessons.model import QuestionStep
from autograd_tutor.plain.tutor import PlainTutor
from autograd_tutor.presentation import STEP_ERROR_KINDS, error_detail, error_title
from autograd_tutor.session import StepOutcome
from autograd_tutor.worker import StepError, StepResult

KINDS = [*STEP_ERROR_KINDS, "NameError"]


def _failure(kind: str) -> StepResult:
    error = StepError(kind, "it went wrong", line=3, traceback="Traceback: the frames\n")
    return dataclasses.replace(StepResult.failure("Timeout", ""), error=error)


def _plain_text(renderable: object) -> str:
    buffer = io.StringIO()
    Console(width=200, file=buffer, color_system=None).print(renderable)
    return buffer.getvalue()


def test_error_detail_names_the_exception_only_when_the_title_does_not() -> None:
    assert error_detail("NameError", "name 'w' is not defined", 3) == (
        "NameError (line 3): name 'w' is not defined"
    )
    assert error_detail("Timeout", "the step ran longer than 2 s") == (
        "the step ran longer than 2 s"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_plain_heads_a_step_error_with_the_shared_title(kind: str) -> None:
    out = io.StringIO()
    tutor = PlainTutor(None, None, io.StringIO(), out)  # type: ignore[arg-type]
    tutor.show_error(StepOutcome(QuestionStep(index=0), _failure(kind)))
    lines = out.getvalue().splitlines()
    assert lines[1] == error_title(kind)
    assert lines[2] == "  " + error_detail(kind, "it went wrong", 3)
    assert ("Traceback: the frames" in out.getvalue()) == (kind == "NameError")


@pytest.mark.parametrize("kind", KINDS)
def test_the_tui_error_panel_and_exercise_verdicts_use_the_shared_title(kind: str) -> None:
    from autograd_tutor.session.exercise import ExerciseOutcome
    from autograd_tutor.tui.widgets.check_list import checks_text
    from autograd_tutor.tui.widgets.error_panel import error_text

    error = _failure(kind).error
    assert error is not None
    panel = _plain_text(error_text(error))
    assert panel.startswith(error_title(kind) + "\n" + error_detail(kind, "it went wrong", 3))
    outcome = ExerciseOutcome(QuestionStep(index=0), "code", _failure(kind))
    checks = _plain_text(checks_text(outcome))
    assert checks.startswith(error_title(kind) + "\n" + error_detail(kind, "it went wrong", 3))
