"""The lesson key ``memory_limit`` (issue 19): a size such as 2GB, read by the loader with the
one size parser, a bad value an error at its file:line; the schema says the same."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from lessons_helpers import MINIMAL

from autograd_tutor.lessons.loader import load_lesson


def with_limit(value: str) -> str:
    return MINIMAL.replace("title: Tiny\n", f"title: Tiny\nmemory_limit: {value}\n")


def test_a_lesson_names_its_memory_limit(write_lesson) -> None:
    assert load_lesson(write_lesson(with_limit("2GB"))).memory_limit == 2 * 2**30
    assert load_lesson(write_lesson(with_limit("512 MB"))).memory_limit == 512 * 2**20


def test_without_the_key_the_default_applies(write_lesson) -> None:
    assert load_lesson(write_lesson(MINIMAL)).memory_limit is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2 gigs", "'2 gigs' is not a size: write a number and a unit, e.g. 2GB or 512MB"),
        ("2", "expected a size such as 2GB or 512MB, got a number (2)"),
        ("[2GB]", "expected a size such as 2GB or 512MB, got a list"),
        ("0MB", "'0MB' is too small: give at least 1MB"),
        ("4096TB", "is too large"),
    ],
)
def test_a_bad_memory_limit_is_an_error_at_its_line(load_error, value: str, words: str) -> None:
    err = load_error(with_limit(value))
    assert err.line == 3 and err.field == "memory_limit"
    assert words in err.message
    assert ":3:" in str(err)


def test_the_schema_takes_a_size_and_refuses_anything_else() -> None:
    text = resources.files("autograd_tutor.lessons").joinpath("schema.json").read_text("utf-8")
    validator = jsonschema.Draft202012Validator(json.loads(text))
    lesson = {"id": "tiny", "title": "Tiny", "steps": [{"code": "x = 1"}]}
    for good in ("2GB", "512MB", "1.5 GiB"):
        assert validator.is_valid({**lesson, "memory_limit": good}), good
    for bad in ("2 gigs", "2", 2):
        assert not validator.is_valid({**lesson, "memory_limit": bad}), bad
