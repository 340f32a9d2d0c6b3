"""Answers that are the value of another learner's variant: a copy signal for the teacher.

In a parameterised lesson every learner has their own numbers. An answer that is wrong for the
learner's own variant but right for a variant another learner in the same folder was given is
worth a look ("the value of another variant"): it is what the neighbour's screen showed. The
report collects the candidates while it reads the files (wrong answers to parameterised
lessons, and which variants each lesson was given in, by whom) and this module scores each
candidate against the other variants with the same answer key that re-scores every attempt.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from autograd_tutor.lessons.params import variant_label
from autograd_tutor.progress.records import Attempt
from autograd_tutor.progress.rescore import AnswerKey, VariantKey

MAX_HOLDERS = 3  # learners named as having had the other variant


@dataclass(frozen=True)
class Suspect:
    """A wrong answer to a question of a parameterised lesson, with whose it is."""

    student: str
    path: str
    attempt: Attempt
    own: VariantKey


@dataclass(frozen=True)
class OtherVariantAnswer:
    """A learner's answer that is wrong for their numbers and right for another variant."""

    student: str
    path: Path
    lesson_id: str
    question_id: str
    expr: str
    typed: str
    own: str  # the learner's variant, ``a=4``
    other: str  # the variant the answer is right for, ``a=3``
    holders: tuple[str, ...]  # learners in the folder who had that variant (a few)

    def describe(self) -> str:
        """``x.grad (first-gradient 1.2): typed 6, right for a=3 (bob), own a=4``."""
        who = ", ".join(self.holders)
        return (
            f"{self.expr} ({self.lesson_id} {self.question_id}): typed {self.typed}, "
            f"the value for {self.other} ({who}); theirs is {self.own}"
        )


def find_other_variant_answers(
    suspects: Iterable[Suspect],
    variants: Mapping[str, Mapping[VariantKey, Collection[str]]],
    key: AnswerKey,
) -> list[OtherVariantAnswer]:
    """Each suspect whose typed answer scores right against a variant of the same lesson that
    another learner in the folder was given (the first such variant, in name order)."""
    found: list[OtherVariantAnswer] = []
    for suspect in suspects:
        attempt = suspect.attempt
        if attempt.typed is None:
            continue
        given = variants.get(attempt.lesson_id, {})
        for other, holders in sorted(given.items()):
            others = [name for name in holders if name != suspect.student]
            if other == suspect.own or not others:
                continue
            rescored = key.rescore(attempt, dict(other))
            if rescored is None or rescored[0] != "right":
                continue
            found.append(
                OtherVariantAnswer(
                    suspect.student,
                    Path(suspect.path),
                    attempt.lesson_id,
                    attempt.question_id,
                    attempt.expr,
                    attempt.typed,
                    variant_label(dict(suspect.own)),
                    variant_label(dict(other)),
                    tuple(sorted(set(others))[:MAX_HOLDERS]),
                )
            )
            break
    found.sort(key=lambda f: (f.student.casefold(), f.lesson_id, f.question_id))
    return found
