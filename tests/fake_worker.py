"""``FakeWorker``: a scripted stand-in for ``WorkerClient`` (the ``WorkerLike`` Protocol the
session depends on). No process and no torch: each step's code is looked up in what the test
scripted, so replay, cancel and crash paths run the same way every time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from autograd_tutor.lessons.model import Training
from autograd_tutor.values import Value
from autograd_tutor.worker import (
    QuestionValue,
    StepError,
    StepResult,
    WorkerInfo,
    WorkerUnavailable,
)
from autograd_tutor.worker.protocol import CheckResult


class FakeWorker:
    """Answers ``run`` from ``values`` (expr -> Value; other exprs fail to evaluate), unless the
    code is listed in ``crash_on`` (the worker dies and a new one starts), ``fail_on`` (code ->
    the exception the code raises) or ``block_on`` (runs until :meth:`cancel`). Every call is
    in ``calls``: ``("reset", seed)``, ``("run", code, exprs)`` or
    ``("learner", code, prelude)``."""

    def __init__(self, values: Mapping[str, Value] | None = None) -> None:
        self.generation = 1
        self.values: dict[str, Value] = dict(values or {})
        self.calls: list[tuple[Any, ...]] = []
        self.crash_on: set[str] = set()
        self.fail_on: dict[str, str] = {}
        self.block_on: set[str] = set()
        self.failed_checks: set[str] = set()  # check ids a run_learner reports as failed
        self.learner_prepared = 0  # prepare_learner() calls
        self.unavailable: str | None = None
        self.running = threading.Event()  # set while a blocking step runs
        self._cancelled = threading.Event()

    def wait_ready(self, timeout: float | None = None) -> WorkerInfo:
        if self.unavailable is not None:
            raise WorkerUnavailable(self.unavailable)
        return WorkerInfo("fake", "cpu", "a fake worker", 0)

    def reset(self, seed: int) -> None:
        self.calls.append(("reset", seed))

    def run(
        self,
        code: str,
        exprs: Sequence[str],
        *,
        training: Training | None = None,
        time_limit: float = 10.0,
        first_line: int = 1,
        on_loss: Callable[[list[float]], None] | None = None,
        probe: Mapping[str, Any] | None = None,
    ) -> StepResult:
        self.calls.append(("run", code, tuple(exprs)))
        if code in self.crash_on:
            self.generation += 1  # as WorkerClient: a new worker, the namespace is gone
            return StepResult.failure("WorkerCrashed", "the fake worker crashed")
        if code in self.block_on:
            self.running.set()
            try:
                if not self._cancelled.wait(timeout=10):
                    raise AssertionError("the blocking step was never cancelled")
            finally:
                self.running.clear()
                self._cancelled.clear()
            self.generation += 1
            return StepResult.failure("Cancelled", "the step was cancelled")
        if code in self.fail_on:
            error = StepError(self.fail_on[code], "the code failed", "", 1)
            return StepResult([], "", error, None, 0, {}, 0.0)
        answered = [
            QuestionValue(e, self.values[e], None)
            if e in self.values
            else QuestionValue(e, None, f"NameError: name {e!r} is not defined")
            for e in exprs
        ]
        return StepResult(answered, "", None, None, 1, {}, 0.0)

    def run_learner(
        self,
        prelude: Sequence[tuple[str, int]],
        code: str,
        *,
        first_line: int = 1,
        seed: int = 0,
        probe: Mapping[str, Any] | None = None,
        training: Training | None = None,
        time_limit: float = 10.0,
        memory_limit: int | None = None,
        on_loss: Callable[[list[float]], None] | None = None,
    ) -> StepResult:
        """As ``run`` for ``code`` (``crash_on``, ``fail_on``, ``block_on``), recorded as
        ``("learner", code, prelude codes)``; a run that passes every check of ``probe``
        unless ``failed_checks`` names them. The lesson namespace is not touched."""
        self.calls.append(("learner", code, tuple(c for c, _ in prelude)))
        if code in self.crash_on or code in self.block_on or code in self.fail_on:
            result = self.run(code, [], time_limit=time_limit)
            self.calls.pop()
            if code in self.crash_on:
                self.generation -= 1  # a learner run's process is thrown away, not the worker
            return result
        checks = [
            CheckResult(str(c.get("id")), str(c.get("id")) not in self.failed_checks, "")
            for c in (probe or {}).get("checks") or []
        ]
        return StepResult([], "", None, None, 1, {}, 0.0, checks=checks)

    def prepare_learner(self) -> None:
        self.learner_prepared += 1

    def preview(
        self,
        code: str,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        first_line: int = 1,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult:
        """No torch, so no graph: an empty result (``graph`` None)."""
        self.calls.append(("preview", code, tuple(exprs)))
        return StepResult([], "", None, None, 0, {}, 0.0)

    def graph(
        self,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult:
        self.calls.append(("graph", tuple(exprs)))
        return StepResult([], "", None, None, 0, {}, 0.0)

    def cancel(self) -> None:
        if self.running.is_set():
            self._cancelled.set()

    def runs(self) -> list[str | tuple[Any, ...]]:
        """The calls, with each run shortened to (code, exprs) and resets to ``"reset"``."""
        return ["reset" if c[0] == "reset" else (c[1], c[2]) for c in self.calls]
