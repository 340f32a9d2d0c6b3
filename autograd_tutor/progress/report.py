"""The teacher's report: a summary of a folder of results files (one per learner).

:func:`build_report` reads every ``*.json`` file in a folder (hidden files, such as the
temporary files of a save in progress, are ignored) and aggregates:

- per learner: lessons, attempts, questions answered and score (latest attempt per question);
- per question (lesson id + question id + expression): how many learners answered it, the
  share right on the first try, and the most common wrong answers (typed text normalised by
  whitespace) with the misconception each maps to (the attempt's ``diagnoses``/``feedback``);
- per lesson: the mean score, lowest first, and how many learners answered an older version
  of the lesson (their lesson hash is not the one of the most recent attempt in the class).

A file that is not a usable results document (binary, empty, truncated JSON, another format,
a newer or older format version, a malformed attempt) is listed with the reason and skipped;
it never stops the report. Speed matters (a lab can collect thousands of files): documents are
walked as raw dicts, never turned into :class:`~.records.Attempt` objects, and large folders
are split over worker processes. :func:`render_plain` writes an aligned plain-text report,
:func:`render_rich` a rich one for terminals, :func:`write_csv` the per-question table.

No torch, no Textual, no network.
"""

from __future__ import annotations

import csv
import gc
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from autograd_tutor.progress.records import DocumentError, check_header
from autograd_tutor.progress.store import describe_json_error

TOP_WRONG = 3  # wrong answers shown per question
LOWEST_LESSONS = 10  # lessons listed under "lowest scores"
PARALLEL_FROM = 200  # files; fewer are read in this process
RICH_MAX_ROWS = 1000  # larger learner tables are written as aligned text even in a terminal
CSV_WRONG_COLUMNS = TOP_WRONG

_QKey = tuple[str, str, str]  # (lesson id, question id, expr)
_get_key = itemgetter("lesson_id", "question_id", "expr")
_get_verdict = itemgetter("verdict")
_get_credit = itemgetter("credit")
_get_sig = itemgetter("lesson_id", "question_id", "expr", "typed")
_get_label = itemgetter("diagnoses", "feedback")
_WRONGISH = frozenset(("wrong", "partial"))
_TEXT = frozenset((str,))
_NUMBER = frozenset((int, float))  # not bool


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
    credit: float  # sum of each question's latest credit

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
    first_right: int  # learners right on their first try
    attempts: int
    wrong: tuple[WrongAnswer, ...]  # most common first, at most TOP_WRONG
    wrong_total: int  # wrong or partial attempts in all

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

    @property
    def attempts(self) -> int:
        return sum(learner.attempts for learner in self.learners)


# -- reading -------------------------------------------------------------------------------


def results_files(directory: Path) -> list[Path]:
    """The results files in ``directory``: ``*.json``, not hidden, sorted by name."""
    with os.scandir(directory) as entries:
        names = [
            e.name
            for e in entries
            if e.name.endswith(".json") and not e.name.startswith(".") and e.is_file()
        ]
    names.sort()
    return [Path(directory) / name for name in names]


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

    The per-attempt work runs in C (``map`` with ``itemgetter``, ``dict(zip(...))``,
    ``Counter.update`` of an iterable): a class of thousands holds millions of attempts.
    """

    def __init__(self) -> None:
        # (student, path, lessons, attempts, answered, credit), one per good file
        self.learners: list[tuple[str, str, int, int, int, float]] = []
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

    def add_file(self, path: str) -> None:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            self.problems.append((path, f"cannot be read ({exc.strerror or exc})"))
            return
        try:
            doc = json.loads(data)
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
            self.problems.append((path, describe_json_error(exc, data)))
            return
        try:
            check_header(doc)
            self._add_document(path, doc)
        except DocumentError as exc:
            self.problems.append((path, str(exc)))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.problems.append((path, f"malformed attempt ({type(exc).__name__}: {exc})"))

    def _add_document(self, path: str, doc: dict[str, Any]) -> None:
        # Phase 1 reads and checks the whole file (raising on anything malformed); phase 2
        # merges and cannot fail, so a broken file leaves no trace in the tallies.
        meta: dict[str, tuple[str, str]] = {}  # lesson id -> (hash, last attempt's timestamp)
        attempts: list[dict[str, Any]] = []
        for lesson_id, entry in doc["lessons"].items():
            mine = entry["attempts"]
            if type(mine) is not list:
                raise TypeError(f"lesson {lesson_id!r}: 'attempts' is not a list")
            if not mine:
                continue
            last = mine[-1]
            lesson_hash = entry.get("hash")
            if not isinstance(lesson_hash, str):
                lesson_hash = last["lesson_hash"]
                if not isinstance(lesson_hash, str):
                    lesson_hash = ""
            timestamp = last["timestamp"]
            if not isinstance(timestamp, str):
                raise TypeError(f"lesson {lesson_id!r}: 'timestamp' is not text")
            meta[lesson_id] = (lesson_hash, timestamp)
            attempts += mine
        keys = list(map(_get_key, attempts))  # (lesson id, question id, expr)
        verdicts = list(map(_get_verdict, attempts))
        latest = dict(zip(keys, map(_get_credit, attempts), strict=True))  # the last one wins
        first = dict(zip(reversed(keys), reversed(verdicts), strict=True))  # the first one wins
        firsts = [key for key, verdict in first.items() if verdict == "right"]
        per_lesson: dict[str, list[float]] = {}  # lesson id -> [answered, credit]
        if set(map(type, chain.from_iterable(latest))) - _TEXT:
            raise TypeError("a lesson id, question id or expr is not text")
        credits = latest.values()
        if set(map(type, credits)) - _NUMBER:
            raise TypeError("a credit is not a number")
        if credits and not (0.0 <= min(credits) and max(credits) <= 1.0):
            raise ValueError("a credit is out of range")
        for (lesson_id, _question_id, _expr), credit in latest.items():
            st = per_lesson.get(lesson_id)
            if st is None:
                per_lesson[lesson_id] = [1, credit]
            else:
                st[0] += 1
                st[1] += credit
        wrong_attempts = list(compress(attempts, map(_WRONGISH.__contains__, verdicts)))
        sigs: list[tuple[str, str, str, Any]] = []
        labels: list[tuple[Any, Any]] = []
        if wrong_attempts:
            sigs = list(map(_get_sig, wrong_attempts))  # (lesson, question, expr, typed)
            try:
                labels = list(map(_get_label, wrong_attempts))  # (diagnoses, feedback)
            except KeyError:  # both are optional
                labels = [(a.get("diagnoses", []), a.get("feedback", "")) for a in wrong_attempts]
            set(sigs)  # raises TypeError now (not while merging) if a typed answer is not text
            for diagnoses, feedback in labels:
                if type(diagnoses) is not list or type(feedback) is not str:
                    raise TypeError("'diagnoses' must be a list and 'feedback' text")
        student = doc.get("student")
        if not isinstance(student, str) or not student.strip():
            student = Path(path).stem

        # phase 2
        self.attempts.update(keys)
        self.answered.update(latest.keys())
        self.first_right.update(firsts)
        if sigs:
            self.wrong.update(sigs)
            self.wrong_label.update(zip(sigs, labels, strict=True))
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
            )
        )

    def merge(self, other: _Tally) -> None:
        self.learners.extend(other.learners)
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


def _tally_files(paths: Sequence[str]) -> _Tally:
    tally = _Tally()
    # Documents hold no reference cycles: reference counting frees them, and the cyclic
    # collector would only walk the millions of objects json.loads makes.
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


def _tally_parallel(paths: list[str], jobs: int) -> _Tally:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context(
        "fork" if "fork" in methods and sys.platform != "darwin" else None
    )
    n_chunks = jobs * 4
    chunks = [paths[i::n_chunks] for i in range(n_chunks)]
    total = _Tally()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for part in pool.map(_tally_files, [c for c in chunks if c]):
            total.merge(part)
    return total


def build_report(directory: Path | str, *, jobs: int | None = None) -> Report:
    """Read every results file in ``directory`` and summarise them.

    ``jobs`` is the number of worker processes (None: one per CPU, up to 8, for folders of at
    least ``PARALLEL_FROM`` files). Raises ``OSError`` only when the folder cannot be listed.
    """
    directory = Path(directory)
    paths = [str(p) for p in results_files(directory)]
    jobs = _default_jobs(len(paths)) if jobs is None else max(1, jobs)
    tally: _Tally | None = None
    if jobs > 1 and len(paths) > 1:
        try:
            tally = _tally_parallel(paths, jobs)
        except (OSError, ImportError, RuntimeError):  # no process pools here: one process
            tally = None
    if tally is None:
        tally = _tally_files(paths)
    return _finish(directory, tally)


def _finish(directory: Path, tally: _Tally) -> Report:
    report = Report(directory)
    report.problems = sorted(
        (FileProblem(Path(p), reason) for p, reason in tally.problems), key=lambda f: f.path
    )
    report.learners = sorted(
        (LearnerTotals(s, Path(p), ls, a, n, c) for s, p, ls, a, n, c in tally.learners),
        key=lambda t: (t.student.casefold(), str(t.path)),
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
            diagnoses, feedback = tally.wrong_label.get(sig, ([], ""))
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
    for lesson_id, (n_learners, answered, credit) in tally.lessons.items():
        by_hash = tally.hashes.get(lesson_id, {})
        older = 0
        examples: list[str] = []
        if len(by_hash) > 1:
            current = max(by_hash.items(), key=lambda item: (item[1][1], item[1][0]))[0]
            for h, (count, _updated, names) in by_hash.items():
                if h != current:
                    older += count
                    examples.extend(names)
        report.lessons.append(
            LessonStats(
                lesson_id,
                int(n_learners),
                int(answered),
                credit,
                older,
                tuple(sorted(examples)[:5]),
            )
        )
    report.lessons.sort(key=lambda s: (s.percent, s.lesson_id))
    return report


# -- writing -------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:.0f}%"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


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


def learner_rows(report: Report) -> list[list[str]]:
    return [
        [
            t.student,
            t.path.name,
            str(t.lessons),
            str(t.attempts),
            str(t.answered),
            f"{t.credit:.1f}",
            _pct(t.percent),
        ]
        for t in report.learners
    ]


LEARNER_HEADERS = ("Learner", "File", "Lessons", "Attempts", "Answered", "Credit", "Score")
QUESTION_HEADERS = ("Lesson", "Question", "Expression", "Learners", "Right 1st try", "Tries")
LESSON_HEADERS = ("Lesson", "Learners", "Answered", "Mean score", "Older version")


def _question_row(q: QuestionStats) -> list[str]:
    return [
        q.lesson_id,
        q.question_id,
        q.expr,
        str(q.learners),
        f"{_pct(100 * q.first_right_share)} ({q.first_right})",
        f"{q.attempts / q.learners:.1f}" if q.learners else "-",
    ]


def _wrong_line(w: WrongAnswer, width: int = 70) -> str:
    meaning = _clip(w.misconception, width) if w.misconception else "(no diagnosis)"
    return f"{_clip(w.text, 40)}  x{w.count}  -> {meaning}"


def _lesson_row(s: LessonStats) -> list[str]:
    return [
        s.lesson_id,
        str(s.learners),
        str(s.answered),
        _pct(s.percent),
        str(s.older_version) if s.older_version else "",
    ]


def _headline(report: Report) -> str:
    return (
        f"Results in {report.directory}: {len(report.learners)} learners, "
        f"{report.attempts} attempts, {len(report.questions)} questions"
        + (f"; {len(report.problems)} files skipped" if report.problems else "")
    )


def render_plain(report: Report, out: TextIO) -> None:
    """Write the report as aligned plain text (no colour, no escape sequences)."""
    w = out.write
    w(_headline(report) + "\n\n")
    w("Learners\n")
    for line in _table(LEARNER_HEADERS, learner_rows(report), {2, 3, 4, 5, 6}):
        w(line + "\n")
    w("\nQuestions (most common wrong answers below each)\n")
    rows = [_question_row(q) for q in report.questions]
    lines = _table(QUESTION_HEADERS, rows, {3, 4, 5})
    w(lines[0] + "\n" + lines[1] + "\n")
    for q, line in zip(report.questions, lines[2:], strict=True):
        w(line + "\n")
        for wa in q.wrong:
            w("    wrong: " + _wrong_line(wa) + "\n")
    w(f"\nLessons with the lowest scores (lowest {LOWEST_LESSONS})\n")
    lowest = [_lesson_row(s) for s in report.lessons[:LOWEST_LESSONS]]
    for line in _table(LESSON_HEADERS, lowest, {1, 2, 3, 4}):
        w(line + "\n")
    _write_notes(report, w)


def _write_notes(report: Report, w: Any) -> None:
    older = [s for s in report.lessons if s.older_version]
    if older:
        w("\nAnswers given to an older version of a lesson (still counted above)\n")
        for s in sorted(older, key=lambda s: s.lesson_id):
            names = ", ".join(s.older_examples)
            more = ", ..." if s.older_version > len(s.older_examples) else ""
            who = "learner" if s.older_version == 1 else "learners"
            w(f"  {s.lesson_id}: {s.older_version} {who} ({names}{more})\n")
    if report.problems:
        w(f"\nSkipped files ({len(report.problems)})\n")
        for p in report.problems:
            w(f"  {p.path}: {p.reason}\n")


def render_rich(report: Report, out: TextIO, *, force_terminal: bool | None = None) -> None:
    """Write the report with rich tables (for a terminal; ``force_terminal`` makes rich use
    colour even when ``out`` is not one)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, highlight=False, force_terminal=force_terminal)
    console.print(Text(_headline(report), style="bold"))

    if len(report.learners) <= RICH_MAX_ROWS:
        table = Table(title="Learners", title_justify="left", title_style="bold")
        for i, h in enumerate(LEARNER_HEADERS):
            table.add_column(h, justify="right" if i >= 2 else "left")
        for row in learner_rows(report):
            table.add_row(*row)
        console.print(table)
    else:  # rich takes seconds to lay out thousands of rows: aligned text instead
        console.print(Text("Learners", style="bold"))
        console.file.flush()
        lines = _table(LEARNER_HEADERS, learner_rows(report), {2, 3, 4, 5, 6})
        out.write("\n".join(lines) + "\n")

    table = Table(title="Questions", title_justify="left", title_style="bold")
    for i, h in enumerate(QUESTION_HEADERS):
        table.add_column(h, justify="right" if 3 <= i else "left")
    table.add_column("Most common wrong answers -> misconception")
    for q in report.questions:
        wrong = "\n".join(_wrong_line(w, 50) for w in q.wrong) or "-"
        share = q.first_right_share
        style = "red" if share < 0.5 else ("yellow" if share < 0.8 else "green")
        row = _question_row(q)
        table.add_row(*row[:4], Text(row[4], style=style), row[5], Text(wrong))
    console.print(table)

    table = Table(title="Lessons with the lowest scores", title_justify="left", title_style="bold")
    for i, h in enumerate(LESSON_HEADERS):
        table.add_column(h, justify="right" if i else "left")
    for s in report.lessons[:LOWEST_LESSONS]:
        table.add_row(*_lesson_row(s))
    console.print(table)
    notes: list[str] = []
    _write_notes(report, notes.append)
    if notes:
        console.print(Text("".join(notes).rstrip("\n")))


CSV_HEADERS = [
    "lesson_id",
    "question_id",
    "expr",
    "learners",
    "right_first_try",
    "right_first_try_share",
    "attempts",
    "wrong_attempts",
] + [
    f"wrong_{i}{suffix}"
    for i in range(1, CSV_WRONG_COLUMNS + 1)
    for suffix in ("", "_count", "_misconception")
]


def write_csv(report: Report, out: TextIO) -> None:
    """The per-question table as CSV (header row first)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for q in report.questions:
        row: list[Any] = [
            q.lesson_id,
            q.question_id,
            q.expr,
            q.learners,
            q.first_right,
            f"{q.first_right_share:.4f}",
            q.attempts,
            q.wrong_total,
        ]
        for i in range(CSV_WRONG_COLUMNS):
            if i < len(q.wrong):
                row += [q.wrong[i].text, q.wrong[i].count, q.wrong[i].misconception]
            else:
                row += ["", "", ""]
        writer.writerow(row)
