"""Property tests for the counting family: list sizes, selection and sorting by keys, slicing,
pairs and integer arithmetic; plus programs using them through parser, checker and interpreter.
"""
from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.errors import DSLTypeError, EvalError
from dsl.interp import Interpreter, run_program
from dsl.parser import parse_program
from dsl.primitives import counting as C
from dsl.primitives.logic import compose, identity
from dsl.registry import default_registry
from dsl.typecheck import check_program
from dsl.typeof import value_has_type
from dsl.types import COLOR, GRID, INT, OBJECT, TCon, Type, list_of, resolve
from dsl.values import value_key
from tests.strategies import colors, covers, grids, objects_

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- strategies ----------------------------------------------------------------------------

ints = st.integers(-50, 50)
tiny_grids = grids(max_side=4, max_colors=3)

ELEMENTS: list[tuple[Type, st.SearchStrategy]] = [
    (INT, st.integers(-5, 5)),  # small range: many ties and repeats
    (COLOR, colors),
    (GRID, tiny_grids),
    (OBJECT, objects_()),
    (TCon("Pair", (INT, GRID)), st.tuples(st.integers(0, 3), tiny_grids)),
    (list_of(INT), st.lists(st.integers(0, 3), max_size=3).map(tuple)),
]


@st.composite
def typed_lists(draw: st.DrawFn, min_size: int = 0) -> tuple[Type, tuple]:
    """(element type, list of that type) for one of several element types."""
    elem_type, elems = draw(st.sampled_from(ELEMENTS))
    return elem_type, tuple(draw(st.lists(elems, min_size=min_size, max_size=8)))


@st.composite
def keys(draw: st.DrawFn) -> Callable[[Any], Any]:
    """A deterministic key function over any DSL value, sometimes returning numpy ints."""
    modulus = draw(st.integers(1, 5))
    salt = draw(st.integers(0, 1000))
    as_numpy = draw(st.booleans())

    def key(value: Any) -> Any:
        k = zlib.crc32(repr((salt, value_key(value))).encode()) % modulus
        return np.int64(k) if as_numpy else k

    return key


@st.composite
def preds(draw: st.DrawFn) -> Callable[[Any], Any]:
    """A deterministic predicate over any DSL value, sometimes returning numpy bools."""
    key = draw(keys())
    threshold = draw(st.integers(0, 3))
    as_numpy = draw(st.booleans())
    return lambda v: np.bool_(int(key(v)) < threshold) if as_numpy else int(key(v)) < threshold


def failing(value: Any) -> Any:
    """A function argument that always fails inside the language's rules."""
    raise EvalError("boom")


def _same(a: Any, b: Any) -> bool:
    return value_key(a) == value_key(b)


def _ret_type(name: str, elem: Type, other: Type = INT) -> Type:
    """The declared result type of a generic primitive at T = elem, U = other."""
    return resolve(default_registry()[name].returns, {"T": elem, "U": other})


# --- sizes, filtering ----------------------------------------------------------------------


@covers("count", "filter", "exclude", "count_by")
@FAST
@given(typed_lists(), preds())
def test_count_filter_exclude(tl: tuple[Type, tuple], pred: Callable) -> None:
    t, xs = tl
    kept, dropped = C.filter_(xs, pred), C.exclude(xs, pred)
    assert C.count(xs) == len(xs)
    assert C.count(kept) <= C.count(xs)
    assert C.count(kept) + C.count(dropped) == C.count(xs)
    assert C.count_by(xs, pred) == C.count(kept)
    assert all(pred(x) for x in kept) and not any(pred(x) for x in dropped)
    # filter keeps order: it is the subsequence of items satisfying pred
    assert _same(kept, tuple(x for x in xs if pred(x)))
    for value, typ in ((kept, list_of(t)), (dropped, list_of(t)), (C.count(kept), INT),
                       (C.count_by(xs, pred), INT)):
        assert value_has_type(value, typ) and type(value) is not np.int64


@covers("filter", "exclude", "count_by", "map", "argmax", "sort_by")
@FAST
@given(typed_lists(min_size=1))
def test_function_errors_propagate(tl: tuple[Type, tuple]) -> None:
    _, xs = tl
    for fn in (C.filter_, C.exclude, C.count_by, C.map_, C.argmax, C.argmin, C.sort_by,
               C.sort_desc_by, C.unique_by, C.most_common_by, C.max_of, C.min_of, C.sum_of):
        with pytest.raises(EvalError, match="boom"):
            fn(xs, failing)


# --- selection by key ----------------------------------------------------------------------


@covers("argmax", "argmin", "max_of", "min_of")
@FAST
@given(typed_lists(), keys())
def test_argmax_argmin(tl: tuple[Type, tuple], key: Callable) -> None:
    t, xs = tl
    if not xs:
        for fn in (C.argmax, C.argmin, C.max_of, C.min_of):
            with pytest.raises(EvalError):
                fn(xs, key)
        return
    hi, lo = C.argmax(xs, key), C.argmin(xs, key)
    ks = [int(key(x)) for x in xs]
    assert key(hi) == max(ks) == C.max_of(xs, key)
    assert key(lo) == min(ks) == C.min_of(xs, key)
    assert hi is xs[ks.index(max(ks))] and lo is xs[ks.index(min(ks))]  # ties -> first
    assert value_has_type(hi, _ret_type("argmax", t)) and value_has_type(lo, t)
    assert type(C.max_of(xs, key)) is int and type(C.min_of(xs, key)) is int


@covers("sort_by", "sort_desc_by")
@FAST
@given(typed_lists(), keys())
def test_sort_by(tl: tuple[Type, tuple], key: Callable) -> None:
    t, xs = tl
    up, down = C.sort_by(xs, key), C.sort_desc_by(xs, key)
    for out in (up, down):
        assert value_has_type(out, list_of(t))
        assert Counter(map(value_key, out)) == Counter(map(value_key, xs))  # a permutation
    ups, downs = [key(x) for x in up], [key(x) for x in down]
    assert ups == sorted(ups) and downs == sorted(downs, reverse=True)
    # stability: equal keys keep list order (Python's sorted is stable; compare identities)
    tagged = list(enumerate(xs))
    for out, sign in ((up, 1), (down, -1)):
        oracle = sorted(tagged, key=lambda ix: sign * int(key(ix[1])))
        assert all(a is x for a, (_, x) in zip(out, oracle))
    assert C.sort_by((3, 1, 2, 1), lambda v: 0) == (3, 1, 2, 1)
    assert C.sort_desc_by(((1, 0), (2, 1), (1, 1)), C.pair_first) == ((2, 1), (1, 0), (1, 1))


@covers("unique_by")
@FAST
@given(typed_lists(), keys())
def test_unique_by(tl: tuple[Type, tuple], key: Callable) -> None:
    t, xs = tl
    counts = Counter(int(key(x)) for x in xs)
    singles = [x for x in xs if counts[int(key(x))] == 1]
    if len(singles) != 1:
        with pytest.raises(EvalError):
            C.unique_by(xs, key)
        return
    out = C.unique_by(xs, key)
    assert out is singles[0] and value_has_type(out, t)


def test_unique_by_examples() -> None:
    assert C.unique_by((3, 1, 3, 3), identity) == 1
    with pytest.raises(EvalError):
        C.unique_by((1, 2), identity)  # two unique keys
    with pytest.raises(EvalError):
        C.unique_by((1, 1), identity)  # none


@covers("most_common_by")
@FAST
@given(typed_lists(), keys())
def test_most_common_by(tl: tuple[Type, tuple], key: Callable) -> None:
    t, xs = tl
    if not xs:
        with pytest.raises(EvalError):
            C.most_common_by(xs, key)
        return
    out = C.most_common_by(xs, key)
    counts = Counter(int(key(x)) for x in xs)
    assert counts[int(key(out))] == max(counts.values())
    first_top = next(x for x in xs if counts[int(key(x))] == max(counts.values()))
    assert out is first_top and value_has_type(out, t)
    assert C.most_common_by((1, 2, 2, 1), identity) == 1  # tie -> first in list order


@covers("sum_of")
@FAST
@given(st.lists(ints, max_size=10).map(tuple), keys())
def test_sum_of(xs: tuple, key: Callable) -> None:
    assert C.sum_of(xs, identity) == sum(xs)
    total = C.sum_of(xs, key)
    assert total == sum(int(key(x)) for x in xs) and type(total) is int
    assert C.sum_of((), key) == 0


# --- positions and list shape --------------------------------------------------------------


@covers("first", "last", "nth")
@FAST
@given(typed_lists(), st.integers(-3, 12))
def test_first_last_nth(tl: tuple[Type, tuple], i: int) -> None:
    t, xs = tl
    if not xs:
        for fn in (C.first, C.last):
            with pytest.raises(EvalError):
                fn(xs)
    else:
        assert C.first(xs) is C.nth(xs, 0) and C.last(xs) is C.nth(xs, len(xs) - 1)
        assert value_has_type(C.first(xs), t) and value_has_type(C.last(xs), t)
    if 0 <= i < len(xs):
        assert C.nth(xs, i) is xs[i]
    else:
        with pytest.raises(EvalError):
            C.nth(xs, i)


@covers("reverse")
@FAST
@given(typed_lists())
def test_reverse(tl: tuple[Type, tuple]) -> None:
    t, xs = tl
    assert _same(C.reverse(C.reverse(xs)), xs)
    assert value_has_type(C.reverse(xs), list_of(t)) and len(C.reverse(xs)) == len(xs)
    if xs:
        assert C.first(C.reverse(xs)) is C.last(xs)


@covers("take", "drop")
@FAST
@given(typed_lists(), st.integers(-2, 10))
def test_take_drop(tl: tuple[Type, tuple], n: int) -> None:
    t, xs = tl
    if n < 0:
        for fn in (C.take, C.drop):
            with pytest.raises(EvalError):
                fn(xs, n)
        return
    head, tail = C.take(xs, n), C.drop(xs, n)
    assert _same(head + tail, xs) and len(head) == min(n, len(xs))
    assert value_has_type(head, list_of(t)) and value_has_type(tail, list_of(t))


@covers("dedupe")
@FAST
@given(typed_lists())
def test_dedupe(tl: tuple[Type, tuple]) -> None:
    t, xs = tl
    out = C.dedupe(xs)
    ks = [value_key(x) for x in out]
    assert len(set(ks)) == len(ks) and set(ks) == {value_key(x) for x in xs}
    assert _same(C.dedupe(out), out) and value_has_type(out, list_of(t))
    firsts = list(dict.fromkeys(value_key(x) for x in xs))  # first-occurrence order
    assert ks == firsts


@covers("map")
@FAST
@given(typed_lists(), keys(), st.integers(-3, 3))
def test_map(tl: tuple[Type, tuple], key: Callable, k: int) -> None:
    t, xs = tl
    keyed = C.map_(xs, key)
    assert len(keyed) == len(xs) and _same(C.map_(xs, identity), xs)
    assert value_has_type(C.map_(xs, lambda x: int(key(x))), _ret_type("map", t, INT))
    shift = lambda v: C.add(int(v), k)  # noqa: E731
    assert _same(C.map_(keyed, shift), C.map_(xs, compose(key, shift)))  # map fusion


# --- pairs ---------------------------------------------------------------------------------


@covers("pair", "pair_first", "pair_second")
@FAST
@given(tiny_grids, st.sampled_from(ELEMENTS).flatmap(lambda e: st.tuples(st.just(e[0]), e[1])))
def test_pairs(grid: np.ndarray, typed: tuple[Type, Any]) -> None:
    t, b = typed
    p = C.pair(grid, b)
    assert value_has_type(p, TCon("Pair", (GRID, t)))
    assert C.pair_first(p) is grid and C.pair_second(p) is b


# --- integer arithmetic --------------------------------------------------------------------


@covers("add", "sub", "mul")
@FAST
@given(st.integers(-40_000, 40_000), st.integers(-40_000, 40_000))
def test_add_sub_mul(a: int, b: int) -> None:
    assert C.sub(C.add(a, b), b) == a and C.add(C.sub(a, b), b) == a
    assert C.add(a, b) == C.add(b, a) == a + b and C.mul(a, b) == C.mul(b, a) == a * b
    assert C.add(np.int64(a), np.int64(b)) == a + b
    assert all(type(v) is int for v in (C.add(a, b), C.sub(a, b), C.mul(np.int64(a), b)))


def test_int_bound() -> None:
    with pytest.raises(EvalError):
        C.add(C.INT_LIMIT, 1)
    with pytest.raises(EvalError):
        C.mul(np.int64(2**40), np.int64(2**40))  # no silent int64 wrap-around
    with pytest.raises(EvalError):
        C.double(C.INT_LIMIT)
    assert C.sub(-C.INT_LIMIT, 0) == -C.INT_LIMIT


@covers("div", "mod")
@FAST
@given(ints, ints)
def test_div_mod(a: int, b: int) -> None:
    if b == 0:
        for fn in (C.div, C.mod):
            with pytest.raises(EvalError):
                fn(a, b)
        return
    q, r = C.div(a, b), C.mod(a, b)
    assert q == a // b and C.add(C.mul(q, b), r) == a
    assert (0 <= r < b) if b > 0 else (b < r <= 0)


@covers("min2", "max2", "half", "double")
@FAST
@given(ints, ints)
def test_min_max_half_double(a: int, b: int) -> None:
    assert C.min2(a, b) == min(a, b) and C.max2(a, b) == max(a, b)
    assert C.min2(a, b) + C.max2(a, b) == a + b
    assert C.half(C.double(a)) == a and C.double(a) == C.add(a, a)
    assert C.half(a) == a // 2 and type(C.half(np.int64(a))) is int


@covers("color_to_int", "int_to_color")
@FAST
@given(colors, st.integers(-20, 20))
def test_color_int(c: int, i: int) -> None:
    assert C.int_to_color(C.color_to_int(c)) == c
    assert value_has_type(C.color_to_int(c), INT)
    if 0 <= i <= 9:
        assert value_has_type(C.int_to_color(i), COLOR)
    else:
        with pytest.raises(EvalError):
            C.int_to_color(i)


@covers("range")
@FAST
@given(st.integers(-5, 110))
def test_range(n: int) -> None:
    if not 0 <= n <= 100:
        with pytest.raises(EvalError):
            C.range_(n)
        return
    out = C.range_(n)
    assert out == tuple(range(n)) and value_has_type(out, list_of(INT))
    assert C.count(out) == n and C.sum_of(out, identity) == n * (n - 1) // 2


# --- generic totality: only EvalError, results of the declared type ------------------------

KEYED = ["argmax", "argmin", "sort_by", "sort_desc_by", "unique_by", "most_common_by",
         "max_of", "min_of", "sum_of", "count_by", "filter", "exclude", "map"]


@FAST
@given(typed_lists(), keys(), st.sampled_from(KEYED))
def test_keyed_total_and_typed(tl: tuple[Type, tuple], key: Callable, name: str) -> None:
    t, xs = tl
    prim = default_registry()[name]
    fn = (lambda v: bool(int(key(v)) % 2)) if prim.params[1].type.args[-1] == TCon("Bool") \
        else key
    try:
        out = prim(xs, fn)
    except EvalError:
        assert not xs or name == "unique_by"
        return
    assert value_has_type(out, _ret_type(name, t, INT))


# --- through the pipeline: parse, type-check, interpret ------------------------------------

PIPELINE = """\
def pick(n: Int, k: Int) -> Int:
    x1 = range(n)
    x2 = map(x1, lambda i: mul(i, k))
    x3 = filter(x2, is_even)
    x4 = exclude(x3, lambda v: eq(mod(v, 3), 0))
    x5 = sort_desc_by(x4, lambda v: mod(v, 7))
    x6 = add(count(x5), argmax(x4, lambda v: mod(v, 7)))
    x7 = sub(x6, first(x5))
"""


def _pick(n: int, k: int) -> int | None:
    xs = [v for v in (i * k for i in range(n)) if v % 2 == 0 and v % 3 != 0]
    if not xs:
        return None
    best = max(xs, key=lambda v: v % 7)
    desc = sorted(xs, key=lambda v: -(v % 7))
    return len(xs) + best - desc[0]


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 30), st.integers(-5, 5))
def test_pipeline_map_filter_argmax(n: int, k: int) -> None:
    program = parse_program(PIPELINE)
    checked = check_program(program)
    assert str(checked["pick"].types["x5"]) == "List[Int]"
    expected = _pick(n, k)
    interp = Interpreter(program)
    if expected is None:
        with pytest.raises(EvalError):
            interp.run([n, k], entry="pick")
    else:
        assert interp.run([n, k], entry="pick") == expected


def test_pipeline_function_values_and_results() -> None:
    text = ("solve(I: Grid) -> Int:\n"
            "    x1 = range(6)\n"
            "    x2 = map(x1, double)\n"                      # primitive as a function value
            "    x3 = count_by(x2, lambda v: gt(v, 4))\n"
            "    x4 = sum_of(dedupe(map(x1, half)), identity)\n"
            "    x5 = pair(x3, x4)\n"
            "    O = add(pair_first(x5), pair_second(x5))\n")
    program = parse_program(text)
    types = check_program(program)["solve"].types
    assert str(types["x5"]) == "Pair[Int, Int]"
    grid = np.zeros((2, 2), dtype=np.uint8)
    assert run_program(program, [grid]) == [3 + (0 + 1 + 2)]


def test_pipeline_eval_errors_surface_per_grid() -> None:
    text = "solve(I: Grid) -> Int:\n    x1 = range(0)\n    O = argmax(x1, identity)\n"
    [result] = run_program(parse_program(text), [np.zeros((1, 1), dtype=np.uint8)])
    assert isinstance(result, EvalError)


@pytest.mark.parametrize("body, line, fragment", [
    ("    x1 = rot90(I)\n    O = argmax(3, rot90)\n", 3, "argmax() argument 'items'"),
    ("    x1 = range(3)\n    O = sum_of(x1, lambda i: rot90(i))\n", 3, "expected Grid, found Int"),
    ("    x1 = range(3)\n    O = filter(x1, double)\n", 3, "filter() argument 'pred'"),
    ("    x1 = range(3)\n    O = map(x1, lambda a, b: a)\n", 3, "1 argument(s)"),
    ("    x1 = range(true)\n    O = x1\n", 2, "range() argument 'n'"),
    ("    O = nth(I, 0)\n", 2, "nth() argument 'items'"),
])
def test_pipeline_ill_typed(body: str, line: int, fragment: str) -> None:
    with pytest.raises(DSLTypeError) as info:
        check_program(parse_program("solve(I: Grid) -> Grid:\n" + body))
    assert info.value.line == line and fragment in str(info.value)


# --- sign arithmetic and list positions ----------------------------------------------------


@covers("neg", "sign", "abs")
@FAST
@given(ints, ints)
def test_neg_sign_abs(a: int, b: int) -> None:
    assert default_registry()["abs"] is C.abs_
    assert C.neg(C.neg(a)) == a and C.add(a, C.neg(a)) == 0 and C.neg(a) == C.sub(0, a)
    assert C.sign(a) in (-1, 0, 1) and C.sign(C.mul(a, b)) == C.sign(a) * C.sign(b)
    assert C.mul(C.sign(a), C.abs_(a)) == a and C.abs_(C.neg(a)) == C.abs_(a) >= 0
    assert C.abs_(C.add(a, b)) <= C.abs_(a) + C.abs_(b)
    assert all(type(f(np.int64(a))) is int for f in (C.neg, C.sign, C.abs_))
    assert C.neg(-C.INT_LIMIT) == C.INT_LIMIT and C.abs_(-C.INT_LIMIT) == C.INT_LIMIT


@covers("index_of")
@FAST
@given(typed_lists(), st.data())
def test_index_of(tl: tuple[Type, tuple], data: st.DataObject) -> None:
    t, xs = tl
    with pytest.raises(EvalError):
        C.index_of((), data.draw(st.integers(0, 3)))
    if not xs:
        return
    i = data.draw(st.integers(0, len(xs) - 1))
    x = xs[i].copy() if isinstance(xs[i], np.ndarray) else xs[i]  # equal content, new value
    j = C.index_of(xs, x)
    assert type(j) is int and j <= i and _same(C.nth(xs, j), x)
    assert not any(_same(y, x) for y in xs[:j])  # the first occurrence
    assert C.index_of(C.dedupe(xs), x) <= j
    rest = tuple(y for y in xs if not _same(y, x))
    with pytest.raises(EvalError):
        C.index_of(rest, x)
