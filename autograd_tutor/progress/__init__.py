"""Learner progress: records (:mod:`.records`), storage (:mod:`.store`), file locations
(:mod:`.paths`) and the teacher's report (:mod:`.report`). No UI, no torch, no network."""

from __future__ import annotations

from autograd_tutor.progress.paths import (
    default_data_dir,
    default_student,
    progress_path,
    results_path,
    safe_name,
)
from autograd_tutor.progress.records import (
    FORMAT,
    VERSION,
    Attempt,
    DocumentError,
    LearnerProgress,
    new_document,
    parse_document,
    utc_now_iso,
)
from autograd_tutor.progress.store import ProgressSaveError, ProgressStore, read_document

__all__ = [
    "FORMAT",
    "VERSION",
    "Attempt",
    "DocumentError",
    "LearnerProgress",
    "ProgressSaveError",
    "ProgressStore",
    "default_data_dir",
    "default_student",
    "new_document",
    "parse_document",
    "progress_path",
    "read_document",
    "results_path",
    "safe_name",
    "utc_now_iso",
]
