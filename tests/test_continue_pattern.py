"""continue_pattern (dsl.primitives.patterns): a band or a line's span continued periodically,
its properties, and the enumerator reaching it."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.primitives import patterns as P
from synth.analysis.features import analyse
from synth.data.task import Example, Task, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.enumerate import EnumConfig
from synth.select.verify import verified
from tests.strategies import covers, grids

FAST = settings(max_examples=60, deadline=None)


def _band(grid: np.ndarray, axis: int) -> tuple[int, int]:
    lines = np.nonzero((grid != 0).any(axis=1 - axis))[0]
    return int(lines[0]), int(lines[-1]) + 1


@covers("continue_pattern")
@FAST
@given(grids(max_side=9), st.sampled_from((0, 1)))
def test_a_band_keeps_its_place_and_the_result_repeats_it(grid, axis) -> None:
    if not (grid != 0).any():
        with pytest.raises(EvalError):
            P.continue_pattern(grid, axis)
        return
    out = P.continue_pattern(grid, axis)
    g, o = (grid, out) if axis == 0 else (grid.T, out.T)
    r0, r1 = _band(grid, axis)
    assert out.shape == grid.shape
    assert np.array_equal(o[r0:r1], g[r0:r1])
    assert P.period_v(o) <= r1 - r0


@covers("continue_pattern")
@FAST
@given(grids(max_side=9))
def test_lines_keep_every_non_bg_cell(grid) -> None:
    out = P.continue_pattern(grid, 2)
    assert np.array_equal(out[grid != 0], grid[grid != 0])


def test_a_band_repeats_whole_unless_two_rows_witness_a_shorter_period() -> None:
    grid = make_grid([[0, 0], [0, 0], [2, 0], [2, 2], [2, 0], [0, 0], [0, 0]])
    assert P.continue_pattern(grid, 0).tolist() == [[2, 2], [2, 0], [2, 0], [2, 2], [2, 0],
                                                   [2, 0], [2, 2]]
    row = make_grid([[3, 1, 1, 3, 1, 0, 0, 0]])
    assert P.continue_pattern(row, 1).tolist() == [[3, 1, 1, 3, 1, 1, 3, 1]]


def test_lines_continue_a_cross_along_its_row_and_column() -> None:
    grid = make_grid([[0, 0, 0, 0, 0], [0, 0, 4, 0, 0], [0, 3, 5, 0, 0], [0, 0, 0, 0, 0],
                      [0, 0, 0, 0, 0]])
    assert P.continue_pattern(grid, 2).tolist() == [
        [0, 0, 5, 0, 0], [0, 0, 4, 0, 0], [5, 3, 5, 3, 5], [0, 0, 4, 0, 0], [0, 0, 5, 0, 0]]


def test_the_enumerator_reaches_a_band_continued_down_and_up() -> None:
    pairs = [([[0, 0, 0], [1, 2, 1], [0, 0, 0], [0, 0, 0]],
              [[1, 2, 1], [1, 2, 1], [1, 2, 1], [1, 2, 1]]),
             ([[0, 0], [0, 0], [3, 0], [3, 3], [0, 0]],
              [[3, 0], [3, 3], [3, 0], [3, 3], [3, 0]])]
    task = Task("t", tuple(Example(make_grid(i), make_grid(o)) for i, o in pairs),
                (Example(make_grid([[0, 0], [5, 6], [0, 0]]), None),)).challenge()
    proposer = EnumerativeProposer(EnumConfig(max_cost=2))
    found = list(proposer.propose(task, analyse(task), Budget.from_seconds(10), Pool()))
    assert any(verified(c, task) and "continue_pattern(I, 0" in c.program for c in found)
