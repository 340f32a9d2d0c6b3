"""``--plain`` for exercise and experiment steps.

Exercise: the starter code is printed; at the ``code>`` prompt the learner either types their
code and ends it with a line holding only ``.``, or types ``file PATH`` to run the code in that
file. Other words at the prompt: ``starter`` (print it again), ``solution`` (print the reference
solution; it counts as skipped unless the exercise was passed), ``next`` (go on), ``quit``.
After a run the checks are listed; a pass goes on to the next step.

Experiment: at the ``run>`` prompt the learner gives the knobs and the prediction, e.g.
``lr=0.1 zero_grad=False converges`` (knobs not given keep their last value; ``skip`` in place of
an outcome skips the prediction); ``next`` goes on, ``quit`` stops.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from autograd_tutor.presentation import error_detail, error_title, untried_text
from autograd_tutor.safe_text import printable
from autograd_tutor.session.exercise import ExerciseSession
from autograd_tutor.session.experiment import ExperimentSession

END_OF_CODE = "."
WIDTH = 78


def _wrapped(ui: Any, text: str, indent: str = "  ", hang: str = "      ") -> None:
    ui.say(textwrap.fill(printable(text), WIDTH, initial_indent=indent, subsequent_indent=hang))


MAX_CODE_FILE_BYTES = 200_000


def _indented(ui: Any, text: str) -> None:
    for line in text.rstrip("\n").splitlines():
        ui.say("    " + printable(line))


def take_exercise(ui: Any, session: Any, position: int, end_of_input: type[Exception]) -> None:
    """Run the exercise at ``position`` with ``ui`` (the plain UI: ``say``, ``read``)."""
    exercise = ExerciseSession(session, position)
    step = exercise.step
    if step.code.strip():
        ui.say()
        ui.say("This runs first, before your code:")
        _indented(ui, step.code)
    ui.say()
    ui.say("Your code starts from this (fill in the # TODO lines):")
    _indented(ui, exercise.initial_code())
    ui.say()
    _wrapped(
        ui,
        f"Type your code and end it with a line holding only '{END_OF_CODE}', or type "
        "'file PATH' to run the code in a file. Other words: starter, solution, next, quit.",
        indent="",
        hang="",
    )
    while True:
        first = ui.read("code> ")
        word = first.strip()
        if word == "quit":
            raise end_of_input
        if word == "next":
            return
        if word == "starter":
            _indented(ui, exercise.exercise.starter)
            continue
        if word == "solution":
            if not exercise.may_show_solution():
                ui.say("  Run your code first: the solution is shown after a run.")
                continue
            passed = exercise.ever_passed()
            solution, error = exercise.show_solution(exercise.initial_code())
            if error:
                ui.say(f"  {error}")
            elif not passed:
                ui.say("  (shown: this exercise counts as skipped)")
            _indented(ui, solution)
            continue
        if not word:
            continue
        if word.startswith("file "):
            code = _read_code_file(ui, word[5:].strip())
            if code is None:
                continue
        else:
            lines = [first]
            while True:
                line = ui.read("... ")
                if line.strip() == END_OF_CODE and line.strip() == line.rstrip():
                    break
                lines.append(line)
            code = "\n".join(lines) + "\n"
        outcome = exercise.run(code)
        _show_exercise(ui, outcome)
        if outcome.passed:
            return


def _read_code_file(ui: Any, name: str) -> str | None:
    path = Path(name).expanduser()
    try:
        if path.stat().st_size > MAX_CODE_FILE_BYTES:
            ui.say(f"  {printable(str(path))} is larger than {MAX_CODE_FILE_BYTES:,} bytes.")
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        ui.say(f"  Cannot read {printable(str(path))}: {printable(str(exc))}")
        return None


def _show_exercise(ui: Any, outcome: Any) -> None:
    result = outcome.result
    ui.say()
    if result.stdout.strip():
        ui.say("Output:")
        _indented(ui, result.stdout)
    error = result.error
    if error is not None:
        ui.say(error_title(error.type))
        ui.say("  " + printable(error_detail(error.type, error.message, error.line)))
    if result.training is not None and result.training.loss:
        loss = result.training.loss
        ui.say(f"Loss: {len(loss)} values, first {loss[0]:.4g}, last {loss[-1]:.4g}.")
    for check in outcome.checks:
        detail = check.check.title if check.passed else check.message
        _wrapped(ui, f"{check.label}  {detail}")
    passed = sum(1 for c in outcome.checks if c.passed)
    if outcome.passed:
        ui.say(f"All {len(outcome.checks)} checks passed.")
    else:
        ui.say(
            f"{passed} of {len(outcome.checks)} checks passed: change your code and run it again."
        )
    if outcome.save_error:
        ui.say(f"error: {outcome.save_error}")


def take_experiment(ui: Any, session: Any, position: int, end_of_input: type[Exception]) -> None:
    """Run the experiment at ``position`` until the learner types ``next`` (or input ends)."""
    experiment = ExperimentSession(session, position)
    step = experiment.step
    spec = experiment.experiment
    ui.say()
    ui.say("The code of each run:")
    _indented(ui, step.code)
    ui.say()
    ui.say("Knobs:")
    for knob in spec.knobs:
        values = ", ".join(map(str, knob.choices)) if knob.choices else f"{knob.low}..{knob.high}"
        ui.say(f"  {knob.name}: {values} (now {knob.default})")
    outcomes = experiment.outcome_names()
    ui.say(f"Outcomes: {', '.join(outcomes)}")
    _wrapped(ui, experiment_instructions(spec), indent="", hang="")
    settings = spec.defaults()
    while True:
        typed = ui.read("run> ").strip()
        if typed == "quit":
            raise end_of_input
        if typed == "next":
            untried = experiment.untried()
            if not untried:
                return
            _wrapped(ui, untried_text(untried))
            continue
        if not typed:
            continue
        parsed = _parse_run(typed, spec, settings, outcomes)
        if isinstance(parsed, str):
            ui.say(f"  {parsed}")
            continue
        settings, predicted = parsed
        run = experiment.run(settings, predicted)
        error = run.result.error
        if error is not None:
            ui.say(error_title(error.type))
            ui.say("  " + printable(error_detail(error.type, error.message, error.line)))
            continue
        losses = run.losses
        if losses:
            ui.say(f"Loss: first {losses[0]:.4g}, last {losses[-1]:.4g}, lowest {min(losses):.4g}.")
        verdict = {
            "right": "right, as you predicted",
            "wrong": f"you predicted {run.predicted}",
            "skipped": "prediction skipped",
        }.get(run.verdict, "")
        ui.say(f"{run.label}: {run.outcome or 'no outcome rule matched'} ({verdict})")
        if run.outcome and experiment.explain(run.outcome):
            _wrapped(ui, experiment.explain(run.outcome), hang="  ")
        if run.save_error:
            ui.say(f"error: {run.save_error}")


def experiment_instructions(spec: Any) -> str:
    """The prompt and how to answer it. Its example sets a knob and names no outcome: an
    example prediction would be right for some setting, and typing it would score."""
    knob = spec.knobs[0]
    return (
        f"{spec.prompt} Type knob settings, then the outcome you predict: "
        f"'{knob.name}={knob.samples()[-1]}' and one of the outcomes "
        "(skip for no prediction); next goes on, quit stops."
    )


def _parse_run(
    typed: str, spec: Any, settings: dict[str, Any], outcomes: list[str]
) -> tuple[dict[str, Any], str | None] | str:
    """``lr=0.1 zero_grad=False converges`` -> (settings, prediction), or what is wrong.

    The words that are not ``knob=value`` form the prediction, so an outcome may be several
    words (``momentum=0.9 still swinging at the end``)."""
    new = dict(settings)
    predicted: str | None = None
    have_prediction = False
    prediction_words: list[str] = []
    for word in typed.split():
        if "=" in word:
            name, _, raw = word.partition("=")
            try:
                knob = spec.knob(name)
            except KeyError:
                names = ", ".join(k.name for k in spec.knobs)
                return f"no knob called {printable(name)!r} (knobs: {names})"
            value = _knob_value(raw)
            if not knob.accepts(value):
                allowed = (
                    ", ".join(map(str, knob.choices))
                    if knob.choices
                    else f"{knob.low}..{knob.high}"
                )
                return f"{knob.name} cannot be {printable(raw)} (it takes {allowed})"
            new[knob.name] = value
        else:
            prediction_words.append(word)
    if prediction_words:
        phrase = " ".join(prediction_words)
        by_words = {" ".join(name.split()): name for name in outcomes}
        if phrase != "skip" and phrase not in by_words:
            return (
                f"{printable(phrase)!r} is neither knob=value nor an outcome "
                f"({', '.join(outcomes)})"
            )
        predicted = None if phrase == "skip" else by_words[phrase]
        have_prediction = True
    if not have_prediction:
        return f"predict first: add one of {', '.join(outcomes)} (or skip)"
    return new, predicted


def _knob_value(raw: str) -> Any:
    """A typed knob value, read as data (never evaluated): True/False, a number, or text."""
    words = {"true": True, "false": False}
    if raw.lower() in words:
        return words[raw.lower()]
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            continue
    return raw.strip("'\"")
