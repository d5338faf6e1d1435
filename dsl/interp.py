"""The reference interpreter: the semantics oracle for every other evaluator.

`run_program(program, grids)` evaluates a (type-checked) program's entry definition on each
input grid. Budgets bound the work: calls per run, cells per intermediate grid, items per
container. A primitive's precondition failure or an exceeded budget raises `EvalError`.

Arguments are evaluated in parameter order before the call is counted, except in a call of a
lazy primitive (`dsl.registry.LAZY_PRIMITIVES`): `branch(cond, then, otherwise)` is a special
form (`Interpreter.branch_form`) that evaluates `cond`, then only the alternative it selects,
so an alternative that would raise `EvalError` (or spend the budget) does so only when chosen.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dsl import ast
from dsl.errors import EvalError
from dsl.registry import LAZY_PRIMITIVES, Param, Primitive, Registry, default_registry
from dsl.typecheck import Callee, bind_arguments, check_program, definition_callee


@dataclass(frozen=True)
class Budget:
    """Evaluation limits: calls per run, cells per grid/mask, items per container."""

    max_calls: int = 20_000
    max_cells: int = 64 * 64 * 4
    max_items: int = 1_000


class _Counter:
    """Counts calls during one run against the budget."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.calls = 0

    def tick(self, name: str) -> None:
        self.calls += 1
        if self.calls > self.budget.max_calls:
            raise EvalError(f"call budget of {self.budget.max_calls} exceeded (in {name})")


def check_result(value: Any, name: str, budget: Budget) -> Any:
    """Enforce size budgets and the no-empty-grid rule on a primitive's result."""
    if isinstance(value, np.ndarray):
        if value.ndim == 2 and 0 in value.shape:
            raise EvalError(f"{name} produced an empty grid")
        if value.size > budget.max_cells:
            raise EvalError(f"{name} produced {value.size} cells, over the budget of "
                            f"{budget.max_cells}")
        if value.flags.writeable:
            value.setflags(write=False)
    elif isinstance(value, tuple) and len(value) > budget.max_items:
        raise EvalError(f"{name} produced {len(value)} items, over the budget of "
                        f"{budget.max_items}")
    return value


class Interpreter:
    """Evaluates definitions of one program against a registry under a budget."""

    def __init__(self, program: ast.Program, registry: Registry | None = None,
                 budget: Budget = Budget()) -> None:
        self.registry = registry or default_registry()
        self.program = program
        self.budget = budget
        self.user: dict[str, ast.Definition] = {d.name: d for d in program.definitions}

    def run(self, args: Sequence[Any], entry: str | None = None) -> Any:
        """Evaluate the entry definition (default `solve`) on positional arguments."""
        defn = self.user[entry] if entry else self.program.entry
        return self.call_definition(defn, args, _Counter(self.budget))

    def call_definition(self, defn: ast.Definition, args: Sequence[Any], counter: _Counter) -> Any:
        env: dict[str, Any] = {name: value for (name, _), value in zip(defn.params, args)}
        for stmt in defn.body:
            env[stmt.target] = self.eval(stmt.expr, env, counter)
        return env[defn.result]

    def callee(self, name: str) -> tuple[Callee, Callable[..., Any]]:
        if name in self.user:
            defn = self.user[name]
            return definition_callee(defn), lambda counter, *a: self.call_definition(defn, a,
                                                                                     counter)
        prim = self.registry[name]
        return Callee(prim.name, prim.params, prim.returns), lambda counter, *a: prim.fn(*a)

    def eval(self, expr: ast.Expr, env: Mapping[str, Any], counter: _Counter) -> Any:
        if isinstance(expr, ast.Literal):
            return expr.value
        if isinstance(expr, ast.Var):
            if expr.name in env:
                return env[expr.name]
            return self.function_value(expr.name, counter)
        if isinstance(expr, ast.Call):
            if expr.func in LAZY_PRIMITIVES and expr.func not in self.user:
                return self.branch_form(expr, env, counter)
            callee, impl = self.callee(expr.func)
            bound = bind_arguments(callee, expr)
            args = [self.argument(callee, bound, i, env, counter)
                    for i in range(len(callee.params))]
            counter.tick(expr.func)
            return check_result(impl(counter, *args), expr.func, self.budget)
        if isinstance(expr, ast.Lambda):
            return self.closure(expr, env, counter)
        if isinstance(expr, ast.ListLit):
            return check_result(tuple(self.eval(item, env, counter) for item in expr.items),
                                "list", self.budget)
        raise EvalError(f"cannot evaluate {expr!r}")

    def argument(self, callee: Callee, bound: Mapping[int, ast.Expr], index: int,
                 env: Mapping[str, Any], counter: _Counter) -> Any:
        """The value of a call's argument `index`: its expression's, else the default."""
        if index in bound:
            return self.eval(bound[index], env, counter)
        return _default(callee.params[index])

    def branch_form(self, call: ast.Call, env: Mapping[str, Any], counter: _Counter) -> Any:
        """The special form `branch(cond, then, otherwise)`: evaluate `cond`, then only the
        alternative it selects; the call is counted and its result checked after that, as
        for any call. (`branch` named as a value is the strict reference function.)"""
        callee, _ = self.callee(call.func)
        bound = bind_arguments(callee, call)
        cond = self.argument(callee, bound, 0, env, counter)
        value = self.argument(callee, bound, 1 if cond else 2, env, counter)
        counter.tick(call.func)
        return check_result(value, call.func, self.budget)

    def function_value(self, name: str, counter: _Counter) -> Callable[..., Any]:
        """A primitive or definition named as a value; missing trailing args take defaults.
        A lazy primitive's value is its strict reference function (its arguments are values)."""
        callee, impl = self.callee(name)

        def call(*args: Any) -> Any:
            rest = [_default(p) for p in callee.params[len(args):]]
            counter.tick(name)
            return check_result(impl(counter, *args, *rest), name, self.budget)

        return call

    def closure(self, lam: ast.Lambda, env: Mapping[str, Any], counter: _Counter
                ) -> Callable[..., Any]:
        """A lambda closed over the current environment."""
        def call(*args: Any) -> Any:
            return self.eval(lam.body, {**env, **dict(zip(lam.params, args))}, counter)

        return call


def _default(param: Param) -> Any:
    if not param.has_default:
        raise EvalError(f"missing argument '{param.name}'")
    return param.default


def run_program(program: ast.Program, grids: Sequence[np.ndarray],
                registry: Registry | None = None, budget: Budget = Budget(),
                typecheck: bool = True) -> list[Any]:
    """Run the entry definition on each grid; an EvalError becomes that grid's result."""
    registry = registry or default_registry()
    if typecheck:
        check_program(program, registry)
    interp = Interpreter(program, registry, budget)
    results: list[Any] = []
    for grid in grids:
        try:
            results.append(interp.run([grid]))
        except EvalError as err:
            results.append(err)
    return results


def eval_expr(expr: ast.Expr, env: Mapping[str, Any], registry: Registry | None = None,
              budget: Budget = Budget()) -> Any:
    """Evaluate one (type-checked) expression in an environment of values (REPL)."""
    interp = Interpreter(ast.Program(()), registry or default_registry(), budget)
    return interp.eval(expr, env, _Counter(budget))


def definitions_as_primitives(program: ast.Program, registry: Registry,
                              budget: Budget = Budget()) -> list[Primitive]:
    """Turn type-checked user definitions into registry primitives (family `user`)."""
    interp = Interpreter(program, registry, budget)
    prims = []
    for defn in program.definitions:
        def run(*args: Any, _name: str = defn.name) -> Any:
            return interp.run(list(args), entry=_name)
        params = tuple(Param(name, typ) for name, typ in defn.params)
        prims.append(Primitive(defn.name, "user", params, defn.returns, run,
                               cost=len(defn.body), doc=f"user definition ({len(defn.body)} "
                               f"statements)", example=""))
    return prims
