"""Grading: parse what a learner typed, compare it with torch's value, explain the gap.

``parser`` reads answers (never evaluating them), ``expect`` reads an author's YAML values,
``score`` compares, and ``diagnoses`` holds the generic misconception rules. Nothing here
imports torch.
"""

from autograd_tutor.grading.diagnoses import Diagnosis, ScoringContext
from autograd_tutor.grading.expect import expect_value
from autograd_tutor.grading.kinds import (
    FieldKind,
    field_kind,
    parse_prediction,
    placeholder,
    takes_errors,
)
from autograd_tutor.grading.parser import AnswerSyntaxError, parse_answer
from autograd_tutor.grading.score import (
    DEFAULT_TOLERANCE,
    Score,
    hint_factor,
    same_value,
    score,
)

__all__ = [
    "FieldKind",
    "field_kind",
    "takes_errors",
    "parse_prediction",
    "placeholder",
    "DEFAULT_TOLERANCE",
    "AnswerSyntaxError",
    "Diagnosis",
    "Score",
    "ScoringContext",
    "expect_value",
    "hint_factor",
    "parse_answer",
    "same_value",
    "score",
]
