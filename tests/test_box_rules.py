"""Tests for `paint_boxes` (dsl/primitives/drawing.py), the box-rule learner
(`synth.search.box_rules`) and the enumerative proposer's use of it."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.primitives.drawing import (BOX_ANCHORS, BOX_REGIONS, OWN_COLOR, box_anchors,
                                    box_region, paint_boxes)
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.box_rules import BoxRule, apply_box_rule, learn_box_rule
from synth.select.verify import verified
from tests.strategies import colors, covers, grids

FAST = settings(max_examples=60, deadline=None)


def g(*rows: str) -> np.ndarray:
    """A grid from rows of digits ('.' is 0)."""
    return np.array([[int(ch) for ch in row.replace(".", "0")] for row in rows], dtype=np.uint8)


def test_each_colours_box_is_filled_in_its_colour() -> None:
    grid = g("3....", "....3", ".4...", "...4.")
    assert paint_boxes(grid, 0, 0, OWN_COLOR).tolist() == g(
        "33333", "33333", ".444.", ".444.").tolist()


def test_objects_get_a_ring_just_outside_their_box() -> None:
    grid = g(".....", ".12..", ".....", ".....")
    assert paint_boxes(grid, 1, 2, 5).tolist() == g(
        "5555.", "5125.", "5555.", ".....").tolist()


def test_the_box_of_all_cells_shrunk_by_one_is_outlined() -> None:
    grid = g("..5....", ".......", ".......", "5.....5", ".......", ".......", "..5....")
    assert paint_boxes(grid, 2, 4, 3).tolist() == g(
        "..5....", ".33333.", ".3...3.", "53...35", ".3...3.", ".33333.", "..5....").tolist()


def test_the_gap_between_facing_objects_is_filled_inside_their_shared_rows() -> None:
    grid = g("44.....", "44...66", "44...66", "44...66", "44.....")
    assert paint_boxes(grid, 3, 0, 8).tolist() == g(
        "44.....", "4488866", "4488866", "4488866", "44.....").tolist()
    assert paint_boxes(grid, 3, 5, 8).tolist() == g(
        "44.....", "44...66", "4488866", "44...66", "44.....").tolist()


def test_objects_with_another_between_them_do_not_face() -> None:
    grid = g("1.2.1")
    assert paint_boxes(grid, 3, 0, OWN_COLOR).tolist() == grid.tolist()
    assert paint_boxes(g("1...1"), 3, 0, OWN_COLOR).tolist() == g("11111").tolist()


def test_out_of_range_settings_raise() -> None:
    for args in ((4, 0, 1), (0, 6, 1), (0, 0, 10), (0, 0, -2)):
        try:
            paint_boxes(g("1.."), *args)
        except EvalError:
            continue
        raise AssertionError(f"no EvalError for {args}")


@covers("paint_boxes")
@FAST
@given(grids(max_side=10, max_colors=4), st.sampled_from(BOX_ANCHORS),
       st.sampled_from(BOX_REGIONS), st.one_of(st.just(OWN_COLOR), colors),
       st.sampled_from([0, 5]))
def test_boxes_only_paint_background_cells_inside_the_regions(
        grid: np.ndarray, anchors: int, region: int, color: int, bg: int) -> None:
    out = np.asarray(paint_boxes(grid, anchors, region, color, bg))
    assert out.shape == grid.shape
    changed = out != grid
    assert (grid[changed] == bg).all()
    union = np.zeros(grid.shape, dtype=bool)
    for box, _ in box_anchors(grid, anchors, bg):
        union |= box_region(grid.shape, box, region)
    assert not (changed & ~union).any()
    if color not in (OWN_COLOR, bg):
        assert np.array_equal(changed, union & (grid == bg))


def task_of(inputs: list[np.ndarray], test: np.ndarray, rule: BoxRule) -> Challenge:
    pairs = tuple(Example(make_grid(x), make_grid(apply_box_rule(x, rule))) for x in inputs)
    return Challenge("boxes", pairs, (make_grid(test),))


def identity_values(task: Challenge) -> tuple:
    return (*(ex.input for ex in task.train), *task.test_inputs)


@settings(max_examples=30, deadline=None)
@given(st.lists(grids(min_side=3, max_side=9, max_colors=3), min_size=3, max_size=3),
       st.sampled_from(BOX_ANCHORS), st.sampled_from(BOX_REGIONS),
       st.one_of(st.just(OWN_COLOR), colors))
def test_a_rule_found_reproduces_every_train_pair(inputs: list[np.ndarray], anchors: int,
                                                  region: int, color: int) -> None:
    task = task_of(inputs[:2], inputs[2], BoxRule(anchors, region, color, 0))
    rule = learn_box_rule(identity_values(task), task, 0)
    if rule is not None:
        for ex in task.train:
            assert np.array_equal(apply_box_rule(np.asarray(ex.input), rule), ex.output)


GAPS = [g("..........", ".444...666", ".444...666", ".444...666", ".444...666", ".444...666",
          ".444...666", ".........."),
        g(".2222.....", ".2222.....", "..........", "..........", "..........",
          "..........", "777777....", "777777...."),
        g("...........", "33......11.", "33......11.", "33......11.", "33......11.",
          "33......11.", "..........2")]
GAPS_TEST = g("..........", "..........", ".5555.....", ".5555.....", ".5555.....",
              "..........", "..........", "..........", "..........", ".99999....",
              ".99999....")
GAPS_RULE = BoxRule(3, 5, 8, 0)


def test_the_gap_between_two_blocks_is_learned() -> None:
    task = task_of(GAPS, GAPS_TEST, GAPS_RULE)
    rule = learn_box_rule(identity_values(task), task, 0, cross_validate=True)
    assert rule == GAPS_RULE
    assert np.array_equal(apply_box_rule(GAPS_TEST, rule), paint_boxes(GAPS_TEST, 3, 5, 8))


def test_a_rule_that_paints_nothing_on_a_test_input_is_rejected() -> None:
    task = task_of(GAPS, g("1....", ".....", "....2"), GAPS_RULE)
    assert learn_box_rule(identity_values(task), task, 0) is None


def test_a_rule_that_paints_every_background_cell_is_rejected() -> None:
    inputs = [g("1..", "...", "..1"), g(".2", "2.")]
    task = task_of(inputs, g("3.", ".3"), BoxRule(0, 0, OWN_COLOR, 0))
    assert learn_box_rule(identity_values(task), task, 0) is None


def test_the_search_solves_a_task_of_gaps_between_blocks() -> None:
    task = task_of(GAPS, GAPS_TEST, GAPS_RULE)
    found = list(EnumerativeProposer().propose(
        task, analyse(task), Budget.from_seconds(60, work_limit=3000), Pool()))
    ruled = [c for c in found if "paint_boxes(" in c.program and verified(c, task)]
    assert ruled, [c.program for c in found]
    program = parse_program(ruled[0].program)
    assert all(np.array_equal(out, ex.output) for out, ex in
               zip(run_program(program, [ex.input for ex in task.train]), task.train))
    expected = paint_boxes(GAPS_TEST, *GAPS_RULE)
    assert np.array_equal(run_program(program, [GAPS_TEST])[0], expected)
