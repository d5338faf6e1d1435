"""Logic: booleans, comparisons, a conditional, and combinators over function values.

Function arguments are Python callables (primitives or lambdas passed by the interpreter);
an `EvalError` they raise propagates. `branch` is lazy in a call: both evaluators run a call
`branch(cond, then, otherwise)` as a special form (`dsl.registry.LAZY_PRIMITIVES`) that
evaluates only the chosen alternative, so e.g. `branch(is_tall, vsplit(I, 2), hsplit(I, 2))`
does not fail on the split it does not take. The function below is the reference for `branch`
named as a value (e.g. passed to a definition): its arguments are already values, so that use
is necessarily strict.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dsl.errors import EvalError
from dsl.registry import primitive
from dsl.values import value_key

MAX_ITERATE = 30

Fn = Callable[..., Any]


# --- booleans and conditionals -------------------------------------------------------------


@primitive("(Bool, T, T) -> T", example="branch(true, I, rot90(I)) == I")
def branch(cond: bool, then: Any, otherwise: Any) -> Any:
    """`then` when the condition holds, else `otherwise`; a call evaluates only the chosen one.

    Called by name, `branch` is a special form of the evaluators (`Interpreter.branch_form`,
    `dsl.compile._branch_step`): the alternative not chosen is never evaluated. This function
    is what `branch` named as a value calls; its arguments are values, so it cannot be lazy.
    """
    return then if cond else otherwise


@primitive("(Bool) -> Bool", example="not(true) == false")
def not_(b: bool) -> bool:
    """Boolean negation."""
    return not b


@primitive("(Bool, Bool) -> Bool", example="and(true, false) == false")
def and_(a: bool, b: bool) -> bool:
    """Boolean conjunction."""
    return bool(a) and bool(b)


@primitive("(Bool, Bool) -> Bool", example="or(true, false) == true")
def or_(a: bool, b: bool) -> bool:
    """Boolean disjunction."""
    return bool(a) or bool(b)


# --- comparisons ---------------------------------------------------------------------------


@primitive("(T, T) -> Bool", kernel="eq", example="eq(rot180(rot180(I)), I) == true")
def eq(a: Any, b: Any) -> bool:
    """Content equality of two values of the same type (grids, objects, lists, ...)."""
    return bool(value_key(a) == value_key(b))


@primitive("(T, T) -> Bool", kernel="neq", example="neq(1, 2) == true")
def neq(a: Any, b: Any) -> bool:
    """Content inequality of two values of the same type."""
    return bool(value_key(a) != value_key(b))


@primitive("(Int, Int) -> Bool", example="gt(3, 2) == true")
def gt(a: int, b: int) -> bool:
    """`a > b`."""
    return bool(a > b)


@primitive("(Int, Int) -> Bool", example="lt(3, 2) == false")
def lt(a: int, b: int) -> bool:
    """`a < b`."""
    return bool(a < b)


@primitive("(Int, Int) -> Bool", example="ge(2, 2) == true")
def ge(a: int, b: int) -> bool:
    """`a >= b`."""
    return bool(a >= b)


@primitive("(Int, Int) -> Bool", example="le(3, 2) == false")
def le(a: int, b: int) -> bool:
    """`a <= b`."""
    return bool(a <= b)


@primitive("(Int) -> Bool", example="is_even(4) == true")
def is_even(a: int) -> bool:
    """True when an integer is even."""
    return int(a) % 2 == 0


# --- combinators ---------------------------------------------------------------------------


@primitive("((T) -> U, (U) -> V) -> (T) -> V", example="apply(compose(rot90, flip_h), I)")
def compose(f: Fn, g: Fn) -> Fn:
    """The function applying `f` then `g`."""
    def composed(x: Any) -> Any:
        return g(f(x))

    return composed


@primitive("((T) -> U, T) -> U", example="apply(rot90, I) == rot90(I)")
def apply(f: Fn, x: Any) -> Any:
    """Apply a function to a value."""
    return f(x)


@primitive("((T) -> T, T, Int) -> T", example="iterate(rot90, I, 2) == rot180(I)",
           domains={"n": (1, 2, 3, 4)})
def iterate(f: Fn, x: Any, n: int) -> Any:
    """Apply a function `n` times (0 <= n <= 30)."""
    if not 0 <= n <= MAX_ITERATE:
        raise EvalError(f"iterate: {n} is outside 0..{MAX_ITERATE}")
    for _ in range(n):
        x = f(x)
    return x


@primitive("(List[T], U, (U, T) -> U) -> U", example="fold([1, 2, 3], 0, add) == 6")
def fold(items: tuple, init: Any, f: Fn) -> Any:
    """Combine the items left to right: f(...f(f(init, x0), x1)..., xn)."""
    acc = init
    for item in items:
        acc = f(acc, item)
    return acc


@primitive("(T) -> T", example="identity(I) == I")
def identity(x: Any) -> Any:
    """The value itself."""
    return x


@primitive("(List[T], (T) -> Bool) -> Bool", example="any([1, 2], is_even) == true")
def any_(items: tuple, pred: Fn) -> bool:
    """True when some item satisfies the predicate (false for an empty list)."""
    return any(bool(pred(item)) for item in items)


@primitive("(List[T], (T) -> Bool) -> Bool", example="all([1, 2], is_even) == false")
def all_(items: tuple, pred: Fn) -> bool:
    """True when every item satisfies the predicate (true for an empty list)."""
    return all(bool(pred(item)) for item in items)
