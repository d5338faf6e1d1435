"""Object parts as `recolor_objects` components: the interiors of objects (mode 8) and the
background inside objects' bounding boxes (mode 9). Their segmentation on hand-made grids and
as Hypothesis properties, rules learned over them, and the enumerative proposer solving small
hand-made tasks of each kind (hollowing or filling shapes, closing the gaps of corners)."""
from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.primitives.objects import (OBJECT_MODES, object_rule_kind, recolor_objects,
                                    segment_objects)
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.object_rules import learn_object_rule
from synth.select.verify import verified
from tests.strategies import colors, grids

FAST = settings(max_examples=80, deadline=None)
INTERIORS, BOX_BACKGROUND = 8, 9
FOUR = ((-1, 0), (0, 1), (1, 0), (0, -1))


def components(grid: np.ndarray, mode: int, bg: int = 0) -> list[set[tuple[int, int]]]:
    """`segment_objects` as a list of cell sets, in its numbering."""
    comp, n = segment_objects(grid, mode, bg)
    return [{(int(r), int(c)) for r, c in zip(*np.nonzero(comp == i))} for i in range(n)]


def test_the_modes_are_named() -> None:
    assert OBJECT_MODES[INTERIORS] == "object interiors"
    assert OBJECT_MODES[BOX_BACKGROUND] == "background in object boxes"


# --- segmentation on hand-made grids ------------------------------------------------------------

RINGS = make_grid([[2, 2, 2, 2, 0, 0, 0],
                   [2, 2, 2, 2, 0, 3, 0],
                   [2, 2, 2, 2, 0, 0, 3],
                   [2, 2, 1, 2, 0, 3, 0],
                   [0, 0, 0, 0, 0, 0, 0],
                   [4, 4, 4, 0, 5, 5, 5]])


def test_interiors_are_cells_whose_four_neighbours_share_their_colour() -> None:
    # (1, 1), (1, 2) and (2, 1) are inside the red block; (2, 2) touches the blue cell; the
    # bottom row touches the grid's edge, so it has no interior.
    assert components(RINGS, INTERIORS) == [{(1, 1), (1, 2), (2, 1)}]


def test_box_background_is_the_bg_inside_eight_connected_objects_boxes() -> None:
    # The green cells form one 8-connected object whose box holds five black cells, split
    # 4-wise into three parts; the blocks fill their boxes and the blue cell is its own box.
    assert components(RINGS, BOX_BACKGROUND) == [{(1, 6)}, {(2, 5)}, {(3, 6)}]


def test_hollowing_and_filling_by_recolor_objects() -> None:
    hollow = recolor_objects(RINGS, object_rule_kind("size", INTERIORS), (-1,), (0,))
    assert hollow[1].tolist() == [2, 0, 0, 2, 0, 3, 0] and hollow[2, 1] == 0
    filled = recolor_objects(RINGS, object_rule_kind("size", BOX_BACKGROUND), (-1,), (7,))
    assert filled[1:4, 5:7].tolist() == [[3, 7], [7, 3], [3, 7]]
    assert np.array_equal(np.delete(filled, [5, 6], axis=1), np.delete(RINGS, [5, 6], axis=1))


# --- properties ---------------------------------------------------------------------------------

@FAST
@given(grids(max_side=9, max_colors=3), colors)
def test_interior_components_are_single_coloured_and_surrounded(grid: np.ndarray,
                                                                 bg: int) -> None:
    h, w = grid.shape
    for cells in components(grid, INTERIORS, bg):
        assert len({int(grid[cell]) for cell in cells}) == 1
        for r, c in cells:
            assert grid[r, c] != bg
            assert all(0 <= r + dr < h and 0 <= c + dc < w and grid[r + dr, c + dc] == grid[r, c]
                       for dr, dc in FOUR)


def object_boxes(grid: np.ndarray, bg: int) -> np.ndarray:
    """The cells inside the bounding box of some 8-connected single-colour object."""
    inside = np.zeros(grid.shape, bool)
    for cells in components(grid, 1, bg):
        rows, cols = [r for r, _ in cells], [c for _, c in cells]
        inside[min(rows):max(rows) + 1, min(cols):max(cols) + 1] = True
    return inside


@FAST
@given(grids(max_side=9, max_colors=3), colors)
def test_box_background_is_exactly_the_bg_inside_object_boxes(grid: np.ndarray,
                                                               bg: int) -> None:
    comp, _ = segment_objects(grid, BOX_BACKGROUND, bg)
    assert np.array_equal(comp >= 0, object_boxes(grid, bg) & (grid == bg))


@FAST
@given(grids(max_side=9, max_colors=3), st.integers(1, 9))
def test_filling_box_background_changes_only_those_cells(grid: np.ndarray, colour: int) -> None:
    filled = recolor_objects(grid, object_rule_kind("size", BOX_BACKGROUND), (-1,), (colour,))
    changed = filled != grid
    assert np.array_equal(changed, object_boxes(grid, 0) & (grid == 0))
    assert (filled[changed] == colour).all()


# --- learning and searching ----------------------------------------------------------------------

def blocks(shape: tuple[int, int], pieces: list[tuple[int, int, int, int, int]]) -> np.ndarray:
    """A black grid with solid rectangles (top, left, height, width, colour)."""
    grid = np.zeros(shape, np.uint8)
    for top, left, h, w, colour in pieces:
        grid[top:top + h, left:left + w] = colour
    return make_grid(grid)


def square_interiors(grid: np.ndarray) -> np.ndarray:
    """The hand-made rule: square blocks' interiors turn green, other blocks' interiors pink."""
    kind = object_rule_kind("is_square", INTERIORS)
    return recolor_objects(grid, kind, (0, 1), (6, 3))


BLOCKS = [blocks((10, 10), [(0, 0, 3, 3, 4), (5, 2, 3, 6, 4), (1, 5, 4, 4, 1)]),
          blocks((9, 11), [(0, 1, 5, 3, 2), (6, 4, 3, 3, 2), (1, 6, 3, 4, 5)]),
          blocks((10, 9), [(1, 1, 4, 4, 4), (6, 0, 4, 7, 1), (0, 6, 5, 3, 8)])]
BLOCKS_TEST = blocks((11, 11), [(0, 0, 5, 5, 7), (6, 1, 3, 8, 4), (0, 7, 4, 3, 2)])


def pluses(shape: tuple[int, int], pieces: list[tuple[int, int, int]],
           corner: int = 0) -> np.ndarray:
    """A black grid with plus signs in 3x3 boxes (top, left, colour), the boxes' corner cells
    painted `corner`."""
    grid = np.zeros(shape, np.uint8)
    for top, left, colour in pieces:
        grid[top:top + 3, left:left + 3] = corner
        grid[top + 1, left:left + 3] = colour
        grid[top:top + 3, left + 1] = colour
    return make_grid(grid)


PLUSES = [[(0, 0, 9), (4, 4, 2), (5, 0, 9)], [(0, 5, 4), (3, 1, 4), (4, 6, 2)],
          [(1, 1, 3), (5, 3, 9)]]
SHAPES = [(8, 8), (7, 9), (9, 7)]
PLUSES_TEST = [(0, 0, 2), (0, 5, 9), (4, 2, 3), (6, 6, 4)]


def plus_task() -> Challenge:
    """The hand-made task: the corners of every plus sign's box turn orange."""
    return Challenge("pluses", tuple(Example(pluses(shape, p), pluses(shape, p, 7))
                                     for shape, p in zip(SHAPES, PLUSES)),
                     (pluses((9, 9), PLUSES_TEST),))


def task_of(rule, inputs: list[np.ndarray], test: np.ndarray) -> Challenge:
    return Challenge("parts", tuple(Example(g, rule(g)) for g in inputs), (test,))


def test_a_rule_over_interiors_is_learned() -> None:
    task = task_of(square_interiors, BLOCKS, BLOCKS_TEST)
    values = (*(ex.input for ex in task.train), *task.test_inputs)
    rule = learn_object_rule(values, task, 0, cross_validate=True)
    assert rule is not None and rule.kind % len(OBJECT_MODES) == INTERIORS
    assert np.array_equal(recolor_objects(BLOCKS_TEST, *rule), square_interiors(BLOCKS_TEST))


def searched_rules(task: Challenge, expected: np.ndarray) -> list[str]:
    """The programs of verified enumerative candidates that are right on the test."""
    found = list(EnumerativeProposer().propose(
        task, analyse(task), Budget.from_seconds(60, work_limit=3000), Pool()))
    right = [c for c in found if verified(c, task) and np.array_equal(c.test_outputs[0], expected)]
    for candidate in right:
        program = parse_program(candidate.program)
        assert np.array_equal(run_program(program, [task.test_inputs[0]])[0], expected)
    return [c.program for c in right]


def modes_used(programs: list[str]) -> set[int]:
    """The segmentation modes of the `recolor_objects` steps of some programs."""
    kinds = (re.findall(r"recolor_objects\([^,]+, (\d+),", text) for text in programs)
    return {int(kind) % len(OBJECT_MODES) for found in kinds for kind in found}


def test_the_search_recolours_interiors_by_shape() -> None:
    task = task_of(square_interiors, BLOCKS, BLOCKS_TEST)
    assert INTERIORS in modes_used(searched_rules(task, square_interiors(BLOCKS_TEST)))


def test_the_search_fills_the_boxes_of_shapes() -> None:
    task = plus_task()
    assert BOX_BACKGROUND in modes_used(searched_rules(task, pluses((9, 9), PLUSES_TEST, 7)))
