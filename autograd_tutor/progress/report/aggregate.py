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

The parts: :mod:`.tally` counts the files (per learner totals, per question and per lesson
counts), :mod:`.learner_notes` writes each learner's notes, :mod:`.model` holds the result; this
module turns the counts into the per-question and per-lesson figures.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from autograd_tutor.presentation import misconception_names, plural
from autograd_tutor.progress.report.learner_notes import learner_notes
from autograd_tutor.progress.report.model import LessonStats, QuestionStats, Report, WrongAnswer
from autograd_tutor.progress.report.read import FileProblem, results_files
from autograd_tutor.progress.report.tally import (
    QKey,
    Tally,
    default_jobs,
    set_answer_key,
    tally_files,
    tally_parallel,
)
from autograd_tutor.progress.report.variant_copies import (
    OtherVariantAnswer,
    find_other_variant_answers,
)
from autograd_tutor.progress.rescore import AnswerKey

TOP_WRONG = 3  # wrong answers shown per question


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


def _natural_key(text: str) -> tuple[Any, ...]:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


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
    jobs = default_jobs(len(paths)) if jobs is None else max(1, jobs)
    tally: Tally | None = None
    if jobs > 1 and len(paths) > 1:
        try:
            tally = tally_parallel(paths, jobs, key)
        except (OSError, ImportError, RuntimeError):  # no process pools here: one process
            tally = None
    if tally is None:
        set_answer_key(key)
        try:
            tally = tally_files(paths)
        finally:
            set_answer_key(None)
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
    by_question: dict[QKey, set[str]] = {}
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


def _finish(directory: Path, tally: Tally) -> Report:
    report = Report(directory)
    report.problems = sorted(
        (FileProblem(Path(p), reason) for p, reason in tally.problems), key=lambda f: f.path
    )
    report.learners = learner_notes(
        sorted(
            tally.learners,
            key=lambda t: (t.student.casefold(), str(t.path)),
        )
    )
    # wrong answers: raw typed text -> normalised, grouped per question
    grouped: dict[QKey, dict[str, list[Any]]] = {}
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
