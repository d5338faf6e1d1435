"""Property tests for the geometry family: rotation/reflection group laws, shifts, mirrors."""
from __future__ import annotations

import ast as pyast
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.primitives import geometry as g
from dsl.primitives.sizing import MAX_SIDE_INTERMEDIATE
from dsl.registry import Primitive, default_registry
from dsl.typeof import value_has_type
from dsl.types import COLOR, GRID, INT, TCon
from tests.strategies import colors, covers, grids, small_grids

FAST = settings(max_examples=60, deadline=None)
FAMILY = "geometry"
GEOMETRY = default_registry().family(FAMILY)


# ---- shared helpers (also used by test_prims_sizing) ---------------------------------------

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


def _eq(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool((a == b).all())


# ---- registry-level checks --------------------------------------------------------------------

@covers(*(p.name for p in GEOMETRY))
@pytest.mark.parametrize("prim", GEOMETRY, ids=lambda p: p.name)
def test_examples_hold(prim: Primitive) -> None:
    check_example(prim)


@covers(*(p.name for p in GEOMETRY))
@FAST
@given(st.data())
def test_total_and_well_typed(data: st.DataObject) -> None:
    prim = data.draw(st.sampled_from(GEOMETRY))
    check_total(prim, data.draw(args_for(prim)))


# ---- rotations and reflections --------------------------------------------------------------

@covers("rot90", "rot180", "rot270")
@FAST
@given(grids())
def test_rotation_laws(grid: np.ndarray) -> None:
    r = g.rot90
    assert _eq(r(r(r(r(grid)))), grid)
    assert _eq(r(g.rot270(grid)), grid)
    assert _eq(g.rot270(r(grid)), grid)
    assert _eq(g.rot180(grid), r(r(grid)))
    assert _eq(g.rot270(grid), r(r(r(grid))))
    assert r(grid).shape == grid.shape[::-1]
    assert r(grid)[0, -1] == grid[0, 0]


@covers("flip_h", "flip_v", "transpose", "antitranspose")
@FAST
@given(grids())
def test_reflection_laws(grid: np.ndarray) -> None:
    for f in (g.flip_h, g.flip_v, g.transpose, g.antitranspose):
        assert _eq(f(f(grid)), grid)
    assert _eq(g.flip_v(g.flip_h(grid)), g.rot180(grid))
    assert _eq(g.transpose(grid), g.rot90(g.flip_v(grid)))
    assert _eq(g.antitranspose(grid), g.rot180(g.transpose(grid)))
    assert _eq(g.flip_h(grid)[:, 0], grid[:, -1])
    assert g.antitranspose(grid)[0, 0] == grid[-1, -1]


# ---- translations ---------------------------------------------------------------------------

def _shift_oracle(grid: np.ndarray, dr: int, dc: int, fill: int) -> np.ndarray:
    h, w = grid.shape
    out = np.full((h, w), fill, dtype=np.uint8)
    for r in range(h):
        for c in range(w):
            if 0 <= r - dr < h and 0 <= c - dc < w:
                out[r, c] = grid[r - dr, c - dc]
    return out


@covers("shift")
@FAST
@given(small_grids(), st.integers(-12, 12), st.integers(-12, 12), colors)
def test_shift_matches_oracle(grid: np.ndarray, dr: int, dc: int, fill: int) -> None:
    out = g.shift(grid, dr, dc, fill)
    assert _eq(out, _shift_oracle(grid, dr, dc, fill))
    assert _eq(g.shift(grid, 0, 0), grid)
    if dr * dc >= 0:                      # shifts in the same direction compose
        assert _eq(g.shift(g.shift(grid, dr, 0, fill), dc, 0, fill),
                   g.shift(grid, dr + dc, 0, fill))


@covers("roll")
@FAST
@given(grids(), st.integers(-40, 40), st.integers(-40, 40))
def test_roll_is_cyclic(grid: np.ndarray, dr: int, dc: int) -> None:
    h, w = grid.shape
    out = g.roll(grid, dr, dc)
    assert _eq(g.roll(out, -dr, -dc), grid)
    assert _eq(g.roll(grid, h, -w), grid)
    assert out[dr % h, dc % w] == grid[0, 0]
    moved_in = _shift_oracle(np.ones_like(grid), dr, dc, 0).astype(bool)
    assert _eq(np.where(moved_in, out, 0), np.where(moved_in, g.shift(grid, dr, dc), 0))


# ---- mirrors and symmetrising ---------------------------------------------------------------

@covers("mirror_h", "mirror_v", "mirror_4")
@FAST
@given(grids())
def test_mirrors(grid: np.ndarray) -> None:
    h, w = grid.shape
    mh, mv, m4 = g.mirror_h(grid), g.mirror_v(grid), g.mirror_4(grid)
    assert mh.shape == (h, 2 * w) and _eq(mh[:, :w], grid) and _eq(g.flip_h(mh), mh)
    assert mv.shape == (2 * h, w) and _eq(mv[:h], grid) and _eq(g.flip_v(mv), mv)
    assert _eq(m4, g.mirror_v(mh)) and _eq(m4, g.mirror_h(mv))
    assert _eq(m4[h:, w:], g.rot180(grid))
    big = np.zeros((31, 5), dtype=np.uint8)
    with pytest.raises(EvalError):
        g.mirror_v(g.mirror_v(big))


def _single_colour(grid: np.ndarray, color: int) -> np.ndarray:
    return np.where(grid != 0, color, 0).astype(np.uint8)


@covers("symmetrize_h", "symmetrize_v", "symmetrize_diag")
@FAST
@given(grids(max_side=15), st.integers(1, 9), colors)
def test_symmetrize(grid: np.ndarray, color: int, bg: int) -> None:
    for sym, mirror in ((g.symmetrize_h, g.flip_h), (g.symmetrize_v, g.flip_v)):
        out = sym(grid, bg)
        assert _eq(sym(out, bg), out)                                   # idempotent
        keep = grid != bg
        assert _eq(out[keep], grid[keep])                               # original wins
        assert _eq(out == bg, (grid == bg) & (mirror(grid) == bg))
        mono = _single_colour(grid, color)
        assert _eq(mirror(sym(mono)), sym(mono))                        # symmetric
    if grid.shape[0] == grid.shape[1]:
        mono = _single_colour(grid, color)
        assert _eq(g.transpose(g.symmetrize_diag(mono)), g.symmetrize_diag(mono))
    else:
        with pytest.raises(EvalError):
            g.symmetrize_diag(grid, bg)
    square = grid[: min(grid.shape), : min(grid.shape)]
    out = g.symmetrize_diag(square, bg)
    assert _eq(out[square != bg], square[square != bg])
