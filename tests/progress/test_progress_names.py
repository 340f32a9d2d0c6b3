"""One learner, one file: reversible file names, case twins, another learner's file never
merged into, names with control characters refused, files of older versions migrated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run_cli
from hypothesis import given
from hypothesis import strategies as st
from progress_helpers import make_attempt

from autograd_tutor.cli import main
from autograd_tutor.errors import ExitStatus
from autograd_tutor.progress import (
    LearnerFileError,
    ProgressStore,
    StudentNameError,
    read_document,
)
from autograd_tutor.progress.paths import (
    check_student_name,
    file_stem,
    legacy_stem,
    student_from_stem,
)
from autograd_tutor.progress.report import build_report
from autograd_tutor.safe_text import has_control_characters

names = st.text(min_size=1, max_size=64).filter(
    lambda s: s == s.strip() and not has_control_characters(s)
)


@given(names)
def test_file_names_are_reversible_and_safe_everywhere(name: str) -> None:
    stem = file_stem(name)
    assert student_from_stem(stem) == name  # reversible: distinct names, distinct files
    assert stem.isascii() and "/" not in stem and "\\" not in stem and ":" not in stem
    assert not stem.startswith(".") and not stem.endswith(".")


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("ada", "ada"),
        ("Ada Lovelace", "Ada%20Lovelace"),
        ("a/b", "a%2Fb"),
        ("a_b", "a_b"),
        ("..", "%2E%2E"),
        ("con", "%63on"),
        ("Zoë", "Zo%C3%AB"),
        ("100%", "100%25"),
    ],
)
def test_file_stems_stay_readable(name: str, stem: str) -> None:
    assert file_stem(name) == stem


def _two_learners(tmp_path: Path, first: str, second: str) -> tuple[ProgressStore, ...]:
    results = tmp_path / "results"
    stores = tuple(
        ProgressStore(tmp_path / "data", name, results, on_warning=pytest.fail)
        for name in (first, second)
    )
    return stores


def test_a_slash_and_an_underscore_name_keep_their_own_files(tmp_path: Path) -> None:
    slash, underscore = _two_learners(tmp_path, "a/b", "a_b")
    slash.record(make_attempt(question_id="1.1", typed="1"))
    underscore.record(make_attempt(question_id="1.2", typed="2"))
    assert slash.path != underscore.path and slash.path.parent == underscore.path.parent
    assert [
        a.typed for a in ProgressStore(tmp_path / "data", "a/b").progress.attempts("chain-rule")
    ] == ["1"]
    assert [
        a.typed for a in ProgressStore(tmp_path / "data", "a_b").progress.attempts("chain-rule")
    ] == ["2"]
    report = build_report(tmp_path / "results", jobs=1)
    assert sorted(t.student for t in report.learners) == ["a/b", "a_b"]
    assert all(t.notes == () for t in report.learners)


def test_names_that_differ_only_in_case_are_refused_before_they_share_a_file(
    tmp_path: Path,
) -> None:
    ann = ProgressStore(tmp_path / "data", "ann")
    ann.record(make_attempt())
    with pytest.raises(LearnerFileError, match="upper and lower case"):
        ProgressStore.from_options("Ann", tmp_path / "data")
    big_ann = ProgressStore(tmp_path / "data", "Ann")  # a store made directly checks too
    with pytest.raises(LearnerFileError):
        big_ann.record(make_attempt(question_id="9.9"))
    with pytest.raises(LearnerFileError):
        big_ann.load()
    assert [p.name for p in (tmp_path / "data").glob("*.json")] == ["ann.json"]
    assert len(read_document(ann.path)["lessons"]["chain-rule"]["attempts"]) == 1


def test_another_learners_file_is_never_merged_into(tmp_path: Path) -> None:
    # What a case-insensitive file system shows "Ann": the file "ann" wrote.
    ann = ProgressStore(tmp_path / "data", "ann")
    ann.record(make_attempt())
    big_ann = ProgressStore(tmp_path / "other", "Ann")
    big_ann.path.parent.mkdir()
    big_ann.path.write_bytes(ann.path.read_bytes())
    before = big_ann.path.read_bytes()
    with pytest.raises(LearnerFileError, match="holds the progress of 'ann', not of 'Ann'"):
        big_ann.load()
    with pytest.raises(LearnerFileError):
        big_ann.record(make_attempt(question_id="2.1"))
    assert big_ann.path.read_bytes() == before


def test_the_cli_stops_with_a_clear_error_for_another_learners_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ProgressStore(data, "ann").record(make_attempt())
    done = run_cli(["export", "--data-dir", str(data), "--student", "Ann"])
    assert done.returncode == ExitStatus.USAGE
    assert "error:" in done.stderr and "Traceback" not in done.stderr
    # the tutor itself stops before the first question, and writes nothing
    done = run_cli(["--plain", "--student", "Ann", "--data-dir", str(data)], stdin="6\n")
    assert done.returncode == ExitStatus.USAGE
    assert "upper and lower case" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in data.glob("*.json")) == ["ann.json"]
    assert "error:" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["\x1b[31mRED\x1b[0m", "a\nb", "bell\x07", "x\u202eevil", ""])
def test_names_with_control_characters_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(StudentNameError):
        check_student_name(name)
    with pytest.raises(StudentNameError):
        ProgressStore(tmp_path, name)


def test_student_option_refuses_an_escape_sequence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["export", "--data-dir", str(tmp_path), "--student", "\x1b]52;c;aGk=\x07x"])
    assert status == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert "control characters" in err and "\\x1b" in err
    assert "\x1b" not in err and "\x07" not in err
    assert list(tmp_path.iterdir()) == []


def test_files_named_by_older_versions_are_migrated_on_load(tmp_path: Path) -> None:
    old = ProgressStore(tmp_path / "data", "Ada Lovelace", tmp_path / "results")
    old.record(make_attempt())
    legacy = legacy_stem("Ada Lovelace") + ".json"
    assert legacy == "Ada_Lovelace.json"
    for folder in ("data", "results"):  # as version 0.1 named them
        (tmp_path / folder / f"{file_stem('Ada Lovelace')}.json").rename(tmp_path / folder / legacy)
    store = ProgressStore(tmp_path / "data", "Ada Lovelace", tmp_path / "results")
    assert len(store.progress.attempts("chain-rule")) == 1
    for folder in ("data", "results"):
        assert sorted(p.name for p in (tmp_path / folder).glob("*.json")) == ["Ada%20Lovelace.json"]
    # a legacy file of another learner ("a/b" and "a_b" both wrote a_b.json) is left alone
    (tmp_path / "data" / "a_b.json").write_text(
        json.dumps({**read_document(store.path), "student": "a/b"})
    )
    with pytest.raises(LearnerFileError):
        ProgressStore(tmp_path / "data", "a_b").load()
    ProgressStore(tmp_path / "data", "a/b").load()  # its owner takes it over
    assert (tmp_path / "data" / "a%2Fb.json").exists()
    assert not (tmp_path / "data" / "a_b.json").exists()
