"""What the report notes on each learner: a stored verdict that disagrees with scoring what was
typed ("edited by hand?"), answers scored against torch because the lesson's ``expect``
disagrees (the lesson's fault), a file name that does not match the student inside, one student
in several files, names that look alike, and attempts left uncounted (with the reason).
"""

from __future__ import annotations

from dataclasses import replace

from autograd_tutor.presentation import plural
from autograd_tutor.progress.paths import file_stem, legacy_stem
from autograd_tutor.progress.report.model import LearnerTotals
from autograd_tutor.progress.rescore import MISMATCH_WORDS
from autograd_tutor.safe_text import name_skeleton, visible_name

UNCOUNTED_WORDS: dict[str, str] = {
    **MISMATCH_WORDS,
    "practice": "exercise or experiment attempts for steps these lessons do not have",
    "no code": "exercise passes with no saved code",
}

DISPUTED_WORDS = "the lesson's expect disagrees with torch: run check"


def learner_notes(rows: list[LearnerTotals]) -> list[LearnerTotals]:
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
