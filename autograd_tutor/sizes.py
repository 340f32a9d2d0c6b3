"""Memory sizes as people write them (``2GB``, ``512MB``, ``1.5 GiB``): one parser for the
lesson key ``memory_limit`` and the ``--memory-limit`` option, one wording for the messages.

The units are binary, as the system counts memory: 1 KB = 1024 bytes, 1 MB = 1024 KB,
1 GB = 1024 MB, 1 TB = 1024 GB (``KiB``, ``MiB``, ``GiB``, ``TiB`` mean the same)."""

from __future__ import annotations

import re

UNITS = {"KB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40}
SMALLEST = 2**20  # 1 MB: less could not even hold the code
LARGEST = 2**50  # 1024 TB: more is no limit at all (and overflows the system's limits)
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT])i?B", re.IGNORECASE)
EXAMPLE = "a number and a unit, e.g. 2GB or 512MB"


class SizeError(ValueError):
    """A size that cannot be read, or out of range; the message says which and why."""


def parse_size(text: str) -> int:
    """The number of bytes ``text`` names (``2GB`` -> 2147483648); :class:`SizeError` when it
    is not a size, or less than 1 MB or more than 1024 TB."""
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise SizeError(f"{text.strip()!r} is not a size: write {EXAMPLE}")
    size = int(float(match[1]) * UNITS[match[2].upper() + "B"])
    if size < SMALLEST:
        raise SizeError(f"{text.strip()!r} is too small: give at least 1MB")
    if size > LARGEST:
        raise SizeError(f"{text.strip()!r} is too large: give at most 1024TB")
    return size


def describe_size(size: int) -> str:
    """``size`` bytes in the largest unit it fills: ``1 GB``, ``512 MB``, ``1.5 GB``."""
    for unit in ("TB", "GB", "MB", "KB"):
        if size >= UNITS[unit]:
            return f"{round(size / UNITS[unit], 2):g} {unit}"
    return f"{size} bytes"
