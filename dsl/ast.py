"""The program AST: frozen dataclasses with source positions (ignored by equality).

A Program is a tuple of Definitions; a Definition is a typed header plus straight-line
single-assignment statements; expressions are variables, literals, list literals, calls
(positional and keyword arguments) and lambdas.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from dsl.types import Type


@dataclass(frozen=True)
class Pos:
    """1-based line and column of a node in the source text."""

    line: int = 0
    column: int = 0


NOPOS = Pos()


@dataclass(frozen=True)
class Var:
    """A variable, parameter or primitive name used as a value."""

    name: str
    pos: Pos = field(default=NOPOS, compare=False)


@dataclass(frozen=True)
class Literal:
    """A constant: `kind` is 'int', 'color' (printed by name) or 'bool'."""

    value: int | bool
    kind: str
    pos: Pos = field(default=NOPOS, compare=False)


@dataclass(frozen=True)
class Call:
    """`func(args..., name=value...)`."""

    func: str
    args: tuple["Expr", ...] = ()
    kwargs: tuple[tuple[str, "Expr"], ...] = ()
    pos: Pos = field(default=NOPOS, compare=False)


@dataclass(frozen=True)
class ListLit:
    """`[a, b, ...]`: a list of expressions of one type."""

    items: tuple["Expr", ...]
    pos: Pos = field(default=NOPOS, compare=False)


@dataclass(frozen=True)
class Lambda:
    """`lambda a, b: body`."""

    params: tuple[str, ...]
    body: "Expr"
    pos: Pos = field(default=NOPOS, compare=False)


Expr = Var | Literal | Call | Lambda | ListLit


@dataclass(frozen=True)
class Assign:
    """`target = expr`."""

    target: str
    expr: Expr
    pos: Pos = field(default=NOPOS, compare=False)


@dataclass(frozen=True)
class Definition:
    """`name(p: T, ...) -> R:` followed by statements; its value is the last assignment."""

    name: str
    params: tuple[tuple[str, Type], ...]
    returns: Type
    body: tuple[Assign, ...]
    pos: Pos = field(default=NOPOS, compare=False)

    @property
    def result(self) -> str:
        """The variable holding the definition's value."""
        return self.body[-1].target


@dataclass(frozen=True)
class Program:
    """One or more definitions; `entry` (default `solve`) is the one run on a task."""

    definitions: tuple[Definition, ...]

    def get(self, name: str) -> Definition | None:
        """The definition called `name`, or None."""
        return next((d for d in self.definitions if d.name == name), None)

    @property
    def entry(self) -> Definition:
        """`solve` if present, else the last definition."""
        return self.get("solve") or self.definitions[-1]


def names_used(expr: Expr) -> Iterator[str]:
    """Every function name an expression calls or passes as a value, and every variable it
    reads, in source order (callers keep the ones that name primitives)."""
    if isinstance(expr, Call):
        yield expr.func
        for arg in (*expr.args, *(value for _, value in expr.kwargs)):
            yield from names_used(arg)
    elif isinstance(expr, Var):
        yield expr.name
    elif isinstance(expr, ListLit):
        for item in expr.items:
            yield from names_used(item)
    elif isinstance(expr, Lambda):
        yield from names_used(expr.body)


def program_names(program: Program) -> Iterator[str]:
    """`names_used` over every statement of every definition."""
    for definition in program.definitions:
        for statement in definition.body:
            yield from names_used(statement.expr)
