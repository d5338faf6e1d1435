"""Parsing program text into the AST (Lark, LALR), with friendly positioned errors."""
from __future__ import annotations

import difflib
from functools import cache
from types import MappingProxyType

from lark import Lark, Token, Transformer, v_args
from lark.indenter import DedentError, Indenter
from lark.exceptions import (UnexpectedCharacters, UnexpectedEOF, UnexpectedInput,
                             UnexpectedToken, VisitError)

from dsl import ast
from dsl.errors import DSLParseError
from dsl.types import BASE_TYPES, CONSTRUCTOR_ARITY, TCon, Type, TVar, fn_type
from grammars import grammar_text

COLOR_NAMES: tuple[str, ...] = (
    "black", "blue", "red", "green", "yellow", "grey", "magenta", "orange", "sky", "maroon",
)
COLOR_BY_NAME = MappingProxyType({name: i for i, name in enumerate(COLOR_NAMES)})

_TOKEN_WORDS = MappingProxyType({
    "NAME": "a name", "SIGNED_INT": "an integer", "_NL": "a new line", "LPAR": "'('",
    "RPAR": "')'", "COMMA": "','", "EQUAL": "'='", "COLON": "':'", "RSQB": "']'",
    "LSQB": "'['", "$END": "end of input", "LAMBDA": "'lambda'", "TRUE": "'true'",
    "FALSE": "'false'", "__ANON_0": "'->'", "MINUS": "'-'", "_DEF": "'def'",
    "_INDENT": "an indented body", "_DEDENT": "the end of the body",
})
_FOUND_WORDS = MappingProxyType({"$END": "end of input", "_NL": "end of line",
                                 "_INDENT": "indentation",
                                 "_DEDENT": "end of the indented body"})
_CLOSER_OF = MappingProxyType({"(": ")", "[": "]"})
_OPENER_OF = MappingProxyType({")": "(", "]": "["})
_CLOSER_TOKENS = MappingProxyType({")": "RPAR", "]": "RSQB"})
_AT_END = frozenset({"$END", "_DEDENT", "<EOF>"})


class _BodyIndenter(Indenter):
    """Turns indentation after a definition header into _INDENT/_DEDENT tokens."""

    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR", "LSQB"]
    CLOSE_PAREN_types = ["RPAR", "RSQB"]
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 4

    def handle_NL(self, token: Token):  # noqa: N802 - lark's hook name
        """Yield layout tokens; an inconsistent dedent becomes a positioned parse error."""
        try:
            yield from super().handle_NL(token)
        except DedentError:
            line = (token.end_line or token.line or 1)
            raise DSLParseError("inconsistent indentation", line, 1,
                                "indent every statement of a body by the same amount") from None


@cache
def _lark() -> Lark:
    return Lark(grammar_text("dsl.lark"), parser="lalr", propagate_positions=True,
                maybe_placeholders=False, postlex=_BodyIndenter())


def _pos(meta_or_token: object) -> ast.Pos:
    line = getattr(meta_or_token, "line", 0) or 0
    column = getattr(meta_or_token, "column", 0) or 0
    return ast.Pos(line, column)


def _type_from_name(token: Token) -> Type:
    name = str(token)
    if name in BASE_TYPES:
        return BASE_TYPES[name]
    if len(name) == 1 and name.isupper():
        return TVar(name)
    close = difflib.get_close_matches(name, BASE_TYPES, n=1)
    hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(BASE_TYPES)}"
    raise DSLParseError(f"unknown type '{name}'", token.line, token.column, hint)


@v_args(meta=True)
class _ToAst(Transformer):
    """Builds AST nodes from the parse tree."""

    def start(self, meta, children):
        return ast.Program(tuple(children))

    def definition(self, meta, children):
        name, *rest = children
        params = tuple(c for c in rest if isinstance(c, tuple) and len(c) == 2
                       and isinstance(c[0], str))
        returns = next(c for c in rest if isinstance(c, (TCon, TVar)))
        body = tuple(c for c in rest if isinstance(c, ast.Assign))
        return ast.Definition(str(name), params, returns, body, _pos(name))

    def param(self, meta, children):
        name, typ = children
        return (str(name), typ)

    def statement(self, meta, children):
        name, expr = children
        if str(name) in COLOR_BY_NAME:
            raise DSLParseError(f"'{name}' is a colour name and cannot be assigned",
                                name.line, name.column)
        return ast.Assign(str(name), expr, _pos(name))

    def type_name(self, meta, children):
        return _type_from_name(children[0])

    def type_app(self, meta, children):
        name, *args = children
        arity = CONSTRUCTOR_ARITY.get(str(name))
        if arity is None:
            raise DSLParseError(f"unknown type constructor '{name}'", name.line, name.column,
                                f"known: {', '.join(CONSTRUCTOR_ARITY)}")
        if arity != len(args):
            raise DSLParseError(f"{name} takes {arity} type argument(s), got {len(args)}",
                                name.line, name.column)
        return TCon(str(name), tuple(args))

    def type_fn(self, meta, children):
        *params, ret = children
        return fn_type(tuple(params), ret)

    def call(self, meta, children):
        name, *args = children
        positional = tuple(a for a in args if not isinstance(a, _Kwarg))
        keywords = tuple((a.name, a.value) for a in args if isinstance(a, _Kwarg))
        order = [isinstance(a, _Kwarg) for a in args]
        if order != sorted(order):
            raise DSLParseError("positional argument after keyword argument", name.line,
                                name.column)
        return ast.Call(str(name), positional, keywords, _pos(name))

    def kwarg(self, meta, children):
        name, value = children
        return _Kwarg(str(name), value)

    def lambda_(self, meta, children):
        *params, body = children
        return ast.Lambda(tuple(str(p) for p in params), body, _pos(meta))

    def var(self, meta, children):
        token = children[0]
        if str(token) in COLOR_BY_NAME:
            return ast.Literal(COLOR_BY_NAME[str(token)], "color", _pos(token))
        return ast.Var(str(token), _pos(token))

    def list_(self, meta, children):
        return ast.ListLit(tuple(children), _pos(meta))

    def int(self, meta, children):
        return ast.Literal(int(children[0]), "int", _pos(children[0]))

    def true(self, meta, children):
        return ast.Literal(True, "bool", _pos(meta))

    def false(self, meta, children):
        return ast.Literal(False, "bool", _pos(meta))


class _Kwarg:
    """A keyword argument while building a Call (never left in the AST)."""

    def __init__(self, name: str, value: ast.Expr) -> None:
        self.name = name
        self.value = value


def _describe_expected(expected: set[str]) -> str:
    words = sorted({_TOKEN_WORDS.get(e, repr(e.lower()) if e.isupper() else e) for e in expected})
    return ", ".join(words[:6]) + (", ..." if len(words) > 6 else "")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset into the text."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _scan_brackets(text: str, end: int) -> tuple[list[int], int]:
    """Offsets of the brackets still open before `end` (innermost last; comments skipped),
    and the offset just after the last character before `end` that is not blank."""
    stack: list[int] = []
    last, i = 0, 0
    while i < end:
        char = text[i]
        if char == "#":
            newline = text.find("\n", i, end)
            i = end if newline < 0 else newline
            continue
        if char in _CLOSER_OF:       # an opening bracket
            stack.append(i)
        elif char in _OPENER_OF and stack:   # a closing one
            stack.pop()
        if not char.isspace():
            last = i + 1
        i += 1
    return stack, last


def _opened_at(text: str, opener: int, line: int) -> str:
    """`'(' opened at column 17`, naming the line too when it is not `line`."""
    open_line, open_column = _line_col(text, opener)
    where = f"column {open_column}" if open_line == line else \
        f"line {open_line}, column {open_column}"
    return f"{text[opener]!r} opened at {where}"


def _stray_closer(token: Token, text: str, stack: list[int]) -> DSLParseError | None:
    """An unexpected ')' or ']': unmatched, or closing the wrong kind of bracket."""
    char = str(token)
    if not stack:
        return DSLParseError(f"unmatched {char!r}", token.line, token.column,
                             f"no {_OPENER_OF[char]!r} is open here")
    closer = _CLOSER_OF[text[stack[-1]]]
    if closer == char:
        return None
    return DSLParseError(f"missing {closer!r} to close "
                         f"{_opened_at(text, stack[-1], token.line)}", token.line,
                         token.column, f"unexpected {char!r}")


def _bracket_error(err: UnexpectedToken | UnexpectedEOF, text: str) -> DSLParseError | None:
    """A stray closing bracket, or one left open: reported at the end of the line where its
    closer is missing. (Newlines inside brackets are insignificant to `_BodyIndenter`, so the
    parser only notices a missing ')' at the next line's first token or at the end.)"""
    token = err.token
    ends = token.type in ("$END", "<EOF>") or token.start_pos is None
    stack, last = _scan_brackets(text, len(text) if ends else token.start_pos)
    if str(token) in _OPENER_OF:
        return _stray_closer(token, text, stack)
    if not stack:
        return None
    closer = _CLOSER_OF[text[stack[-1]]]
    line, column = _line_col(text, last)
    if token.type in _AT_END or token.start_pos is None:   # inside brackets, a _DEDENT
        hint = "unexpected end of program"                  # comes only at the end
    elif token.line > line and _CLOSER_TOKENS[closer] in err.expected:
        found = _FOUND_WORDS.get(token.type, repr(str(token)))
        hint = f"unexpected {found} on line {token.line}"
    else:
        return None
    return DSLParseError(f"missing {closer!r} to close {_opened_at(text, stack[-1], line)}",
                         line, column, hint)


def _friendly(err: UnexpectedInput, text: str) -> DSLParseError:
    line, column = getattr(err, "line", 0), getattr(err, "column", 0)
    if isinstance(err, UnexpectedCharacters):
        char = text[err.pos_in_stream] if err.pos_in_stream < len(text) else "?"
        return DSLParseError(f"unexpected character {char!r}", line, column)
    assert isinstance(err, (UnexpectedToken, UnexpectedEOF))
    bracket = _bracket_error(err, text)
    if bracket is not None:
        return bracket
    if isinstance(err, UnexpectedEOF):
        return DSLParseError("unexpected end of program", line, column,
                             f"expected {_describe_expected(set(err.expected))}")
    assert isinstance(err, UnexpectedToken)
    found = _FOUND_WORDS.get(err.token.type, repr(str(err.token)))
    hint = f"expected {_describe_expected(set(err.expected))}"
    if err.token.type == "$END":
        line, column = err.line if err.line > 0 else text.count("\n") + 1, max(err.column, 1)
    return DSLParseError(f"unexpected {found}", line, column, hint)


def parse_program(text: str) -> ast.Program:
    """Parse program text (one or more definitions) into a Program; raises DSLParseError."""
    source = text if text.endswith("\n") else text + "\n"
    try:
        tree = _lark().parse(source)
    except UnexpectedInput as err:
        raise _friendly(err, source) from None
    try:
        return _ToAst().transform(tree)
    except VisitError as err:  # lark wraps errors raised by the transformer
        if isinstance(err.orig_exc, DSLParseError):
            raise err.orig_exc from None
        raise


def parse_expr(text: str) -> ast.Expr:
    """Parse a single expression (used by the REPL), e.g. `objects(I, connect=8)`."""
    program = parse_program(f"_expr_() -> Grid:\n    _v_ = {text.strip()}\n")
    expr = program.definitions[0].body[0].expr
    return expr
