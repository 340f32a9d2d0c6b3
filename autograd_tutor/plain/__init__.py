"""The ``--plain`` interface: the tutor as lines of text on standard input and output.

``tutor.py`` runs the lessons (:func:`run` is what ``autograd-tutor --plain`` calls),
``practice.py`` takes exercise and experiment steps, ``answers.py`` decides when one answer goes
on over several lines (a pasted tensor), and ``text.py`` lays text out (Markdown as wrapped
text, tables). It drives the same
:class:`~autograd_tutor.session.LessonSession` as the Textual app, imports neither Textual nor
torch, and prints no terminal control codes.
"""

from autograd_tutor.plain.tutor import PlainTutor, run

__all__ = ["PlainTutor", "run"]
