"""Read and verify one results file: the one place that turns a learner's file into facts.

A results file is written by a learner's machine, so nothing in it is trusted. Reading never
follows a symbolic link, reads only regular files of at most :data:`MAX_FILE_BYTES`, and
decodes and validates the document in one pass with the shared schema (:mod:`..records`).
Verifying checks every attempt against the teacher's lessons (:mod:`..rescore`): an attempt
for a lesson they do not include, another version of a lesson, a question id they do not have
or another expression is left out and only counted by reason. The others are scored again from
the typed text where the answer key can: each gets the verdict and credit the app gives it now,
and attempts whose stored verdict disagrees are counted ("edited by hand?"). An attempt the app
recorded as scored against torch because the lesson's ``expect`` disagrees with torch (and the
key's ``expect`` indeed differs from the torch value stored) is the lesson's fault: its stored
verdict stands unverified, counted apart (``expect_disputed``), never as edited by hand.

The public entry points are :func:`verify_results_file` (one file, for ``report`` and the live
lab view) and :class:`Verifier` (many files with one answer key, sharing a re-scoring cache).
:func:`results_files` lists a folder's results files. No torch, no Textual, no printing.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from autograd_tutor.progress.paths import student_from_stem
from autograd_tutor.progress.practice_tally import (
    PRACTICE_KEY,
    decode_practice,
    exercise_passed,
    iter_practice_attempts,
)
from autograd_tutor.progress.records import (
    Attempt,
    DocumentError,
    ProgressDocument,
    decode_document,
)
from autograd_tutor.progress.rescore import AnswerKey, agrees

MAX_FILE_BYTES = 16 * 1024 * 1024  # a learner who took every lesson many times writes < 2 MB

_get_verdict = attrgetter("verdict")
_get_credit = attrgetter("credit")


class UnusableResultsFile(Exception):
    """A results file that cannot be used; ``reason`` says why in words for the teacher."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FileProblem:
    """A results file that was skipped, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class VerifiedResults:
    """One results file, read and verified.

    ``attempts`` holds every current attempt, lesson by lesson in file order, and
    ``verdicts``/``credits`` each attempt's verdict and credit: as scored again from what was
    typed where the answer key knows the question and lesson version, as stored otherwise.
    """

    path: Path
    student: str  # the student inside, else the one the file name gives
    document: ProgressDocument
    data: bytes  # the file's bytes (the practice records are decoded from them on demand)
    attempts: list[Attempt]
    verdicts: list[str]
    credits: list[float]
    lesson_meta: dict[str, tuple[str, str]]  # lesson id -> (hash, last attempt's timestamp)
    verified: int = 0  # attempts scored again from what was typed
    disagree: int = 0  # of those, how many stored another verdict or credit
    example: str = ""  # one disagreeing attempt, described
    # attempts left out because they do not belong to the teacher's lessons, by reason
    # (rescore.Mismatch: "lesson", "version", "question", "expression"); never counted
    uncounted: dict[str, int] = field(default_factory=dict)
    unknown_lessons: int = 0  # lesson ids the teacher's lessons do not include
    # the exercise and experiment attempts that belong to the teacher's lessons, as
    # {lesson id: {"practice": {step: {"attempts": [...]}}}}
    practice: dict[str, Any] = field(default_factory=dict)
    exercises: list[ExerciseClaim] = field(default_factory=list)
    # the indexes in ``attempts`` of those whose stored verdict or credit is not what scoring
    # the typed text gives (``disagree`` of them): the live lab view leaves them out
    disputed: frozenset[int] = frozenset()
    # (lesson id, question id, expr) of each attempt whose lesson's expect disagrees with torch
    # (scored against torch, left unverified: the lesson's fault, see ``check``)
    expect_disputed: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ExerciseClaim:
    """One saved exercise attempt that belongs to the teacher's lessons (its code can be run
    again: ``report --rerun``)."""

    lesson_id: str
    step: int
    lesson_hash: str
    code: str
    passed: bool  # what the learner's machine stored (every check passed, no solution shown)
    timestamp: str = ""


def practice_claims(
    practice_lessons: Mapping[str, Any], key: AnswerKey | None
) -> tuple[dict[str, Any], list[ExerciseClaim], Counter[str]]:
    """The practice records of a file checked against the teacher's lessons: the attempts
    that belong to them (an exercise attempt at an exercise step, an experiment run at an
    experiment step, of that version of the lesson), the exercise attempts among them, and
    what was left out by reason (``practice``: a step the lessons do not have; ``no code``: a
    pass with no saved code, never counted)."""
    kept: dict[str, Any] = {}
    claims: list[ExerciseClaim] = []
    left_out: Counter[str] = Counter()
    for lesson_id, step, attempt in iter_practice_attempts({"lessons": practice_lessons}):
        kind = attempt.get("kind")
        lesson_hash = str(attempt.get("lesson_hash") or "")
        if key is not None:
            shape = key.shapes.get(lesson_id)
            steps = (
                shape.exercises
                if kind == "exercise" and shape is not None
                else shape.experiments
                if kind == "experiment" and shape is not None
                else frozenset()
            )
            if shape is None or step not in steps or lesson_hash != shape.lesson_hash:
                left_out["practice"] += 1
                continue
        code = attempt.get("code")
        code = code if isinstance(code, str) else ""
        passed = exercise_passed(attempt)
        if passed and not code.strip():
            left_out["no code"] += 1
            continue
        entry = kept.setdefault(lesson_id, {PRACTICE_KEY: {}})[PRACTICE_KEY]
        entry.setdefault(str(step), {"attempts": []})["attempts"].append(attempt)
        if kind == "exercise":
            timestamp = attempt.get("timestamp")
            claims.append(
                ExerciseClaim(
                    lesson_id,
                    step,
                    lesson_hash,
                    code,
                    passed,
                    timestamp if isinstance(timestamp, str) else "",
                )
            )
    return kept, claims, left_out


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


def read_results_file(path: str | Path) -> bytes:
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


def student_of(path: Path) -> str:
    """The student a results file's name stands for (the stem itself when it is no name)."""
    try:
        return student_from_stem(path.stem)
    except UnicodeDecodeError:
        return path.stem


def describe_disagreement(attempt: Attempt, rescored: tuple[str, float]) -> str:
    """One attempt whose stored verdict is not what scoring its typed text gives, in words."""
    typed = "(skipped)" if attempt.typed is None else attempt.typed
    if len(typed) > 40:
        typed = typed[:39] + "…"
    return (
        f"{attempt.lesson_id} {attempt.question_id}: {typed!r} stored as {attempt.verdict} "
        f"{float(attempt.credit):g}, scores {rescored[0]} {rescored[1]:g}"
    )


class Verifier:
    """Reads and verifies results files against one answer key (None: nothing re-scored).

    Re-scoring is cached per (question, lesson version, typed text, hints): a class types the
    same few answers, so most attempts cost a dictionary look-up.
    """

    def __init__(self, key: AnswerKey | None = None) -> None:
        self.key = key
        self._rescored: dict[tuple[object, ...], tuple[str, float] | None] = {}

    def read(self, path: str | Path) -> VerifiedResults:
        """Read and verify one file; :class:`UnusableResultsFile` when it cannot be used."""
        try:
            data = read_results_file(path)
            doc = decode_document(data)
        except DocumentError as exc:
            raise UnusableResultsFile(str(exc)) from None
        except OSError as exc:
            raise UnusableResultsFile(f"cannot be read ({exc.strerror or exc})") from None
        return self.verify(Path(path), doc, data)

    def verify(self, path: Path, doc: ProgressDocument, data: bytes = b"") -> VerifiedResults:
        """Verify a decoded document (``data``: the bytes it was decoded from)."""
        student = doc.student.strip() or student_of(path)
        meta: dict[str, tuple[str, str]] = {}
        attempts: list[Attempt] = []
        uncounted: Counter[str] = Counter()
        unknown_lessons = 0
        shapes = self.key.shapes if self.key is not None else None
        for lesson_id, record in doc.lessons.items():
            mine = record.attempts
            if not mine:
                continue
            if shapes is not None:
                shape = shapes.get(lesson_id)
                if shape is None:
                    uncounted["lesson"] += len(mine)
                    unknown_lessons += 1
                    continue
                kept = []
                for a in mine:
                    reason = shape.mismatch(a.lesson_hash, a.question_id, a.expr)
                    if reason is None:
                        kept.append(a)
                    else:
                        uncounted[reason] += 1
                if not kept:
                    continue
                mine = kept
            last = mine[-1]
            meta[lesson_id] = (record.hash or last.lesson_hash, last.timestamp)
            attempts += mine
        expect_disputed: list[tuple[str, str, str]] = []
        verdicts, credits, verified, disputed, example = self._verdicts(
            attempts, doc.lessons.keys(), expect_disputed
        )
        practice, exercises, left_out = practice_claims(decode_practice(data), self.key)
        uncounted.update(left_out)
        return VerifiedResults(
            path,
            student,
            doc,
            data,
            attempts,
            verdicts,
            credits,
            meta,
            verified,
            len(disputed),
            example,
            dict(uncounted),
            unknown_lessons,
            practice,
            exercises,
            frozenset(disputed),
            expect_disputed,
        )

    def _verdicts(
        self,
        attempts: list[Attempt],
        lesson_ids: Iterable[str],
        expect_disputed: list[tuple[str, str, str]],
    ) -> tuple[list[str], list[float], int, list[int], str]:
        """Each attempt's verdict and credit (re-scored where the key can), how many were
        verified, which disagree with what was stored, and one disagreement described;
        ``expect_disputed`` gets the key of each attempt whose lesson's expect disagrees with
        torch."""
        verdicts: list[str] = list(map(_get_verdict, attempts))
        credits: list[float] = list(map(_get_credit, attempts))
        key = self.key
        if key is None or key.lesson_ids.isdisjoint(lesson_ids):
            return verdicts, credits, 0, [], ""
        verified = 0
        disputed: list[int] = []
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
            if a.variant:  # a parameterised lesson: scored against the attempt's own numbers
                memo += tuple(a.variant.items())
            if a.expect_disagrees:  # whether it is disputed depends on the torch value stored
                memo += (a.expect_disagrees, a.truth)
            if memo in cache:
                rescored = cache[memo]
            else:
                rescored = cache[memo] = key.rescore(a)
            if rescored is None:
                if a.expect_disagrees and key.expect_disputed(a):
                    expect_disputed.append((a.lesson_id, a.question_id, a.expr))
                continue
            verified += 1
            if not agrees(a, rescored):
                disputed.append(i)
                example = example or describe_disagreement(a, rescored)
            verdicts[i] = "wrong" if rescored[0] == "unparsable" else rescored[0]
            credits[i] = rescored[1]
        return verdicts, credits, verified, disputed, example


def verify_results_file(path: str | Path, key: AnswerKey | None = None) -> VerifiedResults:
    """Read one results file and verify it against ``key``.

    Raises :class:`UnusableResultsFile` (with the reason in words) when the file is not a
    usable results document: unreadable, a symbolic link, not a regular file, too large,
    not JSON, another format or version, a malformed attempt.
    """
    return Verifier(key).read(path)
