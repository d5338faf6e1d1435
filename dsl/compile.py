"""Compiled plans: a type-checked program lowered to flat steps, run on all inputs at once.

`compile_program(program)` turns each definition into a `Block`: a frame of slots (parameters,
constants, function values, intermediate results) and a flat tuple of steps, each a closure
that reads its argument slots, calls a primitive (its fast path from `dsl.kernels` where one
exists, else the reference) and writes the result slot. A lambda becomes a nested block whose
closure captures the enclosing slots it reads. `Plan.run(grids)` runs the entry block step by
step over every input's frame; there is no AST walk per call.

Semantics are the reference interpreter's (`dsl.interp`): the same call order and call budget,
the same size checks on every result, and an `EvalError` on one input is that input's result.
A call of a lazy primitive (`dsl.registry.LAZY_PRIMITIVES`) is a special form: `branch(cond,
then, otherwise)` lowers each alternative to its own steps and one step (`_branch_step`) runs
only the steps of the alternative the condition selects, as `Interpreter.branch_form` does.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np

from dsl import ast
from dsl.errors import DSLTypeError, EvalError
from dsl.interp import Budget, check_result
from dsl.kernels import implementation
from dsl.registry import LAZY_PRIMITIVES, Param, Registry, default_registry
from dsl.typecheck import Callee, bind_arguments, check_program, definition_callee
from dsl.types import TCon, Type

Frame = list[Any]
Check = Callable[[Any, str], Any] | None


class Counter:
    """Calls made during one run of the entry definition on one input."""

    __slots__ = ("calls",)

    def __init__(self) -> None:
        self.calls = 0


Step = Callable[[Frame, Counter], None]
Factory = Callable[[Counter], Any]


@dataclass(frozen=True)
class Block:
    """A compiled definition or lambda body: frame layout, prologue and steps."""

    name: str
    init: tuple[Any, ...]                      # initial frame: constants, None elsewhere
    params: tuple[int, ...]                    # parameter slots
    prologue: tuple[tuple[int, Factory], ...]  # function values made per call (need a Counter)
    steps: tuple[Step, ...]
    result: int

    def frame(self, counter: Counter, args: Sequence[Any]) -> Frame:
        """A fresh frame with the parameters bound."""
        frame = list(self.init)
        for slot, make in self.prologue:
            frame[slot] = make(counter)
        for slot, value in zip(self.params, args):
            frame[slot] = value
        return frame

    def call(self, counter: Counter, args: Sequence[Any]) -> Any:
        """Run the block on arguments (one input's counter) and return its result."""
        frame = self.frame(counter, args)
        for step in self.steps:
            step(frame, counter)
        return frame[self.result]


# --- result checks -------------------------------------------------------------------------

def _checker(returns: Type, budget: Budget) -> Check:
    """The size check for results of a declared type (None when there is nothing to check)."""
    max_cells, max_items = budget.max_cells, budget.max_items
    name = returns.name if isinstance(returns, TCon) else ""

    def array(value: Any, prim: str) -> Any:
        if 0 in value.shape:
            raise EvalError(f"{prim} produced an empty grid")
        if value.size > max_cells:
            raise EvalError(f"{prim} produced {value.size} cells, over the budget of "
                            f"{max_cells}")
        if value.flags.writeable:
            value.setflags(write=False)
        return value

    def items(value: Any, prim: str) -> Any:
        if len(value) > max_items:
            raise EvalError(f"{prim} produced {len(value)} items, over the budget of "
                            f"{max_items}")
        return value

    def anything(value: Any, prim: str) -> Any:
        return check_result(value, prim, budget)

    if name in ("Grid", "Mask"):
        return array
    if name in ("List", "Pair", "Point"):
        return items
    if name in ("Int", "Color", "Bool", "Object", "Fn"):
        return None
    return anything


def _over_budget(limit: int, name: str) -> EvalError:
    return EvalError(f"call budget of {limit} exceeded (in {name})")


# --- steps -----------------------------------------------------------------------------------

def _call_step(fn: Callable[..., Any], slots: tuple[int, ...], out: int, name: str,
               check: Check, limit: int) -> Step:
    """A step calling `fn` on the argument slots, counting the call and checking the result."""
    if len(slots) == 1:
        (a,) = slots

        def step1(frame: Frame, counter: Counter) -> None:
            arg = frame[a]
            counter.calls += 1
            if counter.calls > limit:
                raise _over_budget(limit, name)
            value = fn(arg)
            frame[out] = value if check is None else check(value, name)
        return step1
    if len(slots) == 2:
        a, b = slots

        def step2(frame: Frame, counter: Counter) -> None:
            x, y = frame[a], frame[b]
            counter.calls += 1
            if counter.calls > limit:
                raise _over_budget(limit, name)
            value = fn(x, y)
            frame[out] = value if check is None else check(value, name)
        return step2
    get = itemgetter(*slots) if slots else (lambda frame: ())

    def step(frame: Frame, counter: Counter) -> None:
        args = get(frame)
        counter.calls += 1
        if counter.calls > limit:
            raise _over_budget(limit, name)
        value = fn(*args)
        frame[out] = value if check is None else check(value, name)
    return step


def _branch_step(cond: int, then: tuple[tuple[Step, ...], int],
                 otherwise: tuple[tuple[Step, ...], int], out: int, name: str, check: Check,
                 limit: int) -> Step:
    """The special form `branch`: run only the steps (and read only the slot) of the
    alternative `(steps, slot)` the condition selects, then count the call and check the
    result, in the interpreter's order."""
    then_steps, then_slot = then
    else_steps, else_slot = otherwise

    def step(frame: Frame, counter: Counter) -> None:
        steps, slot = (then_steps, then_slot) if frame[cond] else (else_steps, else_slot)
        for sub in steps:
            sub(frame, counter)
        counter.calls += 1
        if counter.calls > limit:
            raise _over_budget(limit, name)
        value = frame[slot]
        frame[out] = value if check is None else check(value, name)
    return step


def _definition_fn(block: Block) -> Callable[..., Any]:
    """A callable `(counter, *args)` running a compiled definition."""
    def run(counter: Counter, *args: Any) -> Any:
        return block.call(counter, args)
    return run


def _definition_step(block: Block, slots: tuple[int, ...], out: int, check: Check,
                     limit: int) -> Step:
    """A step calling a user definition (it shares the input's counter)."""
    def step(frame: Frame, counter: Counter) -> None:
        args = [frame[s] for s in slots]
        counter.calls += 1
        if counter.calls > limit:
            raise _over_budget(limit, block.name)
        value = block.call(counter, args)
        frame[out] = value if check is None else check(value, block.name)
    return step


def _closure(block: Block, template: Frame, counter: Counter) -> Callable[..., Any]:
    """A lambda value: runs the body block in a copy of the captured frame."""
    steps, result = block.steps, block.result
    if len(block.params) == 1:
        (p,) = block.params

        def call1(arg: Any) -> Any:
            frame = template.copy()
            frame[p] = arg
            for step in steps:
                step(frame, counter)
            return frame[result]
        return call1
    params = block.params

    def call(*args: Any) -> Any:
        frame = template.copy()
        for slot, value in zip(params, args):
            frame[slot] = value
        for step in steps:
            step(frame, counter)
        return frame[result]
    return call


def _lambda_step(block: Block, captures: tuple[tuple[int, int], ...], out: int) -> Step:
    """A step making a lambda value that captures slots of the current frame."""
    def step(frame: Frame, counter: Counter) -> None:
        template = list(block.init)
        for inner, outer in captures:
            template[inner] = frame[outer]
        frame[out] = _closure(block, template, counter)
    return step


def _list_step(slots: tuple[int, ...], out: int, check: Check) -> Step:
    """A step building a list literal's tuple (not a call: no tick)."""
    assert check is not None

    def step(frame: Frame, counter: Counter) -> None:
        frame[out] = check(tuple([frame[s] for s in slots]), "list")
    return step


def _raise_step(message: str) -> Step:
    """A step that fails (a missing argument the interpreter would report at run time)."""
    def step(frame: Frame, counter: Counter) -> None:
        raise EvalError(message)
    return step


def _function_value(fn: Callable[..., Any], params: tuple[Param, ...], name: str,
                    check: Check, limit: int, with_counter: bool) -> Factory:
    """A primitive or definition named as a value; missing trailing args take defaults."""
    tails: list[tuple[Any, ...] | str] = []
    for k in range(len(params) + 1):
        missing = [p.name for p in params[k:] if not p.has_default]
        tails.append(f"missing argument '{missing[0]}'" if missing
                     else tuple(p.default for p in params[k:]))

    def make(counter: Counter) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            rest = tails[len(args)] if len(args) < len(tails) else ()
            if isinstance(rest, str):
                raise EvalError(rest)
            counter.calls += 1
            if counter.calls > limit:
                raise _over_budget(limit, name)
            value = fn(counter, *args, *rest) if with_counter else fn(*args, *rest)
            return value if check is None else check(value, name)
        return call
    return make


# --- lowering --------------------------------------------------------------------------------

class _Scope:
    """Slots of one block; a lambda's scope captures names it reads from enclosing scopes."""

    def __init__(self, parent: _Scope | None = None) -> None:
        self.parent = parent
        self.names: dict[str, int] = {}
        self.init: list[Any] = []
        self.constants: dict[tuple[type, Any], int] = {}
        self.captures: list[tuple[int, int]] = []
        self.prologue: list[tuple[int, Factory]] = []

    @property
    def root(self) -> _Scope:
        return self if self.parent is None else self.parent.root

    def slot(self, value: Any = None) -> int:
        self.init.append(value)
        return len(self.init) - 1

    def constant(self, value: Any) -> int:
        key = (type(value), value)
        try:
            hash(key)
        except TypeError:
            return self.slot(value)
        if key not in self.constants:
            self.constants[key] = self.slot(value)
        return self.constants[key]

    def lookup(self, name: str) -> int | None:
        """The slot holding `name` here, capturing it from an enclosing scope if needed."""
        if name in self.names:
            return self.names[name]
        outer = self.parent.lookup(name) if self.parent is not None else None
        if outer is None:
            return None
        self.names[name] = self.slot()
        self.captures.append((self.names[name], outer))
        return self.names[name]


class _Lowering:
    """Lowers the definitions of one program to blocks, in order."""

    def __init__(self, program: ast.Program, registry: Registry, budget: Budget) -> None:
        self.registry = registry
        self.budget = budget
        self.user = {d.name: d for d in program.definitions}
        self.blocks: dict[str, Block] = {}
        for defn in program.definitions:
            self.blocks[defn.name] = self.definition(defn)

    def definition(self, defn: ast.Definition) -> Block:
        scope = _Scope()
        params = []
        for name, _ in defn.params:
            scope.names[name] = scope.slot()
            params.append(scope.names[name])
        steps: list[Step] = []
        for stmt in defn.body:
            scope.names[stmt.target] = self.expr(stmt.expr, scope, steps)
        return Block(defn.name, tuple(scope.init), tuple(params), tuple(scope.prologue),
                     tuple(steps), scope.names[defn.result])

    def callee(self, name: str) -> tuple[Callee, Block | None, Callable[..., Any] | None]:
        if name in self.user:
            if name not in self.blocks:
                raise DSLTypeError(f"'{name}' is used before its definition")
            return definition_callee(self.user[name]), self.blocks[name], None
        prim = self.registry[name]
        return Callee(prim.name, prim.params, prim.returns), None, implementation(prim)

    def expr(self, expr: ast.Expr, scope: _Scope, steps: list[Step]) -> int:
        """Emit the steps computing `expr`; return the slot that will hold its value."""
        if isinstance(expr, ast.Literal):
            return scope.constant(expr.value)
        if isinstance(expr, ast.Var):
            slot = scope.lookup(expr.name)
            return slot if slot is not None else self.function_value(expr.name, scope)
        if isinstance(expr, ast.Lambda):
            return self.lambda_(expr, scope, steps)
        if isinstance(expr, ast.Call):
            return self.call(expr, scope, steps)
        if isinstance(expr, ast.ListLit):
            slots = tuple(self.expr(item, scope, steps) for item in expr.items)
            out = scope.slot()
            steps.append(_list_step(slots, out, _checker(TCon("List"), self.budget)))
            return out
        raise DSLTypeError(f"cannot compile {expr!r}")

    def argument(self, callee: Callee, bound: dict[int, ast.Expr], index: int, scope: _Scope,
                 steps: list[Step]) -> int | None:
        """Emit the steps computing a call's argument `index` (else its default); None when it
        is missing (a step that raises is emitted instead)."""
        param = callee.params[index]
        if index in bound:
            return self.expr(bound[index], scope, steps)
        if param.has_default:
            return scope.constant(param.default)
        steps.append(_raise_step(f"missing argument '{param.name}'"))
        return None

    def call(self, call: ast.Call, scope: _Scope, steps: list[Step]) -> int:
        if call.func in LAZY_PRIMITIVES and call.func not in self.user:
            return self.branch_form(call, scope, steps)
        callee, block, fn = self.callee(call.func)
        bound = bind_arguments(callee, call)
        slots = []
        for i in range(len(callee.params)):
            slot = self.argument(callee, bound, i, scope, steps)
            if slot is None:
                return scope.slot()
            slots.append(slot)
        out = scope.slot()
        check = _checker(callee.returns, self.budget)
        if block is not None:
            steps.append(_definition_step(block, tuple(slots), out, check,
                                          self.budget.max_calls))
        else:
            steps.append(_call_step(fn, tuple(slots), out, call.func, check,
                                    self.budget.max_calls))
        return out

    def branch_form(self, call: ast.Call, scope: _Scope, steps: list[Step]) -> int:
        """The special form `branch(cond, then, otherwise)`: the condition's steps go in line,
        each alternative's into its own tuple, run by one `_branch_step` only when selected.
        (`branch` named as a value is the strict reference function.)"""
        callee, _, _ = self.callee(call.func)
        bound = bind_arguments(callee, call)
        cond = self.argument(callee, bound, 0, scope, steps)
        if cond is None:
            return scope.slot()
        alternatives = []
        for index in (1, 2):
            body: list[Step] = []
            slot = self.argument(callee, bound, index, scope, body)
            alternatives.append((tuple(body), scope.slot() if slot is None else slot))
        out = scope.slot()
        steps.append(_branch_step(cond, alternatives[0], alternatives[1], out, call.func,
                                  _checker(callee.returns, self.budget),
                                  self.budget.max_calls))
        return out

    def lambda_(self, lam: ast.Lambda, scope: _Scope, steps: list[Step]) -> int:
        inner = _Scope(scope)
        params = []
        for name in lam.params:
            inner.names[name] = inner.slot()
            params.append(inner.names[name])
        body: list[Step] = []
        result = self.expr(lam.body, inner, body)
        block = Block("lambda", tuple(inner.init), tuple(params), (), tuple(body), result)
        out = scope.slot()
        steps.append(_lambda_step(block, tuple(inner.captures), out))
        return out

    def function_value(self, name: str, scope: _Scope) -> int:
        """The slot of a primitive/definition named as a value (made once per frame)."""
        key = f"\0{name}"
        root = scope.root
        if key not in root.names:
            callee, block, fn = self.callee(name)
            check = _checker(callee.returns, self.budget)
            if block is not None:
                make = _function_value(_definition_fn(block), callee.params, name,
                                       _checker(TCon("?"), self.budget),
                                       self.budget.max_calls, True)
            else:
                make = _function_value(fn, callee.params, name, check, self.budget.max_calls,
                                       False)
            root.names[key] = root.slot()
            root.prologue.append((root.names[key], make))
        slot = scope.lookup(key)
        assert slot is not None
        return slot


# --- plans -----------------------------------------------------------------------------------

def _read_only(value: Any) -> Any:
    """A writable input array as a read-only view (kernels are compiled for read-only grids)."""
    if isinstance(value, np.ndarray) and value.flags.writeable:
        value = value.view()
        value.setflags(write=False)
    return value


@dataclass(frozen=True)
class Plan:
    """A compiled program: run its entry definition on many inputs at once."""

    program: ast.Program
    budget: Budget
    blocks: dict[str, Block]
    entry: Block

    @property
    def n_steps(self) -> int:
        """Top-level steps of the entry definition."""
        return len(self.entry.steps)

    def run(self, grids: Sequence[np.ndarray]) -> list[Any]:
        """The entry definition's value on each grid; an EvalError is that grid's result."""
        return self.run_args([(grid,) for grid in grids])

    def run_args(self, inputs: Sequence[Sequence[Any]]) -> list[Any]:
        """Like `run`, for entry definitions of any arity: one argument tuple per input."""
        entry = self.entry
        results: list[Any] = [None] * len(inputs)
        live = []
        for i, args in enumerate(inputs):
            counter = Counter()
            live.append((entry.frame(counter, [_read_only(a) for a in args]), counter, i))
        for step in entry.steps:
            failed = False
            for frame, counter, i in live:
                try:
                    step(frame, counter)
                except EvalError as err:
                    results[i] = err
                    failed = True
            if failed:
                live = [item for item in live if results[item[2]] is None]
        for frame, _, i in live:
            results[i] = frame[entry.result]
        return results


def compile_program(program: ast.Program, registry: Registry | None = None,
                    budget: Budget = Budget(), typecheck: bool = True) -> Plan:
    """Lower a program (type-checked here unless `typecheck=False`) to a plan."""
    registry = registry or default_registry()
    if typecheck:
        check_program(program, registry)
    lowering = _Lowering(program, registry, budget)
    return Plan(program, budget, lowering.blocks, lowering.blocks[program.entry.name])


def run_compiled(program: ast.Program, grids: Sequence[np.ndarray],
                 registry: Registry | None = None, budget: Budget = Budget(),
                 typecheck: bool = True) -> list[Any]:
    """`dsl.interp.run_program`, compiled: the entry definition's value on each grid."""
    return compile_program(program, registry, budget, typecheck).run(grids)
