"""Task views: a task seen rotated/reflected (D8) or recoloured to canonical ids, and the way
back from a program found on a view to a program on the original task.

A view is named by a key: one of `D8_VIEWS` (the DSL's geometry primitives `rot90`, `rot180`,
`rot270`, `flip_h`, `flip_v`, `transpose`, `antitranspose`) or `COLOR_VIEW`.

- A D8 view applies its geometry to every grid of the task (train inputs and outputs, test
  inputs). A program `P` found on it becomes `inv(P[I := t(I)])` on the original task.
- The colour view recolours each example by the canonical table of its own *input*
  (`dsl.primitives.color.canonical_color_table`: background 0, other input colours 1, 2, ... by
  cell count, most first, ties to the smaller colour; colours absent from the input keep their
  id when it is free, the others take the ids left over). The output of a train pair is
  recoloured with its input's table, so a colour that appears only in outputs stays as it is
  unless its id is taken by an input colour. Every table is a permutation of 0..9, so the view
  is a bijection on every example by construction. A program `P` found on it becomes
  `denormalize_colors(P[I := normalize_colors(I)], I)`. It helps where colour roles change
  from pair to pair ("the most frequent non-background colour fills the holes"): in the view
  that colour is always 1, a constant the enumerator can name.

Programs are mapped back as DSL ASTs (the view's statements between one that transforms `I` and
one that maps the answer back, evaluated in the same order), so the result is ordinary
straight-line DSL text that the reference interpreter runs.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

import numpy as np

from dsl import ast
from dsl.primitives.color import canonical_color_table, denormalize_colors
from dsl.primitives.geometry import (antitranspose, flip_h, flip_v, rot90, rot180, rot270,
                                     transpose)
from dsl.types import GRID
from dsl.values import as_grid
from synth.data.task import Challenge, Example, Grid

COLOR_VIEW = "colors"
INPUT = "I"
D8_VIEWS: tuple[str, ...] = ("rot90", "rot180", "rot270", "flip_h", "flip_v", "transpose",
                             "antitranspose")
D8_INVERSE: Mapping[str, str] = MappingProxyType({
    "rot90": "rot270", "rot180": "rot180", "rot270": "rot90", "flip_h": "flip_h",
    "flip_v": "flip_v", "transpose": "transpose", "antitranspose": "antitranspose"})
_GEOMETRY: Mapping[str, Callable[[Grid], Grid]] = MappingProxyType({
    "rot90": rot90.fn, "rot180": rot180.fn, "rot270": rot270.fn, "flip_h": flip_h.fn,
    "flip_v": flip_v.fn, "transpose": transpose.fn, "antitranspose": antitranspose.fn})


def d8_grid(view: str, grid: Grid) -> Grid:
    """`grid` under the geometry `view` (one of `D8_VIEWS`)."""
    return _GEOMETRY[view](grid)


def forward_grid(view: str, grid: Grid, source: Grid) -> Grid:
    """A grid of an example seen in `view`; `source` is that example's original input."""
    if view == COLOR_VIEW:
        return as_grid(canonical_color_table(source)[grid])
    return d8_grid(view, grid)


def backward_grid(view: str, grid: Grid, source: Grid) -> Grid:
    """Undo `forward_grid` (for an output of the example whose original input is `source`)."""
    if view == COLOR_VIEW:
        return denormalize_colors.fn(grid, source)
    return d8_grid(D8_INVERSE[view], grid)


def view_challenge(view: str, task: Challenge) -> Challenge:
    """The task seen in `view`: every train input and output and every test input."""
    train = tuple(Example(forward_grid(view, ex.input, ex.input),
                          forward_grid(view, ex.output, ex.input)) for ex in task.train)
    tests = tuple(forward_grid(view, grid, grid) for grid in task.test_inputs)
    return Challenge(task.id, train, tests)


def backward_outputs(view: str, task: Challenge, outputs: Iterable[Grid]) -> tuple[Grid, ...]:
    """Test outputs found on the view of `task`, mapped back to the original task."""
    return tuple(backward_grid(view, grid, source)
                 for grid, source in zip(outputs, task.test_inputs))


def challenge_key(task: Challenge) -> tuple:
    """Shapes and cells of every grid, in order: equal keys mean identical tasks."""
    grids = [g for ex in task.train for g in (ex.input, ex.output)] + list(task.test_inputs)
    return tuple((g.shape, np.ascontiguousarray(g).tobytes()) for g in grids)


def distinct_views(task: Challenge, views: Iterable[str]) -> list[str]:
    """The views (in the given order) whose task differs from the original and from the task
    of every earlier view kept."""
    seen = {challenge_key(task)}
    kept = []
    for view in views:
        key = challenge_key(view_challenge(view, task))
        if key not in seen:
            seen.add(key)
            kept.append(view)
    return kept


def _substitute(expr: ast.Expr, env: Mapping[str, ast.Expr]) -> ast.Expr:
    """`expr` with each free variable named in `env` replaced by its expression."""
    if isinstance(expr, ast.Var):
        return env.get(expr.name, expr)
    if isinstance(expr, ast.Call):
        return ast.Call(expr.func, tuple(_substitute(a, env) for a in expr.args),
                        tuple((k, _substitute(v, env)) for k, v in expr.kwargs))
    if isinstance(expr, ast.ListLit):
        return ast.ListLit(tuple(_substitute(item, env) for item in expr.items))
    if isinstance(expr, ast.Lambda):
        inner = {k: v for k, v in env.items() if k not in expr.params}
        return ast.Lambda(expr.params, _substitute(expr.body, inner))
    return expr


def lambda_params(expr: ast.Expr) -> set[str]:
    """Every name a lambda inside `expr` binds."""
    if isinstance(expr, ast.Lambda):
        return set(expr.params) | lambda_params(expr.body)
    if isinstance(expr, ast.Call):
        arguments = (*expr.args, *(value for _, value in expr.kwargs))
        return set().union(*(lambda_params(argument) for argument in arguments))
    if isinstance(expr, ast.ListLit):
        return set().union(*(lambda_params(item) for item in expr.items))
    return set()


def view_input(view: str) -> ast.Expr:
    """What the input `I` becomes in a program mapped back from `view`."""
    func = "normalize_colors" if view == COLOR_VIEW else view
    return ast.Call(func, (ast.Var(INPUT),))


def view_output(view: str, expr: ast.Expr) -> ast.Expr:
    """The expression mapping a view's answer `expr` back to the original task."""
    if view == COLOR_VIEW:
        return ast.Call("denormalize_colors", (expr, ast.Var(INPUT)))
    return ast.Call(D8_INVERSE[view], (expr,))


def mapped_back(view: str, program: ast.Program) -> ast.Program | None:
    """The program on the original task equivalent to `program` on the view: a first
    statement computes the view of `I`, the program's statements follow (reading that instead
    of `I`, evaluated as before), a last one maps the result back; variables are renamed
    `x1, x2, ...` and the result `O`. None unless `program` is one definition of one
    parameter (or a lambda of it binds one of the new names)."""
    if len(program.definitions) != 1 or len(program.entry.params) != 1:
        return None
    definition = program.entry
    names = [f"x{i + 1}" for i in range(len(definition.body) + 1)]
    if any(lambda_params(st.expr) & {*names, INPUT} for st in definition.body):
        return None
    env: dict[str, ast.Expr] = {definition.params[0][0]: ast.Var(names[0])}
    statements = [ast.Assign(names[0], view_input(view))]
    for name, statement in zip(names[1:], definition.body):
        statements.append(ast.Assign(name, _substitute(statement.expr, env)))
        env[statement.target] = ast.Var(name)
    statements.append(ast.Assign("O", view_output(view, ast.Var(names[-1]))))
    return ast.Program((ast.Definition("solve", ((INPUT, GRID),), GRID, tuple(statements)),))
