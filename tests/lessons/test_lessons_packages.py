"""Every package of the source tree is listed in pyproject.toml's explicit package list, so a
non-editable install (the README's, CI's) ships it: a package left out works in an editable
checkout and fails with ModuleNotFoundError everywhere else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_source_package_is_listed_in_pyproject() -> None:
    # tomllib is not in Python 3.10: read the list ("packages = [ ... ]") as text
    block = re.search(r"^packages = \[(.*?)^\]", (ROOT / "pyproject.toml").read_text(), re.M | re.S)
    assert block is not None, "pyproject.toml has no packages = [...] list"
    listed = set(re.findall(r'"([\w.]+)"', block.group(1)))
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "autograd_tutor").rglob("__init__.py")
    }
    assert on_disk - listed == set(), (
        f"add these to pyproject.toml's packages: {sorted(on_disk - listed)}"
    )
