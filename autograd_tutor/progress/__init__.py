"""Learner progress: the typed document (:mod:`.records`), storage (:mod:`.store`), file
locations and names (:mod:`.paths`) and the teacher's report (:mod:`.report`). No UI, no torch,
no network."""

from __future__ import annotations

from autograd_tutor.progress.paths import (
    StudentNameError,
    check_student_name,
    default_data_dir,
    default_student,
    file_stem,
    progress_path,
    results_path,
)
from autograd_tutor.progress.records import (
    FORMAT,
    VERSION,
    Attempt,
    DocumentError,
    LearnerProgress,
    ProgressDocument,
    decode_document,
    new_document,
    utc_now_iso,
)
from autograd_tutor.progress.store import (
    LearnerFileError,
    ProgressSaveError,
    ProgressStore,
    read_document,
)

__all__ = [
    "FORMAT",
    "VERSION",
    "Attempt",
    "DocumentError",
    "LearnerFileError",
    "LearnerProgress",
    "ProgressDocument",
    "ProgressSaveError",
    "ProgressStore",
    "StudentNameError",
    "check_student_name",
    "decode_document",
    "default_data_dir",
    "default_student",
    "file_stem",
    "new_document",
    "progress_path",
    "read_document",
    "results_path",
    "utc_now_iso",
]
