"""The teacher's report, written: aligned text (rich colour in a terminal) and CSV.

One layout for a terminal and a pipe, readable at 80 columns: aligned tables whose cells are
never cut (a name is shown whole), and one line per wrong answer, shortened to the width. Every
string that came from a file goes through :func:`~autograd_tutor.safe_text.printable` first.
Percents, clipping and tables are :mod:`autograd_tutor.presentation`'s.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any, TextIO

from autograd_tutor.presentation import aligned_table, clip, percent, plural
from autograd_tutor.progress.csv_cells import csv_text
from autograd_tutor.progress.report.aggregate import TOP_WRONG
from autograd_tutor.progress.report.gradebook import gradebook_lessons, gradebook_lines
from autograd_tutor.progress.report.learner_notes import DISPUTED_WORDS
from autograd_tutor.progress.report.model import (
    LearnerTotals,
    LessonStats,
    QuestionStats,
    Report,
    WrongAnswer,
)
from autograd_tutor.safe_text import printable, visible_name

LOWEST_LESSONS = 10  # lessons listed under "lowest scores"
CSV_WRONG_COLUMNS = TOP_WRONG
WIDTH = 80  # columns when the output is not a terminal
LONGEST_ANSWER = 60  # characters of a wrong answer shown

Line = tuple[str, str]  # (text, rich style; "" for none)


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
    numbers = aligned_table(headers[lead:], [r[lead:] for r in rows], set())[1]
    room = max(sum(len(h) + 2 for h in headers[:lead]), width - len(numbers))
    too_long = [len("  ".join(r[:lead])) + 2 > room for r in rows]
    cells = [
        [""] * lead + list(r[lead:]) if long else list(r)
        for r, long in zip(rows, too_long, strict=True)
    ]
    lines = aligned_table(headers, cells, right)
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
        visible_name(t.student),
        str(t.lessons),
        str(t.answered),
        str(t.attempts),
        percent(t.share),
        verified,
    ]


def _question_row(q: QuestionStats) -> list[str]:
    return [
        printable(q.lesson_id),
        printable(q.question_id),
        printable(q.expr),
        str(q.learners),
        f"{percent(q.first_right_share)} ({q.first_right})",
        f"{q.attempts / q.learners:.1f}" if q.learners else "-",
    ]


def _wrong_lines(w: WrongAnswer, width: int) -> list[str]:
    """One wrong answer: how often, the answer (a very long one shortened, saying so), and
    what it means, wrapped under it (never cut)."""
    text = printable(w.text)
    if len(text) > LONGEST_ANSWER:
        text = f"{clip(text, LONGEST_ANSWER)} ({len(text)} characters)"
    meaning = printable(w.misconception) if w.misconception else "(no diagnosis)"
    return textwrap.wrap(
        f"x{w.count}  {text}  -> {meaning}",
        width,
        initial_indent="    ",
        subsequent_indent="        ",
        break_long_words=True,
        break_on_hyphens=False,
    )


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
        percent(s.share),
        str(s.older_version) if s.older_version else "",
    ]


def _share_style(share: float) -> str:
    return "red" if share < 0.5 else ("yellow" if share < 0.8 else "green")


def report_lines(report: Report, width: int = WIDTH) -> list[Line]:
    """The report as lines of text (each with a rich style for a terminal)."""
    out: list[Line] = []
    skipped = f"; {plural(len(report.problems), 'file')} skipped" if report.problems else ""
    uncounted = sum(n for t in report.learners for _reason, n in t.uncounted)
    not_counted = f" ({uncounted} not counted: see the learners' notes)" if uncounted else ""
    out += _wrapped(
        f"Results in {printable(report.directory)}: "
        f"{plural(len(report.learners), 'learner')}, {plural(report.attempts, 'attempt')}"
        f"{not_counted}, "
        f"{plural(len(report.questions), 'question')}{skipped}",
        width,
        "bold",
    )
    if report.checked:
        verified = sum(t.verified for t in report.learners)
        out += _wrapped(
            f"Verified: {verified} of {plural(report.attempts, 'attempt')} scored again from "
            "what was typed, against the lessons' expected values. The others (no expected "
            "value known, given to another version of a lesson, or the lesson's expect "
            "disagrees with torch) count as stored.",
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
    grid = gradebook_lines(report, width)
    if grid is None:
        out.append(("", ""))
        out += _wrapped(
            f"Gradebook: {plural(len(gradebook_lessons(report)), 'lesson')} do not fit "
            f"{width} columns; --gradebook FILE writes it as CSV.",
            width,
        )
    elif grid:
        out.append(("", ""))
        out.append(("Gradebook (score; done: finished; exercises passed)", "bold"))
        out += [(line, "") for line in grid]
    out.append(("", ""))
    out.append(("Questions (the most common wrong answers below each)", "bold"))
    rows = [_question_row(q) for q in report.questions]
    table = _fitted_table(QUESTION_HEADERS, rows, {3, 4, 5}, 3, width)
    out += [(lines[0], "") for lines in table[:2]]
    for q, lines in zip(report.questions, table[2:], strict=True):
        out += [(line, _share_style(q.first_right_share)) for line in lines]
        if q.expect_disputed:
            out += _wrapped(
                f"! {DISPUTED_WORDS} ({plural(q.expect_disputed, 'answer')} scored against torch)",
                width,
                "yellow",
                "    ",
            )
        out += [(line, "") for w in q.wrong for line in _wrong_lines(w, width)]
        if q.other_variant:
            copied = f"{plural(q.other_variant, 'learner')} typed the value of another variant"
            out += _wrapped(f"! {copied}", width, "yellow", "    ")
    out.append(("", ""))
    out.append((f"Lessons with the lowest scores (lowest {LOWEST_LESSONS})", "bold"))
    lowest = [_lesson_row(s) for s in report.lessons[:LOWEST_LESSONS]]
    out += [(line, "") for line in aligned_table(LESSON_HEADERS, lowest, {1, 2, 3, 4})]
    if report.other_variant:
        out.append(("", ""))
        out.append(("Answers that are the value of another variant (copied?)", "bold"))
        for f in report.other_variant:
            line = f"{visible_name(f.student)}: {printable(f.describe())}"
            out += _wrapped(line, width, "", "  ")
    older = sorted((s for s in report.lessons if s.older_version), key=lambda s: s.lesson_id)
    if older:
        out.append(("", ""))
        out.append(("Answers given to an older version of a lesson (still counted above)", "bold"))
        for s in older:
            names = ", ".join(visible_name(n) for n in s.older_examples)
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
    "expect_disputed",  # attempts scored against torch: the lesson's expect disagrees with it
    "expect_note",  # what the teacher does about it
] + [
    f"wrong_{i}{suffix}"
    for i in range(1, CSV_WRONG_COLUMNS + 1)
    for suffix in ("", "_count", "_misconception")
]


def question_rows(report: Report) -> list[list[Any]]:
    """The per-question table's rows (text made printable), under :data:`CSV_HEADERS`."""
    rows = []
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
            q.expect_disputed,
            DISPUTED_WORDS if q.expect_disputed else "",
        ]
        for i in range(CSV_WRONG_COLUMNS):
            if i < len(q.wrong):
                w = q.wrong[i]
                row += [printable(w.text), w.count, printable(w.misconception)]
            else:
                row += ["", "", ""]
        rows.append(row)
    return rows


def write_csv(report: Report, out: TextIO) -> None:
    """The per-question table as CSV (header row first; text made printable; no cell a
    spreadsheet would run)."""
    out.write(csv_text(CSV_HEADERS, question_rows(report)))
