"""DSL types: constructors, type variables, parsing of signature strings, and unification.

Types are immutable: `TCon(name, args)` for Grid, Color, Int, Bool, Point, Mask, Object,
`List[T]`, `Pair[A, B]` and `Fn[A, ..., R]`, and `TVar(name)` for generic primitives.
`Objects` is spelled as an alias of `List[Object]`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TCon:
    """A type constructor applied to arguments (no arguments for base types)."""

    name: str
    args: tuple["Type", ...] = ()

    def __str__(self) -> str:
        if self == OBJECTS:
            return "Objects"
        if self.name == "Fn":
            *params, ret = self.args
            inner = ", ".join(str(p) for p in params)
            return f"({inner}) -> {ret}"
        if not self.args:
            return self.name
        return f"{self.name}[{', '.join(str(a) for a in self.args)}]"


@dataclass(frozen=True)
class TVar:
    """A type variable, bound by unification (e.g. the element type of `List[T]`)."""

    name: str

    def __str__(self) -> str:
        return self.name


Type = TCon | TVar

GRID = TCon("Grid")
COLOR = TCon("Color")
INT = TCon("Int")
BOOL = TCon("Bool")
POINT = TCon("Point")
MASK = TCon("Mask")
OBJECT = TCon("Object")
OBJECTS = TCon("List", (OBJECT,))

BASE_TYPES: Mapping[str, Type] = {
    "Grid": GRID, "Color": COLOR, "Int": INT, "Bool": BOOL, "Point": POINT, "Mask": MASK,
    "Object": OBJECT, "Objects": OBJECTS,
}
CONSTRUCTOR_ARITY: Mapping[str, int] = {"List": 1, "Pair": 2}


def list_of(elem: Type) -> TCon:
    """`List[elem]`."""
    return TCon("List", (elem,))


def fn_type(params: tuple[Type, ...], ret: Type) -> TCon:
    """The function type `(params) -> ret`."""
    return TCon("Fn", (*params, ret))


class TypeParseError(ValueError):
    """A malformed type string in a primitive declaration or a program header."""


_TOKEN = re.compile(r"\s*(->|[A-Za-z_][A-Za-z_0-9]*|[\[\](),])")


def _tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise TypeParseError(f"bad type syntax at {text[pos:]!r} in {text!r}")
        tokens.append(m.group(1))
        pos = m.end()
    return tokens


class _TypeParser:
    """Recursive-descent parser for type strings like `(Object) -> Int` or `List[T]`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise TypeParseError(f"expected {expected or 'a type'} in {self.text!r}")
        self.pos += 1
        return tok

    def parse(self) -> Type:
        result = self.type_()
        if self.peek() is not None:
            raise TypeParseError(f"unexpected {self.peek()!r} in {self.text!r}")
        return result

    def type_(self) -> Type:
        if self.peek() == "(":
            self.take("(")
            params = [] if self.peek() == ")" else [self.type_()]
            while self.peek() == ",":
                self.take(",")
                params.append(self.type_())
            self.take(")")
            self.take("->")
            return fn_type(tuple(params), self.type_())
        name = self.take()
        if name in BASE_TYPES:
            return BASE_TYPES[name]
        if name in CONSTRUCTOR_ARITY:
            self.take("[")
            args = [self.type_()]
            while self.peek() == ",":
                self.take(",")
                args.append(self.type_())
            self.take("]")
            if len(args) != CONSTRUCTOR_ARITY[name]:
                raise TypeParseError(f"{name} takes {CONSTRUCTOR_ARITY[name]} type arguments")
            return TCon(name, tuple(args))
        if len(name) == 1 and name.isupper():
            return TVar(name)
        raise TypeParseError(f"unknown type {name!r} in {self.text!r}")


def parse_type(text: str) -> Type:
    """Parse a type string: `Grid`, `List[Object]`, `(Object) -> Int`, `T` (a variable)."""
    return _TypeParser(text).parse()


Subst = dict[str, Type]


def resolve(t: Type, subst: Mapping[str, Type]) -> Type:
    """Apply a substitution to a type, following chains of bound variables."""
    while isinstance(t, TVar) and t.name in subst:
        t = subst[t.name]
    if isinstance(t, TCon) and t.args:
        return TCon(t.name, tuple(resolve(a, subst) for a in t.args))
    return t


def _occurs(name: str, t: Type, subst: Mapping[str, Type]) -> bool:
    t = resolve(t, subst)
    if isinstance(t, TVar):
        return t.name == name
    return any(_occurs(name, a, subst) for a in t.args)


def unify(a: Type, b: Type, subst: Subst) -> bool:
    """Unify two types, extending `subst` in place; False (subst maybe partly extended) on clash."""
    a, b = resolve(a, subst), resolve(b, subst)
    if isinstance(a, TVar) or isinstance(b, TVar):
        var, other = (a, b) if isinstance(a, TVar) else (b, a)
        if isinstance(other, TVar) and other.name == var.name:
            return True
        if _occurs(var.name, other, subst):
            return False
        subst[var.name] = other
        return True
    if a.name != b.name or len(a.args) != len(b.args):
        return False
    return all(unify(x, y, subst) for x, y in zip(a.args, b.args))


def free_vars(t: Type) -> set[str]:
    """Names of the type variables occurring in a type."""
    if isinstance(t, TVar):
        return {t.name}
    return set().union(*(free_vars(a) for a in t.args)) if t.args else set()


def rename_vars(t: Type, suffix: str) -> Type:
    """Rename every type variable (fresh instance of a generic signature)."""
    if isinstance(t, TVar):
        return TVar(f"{t.name}{suffix}")
    return TCon(t.name, tuple(rename_vars(a, suffix) for a in t.args)) if t.args else t
