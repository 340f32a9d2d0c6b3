"""``autograd-tutor check [PATH ...]``: validate lesson files and verify every ``expect``.

A parameterised lesson is checked once per variant (every combination of its parameters, or a
stated sample of :data:`~autograd_tutor.lessons.variants.CHECK_LIMIT` when there are more), and
every problem found in a variant other than the default names it (``with a=3, b=-1: ...``).

Each lesson is loaded (every loader error names file:line:col and the field), then run step by
step in the torch worker, and each question's ``expect`` is compared with torch's value. A known
``wrong`` answer that torch says is right is reported too: it would tell a learner who is right
that they are wrong. Exit 0 only when every file is valid and every expectation holds.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from autograd_tutor.errors import ExitStatus
from autograd_tutor.grading import same_value, takes_errors
from autograd_tutor.grading.agreement import disagreement
from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.files import lesson_paths
from autograd_tutor.lessons.leaks import find_form_hints, find_leaks
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import (
    ExerciseStep,
    ExperimentStep,
    Lesson,
    QuestionStep,
    assert_never,
)
from autograd_tutor.lessons.params import variant_label
from autograd_tutor.lessons.variants import check_sample, instantiate
from autograd_tutor.presentation import plural
from autograd_tutor.safe_text import printable
from autograd_tutor.session.kinds import kind_counts
from autograd_tutor.worker import StepResult, WorkerClient

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "lessons" / "schema.json"


def parents() -> list[argparse.ArgumentParser]:
    from autograd_tutor.cli import device_option, lessons_folder_option, memory_limit_option

    return [lessons_folder_option(), device_option(), memory_limit_option()]


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
    variants: int = 1  # how many variants ran
    variants_total: int = 1  # how many the lesson has
    notes: list[str] = field(default_factory=list)  # what each experiment setting gave

    @property
    def ok(self) -> bool:
        return not self.problems

    warnings: int = 0  # give-away warnings printed


def variants_count(report: LessonReport) -> str:
    """``6 variants`` or ``48 of 300 variants (a sample)``."""
    if report.variants == report.variants_total:
        return plural(report.variants, "variant")
    return f"{report.variants} of {report.variants_total} variants (a sample)"


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


def _error_text(result: StepResult) -> str:
    err = result.error
    return f"{err.type}: {err.message}" if err is not None else "no error"


def check_lesson(lesson: Lesson, worker: WorkerClient) -> LessonReport:
    """Run every step of ``lesson`` and compare each ``expect`` with torch's value."""
    from autograd_tutor.session import LessonSession

    report = LessonReport(lesson.path, lesson)
    session = LessonSession(lesson, worker)  # the learner's replay rules, nothing recorded
    for step in lesson.steps:
        match step:
            case ExerciseStep() | ExperimentStep():
                from autograd_tutor.commands.check_practice import check_practice

                found = check_practice(session, step, report.notes)
                report.problems.extend(found)
                if found:
                    report.problems.extend(_unverified(lesson, step.index))
                    return report  # later steps depend on this one
                continue
            case QuestionStep():
                pass
            case _:
                assert_never(step)
        ran = session.run_step(step.index, [q.expr for q in step.questions])
        result = ran.result
        if ran.replay_failed_at is not None:
            report.problems.append(
                f"{lesson.path}:{lesson.steps[ran.replay_failed_at].line}: step "
                f"{ran.replay_failed_at + 1}: fails when a later step replays it: "
                f"{_error_text(result)}"
            )
            report.problems.extend(_unverified(lesson, ran.replay_failed_at))
            return report
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


def check_variants(lesson: Lesson, worker: WorkerClient, out: TextIO | None = None) -> LessonReport:
    """:func:`check_lesson` for every variant ``check`` runs (one for a lesson without
    parameters); a problem of a variant other than the default is prefixed with it. The
    give-away warnings of each variant are printed to ``out`` (each wording once)."""
    variants, total = check_sample(lesson)
    report = LessonReport(lesson.path, lesson, variants=len(variants), variants_total=total)
    warned: set[str] = set()
    for variant in variants:
        where = "" if variant == lesson.variant else f"with {variant_label(variant)}: "
        try:
            instance = instantiate(lesson, variant)
        except LessonError as exc:
            report.problems.append(str(exc))
            continue
        found = check_lesson(instance, worker)
        report.expectations += found.expectations
        report.problems.extend(_named(problem, where) for problem in found.problems)
        report.notes.extend(where + note for note in found.notes)
        if out is not None:
            for leak in find_leaks(instance) + find_form_hints(instance):
                message = _named(leak.message(), where)
                if leak.message() not in warned:
                    warned.add(leak.message())
                    print(f"      warning: {printable(message)}", file=out)
    report.warnings = len(warned)
    return report


def _named(problem: str, where: str) -> str:
    """``file:line: problem`` -> ``file:line: with a=3: problem``."""
    if not where:
        return problem
    head, sep, rest = problem.partition(": ")
    return f"{head}{sep}{where}{rest}" if sep else where + problem


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
                worker = WorkerClient(device=args.device, memory_limit=args.memory_limit)
                worker.start()
                info = worker.wait_ready()  # WorkerUnavailable: the command line reports it
                print(f"torch {info.torch_version} on {info.device_name}", file=out)
            leaks = io.StringIO()
            report = check_variants(lesson, worker, leaks)
            reports.append(report)
            counts = (
                f"{plural(len(lesson.steps), 'step')}, "
                f"{plural(len(lesson.questions), 'question')}, "
                f"{plural(report.expectations, 'expectation')}"
            )
            if report.variants_total > 1:
                counts += f", {variants_count(report)}"
            kinds = kind_counts(lesson.steps)
            exercises, experiments = kinds["exercise"], kinds["experiment"]
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
            out.write(leaks.getvalue())
            warnings += report.warnings
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
