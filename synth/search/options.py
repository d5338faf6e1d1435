"""Parameter options for enumeration: literal constants and function values.

Scalar parameters are filled with literals (the task's palette for colours, a parameter's
finite domain, a few small integers, booleans); function parameters with primitives named
as values (`size`) or one-literal lambdas (`lambda v: recolor(v, red)`).

Integers read off the task (`task_integers`: constant output sides, size ratios and
differences, colour counts, periods) join the small integers tried for size-like Int
parameters without a finite domain (`SIZE_PARAMS`: `tile_to`'s and `rect_object`'s `h`, `w`;
a row size takes the integers with evidence along rows, a column size those along columns);
shifts, indexes and directions keep theirs, and so does every parameter with a registry
domain, which the type checker enforces on literals (so `upscale(I, 7)` is not valid DSL).
`TaskHints` carries them, with the output shapes expected per example, into the enumerator.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from dsl import ast
from dsl.kernels import implementation
from dsl.primitives.patterns import period_h, period_v
from dsl.registry import Param, Primitive, Registry
from dsl.types import BOOL, COLOR, INT, TCon, Type, rename_vars, unify

SMALL_INTS: tuple[int, ...] = (0, 1, 2, 3)
BACKGROUND_PARAMS = ("bg", "fill")
LAMBDA_PARAM = "v"
SIZE_PARAMS = frozenset({"h", "w", "k", "kr", "kc", "rows", "cols"})  # sizes: 1 or more
ROW_PARAMS = frozenset({"h", "kr", "rows"})
COL_PARAMS = frozenset({"w", "kc", "cols"})
MAX_TASK_INTS = 6
MAX_PARAM_TASK_INTS = 2  # of the task's integers, the first ones a size parameter tries
MAX_TASK_INT = 30
Shape = tuple[int, int]


@dataclass(frozen=True, eq=False, init=False)
class Node:
    """A search value: its type, one value per example, its cost and the expression."""

    type: Type
    values: tuple[Any, ...]
    cost: int
    expr: ast.Expr

    def __init__(self, type: Type, values: tuple[Any, ...], cost: int, expr: ast.Expr) -> None:
        """Set the fields straight in the instance's __dict__ (a frozen dataclass's own
        __init__ goes through `object.__setattr__` once per field; nodes are built in bulk)."""
        fields = self.__dict__
        fields["type"], fields["values"], fields["cost"], fields["expr"] = type, values, cost, expr


def literal_node(value: int | bool, typ: Type, n: int) -> Node:
    """A literal as a cost-0 node."""
    kind = "bool" if typ == BOOL else ("color" if typ == COLOR else "int")
    return Node(typ, (value,) * n, 0, ast.Literal(value, kind))


def literal_options(param: Param, palette: Iterable[int], n: int,
                    integers: Sequence[int] = ()) -> list[Node]:
    """Literal nodes for a scalar parameter (domain first, else by type; a size-like Int
    without a domain skips those under 1 and takes the task's `integers`); [] if not
    scalar."""
    if param.domain is not None:
        return [literal_node(v, param.type, n) for v in param.domain]
    if param.type == COLOR:
        return [literal_node(c, COLOR, n) for c in sorted(palette)]
    if param.type == INT:
        return [literal_node(i, INT, n) for i in with_task_integers(param, SMALL_INTS, integers)]
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


@dataclass(frozen=True)
class TaskHints:
    """What the enumerator may read off a task: integers for size-like parameters (all of
    them, and those with evidence along rows and along columns), and the output shape of
    each example (train then test; None where it is not known)."""

    integers: tuple[int, ...] = ()
    shapes: tuple[Shape | None, ...] = ()
    row_integers: tuple[int, ...] = ()
    col_integers: tuple[int, ...] = ()

    def integers_for(self, param: Param) -> tuple[int, ...]:
        """The task's integers for a parameter: along its axis if it has one (`h`, `rows`,
        `kr`: rows; `w`, `cols`, `kc`: columns), else all of them."""
        if param.name in ROW_PARAMS:
            return self.row_integers
        if param.name in COL_PARAMS:
            return self.col_integers
        return self.integers


def _constant(values: Iterable[Fraction | int]) -> Fraction | int | None:
    distinct = set(values)
    return next(iter(distinct)) if len(distinct) == 1 else None


def _whole(value: Fraction | int | None) -> int | None:
    if value is None or Fraction(value).denominator != 1:
        return None
    return int(value)


def minimal_period(grid: np.ndarray, axis: int) -> int | None:
    """The smallest p < the grid's extent along `axis` with every line equal to the line p
    further on (the DSL's `period_v`/`period_h`); None when the grid does not repeat along
    that axis."""
    period = implementation(period_v if axis == 0 else period_h)(grid)
    return period if period < grid.shape[axis] else None


def _foreground_colors(grid: np.ndarray) -> int:
    return int(np.count_nonzero(np.unique(grid)))


def _evidence(train_pairs: Sequence[tuple[np.ndarray, np.ndarray]],
              test_inputs: Sequence[np.ndarray]) -> list[tuple[int | None, int]]:
    """(axis or None, value) for each constant quantity of the task, strongest kinds first."""
    ins = [i.shape for i, _ in train_pairs]
    outs = [o.shape for _, o in train_pairs]
    inputs = [i for i, _ in train_pairs] + list(test_inputs)
    outputs = [o for _, o in train_pairs]
    found: list[tuple[int | None, Fraction | int | None]] = []
    for axis in (0, 1):
        found.append((axis, _whole(_constant(Fraction(o[axis], i[axis])
                                             for i, o in zip(ins, outs)))))
        found.append((axis, _whole(_constant(Fraction(i[axis], o[axis])
                                             for i, o in zip(ins, outs)))))
    for axis in (0, 1):
        found.append((axis, _constant(o[axis] for o in outs)))
    for axis in (0, 1):
        difference = _constant(o[axis] - i[axis] for i, o in zip(ins, outs))
        found.append((axis, abs(difference) if difference is not None else None))
    for grids in (outputs, inputs):
        for axis in (0, 1):
            found.append((axis, _constant(minimal_period(g, axis) for g in grids)))
    for grids in (inputs, outputs):
        found.append((None, _constant(_foreground_colors(g) for g in grids)))
    return [(axis, int(v)) for axis, v in found if v is not None]


def task_integers(train_pairs: Sequence[tuple[np.ndarray, np.ndarray]],
                  test_inputs: Sequence[np.ndarray], limit: int = MAX_TASK_INTS,
                  axis: int | None = None) -> tuple[int, ...]:
    """Integers a program for the task may need as literals, most evidence first: output
    sides when constant, output/input (and input/output) side ratios and side differences
    when whole and constant, the number of non-0 colours of every input or output when
    constant, and the minimal row/column periods of the inputs or outputs when constant.
    With `axis` (0: rows, 1: columns) only that axis' sides, ratios, differences and periods
    count, and the colour counts. Only 2..MAX_TASK_INT (0 and 1 are tried anyway), each
    once, at most `limit`."""
    if not train_pairs:
        return ()
    return _ranked(_evidence(train_pairs, test_inputs), limit, axis)


def _ranked(evidence: Sequence[tuple[int | None, int]], limit: int, axis: int | None
            ) -> tuple[int, ...]:
    """`task_integers` from the task's evidence (`_evidence`)."""
    found = [v for a, v in evidence
             if (axis is None or a in (None, axis)) and 2 <= v <= MAX_TASK_INT]
    support = Counter(found)
    first = {v: index for index, v in reversed(list(enumerate(found)))}
    ranked = sorted(support, key=lambda v: (-support[v], first[v]))
    return tuple(ranked[:limit])


def predicted_shapes(train_outputs: Sequence[np.ndarray], test_inputs: Sequence[np.ndarray],
                     plausible: Callable[[Shape], set[Shape]]) -> tuple[Shape | None, ...]:
    """The output shape of every example: the train outputs' own, and for each test input
    the one shape `plausible` (the task's size rules) allows, else None."""
    shapes: list[Shape | None] = [tuple(o.shape) for o in train_outputs]
    for grid in test_inputs:
        options = plausible(tuple(grid.shape))
        shapes.append(next(iter(options)) if len(options) == 1 else None)
    return tuple(shapes)


def task_hints(train_pairs: Sequence[tuple[np.ndarray, np.ndarray]],
               test_inputs: Sequence[np.ndarray],
               plausible: Callable[[Shape], set[Shape]]) -> TaskHints:
    """`TaskHints` for a task: its integers and its examples' expected output shapes."""
    evidence = _evidence(train_pairs, test_inputs) if train_pairs else []
    return TaskHints(_ranked(evidence, MAX_TASK_INTS, None),
                     predicted_shapes([o for _, o in train_pairs], test_inputs, plausible),
                     _ranked(evidence, MAX_TASK_INTS, 0), _ranked(evidence, MAX_TASK_INTS, 1))


def with_task_integers(param: Param, base: tuple[int, ...], integers: Sequence[int]
                       ) -> tuple[int, ...]:
    """The integers a domain-less Int parameter tries: `base`, except that a size-like one
    (`SIZE_PARAMS`) drops those under 1 (always an error) and takes the task's first
    `MAX_PARAM_TASK_INTS` integers not in `base` too. (Two size parameters of one call with
    six task integers each would try 100 literal pairs instead of 16.)"""
    if param.type != INT or param.domain is not None or param.name not in SIZE_PARAMS:
        return base
    extra = tuple(v for v in integers if v not in base)[:MAX_PARAM_TASK_INTS]
    return tuple(v for v in base if v >= 1) + extra
