"""The torch worker: a separate process that runs lesson code, and the client that drives it.

This package never imports torch itself; only ``process.py`` and ``convert.py`` do, and they
run inside the worker process.
"""

from autograd_tutor.worker.client import WorkerClient
from autograd_tutor.worker.process_handle import describe_exit
from autograd_tutor.worker.protocol import (
    QuestionValue,
    StepError,
    StepResult,
    TrainingData,
    WorkerInfo,
    WorkerNotReady,
    WorkerUnavailable,
)
from autograd_tutor.worker.worker_like import WorkerLike

__all__ = [
    "QuestionValue",
    "StepError",
    "StepResult",
    "TrainingData",
    "WorkerClient",
    "WorkerInfo",
    "WorkerLike",
    "WorkerNotReady",
    "WorkerUnavailable",
    "describe_exit",
]
