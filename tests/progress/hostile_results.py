"""The hostile results corpus: what a learner's machine (or a learner with an editor) can put in
a results file, and what the teacher's side must do with it. Each case names its expected
outcome; the tests that use it say which part of the app it goes through.

``HOSTILE`` in ``test_progress_report_trust.py`` holds the terminal escape sequences (shown
written out, never sent to the terminal); this module holds the rest.
"""

from __future__ import annotations

# Spreadsheet formulas (and what hides one) as the first characters of a text cell: every CSV
# the app writes starts such a cell with ' so that the spreadsheet shows it as text.
FORMULA_CELLS: list[tuple[str, str]] = [
    ('=HYPERLINK("http://x.invalid","y")', "a formula that opens a link"),
    ('+cmd|"/C calc"!A0', "DDE: runs a program in older spreadsheets"),
    ("@SUM(1+1)", "an @ formula"),
    ("-2+3+cmd|' /C notepad'!'A1'", "a minus that starts a formula"),
    ("\t=1+1", "a tab before the formula"),
    ("  =1+1", "spaces before the formula (some spreadsheets trim them)"),
    ("=1+1\n=2+2", "a formula on two lines"),
]
# Cells that look like numbers stay numbers (a negative gradient is a value, not a formula).
PLAIN_NUMBER_CELLS: list[str] = ["-2", "-0.5", "+3", "1e-3", "-1.5e+2"]

# Learner names that print alike: invisible and direction-changing characters are written out
# (\\u200b), and names that look alike are flagged.
INVISIBLE_NAMES: list[tuple[str, str]] = [
    ("ali\u200bce", "ali\\u200bce"),  # zero-width space
    ("bob\u202e", "bob\\u202e"),  # right-to-left override
    ("car\u00adol", "car\\u00adol"),  # soft hyphen
    ("dan\ufeff", "dan\\ufeff"),  # byte-order mark
    ("eve\u2066", "eve\\u2066"),  # left-to-right isolate
]
LOOKALIKE_NAMES: list[tuple[str, str]] = [
    ("alice", "\u0430lice"),  # Cyrillic a
    ("olga", "\u03bflga"),  # Greek omicron
    ("pat", "pat\u200b"),  # a zero-width space at the end
    ("Sam", "sam"),  # case only
]
