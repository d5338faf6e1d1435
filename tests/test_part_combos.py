"""Part combinations: the parts check agrees with the DSL programs it writes, and the sketch
proposer solves split-and-combine tasks with them."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.interp import run_program
from dsl.parser import parse_program
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, Task, make_grid
from synth.proposers.base import Budget, Pool, ProgramCandidate
from synth.proposers.sketch import SketchProposer
from synth.search.part_combos import (Combination, combinations, part_programs, program_text,
                                      split_parts, splits_for)
from synth.select.verify import verified


def make_task(pairs: list[tuple[list, list]], tests: list[tuple[list, list]]) -> Challenge:
    return Task("t", tuple(Example(make_grid(i), make_grid(o)) for i, o in pairs),
                tuple(Example(make_grid(i), make_grid(o)) for i, o in tests)).challenge()


def _four_parts(parts: list[list[list[int]]]) -> list[list[int]]:
    """Four 2x2 parts joined in a 2x2 layout of quadrants."""
    a, b, c, d = (np.array(p) for p in parts)
    return np.block([[a, b], [c, d]]).tolist()


def _overlay(parts: list[list[list[int]]], order: tuple[int, ...]) -> list[list[int]]:
    out = np.array(parts[order[0]])
    for k in order[1:]:
        part = np.array(parts[k])
        out[part != 0] = part[part != 0]
    return out.tolist()


ORDER = (0, 3, 2, 1)   # top-left at the bottom, then bottom-right, bottom-left, top-right
QUADS = [[[[1, 0], [0, 1]], [[0, 2], [0, 0]], [[3, 3], [0, 0]], [[0, 0], [4, 4]]],
         [[[1, 1], [0, 0]], [[2, 0], [0, 2]], [[0, 3], [3, 0]], [[4, 0], [0, 0]]],
         [[[0, 1], [1, 0]], [[0, 0], [2, 0]], [[3, 0], [0, 0]], [[0, 4], [0, 4]]]]
# The quadrants overlaid in a fixed order (a task like 75b8110e, built by hand).
QUADRANT_OVERLAY = make_task([(_four_parts(q), _overlay(q, ORDER)) for q in QUADS[:2]],
                             [(_four_parts(QUADS[2]), _overlay(QUADS[2], ORDER))])


def _xor_pair(left: list[list[int]], right: list[list[int]]) -> tuple[list, list]:
    """Two parts beside a grey separator column, and green where exactly one has a cell."""
    a, b = np.array(left) != 0, np.array(right) != 0
    grid = [row_a + [5] + row_b for row_a, row_b in zip(left, right)]
    return grid, np.where(a ^ b, 3, 0).tolist()


XOR = make_task([_xor_pair([[1, 0], [1, 1]], [[0, 2], [0, 2]]),
                 _xor_pair([[0, 1], [0, 0]], [[2, 2], [0, 2]])],
                [_xor_pair([[1, 1], [0, 0]], [[2, 0], [0, 0]])])


@st.composite
def split_parts_and_combination(draw: st.DrawFn) -> tuple[np.ndarray, Combination, int]:
    """A grid made of 2-4 equal strips side by side, and one combination of its parts."""
    n = draw(st.integers(2, 4))
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    cells = st.integers(0, 3)
    grid = np.array(draw(st.lists(st.lists(cells, min_size=n * w, max_size=n * w),
                                  min_size=h, max_size=h)), dtype=np.uint8)
    combination = draw(st.sampled_from(list(combinations(n, draw(st.integers(1, 9))))))
    return grid, combination, n


@given(split_parts_and_combination())
@settings(max_examples=60, deadline=None)
def test_programs_compute_what_the_parts_check_computes(case) -> None:
    grid, combination, n = case
    [split] = [s for s in splits_for(n) if s.key == f"hsplit{n}"]
    task = Challenge("t", (Example(grid, grid[:, :grid.shape[1] // n]),), ())
    parts = split_parts(split, task, n)
    assert parts is not None
    [on_program] = run_program(parse_program(program_text(split, combination, 0)), [grid])
    assert np.array_equal(on_program, combination.apply(parts[0], 0))


def test_quadrant_overlay_order_is_found_and_right_on_the_test() -> None:
    programs = list(part_programs(QUADRANT_OVERLAY, 0, lambda n: True))
    assert programs
    [answer] = run_program(parse_program(programs[0]), list(QUADRANT_OVERLAY.test_inputs))
    assert answer.tolist() == _overlay(QUADS[2], ORDER)


def test_no_program_where_no_split_fits() -> None:
    task = make_task([([[1, 2], [3, 4]], [[4, 3], [2, 1]])], [([[1, 1], [2, 2]], [[2, 2], [1, 1]])])
    assert list(part_programs(task, 0, lambda n: True)) == []


def test_work_is_charged_and_a_spent_budget_stops_the_search() -> None:
    charged: list[int] = []
    assert list(part_programs(QUADRANT_OVERLAY, 0, lambda n: charged.append(n) or False)) == []
    assert charged == [len(QUADRANT_OVERLAY.train)]


def test_sketch_proposer_solves_split_and_combine_tasks_from_an_empty_pool() -> None:
    for task, call in ((QUADRANT_OVERLAY, "overlay("), (XOR, "cellwise_xor(")):
        proposer = SketchProposer()
        found = list(proposer.propose(task, analyse(task), Budget.from_seconds(10), Pool()))
        assert found and all(isinstance(c, ProgramCandidate) and verified(c, task)
                             for c in found)
        assert call in found[0].program and proposer.stats()["parts"] == len(found)
