"""The lesson worker's namespace kept in step with the lesson: which steps have run there, in
order (the cursor), and the replay that brings it to "the steps before this one ran" (only the
missing ones on top when it is an earlier point of the same run, else all of them in a fresh
namespace). Replays run each step's :func:`~autograd_tutor.session.kinds.replay_code`: learner
code never runs there. No UI, no torch.
"""

from __future__ import annotations

from autograd_tutor.lessons.model import Lesson
from autograd_tutor.lessons.variants import reset_namespace
from autograd_tutor.session.kinds import replay_code
from autograd_tutor.worker import StepResult, WorkerLike


class NamespaceCursor:
    """Which steps of ``lesson`` have run in ``worker``'s namespace, and the replay."""

    def __init__(self, worker: WorkerLike, lesson: Lesson) -> None:
        self.worker = worker
        self.lesson = lesson
        self.ran_upto = -1  # steps 0..ran_upto have run, in order, in the worker's namespace
        self.generation: int | None = None

    def ran_last(self, position: int) -> bool:
        """Step ``position`` ran last in this worker's namespace (nothing ran since)."""
        return self.generation == self.worker.generation and self.ran_upto == position

    def replay_before(self, position: int) -> tuple[int, StepResult] | None:
        """Bring the namespace to 'steps 0..position-1 ran': the steps still missing when the
        namespace is an earlier point of the same run (after a learner run), else all of them
        in a fresh namespace. None, or the position of the earlier step that failed with its
        result."""
        same_worker = self.generation == self.worker.generation
        if same_worker and self.ran_upto == position - 1:
            return None
        if not (same_worker and -1 <= self.ran_upto < position - 1):
            failed = reset_namespace(self.worker, self.lesson)
            self.generation = self.worker.generation
            self.ran_upto = -1
            if failed is not None:
                self.ran_upto = -2
                return 0, failed
        for earlier in range(self.ran_upto + 1, position):
            step = self.lesson.steps[earlier]
            result = self.worker.run(
                replay_code(step), [], training=None, time_limit=self.lesson.time_limit
            )
            self.after_run(earlier, result)
            if result.error is not None:
                return earlier, result
        return None

    def after_run(self, position: int, result: StepResult) -> None:
        if result.error is None and self.generation == self.worker.generation:
            self.ran_upto = position
        else:  # a failed step leaves the namespace half-updated: replay next time
            self.ran_upto = -2

    def after_preview(self) -> None:
        # A preview leaves the namespace as it was, unless it timed out (a new worker started).
        if self.generation != self.worker.generation:
            self.ran_upto = -2
