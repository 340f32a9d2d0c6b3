"""Answers that are the value of another learner's variant: a copy signal for the teacher.

In a parameterised lesson every learner has their own numbers. An answer that is wrong for the
learner's own variant but right for a variant another learner in the same folder was given is
worth a look ("the value of another variant"): it is what the neighbour's screen showed.
:class:`VariantLedger` collects the candidates while the report reads the files (the wrong
answers to parameterised lessons, and which variants each lesson was given in, by whom);
:func:`find_other_variant_answers` scores each candidate against the other variants with the
answer key that re-scores every attempt (:mod:`autograd_tutor.progress.rescore`). No torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograd_tutor.lessons.params import variant_label
from autograd_tutor.lessons.variants import stored_variant
from autograd_tutor.progress.records import Attempt
from autograd_tutor.progress.rescore import AnswerKey, VariantKey, variant_key

MAX_HOLDERS = 3  # learners named as having had the other variant
_WRONGISH = frozenset(("wrong", "partial"))


@dataclass(frozen=True)
class Suspect:
    """A wrong answer to a question of a parameterised lesson, with whose it is."""

    student: str
    path: Path
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
        """``x.grad (square 1.1): typed 6, the value for a=3 (bob); theirs is a=4``."""
        who = ", ".join(self.holders)
        return (
            f"{self.expr} ({self.lesson_id} {self.question_id}): typed {self.typed}, "
            f"the value for {self.other} ({who}); theirs is {self.own}"
        )


@dataclass
class VariantLedger:
    """Per parameterised lesson, which variant each learner was given; and the wrong answers
    given there (the suspects). Ledgers of worker processes are merged into one."""

    given: dict[str, dict[VariantKey, set[str]]] = field(default_factory=dict)
    suspects: list[Suspect] = field(default_factory=list)

    def note(
        self,
        student: str,
        path: Path,
        attempts: Sequence[Attempt],
        verdicts: Sequence[str],
        key: AnswerKey,
    ) -> None:
        """One learner's verified attempts with their verdicts (as re-scored)."""
        for attempt, verdict in zip(attempts, verdicts, strict=True):
            lesson = key.parameterised.get(attempt.lesson_id)
            if lesson is None:
                continue
            own = variant_key(stored_variant(lesson, attempt.variant))
            self.given.setdefault(attempt.lesson_id, {}).setdefault(own, set()).add(student)
            if verdict in _WRONGISH and attempt.typed is not None:
                self.suspects.append(Suspect(student, path, attempt, own))

    def merge(self, other: VariantLedger) -> None:
        self.suspects.extend(other.suspects)
        for lesson_id, given in other.given.items():
            mine = self.given.setdefault(lesson_id, {})
            for variant, names in given.items():
                mine.setdefault(variant, set()).update(names)


def find_other_variant_answers(ledger: VariantLedger, key: AnswerKey) -> list[OtherVariantAnswer]:
    """Each suspect whose typed answer scores right against a variant of the same lesson that
    another learner in the folder was given (the first such variant, in value order)."""
    found: list[OtherVariantAnswer] = []
    for suspect in ledger.suspects:
        attempt = suspect.attempt
        if attempt.typed is None:
            continue
        for other, holders in sorted(ledger.given.get(attempt.lesson_id, {}).items()):
            others = sorted(name for name in holders if name != suspect.student)
            if other == suspect.own or not others:
                continue
            rescored = key.rescore(attempt, dict(other))
            if rescored is None or rescored[0] != "right":
                continue
            found.append(
                OtherVariantAnswer(
                    suspect.student,
                    suspect.path,
                    attempt.lesson_id,
                    attempt.question_id,
                    attempt.expr,
                    attempt.typed,
                    variant_label(_named(key, attempt.lesson_id, suspect.own)),
                    variant_label(_named(key, attempt.lesson_id, other)),
                    tuple(others[:MAX_HOLDERS]),
                )
            )
            break
    found.sort(key=lambda f: (f.student.casefold(), f.lesson_id, f.question_id))
    return found


def _named(key: AnswerKey, lesson_id: str, variant: VariantKey) -> dict[str, float]:
    """A variant key back in the author's order of the parameters."""
    values = dict(variant)
    params = key.parameterised[lesson_id].params
    order = [p.name for p in params.params if p.name in values] if params is not None else []
    return {name: values[name] for name in order + sorted(values.keys() - set(order))}
