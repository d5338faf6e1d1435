"""Property tests for the patterns family (dsl/primitives/patterns.py)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from dsl.errors import EvalError
from dsl.primitives import patterns as P
from dsl.registry import default_registry
from dsl.typeof import value_has_type
from dsl.values import Object, frozen, make_object
from tests.dsl.family_checks import (examples_hold_test, patch_objects, programs_solve_test,
                                     total_well_typed_and_pure_test)
from tests.strategies import colors, covers, grids, objects_

FAST = settings(max_examples=60, deadline=None)
FAMILY = default_registry().family("patterns")
STEPS = ((-1, 0), (0, 1), (1, 0), (0, -1))


def _counts(grid: np.ndarray) -> np.ndarray:
    return np.bincount(grid.ravel(), minlength=10)


@st.composite
def tilings(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """(tile, grid): a tile repeated at least twice along at least one axis (maybe cut short)."""
    tile = draw(grids(max_side=5))
    th, tw = tile.shape
    reps_r, reps_c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    if reps_r * reps_c == 1:
        reps_c = 2
    h = draw(st.integers(th * reps_r, th * reps_r + th - 1)) if draw(st.booleans()) else th * reps_r
    big = np.tile(tile, (reps_r + 1, reps_c))
    return tile, frozen(np.ascontiguousarray(big[:h, :tw * reps_c]))


# --- periods and tilings ----------------------------------------------------------------------

@covers("period_h", "period_v")
@FAST
@given(tilings())
def test_period_of_a_tiling_divides_the_tile_size(case) -> None:
    tile, grid = case
    th, tw = tile.shape
    ph, pv = P.period_h(grid), P.period_v(grid)
    if grid.shape[1] >= 2 * tw:
        assert tw % ph == 0
    if grid.shape[0] >= 2 * th:
        assert th % pv == 0


@covers("period_h", "period_v")
@FAST
@given(grids(max_side=10, max_colors=2))
def test_period_is_the_smallest_shift_that_fits(grid) -> None:
    for p, g in ((P.period_h(grid), grid.T), (P.period_v(grid), grid)):
        assert 1 <= p <= g.shape[0] and value_has_type(p, P.period_h.returns)
        fits = [q for q in range(1, g.shape[0]) if np.array_equal(g[q:], g[:-q])]
        assert p == (fits[0] if fits else g.shape[0])


@covers("repair_tiling")
@FAST
@given(tilings(), colors)
def test_repair_tiling_of_a_perfect_tiling_is_identity(case, noise) -> None:
    tile, grid = case
    unused = sorted(set(range(10)) - set(tile.ravel().tolist()))
    if not unused:                # every colour is content: no colour can mark unknown cells
        return
    noise = noise if noise in unused else unused[noise % len(unused)]
    assert np.array_equal(P.repair_tiling(grid, noise), grid)


@covers("repair_tiling")
@FAST
@given(tilings(), colors, st.integers(0, 2**32 - 1))
def test_repair_tiling_fills_only_noise_and_is_idempotent(case, noise, seed) -> None:
    tile, grid = case
    if (tile == noise).any():
        return
    holes = np.random.default_rng(seed).random(grid.shape) < 0.2
    noisy = frozen(np.where(holes, noise, grid).astype(np.uint8))
    out = P.repair_tiling(noisy, noise)
    known = noisy != noise
    assert np.array_equal(out[known], noisy[known])
    assert set(np.unique(out[~known])) <= set(np.unique(noisy[known])) | {noise}
    assert np.array_equal(P.repair_tiling(out, noise), out)


@covers("repair_tiling")
def test_repair_tiling_restores_a_hole_and_rejects_aperiodic_grids() -> None:
    tile = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8)
    grid = np.tile(tile, (3, 3))
    noisy = grid.copy()
    noisy[1:4, 2:5] = 0
    assert np.array_equal(P.repair_tiling(noisy, 0), grid)
    with pytest.raises(EvalError):
        P.repair_tiling(np.arange(6, dtype=np.uint8).reshape(2, 3), 0)


# --- symmetry -----------------------------------------------------------------------------------

@st.composite
def noisy_mirrors(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int]:
    """(clean, noisy, noise): a left-right symmetric grid of random cells in the nine other
    colours, noise only where the mirror is known. Varied cells make the mirror the one
    best-supported symmetry (a near-uniform grid may be as consistent with another axis)."""
    noise = draw(colors)
    palette = [c for c in range(10) if c != noise]
    h, w = draw(st.integers(4, 10)), draw(st.integers(3, 10))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    half = rng.choice(np.array(palette, dtype=np.uint8), size=(h, w))
    middle = [half[:, -1:]] if draw(st.booleans()) else []
    clean = np.hstack([half, *middle, half[:, ::-1]])
    holes = rng.random(clean.shape) < draw(st.sampled_from([0.05, 0.1, 0.2]))
    holes &= ~holes[:, ::-1] | (np.arange(clean.shape[1]) < clean.shape[1] // 2)
    return frozen(clean), frozen(np.where(holes, noise, clean).astype(np.uint8)), noise


@covers("complete_symmetry")
@FAST
@given(noisy_mirrors())
def test_complete_symmetry_restores_a_symmetric_grid(case) -> None:
    clean, noisy, noise = case
    if np.array_equal(clean, noisy):
        with pytest.raises(EvalError):
            P.complete_symmetry(noisy, noise)
        return
    out = P.complete_symmetry(noisy, noise)
    assert P.is_symmetric_h(out)
    assert np.array_equal(out, clean)


@covers("complete_symmetry")
def test_complete_symmetry_uses_off_centre_axes_and_rotations() -> None:
    rng = np.random.default_rng(0)
    quarter = rng.integers(1, 9, size=(6, 6)).astype(np.uint8)
    quarter = np.where(quarter.T > quarter, quarter.T, quarter)     # transpose-symmetric
    full = np.block([[quarter, quarter[:, ::-1]], [quarter[::-1], quarter[::-1, ::-1]]])
    crop = full[2:, 1:]                                              # symmetry centre off-centre
    noisy = crop.copy()
    noisy[0:3, 0:3] = 9
    noisy[5:7, 6:9] = 9
    out = P.complete_symmetry(noisy, 9)
    assert np.array_equal(out, crop)


@covers("complete_symmetry")
@FAST
@given(grids(max_side=12, max_colors=3), colors)
def test_complete_symmetry_changes_only_noise_cells(grid, noise) -> None:
    try:
        out = P.complete_symmetry(grid, noise)
    except EvalError:
        return
    known = grid != noise
    assert np.array_equal(out[known], grid[known]) and not np.array_equal(out, grid)


@covers("is_symmetric_h", "is_symmetric_v")
@FAST
@given(grids(max_side=10, max_colors=2))
def test_is_symmetric(grid) -> None:
    assert P.is_symmetric_h(grid) == np.array_equal(grid, grid[:, ::-1])
    assert P.is_symmetric_v(grid) == np.array_equal(grid, grid[::-1])
    assert P.is_symmetric_h(np.hstack([grid, grid[:, ::-1]]))
    assert P.is_symmetric_v(np.vstack([grid, grid[::-1]]))
    assert isinstance(P.is_symmetric_h(grid), bool)


# --- gravity and moving -----------------------------------------------------------------------

@covers("gravity")
@FAST
@given(grids(), st.integers(0, 3), colors)
def test_gravity_is_idempotent_and_keeps_colour_counts(grid, direction, bg) -> None:
    out = P.gravity(grid, direction, bg)
    assert np.array_equal(_counts(out), _counts(grid))
    assert np.array_equal(P.gravity(out, direction, bg), out)
    turned = np.rot90(out, k=direction)            # the direction now points up
    filled = turned != bg
    assert not (filled[1:] & ~filled[:-1]).any()   # no cell has a gap above it
    for j in range(turned.shape[1]):               # each line keeps its order
        line = np.rot90(grid, k=direction)[:, j]
        assert np.array_equal(turned[:, j][filled[:, j]], line[line != bg])
    with pytest.raises(EvalError):
        P.gravity(grid, 4, bg)


@st.composite
def grid_objects(draw: st.DrawFn) -> tuple[np.ndarray, Object]:
    """A grid and an object made of a rectangle of its own non-zero cells."""
    grid = draw(grids(max_side=12, max_colors=3))
    return grid, draw(patch_objects(grid, max_side=4))


@covers("move_until_contact")
@FAST
@given(grid_objects(), st.integers(0, 3))
def test_move_until_contact_moves_to_the_first_obstacle(pair, direction) -> None:
    grid, obj = pair
    dr, dc = STEPS[direction]
    rows, cols = np.nonzero(obj.mask)
    rows, cols, values = rows + obj.top, cols + obj.left, obj.colors[np.nonzero(obj.mask)]
    erased = np.array(grid)
    erased[rows, cols] = 0

    def fits(k: int) -> bool:
        r, c = rows + k * dr, cols + k * dc
        return bool(((r >= 0) & (r < grid.shape[0]) & (c >= 0) & (c < grid.shape[1])).all()
                    and (erased[r, c] == 0).all())
    k = 0
    while fits(k + 1):
        k += 1
    expected = erased.copy()
    expected[rows + k * dr, cols + k * dc] = values
    out = P.move_until_contact(grid, obj, direction)
    assert np.array_equal(out, expected)
    assert np.array_equal(P.move_until_contact(out, _shifted(obj, k * dr, k * dc), direction), out)
    assert np.array_equal(_counts(out), _counts(grid))     # the object is the grid's own


def _shifted(obj: Object, dr: int, dc: int) -> Object:
    return make_object(obj.colors, obj.mask, obj.top + dr, obj.left + dc)


@covers("move_until_contact")
@FAST
@given(grids(max_side=6), objects_(), st.integers(0, 3))
def test_move_until_contact_rejects_objects_outside_the_grid(grid, obj, direction) -> None:
    inside = (obj.top + obj.height <= grid.shape[0]) and (obj.left + obj.width <= grid.shape[1])
    if inside:
        assert P.move_until_contact(grid, obj, direction).shape == grid.shape
    else:
        with pytest.raises(EvalError):
            P.move_until_contact(grid, obj, direction)


@covers("move_until_contact")
@FAST
@given(grids(max_side=6), objects_(), st.sampled_from([2**63 - 1, 2**63, -(2**63) - 1, 10**30]),
       st.booleans(), st.integers(0, 3))
def test_move_until_contact_rejects_objects_beyond_64_bit_offsets(grid, obj, far, rows,
                                                                   direction) -> None:
    moved = Object(obj.colors, obj.mask, far if rows else 0, 0 if rows else far)
    with pytest.raises(EvalError, match="not inside the grid"):
        P.move_until_contact(grid, moved, direction)


# --- denoising --------------------------------------------------------------------------------

def _component_sizes(grid: np.ndarray, bg: int) -> np.ndarray:
    """Size of each cell's 8-connected single-colour component (0 for bg), by dilation."""
    sizes = np.zeros(grid.shape, int)
    done = grid == bg
    h, w = grid.shape
    for r0, c0 in zip(*np.nonzero(~done)):
        if done[r0, c0]:
            continue
        comp = np.zeros(grid.shape, bool)
        comp[r0, c0] = True
        same = grid == grid[r0, c0]
        while True:
            padded = np.pad(comp, 1)
            grown = np.zeros_like(comp)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    grown |= padded[1 + dr:1 + dr + h, 1 + dc:1 + dc + w]
            grown &= same
            if np.array_equal(grown, comp):
                break
            comp = grown
        sizes[comp] = comp.sum()
        done |= comp
    return sizes


@covers("denoise")
@FAST
@given(grids(max_side=12, max_colors=3), st.sampled_from([2, 3, 4]), colors)
def test_denoise_removes_exactly_the_small_components(grid, min_size, bg) -> None:
    sizes = _component_sizes(grid, bg)
    out = P.denoise(grid, min_size, bg)
    small = (grid != bg) & (sizes < min_size)
    assert np.array_equal(out, np.where(small, bg, grid))
    assert np.array_equal(P.denoise(out, min_size, bg), out)


# --- grid combinators -------------------------------------------------------------------------

@st.composite
def grid_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    a = draw(grids(max_side=10, max_colors=3))
    if draw(st.integers(0, 5)) == 0:
        return a, draw(grids(max_side=10, max_colors=3))
    b = np.resize(draw(grids(max_side=10, max_colors=3)), a.shape)
    return a, frozen(np.ascontiguousarray(b, dtype=np.uint8))


@covers("overlay")
@FAST
@given(grid_pairs(), colors)
def test_overlay(pair, bg) -> None:
    a, b = pair
    if a.shape != b.shape:
        with pytest.raises(EvalError):
            P.overlay(a, b, bg)
        return
    out = P.overlay(a, b, bg)
    assert np.array_equal(out, np.where(b != bg, b, a))
    assert np.array_equal(P.overlay(out, b, bg), out)
    assert np.array_equal(P.overlay(a, np.full_like(a, bg), bg), a)


CELLWISE = {"cellwise_and": lambda x, y: x and y, "cellwise_or": lambda x, y: x or y,
            "cellwise_xor": lambda x, y: x != y, "cellwise_nor": lambda x, y: not (x or y)}


@covers(*CELLWISE)
@FAST
@given(grid_pairs(), colors, colors)
def test_cellwise_truth_tables(pair, color, bg) -> None:
    a, b = pair
    for name, table in CELLWISE.items():
        prim = getattr(P, name)
        if a.shape != b.shape:
            with pytest.raises(EvalError):
                prim(a, b, color, bg)
            continue
        out = prim(a, b, color, bg)
        for (r, c), v in np.ndenumerate(out):
            assert v == (color if table(a[r, c] != bg, b[r, c] != bg) else bg)


@covers("most_common_grid", "unique_grid")
@FAST
@given(st.lists(st.sampled_from(range(4)), max_size=6), st.lists(grids(max_side=3), min_size=4,
                                                               max_size=4))
def test_most_common_and_unique_grid(picks, pool) -> None:
    grids_ = tuple(pool[i] for i in picks)
    keys = [(g.shape, g.tobytes()) for g in grids_]
    if not grids_:
        for prim in (P.most_common_grid, P.unique_grid):
            with pytest.raises(EvalError):
                prim(grids_)
        return
    best = max(keys.count(k) for k in keys)
    common = P.most_common_grid(grids_)
    assert np.array_equal(common, next(g for g, k in zip(grids_, keys) if keys.count(k) == best))
    once = [g for g, k in zip(grids_, keys) if keys.count(k) == 1]
    if len(once) == 1:
        assert np.array_equal(P.unique_grid(grids_), once[0])
    else:
        with pytest.raises(EvalError):
            P.unique_grid(grids_)


# --- painted object parts -----------------------------------------------------------------------

def _object_labels(grid: np.ndarray, bg: int) -> list[np.ndarray]:
    """Masks of the 8-connected single-colour objects (scipy, independent of the primitive)."""
    out = []
    for colour in set(np.unique(grid).tolist()) - {bg}:
        labels, n = ndimage.label(grid == colour, np.ones((3, 3), dtype=bool))
        out += [labels == i for i in range(1, n + 1)]
    return out


def _expected_part(mask: np.ndarray, part: int, grid: np.ndarray, bg: int) -> np.ndarray:
    rows, cols = np.nonzero(mask)
    top, bottom, left, right = rows.min(), rows.max(), cols.min(), cols.max()
    box = np.zeros_like(mask)
    box[top:bottom + 1, left:right + 1] = True
    r, c = np.indices(mask.shape)
    inner = ndimage.binary_erosion(mask, np.ones((3, 3), dtype=bool), border_value=0)
    n_rows, n_cols = (bottom - top + 1) // 2, (right - left + 1) // 2
    return (mask & inner, mask & ~inner, mask & (r < top + n_rows),
            mask & (r > bottom - n_rows), mask & (c < left + n_cols),
            mask & (c > right - n_cols), box & (grid == bg))[part]


@covers("paint_object_parts")
@FAST
@given(grids(max_side=12, max_colors=3), st.sampled_from(P.OBJECT_PARTS), colors, colors)
def test_paint_object_parts_paints_each_objects_part(grid, part, color, bg) -> None:
    painted = np.zeros(grid.shape, dtype=bool)
    for mask in _object_labels(grid, bg):
        painted |= _expected_part(mask, part, grid, bg)
    out = P.paint_object_parts(grid, part, color, bg)
    assert np.array_equal(out, np.where(painted, color, grid))


def test_paint_object_parts_halves_and_hull() -> None:
    bars = frozen(np.array([[0, 2, 0, 0], [0, 2, 0, 3], [0, 2, 0, 3], [0, 2, 0, 0]],
                           dtype=np.uint8))
    assert P.paint_object_parts(bars, P.PART_BOTTOM, 8).tolist() == \
        [[0, 2, 0, 0], [0, 2, 0, 3], [0, 8, 0, 8], [0, 8, 0, 0]]
    corner = frozen(np.array([[1, 1, 0], [1, 0, 0], [0, 0, 1]], dtype=np.uint8))
    assert P.paint_object_parts(corner, P.PART_HULL, 4).tolist() == \
        [[1, 1, 0], [1, 4, 0], [0, 0, 1]]
    with pytest.raises(EvalError):
        P.paint_object_parts(bars, 7, 1)
    with pytest.raises(EvalError):
        P.paint_object_parts(bars, 0, 10)


# --- totality, types, purity, examples --------------------------------------------------------

def _draws(grid: np.ndarray) -> dict[str, st.SearchStrategy]:
    """Strategies for the patterns family's argument types (colours: the default)."""
    return {"Grid": st.one_of(st.just(grid), grids(max_side=12)),
            "Int": st.integers(-3, 12), "Object": objects_(),
            "List[Grid]": st.lists(st.sampled_from([grid, grid.T]), max_size=4).map(tuple),
            "List[Int]": st.lists(st.integers(-3, 11_000), max_size=6).map(tuple),
            "List[Color]": st.lists(colors, max_size=6).map(tuple)}


test_total_well_typed_and_pure = total_well_typed_and_pure_test(FAMILY, _draws,
                                                                max_examples=150)
test_examples_hold = examples_hold_test(FAMILY)


# --- whole programs on ARC tasks ---------------------------------------------------------------

PROGRAMS = {
    "1e0a9b12": "solve(I: Grid) -> Grid:\n    O = gravity(I, 2)\n",
    "3631a71a": "solve(I: Grid) -> Grid:\n    O = complete_symmetry(I, maroon)\n",
    "0dfd9992": "solve(I: Grid) -> Grid:\n    O = repair_tiling(I, black)\n",
    "42a50994": "solve(I: Grid) -> Grid:\n    O = denoise(I, 2)\n",
}
test_program_solves_arc_task = programs_solve_test(PROGRAMS)


@covers("is_symmetric_diag")
@FAST
@given(grids(max_side=10, max_colors=2))
def test_is_symmetric_diag(grid) -> None:
    square = grid.shape[0] == grid.shape[1]
    assert P.is_symmetric_diag(grid) == (square and np.array_equal(grid, grid.T))
    side = min(grid.shape)
    corner = grid[:side, :side]
    assert P.is_symmetric_diag(np.where(np.triu(np.ones((side, side), bool)), corner, corner.T))
    assert isinstance(P.is_symmetric_diag(grid), bool)


@covers("symmetry_code")
@FAST
@given(grids(max_side=8, max_colors=2))
def test_symmetry_code_bits_match_the_mirrors(grid) -> None:
    code = P.symmetry_code(grid)
    assert isinstance(code, int) and 0 <= code < 16
    assert bool(code & 1) == P.is_symmetric_h(grid)
    assert bool(code & 2) == P.is_symmetric_v(grid)
    assert bool(code & 4) == P.is_symmetric_diag(grid)
    assert bool(code & 8) == P.is_symmetric_diag(grid[:, ::-1])
    assert P.symmetry_code(np.hstack([grid, grid[:, ::-1]])) & 1
