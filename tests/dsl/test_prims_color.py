"""Property tests for the colour family (dsl/primitives/color.py)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.primitives import color as C
from dsl.registry import default_registry
from dsl.typeof import value_has_type
from dsl.values import as_grid
from tests.dsl.family_checks import examples_hold_test, solves, total_well_typed_and_pure_test
from tests.strategies import colors, covers, grids, masks

FAST = settings(max_examples=60, deadline=None)
FAMILY = default_registry().family("color")


def _counts(grid: np.ndarray) -> np.ndarray:
    return np.bincount(grid.ravel(), minlength=10)


@st.composite
def grid_and_mask(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    grid = draw(grids())
    return grid, draw(masks(shape=grid.shape))


# --- recolouring ---------------------------------------------------------------------------

@covers("replace")
@FAST
@given(grids(), colors, colors)
def test_replace(grid, source, target) -> None:
    out = C.replace(grid, source, target)
    assert out.shape == grid.shape and out.dtype == np.uint8
    assert np.array_equal(out[grid != source], grid[grid != source])
    assert (out[grid == source] == target).all()
    assert value_has_type(out, C.replace.returns)


@covers("swap_colors")
@FAST
@given(grids(), colors, colors)
def test_swap_colors_is_an_involution(grid, a, b) -> None:
    once = C.swap_colors(grid, a, b)
    assert np.array_equal(C.swap_colors(once, a, b), grid)
    assert np.array_equal(once == a, grid == b) and np.array_equal(once == b, grid == a)
    assert np.array_equal(C.swap_colors(grid, a, b), C.swap_colors(grid, b, a))


@covers("keep_color", "remove_color")
@FAST
@given(grids(), colors, colors)
def test_keep_and_remove_color(grid, color, bg) -> None:
    kept, removed = C.keep_color(grid, color, bg), C.remove_color(grid, color, bg)
    assert np.isin(kept, [color, bg]).all()
    assert (kept[grid == color] == color).all()
    assert (removed[grid == color] == bg).all()
    assert np.array_equal(removed[grid != color], grid[grid != color])
    if color != bg:  # the two split the grid's cells between them
        assert not (removed == color).any()
        assert np.array_equal(np.where(grid == color, kept, removed), grid)


@covers("recolor_all")
@FAST
@given(grids(), colors, colors)
def test_recolor_all(grid, color, bg) -> None:
    out = C.recolor_all(grid, color, bg)
    assert (out[grid != bg] == color).all() and (out[grid == bg] == bg).all()


@covers("invert_colors")
@FAST
@given(grids(max_colors=3), colors)
def test_invert_colors(grid, bg) -> None:
    others = set(np.unique(grid).tolist()) - {bg}
    if len(others) != 1:
        with pytest.raises(EvalError):
            C.invert_colors(grid, bg)
        return
    (fg,) = others
    out = C.invert_colors(grid, bg)
    assert np.array_equal(out == fg, grid == bg) and np.array_equal(out == bg, grid == fg)
    if (grid == bg).any():  # otherwise `out` is all background and has no colour to swap
        assert np.array_equal(C.invert_colors(out, bg), grid)


# --- colour statistics ---------------------------------------------------------------------

@covers("most_common_color", "least_common_color", "bg_color")
@FAST
@given(grids())
def test_most_and_least_common(grid) -> None:
    counts = _counts(grid)
    present = [c for c in range(10) if counts[c]]
    most, least = C.most_common_color(grid), C.least_common_color(grid)
    assert most == min(c for c in present if counts[c] == counts.max())
    low = min(counts[c] for c in present)
    assert least == min(c for c in present if counts[c] == low)
    bg = C.bg_color(grid)
    assert counts[bg] == counts.max()
    for value in (most, least, bg):
        assert type(value) is int and value_has_type(value, C.bg_color.returns)


def test_bg_color_border_tiebreak() -> None:
    clear = np.array([[2, 2, 2], [2, 1, 2], [1, 1, 1]], dtype=np.uint8)  # 2: 5 cells, 1: 4
    assert C.bg_color(clear) == 2
    even = np.array([[1, 1, 1, 1], [1, 0, 0, 1], [1, 0, 0, 1], [0, 0, 0, 0]], dtype=np.uint8)
    assert _counts(even)[0] == _counts(even)[1] and C.bg_color(even) == 1  # border wins
    assert C.most_common_color(even) == 0


@covers("most_common_fg")
@FAST
@given(grids(), colors)
def test_most_common_fg(grid, bg) -> None:
    counts = _counts(grid)
    counts[bg] = 0
    if not counts.any():
        with pytest.raises(EvalError):
            C.most_common_fg(grid, bg)
        return
    fg = C.most_common_fg(grid, bg)
    assert fg != bg and counts[fg] == counts.max() and fg == int(np.argmax(counts))


@covers("color_count", "n_colors", "colors_of")
@FAST
@given(grids())
def test_counts(grid) -> None:
    present = C.colors_of(grid)
    assert present == tuple(sorted(set(grid.ravel().tolist())))
    assert value_has_type(present, C.colors_of.returns)
    assert C.n_colors(grid) == len(present)
    assert sum(C.color_count(grid, c) for c in range(10)) == grid.size
    assert all(C.color_count(grid, c) > 0 for c in present)


# --- masks -----------------------------------------------------------------------------------

@covers("mask_of", "nonbg_mask")
@FAST
@given(grids(), colors)
def test_masks_partition_the_grid(grid, bg) -> None:
    per_color = [C.mask_of(grid, c) for c in range(10)]
    assert (sum(m.astype(int) for m in per_color) == 1).all()
    assert np.array_equal(C.nonbg_mask(grid, bg), ~per_color[bg])
    assert all(m.dtype == bool and m.shape == grid.shape and not m.flags.writeable
               for m in per_color)


@covers("mask_and", "mask_or", "mask_xor", "mask_not")
@FAST
@given(st.data())
def test_mask_algebra(data) -> None:
    a = data.draw(masks())
    b = data.draw(masks(shape=a.shape))
    both, either, one = C.mask_and(a, b), C.mask_or(a, b), C.mask_xor(a, b)
    assert np.array_equal(both, a & b) and np.array_equal(either, a | b)
    assert np.array_equal(one, either & C.mask_not(both))
    assert np.array_equal(C.mask_not(C.mask_not(a)), a)
    assert np.array_equal(C.mask_not(both), C.mask_or(C.mask_not(a), C.mask_not(b)))
    other = data.draw(masks())
    if other.shape != a.shape:
        for op in (C.mask_and, C.mask_or, C.mask_xor):
            with pytest.raises(EvalError):
                op(a, other)


@covers("fill_mask")
@FAST
@given(grid_and_mask(), colors)
def test_fill_mask(gm, color) -> None:
    grid, mask = gm
    out = C.fill_mask(grid, mask, color)
    assert (out[mask] == color).all() and np.array_equal(out[~mask], grid[~mask])
    assert np.array_equal(C.fill_mask(grid, C.mask_of(grid, color), color), grid)
    with pytest.raises(EvalError):
        C.fill_mask(grid, np.zeros((grid.shape[0] + 1, grid.shape[1]), bool), color)


@covers("mask_to_grid")
@FAST
@given(masks(), colors, colors)
def test_mask_to_grid(mask, color, bg) -> None:
    out = C.mask_to_grid(mask, color, bg)
    assert value_has_type(out, C.mask_to_grid.returns) and out.shape == mask.shape
    if color != bg:
        assert np.array_equal(C.mask_of(out, color), mask)
    with pytest.raises(EvalError):
        C.mask_to_grid(np.zeros((0, 3), bool), color, bg)


# --- totality, types, immutability, examples -------------------------------------------------

def _draws(grid: np.ndarray) -> dict[str, st.SearchStrategy]:
    """Strategies for the colour family's argument types (grids and colours: the defaults)."""
    return {"Mask": st.one_of(masks(shape=grid.shape), masks()),
            "List[Color]": st.lists(colors, max_size=6).map(tuple)}


test_total_well_typed_and_pure = total_well_typed_and_pure_test(FAMILY, _draws,
                                                                max_examples=100)
test_examples_hold = examples_hold_test(FAMILY)


# --- whole programs on ARC tasks ---------------------------------------------------------------

def test_program_solves_0d3d703e_colour_permutation() -> None:
    solves("0d3d703e", """solve(I: Grid) -> Grid:
    a = swap_colors(I, green, yellow)
    b = swap_colors(a, blue, grey)
    c = swap_colors(b, red, magenta)
    O = swap_colors(c, sky, maroon)
""")


def test_program_solves_f76d97a5_colour_exchange() -> None:
    solves("f76d97a5", """solve(I: Grid) -> Grid:
    c = most_common_fg(I, bg=grey)
    x = swap_colors(I, grey, c)
    O = replace(x, grey, black)
""")


@covers("map_colors")
@settings(max_examples=60, deadline=None)
@given(grid=grids(), perm=st.permutations(list(range(10))))
def test_map_colors_permutation_and_inverse(grid: np.ndarray, perm: list[int]) -> None:
    identity = tuple(range(10))
    assert np.array_equal(C.map_colors(grid, identity, identity), grid)
    mapped = C.map_colors(grid, identity, tuple(perm))
    assert mapped.shape == grid.shape and not mapped.flags.writeable
    inverse = tuple(perm.index(c) for c in range(10))
    assert np.array_equal(C.map_colors(mapped, identity, inverse), grid)
    for c in range(10):
        assert np.array_equal(mapped == perm[c], grid == c)


def test_map_colors_rejects_bad_lists() -> None:
    grid = np.zeros((2, 2), np.uint8)
    for sources, targets in (((1, 2), (3,)), ((1, 1), (2, 3)), ((1,), (12,))):
        with pytest.raises(EvalError):
            C.map_colors(grid, sources, targets)


@covers("mask_count", "mask_any")
@FAST
@given(grid_and_mask(), colors)
def test_mask_count_and_any(gm, color) -> None:
    grid, m = gm
    n = C.mask_count(m)
    assert n == int(m.sum()) and type(n) is int
    assert C.mask_any(m) == (n > 0) and type(C.mask_any(m)) is bool
    assert n + C.mask_count(C.mask_not(m)) == m.size
    assert C.mask_count(C.mask_of(grid, color)) == C.color_count(grid, color)
    assert C.mask_any(C.mask_of(grid, color)) == (C.color_count(grid, color) > 0)
    assert not C.mask_any(C.mask_and(m, C.mask_not(m)))


@covers("cells_equal")
@FAST
@given(grid_and_mask(), colors, grids(max_side=6))
def test_cells_equal(gm, color, other) -> None:
    grid, m = gm
    changed = C.fill_mask(grid, m, color)
    same = C.cells_equal(grid, changed)
    assert value_has_type(same, C.cells_equal.returns) and not same.flags.writeable
    assert np.array_equal(same, ~(m & (grid != color)))
    assert np.array_equal(same, C.cells_equal(changed, grid))
    assert C.mask_count(C.cells_equal(grid, grid)) == grid.size
    if other.shape != grid.shape:
        with pytest.raises(EvalError):
            C.cells_equal(grid, other)


# --- canonical colours (views) -----------------------------------------------------------------

@covers("normalize_colors", "denormalize_colors")
@FAST
@given(grids(), grids(max_side=8))
def test_normalize_colors_is_a_ranked_bijection_undone_by_denormalize(grid, other) -> None:
    out = C.normalize_colors(grid)
    assert value_has_type(out, C.normalize_colors.returns) and not out.flags.writeable
    assert out.shape == grid.shape
    present = np.flatnonzero(_counts(grid))
    assert sorted(np.unique(out).tolist()) == list(range(len(present)))
    assert np.array_equal(out == 0, grid == C.bg_color(grid))
    for c in present:
        assert len(np.unique(out[grid == c])) == 1
    ranked = _counts(out)[1:len(present)]
    assert all(a >= b for a, b in zip(ranked, ranked[1:]))
    assert np.array_equal(C.normalize_colors(out), out)
    assert np.array_equal(C.denormalize_colors(out, grid), grid)
    table = C.canonical_color_table(grid)
    assert sorted(table.tolist()) == list(range(10))
    assert np.array_equal(C.denormalize_colors(as_grid(table[other]), grid), other)
    for c in range(10):
        if _counts(grid)[c] == 0 and c >= len(present):
            assert table[c] == c


def test_normalize_colors_ties_go_to_the_smaller_colour() -> None:
    grid = np.array([[0, 0, 0, 7, 4], [0, 0, 0, 7, 4]], np.uint8)
    assert C.normalize_colors(grid).tolist() == [[0, 0, 0, 2, 1], [0, 0, 0, 2, 1]]
    assert C.denormalize_colors(np.array([[3, 2, 1]], np.uint8), grid).tolist() == [[3, 7, 4]]


@covers("recolor_majority")
@FAST
@given(grids(), colors)
def test_recolor_majority_paints_every_fg_cell_with_the_commonest_fg_colour(grid, bg) -> None:
    counts = _counts(grid)
    counts[bg] = 0
    if not counts.any():
        with pytest.raises(EvalError):
            C.recolor_majority(grid, bg)
        return
    out = C.recolor_majority(grid, bg)
    major = int(np.argmax(counts))
    assert np.array_equal(out == bg, grid == bg)
    assert set(np.unique(out[grid != bg]).tolist()) == {major}
    assert np.array_equal(C.recolor_majority(out, bg), out)


@covers("colors_by_count", "colors_column")
@FAST
@given(grids(max_side=12), st.one_of(st.just(0), colors))
def test_colors_by_count_ranks_present_colours_and_renders_a_column(grid, bg) -> None:
    counts = np.bincount(grid.ravel(), minlength=10)
    ranked = C.colors_by_count(grid, bg)
    assert sorted(ranked) == [c for c in range(10) if counts[c] and c != bg]
    assert all((counts[a], -a) > (counts[b], -b) for a, b in zip(ranked, ranked[1:]))
    if not ranked:
        with pytest.raises(EvalError):
            C.colors_column(ranked)
        return
    column = C.colors_column(ranked)
    assert value_has_type(column, C.colors_column.returns) and not column.flags.writeable
    assert column.shape == (len(ranked), 1) and column[:, 0].tolist() == list(ranked)
    with pytest.raises(EvalError):
        C.colors_column(ranked * 31)
