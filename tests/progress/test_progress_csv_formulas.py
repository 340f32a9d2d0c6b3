"""Every CSV the app writes (``report --csv``, ``report --gradebook``, ``export --format csv``):
a teacher who opens it in a spreadsheet runs nothing (:data:`hostile_results.FORMULA_CELLS`)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hostile_results import FORMULA_CELLS, PLAIN_NUMBER_CELLS
from progress_helpers import make_attempt

from autograd_tutor.cli import main
from autograd_tutor.progress import ProgressStore
from autograd_tutor.progress.csv_cells import csv_text, spreadsheet_safe
from autograd_tutor.progress.report import build_report, write_csv

_RUNS = re.compile(r"^(?:[\t\r]|\s*[=+\-@])")


def _assert_nothing_runs(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            if _RUNS.match(cell):
                assert re.fullmatch(r"[+-]?[\d.]+(?:[eE][+-]?\d+)?", cell), cell
    return rows


@pytest.mark.parametrize(("text", "why"), FORMULA_CELLS)
def test_a_formula_cell_is_text(text: str, why: str) -> None:
    assert spreadsheet_safe(text) == "'" + text, why
    rows = _assert_nothing_runs(csv_text(["a"], [[text]]))
    assert rows[1] == ["'" + text]  # kept whole, behind the mark


@pytest.mark.parametrize("number", PLAIN_NUMBER_CELLS)
def test_a_number_stays_a_number(number: str) -> None:
    assert spreadsheet_safe(number) == number
    assert spreadsheet_safe(-2.5) == -2.5


def _hostile_store(root: Path, results: Path | None = None) -> ProgressStore:
    store = ProgressStore(root / "data", "ada", results)
    for i, (text, _why) in enumerate(FORMULA_CELLS):
        store.record(
            make_attempt(
                f"lesson{i}",
                "1.1",
                expr=text,
                typed=text,
                verdict="wrong",
                feedback=text,
                diagnoses=(text,),
            )
        )
    return store


def test_report_csv_runs_nothing(tmp_path: Path) -> None:
    _hostile_store(tmp_path, tmp_path / "results")
    buf = io.StringIO()
    write_csv(build_report(tmp_path / "results"), buf)
    rows = _assert_nothing_runs(buf.getvalue())
    cells = {cell for row in rows for cell in row}
    assert "'@SUM(1+1)" in cells and '\'+cmd|"/C calc"!A0' in cells


def test_export_csv_runs_nothing(tmp_path: Path) -> None:
    store = _hostile_store(tmp_path)
    out = tmp_path / "ada.csv"
    assert (
        main(["export", "--data-dir", str(store.data_dir), "--student", "ada", "-o", str(out)]) == 0
    )
    rows = _assert_nothing_runs(out.read_text(encoding="utf-8"))
    assert len(rows) == 1 + len(FORMULA_CELLS)
    assert '\'=HYPERLINK("http://x.invalid","y")' in rows[1]
