"""The native closure's kept sets (PARTS_KEEP / PARTS_CROP over objects, colour groups and
`cut_regions`) against the DSL reference, their shape bounds, and which tasks get them."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.primitives.objects import cut_color
from dsl.values import frozen
from native import closure as native
from synth.search.closure import (PART_MODES, Transform, kept_set_rows, kernel_rows,
                                  part_criteria, table_scope, task_table, transform_table)
from tests.strategies import small_grids
from tests.test_closure import python_closure, reference, value_key

PART_KINDS = (native.PARTS_KEEP, native.PARTS_CROP)
# every criterion the kernels take, not only the table's (`part_criteria`)
ALL_CRITERIA = tuple((f, lowest, invert) for f in range(native.N_FEATURES)
                     for lowest in (False, True) for invert in (False, True))
ROWS = tuple(t for bg in (0, 3) for t in kept_set_rows(bg, ALL_CRITERIA))


def assert_parity(transform: Transform, grid: np.ndarray) -> bool:
    ok, out = native.apply_transform(transform.kind, *transform.params, grid)
    expected = reference(transform, grid)
    assert ok == (expected is not None), (transform, grid.tolist())
    if ok:
        assert np.array_equal(out, expected), (transform, grid.tolist())
    return ok


@st.composite
def lined_grids(draw: st.DrawFn) -> np.ndarray:
    """Small grids crossed by a few full lines of one colour (what `cut_regions` cuts)."""
    grid = np.array(draw(small_grids()))
    colour = draw(st.integers(0, 9))
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            grid[draw(st.integers(0, grid.shape[0] - 1)), :] = colour
        else:
            grid[:, draw(st.integers(0, grid.shape[1] - 1))] = colour
    return frozen(grid)


def test_every_segmentation_and_criterion_has_both_kinds() -> None:
    for bg in (0, 3):
        params = {(t.kind, t.params) for t in transform_table(range(10), range(10), bg)}
        for kind in PART_KINDS:
            for mode in PART_MODES:
                for feature, lowest, invert in part_criteria():
                    assert (kind, (mode, bg, feature * 4 + 2 * lowest + invert)) in params


@settings(max_examples=40, deadline=None)
@given(st.one_of(small_grids(), lined_grids()))
def test_kept_sets_match_the_reference(grid: np.ndarray) -> None:
    for transform in ROWS:
        assert_parity(transform, grid)


def test_kept_sets_match_the_reference_on_fixed_lined_grids() -> None:
    rng = np.random.default_rng(18)
    kept = 0
    for shape in ((3, 3), (5, 7), (9, 9), (11, 6)):
        grid = rng.choice([0, 0, 1, 2, 4], size=shape).astype(np.uint8)
        grid[shape[0] // 2, :] = 5
        grid[:, shape[1] // 3] = 5
        assert cut_color(frozen(grid)) == 5
        kept += sum(assert_parity(t, frozen(grid)) for t in ROWS)
    assert kept > len(ROWS)      # most rows keep some parts on these grids


def test_closure_values_equal_a_python_closure_with_cached_segmentations() -> None:
    rng = np.random.default_rng(5)
    roots = []
    for i in range(7):     # lined and unlined examples: some have no cut colour
        grid = rng.choice([0, 0, 1, 2, 4], size=(int(rng.integers(3, 7)),
                                                  int(rng.integers(3, 7)))).astype(np.uint8)
        if i % 2:
            grid[1, :] = 5
        roots.append(frozen(grid))
    table = tuple(t for t in transform_table((0, 1, 2, 4, 5), (0, 1, 2, 4, 5), 0)
                  if (t.kind in PART_KINDS and t.params[2] % 4 == 0)
                  or t.primitive in ("rot90", "flip_h", "trim"))
    closure = native.Closure(roots, roots[:1], kernel_rows(table), max_side=8)
    for _ in closure.run(2, 10 ** 9, lambda: False):
        pass
    assert {value_key(closure.grids(n)) for n in range(closure.n_nodes)} == \
        python_closure(roots, table, 2, 8)


def test_crops_lie_within_their_shape_bounds() -> None:
    grid = frozen(np.array([[1, 5, 2, 2], [1, 5, 0, 2], [5, 5, 5, 5]], dtype=np.uint8))
    for transform in ROWS:
        ok, out = native.apply_transform(transform.kind, *transform.params, grid)
        if ok:
            lo_h, hi_h, lo_w, hi_w = native.shape_bounds(transform.kind, *transform.params, 3, 4)
            assert lo_h <= out.shape[0] <= hi_h and lo_w <= out.shape[1] <= hi_w


def test_an_unknown_segmentation_or_feature_fails() -> None:
    grid = np.array([[1, 0, 2]], dtype=np.uint8)
    for params in ((native.SEG_OBJECTS8, 0, 0), (7, 0, 0), (0, 0, 4 * native.N_FEATURES)):
        assert not native.apply_transform(native.PARTS_KEEP, *params, grid)[0]


def test_kept_sets_in_place_only_for_same_shape_tasks_and_crops_only_for_smaller() -> None:
    def kinds(shapes: list[tuple[tuple[int, int], tuple[int, int]]]) -> set[int]:
        return {t.kind for t in task_table(table_scope({0, 1, 2}, {0, 1}, 0, shapes))}
    same, smaller = kinds([((3, 3), (3, 3))]), kinds([((6, 6), (2, 2)), ((4, 4), (4, 1))])
    wider = kinds([((6, 6), (2, 2)), ((4, 4), (1, 5))])
    assert native.PARTS_KEEP in same and native.PARTS_CROP not in same
    assert native.PARTS_CROP in smaller and native.PARTS_KEEP not in smaller
    assert not {native.PARTS_KEEP, native.PARTS_CROP} & wider
