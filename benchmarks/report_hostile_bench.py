"""Benchmark: ``autograd-tutor report`` over a hostile results folder stays bounded.

Generates 1,000 crafted files in a fresh folder: deep nesting, huge numbers, a 100 MB file,
escape sequences in names, answers and file names, invalid UTF-8, long strings, answers to
bundled lessons crafted to be slow to re-score, symbolic links to ``/dev/zero``, to a file and
to a folder outside, FIFOs, folders named ``*.json``, plus a few honest learners. Then runs the
CLI end to end (output piped) and checks: it finishes under 30 s, names every bad file in
"Skipped files", reads nothing outside the folder (a canary learner outside never shows up),
and writes no raw control byte.

    .venv/bin/python benchmarks/report_hostile_bench.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograd_tutor import __version__
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.progress import FORMAT, VERSION
from autograd_tutor.progress.paths import file_stem

LIMIT_S = 30.0
ESCAPES = [
    "\x1b[2J\x1b[H",
    "\x1b]0;pwned\x07",
    "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x9b31m",
    "\r\x1b[1A",
    "\u202e",
    "\x00",
    "\x7f",
]


def attempt(lesson_id: str, qid: str, typed: str | None, **extra: object) -> dict:
    a = {
        "lesson_id": lesson_id,
        "lesson_hash": "h",
        "step": 0,
        "question_id": qid,
        "expr": "x.grad",
        "typed": typed,
        "verdict": "wrong",
        "credit": 0.0,
        "hints_used": 0,
        "seconds": 1.0,
        "timestamp": "2026-12-01T10:00:00.000000+00:00",
        "app_version": __version__,
        "diagnoses": [],
        "feedback": "",
        "truth": "",
    }
    a.update(extra)
    return a


def document(student: str, attempts: list[dict]) -> dict:
    lessons: dict = {}
    for a in attempts:
        entry = lessons.setdefault(a["lesson_id"], {"hash": a["lesson_hash"], "attempts": []})
        entry["attempts"].append(a)
    return {"format": FORMAT, "version": VERSION, "student": student, "lessons": lessons}


def write(folder: Path, name: str, data: bytes | str | dict) -> None:
    if isinstance(data, dict):
        data = json.dumps(data)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    (folder / name).write_bytes(data)


def generate(folder: Path, outside: Path) -> tuple[set[str], int]:
    """Write the crafted files; returns (names of the files that must be skipped, honest)."""
    rng = random.Random(7)
    bad: set[str] = set()
    outside.mkdir()
    write(outside, "canary.json", document("OUTSIDE-CANARY", [attempt("l", "1.1", "1")]))
    lessons, _ = load_lessons(None)
    real = [(lesson, q) for lesson in lessons for s in lesson.steps for q in s.questions]

    def skip(name: str, data: bytes | str | dict) -> None:
        write(folder, name, data)
        bad.add(name)

    n = 0
    for i in range(80):  # deep nesting, arrays and objects, at the top and inside
        depth = rng.choice((1_000, 100_000, 1_000_000))
        skip(f"deep-array-{i}.json", "[" * depth + "]" * depth)
        skip(f"deep-object-{i}.json", '{"a":' * depth + "1" + "}" * depth)
        inner = attempt("l", "1.1", "1")
        inner["diagnoses"] = json.loads("[" * 500 + "]" * 500)
        skip(f"deep-inside-{i}.json", document(f"deep{i}", [inner]))
    n += 240
    for i in range(60):  # huge numbers where counts and scores go
        digits = "9" * rng.choice((400, 5_000, 1_000_000))
        doc = json.dumps(document(f"num{i}", [attempt("l", "1.1", "1")]))
        field = rng.choice(('"step": 0', '"credit": 0.0', '"hints_used": 0', '"seconds": 1.0'))
        name, _, _ = field.partition(":")
        skip(f"numbers-{i}.json", doc.replace(field, f"{name}: {digits}"))
        skip(f"exp-{i}.json", doc.replace('"credit": 0.0', '"credit": 1e999999999'))
    n += 120
    for i in range(100):  # invalid UTF-8 and binary
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))
        skip(f"binary-{i}.json", b'{"format": "' + b"\xff\xfe" + junk)
    n += 100
    for i in range(100):  # symbolic links: never followed
        target = rng.choice(("/dev/zero", "/dev/urandom", str(outside / "canary.json"), "/"))
        os.symlink(target, folder / f"link-{i}.json")
        bad.add(f"link-{i}.json")
    os.symlink("../outside/canary.json", folder / "relative-link.json")
    bad.add("relative-link.json")
    n += 101
    for i in range(20):  # FIFOs (opening one to read would wait) and folders
        os.mkfifo(folder / f"fifo-{i}.json")
        (folder / f"folder-{i}.json").mkdir()
        bad.update((f"fifo-{i}.json", f"folder-{i}.json"))
    n += 40
    with open(folder / "huge-100MB.json", "wb") as fh:  # a real 100 MB file, not sparse
        chunk = (json.dumps(attempt("l", "1.1", "1")) + ",").encode() * 4000
        fh.write(b'{"format":"autograd-tutor-progress","version":1,"lessons":{"l":[')
        while fh.tell() < 100 * 1024 * 1024:
            fh.write(chunk)
    bad.add("huge-100MB.json")
    n += 1
    for i in range(20):  # long strings, just under the size limit
        doc = document(f"long{i}", [attempt("l", "1.1", "x" * 12_000_000)])
        write(folder, f"{file_stem(f'long{i}')}.json", doc)
    n += 20
    for i in range(50):  # answers to bundled lessons crafted to be slow to score again
        lesson, q = real[i % len(real)]
        typed = rng.choice(
            ("[" * 50_000 + "1" + "]" * 50_000, "9" * 1_000_000, "1" + "*2**9999" * 2_000)
        )
        a = attempt(lesson.id, q.id, typed, lesson_hash=lesson.content_hash, verdict="right")
        a["credit"] = 1.0
        write(folder, f"slow{i}.json", document(f"slow{i}", [a] * 50))
    n += 50
    for i in range(n, 1_000):  # escape sequences in names, answers, ids, feedback, file names
        esc = ESCAPES[i % len(ESCAPES)]
        attempts = [
            attempt(
                f"lesson{esc}",
                f"1.{esc}",
                f"[{esc}1]",
                feedback=f"{esc}feedback",
                diagnoses=[f"{esc}code"],
            )
            for _ in range(3)
        ]
        name = f"esc{i}{esc}.json" if "\x00" not in esc else f"esc{i}.json"
        write(folder, name, document(f"Eve{esc}{i}", attempts))
    return bad, 1_000 - len(bad)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="report-hostile-"))
    root.mkdir(parents=True, exist_ok=True)
    folder = root / "results"
    try:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(root / "outside", ignore_errors=True)
        folder.mkdir()
        t0 = time.perf_counter()
        bad, good = generate(folder, root / "outside")
        entries = len(os.listdir(folder))
        took = time.perf_counter() - t0
        print(f"generated {entries} entries ({len(bad)} to skip) in {took:.1f} s")
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "autograd_tutor", "report", str(folder)],
            capture_output=True,
            timeout=300,
            check=False,
        )
        elapsed = time.perf_counter() - t0
        out = done.stdout.decode("utf-8")
        raw = sorted({b for b in done.stdout + done.stderr if b < 0x20 and b not in (9, 10)})
        skipped = out.split("\nSkipped files (", 1)[-1]
        # file names are shown through printable(): compare in that form
        from autograd_tutor.safe_text import printable

        unnamed = [name for name in bad if f"  {printable(name)}: " not in skipped]
        checks = {
            f"finished in under {LIMIT_S:.0f} s": elapsed < LIMIT_S,
            "exit status 0": done.returncode == 0,
            f"every bad file named and skipped ({len(bad)})": not unnamed,
            "nothing read outside the folder": "OUTSIDE-CANARY" not in out,
            "no raw control byte in the output": not raw,
            "no C1 control or bidi override": not re.search("[\x80-\x9f\u202a-\u202e]", out),
        }
        print(f"report: {elapsed:.2f} s, exit {done.returncode}, {len(out) / 1e3:.0f} kB out")
        for what, ok in checks.items():
            print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if unnamed:
            print("  not named:", sorted(unnamed)[:10])
        if done.returncode:
            print(done.stderr.decode(errors="replace")[-2000:])
        print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}, {good} honest files")
        return 0 if all(checks.values()) else 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
