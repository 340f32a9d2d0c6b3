"""Hostile lesson files are refused with a clear message (never a hang, a crash or a huge
allocation), and a hostile file in a folder does not stop the good lessons from loading."""

from __future__ import annotations

import random

import pytest
from lessons_helpers import MINIMAL

from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.lessons.yaml_file import MAX_DEPTH, MAX_NODES

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_a_5_mb_file_is_refused_by_its_size(load_error):
    err = load_error("# " + "x" * (5 * 1024 * 1024) + "\n" + MINIMAL)
    assert err.line is None
    assert err.message.startswith(f"file is too large ({5 * 1024 * 1024 + 3 + len(MINIMAL)} bytes")
    assert "at most 1 MB" in err.message


def test_10000_deep_flow_nesting(load_error):
    err = load_error("id: t\ntitle: T\nsteps: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert err.line == 3
    assert err.message.startswith("data nested too deeply")


def test_deep_nesting_under_the_parser_limit_meets_ours(load_error):
    err = load_error("id: t\ntitle: T\nsteps: " + "[" * 500 + "]" * 500 + "\n")
    assert (err.line, err.column) == (3, 8 + MAX_DEPTH - 1)
    assert f"data nested too deeply (more than {MAX_DEPTH} levels)" == err.message


def test_10000_deep_block_nesting(load_error):
    err = load_error("- " * 10_000 + "x\n")
    assert err.line == 1 and err.message.startswith("data nested too deeply")


def test_billion_laughs_is_refused_at_the_first_alias(load_error):
    err = load_error(BILLION_LAUGHS)
    assert (err.line, err.column) == (2, 8)
    assert "YAML aliases (*a) are not allowed" in err.message


def test_an_alias_inside_a_lesson_is_refused(load_error):
    text = MINIMAL.replace("expect: 6", "expect: &six 6\n        wrong: [{answer: *six, says: s}]")
    err = load_error(text)
    assert err.line == 11 and "aliases (*six)" in err.message


def test_too_many_values(load_error):
    err = load_error("id: t\ntitle: T\nsteps: [" + "1, " * (MAX_NODES + 10) + "]\n")
    assert err.line == 3 and "too many values" in err.message


def test_random_binary_bytes(load_error):
    data = random.Random(2).randbytes(4096)
    err = load_error(data)
    assert "not a UTF-8 text file" in err.message
    assert err.line is not None and err.column is not None


def test_nul_bytes_in_valid_utf8(load_error):
    err = load_error(MINIMAL.encode() + b"\x00\x00\x00")
    assert (err.line, err.column) == (11, 1) and "NUL bytes" in err.message


@pytest.mark.parametrize("text", [b"", b"   \n\n\t\n"])
def test_empty_file(load_error, text):
    err = load_error(text)
    assert err.line == 1 and err.message == "the file is empty"


def test_a_file_with_only_comments_holds_no_lesson(load_error):
    err = load_error("# nothing here yet\n")
    assert err.line == 1 and "holds no lesson" in err.message


def test_a_utf8_bom_is_fine(write_lesson):
    from autograd_tutor.lessons.loader import load_lesson

    lesson = load_lesson(write_lesson(b"\xef\xbb\xbf" + MINIMAL.encode()))
    assert lesson.id == "tiny"


def test_hostile_files_are_listed_as_broken_beside_a_good_lesson(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "good.yaml").write_text(MINIMAL)
    (folder / "bomb.yaml").write_text(BILLION_LAUGHS)
    (folder / "deep.yaml").write_text("[" * 10_000 + "]" * 10_000)
    (folder / "big.yaml").write_bytes(b"a: 1\n" * 400_000)
    (folder / "binary.yaml").write_bytes(random.Random(3).randbytes(2048))
    (folder / "empty.yml").write_bytes(b"")
    lessons, broken = load_lessons(folder)
    assert [lesson.id for lesson in lessons] == ["tiny"]
    assert sorted(b.id for b in broken) == ["big", "binary", "bomb", "deep", "empty"]


def test_a_huge_code_block_is_refused_before_it_is_parsed(load_error):
    body = "".join(f"      v{i} = {i}\n" for i in range(3000))
    err = load_error(MINIMAL.replace("      y.backward()\n", "      y.backward()\n" + body))
    assert err.line == 5  # the first line of the code
    assert err.field == "steps[0].code"
    assert "a step's code is at most 20,000" in err.message
