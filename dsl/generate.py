"""Random well-typed programs drawn from the registry (for tests, fuzzing and data).

`random_program(rng, registry, length)` builds a straight-line `solve(I: Grid) -> Grid`
program by picking primitives whose parameters can be filled from variables in scope (by
unification), literals (colours, domain integers, booleans) or primitive names (function
parameters). The result always type-checks.
"""
from __future__ import annotations

import random
from collections.abc import Sequence

from dsl import ast
from dsl.registry import Param, Primitive, Registry
from dsl.types import BOOL, COLOR, GRID, INT, TCon, Type, rename_vars, resolve, unify


def _literal(param_type: Type, param: Param, rng: random.Random) -> ast.Literal | None:
    if param.domain:
        value = rng.choice(param.domain)
        kind = "bool" if isinstance(value, bool) else ("color" if param_type == COLOR else "int")
        return ast.Literal(value, kind)
    if param_type == COLOR:
        return ast.Literal(rng.randrange(10), rng.choice(["color", "int"]))
    if param_type == INT:
        return ast.Literal(rng.randint(-2, 4), "int")
    if param_type == BOOL:
        return ast.Literal(rng.random() < 0.5, "bool")
    return None


def _function_arg(target: Type, registry: Registry, subst: dict[str, Type],
                  rng: random.Random) -> ast.Var | None:
    assert isinstance(target, TCon)
    arity = len(target.args) - 1
    options = []
    for prim in registry:
        required = [p for p in prim.params if not p.has_default]
        if len(required) != arity or len(prim.params) < arity:
            continue
        params = [rename_vars(p.type, "_f") for p in prim.params[:arity]]
        trial = dict(subst)
        candidate = TCon("Fn", (*params, rename_vars(prim.returns, "_f")))
        if unify(candidate, target, trial):
            options.append((prim.name, trial))
    if not options:
        return None
    name, trial = rng.choice(options)
    subst.update(trial)
    return ast.Var(name)


def _fill_call(prim: Primitive, env: dict[str, Type], registry: Registry, rng: random.Random,
               suffix: str) -> tuple[ast.Call, Type] | None:
    subst: dict[str, Type] = {}
    args: list[ast.Expr] = []
    kwargs: list[tuple[str, ast.Expr]] = []
    skipped = False
    for param in prim.params:
        ptype = resolve(rename_vars(param.type, suffix), subst)
        arg = None
        if not (param.has_default and rng.random() < 0.6):
            arg = _pick_arg(ptype, param, env, registry, subst, rng)
        if arg is None:
            if not param.has_default:
                return None
            skipped = True
        elif skipped or kwargs or (param.has_default and rng.random() < 0.7):
            kwargs.append((param.name, arg))
        else:
            args.append(arg)
    ret = resolve(rename_vars(prim.returns, suffix), subst)
    return ast.Call(prim.name, tuple(args), tuple(kwargs)), ret


def _pick_arg(ptype: Type, param: Param, env: dict[str, Type], registry: Registry,
              subst: dict[str, Type], rng: random.Random) -> ast.Expr | None:
    if isinstance(ptype, TCon) and ptype.name == "Fn":
        return _function_arg(ptype, registry, subst, rng)
    names = list(env)
    rng.shuffle(names)
    for name in names:
        trial = dict(subst)
        if unify(env[name], ptype, trial):
            if param.type in (COLOR, INT, BOOL) and rng.random() < 0.5:
                break
            subst.update(trial)
            return ast.Var(name)
    return _literal(resolve(ptype, subst), param, rng)


def random_program(rng: random.Random, registry: Registry, length: int = 4,
                   tries: int = 200,
                   weights: Sequence[float] | None = None) -> ast.Program:
    """A random well-typed `solve(I: Grid) -> Grid` program of up to `length` statements.

    `weights` (one per primitive, in registry order) biases the primitive choice; without it
    every primitive is equally likely."""
    env: dict[str, Type] = {"I": GRID}
    body: list[ast.Assign] = []
    prims: Sequence[Primitive] = list(registry)
    for attempt in range(tries):
        if len(body) >= length:
            break
        prim = rng.choice(prims) if weights is None else rng.choices(prims, weights)[0]
        filled = _fill_call(prim, env, registry, rng, f"_{attempt}")
        if filled is None or any(isinstance(t, TCon) and t.name == "Fn" for t in [filled[1]]):
            continue
        target = f"x{len(body) + 1}"
        body.append(ast.Assign(target, filled[0]))
        env[target] = filled[1]
    grid_vars = [name for name, typ in env.items() if typ == GRID]
    body.append(ast.Assign("O", ast.Call("identity", (ast.Var(grid_vars[-1]),)))
                if "identity" in registry else ast.Assign("O", ast.Var(grid_vars[-1])))
    return ast.Program((ast.Definition("solve", (("I", GRID),), GRID, tuple(body)),))
