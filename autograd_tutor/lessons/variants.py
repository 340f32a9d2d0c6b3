"""Which variant of a parameterised lesson a learner gets: the one place that decides.

A learner's variant is a pure function of (learner name, lesson id, take): each learner has
their own fixed order of the lesson's variants (sha256 of name, lesson and variant decides
it), and take ``n`` (0: the first time through, 1: the first retake with fresh numbers, ...)
is the ``n``-th variant in that order, so a restart or another machine shows the same
numbers, and a retake shows new ones until every variant was used. Without a learner name
take 0 is the default variant (the seed lesson's numbers).

A stored attempt carries its variant; an attempt without one (files from before variants)
was given the default variant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from autograd_tutor.lessons.model import Lesson
from autograd_tutor.lessons.params import Variant, format_value, sample

CHECK_LIMIT = 48  # ``check`` runs at most this many variants of a lesson (a stated sample)


def _rank(learner: str, lesson_id: str, variant: Mapping[str, Any]) -> str:
    key = "\x00".join([learner, lesson_id, *(f"{k}={format_value(v)}" for k, v in variant.items())])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def learner_order(lesson: Lesson, learner: str | None) -> list[Variant]:
    """Every variant of ``lesson`` in the order ``learner`` meets them (default first when
    no learner is named); ``[{}]`` for a lesson without parameters."""
    if lesson.params is None:
        return [{}]
    combos = lesson.params.combinations()
    if not learner:
        default = lesson.params.default
        return [default, *(v for v in combos if v != default)]
    return sorted(combos, key=lambda v: _rank(learner, lesson.id, v))


def draw(lesson: Lesson, learner: str | None, take: int = 0) -> Variant:
    """The variant ``learner`` gets on take ``take`` of ``lesson`` (``{}``: no parameters)."""
    order = learner_order(lesson, learner)
    return dict(order[take % len(order)])


def stored_variant(lesson: Lesson, stored: Mapping[str, Any]) -> Variant:
    """The variant an attempt was given: its stored values, or the default (old files)."""
    if lesson.params is None:
        return {}
    if not stored:
        return lesson.params.default
    return dict(stored)


def instantiate(lesson: Lesson, variant: Mapping[str, Any]) -> Lesson:
    """``lesson`` with the numbers of ``variant`` (the lesson itself when it has none or the
    variant is the one it holds). :class:`~autograd_tutor.lessons.errors.LessonError` names
    the variant when a field fails for it. (The loader is imported here, when a lesson is
    opened: the picker reads stored variants without a YAML parser.)"""
    from autograd_tutor.lessons.loader import load_variant

    return load_variant(lesson, dict(variant))


def take_of(attempts: Iterable[Any]) -> int:
    """The latest take among ``attempts`` (0 when there are none)."""
    return max((int(getattr(a, "take", 0)) for a in attempts), default=0)


def for_learner(lesson: Lesson, learner: str | None, attempts: Sequence[Any]) -> tuple[Lesson, int]:
    """The lesson as ``learner`` sees it now and the take it is on: the variant of their
    latest take when they have attempts (an unfinished lesson keeps its numbers, also when
    the attempts predate variants), else their first draw."""
    take = take_of(attempts)
    of_take = [a for a in attempts if int(getattr(a, "take", 0)) == take]
    if of_take:
        variant = stored_variant(lesson, getattr(of_take[-1], "variant", {}) or {})
        if lesson.params is not None and not lesson.params.allows(variant):
            variant = draw(lesson, learner, take)  # the lesson's values changed since
    else:
        variant = draw(lesson, learner, take)
    return instantiate(lesson, variant), take


def check_sample(lesson: Lesson, limit: int = CHECK_LIMIT) -> tuple[list[Variant], int]:
    """The variants ``check`` runs (all of them, or ``limit`` spread over them, the default
    first) and how many there are."""
    if lesson.params is None:
        return [{}], 1
    combos = lesson.params.combinations()
    return sample(combos, limit, lesson.params.default), len(combos)


def reset_namespace(worker: Any, lesson: Lesson) -> Any:
    """A fresh lesson namespace in ``worker`` with the lesson's seed, and its parameters
    (``a = 3``) defined in it. None, or the worker's failed result (a worker that died)."""
    worker.reset(lesson.seed)
    if lesson.prelude:
        result = worker.run(lesson.prelude, [], training=None, time_limit=lesson.time_limit)
        if result.error is not None:
            return result
    return None
