"""Checks shared by the per-family property tests in tests/dsl/test_prims_*.py.

Each family module keeps what is its own (its properties, and how to draw an argument of each
DSL type) and builds the registry-level tests from here:

- `examples_hold_test(family)`: every primitive's `example=` string evaluates true, nested
  lists standing for grids and masks;
- `total_well_typed_and_pure_test(family, draws, ...)`: random well-typed calls raise nothing
  but EvalError, return a value of the declared type (a read-only array when an array), and
  modify none of their arguments' arrays (objects' and list items' too);
- `solves(task_id, source)`: a DSL program maps every input of an arc1:train task (train and
  test pairs) to its output; `programs_solve_test(programs)`, one such case per task;
- `patch_objects(grid)`: objects cut from a grid's own cells;
- `check_example`, `args_for`, `check_total`: the stricter literal-example check and the
  size-capped totality check of the geometry and sizing families.

Not a test module itself (no `test_` prefix): the tests built here are collected under the
names the family modules give them, and keep their `@covers` marks for tests/dsl/test_coverage.
"""
from __future__ import annotations

import ast as pyast
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.primitives.sizing import MAX_SIDE_INTERMEDIATE
from dsl.registry import Primitive, default_registry
from dsl.typeof import value_has_type
from dsl.types import COLOR, GRID, INT, TCon
from dsl.values import Object, make_object
from tests.dsl.parity import input_arrays
from tests.strategies import colors, covers, grids, small_grids

# A family's argument strategies for one base grid: DSL type (as `str(type)`) -> strategy.
Draws = Callable[[np.ndarray], Mapping[str, st.SearchStrategy]]


# --- examples, evaluated with the whole registry in scope --------------------------------------

def _example_value(x: Any) -> Any:
    """An example's literal as a DSL value: lists become uint8 grids (bool lists: masks), a
    tuple of lists a tuple of grids."""
    if isinstance(x, list):
        arr = np.array(x)
        return arr if arr.dtype == bool else arr.astype(np.uint8)
    if isinstance(x, tuple) and x and isinstance(x[0], list):
        return tuple(_example_value(g) for g in x)
    return x


@cache
def _example_env() -> dict[str, Callable[..., Any]]:
    """Every primitive by name, taking literals and returning arrays as nested lists."""
    def plain(prim: Primitive) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            out = prim(*map(_example_value, args))
            return out.tolist() if isinstance(out, np.ndarray) else out
        return call
    return {p.name: plain(p) for p in default_registry()}


def example_holds(prim: Primitive) -> None:
    """Evaluate a primitive's `example=` expression (any Python over primitive calls)."""
    assert eval(prim.example, _example_env()), prim.example


def examples_hold_test(family: Sequence[Primitive]) -> Callable[[Primitive], None]:
    """`test_examples_hold` for a family: one case per primitive."""
    @pytest.mark.parametrize("prim", family, ids=lambda p: p.name)
    def test_examples_hold(prim: Primitive) -> None:
        example_holds(prim)
    return test_examples_hold


# --- totality, types and purity on random arguments --------------------------------------------

def draw_args(data: st.DataObject, prim: Primitive, grid: np.ndarray, draws: Draws) -> list:
    """Random arguments for a primitive: a parameter's domain when it has one, else the
    family's strategy for its type; by default a grid parameter is `grid` itself and a
    colour any of 0..9."""
    table = {"Grid": st.just(grid), "Color": colors, **draws(grid)}
    args = []
    for param in prim.params:
        if param.domain:
            args.append(data.draw(st.sampled_from(param.domain)))
        elif str(param.type) in table:
            args.append(data.draw(table[str(param.type)]))
        else:
            raise AssertionError(f"no strategy for {param.type}")
    return args


def check_total_and_pure(prim: Primitive, grid: np.ndarray, args: Sequence[Any],
                         shape_preserving: bool = False) -> None:
    """Only EvalError may escape; a result has the declared type and is read-only when an
    array (with `grid`'s shape when `shape_preserving`); `grid` and every array in the
    arguments are left as they were."""
    inputs = input_arrays((grid, *args))
    before = [a.copy() for a in inputs]
    try:
        result = prim(*args)
    except EvalError:
        return
    assert value_has_type(result, prim.returns), f"{prim.name} -> {result!r}"
    if isinstance(result, np.ndarray):
        assert not result.flags.writeable
    if shape_preserving:
        assert isinstance(result, np.ndarray) and result.shape == grid.shape
    for arg, old in zip(inputs, before):
        assert np.array_equal(arg, old), "inputs must not be modified"


def total_well_typed_and_pure_test(family: Sequence[Primitive], draws: Draws, *,
                                   max_examples: int, shape_preserving: bool = False,
                                   name: str = "test_total_well_typed_and_pure"
                                   ) -> Callable[..., None]:
    """A property test covering every primitive of a family: a random primitive, a random
    grid up to 12x12 and arguments from `draws`, checked by `check_total_and_pure`."""
    def test(prim: Primitive, grid: np.ndarray, data: st.DataObject) -> None:
        check_total_and_pure(prim, grid, draw_args(data, prim, grid, draws), shape_preserving)

    test.__name__ = test.__qualname__ = name
    wrapped = given(st.sampled_from(family), grids(max_side=12), st.data())(test)
    return covers(*(p.name for p in family))(
        settings(max_examples=max_examples, deadline=None)(wrapped))


# --- objects cut from a grid -------------------------------------------------------------------

@st.composite
def patch_objects(draw: st.DrawFn, grid: np.ndarray, max_side: int | None = None) -> Object:
    """An object made of the non-zero cells of a rectangle of `grid` (at most `max_side` a
    side), its top-left cell always included."""
    h, w = grid.shape
    cap = max_side or max(h, w)
    r0, c0 = draw(st.integers(0, h - 1)), draw(st.integers(0, w - 1))
    r1 = draw(st.integers(r0 + 1, min(h, r0 + cap)))
    c1 = draw(st.integers(c0 + 1, min(w, c0 + cap)))
    mask = np.zeros(grid.shape, bool)
    mask[r0:r1, c0:c1] = grid[r0:r1, c0:c1] != 0
    mask[r0, c0] = True
    return make_object(grid, mask)


# --- whole programs on ARC tasks ---------------------------------------------------------------

@cache
def _arc1_train() -> dict:
    from synth.data.datasets import load_dataset
    return load_dataset("arc1:train").entries


def solves(task_id: str, source: str) -> None:
    """The program maps every input of the arc1:train task (train and test) to its output."""
    task = _arc1_train()[task_id]
    pairs = [*task.train, *task.test]
    outputs = run_program(parse_program(source), [ex.input for ex in pairs])
    for out, ex in zip(outputs, pairs):
        assert isinstance(out, np.ndarray) and np.array_equal(out, ex.output), task_id


def programs_solve_test(programs: Mapping[str, str]) -> Callable[[str], None]:
    """`test_program_solves_arc_task` over {arc1:train task id: a program that solves it}."""
    @pytest.mark.parametrize("task_id", sorted(programs))
    def test_program_solves_arc_task(task_id: str) -> None:
        solves(task_id, programs[task_id])
    return test_program_solves_arc_task


# --- literal examples and size-capped totality (geometry and sizing) ---------------------------

def _to_value(node: Any) -> Any:
    """A Python literal from an example: nested int lists become grids / tuples of grids."""
    if isinstance(node, list) and node and isinstance(node[0], list):
        if node[0] and isinstance(node[0][0], list):
            return tuple(_to_value(x) for x in node)
        arr = np.array(node, dtype=np.uint8)
        arr.setflags(write=False)
        return arr
    return node


def _to_plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple):
        return [_to_plain(v) for v in value]
    return value


def check_example(prim: Primitive) -> None:
    """Evaluate a primitive's `example=` string (`name(args) == expected`) and check it."""
    tree = pyast.parse(prim.example, mode="eval").body
    assert isinstance(tree, pyast.Compare) and isinstance(tree.ops[0], pyast.Eq), prim.example
    call, expected = tree.left, pyast.literal_eval(tree.comparators[0])
    assert isinstance(call, pyast.Call) and isinstance(call.func, pyast.Name)
    assert call.func.id == prim.name
    args = [_to_value(pyast.literal_eval(a)) for a in call.args]
    kwargs = {k.arg: _to_value(pyast.literal_eval(k.value)) for k in call.keywords}
    result = prim(*args, **kwargs)
    assert value_has_type(result, prim.returns)
    assert _to_plain(result) == expected, f"{prim.example}: got {_to_plain(result)}"


@st.composite
def args_for(draw: st.DrawFn, prim: Primitive) -> list[Any]:
    """Arguments of the right DSL types (domains sometimes ignored, to probe totality)."""
    out: list[Any] = []
    grid_strategy = st.one_of(grids(max_side=8), grids())
    for p in prim.params:
        if p.domain and draw(st.booleans()):
            out.append(draw(st.sampled_from(p.domain)))
        elif p.type == GRID:
            out.append(draw(grid_strategy))
        elif p.type == COLOR:
            out.append(draw(colors))
        elif p.type == INT:
            out.append(draw(st.one_of(st.integers(-4, 8), st.integers(-100, 100))))
        elif p.type == TCon("List", (INT,)):
            out.append(tuple(draw(st.lists(st.integers(-2, 12), max_size=4))))
        elif p.type == TCon("List", (GRID,)):
            shape = draw(st.tuples(st.integers(1, 6), st.integers(1, 6)))
            n = draw(st.integers(0, 4))
            if draw(st.booleans()):
                out.append(tuple(draw(_grid_of_shape(shape)) for _ in range(n)))
            else:
                out.append(tuple(draw(small_grids()) for _ in range(n)))
        else:
            raise AssertionError(f"no strategy for {p.type}")
    return out


@st.composite
def _grid_of_shape(draw: st.DrawFn, shape: tuple[int, int]) -> np.ndarray:
    seed = draw(st.integers(0, 2**32 - 1))
    arr = np.random.default_rng(seed).integers(0, 10, size=shape).astype(np.uint8)
    arr.setflags(write=False)
    return arr


def check_total(prim: Primitive, args: list[Any]) -> None:
    """Only EvalError may escape; results inhabit the return type and respect the size cap."""
    try:
        result = prim(*args)
    except EvalError:
        return
    assert value_has_type(result, prim.returns), f"{prim.name}{args!r} -> {result!r}"
    for value in result if isinstance(result, tuple) else (result,):
        if isinstance(value, np.ndarray):
            assert max(value.shape) <= MAX_SIDE_INTERMEDIATE
            assert not value.flags.writeable
