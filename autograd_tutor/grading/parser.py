"""The answer parser: what a learner typed -> a :class:`~autograd_tutor.values.Value`.
(Over 400 lines on purpose: one allow-list grammar, its error messages and carets together,
so that what a learner may type is read in one place.)

Nothing here evaluates the text. It is read with :func:`ast.parse` (``mode="eval"``) and the
tree is walked with an allow-list: numbers and ``+ - * / **`` on them, nested lists of those
(a tensor), the ``tensor(...)`` / ``torch.tensor(...)`` wrappers people copy from torch's
output, ``None``/``True``/``False`` in any case, shapes (``(3, 3)``, ``torch.Size([3, 3])``) and
a bare identifier (``PowBackward0``) for ``grad_fn`` questions. Everything else is refused
with :class:`AnswerSyntaxError`, which names the column and can draw a caret under it.

Hostile input is refused before it costs anything: the text is capped in length
(:data:`MAX_LENGTH`), brackets are matched and their depth capped (:data:`MAX_DEPTH`) before
``ast.parse`` sees the text, the tree's depth is capped before it is walked, powers are checked
for size before they are computed, results beyond the float range are refused, and a tensor
holds at most :data:`MAX_ELEMENTS` numbers. :func:`parse_answer` raises nothing but
:class:`AnswerSyntaxError`.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from typing import Any

from autograd_tutor.values import Value

MAX_LENGTH = 10_000  # characters of one answer
MAX_DEPTH = 32  # brackets inside each other
MAX_TREE_DEPTH = 200  # syntax-tree levels (e.g. a chain of 200 ``+``)
MAX_ELEMENTS = 10_000  # numbers in one tensor
MAX_MAGNITUDE = 1.7976931348623157e308  # the largest float; bigger results are refused
_WINDOW = 60  # characters of context shown by ``pretty()`` on each side of the caret

_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_TRANSLATE = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\u2212": "-", "\u00d7": "*"})
# ``grad_fn=<MulBackward0>`` in torch's repr: the angle brackets become spaces (columns stay put)
_GRAD_FN_TAIL = re.compile(r"(grad_fn\s*=\s*)<(\s*[A-Za-z_]\w*\s*)>")
# ``<PowBackward0 object at 0x7f...>`` as printed for a grad_fn: the node's name
_NODE_REPR = re.compile(r"^\s*<\s*([A-Za-z_]\w*)(?:\s+object\s+at\s+0x[0-9a-fA-F]+)?\s*>\s*$")
_TENSOR_KEYWORDS = ("requires_grad", "grad_fn", "dtype", "device")
_WORDS = {"none": None, "true": True, "false": False}
_SPECIAL_NUMBERS = {"nan": math.nan, "inf": math.inf, "infinity": math.inf}


class AnswerSyntaxError(ValueError):
    """An answer that is not a value: ``message`` says what, ``column`` (1-based) says where."""

    def __init__(self, text: str, column: int, message: str) -> None:
        self.text = text
        self.column = max(1, int(column))
        self.message = message
        super().__init__(f"{message} at column {self.column}")

    def pretty(self) -> str:
        """The text, a caret under the column, then ``column N: message``.

        Long answers are cut to a window around the column so the caret stays on screen.
        """
        text, caret = self.text, self.column - 1
        start = max(0, caret - _WINDOW)
        end = min(len(text), caret + _WINDOW)
        shown = text[start:end]
        prefix = "..." if start > 0 else ""
        suffix = "..." if end < len(text) else ""
        pad = " " * (2 + len(prefix) + caret - start)
        return f"  {prefix}{shown}{suffix}\n{pad}^\ncolumn {self.column}: {self.message}"


def parse_answer(text: str) -> Value:
    """Parse one typed answer; raises :class:`AnswerSyntaxError` (and nothing else)."""
    if not isinstance(text, str):
        raise AnswerSyntaxError(str(text), 1, "an answer must be text")
    try:
        return _Parser(text).parse()
    except AnswerSyntaxError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: only AnswerSyntaxError escapes
        flat = text[:MAX_LENGTH].translate(_TRANSLATE)
        raise AnswerSyntaxError(
            flat, 1, f"cannot read this answer ({type(exc).__name__})"
        ) from None


class _Parser:
    def __init__(self, text: str) -> None:
        self.raw = text
        self.text = text.translate(_TRANSLATE)
        self.elements = 0
        self.lead = 0  # leading spaces, cut off before ast.parse (it refuses an indent)
        self.source = self.text

    # -- errors -----------------------------------------------------------------------------
    def fail(self, message: str, column: int) -> AnswerSyntaxError:
        return AnswerSyntaxError(self.text, column, message)

    def col(self, node: ast.AST) -> int:
        """1-based character column of a node (``col_offset`` counts UTF-8 bytes)."""
        return self.index(getattr(node, "col_offset", 0) or 0) + 1

    def index(self, byte_offset: int) -> int:
        """0-based index into ``self.text`` of a UTF-8 byte offset into the parsed source."""
        prefix = self.source.encode("utf-8")[:byte_offset]
        return self.lead + len(prefix.decode("utf-8", errors="ignore"))

    def op_col(self, node: ast.BinOp) -> int:
        """1-based column of a binary operator: the first operator character after the left."""
        end = getattr(node.left, "end_col_offset", None)
        if end is None:
            return self.col(node)
        i = self.index(end)
        while i < len(self.text) and self.text[i] in " )":
            i += 1
        return i + 1 if i < len(self.text) else self.col(node)

    def where(self, node: ast.expr) -> int:
        """Column to blame for an unsupported node: the dot of ``a.b``, else its start."""
        if isinstance(node, ast.Attribute) and node.end_col_offset is not None:
            end = self.index(node.end_col_offset)
            dot = self.text.rfind(".", 0, end - len(node.attr) + 1)
            if dot >= 0:
                return dot + 1
        if isinstance(node, ast.BinOp):
            return self.op_col(node)
        return self.col(node)

    # -- entry --------------------------------------------------------------------------------
    def parse(self) -> Value:
        if len(self.text) > MAX_LENGTH:
            self.text = self.text[: MAX_LENGTH + 1]
            raise self.fail(f"the answer is too long (more than {MAX_LENGTH} characters)", 1)
        if not self.text.strip():
            raise self.fail("type an answer (or skip)", 1)
        node_name = _NODE_REPR.match(self.text)
        if node_name:
            return Value.name(node_name.group(1))
        self.text = _GRAD_FN_TAIL.sub(lambda m: f"{m.group(1)} {m.group(2)} ", self.text)
        self.check_characters()
        self.check_brackets()
        self.source = self.text.lstrip(" ")
        self.lead = len(self.text) - len(self.source)
        tree = self.ast_parse()
        self.check_tree_depth(tree)
        return self.top(tree.body)

    def check_characters(self) -> None:
        for i, ch in enumerate(self.text):
            if not ch.isprintable():
                raise self.fail(f"unexpected character {ch!r}", i + 1)

    def check_brackets(self) -> None:
        stack: list[tuple[str, int]] = []
        for i, ch in enumerate(self.text):
            if ch in _OPEN:
                stack.append((ch, i + 1))
                if len(stack) > MAX_DEPTH:
                    raise self.fail(
                        f"too deeply nested (more than {MAX_DEPTH} brackets inside each other)",
                        i + 1,
                    )
            elif ch in _CLOSE:
                if not stack:
                    raise self.fail(f"brackets do not match: '{ch}' closes nothing", i + 1)
                opener, where = stack.pop()
                if _OPEN[opener] != ch:
                    raise self.fail(
                        f"brackets do not match: '{ch}' cannot close '{opener}' "
                        f"from column {where}",
                        i + 1,
                    )
        if stack:
            opener, where = stack[-1]
            raise self.fail(f"brackets do not match: '{opener}' is never closed", where)

    def ast_parse(self) -> ast.Expression:
        try:
            with warnings.catch_warnings():  # e.g. "invalid decimal literal": never on stderr
                warnings.simplefilter("ignore")
                return ast.parse(self.source, mode="eval")
        except SyntaxError as exc:
            raise self.syntax_error(exc) from None
        except (RecursionError, MemoryError, ValueError, OverflowError):
            raise self.fail("this answer is too complicated to read", 1) from None

    def syntax_error(self, exc: SyntaxError) -> AnswerSyntaxError:
        offset = (exc.offset or 0) and exc.offset + self.lead
        msg = exc.msg or ""
        if "forgot a comma" in msg:
            end = ((exc.end_offset or 0) and exc.end_offset + self.lead) or offset
            end -= 1
            column = end if 0 < end <= len(self.text) else offset
            return self.fail("a ',' is missing between two values", max(1, column))
        if "digits" in msg and "limit" in msg:
            return self.fail("a number with too many digits", max(1, offset))
        if offset <= 0 or offset > len(self.text):
            return self.fail("the answer ends too early", len(self.text.rstrip()) + 1)
        i = offset - 1
        while i < len(self.text) and self.text[i] == " ":
            i += 1
        if i >= len(self.text):
            return self.fail("the answer ends too early", len(self.text.rstrip()) + 1)
        token = re.match(r"[A-Za-z_0-9.]+|.", self.text[i:])
        shown = token.group(0) if token else self.text[i]
        return self.fail(f"unexpected '{shown[:20]}'", i + 1)

    def check_tree_depth(self, tree: ast.AST) -> None:
        stack: list[tuple[ast.AST, int]] = [(tree, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_TREE_DEPTH:
                raise self.fail("this answer is too long a calculation", self.col(node))
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))

    # -- the top level: every kind of answer ---------------------------------------------
    def top(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool)):
            return Value.none() if node.value is None else Value.boolean(node.value)
        if isinstance(node, ast.Name):
            word = node.id.lower()
            if word in _WORDS:
                found = _WORDS[word]
                return Value.none() if found is None else Value.boolean(found)
            if word in _SPECIAL_NUMBERS:
                return Value.number(_SPECIAL_NUMBERS[word])
            return Value.name(node.id)
        if isinstance(node, ast.Tuple):
            return Value.size(self.dims(node.elts))
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.List):
            data = self.rows(node)
            return Value.tensor(data)
        return Value.number(self.number(node))

    def call(self, node: ast.Call) -> Value:
        func = node.func
        name = None
        if isinstance(func, ast.Name):
            name = func.id
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "torch"
        ):
            name = func.attr
        if name not in ("tensor", "Size"):
            shown = ast.unparse(func)[:30]
            raise self.fail(
                f"'{shown}(...)' is not allowed: only tensor(...) and torch.Size(...)",
                self.col(node),
            )
        if name == "Size":
            if node.keywords:
                raise self.fail("torch.Size(...) takes no keywords", self.col(node.keywords[0]))
            if not node.args:
                return Value.size([])
            if len(node.args) != 1 or not isinstance(node.args[0], (ast.List, ast.Tuple)):
                raise self.fail("write a shape as torch.Size([3, 3])", self.col(node))
            return Value.size(self.dims(node.args[0].elts))
        if len(node.args) != 1:
            raise self.fail("tensor(...) takes one value, e.g. tensor([1, 2])", self.col(node))
        for kw in node.keywords:
            self.check_keyword(kw)
        arg = node.args[0]
        if isinstance(arg, ast.Starred):
            raise self.fail("'*' is not allowed here", self.col(arg))
        if isinstance(arg, ast.List):
            return Value.tensor(self.rows(arg))
        return Value.tensor(self.element(arg), shape=())

    def check_keyword(self, kw: ast.keyword) -> None:
        """``requires_grad=True``, ``grad_fn=...``, ``dtype=torch.float64``: shown, ignored."""
        if kw.arg not in _TENSOR_KEYWORDS:
            shown = "**" if kw.arg is None else kw.arg
            raise self.fail(f"'{shown}=' is not allowed in tensor(...)", self.col(kw))
        value = kw.value
        ok = (
            isinstance(value, ast.Name)
            or (isinstance(value, ast.Constant) and isinstance(value.value, (bool, str)))
            or (
                isinstance(value, ast.Attribute)
                and isinstance(value.value, ast.Name)
                and value.value.id == "torch"
            )
        )
        if not ok:
            raise self.fail(f"unexpected value for '{kw.arg}='", self.col(value))

    # -- shapes ---------------------------------------------------------------------------
    def dims(self, elts: list[ast.expr]) -> list[int]:
        out: list[int] = []
        for elt in elts:
            if isinstance(elt, ast.Starred):
                raise self.fail("'*' is not allowed here", self.col(elt))
            n = self.number(elt)
            if isinstance(n, float) and n.is_integer():
                n = int(n)
            if not isinstance(n, int) or n < 0:
                raise self.fail("a shape holds whole numbers of 0 or more", self.col(elt))
            out.append(n)
        return out

    # -- tensors --------------------------------------------------------------------------
    def rows(self, node: ast.List) -> list[Any]:
        """Nested lists -> nested Python lists; ragged rows are refused, naming the row."""
        data, _ = self.nested(node)
        return data

    def nested(self, node: ast.List) -> tuple[list[Any], tuple[int, ...] | None]:
        items: list[Any] = []
        first_shape: tuple[int, ...] | None = None
        for i, elt in enumerate(node.elts):
            if isinstance(elt, ast.List):
                item, inner = self.nested(elt)
                shape: tuple[int, ...] | None = (len(item), *(inner or ()))
            elif isinstance(elt, ast.Tuple):
                raise self.fail("write rows with [ ], not ( )", self.col(elt))
            else:
                item, shape = self.element(elt), None
            if i == 0:
                first_shape = shape
            elif shape != first_shape:
                raise self.fail(self.ragged(i, shape, first_shape), self.col(elt))
            items.append(item)
        return items, first_shape

    @staticmethod
    def ragged(i: int, shape: tuple[int, ...] | None, first: tuple[int, ...] | None) -> str:
        if shape is None or first is None:
            what = "a number" if shape is None else "a list"
            other = "a number" if first is None else "a list"
            return f"rows do not match: row {i + 1} is {what} but row 1 is {other}"
        if shape[0] != first[0]:
            return (
                f"rows have different lengths: row {i + 1} has {_elements(shape[0])}, "
                f"row 1 has {first[0]}"
            )
        return f"rows have different shapes: row {i + 1} is {list(shape)}, row 1 is {list(first)}"

    def element(self, node: ast.expr) -> Any:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise self.fail(f"too many elements (more than {MAX_ELEMENTS})", self.col(node))
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name) and node.id.lower() in ("true", "false"):
            return node.id.lower() == "true"
        return self.number(node)

    # -- numbers and arithmetic -----------------------------------------------------------
    def number(self, node: ast.expr) -> int | float:
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or value is None:
                raise self.fail(f"{value} is not a number here", self.col(node))
            if isinstance(value, (int, float)):
                return self.checked(value, node)
            if isinstance(value, complex):
                raise self.fail("complex numbers are not answers here", self.col(node))
            raise self.fail("text in quotes is not an answer", self.col(node))
        if isinstance(node, ast.Name):
            word = node.id.lower()
            if word in _SPECIAL_NUMBERS:
                return _SPECIAL_NUMBERS[word]
            raise self.fail(f"unknown name '{node.id[:30]}' in a calculation", self.col(node))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = self.number(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp) and isinstance(
            node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
        ):
            left = self.number(node.left)
            right = self.number(node.right)
            return self.arithmetic(node, left, right)
        raise self.fail(self.describe(node), self.where(node))

    def arithmetic(self, node: ast.BinOp, left: int | float, right: int | float) -> int | float:
        op = node.op
        finite = math.isfinite(left) and math.isfinite(right)
        try:
            if isinstance(op, ast.Add):
                result = left + right
            elif isinstance(op, ast.Sub):
                result = left - right
            elif isinstance(op, ast.Mult):
                result = left * right
            elif isinstance(op, ast.Div):
                if right == 0:
                    raise self.fail("division by zero", self.op_col(node))
                result = left / right
            else:
                result = self.power(node, left, right)
        except AnswerSyntaxError:
            raise
        except (OverflowError, ValueError, ZeroDivisionError):
            raise self.fail("this number is too large", self.op_col(node)) from None
        if isinstance(result, complex):
            raise self.fail("this power is not a real number", self.op_col(node))
        if finite and isinstance(result, float) and not math.isfinite(result):
            raise self.fail("this number is too large", self.op_col(node))
        if isinstance(result, int) and abs(result) > MAX_MAGNITUDE:
            raise self.fail("this number is too large", self.op_col(node))
        return result

    def power(self, node: ast.BinOp, base: int | float, exponent: int | float) -> int | float:
        """``base ** exponent``, refused before computing when the result would be huge."""
        if math.isfinite(base) and math.isfinite(exponent) and abs(base) not in (0, 1):
            size = exponent * math.log10(abs(base))
            if size > 308.3:
                raise self.fail("this power is too large", self.op_col(node))
        if base == 0 and exponent < 0:
            raise self.fail("division by zero (0 to a negative power)", self.op_col(node))
        if isinstance(base, int) and isinstance(exponent, int) and exponent < 0:
            return float(base) ** exponent
        return base**exponent

    def checked(self, value: int | float, node: ast.AST) -> int | float:
        if isinstance(value, int) and abs(value) > MAX_MAGNITUDE:
            raise self.fail("this number is too large", self.col(node))
        return value

    @staticmethod
    def describe(node: ast.expr) -> str:
        """What an unsupported piece of syntax is, in a learner's words."""
        if isinstance(node, ast.Attribute):
            return f"'.{node.attr[:30]}' is not allowed: an answer holds values, not expressions"
        if isinstance(node, ast.Call):
            return "a call is not allowed here"
        if isinstance(node, ast.BinOp):
            symbol = {
                ast.FloorDiv: "//",
                ast.Mod: "%",
                ast.MatMult: "@",
                ast.LShift: "<<",
                ast.RShift: ">>",
                ast.BitAnd: "&",
                ast.BitOr: "|",
                ast.BitXor: "^",
            }.get(type(node.op), "this operator")
            return f"'{symbol}' is not allowed: use + - * / ** and brackets"
        if isinstance(node, ast.UnaryOp):
            return "only '-' and '+' may come before a number"
        if isinstance(node, (ast.List, ast.Tuple)):
            return "a list is not allowed inside a calculation"
        if isinstance(node, ast.Lambda):
            return "lambda is not allowed"
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return "a comprehension is not allowed"
        if isinstance(node, ast.Compare):
            return "a comparison is not allowed"
        if isinstance(node, ast.Subscript):
            return "indexing with [ ] is not allowed"
        if isinstance(node, (ast.Dict, ast.Set)):
            return "'{ }' is not allowed: write tensors with [ ]"
        return f"unexpected {type(node).__name__.lower()} in an answer"


def _elements(n: int) -> str:
    return "1 element" if n == 1 else f"{n} elements"
