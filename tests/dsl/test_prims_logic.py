"""Property tests for the logic family: booleans, comparisons, `branch` and the combinators;
plus higher-order and generic programs through parser, type checker and interpreter."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.errors import DSLTypeError, EvalError
from dsl.interp import Interpreter, run_program
from dsl.parser import parse_program
from dsl.primitives import logic as L
from dsl.primitives.counting import add, double, mul, range_
from dsl.primitives.geometry import flip_h, rot90, rot180
from dsl.typecheck import check_program
from dsl.typeof import value_has_type
from dsl.types import BOOL, GRID, INT, TVar
from dsl.values import value_key
from tests.strategies import covers, grids, objects_

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

bools = st.booleans() | st.builds(np.bool_, st.booleans())
ints = st.integers(-50, 50)
small_grids = grids(max_side=6)
values = st.one_of(ints, small_grids, objects_(), st.lists(ints, max_size=4).map(tuple),
                   st.tuples(ints, small_grids))


def failing(*args: Any) -> Any:
    raise EvalError("boom")


def _same(a: Any, b: Any) -> bool:
    return value_key(a) == value_key(b)


# --- booleans ------------------------------------------------------------------------------


@covers("not", "and", "or")
@FAST
@given(bools, bools)
def test_boolean_laws(a: bool, b: bool) -> None:
    assert L.not_(L.not_(a)) == bool(a)
    assert L.and_(a, b) == (bool(a) and bool(b)) == L.and_(b, a)
    assert L.or_(a, b) == (bool(a) or bool(b)) == L.or_(b, a)
    assert L.not_(L.and_(a, b)) == L.or_(L.not_(a), L.not_(b))  # De Morgan
    for out in (L.not_(a), L.and_(a, b), L.or_(a, b)):
        assert type(out) is bool


@covers("branch")
@FAST
@given(bools, values, values)
def test_branch(cond: bool, a: Any, b: Any) -> None:
    assert L.branch(True, a, b) is a and L.branch(False, a, b) is b
    assert L.branch(cond, a, b) is (a if cond else b)
    assert L.branch(L.not_(cond), a, b) is L.branch(cond, b, a)


# --- comparisons ---------------------------------------------------------------------------


@covers("eq", "neq")
@FAST
@given(values, values)
def test_eq_neq(a: Any, b: Any) -> None:
    assert L.eq(a, a) and not L.neq(a, a)
    assert L.eq(a, b) == L.eq(b, a) == (not L.neq(a, b))
    assert type(L.eq(a, b)) is bool and type(L.neq(a, b)) is bool


@covers("eq")
@FAST
@given(small_grids)
def test_eq_is_content_equality(grid: np.ndarray) -> None:
    copy = grid.copy()
    assert L.eq(grid, copy) and L.eq(rot180(rot180(grid)), grid)  # different arrays, same content
    assert L.eq((grid, 1), (copy, 1)) and not L.eq((grid, 1), (copy, 2))
    if grid.shape[0] != grid.shape[1]:
        assert not L.eq(rot90(grid), grid)


@covers("gt", "lt", "ge", "le")
@FAST
@given(ints, ints)
def test_comparisons(a: int, b: int) -> None:
    assert L.gt(a, b) == (a > b) == L.lt(b, a)
    assert L.ge(a, b) == L.not_(L.lt(a, b)) and L.le(a, b) == L.not_(L.gt(a, b))
    assert L.and_(L.ge(a, b), L.le(a, b)) == L.eq(a, b)
    assert L.gt(np.int64(a), b) == (a > b)
    for out in (L.gt(a, b), L.lt(a, b), L.ge(np.int64(a), b), L.le(a, b)):
        assert type(out) is bool


@covers("is_even")
@FAST
@given(ints)
def test_is_even(a: int) -> None:
    assert L.is_even(a) == (a % 2 == 0) and L.is_even(double(a))
    assert L.is_even(a) != L.is_even(add(a, 1))
    assert type(L.is_even(np.int64(a))) is bool


# --- combinators ---------------------------------------------------------------------------

GRID_FNS: list[Callable[[np.ndarray], np.ndarray]] = [rot90, rot180, flip_h, L.identity]


@covers("identity", "apply")
@FAST
@given(values, st.sampled_from(GRID_FNS), small_grids)
def test_identity_apply(v: Any, f: Callable, grid: np.ndarray) -> None:
    assert L.identity(v) is v and L.apply(L.identity, v) is v
    assert _same(L.apply(f, grid), f(grid))
    with pytest.raises(EvalError):
        L.apply(failing, v)


@covers("compose")
@FAST
@given(st.sampled_from(GRID_FNS), st.sampled_from(GRID_FNS), st.sampled_from(GRID_FNS),
       small_grids)
def test_compose(f: Callable, g: Callable, h: Callable, grid: np.ndarray) -> None:
    fg = L.compose(f, g)
    assert callable(fg) and value_has_type(fg, L.compose.returns)
    assert _same(fg(grid), g(f(grid)))
    assert _same(L.compose(L.compose(f, g), h)(grid), L.compose(f, L.compose(g, h))(grid))
    assert _same(L.compose(L.identity, f)(grid), f(grid))
    with pytest.raises(EvalError):
        L.compose(f, failing)(grid)


@covers("iterate")
@FAST
@given(small_grids, st.integers(-3, 35), st.integers(0, 5))
def test_iterate(grid: np.ndarray, n: int, m: int) -> None:
    if not 0 <= n <= L.MAX_ITERATE:
        with pytest.raises(EvalError):
            L.iterate(rot90, grid, n)
        return
    assert L.iterate(rot90, grid, 0) is grid
    assert _same(L.iterate(rot90, grid, n), L.iterate(rot90, grid, n % 4))
    assert _same(L.iterate(rot90, grid, 2), rot180(grid))
    assert L.iterate(lambda v: add(v, 1), m, n) == m + n
    assert L.iterate(rot90, grid, 1) is not grid and value_has_type(L.iterate(rot90, grid, n),
                                                                       GRID)
    assert L.iterate.params[2].domain == (1, 2, 3, 4)
    if n:
        with pytest.raises(EvalError):
            L.iterate(failing, grid, n)


@covers("fold")
@FAST
@given(st.lists(ints, max_size=8).map(tuple), ints)
def test_fold(xs: tuple, init: int) -> None:
    assert L.fold(xs, init, add) == init + sum(xs)
    assert L.fold((), init, failing) == init
    assert L.fold(xs, (), lambda acc, x: (x, *acc)) == xs[::-1]
    product = L.fold(xs[:4], 1, mul)
    assert product == int(np.prod(xs[:4], dtype=np.int64)) and value_has_type(product, INT)
    if xs:
        with pytest.raises(EvalError):
            L.fold(xs, init, failing)


@covers("any", "all")
@FAST
@given(st.lists(ints, max_size=8).map(tuple))
def test_any_all(xs: tuple) -> None:
    evens = [L.is_even(x) for x in xs]
    assert L.any_(xs, L.is_even) == any(evens) and L.all_(xs, L.is_even) == all(evens)
    assert L.all_(xs, L.is_even) == L.not_(L.any_(xs, L.compose(L.is_even, L.not_)))
    assert not L.any_((), failing) and L.all_((), failing)
    assert type(L.any_(xs, lambda x: np.bool_(x > 0))) is bool
    assert value_has_type(L.all_(xs, L.is_even), BOOL)
    if xs:
        with pytest.raises(EvalError):
            L.any_(xs, failing)


# --- through the pipeline: parse, type-check, interpret ------------------------------------

ITERATE = """\
solve(I: Grid) -> Grid:
    x1 = iterate(rot90, I, 2)
    O = apply(lambda g: flip_h(g), x1)
"""


@settings(max_examples=30, deadline=None)
@given(grids(max_side=8))
def test_pipeline_iterate_apply(grid: np.ndarray) -> None:
    program = parse_program(ITERATE)
    types = check_program(program)["solve"].types
    assert types["x1"] == GRID and types["O"] == GRID
    [out] = run_program(program, [grid])
    assert _same(out, flip_h(rot180(grid)))


COMBINATORS = """\
def twice(f: (T) -> T, x: T) -> T:
    y = apply(f, apply(f, x))

def score(n: Int) -> Int:
    f = compose(lambda x: add(x, 1), double)
    x1 = map(range(n), f)
    x2 = fold(x1, 0, lambda acc, v: add(acc, v))
    x3 = branch(all(x1, is_even), x2, neg_one(x2))
    y = twice(lambda v: mul(v, 2), x3)

def neg_one(v: Int) -> Int:
    y = sub(0, v)

solve(I: Grid) -> Grid:
    p = compose(rot90, flip_h)
    q = branch(eq(rot180(rot180(I)), I), p, compose(p, rot90))
    O = twice(rot180, apply(identity, iterate(q, I, 4)))
"""


def test_pipeline_combinators() -> None:
    # neg_one is defined after score, so score cannot call it: definitions see earlier ones
    with pytest.raises(DSLTypeError) as info:
        check_program(parse_program(COMBINATORS))
    assert info.value.line == 8 and "neg_one" in str(info.value)
    text = COMBINATORS.replace("neg_one(x2)", "sub(0, x2)")
    program = parse_program(text)
    checked = check_program(program)
    assert str(checked["score"].types["f"]) == "(Int) -> Int"
    assert str(checked["solve"].types["q"]) == "(Grid) -> Grid"
    assert checked["twice"].types["y"] == TVar("T")
    interp = Interpreter(program)
    for n in range(6):
        # f(i) = 2(i+1): all even, so x3 = sum = n(n+1); twice doubles twice
        assert interp.run([n], entry="score") == 4 * n * (n + 1)
    grid = np.arange(6, dtype=np.uint8).reshape(2, 3)
    grid.setflags(write=False)
    expected = grid
    for _ in range(4):
        expected = flip_h(rot90(expected))
    assert _same(interp.run([grid]), expected)  # twice(rot180, .) is the identity


def test_pipeline_function_valued_results() -> None:
    text = ("solve(I: Grid) -> Grid:\n"
            "    f = branch(gt(3, 2), rot90, flip_h)\n"   # functions as ordinary values
            "    g = identity(f)\n"
            "    O = iterate(g, I, 3)\n")
    program = parse_program(text)
    assert str(check_program(program)["solve"].types["g"]) == "(Grid) -> Grid"
    grid = np.arange(6, dtype=np.uint8).reshape(3, 2)
    assert _same(run_program(program, [grid])[0], L.iterate(rot90, grid, 3))


def test_pipeline_eval_error_from_lambda_is_a_result() -> None:
    text = ("solve(I: Grid) -> Int:\n"
            "    x1 = range(3)\n"
            "    O = fold(x1, 1, lambda acc, v: div(acc, v))\n")   # v = 0 first
    [result] = run_program(parse_program(text), [np.zeros((1, 1), dtype=np.uint8)])
    assert isinstance(result, EvalError) and "zero" in str(result)


@pytest.mark.parametrize("text, line, fragment", [
    ("solve(I: Grid) -> Grid:\n    x1 = rot90(I)\n    O = argmax(3, rot90)\n", 3,
     "argmax() argument 'items'"),
    ("solve(I: Grid) -> Grid:\n    O = iterate(rot90, I, 7)\n", 2, "not one of 1, 2, 3, 4"),
    ("solve(I: Grid) -> Grid:\n    O = iterate(count, I, 2)\n", 2, "iterate() argument 'f'"),
    ("solve(I: Grid) -> Grid:\n    O = branch(true, I, 3)\n", 2, "branch() argument"),
    ("solve(I: Grid) -> Grid:\n    x = 1\n    O = branch(x, I, I)\n", 3, "expected Bool"),
    ("solve(I: Grid) -> Grid:\n    f = compose(rot90, count)\n    O = apply(f, I)\n", 2,
     "compose() argument 'g'"),
    ("solve(I: Grid) -> Grid:\n    O = apply(lambda g: add(g, 1), I)\n", 2, "found Grid"),
    ("solve(I: Grid) -> Bool:\n    O = and(true, 1)\n", 2, "expected Bool, found Int"),
    ("solve(I: Grid) -> Grid:\n    O = fold(range(3), I, add)\n", 2, "fold() argument 'f'"),
    # a definition's type variables are rigid: its body cannot assume T = Int
    ("def bad(x: T) -> T:\n    y = add(x, 1)\n\nsolve(I: Grid) -> Grid:\n    O = bad(I)\n", 2,
     "expected Int, found T"),
    ("def bad(x: Int) -> T:\n    y = x\n", 2, "result of bad(): expected T, found Int"),
])
def test_pipeline_ill_typed(text: str, line: int, fragment: str) -> None:
    with pytest.raises(DSLTypeError) as info:
        check_program(parse_program(text))
    assert info.value.line == line and fragment in str(info.value), str(info.value)


def test_lambda_params_are_local() -> None:
    text = ("solve(I: Grid) -> Int:\n"
            "    k = 10\n"
            "    x1 = map(range(3), lambda k: add(k, 1))\n"
            "    O = add(k, sum_of(x1, identity))\n")
    [result] = run_program(parse_program(text), [np.zeros((1, 1), dtype=np.uint8)])
    assert result == 10 + (1 + 2 + 3)
    assert range_(3) == (0, 1, 2)
