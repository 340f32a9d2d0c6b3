"""Lesson files (YAML) -> :class:`~autograd_tutor.lessons.model.Lesson`, with precise errors.

The public way in: :func:`load_lesson`, :func:`load_lessons` (a folder, broken files listed as
:class:`~autograd_tutor.lessons.errors.BrokenLesson`), :func:`load_variant`, :func:`find_lessons`,
and the lesson's top-level keys. Every problem is reported as ``file:line:col: field.path: what
is wrong`` (:class:`~autograd_tutor.lessons.errors.LessonError`). The parts: ``yaml_file.py``
(bytes and YAML nodes with positions; hostile files refused), ``field_reader.py`` (typed fields),
``params_loader.py``, ``step_loader.py``, ``question_loader.py`` and ``practice_loader.py`` (the
parts of the format), ``keys.py`` (the known keys of each mapping).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from yaml.nodes import MappingNode, Node

from autograd_tutor.lessons.errors import BrokenLesson, LessonError
from autograd_tutor.lessons.field_reader import FieldReader
from autograd_tutor.lessons.files import lesson_paths
from autograd_tutor.lessons.model import DEFAULT_TIME_LIMIT, Lesson, Question
from autograd_tutor.lessons.params import Variant
from autograd_tutor.lessons.params_loader import choose_variant, read_param_space
from autograd_tutor.lessons.step_loader import read_step
from autograd_tutor.lessons.yaml_file import compose, describe_node, read_text

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")


def read_lesson(reader: FieldReader, root: Node, content_hash: str) -> Lesson:
    """The lesson at ``root``: its top-level keys, parameters and steps."""
    if not isinstance(root, MappingNode):
        raise reader.fail(
            root,
            "",
            "the top level must be a mapping with id, title and steps, "
            f"got {describe_node(root, reader.loader)}",
        )
    keys = reader.mapping(root, "", "lesson", "a lesson")
    lesson_id = reader.string(keys["id"], "id", allow_empty=False)
    if not ID_PATTERN.fullmatch(lesson_id):
        raise reader.fail(
            keys["id"],
            "id",
            f"{lesson_id!r} is not a valid id: use lowercase letters, digits and '-', "
            "starting with a letter or digit (e.g. 'first-gradient')",
        )
    title = reader.string(keys["title"], "title", allow_empty=False)
    summary = reader.string(keys["summary"], "summary") if "summary" in keys else ""
    attribution = reader.string(keys["credit"], "credit") if "credit" in keys else ""
    seed = reader.integer(keys["seed"], "seed") if "seed" in keys else 0
    time_limit = (
        reader.positive(keys["time_limit"], "time_limit", " of seconds")
        if "time_limit" in keys
        else DEFAULT_TIME_LIMIT
    )
    memory_limit = (
        reader.size(keys["memory_limit"], "memory_limit") if "memory_limit" in keys else None
    )
    order = reader.integer(keys["order"], "order") if "order" in keys else 1000
    minutes = reader.minutes(keys["minutes"]) if "minutes" in keys else None
    step_nodes = reader.sequence(keys["steps"], "steps", non_empty=True)
    reader.space = read_param_space(reader, keys, step_nodes)
    if reader.space is not None:
        reader.variant = choose_variant(reader, reader.space, keys)
    steps = tuple(read_step(reader, node, i) for i, node in enumerate(step_nodes))
    seen: dict[str, Question] = {}
    for step in steps:
        for question in step.questions:
            if question.id in seen:
                raise LessonError(
                    reader.path,
                    question.line,
                    None,
                    f"steps[{step.index}]",
                    f"question id {question.id!r} is used twice "
                    f"(also on line {seen[question.id].line})",
                )
            seen[question.id] = question
    return Lesson(
        id=lesson_id,
        title=title.strip(),
        summary=summary.strip(),
        path=reader.path,
        content_hash=content_hash,
        steps=steps,
        attribution=attribution.strip(),
        seed=seed,
        time_limit=time_limit,
        memory_limit=memory_limit,
        order=order,
        minutes=minutes,
        extra={"id_line": keys["id"].start_mark.line + 1},
        params=reader.space,
        variant=dict(reader.variant),
        source=reader.text_source,
    )


# -- public API -------------------------------------------------------------------------------


def load_lesson(path: Path | str) -> Lesson:
    """Read and validate one lesson file; raises :class:`LessonError` on any problem."""
    path = Path(path)
    data, text = read_text(path)
    root, loader = compose(text, path)
    try:
        return read_lesson(FieldReader(path, text, loader), root, hashlib.sha256(data).hexdigest())
    except RecursionError:
        raise LessonError(path, None, None, "", "data nested too deeply") from None


def load_variant(lesson: Lesson, variant: Variant) -> Lesson:
    """``lesson`` read again with the parameter values of ``variant`` (from the text it was
    loaded from, not the file, which may have changed since). :class:`LessonError` when the
    variant is not one of the lesson's or some field fails for it; the message names the
    variant."""
    if lesson.params is None or variant == lesson.variant:
        return lesson
    root, loader = compose(lesson.source, lesson.path)
    try:
        reader = FieldReader(lesson.path, lesson.source, loader, variant)
        return read_lesson(reader, root, lesson.content_hash)
    except RecursionError:
        raise LessonError(lesson.path, None, None, "", "data nested too deeply") from None


def load_lessons(
    directory: Path | str | None = None,
) -> tuple[list[Lesson], list[BrokenLesson]]:
    """Every lesson in ``directory`` (``None``: the bundled lessons), sorted by (order, id), and
    the files that could not be loaded. A second file with an id already taken is broken.

    Raises :class:`LessonsFolderError` when ``directory`` is no folder or cannot be listed.
    """
    if directory is None:
        from autograd_tutor.lessons.bundled import bundled_lessons_dir

        directory = bundled_lessons_dir()
    directory = Path(directory)
    lessons: list[Lesson] = []
    broken: list[BrokenLesson] = []
    by_id: dict[str, Lesson] = {}
    for path in lesson_paths(directory):
        try:
            lesson = load_lesson(path)
        except LessonError as exc:
            broken.append(BrokenLesson(path, exc))
            continue
        if lesson.id in by_id:
            first = by_id[lesson.id]
            error = LessonError(
                path,
                lesson.extra.get("id_line"),
                None,
                "id",
                f"duplicate lesson id {lesson.id!r}: {first.path.name} already uses it",
            )
            broken.append(BrokenLesson(path, error))
            continue
        by_id[lesson.id] = lesson
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.id))
    return lessons, broken


def find_lessons(
    lessons: Iterable[Lesson], wanted: Sequence[str], broken: Iterable[BrokenLesson] = ()
) -> list[Lesson]:
    """The lessons named in ``wanted``, in that order. A name that is a ``broken`` lesson's
    (its file name without the suffix) raises that lesson's :class:`LessonError`; ``KeyError``
    names an unknown id (and the closest known one)."""
    by_id = {lesson.id: lesson for lesson in lessons}
    broken_by_id = {item.id: item for item in broken}
    found: list[Lesson] = []
    for name in wanted:
        if name not in by_id and name in broken_by_id:
            raise broken_by_id[name].error
        if name not in by_id:
            close = difflib.get_close_matches(name, list(by_id), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = ", ".join(by_id) or "none"
            raise KeyError(f"no lesson with id {name!r}{hint}; known lessons: {known}")
        found.append(by_id[name])
    return found
