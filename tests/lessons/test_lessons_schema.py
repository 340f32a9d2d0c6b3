"""schema.json: a valid draft 2020-12 schema, every bundled lesson passes it, and it names
exactly the keys the loader knows (so the editor's schema and the loader cannot drift)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from lessons_helpers import BUNDLED_IDS, MINIMAL

from autograd_tutor.lessons.bundled import bundled_lessons_dir
from autograd_tutor.lessons.errors import LessonError
from autograd_tutor.lessons.keys import KNOWN_KEYS, REQUIRED_KEYS
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.yaml_file import PositionLoader

DEFS = {
    "step": "step",
    "question": "question",
    "wrong": "wrong",
    "train": "train",
    "line": "line",
    "exercise": "exercise",
    "check": "check",
    "experiment": "experiment",
    "outcome": "outcome",
    "param": "param",
}


@pytest.fixture(scope="module")
def schema() -> dict:
    text = resources.files("autograd_tutor.lessons").joinpath("schema.json").read_text("utf-8")
    return json.loads(text)


@pytest.fixture(scope="module")
def validator(schema) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def plain(text: str):
    """The YAML as plain data, read the way the loader reads it (1e-3 is a float)."""
    loader = PositionLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def part(schema: dict, kind: str) -> dict:
    return schema if kind == "lesson" else schema["$defs"][DEFS[kind]]


def test_the_schema_is_draft_2020_12(schema, validator):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("kind", sorted(KNOWN_KEYS))
def test_schema_and_loader_know_the_same_keys(schema, kind):
    section = part(schema, kind)
    assert set(section["properties"]) == set(KNOWN_KEYS[kind])
    assert section["additionalProperties"] is False
    assert set(section.get("required", [])) == set(REQUIRED_KEYS[kind])


def test_every_bundled_lesson_passes_the_schema(validator):
    paths = sorted(bundled_lessons_dir().glob("*.yaml"))
    assert len(paths) == len(BUNDLED_IDS)
    for path in paths:
        errors = [e.message for e in validator.iter_errors(plain(path.read_text("utf-8")))]
        assert errors == [], path.name


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("expect: 6", "expct: 6"),
        ("id: tiny", "id: Tiny"),
        ("title: Tiny", "title: Tiny\nseed: 1.5"),
        ("expect: 6", "expect: 6\n        tolerance: 0"),
        ("    ask:\n      - expr: x.grad\n        expect: 6\n", "    ask: []\n"),
        ("title: Tiny\n", ""),
    ],
)
def test_schema_and_loader_both_reject(validator, write_lesson, old, new):
    text = MINIMAL.replace(old, new)
    assert text != MINIMAL
    assert list(validator.iter_errors(plain(text)))
    with pytest.raises(LessonError):
        load_lesson(write_lesson(text))


def test_schema_and_loader_both_accept_the_optional_forms(validator, write_lesson):
    text = MINIMAL.replace(
        "expect: 6",
        "expect: [[1, 2], [3, 4]]\n        hints: one\n        id: 7\n        tolerance: 1e-3\n"
        "        wrong: [{answer: null, says: s}]",
    ) + (
        "  - train:\n      x: xs\n      y: ys\n      lines: [{label: t, slope: 2, intercept: b}]\n"
    )
    assert list(validator.iter_errors(plain(text))) == []
    lesson = load_lesson(write_lesson(text))
    assert lesson.questions[0].id == "7"


def test_plain_reading_refuses_aliases_too():
    with pytest.raises(Exception, match="aliases"):
        plain("a: &x 1\nb: *x\n")


def test_the_seed_lessons_point_editors_at_the_schema():
    # Each seed lesson starts with a yaml-language-server comment whose relative path leads
    # from the repository's lessons/ folder to this schema.
    repo_lessons = Path(__file__).resolve().parents[2] / "lessons"
    schema_file = repo_lessons.parent / "autograd_tutor" / "lessons" / "schema.json"
    for path in sorted(repo_lessons.glob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), path.name
        assert (path.parent / first[len(prefix) :]).resolve() == schema_file.resolve()
