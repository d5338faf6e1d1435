"""Colour-role variants of a verified program: the same program with a literal colour read from
the input instead.

A program verified on the train pairs may name a colour by a literal where the task means a
role of the input (its most common non-background colour, its least common colour, ...): the
two agree on every train pair and differ on a test input. Two rewrites of the entry
definition give the role reading as a program of its own, for the ranking to weigh:

- `literal_variants`: each colour literal `c` (an argument or a list item) whose role value
  (`role_calls`, evaluated on each train input) equals `c` on every train pair is replaced by that
  role, read from `I` in a statement of its own. The variant gives the same train outputs by
  construction, so it verifies whenever the original does.
- `recolor_variants`: where the last statement recolours a grid by literals (`map_colors`,
  `replace`, `recolor_all`), it is replaced by `recolor_all(x, role, bg)` of each role
  (background: the task's), kept only when that variant reproduces every train output.

Both return program ASTs; `role_programs` prints them (deduplicated, the original excluded)
and `verified_variants` runs them with the reference interpreter and keeps those that
reproduce every train output, give valid test outputs, and answer the tests differently from
every program already verified (a variant never adds support to an existing answer: it only
offers a new one).
"""
from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np

from dsl import ast
from dsl.errors import DSLError, EvalError
from dsl.interp import eval_expr, run_program
from dsl.parser import parse_program
from dsl.printer import format_program
from dsl.values import value_key
from synth.data.task import Challenge, Grid, valid_grid

INPUT = "I"
ROLE_VAR = "r"
RECOLORS: frozenset[str] = frozenset({"map_colors", "replace", "recolor_all"})
MAX_VARIANTS = 64  # variants run per task, at most


def role_calls(background: int) -> Mapping[str, ast.Call]:
    """Role name -> the DSL call reading that colour from `I` (`background`: the task's)."""
    grid = ast.Var(INPUT)
    bg = ast.Literal(background, "color")
    return MappingProxyType({
        "most_common_color": ast.Call("most_common_color", (grid,)),
        "least_common_color": ast.Call("least_common_color", (grid,)),
        "bg_color": ast.Call("bg_color", (grid,)),
        "most_common_fg": ast.Call("most_common_fg", (grid, bg)),
    })


def _role_value(call: ast.Call, grid: Grid) -> int | None:
    """The role's colour on one grid (None where it is undefined)."""
    try:
        return int(eval_expr(call, {INPUT: grid}))
    except EvalError:
        return None


def role_values(task: Challenge, background: int) -> dict[str, tuple[ast.Call, tuple]]:
    """Each role that the DSL can name, with its value on every train input."""
    return {name: (call, tuple(_role_value(call, ex.input) for ex in task.train))
            for name, call in role_calls(background).items()}


def _color_literals(expr: ast.Expr, path: tuple = ()) -> Iterator[tuple[tuple, int]]:
    """(path, value) of every colour literal under `expr` outside lambdas."""
    if isinstance(expr, ast.Literal) and expr.kind == "color":
        yield path, int(expr.value)
    elif isinstance(expr, ast.Call):
        for i, arg in enumerate(expr.args):
            yield from _color_literals(arg, (*path, ("arg", i)))
        for i, (_, value) in enumerate(expr.kwargs):
            yield from _color_literals(value, (*path, ("kw", i)))
    elif isinstance(expr, ast.ListLit):
        for i, item in enumerate(expr.items):
            yield from _color_literals(item, (*path, ("item", i)))


def _substitute(expr: ast.Expr, path: tuple, new: ast.Expr) -> ast.Expr:
    """`expr` with the node at `path` replaced by `new`."""
    if not path:
        return new
    (kind, i), rest = path[0], path[1:]
    if kind == "arg":
        args = list(expr.args)  # type: ignore[union-attr]
        args[i] = _substitute(args[i], rest, new)
        return replace(expr, args=tuple(args))  # type: ignore[type-var]
    if kind == "kw":
        kwargs = list(expr.kwargs)  # type: ignore[union-attr]
        kwargs[i] = (kwargs[i][0], _substitute(kwargs[i][1], rest, new))
        return replace(expr, kwargs=tuple(kwargs))  # type: ignore[type-var]
    items = list(expr.items)  # type: ignore[union-attr]
    items[i] = _substitute(items[i], rest, new)
    return replace(expr, items=tuple(items))  # type: ignore[type-var]


def _with_body(program: ast.Program, body: Sequence[ast.Assign]) -> ast.Program:
    entry = program.entry
    new_entry = replace(entry, body=tuple(body))
    return ast.Program(tuple(new_entry if d is entry else d for d in program.definitions))


def _fresh(program: ast.Program) -> str:
    taken = {s.target for d in program.definitions for s in d.body}
    return next(f"{ROLE_VAR}{i}" for i in range(1, 100) if f"{ROLE_VAR}{i}" not in taken)


def literal_variants(program: ast.Program, task: Challenge, background: int
                     ) -> list[ast.Program]:
    """The program with one colour literal replaced by a role equal to it on every train
    input (one variant per literal and role)."""
    roles = role_values(task, background)
    body = program.entry.body
    name = _fresh(program)
    variants = []
    for index, stmt in enumerate(body):
        for path, value in _color_literals(stmt.expr):
            for call, values in roles.values():
                if any(v != value for v in values):
                    continue
                new_stmt = replace(stmt, expr=_substitute(stmt.expr, path, ast.Var(name)))
                new_body = (ast.Assign(name, call), *body[:index], new_stmt, *body[index + 1:])
                variants.append(_with_body(program, new_body))
    return variants


def recolor_variants(program: ast.Program, background: int) -> list[ast.Program]:
    """The program with its last statement, a recolouring by literals, replaced by
    `recolor_all(x, role, bg)` of each role (to be verified by the caller)."""
    body = program.entry.body
    last = body[-1].expr
    if not (isinstance(last, ast.Call) and last.func in RECOLORS and last.args
            and isinstance(last.args[0], ast.Var)):
        return []
    name = _fresh(program)
    bg = ast.Literal(background, "color")
    variants = []
    for call in role_calls(background).values():
        recolor = ast.Call("recolor_all", (last.args[0], ast.Var(name), bg))
        new_body = (ast.Assign(name, call), *body[:-1], replace(body[-1], expr=recolor))
        variants.append(_with_body(program, new_body))
    return variants


def role_programs(program: ast.Program, task: Challenge, background: int) -> list[str]:
    """Both kinds of variant as program texts, deduplicated, the original excluded."""
    original = format_program(program)
    texts = dict.fromkeys(format_program(p) for p in (
        *literal_variants(program, task, background), *recolor_variants(program, background)))
    texts.pop(original, None)
    return list(texts)


@dataclass(frozen=True)
class RoleVariant:
    """A verified variant: its text, its outputs, and which of the given programs it varies."""

    program: str
    source: int
    train_outputs: tuple[Grid, ...]
    test_outputs: tuple[Grid, ...]


def _run(text: str, task: Challenge) -> list[Grid] | None:
    """The variant's grid on every input, or None when it fails on any."""
    try:
        results = run_program(parse_program(text), list(task.inputs))
    except DSLError:
        return None
    if not all(isinstance(r, np.ndarray) and r.ndim == 2 for r in results):
        return None
    return results


def verified_variants(task: Challenge, programs: Sequence[str], background: int,
                      known: Collection[object] = (), limit: int = MAX_VARIANTS
                      ) -> list[RoleVariant]:
    """The role variants of `programs` (running at most `limit`) that reproduce every train
    output and give valid test outputs whose `value_key` is not in `known` nor another
    variant's."""
    seen = set(known)
    found: list[RoleVariant] = []
    n = len(task.train)
    tried = 0
    for source, text in enumerate(programs):
        try:
            variants = role_programs(parse_program(text), task, background)
        except DSLError:
            continue
        for variant in variants:
            if tried >= limit:
                return found
            tried += 1
            results = _run(variant, task)
            if results is None or not all(np.array_equal(r, ex.output)
                                          for r, ex in zip(results[:n], task.train)):
                continue
            tests = tuple(results[n:])
            key = value_key(tests)
            if key in seen or not all(valid_grid(g) for g in tests):
                continue
            seen.add(key)
            found.append(RoleVariant(variant, source, tuple(results[:n]), tests))
    return found
