"""The error contract of every primitive, on adversarial arguments (docs/adding-primitives.md).

On any arguments of its declared types a primitive returns a value of its declared return type
(plain `int`/`bool` scalars, read-only arrays, grids 1..MAX_SIDE_INTERMEDIATE a side, objects
with tight bounding boxes) or raises `EvalError` with a reason: never another exception, never
a modified input. A compiled fast path (`dsl.kernels`) returns an equal value or raises the
same EvalError as its reference, on the same arguments.

Arguments are built from each registered primitive's signature, never listed by hand:
adversarial values of each DSL type (1x1, 1xN and 60x60 grids, one colour and all ten; Ints at
the edges of grids, of parameter domains and of 32/64-bit integers, and beyond; points and
objects far outside any grid; empty lists; all-false and all-true masks; function values from
the registry and functions that return extreme values or raise EvalError). What the language
lets reach a primitive bounds the values: Colors are 0..9 (the type checker rejects other
colour literals and `int_to_color` checks), Ints are unbounded (integer literals are), grids
are at most MAX_SIDE_INTERMEDIATE a side. Type variables are instantiated with several
concrete types. A deterministic sweep varies one argument at a time around a base call and
adds random combinations; a Hypothesis property mixes in random grids, masks and objects.
"""
from __future__ import annotations

import random
import tracemalloc
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.compile import compile_program
from dsl.errors import EvalError
from dsl.interp import run_program
from dsl.kernels import fast_path
from dsl.parser import parse_program
from dsl.primitives.sizing import MAX_SIDE_INTERMEDIATE
from dsl.registry import Param, Primitive, default_registry
from dsl.typeof import value_has_type
from dsl.types import (BOOL, COLOR, GRID, INT, MASK, OBJECT, OBJECTS, POINT, TCon, Type,
                       free_vars, fn_type, list_of, rename_vars, resolve, unify)
from dsl.values import Object, frozen, make_object, value_key
from tests.dsl.parity import input_arrays, outcome, same_outcome
from tests.strategies import grids, masks, objects_

Subst = Mapping[str, Type]

RANDOM_CALLS = 40          # random argument combinations per primitive and instantiation
EDGE_INTS: tuple[int, ...] = (
    1, 0, -1, 2, 3, 4, 5, 8, 9, 10, 29, 30, 31, 59, 60, 61, 10**6, -10**6,
    2**31 - 1, 2**31, -(2**31), 2**63 - 1, 2**63, -(2**63) - 1, 10**30, -(10**30),
)
FAR = (2**31, 2**40, 2**63, 10**30)
INSTANCES: tuple[Type, ...] = (INT, GRID, OBJECT, COLOR, MASK, POINT, BOOL, OBJECTS,
                               TCon("Pair", (INT, GRID)), fn_type((GRID,), GRID))


# --- adversarial values of each base type ------------------------------------------------------

def _grid(cells: Any) -> np.ndarray:
    return frozen(np.array(cells, dtype=np.uint8))


def _random_grid(rng: np.random.Generator, h: int, w: int, n_colors: int = 10) -> np.ndarray:
    return _grid(rng.integers(0, n_colors, size=(h, w)))


def _scene() -> np.ndarray:
    """A 10x12 grid of a few objects on background 0: a bar, a ring, a two-colour blob."""
    out = np.zeros((10, 12), np.uint8)
    out[1, 1:5] = 3
    out[4:7, 6:9] = 2
    out[5, 7] = 0
    out[7:9, 1:3] = [[4, 5], [5, 4]]
    out[0, 11] = 9
    return _grid(out)


@cache
def grid_pool() -> tuple[np.ndarray, ...]:
    """The base scene first, then a same-shape variant, then edge cases of shape and colour."""
    rng = np.random.default_rng(7)
    scene = _scene()
    lines = _random_grid(rng, 11, 11, 4).copy()
    lines[[0, 5], :] = 5
    lines[:, 5] = 5
    tiled = np.tile(_random_grid(rng, 2, 3), (5, 4))
    tiled[3, 4] = 0
    half = _random_grid(rng, 8, 4)
    mirrored = np.hstack((half, half[:, ::-1]))
    mirrored[2, 1] = 0
    return (scene, _grid(scene[::-1, ::-1]), _grid([[0]]), _grid([[9]]),
            _grid(np.zeros((30, 30))), _grid(np.full((30, 30), 5)),
            _random_grid(rng, 30, 30), _random_grid(rng, MAX_SIDE_INTERMEDIATE,
                                                    MAX_SIDE_INTERMEDIATE),
            _random_grid(rng, 1, 30), _random_grid(rng, 30, 1),
            _random_grid(rng, 1, MAX_SIDE_INTERMEDIATE), _grid([[0, 1], [2, 3]]),
            _grid(lines), _grid(tiled), _grid(mirrored),
            _grid([[1, 1, 1], [1, 0, 1], [1, 1, 1]]))


@cache
def mask_pool() -> tuple[np.ndarray, ...]:
    """The scene's non-background cells first (so base calls have matching shapes)."""
    rng = np.random.default_rng(8)
    side = MAX_SIDE_INTERMEDIATE
    return tuple(frozen(m) for m in (
        _scene() != 0, np.zeros((10, 12), bool), np.ones((10, 12), bool),
        np.zeros((1, 1), bool), np.ones((1, 1), bool), np.zeros((30, 30), bool),
        np.ones((30, 30), bool), rng.random((side, side)) < 0.5, rng.random((1, 30)) < 0.5))


def _placed(obj: Object, top: int, left: int) -> Object:
    return Object(obj.colors, obj.mask, top, left)


@cache
def object_pool() -> tuple[Object, ...]:
    """Objects inside the scene first, then single cells, big objects, far-away objects."""
    scene, rng = _scene(), np.random.default_rng(9)
    cell = make_object(_grid([[5]]), np.ones((1, 1), bool))
    full = make_object(_random_grid(rng, 30, 30), np.ones((30, 30), bool))
    side = MAX_SIDE_INTERMEDIATE
    big = make_object(_random_grid(rng, side, side), rng.random((side, side)) < 0.5)
    ring_cells = _grid([[1, 1, 1], [1, 0, 1], [1, 1, 1]])
    ring = make_object(ring_cells, ring_cells != 0)
    edge = 2**63 - 1   # the largest int64: numpy arithmetic on its cells would wrap
    return (make_object(scene, (scene == 2)), make_object(scene, scene > 3), cell,
            _placed(cell, 9, 11), _placed(cell, -1, -1), _placed(cell, 10, 12), full,
            _placed(full, -29, 29), big, _placed(ring, 2, 2),
            *(_placed(cell, far, -far) for far in FAR), _placed(full, -(2**63) - 1, 0),
            _placed(ring, edge, 5), _placed(ring, 5, edge))


@cache
def point_pool() -> tuple[tuple[int, int], ...]:
    """A point inside the scene first, then grid corners and points far outside."""
    return ((2, 3), (0, 0), (-1, -1), (9, 11), (10, 12), (0, 29), (29, 29), (30, 30),
            (59, 59), (60, 60), (0, 10**6), *((far, 0) for far in FAR),
            *((-far, far) for far in FAR), (2**63 - 1, -(2**63)))


# --- values of any concrete type ---------------------------------------------------------------

def _key(args: Sequence[Any]) -> int:
    """A stable digest of argument values (not Python's per-process salted hash)."""
    return zlib.crc32(repr(value_key(tuple(args))).encode())


class Const:
    """A function value that returns one value whatever its arguments."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, *args: Any) -> Any:
        return self.value

    def __repr__(self) -> str:
        return f"const({_describe(self.value)})"


class Flaky(Const):
    """A function value that raises EvalError on about half of its argument tuples."""

    def __call__(self, *args: Any) -> Any:
        if _key(args) % 2:
            raise EvalError("flaky function value failed")
        return self.value

    def __repr__(self) -> str:
        return f"flaky({_describe(self.value)})"


class Fails:
    """A function value that always raises EvalError."""

    def __call__(self, *args: Any) -> Any:
        raise EvalError("failing function value")

    def __repr__(self) -> str:
        return "fails"


class Partial:
    """A registry primitive named as a function value: missing trailing args take defaults."""

    def __init__(self, prim: Primitive, arity: int) -> None:
        self.prim = prim
        self.rest = tuple(p.default for p in prim.params[arity:])

    def __call__(self, *args: Any) -> Any:
        return self.prim.fn(*args, *self.rest)

    def __repr__(self) -> str:
        return self.prim.name


def _matches(prim: Primitive, params: tuple[Type, ...], returns: Type) -> bool:
    """True when `prim` named as a value has the function type `(params) -> returns`
    (its result Color widened to Int where an Int is expected, as the type checker does)."""
    required = sum(not p.has_default for p in prim.params)
    if not required <= len(params) <= len(prim.params):
        return False
    subst: dict[str, Type] = {}
    if not all(unify(rename_vars(p.type, "_f"), t, subst)
               for p, t in zip(prim.params, params)):
        return False
    ret = resolve(rename_vars(prim.returns, "_f"), subst)
    return unify(ret, returns, subst) or (ret == COLOR and returns == INT)


@cache
def function_pool(target: TCon) -> tuple[Callable[..., Any], ...]:
    """Function values of a concrete function type: a few registry primitives of that type,
    constants of extreme results, and functions raising EvalError always or sometimes."""
    *params, returns = target.args
    found = [p for p in default_registry() if _matches(p, tuple(params), returns)]
    picked = [found[i] for i in sorted({0, len(found) // 2, len(found) - 1})] if found else []
    results = pool(returns)
    return (*(Partial(p, len(params)) for p in picked), Const(results[0]), Const(results[-1]),
            Flaky(results[0]), Fails())


def _lists(items: tuple[Any, ...]) -> tuple[tuple[Any, ...], ...]:
    """Lists of a pool's values: a short list first, then empty, one item, repeats, all."""
    first = items[0]
    return (items[:3], (), (first,), (first, first, first, first), items,
            (first, items[1 % len(items)], first), items[::-1][:2])


@cache
def pool(typ: Type) -> tuple[Any, ...]:
    """Adversarial values of a concrete DSL type, a typical value first."""
    assert isinstance(typ, TCon), f"uninstantiated type {typ}"
    base: Mapping[str, Callable[[], tuple[Any, ...]]] = {
        "Grid": grid_pool, "Mask": mask_pool, "Object": object_pool, "Point": point_pool,
        "Color": lambda: tuple(range(10)), "Int": lambda: EDGE_INTS,
        "Bool": lambda: (False, True),
    }
    if typ.name in base:
        return base[typ.name]()
    if typ.name == "List":
        return _lists(pool(typ.args[0]))
    if typ.name == "Pair":
        firsts, seconds = pool(typ.args[0]), pool(typ.args[1])
        return tuple((firsts[i % len(firsts)], seconds[-i % len(seconds)]) for i in range(4))
    if typ.name == "Fn":
        return function_pool(typ)
    raise AssertionError(f"no values for {typ}")


def param_pool(param: Param, subst: Subst) -> tuple[Any, ...]:
    """Values for a parameter: its finite domain first, then every adversarial value of its
    type (values outside the domain too: computed arguments are not checked against it)."""
    values = pool(resolve(param.type, subst))
    if not param.domain:
        return values
    return (*param.domain, *(v for v in values if v not in param.domain))


# --- instantiation and argument lists ----------------------------------------------------------

def instantiations(prim: Primitive) -> tuple[Subst, ...]:
    """Concrete types for the primitive's type variables: each variable runs over INSTANCES,
    different variables of one instantiation offset from each other."""
    names = sorted(free_vars(prim.type))
    if not names:
        return ({},)
    n = len(INSTANCES)
    return tuple({v: INSTANCES[(k + i) % n] for i, v in enumerate(names)} for k in range(n))


def argument_lists(prim: Primitive, subst: Subst, rng: random.Random) -> Iterator[tuple]:
    """A base call (each parameter's first value), every call differing from it in one
    argument, then RANDOM_CALLS random combinations."""
    pools = [param_pool(p, subst) for p in prim.params]
    base = [values[0] for values in pools]
    yield tuple(base)
    for i, values in enumerate(pools):
        for value in values[1:]:
            yield (*base[:i], value, *base[i + 1:])
    for _ in range(RANDOM_CALLS):
        yield tuple(rng.choice(values) for values in pools)


# --- the contract ------------------------------------------------------------------------------

def _describe(value: Any) -> str:
    """A short description of an argument or result for failure messages."""
    if isinstance(value, np.ndarray):
        return f"{value.dtype}{list(value.shape)}"
    if isinstance(value, tuple):
        return f"({', '.join(_describe(v) for v in value)})"
    return repr(value)


def _tight(obj: Object) -> bool:
    """True when the object's mask touches all four sides of its bounding box."""
    rows, cols = obj.mask.any(axis=1), obj.mask.any(axis=0)
    return bool(rows[0] and rows[-1] and cols[0] and cols[-1])


def check_runtime(value: Any, typ: Type, where: str) -> None:
    """The runtime representation the docs promise for a value of a concrete type."""
    assert isinstance(typ, TCon)
    if typ.name in ("Grid", "Mask"):
        assert not value.flags.writeable, f"{where}: array not read-only"
        assert 1 <= min(value.shape) and max(value.shape) <= MAX_SIDE_INTERMEDIATE, \
            f"{where}: {value.shape[0]}x{value.shape[1]} {typ.name.lower()}"
    elif typ.name in ("Int", "Color"):
        assert type(value) is int, f"{where}: {type(value).__name__} for {typ}"
    elif typ.name == "Bool":
        assert type(value) is bool, f"{where}: {type(value).__name__} for Bool"
    elif typ.name == "Point":
        assert all(type(v) is int for v in value), f"{where}: point of {value!r}"
    elif typ.name == "Object":
        assert type(value.top) is int and type(value.left) is int, f"{where}: offset types"
        assert value.mask.shape == value.colors.shape and _tight(value), f"{where}: bbox"
        assert not (value.mask.flags.writeable or value.colors.flags.writeable), where
    elif typ.name in ("List", "Pair"):
        for i, item in enumerate(value):
            elem = typ.args[0] if typ.name == "List" else typ.args[i]
            check_runtime(item, elem, f"{where}[{i}]")


def _run(fn: Callable[..., Any], args: tuple, where: str) -> Any:
    """The value or EvalError of a call; any other exception fails with the call described."""
    try:
        return outcome(fn, args)
    except Exception as err:  # the contract under test: anything else is a primitive's bug
        raise AssertionError(f"{where} raised {type(err).__name__}: {err}") from err


def check_call(prim: Primitive, args: tuple, returns: Type) -> None:
    """Reference (and fast path, if any) keep the contract on one argument tuple."""
    where = f"{prim.name}{_describe(args)}"
    arrays = input_arrays(args)
    before = [a.copy() for a in arrays]
    ref = _run(prim.fn, args, where)
    if isinstance(ref, EvalError):
        assert ref.bare_message.strip(), f"{where}: EvalError without a reason"
    else:
        assert value_has_type(ref, returns), f"{where} -> {_describe(ref)}, not {returns}"
        check_runtime(ref, returns, where)
    fast = fast_path(prim)
    if fast is not None:
        same_outcome(ref, _run(fast, args, f"fast path {where}"), f"fast path {where}")
    for old, new in zip(before, arrays):
        assert np.array_equal(old, new), f"{where} modified an input"


PRIMITIVES = list(default_registry())


@pytest.mark.parametrize("prim", PRIMITIVES, ids=lambda p: p.name)
def test_adversarial_sweep_keeps_the_contract(prim: Primitive) -> None:
    rng = random.Random(prim.name)
    for subst in instantiations(prim):
        returns = resolve(prim.returns, subst)
        for args in argument_lists(prim, subst, rng):
            check_call(prim, args, returns)


# --- sizes are checked before anything is allocated --------------------------------------------

HUGE = 10**7              # cells a size argument asks for, one argument at a time
MAX_TRACED = 4 * 2**20    # bytes a call on the base scene may allocate at its peak


def _peak_bytes(call: Callable[[], None]) -> int:
    """The peak of memory traced while `call` runs (numpy reports its buffers)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("prim", [p for p in PRIMITIVES if INT in (q.type for q in p.params)],
                         ids=lambda p: p.name)
def test_huge_sizes_fail_before_allocating(prim: Primitive) -> None:
    """An Int of 10**7 in any position (the others as in the base call) is refused, or
    served, without a large allocation: size caps are checked first."""
    subst = instantiations(prim)[0]
    returns = resolve(prim.returns, subst)
    base = [param_pool(p, subst)[0] for p in prim.params]
    check_call(prim, tuple(base), returns)   # warm up caches and compiled kernels
    for i, param in enumerate(prim.params):
        if param.type == INT:
            args = (*base[:i], HUGE, *base[i + 1:])
            peak = _peak_bytes(lambda: check_call(prim, args, returns))
            assert peak < MAX_TRACED, f"{prim.name}{_describe(args)} allocated {peak} bytes"


# --- random arguments (Hypothesis) -------------------------------------------------------------

def strategy(typ: Type) -> st.SearchStrategy:
    """Values of a concrete type: the adversarial pool mixed with random values."""
    assert isinstance(typ, TCon)
    adversarial = st.sampled_from(pool(typ))
    random_values: Mapping[str, Callable[[], st.SearchStrategy]] = {
        "Grid": lambda: grids(max_side=MAX_SIDE_INTERMEDIATE),
        "Mask": lambda: masks(),
        "Object": lambda: st.one_of(objects_(), st.builds(
            _placed, objects_(), st.integers(-(2**64), 2**64), st.integers(-40, 40))),
        "Int": lambda: st.one_of(st.integers(-64, 64), st.integers()),
        "Point": lambda: st.tuples(st.integers(-64, 64), st.integers()),
        "List": lambda: st.lists(strategy(typ.args[0]), max_size=5).map(tuple),
        "Pair": lambda: st.tuples(*(strategy(t) for t in typ.args)),
    }
    if typ.name not in random_values:
        return adversarial
    return st.one_of(adversarial, random_values[typ.name]())


def _args_strategy(prim: Primitive, subst: Subst) -> st.SearchStrategy[tuple]:
    return st.tuples(*(st.one_of(st.sampled_from(p.domain), strategy(resolve(p.type, subst)))
                       if p.domain else strategy(resolve(p.type, subst)) for p in prim.params))


@settings(max_examples=2000, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(PRIMITIVES), st.data())
def test_random_arguments_keep_the_contract(prim: Primitive, data: st.DataObject) -> None:
    subst = data.draw(st.sampled_from(instantiations(prim)))
    args = data.draw(_args_strategy(prim, subst))
    check_call(prim, args, resolve(prim.returns, subst))


# --- the evaluators do not hide contract violations ---------------------------------------------

def _broken_registry() -> Any:
    def boom(grid: np.ndarray) -> np.ndarray:
        raise ValueError("a bug, not a precondition")
    return default_registry().extended(
        [Primitive("boom", "user", (Param("grid", GRID),), GRID, boom, doc="raises")])


@pytest.mark.parametrize("run", [run_program, lambda p, g, r: compile_program(p, r).run(g)],
                         ids=["interpreted", "compiled"])
def test_evaluators_let_other_exceptions_escape(run: Callable[..., Any]) -> None:
    """Only EvalError becomes an input's result; another exception is a bug and propagates."""
    program = parse_program("solve(I: Grid) -> Grid:\n    O = boom(I)\n")
    with pytest.raises(ValueError, match="a bug"):
        run(program, [_grid([[1]])], _broken_registry())


def test_function_parameters_get_registry_primitives() -> None:
    """Each function parameter is passed registry primitives under some instantiation."""
    for prim in PRIMITIVES:
        for param in prim.params:
            if isinstance(param.type, TCon) and param.type.name == "Fn":
                typed = [resolve(param.type, subst) for subst in instantiations(prim)]
                assert any(isinstance(f, Partial) for t in typed for f in function_pool(t)), \
                    f"{prim.name}: no primitive of type {param.type}"


def test_pools_are_well_typed() -> None:
    for typ in (GRID, MASK, OBJECT, POINT, COLOR, INT, BOOL, OBJECTS, list_of(GRID),
                fn_type((OBJECT,), INT)):
        for value in pool(typ):
            assert value_has_type(value, typ), (typ, _describe(value))
