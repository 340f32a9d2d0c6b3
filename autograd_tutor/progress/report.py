"""The teacher's report: a summary of a folder of results files (one per learner).

:func:`build_report` reads every ``*.json`` file in a folder (hidden files, such as the
temporary files of a save in progress, are ignored) and aggregates:

- per learner: lessons, attempts, questions answered and score (latest attempt per question),
  how many attempts were verified by scoring the typed text again (:mod:`.rescore`), and notes:
  stored verdicts that disagree with the re-scored ones ("edited by hand?"), a file name that
  does not match the student inside, two files for one student;
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

Every file is written by a learner's machine, so none is trusted: a file that is not a usable
results document (binary, empty, truncated, too large, another format, a newer or older format
version, a malformed attempt), a symbolic link (never followed) or anything but a regular file
is listed with the reason and skipped; it never stops the report. Documents are decoded and
validated in one pass with the shared schema (:mod:`.records`), and large folders are split
over worker processes. Every string from a file is made printable (:mod:`~autograd_tutor.
safe_text`) before it is written: :func:`render` writes aligned text (with rich colour in a
terminal), :func:`write_csv` the per-question table.

No torch, no Textual, no network.
"""

from __future__ import annotations

import csv
import gc
import os
import re
import stat
import sys
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any, TextIO

from autograd_tutor.lessons.variants import stored_variant
from autograd_tutor.presentation import plural
from autograd_tutor.progress.paths import file_stem, legacy_stem, student_from_stem
from autograd_tutor.progress.practice_tally import ExerciseTally, PracticeCounter
from autograd_tutor.progress.records import Attempt, DocumentError, decode_document
from autograd_tutor.progress.rescore import AnswerKey, VariantKey, agrees, variant_key
from autograd_tutor.progress.variant_copies import (
    OtherVariantAnswer,
    Suspect,
    find_other_variant_answers,
)
from autograd_tutor.safe_text import printable

TOP_WRONG = 3  # wrong answers shown per question
LOWEST_LESSONS = 10  # lessons listed under "lowest scores"
PARALLEL_FROM = 200  # files; fewer are read in this process
CSV_WRONG_COLUMNS = TOP_WRONG
MAX_FILE_BYTES = 16 * 1024 * 1024  # a learner who took every lesson many times writes < 2 MB
WIDTH = 80  # columns when the output is not a terminal

_QKey = tuple[str, str, str]  # (lesson id, question id, expr)
_get_key = attrgetter("lesson_id", "question_id", "expr")
_get_verdict = attrgetter("verdict")
_get_credit = attrgetter("credit")
_get_sig = attrgetter("lesson_id", "question_id", "expr", "typed")
_get_label = attrgetter("diagnoses", "feedback")
_WRONGISH = frozenset(("wrong", "partial"))

# The answer key of the run, set in each worker process by the pool's initializer.
_ANSWER_KEY: AnswerKey | None = None


# -- the result --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileProblem:
    """A results file that was skipped, and why."""

    path: Path
    reason: str


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

    @property
    def percent(self) -> float:
        return 100.0 * self.credit / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class WrongAnswer:
    """A wrong (or partly right) answer given to a question, normalised, with how often."""

    text: str
    count: int
    codes: str  # misconception codes, comma-separated ("" when none)
    feedback: str  # the message the learners got for it

    @property
    def misconception(self) -> str:
        """Readable: ``"sign: You flipped the sign ..."``, the codes or the feedback alone."""
        if self.codes and self.feedback:
            return f"{self.codes}: {self.feedback}"
        return self.codes or self.feedback


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
    def percent(self) -> float:
        return 100.0 * self.credit / self.answered if self.answered else 0.0


@dataclass
class Report:
    directory: Path
    learners: list[LearnerTotals] = field(default_factory=list)
    questions: list[QuestionStats] = field(default_factory=list)
    lessons: list[LessonStats] = field(default_factory=list)  # lowest score first
    problems: list[FileProblem] = field(default_factory=list)
    checked: bool = False  # an answer key was given: attempts were re-scored
    other_variant: list[OtherVariantAnswer] = field(default_factory=list)
    practice: ExerciseTally = field(default_factory=lambda: PracticeCounter().tally())

    @property
    def attempts(self) -> int:
        return sum(learner.attempts for learner in self.learners)


# -- reading -------------------------------------------------------------------------------


def results_files(directory: Path) -> tuple[list[Path], list[FileProblem]]:
    """The results files in ``directory`` (``*.json``, not hidden, regular files, sorted by
    name), and the ``*.json`` entries that are skipped unread: symbolic links (never followed,
    so nothing outside the folder is read) and anything but a regular file."""
    files: list[str] = []
    problems: list[FileProblem] = []
    with os.scandir(directory) as entries:
        for e in entries:
            if not e.name.endswith(".json") or e.name.startswith("."):
                continue
            if e.is_symlink():
                problems.append(FileProblem(Path(e.path), "a symbolic link (not followed)"))
            elif not e.is_file(follow_symlinks=False):
                problems.append(FileProblem(Path(e.path), "not a regular file"))
            else:
                files.append(e.name)
    files.sort()
    return [Path(directory) / name for name in files], problems


def read_results_file(path: str) -> bytes:
    """The bytes of one results file, read without following a symbolic link and only when it
    is a regular file of at most :data:`MAX_FILE_BYTES`; ``DocumentError`` or ``OSError``
    otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise DocumentError(
                f"too large to be a results file ({info.st_size / 1e6:.0f} MB; "
                f"at most {MAX_FILE_BYTES // (1024 * 1024)} MB are read)"
            )
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # grew while being read
            raise DocumentError("too large to be a results file")
        return data
    finally:
        os.close(fd)


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


def _describe(attempt: Attempt, rescored: tuple[str, float]) -> str:
    typed = "(skipped)" if attempt.typed is None else attempt.typed
    if len(typed) > 40:
        typed = typed[:39] + "…"
    return (
        f"{attempt.lesson_id} {attempt.question_id}: {typed!r} stored as {attempt.verdict} "
        f"{float(attempt.credit):g}, scores {rescored[0]} {rescored[1]:g}"
    )


class _Tally:
    """Aggregates over some files; tallies from worker processes are merged into one.

    The per-attempt work runs in C where it can (``map`` with ``attrgetter``, ``dict(zip(...))``,
    ``Counter.update`` of an iterable): a class of thousands holds millions of attempts.
    """

    def __init__(self) -> None:
        # (student, path, lessons, attempts, answered, credit, verified, disagree, example)
        self.learners: list[tuple[str, str, int, int, int, float, int, int, str]] = []
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
        self._rescored: dict[tuple[Any, ...], tuple[str, float] | None] = {}
        self.practice = PracticeCounter()  # exercises and experiments
        # parameterised lessons: lesson id -> variant -> learners given it; wrong answers
        self.variants: dict[str, dict[VariantKey, set[str]]] = {}
        self.suspects: list[Suspect] = []

    def add_file(self, path: str) -> None:
        try:
            data = read_results_file(path)
            doc = decode_document(data)
        except DocumentError as exc:
            self.problems.append((path, str(exc)))
            return
        except OSError as exc:
            self.problems.append((path, f"cannot be read ({exc.strerror or exc})"))
            return
        student = doc.student.strip() or _student_of(Path(path))
        self._add_attempts(path, student, doc.lessons)
        self.practice.add_bytes(data)

    def _verdicts(
        self, attempts: list[Attempt], lesson_ids: Iterable[str], key: AnswerKey | None
    ) -> tuple[list[str], list[float], int, int, str]:
        """Each attempt's verdict and credit (re-scored where the key can), how many were
        verified, how many disagree with what was stored, and one disagreement described."""
        verdicts = list(map(_get_verdict, attempts))
        credits = list(map(_get_credit, attempts))
        if key is None or key.lesson_ids.isdisjoint(lesson_ids):
            return verdicts, credits, 0, 0, ""
        verified = disagree = 0
        example = ""
        cache = self._rescored
        for i, a in enumerate(attempts):
            memo: tuple[Any, ...] = (
                a.lesson_id,
                a.question_id,
                a.lesson_hash,
                a.typed,
                a.hints_used,
            )
            if a.variant:
                memo += tuple(a.variant.items())
            if memo in cache:
                rescored = cache[memo]
            else:
                rescored = cache[memo] = key.rescore(a)
            if rescored is None:
                continue
            verified += 1
            if not agrees(a, rescored):
                disagree += 1
                example = example or _describe(a, rescored)
            verdicts[i] = "wrong" if rescored[0] == "unparsable" else rescored[0]
            credits[i] = rescored[1]
        return verdicts, credits, verified, disagree, example

    def _add_attempts(self, path: str, student: str, lessons: dict[str, Any]) -> None:
        meta: dict[str, tuple[str, str]] = {}  # lesson id -> (hash, last attempt's timestamp)
        attempts: list[Attempt] = []
        for lesson_id, record in lessons.items():
            mine = record.attempts
            if not mine:
                continue
            last = mine[-1]
            meta[lesson_id] = (record.hash or last.lesson_hash, last.timestamp)
            attempts += mine
        verdicts, credits, verified, disagree, example = self._verdicts(
            attempts, lessons.keys(), _ANSWER_KEY
        )
        if _ANSWER_KEY is not None and _ANSWER_KEY.parameterised:
            self._note_variants(student, path, attempts, verdicts, _ANSWER_KEY)
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
            (
                student,
                path,
                len(per_lesson),
                len(attempts),
                len(latest),
                float(sum(latest.values())),
                verified,
                disagree,
                example,
            )
        )

    def _note_variants(
        self,
        student: str,
        path: str,
        attempts: list[Attempt],
        verdicts: list[str],
        key: AnswerKey,
    ) -> None:
        """Which variant of each parameterised lesson this learner was given, and their wrong
        answers there (each is checked against the other learners' variants at the end)."""
        for attempt, verdict in zip(attempts, verdicts, strict=True):
            lesson = key.parameterised.get(attempt.lesson_id)
            if lesson is None:
                continue
            own = variant_key(stored_variant(lesson, attempt.variant))
            self.variants.setdefault(attempt.lesson_id, {}).setdefault(own, set()).add(student)
            if verdict in _WRONGISH and attempt.typed is not None:
                self.suspects.append(Suspect(student, path, attempt, own))

    def merge(self, other: _Tally) -> None:
        self.learners.extend(other.learners)
        self.suspects.extend(other.suspects)
        for lesson_id, given in other.variants.items():
            mine_v = self.variants.setdefault(lesson_id, {})
            for variant, names in given.items():
                mine_v.setdefault(variant, set()).update(names)
        self.practice.merge(other.practice)
        self.problems.extend(other.problems)
        self.answered.update(other.answered)
        self.first_right.update(other.first_right)
        self.attempts.update(other.attempts)
        self.wrong.update(other.wrong)
        self.wrong_label.update(other.wrong_label)
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

    def __getstate__(self) -> dict[str, Any]:  # the re-scoring cache stays in its process
        state = dict(self.__dict__)
        state["_rescored"] = {}
        return state


def _student_of(path: Path) -> str:
    try:
        return student_from_stem(path.stem)
    except UnicodeDecodeError:
        return path.stem


def _set_answer_key(key: AnswerKey | None) -> None:
    global _ANSWER_KEY
    _ANSWER_KEY = key


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
    if key is not None and tally.suspects:
        _flag_other_variants(
            report, find_other_variant_answers(tally.suspects, tally.variants, key)
        )
    report.practice = tally.practice.tally()
    return report


def _flag_other_variants(report: Report, found: list[OtherVariantAnswer]) -> None:
    """Put the answers that are another variant's value into the report: the list, a note on
    each learner, and a count on each question."""
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
    student in several files."""
    by_student: dict[str, list[LearnerTotals]] = {}
    for t in rows:
        by_student.setdefault(t.student, []).append(t)
    out = []
    for t in rows:
        notes: list[str] = []
        if t.disagree:
            notes.append(
                f"edited by hand? {plural(t.disagree, 'stored verdict')} "
                f"disagree{'s' if t.disagree == 1 else ''} with scoring what was typed "
                f"({t.example})"
            )
        if t.path.stem not in (file_stem(t.student), legacy_stem(t.student)):
            notes.append(
                f"file name {t.path.name} does not match the student inside "
                f"(expected {file_stem(t.student)}.json)"
            )
        others = [o.path.name for o in by_student[t.student] if o is not t]
        if others:
            notes.append(f"the same student is also in {', '.join(others)}")
        out.append(
            LearnerTotals(
                t.student,
                t.path,
                t.lessons,
                t.attempts,
                t.answered,
                t.credit,
                t.verified,
                t.disagree,
                t.example,
                tuple(notes),
            )
        )
    return out


def _finish(directory: Path, tally: _Tally) -> Report:
    report = Report(directory)
    report.problems = sorted(
        (FileProblem(Path(p), reason) for p, reason in tally.problems), key=lambda f: f.path
    )
    report.learners = _learner_notes(
        sorted(
            (
                LearnerTotals(s, Path(p), ls, at, an, cr, ve, di, ex)
                for s, p, ls, at, an, cr, ve, di, ex in tally.learners
            ),
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
            codes = ", ".join(map(str, diagnoses))
            wrong.append(WrongAnswer(text, count, codes, str(feedback)))
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
    report.lessons.sort(key=lambda s: (s.percent, s.lesson_id))
    return report


# -- writing -------------------------------------------------------------------------------
#
# One layout for a terminal and a pipe, readable at 80 columns: aligned tables whose cells are
# never cut (a name is shown whole), and one line per wrong answer, shortened to the width.
# Every string that came from a file goes through printable() first.

Line = tuple[str, str]  # (text, rich style; "" for none)


def _pct(x: float) -> str:
    return f"{x:.0f}%"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            if len(cell) > widths[i]:
                widths[i] = len(cell)

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in rows)
    return out


def _fitted_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: set[int],
    lead: int,
    width: int,
) -> list[list[str]]:
    """A table as [header line], [rule line], then each row's lines. A row whose first
    ``lead`` cells (the names) would make it wider than ``width`` shows them on a line of their
    own, above the row's numbers: nothing is cut and no row wraps."""
    numbers = _table(headers[lead:], [r[lead:] for r in rows], set())[1]
    room = max(sum(len(h) + 2 for h in headers[:lead]), width - len(numbers))
    too_long = [len("  ".join(r[:lead])) + 2 > room for r in rows]
    cells = [
        [""] * lead + list(r[lead:]) if long else list(r)
        for r, long in zip(rows, too_long, strict=True)
    ]
    lines = _table(headers, cells, right)
    out = [[lines[0]], [lines[1]]]
    for row, long, line in zip(rows, too_long, lines[2:], strict=True):
        out.append(["  ".join(row[:lead]), line] if long else [line])
    return out


LEARNER_HEADERS = ("Learner", "Lessons", "Answered", "Tries", "Score", "Verified")
QUESTION_HEADERS = ("Lesson", "Question", "Expression", "Learners", "Right 1st try", "Tries")
LESSON_HEADERS = ("Lesson", "Learners", "Answered", "Mean score", "Older version")


def _learner_row(t: LearnerTotals, checked: bool) -> list[str]:
    verified = f"{t.verified}/{t.attempts}" if checked else "-"
    return [
        printable(t.student),
        str(t.lessons),
        str(t.answered),
        str(t.attempts),
        _pct(t.percent),
        verified,
    ]


def _question_row(q: QuestionStats) -> list[str]:
    return [
        printable(q.lesson_id),
        printable(q.question_id),
        printable(q.expr),
        str(q.learners),
        f"{_pct(100 * q.first_right_share)} ({q.first_right})",
        f"{q.attempts / q.learners:.1f}" if q.learners else "-",
    ]


def _wrong_line(w: WrongAnswer, width: int) -> str:
    meaning = printable(w.misconception) if w.misconception else "(no diagnosis)"
    return "    " + _clip(f"x{w.count}  {_clip(printable(w.text), 30)}  -> {meaning}", width - 4)


def _wrapped(text: str, width: int, style: str = "", indent: str = "") -> list[Line]:
    """A paragraph wrapped (never cut) to ``width``; continuation lines indented two more."""
    lines = textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [(line, style) for line in lines or [""]]


def _lesson_row(s: LessonStats) -> list[str]:
    return [
        printable(s.lesson_id),
        str(s.learners),
        str(s.answered),
        _pct(s.percent),
        str(s.older_version) if s.older_version else "",
    ]


def _share_style(share: float) -> str:
    return "red" if share < 0.5 else ("yellow" if share < 0.8 else "green")


def report_lines(report: Report, width: int = WIDTH) -> list[Line]:
    """The report as lines of text (each with a rich style for a terminal)."""
    out: list[Line] = []
    skipped = f"; {plural(len(report.problems), 'file')} skipped" if report.problems else ""
    out += _wrapped(
        f"Results in {printable(report.directory)}: "
        f"{plural(len(report.learners), 'learner')}, {plural(report.attempts, 'attempt')}, "
        f"{plural(len(report.questions), 'question')}{skipped}",
        width,
        "bold",
    )
    if report.checked:
        verified = sum(t.verified for t in report.learners)
        out += _wrapped(
            f"Verified: {verified} of {plural(report.attempts, 'attempt')} scored again from "
            "what was typed, against the lessons' expected values. The others (no expected "
            "value known, or given to another version of a lesson) count as stored.",
            width,
        )
    out.append(("", ""))
    out.append(("Learners", "bold"))
    rows = [_learner_row(t, report.checked) for t in report.learners]
    table = _fitted_table(LEARNER_HEADERS, rows, {1, 2, 3, 4, 5}, 1, width)
    out += [(lines[0], "") for lines in table[:2]]
    for t, lines in zip(report.learners, table[2:], strict=True):
        out += [(line, "") for line in lines]
        for note in t.notes:
            out += _wrapped(f"! {printable(note)}", width, "yellow", "    ")
    out.append(("", ""))
    out.append(("Questions (the most common wrong answers below each)", "bold"))
    rows = [_question_row(q) for q in report.questions]
    table = _fitted_table(QUESTION_HEADERS, rows, {3, 4, 5}, 3, width)
    out += [(lines[0], "") for lines in table[:2]]
    for q, lines in zip(report.questions, table[2:], strict=True):
        out += [(line, _share_style(q.first_right_share)) for line in lines]
        out += [(_wrong_line(w, width), "") for w in q.wrong]
    out.append(("", ""))
    out.append((f"Lessons with the lowest scores (lowest {LOWEST_LESSONS})", "bold"))
    lowest = [_lesson_row(s) for s in report.lessons[:LOWEST_LESSONS]]
    out += [(line, "") for line in _table(LESSON_HEADERS, lowest, {1, 2, 3, 4})]
    if report.other_variant:
        out.append(("", ""))
        out.append(("Answers that are the value of another variant (copied?)", "bold"))
        for f in report.other_variant:
            out += _wrapped(f"{printable(f.student)}: {printable(f.describe())}", width, "", "  ")
    older = sorted((s for s in report.lessons if s.older_version), key=lambda s: s.lesson_id)
    if older:
        out.append(("", ""))
        out.append(("Answers given to an older version of a lesson (still counted above)", "bold"))
        for s in older:
            names = ", ".join(printable(n) for n in s.older_examples)
            more = ", ..." if s.older_version > len(s.older_examples) else ""
            who = plural(s.older_version, "learner")
            out += _wrapped(f"{printable(s.lesson_id)}: {who} ({names}{more})", width, "", "  ")
    if report.problems:
        out.append(("", ""))
        out.append((f"Skipped files ({len(report.problems)})", "bold"))
        for p in report.problems:
            out += _wrapped(f"{printable(p.path.name)}: {printable(p.reason)}", width, "", "  ")
    return out


def render(report: Report, out: TextIO, *, color: bool = False, width: int | None = None) -> None:
    """Write the report: plain aligned text, or with rich colour (``color``) for a terminal.
    No byte below 0x20 but newline reaches ``out`` from the results files."""
    if not color:
        for text, _style in report_lines(report, width or WIDTH):
            out.write(text + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, markup=False, emoji=False, force_terminal=True)
    for text, style in report_lines(report, width or console.width):
        console.print(Text(text, style=style), soft_wrap=True)


CSV_HEADERS = [
    "lesson_id",
    "question_id",
    "expr",
    "learners",
    "right_first_try",
    "right_first_try_share",
    "attempts",
    "wrong_attempts",
    "other_variant_answers",
] + [
    f"wrong_{i}{suffix}"
    for i in range(1, CSV_WRONG_COLUMNS + 1)
    for suffix in ("", "_count", "_misconception")
]


def write_csv(report: Report, out: TextIO) -> None:
    """The per-question table as CSV (header row first; text made printable)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for q in report.questions:
        row: list[Any] = [
            printable(q.lesson_id),
            printable(q.question_id),
            printable(q.expr),
            q.learners,
            q.first_right,
            f"{q.first_right_share:.4f}",
            q.attempts,
            q.wrong_total,
            q.other_variant,
        ]
        for i in range(CSV_WRONG_COLUMNS):
            if i < len(q.wrong):
                w = q.wrong[i]
                row += [printable(w.text), w.count, printable(w.misconception)]
            else:
                row += ["", "", ""]
        writer.writerow(row)
