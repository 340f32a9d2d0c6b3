"""The teacher's report over a folder of results files, in three steps:

- :mod:`.read`: read and verify one results file (:func:`.read.verify_results_file`);
- :mod:`.aggregate`: sum a folder's verified files (counted by :mod:`.tally`) into a
  :class:`.model.Report` (:func:`.aggregate.build_report`);
- :mod:`.render`: write a report as aligned text or CSV.

The names most callers need are re-exported here. No torch, no Textual, no network.
"""

from __future__ import annotations

from autograd_tutor.progress.report.aggregate import TOP_WRONG, build_report, normalize_answer
from autograd_tutor.progress.report.model import (
    LearnerTotals,
    LessonStats,
    QuestionStats,
    Report,
    WrongAnswer,
)
from autograd_tutor.progress.report.read import (
    MAX_FILE_BYTES,
    FileProblem,
    UnusableResultsFile,
    VerifiedResults,
    Verifier,
    read_results_file,
    results_files,
    verify_results_file,
)
from autograd_tutor.progress.report.render import (
    CSV_HEADERS,
    WIDTH,
    render,
    report_lines,
    write_csv,
)
from autograd_tutor.progress.report.tally import PARALLEL_FROM

__all__ = [
    "CSV_HEADERS",
    "MAX_FILE_BYTES",
    "PARALLEL_FROM",
    "TOP_WRONG",
    "WIDTH",
    "FileProblem",
    "LearnerTotals",
    "LessonStats",
    "QuestionStats",
    "Report",
    "UnusableResultsFile",
    "VerifiedResults",
    "Verifier",
    "WrongAnswer",
    "build_report",
    "normalize_answer",
    "read_results_file",
    "render",
    "report_lines",
    "results_files",
    "verify_results_file",
    "write_csv",
]
