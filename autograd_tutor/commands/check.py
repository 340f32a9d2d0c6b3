"""``autograd-tutor check [PATH ...]``: validate lesson files and verify every ``expect``.

Each lesson is loaded (every loader error names file:line:col and the field), then run step by
step in the torch worker, and each question's ``expect`` is compared with torch's value. A known
``wrong`` answer that torch says is right is reported too: it would tell a learner who is right
that they are wrong. Exit 0 only when every file is valid and every expectation holds.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from autograd_tutor.errors import ExitStatus
from autograd_tutor.grading import same_value, takes_errors
from autograd_tutor.grading.agreement import disagreement
from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.lessons.leaks import find_form_hints, find_leaks
from autograd_tutor.lessons.loader import LessonError, lesson_paths, load_lesson
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.presentation import plural
from autograd_tutor.safe_text import printable
from autograd_tutor.worker import WorkerClient

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "lessons" / "schema.json"


def parents() -> list[argparse.ArgumentParser]:
    from autograd_tutor.cli import device_option, lessons_folder_option

    return [lessons_folder_option(), device_option()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--schema",
        action="store_true",
        help="print where the lesson format's JSON Schema is installed (for editors) and exit",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="lesson files or folders (default: --lessons DIR, else the bundled lessons)",
    )


@dataclass
class LessonReport:
    """What ``check`` found in one lesson file."""

    path: Path
    lesson: Lesson | None = None
    problems: list[str] = field(default_factory=list)
    expectations: int = 0
    notes: list[str] = field(default_factory=list)  # what each experiment setting gave

    @property
    def ok(self) -> bool:
        return not self.problems


def lesson_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """The lesson files named by ``paths`` (folders expand to their ``*.yaml``/``*.yml``),
    and a problem line for each path that does not exist or holds no lesson."""
    files: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = lesson_paths(path)
            if not found:
                missing.append(f"{path}: no lesson files (*.yaml, *.yml) in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(f"{path}: no such file or folder")
    return files, missing


def check_lesson(lesson: Lesson, worker: WorkerClient) -> LessonReport:
    """Run every step of ``lesson`` and compare each ``expect`` with torch's value."""
    report = LessonReport(lesson.path, lesson)
    worker.reset(lesson.seed)
    for step in lesson.steps:
        if step.exercise is not None or step.experiment is not None:
            from autograd_tutor.commands.check_practice import check_exercise, check_experiment

            if step.exercise is not None:
                found = check_exercise(worker, lesson, step)
            else:
                found = check_experiment(worker, lesson, step, report.notes)
            report.problems.extend(found)
            if found:
                report.problems.extend(_unverified(lesson, step.index))
                return report  # later steps depend on this one
            continue
        result = worker.run(
            step.code,
            [q.expr for q in step.questions],
            training=step.training,
            time_limit=lesson.time_limit,
        )
        if result.error is not None:
            err = result.error
            line = step.code_line + err.line - 1 if err.line and step.code_line else step.line
            report.problems.append(
                f"{lesson.path}:{line}: step {step.index + 1}: the code raised "
                f"{err.type}: {err.message}"
            )
            report.problems.extend(_unverified(lesson, step.index))
            return report  # later steps depend on this one
        for question, answered in zip(step.questions, result.values, strict=True):
            where = f"{lesson.path}:{question.line}: {question.expr}"
            truth = answered.value
            if truth is None and takes_errors(question.expr):
                truth = answered.raised  # a call that raised: the error is its answer
            if truth is None:
                report.problems.append(f"{where}: cannot be evaluated: {answered.error}")
                continue
            if question.expect is not None:
                report.expectations += 1
                differs = disagreement(question.expr, question.expect, truth, question.tolerance)
                if differs is not None:
                    line = question.expect_line or question.line
                    report.problems.append(f"{lesson.path}:{line}: {differs}")
            for wrong in question.wrong:
                if same_value(wrong.answer, truth, question.tolerance):
                    report.problems.append(
                        f"{lesson.path}:{wrong.line}: {question.expr}: the known wrong answer "
                        f"{wrong.answer.display()} is what torch gives"
                    )
    return report


def _unverified(lesson: Lesson, failed: int) -> list[str]:
    """A line saying how many ``expect`` s after the failed step went unchecked (none: [])."""
    later = [
        q for step in lesson.steps[failed + 1 :] for q in step.questions if q.expect is not None
    ]
    if not later:
        return []
    return [
        f"{plural(len(later), 'expect')} in later steps went unverified: step {failed + 1} "
        "failed and every later step depends on it"
    ]


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if args.schema:
        print(SCHEMA_PATH, file=out)
        return ExitStatus.OK
    paths: list[str | Path] = list(args.paths) or [args.lessons or bundled_lessons_dir()]
    files, missing = lesson_files(paths)
    for line in missing:
        print(f"FAIL  {printable(line)}", file=out)
    reports: list[LessonReport] = []
    warnings = 0
    worker: WorkerClient | None = None
    lessons: list[Lesson] = []
    for path in files:
        try:
            lessons.append(load_lesson(path))
        except LessonError as exc:
            reports.append(LessonReport(path, problems=[str(exc)]))
            print(f"FAIL  {printable(path)}", file=out)
            print(f"      {printable(exc, keep_newlines=True)}", file=out)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.id))  # the course's order
    try:
        for lesson in lessons:
            path = lesson.path
            if worker is None:
                worker = WorkerClient(device=args.device)
                worker.start()
                info = worker.wait_ready()  # WorkerUnavailable: the command line reports it
                print(f"torch {info.torch_version} on {info.device_name}", file=out)
            report = check_lesson(lesson, worker)
            reports.append(report)
            counts = (
                f"{plural(len(lesson.steps), 'step')}, "
                f"{plural(len(lesson.questions), 'question')}, "
                f"{plural(report.expectations, 'expectation')}"
            )
            exercises = sum(1 for s in lesson.steps if s.exercise is not None)
            experiments = sum(1 for s in lesson.steps if s.experiment is not None)
            if exercises:
                counts += f", {plural(exercises, 'exercise')}"
            if experiments:
                counts += f", {plural(experiments, 'experiment')}"
            status = "ok  " if report.ok else "FAIL"
            print(f"{status}  {printable(lesson.id)} ({printable(path)}): {counts}", file=out)
            for problem in report.problems:
                print(f"      {printable(problem, keep_newlines=True)}", file=out)
            for note in report.notes:
                print(f"      {printable(note)}", file=out)
            warnings += print_leak_warnings(lesson, out)
    finally:
        if worker is not None:
            worker.close()
    if warnings:
        print(
            f"{plural(warnings, 'warning')}: text shown before a step runs states an answer "
            "or its kind (docs/lesson-format.md, 'Answers given away').",
            file=out,
        )
    bad = sum(not r.ok for r in reports) + len(missing)
    total = len(reports) + len(missing)
    if bad:
        print(
            f"{bad} of {plural(total, 'lesson file')} {'has' if bad == 1 else 'have'} problems.",
            file=out,
        )
        return ExitStatus.PROBLEMS_FOUND
    if not total:
        print("no lesson files to check", file=out)
        return ExitStatus.PROBLEMS_FOUND
    which = "the lesson is" if total == 1 else f"all {total} lessons are"
    print(f"{which} valid and torch agrees with every expect.", file=out)
    return ExitStatus.OK


def print_leak_warnings(lesson: Lesson, out: TextIO) -> int:
    """Warn (without failing the check) wherever the text a learner reads before a step runs
    states a question's expected value; returns how many warnings were printed."""
    leaks = find_leaks(lesson) + find_form_hints(lesson)
    for leak in leaks:
        print(f"      warning: {printable(leak.message())}", file=out)
    return len(leaks)
