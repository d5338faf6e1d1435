"""The closure rows added in round 12, the repairs: one colour's cells filled from the
grid's period (`repair_tiling`) or symmetries (`complete_symmetry`), and the symmetric
completion of one colour's bounding box cropped out; each kernel against the DSL reference
on random and patched grids, applied to the root value only."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.interp import eval_expr, run_program
from dsl.parser import parse_program
from dsl.registry import Registry, default_registry
from dsl.values import frozen
from native import closure as native
from synth.data.task import Example, Task
from synth.search.closure import Transform, kernel_rows, path_expr, transform_table
from synth.search.program import program_text
from tests.strategies import grids

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # `benchmarks.*`

REFERENCE = Registry([replace(p, kernel=None) for p in default_registry()])
TABLES = (transform_table(range(10), range(10), 0), transform_table(range(10), range(10), 3))
NEW_KINDS = (native.REPAIR_TILING, native.COMPLETE_SYMMETRY, native.SYMMETRY_WINDOW)
NEW_ROWS = tuple(t for table in TABLES for t in table if t.kind in NEW_KINDS)


def reference(transform: Transform, grid: np.ndarray) -> np.ndarray | None:
    """The row's DSL expression on the grid by the reference implementations (None: error)."""
    try:
        return eval_expr(path_expr((transform,), [0]), {"I": grid}, REFERENCE)
    except EvalError:
        return None


def assert_kernel_matches(transform: Transform, grid: np.ndarray) -> None:
    ok, out = native.apply_transform(transform.kind, *transform.params, grid)
    expected = reference(transform, grid)
    assert ok == (expected is not None), (transform, grid.tolist())
    if ok:
        assert np.array_equal(out, expected), (transform, grid.tolist(), out.tolist())


def test_the_new_rows_are_in_both_tables() -> None:
    for table in TABLES:
        rows = {(t.kind, t.params[0]) for t in table if t.kind in NEW_KINDS}
        for kind in NEW_KINDS:
            assert {c for k, c in rows if k == kind} == set(range(10))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids(max_colors=4), st.sampled_from(NEW_ROWS))
def test_new_rows_match_the_reference(grid: np.ndarray, transform: Transform) -> None:
    assert_kernel_matches(transform, grid)


def test_new_rows_match_the_reference_on_ties_and_blank_grids() -> None:
    shapes = ([[0, 1, 1, 0, 2], [0, 1, 0, 0, 2], [3, 0, 0, 4, 4]],
              [[5, 5, 5, 5], [5, 2, 2, 5], [5, 5, 5, 5], [0, 0, 0, 7]],
              [[3, 3, 3], [3, 3, 3], [3, 3, 3]], [[0, 0], [0, 0]],
              [[1, 0, 0, 0, 2], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [2, 0, 0, 0, 1]])
    for rows in shapes:
        for transform in NEW_ROWS:
            assert_kernel_matches(transform, frozen(np.array(rows, dtype=np.uint8)))


SYMMETRIC = [[1, 2, 3, 3, 2, 1], [4, 5, 6, 6, 5, 4], [7, 8, 9, 9, 8, 7], [4, 5, 6, 6, 5, 4],
             [1, 2, 3, 3, 2, 1]]


def patched(rows: list[list[int]], cells: list[tuple[int, int]], colour: int) -> np.ndarray:
    grid = np.array(rows, dtype=np.uint8)
    for r, c in cells:
        grid[r, c] = colour
    return frozen(grid)


def test_a_symmetry_window_crops_what_the_symmetries_put_under_the_patch() -> None:
    table = transform_table((0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (0, 1, 2), 0)
    row = next(i for i, t in enumerate(table) if t.kind == native.SYMMETRY_WINDOW and
               t.params[0] == 0)
    grid = patched(SYMMETRIC, [(1, 1), (1, 2), (2, 1), (2, 2)], 0)
    ok, out = native.apply_transform(native.SYMMETRY_WINDOW, 0, 0, 0, grid)
    assert ok and out.tolist() == [[5, 6], [8, 9]]
    text = program_text(path_expr(table, [row]))
    assert run_program(parse_program(text), [grid], REFERENCE)[0].tolist() == [[5, 6], [8, 9]]
    for kind in (native.COMPLETE_SYMMETRY, native.SYMMETRY_WINDOW, native.REPAIR_TILING):
        assert_kernel_matches(next(t for t in NEW_ROWS if t.kind == kind and t.params[0] == 0),
                              grid)
    assert not native.apply_transform(native.SYMMETRY_WINDOW, 0, 0, 0,
                                      frozen(np.array(SYMMETRIC, dtype=np.uint8)))[0]


def test_repairs_match_the_reference_on_patched_periodic_and_symmetric_grids() -> None:
    periodic = [[(r * 3 + c) % 4 + 1 for c in range(8)] for r in range(6)]
    rng = np.random.default_rng(0)
    for rows in (periodic, SYMMETRIC):
        for _ in range(10):
            h, w = len(rows), len(rows[0])
            top, left = int(rng.integers(h - 1)), int(rng.integers(w - 1))
            cells = [(top + i, left + j) for i in range(2) for j in range(2)]
            grid = patched(rows, cells, int(rng.choice([0, 5])))
            for transform in NEW_ROWS:
                assert_kernel_matches(transform, grid)


def test_repairs_are_applied_to_the_root_value_only() -> None:
    table = transform_table((0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (0, 1, 2), 0)
    rows = tuple(t for t in table if t.primitive == "rot90" or
                 (t.kind == native.COMPLETE_SYMMETRY and t.params[0] == 0))
    grid = patched(SYMMETRIC, [(1, 1)], 0)
    closure = native.Closure([grid], [grid], kernel_rows(rows))
    for _ in closure.run(2, 10 ** 6, lambda: False):
        pass
    paths = [tuple(rows[r].kind for r in closure.path(n)) for n in range(1, closure.n_nodes)]
    assert (native.COMPLETE_SYMMETRY,) in paths
    assert all(native.COMPLETE_SYMMETRY not in path[1:] for path in paths)
    assert native.root_only(native.REPAIR_TILING) and not native.root_only(native.ROT90)


def test_the_census_counts_a_task_solved_only_when_the_test_output_is_right() -> None:
    from benchmarks import closure_census
    periodic = [[(r * 3 + c) % 4 + 1 for c in range(8)] for r in range(6)]
    pairs = [(patched(periodic, [(r, c), (r, c + 1)], 0), frozen(np.array(periodic, np.uint8)))
             for r, c in ((0, 0), (2, 3), (4, 5))]
    train = tuple(Example(i, o) for i, o in pairs[:2])
    task = Task("periodic", train, (Example(*pairs[2]),))
    result = closure_census.census_task(task, 10_000)
    assert result["solved"] and "repair_tiling(I, black)" in result["program"]
    wrong = Task("periodic", train, (Example(pairs[2][0], pairs[2][0]),))
    assert not closure_census.census_task(wrong, 10_000)["solved"]
