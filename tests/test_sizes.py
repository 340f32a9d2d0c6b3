"""Memory sizes as people write them (the lesson key ``memory_limit``, ``--memory-limit``)."""

from __future__ import annotations

import pytest

from autograd_tutor.sizes import SizeError, describe_size, parse_size


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("2GB", 2 * 2**30),
        ("512MB", 512 * 2**20),
        ("1.5 GiB", 3 * 2**29),
        (" 64mb ", 64 * 2**20),
        ("1TB", 2**40),
        ("2048KB", 2 * 2**20),
    ],
)
def test_sizes_with_a_unit_are_read(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2 gigs", "'2 gigs' is not a size: write a number and a unit, e.g. 2GB or 512MB"),
        ("2", "'2' is not a size"),
        ("", "'' is not a size"),
        ("GB", "'GB' is not a size"),
        ("-1GB", "'-1GB' is not a size"),
        ("1e9B", "'1e9B' is not a size"),
        ("0MB", "'0MB' is too small: give at least 1MB"),
        ("512KB", "too small"),
        ("2048TB", "'2048TB' is too large: give at most 1024TB"),
    ],
)
def test_anything_else_is_refused_saying_why(text: str, words: str) -> None:
    with pytest.raises(SizeError) as info:
        parse_size(text)
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("size", "text"),
    [(2**30, "1 GB"), (512 * 2**20, "512 MB"), (3 * 2**29, "1.5 GB"), (1000 * 2**30, "1000 GB")],
)
def test_sizes_are_worded_in_the_largest_unit_they_fill(size: int, text: str) -> None:
    assert describe_size(size) == text
    assert parse_size(text.replace(" ", "")) == size
