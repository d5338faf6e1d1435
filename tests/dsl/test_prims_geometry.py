"""Property tests for the geometry family: rotation/reflection group laws, shifts, mirrors."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.primitives import geometry as g
from dsl.registry import Primitive, default_registry
from tests.dsl.family_checks import args_for, check_example, check_total
from tests.strategies import colors, covers, grids, small_grids

FAST = settings(max_examples=60, deadline=None)
FAMILY = "geometry"
GEOMETRY = default_registry().family(FAMILY)


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


@covers("mirror_h_shared", "mirror_v_shared")
@FAST
@given(grids(max_side=15))
def test_shared_edge_mirrors(grid: np.ndarray) -> None:
    h, w = grid.shape
    mh, mv = g.mirror_h_shared(grid), g.mirror_v_shared(grid)
    assert mh.shape == (h, 2 * w - 1) and _eq(mh[:, :w], grid) and _eq(g.flip_h(mh), mh)
    assert mv.shape == (2 * h - 1, w) and _eq(mv[:h], grid) and _eq(g.flip_v(mv), mv)
    assert _eq(g.mirror_v_shared(mv)[2 * h - 2:], mv) or h == 1
    with pytest.raises(EvalError):
        g.mirror_v_shared(np.zeros((31, 2), dtype=np.uint8))
