"""``autograd-tutor export``: this learner's results as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from progress_helpers import make_attempt

from autograd_tutor.cli import main
from autograd_tutor.progress import ProgressStore, read_document
from autograd_tutor.progress.export import CSV_FIELDS


@pytest.fixture
def ada(tmp_path: Path) -> ProgressStore:
    store = ProgressStore(tmp_path / "data", "ada")
    store.record(make_attempt("old-lesson", "1.1", verdict="wrong", typed="0"))
    store.reset_lesson("old-lesson")
    store.record(
        make_attempt(
            "chain-rule",
            "2.1",
            verdict="wrong",
            typed="[-2, -4]",
            diagnoses=("sign", "known_wrong"),
            feedback='The sign is flipped, "again"',
        )
    )
    store.record(make_attempt("chain-rule", "2.1", verdict="right"))
    store.record(make_attempt("chain-rule", "2.2", verdict="skipped", typed=None))
    return store


def _export(store: ProgressStore, *extra: str) -> int:
    return main(["export", "--data-dir", str(store.data_dir), "--student", "ada", *extra])


def test_export_json_is_the_document(ada: ProgressStore, tmp_path: Path) -> None:
    out = tmp_path / "ada-export.json"
    assert _export(ada, "-o", str(out)) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported == read_document(ada.path)
    assert len(exported["lessons"]["chain-rule"]["attempts"]) == 3


def test_export_csv_has_one_row_per_attempt(ada: ProgressStore, tmp_path: Path) -> None:
    out = tmp_path / "ada.csv"
    assert _export(ada, "--format", "csv", "-o", str(out)) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0].keys()) == CSV_FIELDS
    assert [(r["lesson_id"], r["question_id"], r["verdict"]) for r in rows] == [
        ("chain-rule", "2.1", "wrong"),
        ("chain-rule", "2.1", "right"),
        ("chain-rule", "2.2", "skipped"),
        ("old-lesson", "1.1", "wrong"),  # archived by the reset, marked so
    ]
    assert rows[0]["typed"] == "[-2, -4]"
    assert rows[0]["diagnoses"] == "sign;known_wrong"
    assert rows[0]["feedback"] == 'The sign is flipped, "again"'
    assert float(rows[1]["credit"]) == 1.0 and rows[1]["student"] == "ada"
    assert rows[2]["typed"] == ""
    assert rows[0]["reset_at"] == "" and rows[3]["reset_at"] != ""


def test_export_to_stdout_and_format_from_suffix(
    ada: ProgressStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _export(ada) == 0
    assert json.loads(capsys.readouterr().out)["student"] == "ada"
    assert _export(ada, "-o", str(tmp_path / "x.csv")) == 0
    assert (tmp_path / "x.csv").read_text().startswith("student,lesson_id,")


def test_export_does_not_touch_a_broken_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "ada.json").write_text('{"format": "autograd-tutor-progress", "ver')
    code = main(["export", "--data-dir", str(data), "--student", "ada"])
    assert code == 1
    assert "truncated" in capsys.readouterr().err
    assert sorted(p.name for p in data.iterdir()) == ["ada.json"]


def test_export_without_progress_is_empty_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--data-dir", str(tmp_path), "--student", "zoe", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [",".join(CSV_FIELDS)]
    assert "zoe" in captured.err
