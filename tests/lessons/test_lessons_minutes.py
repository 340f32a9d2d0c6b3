"""``minutes:``: how long a lesson takes. The loader reads it (a whole number >= 1, optional),
the schema agrees, and ``autograd-tutor list`` shows it."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from lessons_helpers import MINIMAL

from autograd_tutor.cli import main
from autograd_tutor.lessons.loader import PositionLoader, load_lesson


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
    assert tiny.rstrip().endswith("1 question     ~7 min")
    assert other_line.rstrip().endswith("1 question")


def test_list_has_no_minutes_column_when_no_lesson_says(tmp_path, capsys):
    (tmp_path / "tiny.yaml").write_text(MINIMAL)
    assert main(["list", "--lessons", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    tiny = next(line for line in lines if line.split()[:1] == ["tiny"])
    assert tiny.endswith("1 question")
