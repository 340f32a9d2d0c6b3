"""``report --rerun``: every learner's saved exercise code run again against the lesson's
checks on the teacher's machine, so that a pass in the report means the code passes here.

For each learner and exercise step of the teacher's lessons, the code to run is the latest
attempt that claimed a pass (the learner's machine stored every check passed), else the
latest attempt. It runs through a :class:`LearnerRunner` (``WorkerClient.run_learner``: a fresh
process per run, with the lesson's earlier steps and the step's setup as a trusted prelude, the
checks evaluated outside it, a time and a memory limit), after :func:`.isolation.enter_sandbox`
as the first prelude block. Runs go in parallel (``jobs``); ``on_progress(done, total)`` is
called after each.

Each (learner, exercise) gets one :data:`Standing`:

- ``passed (re-run)``: the code passes every check here;
- ``passed on the learner's machine only``: a stored pass whose code does not pass here;
- ``failed on re-run``: no stored pass, and the code does not pass here either.

Only re-run passes count when the teacher asked for a re-run. Attempts for steps the teacher's
lessons do not have, or passes with no saved code, never reach this module (:mod:`..progress.
report.read` leaves them out).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from autograd_tutor.lessons.model import ExerciseStep, Lesson
from autograd_tutor.progress.report.read import ExerciseClaim

Standing = Literal["passed (re-run)", "passed on the learner's machine only", "failed on re-run"]
PreludeBlock = tuple[str, int]


class LearnerRunner(Protocol):
    """What runs one learner's code in a throwaway process (``WorkerClient.run_learner``)."""

    def run_learner(
        self,
        prelude: Sequence[PreludeBlock],
        code: str,
        *,
        seed: int = 0,
        probe: Mapping[str, Any] | None = None,
        time_limit: float = 10.0,
        memory_limit: int | None = None,
    ) -> Any: ...


@dataclass(frozen=True)
class RerunJob:
    """One learner's exercise to run again."""

    student: str
    path: Path
    claim: ExerciseClaim  # the attempt whose code runs


@dataclass(frozen=True)
class RerunResult:
    job: RerunJob
    standing: Standing
    detail: str  # the first failed check, or the error, in words ("" when it passed)


def choose_jobs(learners: Iterable[tuple[str, Path, Sequence[ExerciseClaim]]]) -> list[RerunJob]:
    """One job per learner and exercise step: the latest claimed pass, else the latest
    attempt (attempts are in the order the file holds them)."""
    jobs = []
    for student, path, claims in learners:
        chosen: dict[tuple[str, int], ExerciseClaim] = {}
        for claim in claims:
            key = (claim.lesson_id, claim.step)
            held = chosen.get(key)
            if held is None or claim.passed or not held.passed:
                chosen[key] = claim
        jobs += [RerunJob(student, path, claim) for claim in chosen.values()]
    return jobs


def sandbox_block(hidden: Sequence[Path]) -> PreludeBlock:
    """The first prelude block of every re-run: isolation before any other code."""
    folders = [str(p) for p in hidden]
    return (
        "from autograd_tutor.rerun.isolation import enter_sandbox as _enter_sandbox\n"
        f"_enter_sandbox(hidden={folders!r})\n"
        "del _enter_sandbox\n",
        1,
    )


def step_position(lesson: Lesson, index: int) -> int:
    """Where the step numbered ``index`` (as progress records name it) is in the lesson."""
    return next(pos for pos, step in enumerate(lesson.steps) if step.index == index)


def _verdict(job: RerunJob, result: Any, lesson: Lesson) -> RerunResult:
    step = lesson.steps[step_position(lesson, job.claim.step)]
    assert isinstance(step, ExerciseStep)  # read.py keeps only exercise steps
    exercise = step.exercise
    if result.error is not None:
        detail = f"the code stopped: {result.error.type}"
        passed = False
    else:
        by_id = {c.id: c for c in result.checks}
        failed = [c for c in exercise.checks if c.id not in by_id or not by_id[c.id].passed]
        passed = not failed
        detail = "" if passed else f"check failed: {failed[0].says}"
    if passed:
        standing: Standing = "passed (re-run)"
    elif job.claim.passed:
        standing = "passed on the learner's machine only"
    else:
        standing = "failed on re-run"
    return RerunResult(job, standing, detail)


def rerun(
    jobs: Sequence[RerunJob],
    lessons: Mapping[str, Lesson],
    runner_for: Callable[[], LearnerRunner],
    *,
    prelude_for: Callable[[Lesson, int], list[PreludeBlock]],
    probe_for: Callable[[Lesson, int], Mapping[str, Any]],
    hidden: Sequence[Path] = (),
    isolate: bool = True,
    workers: int = 2,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[RerunResult]:
    """Run every job (in ``workers`` threads, each with its own runner from ``runner_for``)
    and say where each stands. ``isolate=False`` only when the teacher opted in explicitly."""
    results: list[RerunResult | None] = [None] * len(jobs)
    done = 0
    counting = threading.Lock()

    def one(index: int, runner: LearnerRunner) -> None:
        job = jobs[index]
        lesson = lessons[job.claim.lesson_id]
        position = step_position(lesson, job.claim.step)
        prelude = prelude_for(lesson, position)
        if isolate:
            prelude = [sandbox_block(hidden), *prelude]
        result = runner.run_learner(
            prelude,
            job.claim.code,
            seed=lesson.seed,
            probe=probe_for(lesson, position),
            time_limit=lesson.time_limit,
            memory_limit=lesson.memory_limit,
        )
        results[index] = _verdict(job, result, lesson)

    def work(indexes: list[int]) -> None:
        nonlocal done
        runner = runner_for()
        for index in indexes:
            one(index, runner)
            with counting:
                done += 1
                if on_progress is not None:
                    on_progress(done, len(jobs))

    workers = max(1, min(workers, len(jobs) or 1))
    shares = [list(range(i, len(jobs), workers)) for i in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(work, share) for share in shares]:
            future.result()
    return [r for r in results if r is not None]
