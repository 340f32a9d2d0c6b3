"""``report --rerun``: the glue between the report and the re-run engine.

Checks that the re-runs can be isolated here (or that the teacher opted in without), runs every
learner's saved exercise code again (:mod:`.engine`) with one torch worker per job, shows a
progress bar on a terminal, and rewrites the report's exercise passes from what passed here:
only re-run passes count.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from autograd_tutor.errors import ExitStatus, UserError
from autograd_tutor.lessons.model import ExerciseStep, Lesson
from autograd_tutor.presentation import plural
from autograd_tutor.progress.report.model import Report
from autograd_tutor.rerun.engine import RerunResult, choose_jobs, rerun
from autograd_tutor.rerun.isolation import probe
from autograd_tutor.safe_text import printable, visible_name


def check_isolation(without: bool) -> tuple[bool, str]:
    """Whether the re-runs are isolated here, and how (or why not): :class:`UserError` when
    nothing isolates them and the teacher did not opt in (``--rerun-without-isolation``)."""
    found = probe()
    if found.available:
        return True, found.how
    if not without:
        raise UserError(
            f"cannot isolate re-runs on this machine ({found.how}); learners' code would run "
            "with your rights: add --rerun-without-isolation to run it anyway",
            ExitStatus.USAGE,
        )
    return False, f"NOT isolated ({found.how}): run with your rights, as asked"


def _progress_bar(out: TextIO) -> Any:
    if not out.isatty():
        return None

    def show(done: int, total: int) -> None:
        filled = int(30 * done / total) if total else 30
        out.write(f"\rre-running  [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        if done == total:
            out.write("\n")
        out.flush()

    return show


def rerun_report(
    report: Report,
    lessons: Sequence[Lesson],
    *,
    isolate: bool,
    jobs: int,
    hidden: Sequence[Path],
    progress_to: TextIO = sys.stderr,
) -> list[RerunResult]:
    """Run every learner's exercise code again; the report's exercise passes become the
    re-run passes. Returns each (learner, exercise)'s result."""
    from autograd_tutor.session.learner_code import exercise_prelude, probe_spec
    from autograd_tutor.worker import WorkerClient

    by_id: Mapping[str, Lesson] = {lesson.id: lesson for lesson in lessons}
    work = choose_jobs((t.student, t.path, t.exercises) for t in report.learners)
    work = [j for j in work if j.claim.lesson_id in by_id]
    clients: list[Any] = []

    def runner() -> Any:
        client = WorkerClient("cpu")
        clients.append(client)
        client.start()
        client.wait_ready()
        return client

    def probe_for(lesson: Lesson, position: int) -> Mapping[str, Any]:
        step = lesson.steps[position]
        assert isinstance(step, ExerciseStep)  # the engine runs exercise steps only
        return probe_spec(step.exercise.checks)

    try:
        results = rerun(
            work,
            by_id,
            runner,
            prelude_for=exercise_prelude,
            probe_for=probe_for,
            hidden=hidden,
            isolate=isolate,
            workers=jobs,
            on_progress=_progress_bar(progress_to),
        )
    finally:
        for client in clients:
            client.close()
    _count_rerun_passes(report, results)
    return results


def _count_rerun_passes(report: Report, results: Sequence[RerunResult]) -> None:
    passed: dict[Path, dict[str, set[int]]] = {}
    for r in results:
        if r.standing == "passed (re-run)":
            passed.setdefault(r.job.path, {}).setdefault(r.job.claim.lesson_id, set()).add(
                r.job.claim.step
            )
    learners = []
    for t in report.learners:
        mine = passed.get(t.path, {})
        lessons = tuple(
            replace(lr, exercises_passed=frozenset(mine.get(lr.lesson_id, ())))
            for lr in t.lesson_results
        )
        learners.append(replace(t, lesson_results=lessons))
    report.learners = learners
    tried = {r.job.path for r in results}
    report.practice = replace(
        report.practice, passed_learners=len([p for p in passed if p in tried])
    )


def rerun_lines(results: Sequence[RerunResult], how: str) -> list[str]:
    """The re-run section: how it was isolated, the counts, one line per learner."""
    if not results:
        return ["", "Exercises re-run on this machine: no saved exercise code to run."]
    counts: dict[str, int] = {}
    for r in results:
        counts[r.standing] = counts.get(r.standing, 0) + 1
    summary = "; ".join(f"{n} {standing}" for standing, n in sorted(counts.items()))
    lines = [
        "",
        f"Exercises re-run on this machine ({how}): {plural(len(results), 'run')}: {summary}.",
        "Only the passes re-run here count above.",
    ]
    by_learner: dict[Path, list[RerunResult]] = {}
    for r in results:
        by_learner.setdefault(r.job.path, []).append(r)
    for rs in by_learner.values():
        parts = []
        for r in sorted(rs, key=lambda r: (r.job.claim.lesson_id, r.job.claim.step)):
            where = f"{printable(r.job.claim.lesson_id)} step {r.job.claim.step + 1}"
            detail = f" ({printable(r.detail)})" if r.detail else ""
            parts.append(f"{where}: {r.standing}{detail}")
        lines.append(f"  {visible_name(rs[0].job.student)}: " + "; ".join(parts))
    return lines
