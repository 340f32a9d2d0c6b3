"""The teacher's report, aggregated: a folder of results files (one per learner) summed up.

:func:`build_report` verifies every results file in a folder with :mod:`.read` (hidden files,
such as the temporary files of a save in progress, are ignored) and aggregates:

- per learner: lessons, attempts, questions answered and score (latest attempt per question),
  how many attempts were verified by scoring the typed text again (:mod:`..rescore`), and
  notes: stored verdicts that disagree with the re-scored ones ("edited by hand?"), answers
  scored against torch because the lesson's ``expect`` disagrees with torch (the lesson's
  fault: "run check", never the learner's), a file name that does not match the student
  inside, two files for one student;
- per question (lesson id + question id + expression): how many learners answered it, the
  share right on the first try (a question's first attempt is its first try), and the most
  common wrong answers (typed text normalised by whitespace) with the misconception each maps
  to (the attempt's ``diagnoses``/``feedback``);
- per lesson: the mean score, lowest first, and how many learners answered an older version
  of the lesson (their lesson hash is not the one of the most recent attempt in the class);
- in a parameterised lesson every attempt is re-scored against its own variant, and an answer
  that is wrong for the learner's numbers but right for another learner's variant in the folder
  is flagged ("the value of another variant": :mod:`.variant_copies`), per learner, per
  question and in the CSV.

A file that is not a usable results document is listed with the reason and skipped; it never
stops the report. Large folders are split over worker processes. Plain data out: :mod:`.render`
writes it. No torch, no Textual, no network.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any

from autograd_tutor.presentation import misconception_names, plural
from autograd_tutor.progress.paths import file_stem, legacy_stem
from autograd_tutor.progress.practice_tally import (
    ExerciseTally,
    PracticeCounter,
    exercise_passed,
    iter_practice_attempts,
)
from autograd_tutor.progress.report.read import (
    ExerciseClaim,
    FileProblem,
    UnusableResultsFile,
    VerifiedResults,
    Verifier,
    results_files,
)
from autograd_tutor.progress.report.variant_copies import (
    OtherVariantAnswer,
    VariantLedger,
    find_other_variant_answers,
)
from autograd_tutor.progress.rescore import MISMATCH_WORDS, AnswerKey, LessonShape
from autograd_tutor.safe_text import name_skeleton, visible_name

TOP_WRONG = 3  # wrong answers shown per question
PARALLEL_FROM = 200  # files; fewer are read in this process

UNCOUNTED_WORDS: dict[str, str] = {
    **MISMATCH_WORDS,
    "practice": "exercise or experiment attempts for steps these lessons do not have",
    "no code": "exercise passes with no saved code",
}

_QKey = tuple[str, str, str]  # (lesson id, question id, expr)
DISPUTED_WORDS = "the lesson's expect disagrees with torch: run check"
_get_key = attrgetter("lesson_id", "question_id", "expr")
_get_sig = attrgetter("lesson_id", "question_id", "expr", "typed")
_get_label = attrgetter("diagnoses", "feedback")
_WRONGISH = frozenset(("wrong", "partial"))

# The verifier of the run, set in each worker process by the pool's initializer.
_VERIFIER = Verifier(None)


# -- the result --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonResult:
    """One learner's standing on one lesson (counted attempts and practice only)."""

    lesson_id: str
    answered: int  # questions answered
    credit: float  # sum of their latest credit
    exercises_passed: frozenset[int] = frozenset()  # exercise steps passed (as stored)
    practice_done: frozenset[int] = (
        frozenset()
    )  # exercises passed or solution shown, experiments run


@dataclass(frozen=True)
class LearnerTotals:
    """One results file (one learner)."""

    student: str
    path: Path
    lessons: int
    attempts: int
    answered: int  # questions with at least one attempt
    credit: float  # sum of each question's latest credit (re-scored where verified)
    verified: int = 0  # attempts scored again from what was typed
    disagree: int = 0  # of those, how many stored another verdict or credit
    example: str = ""  # one disagreeing attempt, described
    notes: tuple[str, ...] = ()
    uncounted: tuple[tuple[str, int], ...] = ()  # (reason, attempts) left out, never counted
    unknown_lessons: int = 0  # lesson ids in the file that the teacher's lessons do not include
    lesson_results: tuple[LessonResult, ...] = ()  # per lesson tried, for the gradebook
    exercises: tuple[ExerciseClaim, ...] = ()  # saved exercise attempts (for --rerun)
    # attempts scored against torch because the lesson's expect disagrees with torch, and
    # the questions they were given to ("lesson-id 2.1")
    expect_disputed: int = 0
    expect_disputed_questions: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        """The score as a fraction (0..1) of the questions answered."""
        return self.credit / self.answered if self.answered else 0.0

    @property
    def percent(self) -> float:
        return 100.0 * self.share


@dataclass(frozen=True)
class WrongAnswer:
    """A wrong (or partly right) answer given to a question, normalised, with how often."""

    text: str
    count: int
    names: str  # the misconceptions in words, comma-separated ("" when none is known)
    feedback: str  # the message the learners got for it

    @property
    def misconception(self) -> str:
        """In words: ``"sign flipped: The sign is flipped ..."``, the names or the feedback
        alone; never the scorer's internal codes."""
        if self.names and self.feedback:
            return f"{self.names}: {self.feedback}"
        return self.names or self.feedback


@dataclass(frozen=True)
class QuestionStats:
    lesson_id: str
    question_id: str
    expr: str
    learners: int  # learners who answered it
    first_right: int  # learners right on their first try (their first attempt)
    attempts: int
    wrong: tuple[WrongAnswer, ...]  # most common first, at most TOP_WRONG
    wrong_total: int  # wrong or partial attempts in all
    other_variant: int = 0  # learners who answered with the value of another variant
    expect_disputed: int = 0  # attempts scored against torch: the lesson's expect disagrees

    @property
    def first_right_share(self) -> float:
        return self.first_right / self.learners if self.learners else 0.0


@dataclass(frozen=True)
class LessonStats:
    lesson_id: str
    learners: int
    answered: int  # (learner, question) pairs answered
    credit: float
    older_version: int  # learners whose answers were given to an older version of the lesson
    older_examples: tuple[str, ...]  # a few of their names

    @property
    def share(self) -> float:
        """The score as a fraction (0..1) of the questions answered."""
        return self.credit / self.answered if self.answered else 0.0

    @property
    def percent(self) -> float:
        return 100.0 * self.share


@dataclass
class Report:
    directory: Path
    learners: list[LearnerTotals] = field(default_factory=list)
    questions: list[QuestionStats] = field(default_factory=list)
    lessons: list[LessonStats] = field(default_factory=list)  # lowest score first
    problems: list[FileProblem] = field(default_factory=list)
    checked: bool = False  # an answer key was given: attempts were re-scored
    shapes: dict[str, LessonShape] = field(default_factory=dict)  # the teacher's lessons
    other_variant: list[OtherVariantAnswer] = field(default_factory=list)  # copied?
    practice: ExerciseTally = field(default_factory=lambda: PracticeCounter().tally())

    @property
    def attempts(self) -> int:
        return sum(learner.attempts for learner in self.learners)


# -- aggregating ------------------------------------------------------------------------


_SPACE_AROUND_COMMA = re.compile(r"\s*,\s*")
_SPACE_AFTER_OPEN = re.compile(r"([\[(])\s+")
_SPACE_BEFORE_CLOSE = re.compile(r"\s+([\])])")


def normalize_answer(text: str) -> str:
    """``text`` with whitespace normalised, so that ``[1,2]``, ``[ 1, 2 ]`` and ``[1,  2]``
    count as one answer: runs of whitespace become one space, a comma is followed by one space,
    no space inside brackets or at either end."""
    text = " ".join(text.split())
    text = _SPACE_AROUND_COMMA.sub(", ", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    return _SPACE_BEFORE_CLOSE.sub(r"\1", text).strip()


class _Tally:
    """Aggregates over some files; tallies from worker processes are merged into one.

    The per-attempt work runs in C where it can (``map`` with ``attrgetter``, ``dict(zip(...))``,
    ``Counter.update`` of an iterable): a class of thousands holds millions of attempts.
    """

    def __init__(self) -> None:
        # (student, path, lessons, attempts, answered, credit, verified, disagree, example)
        self.learners: list[LearnerTotals] = []
        self.problems: list[tuple[str, str]] = []
        # question key -> learners who answered it / right on the first try / attempts
        self.answered: Counter[_QKey] = Counter()
        self.first_right: Counter[_QKey] = Counter()
        self.attempts: Counter[_QKey] = Counter()
        # (lesson id, question id, expr, typed) -> count, and its (diagnoses, feedback)
        self.wrong: Counter[tuple[str, str, str, Any]] = Counter()
        self.wrong_label: dict[tuple[str, str, str, Any], tuple[Any, Any]] = {}
        # lesson id -> [learners, answered, credit]
        self.lessons: dict[str, list[float]] = {}
        # lesson id -> hash -> [learners, latest attempt's timestamp, a few names]
        self.hashes: dict[str, dict[str, list[Any]]] = {}
        self.practice = PracticeCounter()  # exercises and experiments
        self.expect_disputed: Counter[_QKey] = Counter()  # the lesson's expect disagrees
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

    def merge(self, other: _Tally) -> None:
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


def _set_answer_key(key: AnswerKey | None) -> None:
    global _VERIFIER
    _VERIFIER = Verifier(key)


def _tally_files(paths: Sequence[str]) -> _Tally:
    tally = _Tally()
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


def _natural_key(text: str) -> tuple[Any, ...]:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _default_jobs(n_files: int) -> int:
    if n_files < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _tally_parallel(paths: list[str], jobs: int, key: AnswerKey | None) -> _Tally:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context(
        "fork" if "fork" in methods and sys.platform != "darwin" else None
    )
    n_chunks = jobs * 4
    chunks = [paths[i::n_chunks] for i in range(n_chunks)]
    total = _Tally()
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_set_answer_key, initargs=(key,)
    ) as pool:
        for part in pool.map(_tally_files, [c for c in chunks if c]):
            total.merge(part)
    return total


def build_report(
    directory: Path | str, *, jobs: int | None = None, key: AnswerKey | None = None
) -> Report:
    """Read every results file in ``directory`` and summarise them.

    ``key`` re-scores the attempts it knows (:mod:`.rescore`). ``jobs`` is the number of worker
    processes (None: one per CPU, up to 8, for folders of at least ``PARALLEL_FROM`` files).
    Raises ``OSError`` only when the folder cannot be listed.
    """
    directory = Path(directory)
    files, skipped = results_files(directory)
    paths = [str(p) for p in files]
    jobs = _default_jobs(len(paths)) if jobs is None else max(1, jobs)
    tally: _Tally | None = None
    if jobs > 1 and len(paths) > 1:
        try:
            tally = _tally_parallel(paths, jobs, key)
        except (OSError, ImportError, RuntimeError):  # no process pools here: one process
            tally = None
    if tally is None:
        _set_answer_key(key)
        try:
            tally = _tally_files(paths)
        finally:
            _set_answer_key(None)
    tally.problems.extend((str(p.path), p.reason) for p in skipped)
    report = _finish(directory, tally)
    report.checked = key is not None
    report.shapes = dict(key.shapes) if key is not None else {}
    if key is not None and tally.variants.suspects:
        _flag_other_variants(report, find_other_variant_answers(tally.variants, key))
    report.practice = tally.practice.tally()
    return report


def _flag_other_variants(report: Report, found: list[OtherVariantAnswer]) -> None:
    """Put the answers that are another variant's value into the report: the list, a note on
    each learner, and a count of learners on each question."""
    report.other_variant = found
    by_learner: dict[tuple[str, Path], list[OtherVariantAnswer]] = {}
    by_question: dict[_QKey, set[str]] = {}
    for f in found:
        by_learner.setdefault((f.student, f.path), []).append(f)
        by_question.setdefault((f.lesson_id, f.question_id, f.expr), set()).add(f.student)
    for i, t in enumerate(report.learners):
        mine = by_learner.get((t.student, t.path))
        if mine:
            note = (
                f"{plural(len(mine), 'answer')} with the value of another variant: "
                f"{mine[0].describe()}"
            )
            report.learners[i] = replace(t, notes=(*t.notes, note))
    for i, q in enumerate(report.questions):
        names = by_question.get((q.lesson_id, q.question_id, q.expr))
        if names:
            report.questions[i] = replace(q, other_variant=len(names))


def _learner_notes(rows: list[LearnerTotals]) -> list[LearnerTotals]:
    """Each learner's notes: edited by hand?, a file name that does not match the student, one
    student in several files, a name that looks like another learner's."""
    by_student: dict[str, list[LearnerTotals]] = {}
    by_look: dict[str, list[LearnerTotals]] = {}
    for t in rows:
        by_student.setdefault(t.student, []).append(t)
        by_look.setdefault(name_skeleton(t.student), []).append(t)
    out = []
    for t in rows:
        notes: list[str] = []
        if t.disagree:
            notes.append(
                f"edited by hand? {plural(t.disagree, 'stored verdict')} "
                f"disagree{'s' if t.disagree == 1 else ''} with scoring what was typed "
                f"({t.example})"
            )
        if t.expect_disputed:
            notes.append(
                f"{plural(t.expect_disputed, 'answer')} scored against torch: "
                f"{DISPUTED_WORDS} ({', '.join(t.expect_disputed_questions)})"
            )
        if t.path.stem not in (file_stem(t.student), legacy_stem(t.student)):
            notes.append(
                f"file name {t.path.name} does not match the student inside "
                f"(expected {file_stem(t.student)}.json)"
            )
        others = [o.path.name for o in by_student[t.student] if o is not t]
        if others:
            notes.append(f"the same student is also in {', '.join(others)}")
        alike = [
            f"{visible_name(o.student)} ({o.path.name})"
            for o in by_look[name_skeleton(t.student)]
            if o.student != t.student
        ]
        if alike:
            notes.append(f"the name looks like {', '.join(alike)}: two learners, or one twice?")
        if t.uncounted:
            notes.append(_uncounted_note(t))
        out.append(replace(t, notes=tuple(notes)))
    return out


def _uncounted_note(t: LearnerTotals) -> str:
    """One line for every attempt of a learner's that was left out, whatever its number."""
    total = sum(n for _reason, n in t.uncounted)
    parts = []
    for reason, n in t.uncounted:
        words = UNCOUNTED_WORDS.get(reason, reason)
        if reason == "lesson" and t.unknown_lessons:
            words += f" ({plural(t.unknown_lessons, 'lesson id')})"
        parts.append(f"{n} {words}")
    return f"not counted: {plural(total, 'attempt')} ({'; '.join(parts)})"


def _finish(directory: Path, tally: _Tally) -> Report:
    report = Report(directory)
    report.problems = sorted(
        (FileProblem(Path(p), reason) for p, reason in tally.problems), key=lambda f: f.path
    )
    report.learners = _learner_notes(
        sorted(
            tally.learners,
            key=lambda t: (t.student.casefold(), str(t.path)),
        )
    )
    # wrong answers: raw typed text -> normalised, grouped per question
    grouped: dict[_QKey, dict[str, list[Any]]] = {}
    norm_cache: dict[str, str] = {}
    for sig, count in tally.wrong.items():
        lesson_id, question_id, expr, typed = sig
        if not isinstance(typed, str):
            continue  # a skip recorded with a wrong verdict: nothing was typed
        norm = norm_cache.get(typed)
        if norm is None:
            norm = norm_cache[typed] = normalize_answer(typed)
        answers = grouped.setdefault((lesson_id, question_id, expr), {})
        slot = answers.get(norm)
        if slot is None:
            answers[norm] = [count, count, sig]  # total, count of the commonest spelling, it
        else:
            slot[0] += count
            if count > slot[1]:
                slot[1], slot[2] = count, sig
    for key, n in tally.answered.items():
        lesson_id, question_id, expr = key
        answers = grouped.get(key, {})
        ranked = sorted(answers.items(), key=lambda item: (-item[1][0], item[0]))
        wrong = []
        for text, (count, _most, sig) in ranked[:TOP_WRONG]:
            diagnoses, feedback = tally.wrong_label.get(sig, ((), ""))
            names = misconception_names([str(code) for code in diagnoses])
            wrong.append(WrongAnswer(text, count, names, str(feedback)))
        report.questions.append(
            QuestionStats(
                lesson_id,
                question_id,
                expr,
                n,
                tally.first_right.get(key, 0),
                tally.attempts.get(key, 0),
                tuple(wrong),
                sum(total for total, _most, _sig in answers.values()),
                expect_disputed=tally.expect_disputed.get(key, 0),
            )
        )
    report.questions.sort(
        key=lambda q: (q.lesson_id, _natural_key(q.question_id), q.expr),
    )
    for lesson_id, (n_learners, n_answered, credit) in tally.lessons.items():
        by_hash = tally.hashes.get(lesson_id, {})
        older: int = 0
        examples: list[str] = []
        if len(by_hash) > 1:
            current = max(by_hash.items(), key=lambda item: (item[1][1], item[1][0]))[0]
            for h, (count, _updated, names) in by_hash.items():
                if h != current:
                    older += int(count)
                    examples.extend(names)
        report.lessons.append(
            LessonStats(
                lesson_id,
                int(n_learners),
                int(n_answered),
                credit,
                older,
                tuple(sorted(examples)[:5]),
            )
        )
    report.lessons.sort(key=lambda s: (s.share, s.lesson_id))
    return report
