"""Counting a folder's results files: each file verified with :mod:`.read` and counted into a
:class:`Tally` (per learner totals, per question answered / right first / wrong answers, per
lesson credit and lesson versions, practice, variants). Large folders are split over worker
processes (:func:`tally_parallel`, from :data:`PARALLEL_FROM` files) whose tallies are merged.
"""

from __future__ import annotations

import gc
import os
import sys
from collections import Counter
from collections.abc import Sequence
from itertools import compress
from operator import attrgetter
from typing import Any

from autograd_tutor.progress.practice_tally import (
    PracticeCounter,
    exercise_passed,
    iter_practice_attempts,
)
from autograd_tutor.progress.report.model import LearnerTotals, LessonResult
from autograd_tutor.progress.report.read import UnusableResultsFile, VerifiedResults, Verifier
from autograd_tutor.progress.report.variant_copies import VariantLedger
from autograd_tutor.progress.rescore import AnswerKey

PARALLEL_FROM = 200  # files; fewer are read in this process

QKey = tuple[str, str, str]  # (lesson id, question id, expr)
_get_key = attrgetter("lesson_id", "question_id", "expr")
_get_sig = attrgetter("lesson_id", "question_id", "expr", "typed")
_get_label = attrgetter("diagnoses", "feedback")
_WRONGISH = frozenset(("wrong", "partial"))

# The verifier of the run, set in each worker process by the pool's initializer.
_VERIFIER = Verifier(None)


class Tally:
    """Aggregates over some files; tallies from worker processes are merged into one.

    The per-attempt work runs in C where it can (``map`` with ``attrgetter``, ``dict(zip(...))``,
    ``Counter.update`` of an iterable): a class of thousands holds millions of attempts.
    """

    def __init__(self) -> None:
        # (student, path, lessons, attempts, answered, credit, verified, disagree, example)
        self.learners: list[LearnerTotals] = []
        self.problems: list[tuple[str, str]] = []
        # question key -> learners who answered it / right on the first try / attempts
        self.answered: Counter[QKey] = Counter()
        self.first_right: Counter[QKey] = Counter()
        self.attempts: Counter[QKey] = Counter()
        # (lesson id, question id, expr, typed) -> count, and its (diagnoses, feedback)
        self.wrong: Counter[tuple[str, str, str, Any]] = Counter()
        self.wrong_label: dict[tuple[str, str, str, Any], tuple[Any, Any]] = {}
        # lesson id -> [learners, answered, credit]
        self.lessons: dict[str, list[float]] = {}
        # lesson id -> hash -> [learners, latest attempt's timestamp, a few names]
        self.hashes: dict[str, dict[str, list[Any]]] = {}
        self.practice = PracticeCounter()  # exercises and experiments
        self.expect_disputed: Counter[QKey] = Counter()  # the lesson's expect disagrees
        self.variants = VariantLedger()  # parameterised lessons: who had which numbers

    def add_file(self, path: str) -> None:
        try:
            results = _VERIFIER.read(path)
        except UnusableResultsFile as exc:
            self.problems.append((path, exc.reason))
            return
        self.add(results)

    def add(self, results: VerifiedResults) -> None:
        """Count one verified results file."""
        student = results.student
        attempts = results.attempts
        verdicts = results.verdicts
        credits = results.credits
        meta = results.lesson_meta
        key = _VERIFIER.key
        if key is not None and key.parameterised:
            self.variants.note(student, results.path, attempts, verdicts, key)
        keys = list(map(_get_key, attempts))  # (lesson id, question id, expr)
        latest = dict(zip(keys, credits, strict=True))  # the last one wins
        first = dict(zip(reversed(keys), reversed(verdicts), strict=True))  # the first one wins
        firsts = [key for key, verdict in first.items() if verdict == "right"]
        per_lesson: dict[str, list[float]] = {}  # lesson id -> [answered, credit]
        for (lesson_id, _question_id, _expr), credit in latest.items():
            st = per_lesson.get(lesson_id)
            if st is None:
                per_lesson[lesson_id] = [1, credit]
            else:
                st[0] += 1
                st[1] += credit
        wrong_attempts = list(compress(attempts, map(_WRONGISH.__contains__, verdicts)))
        if wrong_attempts:
            sigs = list(map(_get_sig, wrong_attempts))  # (lesson, question, expr, typed)
            self.wrong.update(sigs)
            self.wrong_label.update(zip(sigs, map(_get_label, wrong_attempts), strict=True))
        self.attempts.update(keys)
        self.answered.update(latest.keys())
        self.first_right.update(firsts)
        for lesson_id, (answered, credit) in per_lesson.items():
            ls = self.lessons.get(lesson_id)
            if ls is None:
                self.lessons[lesson_id] = [1, answered, credit]
            else:
                ls[0] += 1
                ls[1] += answered
                ls[2] += credit
            lesson_hash, timestamp = meta.get(lesson_id, ("", ""))
            by_hash = self.hashes.setdefault(lesson_id, {})
            hs = by_hash.get(lesson_hash)
            if hs is None:
                by_hash[lesson_hash] = [1, timestamp, [student]]
            else:
                hs[0] += 1
                if timestamp > hs[1]:
                    hs[1] = timestamp
                if len(hs[2]) < 5:
                    hs[2].append(student)
        self.learners.append(
            LearnerTotals(
                student,
                results.path,
                len(per_lesson),
                len(attempts),
                len(latest),
                float(sum(latest.values())),
                results.verified,
                results.disagree,
                results.example,
                (),
                tuple(sorted(results.uncounted.items())),
                results.unknown_lessons,
                _lesson_results(per_lesson, results.practice),
                tuple(results.exercises),
                len(results.expect_disputed),
                tuple(sorted({f"{lesson} {q}" for lesson, q, _ in results.expect_disputed})),
            )
        )
        self.expect_disputed.update(results.expect_disputed)
        if results.practice:
            self.practice.add_document({"lessons": results.practice})

    def merge(self, other: Tally) -> None:
        self.learners.extend(other.learners)
        self.variants.merge(other.variants)
        self.practice.merge(other.practice)
        self.problems.extend(other.problems)
        self.answered.update(other.answered)
        self.first_right.update(other.first_right)
        self.attempts.update(other.attempts)
        self.wrong.update(other.wrong)
        self.wrong_label.update(other.wrong_label)
        self.expect_disputed.update(other.expect_disputed)
        for lesson_id, (n, answered, credit) in other.lessons.items():
            ls = self.lessons.get(lesson_id)
            if ls is None:
                self.lessons[lesson_id] = [n, answered, credit]
            else:
                ls[0] += n
                ls[1] += answered
                ls[2] += credit
        for lesson_id, by_hash in other.hashes.items():
            mine_h = self.hashes.setdefault(lesson_id, {})
            for h, (n, updated, names) in by_hash.items():
                hs = mine_h.get(h)
                if hs is None:
                    mine_h[h] = [n, updated, list(names)]
                else:
                    hs[0] += n
                    hs[1] = max(hs[1], updated)
                    hs[2].extend(names[: max(0, 5 - len(hs[2]))])


def _lesson_results(
    per_lesson: dict[str, list[float]], practice: dict[str, Any]
) -> tuple[LessonResult, ...]:
    """Each lesson's answered questions and credit, with the practice steps done."""
    passed: dict[str, set[int]] = {}
    done: dict[str, set[int]] = {}
    for lesson_id, step, attempt in iter_practice_attempts({"lessons": practice}):
        kind = attempt.get("kind")
        if exercise_passed(attempt):
            passed.setdefault(lesson_id, set()).add(step)
        if kind == "experiment" or exercise_passed(attempt) or attempt.get("solution_shown"):
            done.setdefault(lesson_id, set()).add(step)
    out = []
    for lesson_id in sorted(per_lesson.keys() | done.keys()):
        answered, credit = per_lesson.get(lesson_id, (0, 0.0))
        out.append(
            LessonResult(
                lesson_id,
                int(answered),
                float(credit),
                frozenset(passed.get(lesson_id, ())),
                frozenset(done.get(lesson_id, ())),
            )
        )
    return tuple(out)


def set_answer_key(key: AnswerKey | None) -> None:
    global _VERIFIER
    _VERIFIER = Verifier(key)


def tally_files(paths: Sequence[str]) -> Tally:
    tally = Tally()
    # Documents hold no reference cycles: reference counting frees them, and the cyclic
    # collector would only walk the millions of objects decoding makes.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for path in paths:
            tally.add_file(path)
    finally:
        if was_enabled:
            gc.enable()
    return tally


def default_jobs(n_files: int) -> int:
    if n_files < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def tally_parallel(paths: list[str], jobs: int, key: AnswerKey | None) -> Tally:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context(
        "fork" if "fork" in methods and sys.platform != "darwin" else None
    )
    n_chunks = jobs * 4
    chunks = [paths[i::n_chunks] for i in range(n_chunks)]
    total = Tally()
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=set_answer_key, initargs=(key,)
    ) as pool:
        for part in pool.map(tally_files, [c for c in chunks if c]):
            total.merge(part)
    return total
