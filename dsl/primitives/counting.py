"""Counting: list sizes, sorting and selection by a key, list slicing, pairs, integer arithmetic.

Lists are tuples; function arguments (keys, predicates, mappers) are Python callables that may
raise `EvalError`, which propagates. Keys are Ints and predicates Bools by type; their results
are normalised with `int()`/`bool()` so numpy scalars never leak out. Integer results are
bounded to `±INT_LIMIT` so repeated arithmetic (e.g. `iterate` of `mul`) cannot blow up.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from dsl.errors import EvalError
from dsl.registry import primitive
from dsl.values import value_key

INT_LIMIT = 2**31 - 1
MAX_RANGE = 100

Key = Callable[[Any], Any]


def _int(value: int, name: str) -> int:
    """An Int result, checked against the magnitude bound."""
    value = int(value)
    if not -INT_LIMIT <= value <= INT_LIMIT:
        raise EvalError(f"{name}: integer {value} exceeds the bound of {INT_LIMIT}")
    return value


def _nonempty(items: tuple, name: str) -> None:
    if not items:
        raise EvalError(f"{name} of an empty list")


def _keys(items: tuple, key: Key) -> list[int]:
    """The key of every item, each computed once."""
    return [int(key(item)) for item in items]


# --- sizes and selection -------------------------------------------------------------------


@primitive("(List[T]) -> Int", example="count([4, 5, 6]) == 3")
def count(items: tuple) -> int:
    """Number of items in a list."""
    return len(items)


@primitive("(List[T], (T) -> Int) -> T", example="argmax(objects(I), size) == largest object")
def argmax(items: tuple, key: Key) -> Any:
    """The item with the largest key (the first such on ties)."""
    _nonempty(items, "argmax")
    keys = _keys(items, key)
    return items[keys.index(max(keys))]


@primitive("(List[T], (T) -> Int) -> T", example="argmin(objects(I), size) == smallest object")
def argmin(items: tuple, key: Key) -> Any:
    """The item with the smallest key (the first such on ties)."""
    _nonempty(items, "argmin")
    keys = _keys(items, key)
    return items[keys.index(min(keys))]


@primitive("(List[T], (T) -> Int) -> List[T]",
           example="sort_by([3, 1, 2], identity) == [1, 2, 3]")
def sort_by(items: tuple, key: Key) -> tuple:
    """Sort a list by ascending key (stable: ties keep their order)."""
    keys = _keys(items, key)
    order = sorted(range(len(items)), key=keys.__getitem__)
    return tuple(items[i] for i in order)


@primitive("(List[T], (T) -> Int) -> List[T]",
           example="sort_desc_by([3, 1, 2], identity) == [3, 2, 1]")
def sort_desc_by(items: tuple, key: Key) -> tuple:
    """Sort a list by descending key (stable: ties keep their order)."""
    keys = _keys(items, key)
    order = sorted(range(len(items)), key=lambda i: -keys[i])
    return tuple(items[i] for i in order)


@primitive("(List[T]) -> T", example="first([4, 5, 6]) == 4")
def first(items: tuple) -> Any:
    """The first item of a non-empty list."""
    _nonempty(items, "first")
    return items[0]


@primitive("(List[T]) -> T", example="last([4, 5, 6]) == 6")
def last(items: tuple) -> Any:
    """The last item of a non-empty list."""
    _nonempty(items, "last")
    return items[-1]


@primitive("(List[T], Int) -> T", example="nth([4, 5, 6], 1) == 5")
def nth(items: tuple, i: int) -> Any:
    """The item at 0-based index `i` (0 <= i < count)."""
    if not 0 <= i < len(items):
        raise EvalError(f"nth: index {i} out of range for {len(items)} item(s)")
    return items[i]


@primitive("(List[T], (T) -> Bool) -> List[T]",
           example="filter([1, 2, 3, 4], is_even) == [2, 4]")
def filter_(items: tuple, pred: Key) -> tuple:
    """The items satisfying a predicate, in order."""
    return tuple(item for item in items if bool(pred(item)))


@primitive("(List[T], (T) -> Bool) -> List[T]",
           example="exclude([1, 2, 3, 4], is_even) == [1, 3]")
def exclude(items: tuple, pred: Key) -> tuple:
    """The items not satisfying a predicate, in order."""
    return tuple(item for item in items if not bool(pred(item)))


@primitive("(List[T], (T) -> U) -> List[U]", example="map([1, 2], double) == [2, 4]")
def map_(items: tuple, f: Key) -> tuple:
    """Apply a function to every item."""
    return tuple(f(item) for item in items)


@primitive("(List[T], (T) -> Int) -> T", example="unique_by([1, 2, 2], identity) == 1")
def unique_by(items: tuple, key: Key) -> Any:
    """The single item whose key occurs exactly once (the odd one out)."""
    keys = _keys(items, key)
    counts = Counter(keys)
    singles = [item for item, k in zip(items, keys) if counts[k] == 1]
    if len(singles) != 1:
        raise EvalError(f"unique_by: {len(singles)} items have a unique key, not exactly 1")
    return singles[0]


@primitive("(List[T], (T) -> Int) -> T", example="most_common_by([1, 2, 2], identity) == 2")
def most_common_by(items: tuple, key: Key) -> Any:
    """The first item whose key is the most frequent key."""
    _nonempty(items, "most_common_by")
    keys = _keys(items, key)
    counts = Counter(keys)
    top = max(counts.values())
    return next(item for item, k in zip(items, keys) if counts[k] == top)


@primitive("(List[T], (T) -> Bool) -> Int", example="count_by([1, 2, 3, 4], is_even) == 2")
def count_by(items: tuple, pred: Key) -> int:
    """Number of items satisfying a predicate."""
    return sum(1 for item in items if bool(pred(item)))


@primitive("(List[T], (T) -> Int) -> Int", example="max_of(objects(I), size) == 5")
def max_of(items: tuple, key: Key) -> int:
    """The largest key over a non-empty list."""
    _nonempty(items, "max_of")
    return max(_keys(items, key))


@primitive("(List[T], (T) -> Int) -> Int", example="min_of(objects(I), size) == 1")
def min_of(items: tuple, key: Key) -> int:
    """The smallest key over a non-empty list."""
    _nonempty(items, "min_of")
    return min(_keys(items, key))


@primitive("(List[T], (T) -> Int) -> Int", example="sum_of([1, 2, 3], identity) == 6")
def sum_of(items: tuple, key: Key) -> int:
    """The sum of the keys (0 for an empty list)."""
    return _int(sum(_keys(items, key)), "sum_of")


# --- list shape ----------------------------------------------------------------------------


@primitive("(List[T]) -> List[T]", example="reverse([1, 2, 3]) == [3, 2, 1]")
def reverse(items: tuple) -> tuple:
    """The items in reverse order."""
    return items[::-1]


@primitive("(List[T], Int) -> List[T]", example="take([1, 2, 3], 2) == [1, 2]")
def take(items: tuple, n: int) -> tuple:
    """The first `n` items (all of them if fewer; `n` >= 0)."""
    if n < 0:
        raise EvalError(f"take: negative count {n}")
    return items[:n]


@primitive("(List[T], Int) -> List[T]", example="drop([1, 2, 3], 2) == [3]")
def drop(items: tuple, n: int) -> tuple:
    """All but the first `n` items (none if fewer; `n` >= 0)."""
    if n < 0:
        raise EvalError(f"drop: negative count {n}")
    return items[n:]


@primitive("(List[T]) -> List[T]", example="dedupe([1, 2, 1, 3]) == [1, 2, 3]")
def dedupe(items: tuple) -> tuple:
    """The items without repeats (by content), in first-occurrence order."""
    seen: set = set()
    out = []
    for item in items:
        k = value_key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return tuple(out)


# --- pairs ---------------------------------------------------------------------------------


@primitive("(T, U) -> Pair[T, U]", example="pair(1, red) == (1, 2)")
def pair(a: Any, b: Any) -> tuple:
    """A pair of two values."""
    return (a, b)


@primitive("(Pair[T, U]) -> T", example="pair_first(pair(1, red)) == 1")
def pair_first(p: tuple) -> Any:
    """The first component of a pair."""
    return p[0]


@primitive("(Pair[T, U]) -> U", example="pair_second(pair(1, red)) == red")
def pair_second(p: tuple) -> Any:
    """The second component of a pair."""
    return p[1]


# --- integer arithmetic --------------------------------------------------------------------


@primitive("(Int, Int) -> Int", example="add(2, 3) == 5")
def add(a: int, b: int) -> int:
    """Sum of two integers."""
    return _int(int(a) + int(b), "add")


@primitive("(Int, Int) -> Int", example="sub(2, 3) == -1")
def sub(a: int, b: int) -> int:
    """Difference `a - b`."""
    return _int(int(a) - int(b), "sub")


@primitive("(Int, Int) -> Int", example="mul(2, 3) == 6")
def mul(a: int, b: int) -> int:
    """Product of two integers."""
    return _int(int(a) * int(b), "mul")


@primitive("(Int, Int) -> Int", example="div(7, 2) == 3")
def div(a: int, b: int) -> int:
    """Floor division `a // b` (b != 0)."""
    if b == 0:
        raise EvalError("div: division by zero")
    return _int(int(a) // int(b), "div")


@primitive("(Int, Int) -> Int", example="mod(7, 3) == 1")
def mod(a: int, b: int) -> int:
    """Floor remainder `a % b`, with the sign of b (b != 0)."""
    if b == 0:
        raise EvalError("mod: modulo by zero")
    return _int(int(a) % int(b), "mod")


@primitive("(Int, Int) -> Int", example="min2(2, 3) == 2")
def min2(a: int, b: int) -> int:
    """The smaller of two integers."""
    return min(int(a), int(b))


@primitive("(Int, Int) -> Int", example="max2(2, 3) == 3")
def max2(a: int, b: int) -> int:
    """The larger of two integers."""
    return max(int(a), int(b))


@primitive("(Int) -> Int", example="half(7) == 3")
def half(a: int) -> int:
    """Half of an integer, rounded down."""
    return int(a) // 2


@primitive("(Int) -> Int", example="double(7) == 14")
def double(a: int) -> int:
    """Twice an integer."""
    return _int(2 * int(a), "double")


@primitive("(Color) -> Int", example="color_to_int(red) == 2")
def color_to_int(c: int) -> int:
    """A colour as the integer 0..9."""
    return int(c)


@primitive("(Int) -> Color", example="int_to_color(2) == red")
def int_to_color(i: int) -> int:
    """The colour numbered `i` (0 <= i <= 9)."""
    if not 0 <= i <= 9:
        raise EvalError(f"int_to_color: {i} is not a colour 0..9")
    return int(i)


@primitive("(Int) -> List[Int]", example="range(3) == [0, 1, 2]")
def range_(n: int) -> tuple:
    """The integers 0..n-1 (0 <= n <= 100)."""
    if not 0 <= n <= MAX_RANGE:
        raise EvalError(f"range: {n} is outside 0..{MAX_RANGE}")
    return tuple(range(n))


@primitive("(Int) -> Int", example="neg(3) == -3")
def neg(a: int) -> int:
    """The negation `-a`."""
    return _int(-int(a), "neg")


@primitive("(Int) -> Int", example="sign(-4) == -1")
def sign(a: int) -> int:
    """-1, 0 or 1: the sign of an integer."""
    return (int(a) > 0) - (int(a) < 0)


@primitive("(Int) -> Int", example="abs(-4) == 4")
def abs_(a: int) -> int:
    """The absolute value of an integer."""
    return _int(abs(int(a)), "abs")


@primitive("(List[T], T) -> Int", example="index_of([4, 5, 6], 5) == 1")
def index_of(items: tuple, x: Any) -> int:
    """The 0-based index of the first item equal (by content) to x."""
    key = value_key(x)
    for i, item in enumerate(items):
        if value_key(item) == key:
            return i
    raise EvalError("index_of: the item is not in the list")
