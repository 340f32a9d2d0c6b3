"""``WorkerLike``: what a lesson session needs of a worker (the Protocol that
:class:`~autograd_tutor.worker.client.WorkerClient` and the tests' scripted fake both satisfy),
and the types its calls take.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from autograd_tutor.lessons.model import Training
from autograd_tutor.worker.protocol import StepResult, WorkerInfo

LossCallback = Callable[[list[float]], None]
PreludeBlock = tuple[str, int]  # trusted code, and the number of its first line


class WorkerLike(Protocol):
    """What a lesson session needs of a worker: :class:`WorkerClient` is one; tests use a
    scripted fake (no torch) to drive replay, cancel and crash paths deterministically."""

    generation: int  # +1 whenever a new worker process starts (its namespace is lost)

    def wait_ready(self, timeout: float | None = None) -> WorkerInfo: ...

    def reset(self, seed: int) -> None: ...

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
    ) -> StepResult: ...

    def preview(
        self,
        code: str,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        first_line: int = 1,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult: ...

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
    ) -> StepResult: ...

    def prepare_learner(self) -> None: ...

    def graph(
        self,
        exprs: Sequence[str],
        *,
        time_limit: float = 10.0,
        graph_for: Sequence[bool] | None = None,
    ) -> StepResult: ...

    def cancel(self) -> None: ...
