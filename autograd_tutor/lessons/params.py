"""Lesson parameters: the values a lesson's numbers may take, and the author's expressions
over them.

A parameterised lesson declares ``params`` (each a ``choice`` of numbers or an integer
``range``) and optionally ``require`` (a condition every variant meets). A *variant* is one
dict of parameter values. This module holds the pure parts: the parameter space, the
restricted evaluator for the author's expressions (``2 * a``, ``a != b and b != 0``), and how
values are written in text (as a learner would type them). Drawing a learner's variant is
:mod:`autograd_tutor.lessons.variants`' job; reading the YAML is the loader's.

The evaluator walks the expression's AST and knows only numbers, the parameters, arithmetic,
comparisons, ``and``/``or``/``not``, ``x if c else y``, lists/tuples and ``abs``, ``min``,
``max``, ``round``: nothing else is reachable (no attributes, no calls of anything else, no
names but the parameters). It runs on lesson text only, never on what a learner types.
"""

from __future__ import annotations

import ast
import itertools
import math
import operator
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Number = int | float
Variant = dict[str, Number]

MAX_VALUES = 1_000  # values of one parameter (a range of integers)
MAX_COMBINATIONS = 100_000  # combinations looked at before ``require`` filters them
MAX_EXPR_CHARS = 500
MAX_POWER = 64  # largest exponent (absolute) in an author's expression
MAX_MAGNITUDE = 1e15  # largest number an expression may produce

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
RESERVED = frozenset({"torch", "True", "False", "None", "abs", "min", "max", "round"})
BRACES = re.compile(r"\{\{|\}\}|\{([^{}\n]+)\}")


class ParamError(ValueError):
    """An author's expression or parameter that cannot be used; the message says what."""


@dataclass(frozen=True)
class Param:
    """One parameter: its name, the values it may take (in the author's order) and its
    default (the seed lesson's value)."""

    name: str
    values: tuple[Number, ...]
    default: Number
    line: int = 0


@dataclass(frozen=True)
class ParamSpace:
    """A lesson's parameters and the condition every variant meets."""

    params: tuple[Param, ...]
    require: str = ""

    @property
    def names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.params)

    @property
    def default(self) -> Variant:
        return {p.name: p.default for p in self.params}

    def allows(self, variant: Mapping[str, Any]) -> bool:
        """Whether ``variant`` names every parameter with one of its values and meets
        ``require``."""
        if set(variant) != set(self.names):
            return False
        for p in self.params:
            value = variant[p.name]
            if isinstance(value, bool) or not any(value == v for v in p.values):
                return False
        return self.meets(variant)

    def meets(self, variant: Mapping[str, Number]) -> bool:
        if not self.require:
            return True
        return bool(evaluate(self.require, variant))

    def combinations(self) -> list[Variant]:
        """Every variant, in a fixed order (the product of the values in the author's order,
        the first parameter varying slowest), those that fail ``require`` left out."""
        return list(self._iter())

    def _iter(self) -> Iterator[Variant]:
        names = [p.name for p in self.params]
        for values in itertools.product(*(p.values for p in self.params)):
            variant = dict(zip(names, values, strict=True))
            if self.meets(variant):
                yield variant

    def size_before_require(self) -> int:
        return math.prod(len(p.values) for p in self.params)


def variant_label(variant: Mapping[str, Any]) -> str:
    """``a=3, b=-1`` (the author's order); ``""`` for a lesson without parameters."""
    return ", ".join(f"{name}={format_value(value)}" for name, value in variant.items())


def format_value(value: Any) -> str:
    """A value written as a learner would type it: ``3``, ``-0.5``, ``[2, 4]``, ``True``."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value == 0:
            return "0"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(format_value(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return str(value)


# -- the restricted evaluator -----------------------------------------------------------------

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {"abs": abs, "min": min, "max": max, "round": round}
_CONSTANTS = {"True": True, "False": False, "None": None}


def parse_expr(text: str) -> ast.Expression:
    """Parse an author's expression; :class:`ParamError` when it is none."""
    if len(text) > MAX_EXPR_CHARS:
        raise ParamError(f"the expression is longer than {MAX_EXPR_CHARS} characters")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ParamError(f"not a valid expression: {exc.msg}") from None


def names_in(text: str) -> set[str]:
    """The plain names an expression uses (empty when it does not parse)."""
    try:
        tree = parse_expr(text)
    except ParamError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def mentions(text: str, names: frozenset[str] | set[str]) -> bool:
    """Whether ``text`` is an expression that uses one of ``names``."""
    return bool(names and names_in(text) & names)


def evaluate(text: str, variant: Mapping[str, Any]) -> Any:
    """The value of an author's expression with the parameters of ``variant``.

    :class:`ParamError` for anything outside the small language (see the module docstring),
    an unknown name, division by zero, or a number too large.
    """
    tree = parse_expr(text)
    try:
        return _eval(tree.body, variant)
    except ParamError:
        raise
    except ZeroDivisionError:
        raise ParamError(f"{text.strip()}: division by zero") from None
    except (TypeError, ValueError, OverflowError) as exc:
        raise ParamError(f"{text.strip()}: {exc}") from None


def _number(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ParamError(f"the expression gives {value}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) > MAX_MAGNITUDE:
            raise ParamError("the expression gives a number too large for a lesson")
    return value


def _eval(node: ast.expr, env: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (int, float)) or node.value is None:
            return node.value
        raise ParamError(f"{node.value!r} is not a number")
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        known = ", ".join(sorted(env)) or "none"
        raise ParamError(f"unknown name {node.id!r} (the parameters are: {known})")
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left, env), _eval(node.right, env)
        if isinstance(node.op, ast.Pow) and isinstance(right, (int, float)):
            if abs(right) > MAX_POWER:
                raise ParamError(f"an exponent of {right} is too large")
            if isinstance(left, (int, float)) and abs(left) > MAX_MAGNITUDE:
                raise ParamError("the expression gives a number too large for a lesson")
        return _number(_BINARY[type(node.op)](left, right))
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, env)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return +operand
        if isinstance(node.op, ast.Not):
            return not operand
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, env) for v in node.values]
        if isinstance(node.op, ast.And):
            return all(values)
        return any(values)
    if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        left = _eval(node.left, env)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, env)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        return _eval(node.body if _eval(node.test, env) else node.orelse, env)
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_eval(item, env) for item in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and node.func.id not in env
        and not node.keywords
    ):
        args = [_eval(a, env) for a in node.args]
        return _number(_FUNCTIONS[node.func.id](*args))
    raise ParamError(
        f"{ast.unparse(node)!r} is not allowed here (parameters, numbers, arithmetic, "
        "comparisons, and/or/not, lists, abs/min/max/round)"
    )


# -- values in text and answers ---------------------------------------------------------------


def format_text(text: str, variant: Mapping[str, Any]) -> str:
    """``text`` with every ``{expression}`` that uses a parameter replaced by its value as a
    learner would type it (``{a}`` -> ``3``, ``{2*a}`` -> ``6``); ``{{`` and ``}}`` are a
    brace; other braces stay as they are. :class:`ParamError` for a ``{name}`` that is no
    parameter, or an expression that fails."""
    if not variant:
        return text
    names = set(variant)

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner is None:
            return match.group(0)[0]
        used = names_in(inner)
        if not used & names:
            if NAME.fullmatch(inner.strip()) and inner.strip() not in RESERVED:
                known = ", ".join(variant)
                raise ParamError(f"{{{inner}}}: no parameter {inner.strip()!r} (known: {known})")
            return match.group(0)
        return format_value(evaluate(inner, variant))

    return BRACES.sub(replace, text)


def resolve_answer(raw: Any, variant: Mapping[str, Any]) -> Any:
    """An author's raw YAML ``expect`` / ``wrong`` answer with every string that is an
    expression of the parameters (``"2 * a"``, inside lists too) replaced by its value."""
    if not variant:
        return raw
    names = set(variant)
    if isinstance(raw, str):
        if mentions(raw, names):
            return evaluate(raw, variant)
        return raw
    if isinstance(raw, list):
        return [resolve_answer(item, variant) for item in raw]
    return raw


def check_name(name: str) -> str | None:
    """Why ``name`` cannot be a parameter's name (None: it can)."""
    if not NAME.fullmatch(name):
        return f"{name!r} is not a name (letters, digits and _, not starting with a digit)"
    if name in RESERVED or name.startswith("__"):
        return f"{name!r} is a name the lesson code needs; choose another"
    return None


def sample(variants: Sequence[Variant], limit: int, default: Variant) -> list[Variant]:
    """At most ``limit`` variants spread evenly over ``variants``, the default first."""
    if len(variants) <= limit:
        return list(variants)
    chosen = [default]
    step = len(variants) / (limit - 1)
    for i in range(limit - 1):
        candidate = variants[int(i * step)]
        if candidate != default:
            chosen.append(candidate)
    return chosen[:limit]
