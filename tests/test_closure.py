"""The native closure: every transform kernel against the DSL reference, the closure's
deduplication against a pure-Python closure, resumable chunks, the proposer finding and
verifying composed programs, and its budget."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.errors import EvalError
from dsl.interp import eval_expr, run_program
from dsl.parser import parse_program
from dsl.registry import Registry, default_registry
from dsl.values import frozen
from native import closure as native
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool, ProgramCandidate
from synth.proposers.closure import (NATIVE_CALLS_PER_EVALUATION, ClosureProposer, shaped_nodes,
                                     work_units)
from synth.search.closure import Transform, kernel_rows, path_expr, transform_table
from synth.search.program import program_text
from tests.strategies import grids

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # `benchmarks.*`

REFERENCE = Registry([replace(p, kernel=None) for p in default_registry()])
FULL_TABLES = (transform_table(range(10), range(10), 0), transform_table(range(10), range(10), 3))
ALL_ROWS = tuple(t for table in FULL_TABLES for t in table)
SHAPES = ((1, 1), (1, 2), (2, 1), (1, 7), (6, 1), (2, 2), (3, 3), (4, 6), (7, 7), (9, 4),
          (15, 20), (16, 16), (29, 30), (30, 30))


def reference(transform: Transform, grid: np.ndarray) -> np.ndarray | None:
    """The DSL reference result of a transform's expression on a grid (None: EvalError)."""
    try:
        return eval_expr(transform.expr(ast.Var("I")), {"I": grid}, REFERENCE)
    except EvalError:
        return None


def assert_kernel_matches(transform: Transform, grid: np.ndarray) -> None:
    ok, out = native.apply_transform(transform.kind, *transform.params, grid)
    expected = reference(transform, grid)
    where = f"{transform} on a {grid.shape} grid"
    assert ok == (expected is not None), where
    if ok:
        assert out.shape == expected.shape and np.array_equal(out, expected), where


def sweep_grids() -> list[np.ndarray]:
    """Fixed grids of many shapes: uniform, one or two colours, many colours, framed content."""
    rng = np.random.default_rng(7)
    out = []
    for shape in SHAPES:
        for n_colors in (1, 2, 10):
            palette = rng.choice(10, n_colors, replace=False)
            out.append(frozen(rng.choice(palette, size=shape).astype(np.uint8)))
        framed = np.zeros(shape, dtype=np.uint8)
        framed[1:-1, 1:-1] = rng.choice([0, 3, 5], size=(max(0, shape[0] - 2),
                                                         max(0, shape[1] - 2)))
        out.append(frozen(framed))
    return out


def test_tables_cover_every_kernel_kind() -> None:
    assert {t.kind for t in ALL_ROWS} == set(range(native.N_KINDS))


def test_every_transform_matches_the_reference_on_fixed_grids() -> None:
    for grid in sweep_grids():
        for transform in ALL_ROWS:
            assert_kernel_matches(transform, grid)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids(), st.sampled_from(ALL_ROWS))
def test_random_transform_matches_the_reference(grid: np.ndarray, transform: Transform) -> None:
    assert_kernel_matches(transform, grid)


PICK_ROWS = tuple(t for t in ALL_ROWS if t.template is not None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids(), st.sampled_from(PICK_ROWS))
def test_object_picks_match_the_reference(grid: np.ndarray, transform: Transform) -> None:
    assert_kernel_matches(transform, grid)


def test_object_picks_match_the_reference_on_ties_and_nested_objects() -> None:
    shapes = [np.array(rows, dtype=np.uint8) for rows in (
        [[0, 1, 1, 0, 2], [0, 1, 0, 0, 2], [3, 0, 0, 4, 4]],           # equal sizes tie
        [[5, 5, 5, 5], [5, 2, 2, 5], [5, 5, 5, 5], [0, 0, 0, 7]],      # a frame holds a part
        [[3, 3, 3], [3, 3, 3], [3, 3, 3]],                             # all one colour
        [[1, 0, 1], [0, 1, 0], [1, 0, 2]])]                            # 8- vs 4-connected
    for grid in shapes:
        for transform in PICK_ROWS:
            assert_kernel_matches(transform, frozen(grid))


def test_an_object_pick_prints_as_a_composition() -> None:
    table = transform_table((0, 1, 2), (0, 1, 2), 0)
    row = next(i for i, t in enumerate(table) if t.kind == native.PICK_OBJECT
               and t.params == (native.SEG_MULTICOLOR8, 0, native.PICK_LARGEST))
    text = program_text(path_expr(table, [row]))
    assert text == ("solve(I: Grid) -> Grid:\n    x1 = objects(I, connect=8, multicolor=true)\n"
                    "    x2 = argmax(x1, size)\n    O = obj_grid(x2)\n")
    grid = make_grid([[0, 0, 0, 0], [0, 1, 2, 0], [0, 2, 0, 0], [0, 0, 0, 3]])
    ok, out = native.apply_transform(table[row].kind, *table[row].params, grid)
    assert ok and out.tolist() == [[1, 2], [2, 0]]
    assert run_program(parse_program(text), [grid], REFERENCE)[0].tolist() == out.tolist()


SPREAD_ROWS = tuple(t for t in ALL_ROWS if t.kind >= native.SMEAR)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids(), st.sampled_from(SPREAD_ROWS))
def test_smears_outlines_in_place_picks_and_counts_match_the_reference(
        grid: np.ndarray, transform: Transform) -> None:
    assert_kernel_matches(transform, grid)


def test_every_new_kind_has_rows_in_a_small_table() -> None:
    kinds = {t.kind for t in transform_table((0, 1, 2), (0, 1, 2), 0)}
    assert set(range(native.SMEAR, native.N_KINDS)) <= kinds


@pytest.mark.parametrize("background", [0, 3])
def test_new_rows_print_as_programs_that_parse_and_run_like_the_kernels(background: int) -> None:
    table = transform_table((0, 1, 2, 3), (0, 1, 2, 3, 5), background)
    grid = make_grid([[3, 0, 0, 1, 1, 1], [0, 2, 0, 1, 1, 1], [0, 0, 0, 1, 1, 1],
                      [5, 3, 3, 0, 0, 2], [0, 3, 0, 0, 3, 0]])
    for row, transform in enumerate(table):
        if transform.kind < native.SMEAR:
            continue
        ok, out = native.apply_transform(transform.kind, *transform.params, grid)
        text = program_text(path_expr(table, [row]))
        result = run_program(parse_program(text), [grid], REFERENCE)[0]
        assert ok == (not isinstance(result, EvalError)), text
        if ok:
            assert np.array_equal(out, result), text


def row_of(table: tuple[Transform, ...], kind: int, params: tuple[int, int, int]) -> int:
    return next(i for i, t in enumerate(table) if t.kind == kind and t.params == params)


def test_a_smear_rays_every_cell_to_the_next_non_background_cell() -> None:
    table = transform_table((0, 1, 2), (0, 1, 2), 0)
    row = row_of(table, native.SMEAR, (1, 0, 0))          # direction 1: right
    grid = make_grid([[1, 0, 2, 0], [0, 0, 0, 0], [0, 2, 0, 0]])
    ok, out = native.apply_transform(table[row].kind, *table[row].params, grid)
    assert ok and out.tolist() == [[1, 1, 2, 2], [0, 0, 0, 0], [0, 2, 2, 2]]
    assert program_text(path_expr(table, [row])) == (
        "solve(I: Grid) -> Grid:\n    x1 = to_object(I)\n    O = object_rays(I, x1, 1)\n")
    empty = make_grid([[0, 0], [0, 0]])
    assert not native.apply_transform(table[row].kind, *table[row].params, empty)[0]


def test_an_in_place_pick_keeps_the_object_where_it_is() -> None:
    table = transform_table((0, 1, 2, 3), (0, 1, 2, 3), 0)
    keep = row_of(table, native.PICK_KEEP, (native.SEG_COLOR_GROUPS, 0, native.PICK_SMALLEST))
    cover = row_of(table, native.PICK_COVER, (native.SEG_COLOR_GROUPS, 0, native.PICK_SMALLEST))
    grid = make_grid([[1, 1, 0], [0, 3, 1], [2, 2, 0]])
    for row, expected in ((keep, [[0, 0, 0], [0, 3, 0], [0, 0, 0]]),
                          (cover, [[1, 1, 0], [0, 0, 1], [2, 2, 0]])):
        ok, out = native.apply_transform(table[row].kind, *table[row].params, grid)
        assert ok and out.tolist() == expected
        text = program_text(path_expr(table, [row]))
        assert run_program(parse_program(text), [grid], REFERENCE)[0].tolist() == expected


def test_painted_object_parts_match_the_reference_on_nested_and_touching_objects() -> None:
    table = transform_table((0, 2, 5), (0, 2, 5, 8), 5)
    rows = [i for i, t in enumerate(table) if t.kind == native.PAINT_PARTS]
    assert {table[i].params[0] for i in rows} == set(range(native.N_PARTS))
    grids_ = [make_grid([[5, 2, 5, 5, 5], [5, 2, 5, 0, 0], [5, 2, 2, 0, 0], [5, 5, 5, 0, 5]]),
              make_grid([[2, 2, 2, 2], [2, 2, 2, 2], [2, 2, 2, 2]]),
              make_grid([[0, 0, 0], [0, 8, 0], [0, 0, 0]]),
              make_grid([[5, 5], [5, 5]])]
    for grid in grids_:
        for row in rows:
            assert_kernel_matches(table[row], frozen(grid))
    bottom = row_of(table, native.PAINT_PARTS, (native.PART_BOTTOM, 8, 5))
    assert program_text(path_expr(table, [bottom])) == \
        "solve(I: Grid) -> Grid:\n    O = paint_object_parts(I, 3, sky, bg=grey)\n"
    ok, out = native.apply_transform(native.PAINT_PARTS, native.PART_BOTTOM, 8, 5, grids_[0])
    assert ok and out.tolist() == [[5, 2, 5, 5, 5], [5, 2, 5, 0, 0], [5, 8, 8, 0, 0],
                                   [5, 5, 5, 8, 5]]


def test_a_count_render_draws_the_count_in_the_commonest_colour() -> None:
    table = transform_table((0, 1, 2), (0, 1, 2), 0)
    row = row_of(table, native.COUNT_RENDER,
                 (native.SEG_MULTICOLOR8, 0, native.RENDER_ROW))
    grid = make_grid([[1, 0, 0, 2], [1, 0, 0, 0], [0, 0, 1, 1]])
    ok, out = native.apply_transform(table[row].kind, *table[row].params, grid)
    assert ok and out.tolist() == [[1, 1, 1]]
    assert program_text(path_expr(table, [row])) == (
        "solve(I: Grid) -> Grid:\n    x1 = most_common_fg(I)\n"
        "    x2 = objects(I, connect=8, multicolor=true)\n    x3 = count(x2)\n"
        "    O = canvas(x1, 1, x3)\n")


def colour_bits(grid: np.ndarray) -> int:
    return sum(1 << int(c) for c in np.unique(grid))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids(max_colors=3), st.sampled_from(ALL_ROWS))
def test_a_transform_said_to_leave_a_value_unchanged_does(grid: np.ndarray,
                                                          transform: Transform) -> None:
    if native.leaves_unchanged(transform.kind, *transform.params, colour_bits(grid)):
        expected = reference(transform, grid)
        assert expected is not None and np.array_equal(expected, grid), transform


def test_transforms_of_absent_colours_are_known_to_change_nothing() -> None:
    grid = make_grid([[0, 1], [1, 1]])
    bits = colour_bits(grid)
    table = transform_table(range(10), range(10), 0)
    skipped = {t.primitive for t in table if native.leaves_unchanged(t.kind, *t.params, bits)}
    assert {"replace", "swap_colors", "remove_color", "fill_rows_with", "keep_color",
            "recolor_all"} <= skipped
    assert not skipped & {"rot90", "flip_h", "tile", "draw_border", "pad", "invert_colors"}


def test_spreads_of_a_value_without_background_are_known_to_change_nothing() -> None:
    bits = colour_bits(make_grid([[1, 2], [2, 2]]))
    table = transform_table(range(10), range(10), 0)
    skipped = {t.kind for t in table if native.leaves_unchanged(t.kind, *t.params, bits)}
    assert {native.SMEAR, native.OUTLINE, native.CONNECT_SAME} <= skipped
    assert not skipped & {native.PICK_KEEP, native.PICK_COVER, native.COUNT_RENDER}
    with_bg = colour_bits(make_grid([[0, 2], [2, 2]]))
    assert not any(native.leaves_unchanged(t.kind, *t.params, with_bg) for t in table
                   if t.kind in (native.SMEAR, native.OUTLINE, native.CONNECT_SAME))


def test_path_expr_prints_the_dsl_call() -> None:
    table = transform_table((0, 2), (0, 2, 4), 5)
    by_name: dict[str, int] = {}
    for i, t in enumerate(table):
        by_name.setdefault(t.primitive, i)
    expr = path_expr(table, [by_name["rot90"], by_name["gravity"]])
    assert program_text(expr) == ("solve(I: Grid) -> Grid:\n    x1 = rot90(I)\n"
                                  "    O = gravity(x1, 0, bg=grey)\n")


def value_key(grids_: list[np.ndarray]) -> tuple:
    return tuple((g.shape, g.tobytes()) for g in grids_)


def python_closure(roots: list[np.ndarray], table: tuple[Transform, ...], depth: int,
                   max_side: int) -> set[tuple]:
    """The closure's distinct values, breadth-first through the reference interpreter (the
    `root_only` kinds applied to the roots alone)."""
    seen = {value_key(roots)}
    frontier = [roots]
    for level in range(depth):
        following = []
        for value in frontier:
            for transform in table:
                if level > 0 and native.root_only(transform.kind):
                    continue
                results = [reference(transform, g) for g in value]
                if any(r is None or max(r.shape) > max_side for r in results):
                    continue
                key = value_key(results)
                if key not in seen:
                    seen.add(key)
                    following.append(results)
        frontier = following
    return seen


# the kinds added with the in-place picks that segment grids into objects: the reference's
# object lists are slow, so they get their own closure test (many small examples)
SEGMENTING_LATER = (native.PICK_KEEP, native.PICK_COVER, native.COUNT_RENDER, native.DENOISE,
                    native.PAINT_PARTS)


def test_distinct_values_equal_a_python_closure() -> None:
    roots = [make_grid([[0, 1, 0], [2, 0, 0], [0, 0, 1]]), make_grid([[1, 1, 0, 2], [0, 0, 2, 2]])]
    table = tuple(t for t in transform_table((0, 1, 2), (0, 1, 2), 0)
                  if t.kind not in SEGMENTING_LATER)
    closure = native.Closure(roots, roots[:1], kernel_rows(table), max_side=6)
    for _ in closure.run(2, 10 ** 9, lambda: False):
        pass
    expected = python_closure(roots, table, 2, 6)
    assert closure.n_nodes == len(expected)
    assert {value_key(closure.grids(n)) for n in range(closure.n_nodes)} == expected
    assert closure.depth_completed() == 2


def test_cached_segmentations_equal_fresh_ones_across_many_examples() -> None:
    rng = np.random.default_rng(11)
    roots = [frozen(rng.choice([0, 0, 1, 2, 5], size=(int(rng.integers(2, 6)),
                                                       int(rng.integers(2, 6)))).astype(np.uint8))
             for _ in range(9)]     # 9 examples x 4 segmentations: more than the cache slots
    segmenting = (native.PICK_OBJECT, native.PICK_SUBGRID) + SEGMENTING_LATER
    table = tuple(t for t in transform_table((0, 1, 2, 5), (0, 1, 2, 5), 0)
                  if t.kind in segmenting or t.primitive in ("rot90", "flip_h", "trim"))
    closure = native.Closure(roots, roots[:1], kernel_rows(table), max_side=8)
    for _ in closure.run(2, 10 ** 9, lambda: False):
        pass
    assert native.SEG_SLOTS < 4 * len(roots)
    assert {value_key(closure.grids(n)) for n in range(closure.n_nodes)} == \
        python_closure(roots, table, 2, 8)


def test_chunks_and_growth_do_not_change_the_closure() -> None:
    rng = np.random.default_rng(3)
    roots = [frozen(rng.choice([0, 0, 4, 7], size=s).astype(np.uint8)) for s in ((5, 6), (7, 4))]
    rows = kernel_rows(transform_table((0, 4, 7), (0, 4, 7, 9), 0))
    whole = native.Closure(roots, roots[:1], rows)
    for _ in whole.run(3, 10 ** 9, lambda: False):
        pass
    chunked = native.Closure(roots, roots[:1], rows)
    for _ in chunked.run(3, 10 ** 9, lambda: False, chunk_calls=997):
        pass
    assert whole.n_nodes == chunked.n_nodes > 4096   # past the first capacity: arrays grew
    n = whole.n_nodes
    assert np.array_equal(whole.hashes[:n], chunked.hashes[:n])
    assert np.array_equal(whole.parents[:n], chunked.parents[:n])


def synthetic_task(program: str, seed: int = 0) -> tuple[Challenge, list[np.ndarray]]:
    """A task whose outputs are the reference interpreter's results of `program` on framed
    random shapes; returns the challenge and the test outputs."""
    rng = np.random.default_rng(seed)
    inputs = []
    for _ in range(4):
        grid = np.zeros((int(rng.integers(8, 13)), int(rng.integers(8, 13))), dtype=np.uint8)
        top, left = int(rng.integers(0, 4)), int(rng.integers(0, 4))
        grid[top:top + 4, left:left + 3] = rng.choice([0, 2, 6], size=(4, 3))
        grid[top, left] = 2
        grid[top + 3, left + 2] = 6
        inputs.append(frozen(grid))
    outputs = run_program(parse_program(program), inputs, REFERENCE)
    train = tuple(Example(i, make_grid(o)) for i, o in zip(inputs[:3], outputs[:3]))
    return Challenge("synthetic", train, (inputs[3],)), outputs[3:]


@pytest.mark.parametrize("program", [
    "solve(I: Grid) -> Grid:\n    x1 = trim(I)\n    O = flip_h(x1)\n",
    "solve(I: Grid) -> Grid:\n    x1 = trim(I)\n    x2 = rot90(x1)\n    O = upscale(x2, 2)\n",
])
def test_proposer_finds_a_composition_and_it_verifies(program: str) -> None:
    task, test_outputs = synthetic_task(program)
    proposer = ClosureProposer()
    found = list(proposer.propose(task, analyse(task), Budget.from_seconds(60), Pool()))
    assert found and isinstance(found[0], ProgramCandidate)
    best = found[0]
    results = run_program(parse_program(best.program), list(task.inputs), REFERENCE)
    assert all(np.array_equal(r, ex.output) for r, ex in zip(results, task.train))
    assert np.array_equal(results[-1], test_outputs[0])
    assert best.program.count("\n") == program.count("\n")   # as short as the original


def test_proposer_keeps_the_smallest_colour_in_place_and_outlines_it() -> None:
    program = ("solve(I: Grid) -> Grid:\n    x1 = color_groups(I)\n    x2 = argmin(x1, size)\n"
               "    x3 = object_mask(I, x2)\n    x4 = mask_not(x3)\n"
               "    x5 = fill_mask(I, x4, black)\n    x6 = to_object(x5)\n"
               "    O = outline(x5, x6, red, connect=8)\n")
    rng = np.random.default_rng(5)
    inputs = []
    for lone in (6, 7, 8, 4):      # the one cell of its colour, a colour per example
        grid = rng.choice([0, 0, 0, 1, 1, 3, 3, 3], size=(9, 10)).astype(np.uint8)
        grid[int(rng.integers(1, 8)), int(rng.integers(1, 9))] = lone
        inputs.append(frozen(grid))
    outputs = run_program(parse_program(program), inputs, REFERENCE)
    task = Challenge("in-place", tuple(Example(i, make_grid(o))
                                       for i, o in zip(inputs[:3], outputs[:3])), (inputs[3],))
    found = list(ClosureProposer().propose(task, analyse(task), Budget.from_seconds(60), Pool()))
    assert found, "the closure reached the in-place pick and its outline"
    results = run_program(parse_program(found[0].program), list(task.inputs), REFERENCE)
    assert all(np.array_equal(r, ex.output) for r, ex in zip(results, task.train))
    assert np.array_equal(results[-1], outputs[3])


def test_colour_mapped_values_are_finished_with_map_colors() -> None:
    task, _ = synthetic_task("solve(I: Grid) -> Grid:\n    x1 = trim(I)\n    x2 = flip_v(x1)\n"
                             "    O = replace(x2, 6, 8)\n")
    analysis = replace(analyse(task), output_palette=frozenset({0, 2}))  # 8 is not offered
    found = list(ClosureProposer().propose(task, analysis, Budget.from_seconds(60), Pool()))
    mapped = [c for c in found if "map_colors" in c.program]
    assert mapped and all(c.prior < 1.0 for c in mapped)
    results = run_program(parse_program(mapped[0].program), list(task.inputs), REFERENCE)
    assert all(np.array_equal(r, ex.output) for r, ex in zip(results, task.train))


def test_a_tiny_work_limit_stops_the_closure() -> None:
    task, _ = synthetic_task("solve(I: Grid) -> Grid:\n    x1 = rot90(I)\n    x2 = rot90(x1)\n"
                             "    O = compress(x2)\n")
    budget = Budget.from_seconds(60, work_limit=3)
    proposer = ClosureProposer()
    list(proposer.propose(task, analyse(task), budget, Pool()))
    stats = proposer.stats()
    assert 0 < stats["applications"] <= 3 * NATIVE_CALLS_PER_EVALUATION
    assert stats["depth_completed"] <= 1
    assert budget.meter.spent >= work_units(stats["applications"]) > 0


def test_work_limited_runs_are_reproducible() -> None:
    task, _ = synthetic_task("solve(I: Grid) -> Grid:\n    x1 = trim(I)\n    O = tile(x1, 2, 3)\n")
    figures = []
    for _ in range(2):
        proposer = ClosureProposer()
        budget = Budget.from_seconds(60, work_limit=400)
        programs = [c.program for c in proposer.propose(task, analyse(task), budget, Pool())]
        figures.append((programs, proposer.stats()["values"], budget.meter.spent))
    assert figures[0] == figures[1]
    assert figures[0][2] <= 400 + len(figures[0][0]) + 1


def test_an_expired_deadline_stops_before_expanding() -> None:
    task, _ = synthetic_task("solve(I: Grid) -> Grid:\n    O = flip_h(I)\n")
    proposer = ClosureProposer()
    assert list(proposer.propose(task, analyse(task), Budget.from_seconds(0.0), Pool())) == []
    assert proposer.stats()["applications"] == 0


def test_bench_closure_reports_rates_depth_and_the_ratio() -> None:
    from benchmarks import bench_closure
    task, _ = synthetic_task("solve(I: Grid) -> Grid:\n    x1 = trim(I)\n    O = flip_h(x1)\n")
    result = bench_closure.bench({"synthetic": task}, 5.0, 2, 2000, 300, lambda _: None)
    row = result["tasks"]["synthetic"]
    assert row["match"] == "exact" and result["exact"] == 1
    assert row["depth_completed"] == 2 and row["values"] > 1
    assert row["work"]["applications"] == 2000 and row["ratio"] > 0
    again = bench_closure.counted_closure(task, 2000, 2)
    assert again["digest"] == row["work"]["digest"] and len(again["digest"]) == 16
    assert bench_closure.counted_closure(task, 1000, 2)["digest"] != again["digest"]


def test_an_output_no_single_value_equals_is_composed_by_pieces() -> None:
    program = ("solve(I: Grid) -> Grid:\n    x1 = trim(I)\n    x2 = rot180(x1)\n"
               "    x3 = keep_color(x2, 6)\n    O = overlay(x1, x3)\n")
    task, test_outputs = synthetic_task(program)
    proposer = ClosureProposer()
    found = list(proposer.propose(task, analyse(task), Budget.from_seconds(60), Pool()))
    composed = [c for c in found if "overlay" in c.program]
    assert composed, "the closure's values were composed by pieces"
    results = run_program(parse_program(composed[0].program), list(task.inputs), REFERENCE)
    assert all(np.array_equal(r, ex.output) for r, ex in zip(results, task.train))
    assert np.array_equal(results[-1], test_outputs[0])


def test_shaped_nodes_are_the_values_shaped_like_the_train_outputs() -> None:
    task, _ = synthetic_task("solve(I: Grid) -> Grid:\n    O = trim(I)\n")
    table = transform_table((0, 2, 6), (0, 2, 6), 0)
    closure = native.Closure(list(task.inputs), [ex.output for ex in task.train],
                             kernel_rows(table))
    for _ in closure.run(2, 10 ** 7, lambda: False):
        pass
    shapes = [ex.output.shape for ex in task.train]
    nodes = shaped_nodes(closure, shapes, 10 ** 6)
    expected = [node for node in range(closure.n_nodes)
                if all(g.shape == s for g, s in zip(closure.grids(node), shapes))]
    assert list(nodes) == expected and len(expected) > 1
    assert list(shaped_nodes(closure, shapes, 1)) == expected[:1]
