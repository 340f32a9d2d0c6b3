"""What each request asks the lesson worker: ``run``, ``run_learner``, ``preview`` and
``graph`` build their messages here (the protocol's ops, with their contracts in the
docstrings); :class:`~autograd_tutor.worker.client.WorkerClient` sends them, waits for the reply
and restarts the worker when a step does not finish.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from autograd_tutor.lessons.model import Training
from autograd_tutor.worker import protocol
from autograd_tutor.worker.protocol import StepResult
from autograd_tutor.worker.worker_like import LossCallback, PreludeBlock

LEARNER_MARGIN = 15.0  # seconds the client waits beyond a learner run's own limits


class LessonRequests(ABC):
    """The step requests of a lesson worker; the subclass sends them (:meth:`_request`)."""

    memory_limit: int | None  # bytes for every learner run, over what the lesson asks

    def run(
        self,
        code: str,
        exprs: Sequence[str],
        *,
        training: Training | None = None,
        time_limit: float = 10.0,
        first_line: int = 1,
        on_loss: LossCallback | None = None,
        probe: Mapping[str, Any] | None = None,
    ) -> StepResult:
        """Run ``code`` in the lesson namespace, then evaluate each of ``exprs``.

        Never raises for lesson problems: errors come back in ``StepResult.error`` (the
        exception from the code, "Timeout", "WorkerCrashed", "Cancelled" or
        "DeviceUnavailable"). After Timeout, WorkerCrashed and Cancelled a new worker is
        already starting (``generation`` grew; the namespace is gone, callers replay).
        ``on_loss`` is called from the reader thread with the whole series so far.
        ``first_line`` is the number given to the code's first line in tracebacks.
        ``probe`` (exercises, experiments) asks the worker to watch the code and run checks
        after it (``worker/exercise_probe.py``); their results come in ``StepResult.checks``.
        The step's graph is asked for afterwards, with :meth:`graph`.
        """
        request = {
            "op": "run",
            "training": protocol.training_to_json(training),
            "probe": dict(probe) if probe is not None else None,
        }
        return self._request(request, code, exprs, time_limit, first_line, on_loss, None)

    def run_learner(
        self,
        prelude: Sequence[PreludeBlock],
        code: str,
        *,
        first_line: int = 1,
        seed: int = 0,
        probe: Mapping[str, Any] | None = None,
        training: Training | None = None,
        time_limit: float = 10.0,
        memory_limit: int | None = None,
        on_loss: LossCallback | None = None,
    ) -> StepResult:
        """Run untrusted ``code`` (a learner's) in a fresh process, thrown away afterwards.

        The process starts from a fork server that imported torch, seeds torch with ``seed``,
        runs the TRUSTED ``prelude`` blocks in order (``(code, first_line)`` each: the
        lesson's earlier steps with reference solutions, then the step's setup; build them
        with :func:`autograd_tutor.session.learner_code.prelude_for`), then ``code`` (its first
        line numbered ``first_line``) with ``record_loss`` and the probe observing it (same
        ``probe`` dict as :meth:`run`: ``checks``, ``record_backward``, ``rule_names``). It
        sends back plain data only (the facts the probe saw, never a verdict); the built-in
        checks (``worker/builtin_checks.py``), the ``expr`` checks and the ``training``
        expressions are then decided in the lesson worker on that data, where learner code
        never ran. The lesson namespace is not touched.

        Limits: ``time_limit`` seconds (wall and CPU) for ``code``, as much for each prelude
        block; ``memory_limit`` bytes above what the process held before ``code`` (None: a
        quarter of the machine's memory; this client's own ``memory_limit`` wins over it). On
        timeout, cancel or close the process's whole group is killed, whatever it forked
        included.

        Never raises for the code's problems: ``StepResult.error`` is the exception the code
        raised, or "Timeout", "MemoryLimit", "ConnectionBroken" (the code ended its process or
        wrote into the channel: the run failed), "LessonCodeFailed" (a prelude block raised),
        "Cancelled", "WorkerCrashed", "DeviceUnavailable". ``StepResult.checks`` holds every
        check of ``probe`` in order; ``training`` the loss series (``record_loss`` values, and
        with ``record_backward`` the scalars ``backward()`` was called on). ``on_loss`` is
        called from a reader thread with the whole series so far.
        """
        blocks = [[str(block_code), int(line)] for block_code, line in prelude]
        request = {
            "op": "learner",
            "training": protocol.training_to_json(training),
            "probe": dict(probe) if probe is not None else None,
            "prelude": blocks,
            "seed": int(seed),
            "time_limit": float(time_limit),
            "memory_limit": int(self.memory_limit or memory_limit or 0) or None,
        }
        # the lesson worker stops the run at its limits; this is the safety net above them
        waits = time_limit * (len(blocks) + 1) + LEARNER_MARGIN
        return self._request(request, code, [], waits, first_line, on_loss, None)

    def preview(
        self,
        code: str,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        first_line: int = 1,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult:
        """The forward graph ``code`` would build, before it really runs: the code runs in a
        copy of the namespace (which stays as it was), ``backward()`` does nothing, and the
        result has no values, only ``graph`` (structure and the leaves' numbers, never a
        gradient). Errors and timeouts come back as in :meth:`run`."""
        request = {"op": "preview", "training": None}
        return self._request(request, code, exprs, time_limit, first_line, None, graph_for)

    def graph(
        self,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult:
        """The graph of the step that ran last (call it right after :meth:`run`, before any
        other run), with the gradient torch sent along each edge and into each node during
        that step's backward() calls: ``StepResult.graph``, no values."""
        request = {"op": "graph", "training": None}
        return self._request(request, "", exprs, time_limit, 1, None, graph_for)

    @abstractmethod
    def _request(
        self,
        request: dict[str, Any],
        code: str,
        exprs: Sequence[str],
        time_limit: float,
        first_line: int,
        on_loss: LossCallback | None,
        graph_for: Sequence[bool] | None,
    ) -> StepResult:
        """Send ``request`` with the step's code and expressions; the reply as a result."""
