"""Tests for `cast_rays` (dsl/primitives/drawing.py), the line-rule learner
(`synth.search.line_rules`) and the enumerative proposer's use of it."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.primitives.drawing import (OWN_COLOR, RAY_CELLS, RAY_DIRECTIONS, RAY_STOPS, cast_rays,
                                    ray_objects)
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.line_rules import (Atom, LineRule, apply_rule, consistent, covered,
                                     learn_line_rule, pair_rays)
from synth.select.verify import verified
from tests.strategies import colors, covers, grids

FAST = settings(max_examples=60, deadline=None)


def g(*rows: str) -> np.ndarray:
    """A grid from rows of digits ('.' is 0)."""
    return np.array([[int(ch) for ch in row.replace(".", "0")] for row in rows], dtype=np.uint8)


def test_every_cell_casts_down_until_another_object() -> None:
    grid = g("1..2", "....", "..3.", "....")
    assert cast_rays(grid, 10, 2, 1, OWN_COLOR).tolist() == g(
        "1..2", "1..2", "1.32", "1.32").tolist()


def test_rays_over_objects_to_the_border_paint_only_background() -> None:
    grid = g("4...", "....", "..5.", "....")
    assert cast_rays(grid, 4, 5, 0, 7).tolist() == g("4...", ".7..", "..5.", "...7").tolist()
    assert cast_rays(grid, 4, 5, 1, 7).tolist() == g("4...", ".7..", "..5.", "....").tolist()


def test_the_rarest_colour_casts_through_its_object_toward_the_centre() -> None:
    grid = g(".....", ".....", ".333.", "..4..", ".....")
    assert cast_rays(grid, 11, 11, 0, OWN_COLOR).tolist() == g(
        "..4..", "..4..", ".333.", "..4..", ".....").tolist()
    assert cast_rays(grid, 11, 11, 1, OWN_COLOR).tolist() == g(
        "..4..", "..4..", ".333.", "..4..", ".....").tolist()
    assert cast_rays(grid, 11, 2, 0, OWN_COLOR).tolist() == g(
        ".....", ".....", ".333.", "..4..", "..4..").tolist()


def test_front_cells_alone_cast_along_the_direction() -> None:
    grid = g("....", ".22.", ".22.", "....")
    assert cast_rays(grid, 10, 7, 2, OWN_COLOR).tolist() == g(
        "2...", ".22.", ".22.", "....").tolist()
    assert cast_rays(grid, 10, 7, 0, OWN_COLOR).tolist() == g(
        "22..", "222.", ".22.", "....").tolist()


def test_diagonal_tips_cast_diagonally_from_the_front() -> None:
    grid = g("......", ".33...", ".33...", "...3..", "......", "......")
    assert cast_rays(grid, 12, 9, 2, OWN_COLOR).tolist() == g(
        "......", ".33...", ".33...", "...3..", "....3.", ".....3").tolist()


def test_only_rays_that_meet_a_multi_cell_object_are_cast() -> None:
    grid = g("1...1", ".....", "1.22.", "..22.", "..6..")
    assert cast_rays(grid, 10, 13, 1, OWN_COLOR).tolist() == g(
        "1...1", ".....", "1122.", "..22.", "..6..").tolist()
    assert cast_rays(grid, 10, 12, 1, OWN_COLOR).tolist() == g(  # the block paints last
        "11111", "1....", "1222.", "..22.", "..6..").tolist()


def test_rays_between_cells_of_one_colour_in_any_direction() -> None:
    grid = g("1...1", ".....", "..2..", ".....", "1...2")
    assert cast_rays(grid, 10, 14, 1, OWN_COLOR).tolist() == g(
        "11111", "1....", "1.2..", "1..2.", "1...2").tolist()


@covers("cast_rays")
@FAST
@given(grids(max_side=12), st.sampled_from(RAY_CELLS), st.sampled_from(RAY_DIRECTIONS),
       st.sampled_from(RAY_STOPS), st.one_of(st.just(OWN_COLOR), colors), st.sampled_from([0, 5]))
def test_rays_only_paint_background_cells_on_lines_from_cells(
        grid: np.ndarray, cells: int, dirs: int, stop: int, color: int, bg: int) -> None:
    out = np.asarray(cast_rays(grid, cells, dirs, stop, color, bg))
    assert out.shape == grid.shape
    changed = out != grid
    assert (grid[changed] == bg).all()
    rows, cols = np.nonzero(grid != bg)
    for r, c in zip(*np.nonzero(changed)):
        assert ((rows == r) | (cols == c) | (np.abs(rows - r) == np.abs(cols - c))).any()
    if color != OWN_COLOR:
        assert (out[changed] == color).all()
    else:
        assert set(out[changed].tolist()) <= set(grid[grid != bg].tolist())


@FAST
@given(grids(max_side=12))
def test_objects_are_the_8_connected_non_background_components(grid: np.ndarray) -> None:
    labels = ray_objects(grid, 0)
    assert ((labels >= 0) == (grid != 0)).all()
    h, w = grid.shape
    for r, c in zip(*np.nonzero(grid)):
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                y, x = r + dr, c + dc
                if 0 <= y < h and 0 <= x < w and grid[y, x]:
                    assert labels[y, x] == labels[r, c]


@FAST
@given(grids(max_side=10, max_colors=4), st.sampled_from(RAY_CELLS),
       st.sampled_from(RAY_DIRECTIONS), st.sampled_from(RAY_STOPS),
       st.one_of(st.just(OWN_COLOR), colors), st.sampled_from([0, 5]))
def test_the_learners_rays_equal_cast_rays(grid: np.ndarray, cells: int, dirs: int, stop: int,
                                           color: int, bg: int) -> None:
    """The learner's fast path (`pair_rays`) paints what the reference paints."""
    out = np.asarray(cast_rays(grid, cells, dirs, stop, color, bg))
    rays = pair_rays(grid, out, bg)
    atom = Atom(cells, dirs, stop, color)
    if color != bg:
        assert np.array_equal(covered(rays, atom), (out != grid).ravel())
    if color not in (bg, OWN_COLOR):
        assert consistent(rays, atom)


def task_of(inputs: list[np.ndarray], test: np.ndarray, atom: Atom) -> Challenge:
    pairs = tuple(Example(make_grid(x), make_grid(np.asarray(cast_rays(x, *atom))))
                  for x in inputs)
    return Challenge("lines", pairs, (make_grid(test),))


def identity_values(task: Challenge) -> tuple:
    return (*(ex.input for ex in task.train), *task.test_inputs)


@settings(max_examples=30, deadline=None)
@given(st.lists(grids(min_side=3, max_side=9, max_colors=3), min_size=3, max_size=3),
       st.sampled_from(RAY_CELLS[10:]), st.sampled_from(RAY_DIRECTIONS),
       st.sampled_from(RAY_STOPS), st.one_of(st.just(OWN_COLOR), colors))
def test_a_rule_found_reproduces_every_train_pair(inputs: list[np.ndarray], cells: int,
                                                  dirs: int, stop: int, color: int) -> None:
    atom = Atom(cells, dirs, stop, color)
    task = task_of(inputs[:2], inputs[2], atom)
    rule = learn_line_rule(identity_values(task), task, 0)
    if rule is not None:
        for ex in task.train:
            assert np.array_equal(apply_rule(np.asarray(ex.input), rule), ex.output)


TOWARD = [g("....1.....", "..........", "..........", "1...33...7", "....33....",
            "..........", "..........", "6....2..6.", "..........", "....9....."),
          g("...2......", "2........2", "..........", "...33.....", "...33...4.",
            "..........", "....8.....", "..........", "........5.", "3........."),
          g("..........", ".7......6.", ".....5....", "..........", "..44......",
            "..44....7.", "..........", "1.........", "..1....3..", "..........")]
TOWARD_TEST = g(".....6....", "..........", "8........8", "..........", ".....22..3",
                "2....22...", "..........", "..........", "......7...", "..........")
TOWARD_ATOM = Atom(10, 13, 1, OWN_COLOR)


def test_rays_toward_the_block_are_learned() -> None:
    task = task_of(TOWARD, TOWARD_TEST, TOWARD_ATOM)
    rule = learn_line_rule(identity_values(task), task, 0, cross_validate=True)
    assert rule is not None
    assert np.array_equal(apply_rule(TOWARD_TEST, rule), cast_rays(TOWARD_TEST, *TOWARD_ATOM))


def test_a_rule_that_paints_nothing_on_a_test_input_is_rejected() -> None:
    task = task_of(TOWARD, g("1....", ".....", "....2"), TOWARD_ATOM)
    assert learn_line_rule(identity_values(task), task, 0) is None


def test_two_colours_in_two_directions_need_two_atoms() -> None:
    inputs = [g("......", ".11...", ".11...", "......", "...22.", "...22.", "......"),
              g(".......", "....22.", "....22.", ".......", "..11...", "..11...", "......."),
              g("......", "....11", "....11", ".22...", ".22...", "......")]
    test = g(".......", "...22..", "...22..", ".......", ".11....", ".11....", ".......")
    first, second = Atom(1, 7, 3, OWN_COLOR), Atom(2, 5, 3, OWN_COLOR)
    pairs = tuple(Example(make_grid(x), make_grid(apply_rule(x, LineRule((first, second), 0))))
                  for x in inputs)
    task = Challenge("two", pairs, (make_grid(test),))
    rule = learn_line_rule(identity_values(task), task, 0)
    assert rule is not None and len(rule.atoms) == 2
    assert np.array_equal(apply_rule(test, rule), apply_rule(test, LineRule((first, second), 0)))


def test_the_search_solves_a_task_of_rays_toward_a_block() -> None:
    task = task_of(TOWARD, TOWARD_TEST, TOWARD_ATOM)
    found = list(EnumerativeProposer().propose(
        task, analyse(task), Budget.from_seconds(60, work_limit=3000), Pool()))
    ruled = [c for c in found if "cast_rays(" in c.program and verified(c, task)]
    assert ruled, [c.program for c in found]
    program = parse_program(ruled[0].program)
    assert all(np.array_equal(out, ex.output) for out, ex in
               zip(run_program(program, [ex.input for ex in task.train]), task.train))
    expected = cast_rays(TOWARD_TEST, *TOWARD_ATOM)
    assert np.array_equal(run_program(program, [TOWARD_TEST])[0], expected)
