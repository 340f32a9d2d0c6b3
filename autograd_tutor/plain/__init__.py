"""The ``--plain`` interface: the tutor as lines of text on standard input and output.

``sitting.py`` starts a sitting (:func:`run` is what ``autograd-tutor --plain`` calls),
``tutor.py`` takes each lesson, step by step,
``practice.py`` takes exercise and experiment steps, ``answers.py`` decides when one answer goes
on over several lines (a pasted tensor), and ``text.py`` lays text out (Markdown as wrapped
text, tables). It drives the same
:class:`~autograd_tutor.session.LessonSession` as the Textual app, imports neither Textual nor
torch, and prints no terminal control codes.
"""

from autograd_tutor.plain.sitting import run
from autograd_tutor.plain.tutor import PlainTutor

__all__ = ["PlainTutor", "run"]
