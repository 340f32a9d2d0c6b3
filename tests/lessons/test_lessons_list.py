"""``autograd-tutor list``: lessons with their counts, broken ones with the full error."""

from __future__ import annotations

from lessons_helpers import BUNDLED_IDS, MINIMAL

from autograd_tutor.cli import main


def test_list_bundled_lessons_in_picker_order(capsys):
    assert main(["list"]) == 0
    out, err = capsys.readouterr()
    rows = [line.split()[0] for line in out.splitlines()[1:] if line.strip()]
    assert rows == BUNDLED_IDS
    assert "Broken" not in out and err == ""
    assert "\x1b[" not in out


def test_list_shows_counts_and_broken_lessons_with_their_error(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "tiny.yaml").write_text(MINIMAL.replace("steps:", "summary: s\nsteps:"))
    two = MINIMAL.replace("id: tiny", "id: two").replace("title: Tiny", "title: Two steps")
    (folder / "two.yaml").write_text(two + "  - explain: more\n")
    bad = folder / "bad.yaml"
    bad.write_text(MINIMAL.replace("expect: 6", "expct: 6"))
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


def test_list_a_missing_folder_exits_2(tmp_path, capsys):
    missing = tmp_path / "nope"
    assert main(["list", "--lessons", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"--lessons {missing}: no such folder" in err


def test_list_a_file_instead_of_a_folder_exits_2(tmp_path, capsys):
    path = tmp_path / "x.yaml"
    path.write_text(MINIMAL)
    assert main(["list", "--lessons", str(path)]) == 2
    assert "not a folder" in capsys.readouterr().err
