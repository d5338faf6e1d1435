"""Parameter options for enumeration: literal constants and function values.

Scalar parameters are filled with literals (the task's palette for colours, a parameter's
finite domain, a few small integers, booleans); function parameters with primitives named
as values (`size`) or one-literal lambdas (`lambda v: recolor(v, red)`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from dsl import ast
from dsl.kernels import implementation
from dsl.registry import Param, Primitive, Registry
from dsl.types import BOOL, COLOR, INT, TCon, Type, rename_vars, unify

SMALL_INTS: tuple[int, ...] = (0, 1, 2, 3)
BACKGROUND_PARAMS = ("bg", "fill")
LAMBDA_PARAM = "v"


@dataclass(frozen=True, eq=False)
class Node:
    """A search value: its type, one value per example, its cost and the expression."""

    type: Type
    values: tuple[Any, ...]
    cost: int
    expr: ast.Expr


def literal_node(value: int | bool, typ: Type, n: int) -> Node:
    """A literal as a cost-0 node."""
    kind = "bool" if typ == BOOL else ("color" if typ == COLOR else "int")
    return Node(typ, (value,) * n, 0, ast.Literal(value, kind))


def literal_options(param: Param, palette: Iterable[int], n: int) -> list[Node]:
    """Literal nodes for a scalar parameter (domain first, else by type); [] if not scalar."""
    if param.domain is not None:
        return [literal_node(v, param.type, n) for v in param.domain]
    if param.type == COLOR:
        return [literal_node(c, COLOR, n) for c in sorted(palette)]
    if param.type == INT:
        return [literal_node(i, INT, n) for i in SMALL_INTS]
    if param.type == BOOL:
        return [literal_node(b, BOOL, n) for b in (False, True)]
    return []


def _defaults(params: tuple[Param, ...]) -> list[Any] | None:
    if any(not p.has_default for p in params):
        return None
    return [p.default for p in params]


def _named(prim: Primitive, n: int) -> Node | None:
    rest = _defaults(prim.params[1:])
    if rest is None or not prim.params:
        return None
    fn = implementation(prim)

    def call(x: Any) -> Any:
        return fn(x, *rest)

    typ = TCon("Fn", (prim.params[0].type, prim.returns))
    return Node(typ, (call,) * n, 0, ast.Var(prim.name))


def _lambdas(prim: Primitive, palette: Iterable[int], n: int) -> list[Node]:
    if len(prim.params) < 2 or prim.params[1].type not in (COLOR, INT, BOOL):
        return []
    rest = _defaults(prim.params[2:])
    if rest is None:
        return []
    nodes = []
    impl = implementation(prim)
    for lit in literal_options(prim.params[1], palette, n):
        value, fn = lit.values[0], impl

        def call(x: Any, _value: Any = value, _fn: Callable[..., Any] = fn) -> Any:
            return _fn(x, _value, *rest)

        body = ast.Call(prim.name, (ast.Var(LAMBDA_PARAM), lit.expr))
        typ = TCon("Fn", (prim.params[0].type, prim.returns))
        nodes.append(Node(typ, (call,) * n, 0, ast.Lambda((LAMBDA_PARAM,), body)))
    return nodes


def function_options(target: Type, registry: Registry, palette: Iterable[int], n: int,
                     exclude: frozenset[str]) -> list[Node]:
    """Unary function values whose type can unify with `target` (a `(A) -> B` type)."""
    if not (isinstance(target, TCon) and target.name == "Fn" and len(target.args) == 2):
        return []
    palette = tuple(palette)
    nodes: list[Node] = []
    for prim in registry:
        if prim.name in exclude or not prim.params:
            continue
        candidates = [c for c in (_named(prim, n),) if c is not None] + _lambdas(prim, palette, n)
        for node in candidates:
            if unify(rename_vars(node.type, "_fo"), target, {}):
                nodes.append(node)
    return nodes


def task_default_domains(background: int) -> dict[str, tuple[Any, ...]]:
    """Values to try for parameters the enumerator otherwise leaves at their default: the
    task's background colour for `bg`/`fill` when it is not 0, both settings of
    `multicolor`."""
    domains: dict[str, tuple[Any, ...]] = {"multicolor": (False, True)}
    if background != 0:
        domains.update({name: (background,) for name in BACKGROUND_PARAMS})
    return domains
