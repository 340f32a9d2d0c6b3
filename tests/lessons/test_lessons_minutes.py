"""``minutes:``: how long a lesson takes. The loader reads it (a whole number >= 1, optional),
the schema agrees, and ``autograd-tutor list`` shows it."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
from importlib import resources

import jsonschema
import pytest
from lessons_helpers import MINIMAL

from autograd_tutor.cli import main
from autograd_tutor.commands import list as list_command
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.yaml_file import PositionLoader


def with_minutes(value: str) -> str:
    return MINIMAL.replace("title: Tiny\n", f"title: Tiny\nminutes: {value}\n")


def schema_errors(text: str) -> list[str]:
    schema = json.loads(
        resources.files("autograd_tutor.lessons").joinpath("schema.json").read_text("utf-8")
    )
    loader = PositionLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


def test_minutes_is_read_and_optional(write_lesson):
    assert load_lesson(write_lesson(with_minutes("12"))).minutes == 12
    assert load_lesson(write_lesson(MINIMAL)).minutes is None
    assert schema_errors(with_minutes("12")) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "must be a whole number of minutes >= 1, got 0"),
        ("-5", "must be a whole number of minutes >= 1, got -5"),
        ("7.5", "expected a whole number, got a number (7.5)"),
        ("ten", "expected a whole number, got"),
        ("true", "expected a whole number"),
    ],
)
def test_bad_minutes_are_refused_by_loader_and_schema(load_error, value, message):
    error = load_error(with_minutes(value))
    assert error.field == "minutes"
    assert error.line == 3
    assert message in str(error)
    assert schema_errors(with_minutes(value))


def test_list_shows_minutes_only_for_lessons_that_say(tmp_path, capsys):
    (tmp_path / "tiny.yaml").write_text(with_minutes("7"))
    other = MINIMAL.replace("id: tiny", "id: other").replace("title: Tiny", "title: Other")
    (tmp_path / "other.yaml").write_text(other)
    assert main(["list", "--lessons", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    tiny = next(line for line in lines if line.split()[:1] == ["tiny"])
    other_line = next(line for line in lines if line.split()[:1] == ["other"])
    assert tiny.rstrip().endswith("1 question   ~7 min")
    assert other_line.rstrip().endswith("1 question")


def test_list_has_no_minutes_column_when_no_lesson_says(tmp_path, capsys):
    (tmp_path / "tiny.yaml").write_text(MINIMAL)
    assert main(["list", "--lessons", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    tiny = next(line for line in lines if line.split()[:1] == ["tiny"])
    assert tiny.endswith("1 question")


class Terminal(io.StringIO):
    """Standard output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("columns", "cut"), [(80, True), (120, False)])
def test_list_on_a_terminal_fits_its_width(monkeypatch, columns, cut):
    monkeypatch.setattr(shutil, "get_terminal_size", lambda: os.terminal_size((columns, 24)))
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    assert list_command.run(argparse.Namespace(lessons=None), out=out) == 0
    rows = out.getvalue().splitlines()[1:]
    assert len([row for row in rows if row[2:3].strip()]) >= 18
    assert all(len(row) < columns for row in rows), max(rows, key=len)
    assert any("…" in row for row in rows) == cut  # titles are cut only when needed, visibly
    lessons = [row for row in rows if row[2:3].strip()]  # not a lesson's "and 1 exercise" line
    assert all(row.rstrip().endswith("min") for row in lessons)  # the minutes stay whole


def test_list_into_a_pipe_keeps_whole_titles():
    out = io.StringIO()
    assert list_command.run(argparse.Namespace(lessons=None), out=out) == 0
    assert "…" not in out.getvalue()
    assert "Cutting the graph with detach()" in out.getvalue()
