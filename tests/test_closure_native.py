"""The native closure's shortcuts: result shapes bounded before a kernel runs, the last depth
kept only where shaped like the train outputs (the same matches and shaped values as the
full closure, in the benchmark too), and palettes computed when a value is first expanded."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from dsl.values import frozen
from native import closure as native
from synth.data.task import Challenge, Example
from synth.search.closure import kernel_rows, path_expr, transform_table
from synth.search.program import program_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # `benchmarks.*`

TABLES = (transform_table(range(10), range(10), 0), transform_table(range(10), range(10), 3))
SHAPES = ((1, 1), (1, 3), (2, 2), (3, 1), (3, 5), (4, 4), (6, 3), (7, 7), (10, 12), (15, 15),
          (16, 9), (30, 30))


def shape_grids() -> list[np.ndarray]:
    """Grids of many shapes: framed shapes on a background, noise, a single colour."""
    rng = np.random.default_rng(5)
    out = []
    for h, w in SHAPES:
        out.append(rng.choice([0, 0, 0, 3, 5], size=(h, w)).astype(np.uint8))
        framed = np.zeros((h, w), dtype=np.uint8)
        framed[h // 3:h - h // 3, w // 4:w - w // 4] = rng.choice([2, 3, 7], size=(
            h - 2 * (h // 3), w - 2 * (w // 4)))
        out.append(framed)
        out.append(np.full((h, w), 3, dtype=np.uint8))
    return out


def test_a_successful_result_lies_within_the_shape_bounds() -> None:
    checked = 0
    for grid in shape_grids():
        for transform in {t for table in TABLES for t in table}:
            ok, out = native.apply_transform(transform.kind, *transform.params, grid)
            if not ok:
                continue
            lo_h, hi_h, lo_w, hi_w = native.shape_bounds(transform.kind, *transform.params,
                                                         *grid.shape)
            assert lo_h <= out.shape[0] <= hi_h and lo_w <= out.shape[1] <= hi_w, \
                (transform, grid.shape, out.shape)
            checked += 1
    assert checked > 5000


def test_shape_bounds_are_exact_where_the_shape_follows_from_the_input() -> None:
    assert native.shape_bounds(native.ROT90, 0, 0, 0, 3, 5) == (5, 5, 3, 3)
    assert native.shape_bounds(native.TILE, 2, 3, 0, 3, 5) == (6, 6, 15, 15)
    assert native.shape_bounds(native.REPLACE, 1, 2, 0, 3, 5) == (3, 3, 5, 5)
    assert native.shape_bounds(native.PICK_OBJECT, 0, 0, 0, 3, 5) == (1, 3, 1, 5)


def closure_task(seed: int, transposed: bool) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Four framed random inputs (three train, one test) and train outputs: each input with
    its content recoloured, transposed or not (outputs of another shape than the inputs)."""
    rng = np.random.default_rng(seed)
    inputs = []
    for _ in range(4):
        grid = np.zeros((int(rng.integers(4, 7)), int(rng.integers(5, 8))), dtype=np.uint8)
        grid[1:3, 1:4] = rng.choice([0, 2, 6], size=(2, 3))
        grid[1, 1] = 2
        inputs.append(frozen(grid))
    outputs = [frozen(np.where(g == 2, 6, g).T if transposed else np.where(g == 2, 6, g))
               for g in inputs[:3]]
    return inputs, outputs


def run_closure(inputs: list[np.ndarray], outputs: list[np.ndarray], rows: np.ndarray,
                depth: int, shaped: bool, chunk_calls: int = 20_000
                ) -> tuple[native.Closure, list[tuple[int, int]]]:
    closure = native.Closure(inputs, outputs, rows, shaped_last_depth=shaped)
    found: list[tuple[int, int]] = []
    for chunk in closure.run(depth, 10 ** 9, lambda: False, chunk_calls=chunk_calls):
        found += chunk
    return closure, found


def shaped_values(closure: native.Closure, outputs: list[np.ndarray]
                  ) -> list[tuple[list[int], list[bytes]]]:
    """(path, grids' bytes) of every value shaped like the train outputs, in order."""
    out = []
    for node in range(closure.n_nodes):
        grids = closure.grids(node)
        if all(g.shape == o.shape for g, o in zip(grids, outputs)):
            out.append((closure.path(node), [g.tobytes() for g in grids]))
    return out


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("depth", [2, 3])
def test_the_shaped_last_depth_finds_the_same_matches_and_shaped_values(
        transposed: bool, depth: int) -> None:
    inputs, outputs = closure_task(4, transposed)
    table = transform_table((0, 2, 6), (0, 2, 6), 0)
    rows = kernel_rows(table)
    full, full_found = run_closure(inputs, outputs, rows, depth, False)
    shaped, shaped_found = run_closure(inputs, outputs, rows, depth, True, chunk_calls=331)
    assert full_found, "the task is solvable in the closure"

    def programs(closure: native.Closure, found: list[tuple[int, int]]) -> list[tuple[str, int]]:
        return [(program_text(path_expr(table, closure.path(n))), k) for n, k in found]

    assert programs(shaped, shaped_found) == programs(full, full_found)
    assert shaped_values(shaped, outputs) == shaped_values(full, outputs)
    assert shaped.calls == full.calls
    assert shaped.depth_completed() == full.depth_completed() == depth
    assert shaped.n_nodes < full.n_nodes
    last = [n for n in range(shaped.n_nodes) if shaped.depths[n] == depth]
    assert last and all(g.shape == o.shape for n in last
                        for g, o in zip(shaped.grids(n), outputs))


def test_a_shaped_closure_may_stop_shallower_but_not_go_deeper() -> None:
    inputs, outputs = closure_task(2, False)
    rows = kernel_rows(transform_table((0, 2, 6), (0, 2, 6), 0))
    closure = native.Closure(inputs, outputs, rows, shaped_last_depth=True)
    for _ in closure.run(2, 3000, lambda: False):
        pass
    for _ in closure.run(1, 10 ** 9, lambda: False):
        pass
    assert closure.depth_completed() == 1
    with pytest.raises(ValueError):
        next(closure.run(2, 10 ** 9, lambda: False))
    plain = native.Closure(inputs, outputs, rows)
    for depth in (1, 2):
        for _ in plain.run(depth, 10 ** 9, lambda: False):
            pass
    assert plain.depth_completed() == 2


def test_palettes_are_computed_for_the_expanded_values_only() -> None:
    inputs, outputs = closure_task(1, False)
    closure, _ = run_closure(inputs, outputs, kernel_rows(transform_table((0, 2, 6), (0, 2, 6),
                                                                          0)), 2, False)
    expanded = np.flatnonzero(closure.depths[:closure.n_nodes] < 2)
    for node in expanded:
        colours = np.unique(np.concatenate([g.ravel() for g in closure.grids(int(node))]))
        assert closure.palettes[node] == sum(1 << int(c) for c in colours)
    assert not closure.palettes[len(expanded):closure.n_nodes].any()


def test_the_bench_counts_the_same_shaped_values_either_way() -> None:
    from benchmarks import bench_closure
    inputs, outputs = closure_task(6, True)
    task = Challenge("shaped", tuple(Example(i, o) for i, o in zip(inputs, outputs)),
                     (inputs[3],))
    full = bench_closure.counted_closure(task, 3000, 2)
    shaped = bench_closure.counted_closure(task, 3000, 2, shaped_last_depth=True)
    assert full["applications"] == shaped["applications"] == 3000
    assert full["shaped"] == shaped["shaped"] > 0
    assert shaped["values"] < full["values"]
