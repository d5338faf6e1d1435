"""The type checker: infers and checks the type of every variable of a program.

Calls bind positional then keyword arguments to the callee's parameters (primitives from the
registry, or definitions of the same program); generic signatures are instantiated freshly per
call and unified. Integer literals 0..9 are accepted where a Color is expected, and literals
are checked against a parameter's finite domain. Color is a subtype of Int: where a value's type
does not unify with the expected one, it is retried with Color widened to Int in its covariant
positions (`_widen`), so `eq(3, c)` and `argmax(xs, obj_color)` check. Errors name the line, the
primitive, and the expected and found types.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from dsl import ast
from dsl.errors import DSLTypeError
from dsl.registry import Param, Registry, default_registry
from dsl.types import BOOL, COLOR, INT, TCon, Type, TVar, fn_type, rename_vars, resolve, unify


@dataclass(frozen=True)
class Callee:
    """What a call can target: a primitive or a user definition, seen as parameters + result."""

    name: str
    params: tuple[Param, ...]
    returns: Type


@dataclass(frozen=True)
class CheckedDefinition:
    """A definition with the inferred type of every variable (params and assignments)."""

    definition: ast.Definition
    types: Mapping[str, Type]


def definition_callee(defn: ast.Definition) -> Callee:
    """A user definition as a callee (no defaults, no domains)."""
    return Callee(defn.name, tuple(Param(n, t) for n, t in defn.params), defn.returns)


class _Checker:
    """Checks one definition; `fresh` numbers type-variable instances."""

    def __init__(self, registry: Registry, user: Mapping[str, Callee]) -> None:
        self.registry = registry
        self.user = user
        self.fresh: Iterator[int] = itertools.count()
        self.subst: dict[str, Type] = {}

    def callee(self, name: str, pos: ast.Pos) -> Callee:
        if name in self.user:
            return self.user[name]
        prim = self.registry.get(name)
        if prim is None:
            suggestion = self.registry.suggest(name)
            hint = f"did you mean {suggestion}?" if suggestion else "see `synth dsl list`"
            raise DSLTypeError(f"unknown primitive '{name}'", pos.line, pos.column, hint)
        return Callee(prim.name, prim.params, prim.returns)

    def instance(self, callee: Callee) -> tuple[list[Type], Type]:
        suffix = f"_{next(self.fresh)}"
        return ([rename_vars(p.type, suffix) for p in callee.params],
                rename_vars(callee.returns, suffix))

    def expect(self, found: Type, expected: Type, what: str, pos: ast.Pos) -> None:
        saved = dict(self.subst)
        if unify(found, expected, self.subst):
            return
        error = DSLTypeError(f"{what}: expected {display(resolve(expected, self.subst))}, "
                             f"found {display(resolve(found, self.subst))}", pos.line,
                             pos.column)
        self.subst.clear()  # undo the failed attempt's bindings, then retry Color as Int
        self.subst.update(saved)
        widened = _widen(resolve(found, self.subst))
        if widened == resolve(found, self.subst) or not unify(widened, expected, self.subst):
            raise error

    def check(self, expr: ast.Expr, expected: Type, env: Mapping[str, Type], what: str) -> None:
        """Check `expr` against `expected` (bidirectional for literals and lambdas)."""
        target = resolve(expected, self.subst)
        if isinstance(expr, ast.Literal) and expr.kind == "int" and target == COLOR:
            if not 0 <= int(expr.value) <= 9:
                raise DSLTypeError(f"{what}: colour {expr.value} is outside 0..9",
                                   expr.pos.line, expr.pos.column)
            return
        if isinstance(expr, ast.Lambda):
            self.check_lambda(expr, target, env, what)
            return
        if isinstance(expr, ast.ListLit):
            self.expect(self.infer_list(expr, env, what, target), expected, what, expr.pos)
            return
        if isinstance(expr, ast.Var) and expr.name not in env and isinstance(target, TCon) \
                and target.name == "Fn":
            self.expect(self.function_value(expr, len(target.args) - 1), target, what, expr.pos)
            return
        self.expect(self.infer(expr, env), expected, what, expr.pos)

    def check_lambda(self, lam: ast.Lambda, target: Type, env: Mapping[str, Type],
                     what: str) -> None:
        if isinstance(target, TVar):
            params = tuple(TVar(f"L{next(self.fresh)}") for _ in lam.params)
            ret: Type = TVar(f"L{next(self.fresh)}")
            self.expect(fn_type(params, ret), target, what, lam.pos)
            target = fn_type(params, ret)
        if not (isinstance(target, TCon) and target.name == "Fn"):
            raise DSLTypeError(f"{what}: expected {target}, found a lambda", lam.pos.line,
                               lam.pos.column)
        *param_types, ret = target.args
        if len(param_types) != len(lam.params):
            raise DSLTypeError(f"{what}: expected a function of {len(param_types)} argument(s), "
                               f"found a lambda of {len(lam.params)}", lam.pos.line,
                               lam.pos.column)
        inner = {**env, **dict(zip(lam.params, param_types))}
        self.check(lam.body, ret, inner, f"{what} (lambda body)")

    def infer_list(self, lst: ast.ListLit, env: Mapping[str, Type], what: str,
                   target: Type | None = None) -> Type:
        """`List[T]`, checking every item against one element type (from `target` if known)."""
        elem: Type = TVar(f"E{next(self.fresh)}")
        if isinstance(target, TCon) and target.name == "List":
            elem = target.args[0]
        for item in lst.items:
            self.check(item, elem, env, f"{what} (list item)")
        return TCon("List", (resolve(elem, self.subst),))

    def function_value(self, var: ast.Var, arity: int) -> Type:
        """The type of a primitive/definition named as a value, keeping `arity` parameters."""
        callee = self.callee(var.name, var.pos)
        params, ret = self.instance(callee)
        required = [p for p in callee.params if not p.has_default]
        keep = max(len(required), min(arity, len(params)))
        return fn_type(tuple(params[:keep]), ret)

    def infer(self, expr: ast.Expr, env: Mapping[str, Type]) -> Type:
        if isinstance(expr, ast.Literal):
            return {"int": INT, "color": COLOR, "bool": BOOL}[expr.kind]
        if isinstance(expr, ast.Var):
            if expr.name in env:
                return env[expr.name]
            if expr.name in self.user or expr.name in self.registry:
                return self.function_value(expr, len(self.callee(expr.name, expr.pos).params))
            raise DSLTypeError(f"unknown variable '{expr.name}'", expr.pos.line,
                               expr.pos.column, _var_hint(expr.name, env))
        if isinstance(expr, ast.Call):
            return self.infer_call(expr, env)
        if isinstance(expr, ast.ListLit):
            return self.infer_list(expr, env, "list")
        if isinstance(expr, ast.Lambda):
            params = tuple(TVar(f"L{next(self.fresh)}") for _ in expr.params)
            inner = {**env, **dict(zip(expr.params, params))}
            return fn_type(params, self.infer(expr.body, inner))
        raise DSLTypeError(f"not an expression: {expr!r}")

    def infer_call(self, call: ast.Call, env: Mapping[str, Type]) -> Type:
        callee = self.callee(call.func, call.pos)
        param_types, ret = self.instance(callee)
        bound = bind_arguments(callee, call)
        for index, arg in bound.items():
            param = callee.params[index]
            what = f"{call.func}() argument '{param.name}'"
            self.check(arg, param_types[index], env, what)
            if param.domain is not None and isinstance(arg, ast.Literal) \
                    and arg.value not in param.domain:
                raise DSLTypeError(f"{what}: {arg.value} is not one of "
                                   f"{', '.join(map(str, param.domain))}", arg.pos.line,
                                   arg.pos.column)
        return resolve(ret, self.subst)


def display(t: Type) -> str:
    """A type as users wrote it: instance suffixes of type variables removed (`T_3` -> `T`)."""
    return re.sub(r"\b([A-Z])(?:_\d+|L\d+)\b", r"\1", str(t))


def _widen(t: Type) -> Type:
    """`t` with Color replaced by Int in covariant positions: everywhere in a value type
    (lists and pairs are immutable) and in the result, never the parameters, of a function."""
    if t == COLOR:
        return INT
    if not isinstance(t, TCon) or not t.args:
        return t
    if t.name == "Fn":
        return TCon("Fn", (*t.args[:-1], _widen(t.args[-1])))
    return TCon(t.name, tuple(_widen(a) for a in t.args))


def _var_hint(name: str, env: Mapping[str, Type]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(env), n=1)
    return f"did you mean {close[0]}?" if close else "assign it before use"


def bind_arguments(callee: Callee, call: ast.Call) -> dict[int, ast.Expr]:
    """Map parameter index -> argument expression; raises DSLTypeError on a bad binding."""
    pos = call.pos
    if len(call.args) > len(callee.params):
        raise DSLTypeError(f"{call.func}() takes {len(callee.params)} argument(s), got "
                           f"{len(call.args)}", pos.line, pos.column)
    bound: dict[int, ast.Expr] = dict(enumerate(call.args))
    names = [p.name for p in callee.params]
    for name, value in call.kwargs:
        if name not in names:
            raise DSLTypeError(f"{call.func}() has no parameter '{name}'", pos.line, pos.column,
                               f"parameters: {', '.join(names)}")
        index = names.index(name)
        if index in bound:
            raise DSLTypeError(f"{call.func}() got parameter '{name}' twice", pos.line,
                               pos.column)
        bound[index] = value
    missing = [p.name for i, p in enumerate(callee.params) if i not in bound and not p.has_default]
    if missing:
        raise DSLTypeError(f"{call.func}() missing argument(s): {', '.join(missing)}", pos.line,
                           pos.column, f"signature: {_signature(callee)}")
    return bound


def _signature(callee: Callee) -> str:
    return f"{callee.name}({', '.join(f'{p.name}: {p.type}' for p in callee.params)}) -> " \
           f"{callee.returns}"


def _rigid(t: Type) -> Type:
    """A definition's own type variables are rigid inside its body: `T` becomes the opaque
    constant `T` (no base type has a one-letter name), equal only to itself."""
    if isinstance(t, TVar):
        return TCon(t.name)
    return TCon(t.name, tuple(_rigid(a) for a in t.args)) if t.args else t


def _flexible(t: Type) -> Type:
    """Undo `_rigid` in reported types (free type variables stay as they are)."""
    if isinstance(t, TVar):
        return t
    if not t.args and len(t.name) == 1 and t.name.isupper():
        return TVar(t.name)
    return TCon(t.name, tuple(_flexible(a) for a in t.args)) if t.args else t


def check_definition(defn: ast.Definition, registry: Registry,
                     user: Mapping[str, Callee]) -> CheckedDefinition:
    """Type-check one definition; returns the inferred type of each variable."""
    checker = _Checker(registry, user)
    env: dict[str, Type] = {}
    for name, typ in defn.params:
        if name in env:
            raise DSLTypeError(f"parameter '{name}' declared twice", defn.pos.line, defn.pos.column)
        env[name] = _rigid(typ)
    for stmt in defn.body:
        if stmt.target in env:
            raise DSLTypeError(f"'{stmt.target}' is assigned twice (programs are single "
                               f"assignment)", stmt.pos.line, stmt.pos.column)
        if stmt.target in registry:
            raise DSLTypeError(f"'{stmt.target}' is a primitive name and cannot be assigned",
                               stmt.pos.line, stmt.pos.column)
        env[stmt.target] = resolve(checker.infer(stmt.expr, env), checker.subst)
    last = defn.body[-1]
    checker.expect(env[last.target], _rigid(defn.returns), f"result of {defn.name}()",
                   last.pos)
    return CheckedDefinition(defn, {k: _flexible(resolve(v, checker.subst))
                                    for k, v in env.items()})


def check_program(program: ast.Program, registry: Registry | None = None
                  ) -> dict[str, CheckedDefinition]:
    """Type-check every definition in order (each may call those before it)."""
    registry = registry or default_registry()
    user: dict[str, Callee] = {}
    checked: dict[str, CheckedDefinition] = {}
    for defn in program.definitions:
        if defn.name in user or defn.name in registry:
            raise DSLTypeError(f"'{defn.name}' is already defined", defn.pos.line,
                               defn.pos.column)
        checked[defn.name] = check_definition(defn, registry, user)
        user[defn.name] = definition_callee(defn)
    return checked


def infer_expr(expr: ast.Expr, env: Mapping[str, Type], registry: Registry | None = None
               ) -> Type:
    """The type of one expression given the types of the variables in scope (REPL `:type`)."""
    checker = _Checker(registry or default_registry(), {})
    return resolve(checker.infer(expr, env), checker.subst)
