"""``autograd-tutor list``: lessons with their counts, broken ones with the full error."""

from __future__ import annotations

from lessons_helpers import BUNDLED_IDS, MINIMAL

from autograd_tutor.cli import main
from autograd_tutor.errors import ExitStatus


def test_list_bundled_lessons_in_picker_order(capsys):
    assert main(["list"]) == 0
    out, err = capsys.readouterr()
    rows = [line.split()[0] for line in out.splitlines()[1:] if line[2:3].strip()]
    assert rows == BUNDLED_IDS
    assert "Broken" not in out and err == ""
    assert "\x1b[" not in out


def test_list_shows_counts_and_broken_lessons_with_their_error(write_lesson, capsys):
    folder = write_lesson(MINIMAL.replace("steps:", "summary: s\nsteps:"), "tiny.yaml").parent
    two = MINIMAL.replace("id: tiny", "id: two").replace("title: Tiny", "title: Two steps")
    write_lesson(two + "  - explain: more\n", "two.yaml")
    bad = write_lesson(MINIMAL.replace("expect: 6", "expct: 6"), "bad.yaml")
    assert main(["list", "--lessons", str(folder)]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == f"Lessons in {folder}:"
    tiny = next(line for line in lines if line.split()[:1] == ["tiny"])
    assert "Tiny" in tiny and "1 step " in tiny and tiny.rstrip().endswith("1 question")
    two_line = next(line for line in lines if line.split()[:1] == ["two"])
    assert "Two steps" in two_line and "2 steps" in two_line
    assert "Broken lessons (1)" in out
    assert f"{bad}:10:9: steps[0].ask[0]: unknown key 'expct' (did you mean 'expect'?)" in out
    assert "\x1b[" not in out


def test_list_an_empty_folder(tmp_path, capsys):
    assert main(["list", "--lessons", str(tmp_path)]) == 0
    out, _ = capsys.readouterr()
    assert "(none)" in out


def test_list_a_missing_folder_is_a_usage_error(tmp_path, capsys):
    missing = tmp_path / "nope"
    assert main(["list", "--lessons", str(missing)]) == ExitStatus.USAGE == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"error: argument --lessons: {missing}: no such folder" in err


def test_list_a_file_instead_of_a_folder_is_a_usage_error(write_lesson, capsys):
    path = write_lesson(MINIMAL)
    assert main(["list", "--lessons", str(path)]) == ExitStatus.USAGE
    assert "not a folder" in capsys.readouterr().err
