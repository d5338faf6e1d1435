"""The part-space primitives of the sizing family (`part_rule`, `across_parts`) against
plain references, and their error contracts."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.primitives.sizing import (ACROSS_PARTS_OPS, PART_OWN, PART_RULE_KINDS, across_parts,
                                   part_features, part_rule, separator_layout)
from dsl.values import as_grid
from tests.strategies import covers

SEP = 5


@st.composite
def part_grids(draw: st.DrawFn) -> np.ndarray:
    """Parts of random cells (colours 0..4, 6..9) between full lines of colour 5."""
    rows, cols = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    h, w = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    cells = st.sampled_from((0, 0, 0, 1, 2, 3, 4, 6, 7, 8, 9))
    out = np.full((rows * (h + 1) - 1 + 2, cols * (w + 1) - 1), SEP, np.uint8)
    out[0] = out[-1] = SEP
    for i in range(rows):
        for j in range(cols):
            block = draw(st.lists(cells, min_size=h * w, max_size=h * w))
            out[1 + i * (h + 1):1 + i * (h + 1) + h, j * (w + 1):j * (w + 1) + w] = \
                np.array(block, np.uint8).reshape(h, w)
    return out


def reference_part_colour(grid: np.ndarray, kind: int, keys: tuple[int, ...],
                          values: tuple[int, ...], bg: int) -> np.ndarray:
    """Each part's colour from the documented definition, one part at a time."""
    full_rows = [r for r in range(grid.shape[0]) if (grid[r] == SEP).all()]
    full_cols = [c for c in range(grid.shape[1]) if (grid[:, c] == SEP).all()]
    row_runs = [r for r in range(grid.shape[0]) if r not in full_rows]
    col_runs = [c for c in range(grid.shape[1]) if c not in full_cols]

    def runs(kept: list[int]) -> list[list[int]]:
        out: list[list[int]] = []
        for x in kept:
            if out and out[-1][-1] == x - 1:
                out[-1].append(x)
            else:
                out.append([x])
        return out

    parts = [[grid[np.ix_(r, c)] for c in runs(col_runs)] for r in runs(row_runs)]
    cells = [[[int(x) for x in p.ravel() if x not in (bg, SEP)] for p in row] for row in parts]
    counts = [len(c) for row in cells for c in row]
    out = np.zeros((len(parts), len(parts[0])), np.uint8)
    for i, row in enumerate(cells):
        for j, mine in enumerate(row):
            own = min(set(mine), key=lambda x: (-mine.count(x), x)) if mine else bg
            code = (2 if len(mine) == max(counts) else 1 if len(mine) == min(counts) else 0,
                    len(mine), len(set(mine)), own)[kind]
            value = dict(zip(keys, values))[code]
            out[i, j] = own if value == PART_OWN else value
    return out


@covers("part_rule")
@settings(max_examples=80, deadline=None)
@given(part_grids(), st.sampled_from(PART_RULE_KINDS), st.sampled_from((0, 1)), st.data())
def test_part_rule_equals_its_reference(grid: np.ndarray, kind: int, bg: int,
                                        data: st.DataObject) -> None:
    assume(separator_layout(as_grid(grid))[0] == SEP)   # another colour may make full lines
    codes, _ = part_features(as_grid(grid), kind, bg)
    keys = tuple(sorted({int(c) for c in codes.ravel()}))
    values = tuple(data.draw(st.lists(st.integers(0, PART_OWN), min_size=len(keys),
                                      max_size=len(keys))))
    out = part_rule(as_grid(grid), kind, keys, values, bg)
    assert np.array_equal(out, reference_part_colour(grid, kind, keys, values, bg))


@pytest.mark.parametrize("grid, kind, keys, values", [
    ([[1, 2], [3, 4]], 0, (0,), (1,)),                  # no separator lines
    ([[5, 5], [1, 2]], 0, (0,), (1,)),                  # one part only
    ([[1, 5, 2]], 4, (0,), (1,)),                       # no such featurisation
    ([[1, 5, 2]], 3, (1,), (0,)),                       # colour 2's part has no key
    ([[1, 5, 2]], 3, (1, 2), (0,)),                     # keys and values do not pair up
    ([[1, 5, 2]], 3, (1, 2), (0, 11)),                  # no such value
])
def test_part_rule_error_contract(grid: list, kind: int, keys: tuple, values: tuple) -> None:
    with pytest.raises(EvalError):
        part_rule(as_grid(np.array(grid, np.uint8)), kind, keys, values, 0)


def reference_joined(cells: np.ndarray, bg: int) -> np.ndarray:
    """A grid's bg gaps between two consecutive equal non-bg cells of a row, filled."""
    out = cells.copy()
    for r in range(cells.shape[0]):
        marked = [c for c in range(cells.shape[1]) if cells[r, c] != bg]
        for a, b in zip(marked, marked[1:]):
            if cells[r, a] == cells[r, b]:
                out[r, a + 1:b] = cells[r, a]
    return out


def reference_across(grid: np.ndarray, op: int, bg: int) -> np.ndarray:
    """`across_parts` from its definition, one place within the parts at a time."""
    starts_r = [r for r in range(grid.shape[0]) if (grid[r] != SEP).any()
                and (r == 0 or (grid[r - 1] == SEP).all())]
    starts_c = [c for c in range(grid.shape[1]) if (grid[:, c] != SEP).any()
                and (c == 0 or (grid[:, c - 1] == SEP).all())]
    h = next(r for r in range(starts_r[0], grid.shape[0] + 1)
             if r == grid.shape[0] or (grid[r] == SEP).all()) - starts_r[0]
    w = next(c for c in range(starts_c[0], grid.shape[1] + 1)
             if c == grid.shape[1] or (grid[:, c] == SEP).all()) - starts_c[0]
    out = grid.copy()
    for a in range(h):
        for b in range(w):
            cells = grid[np.ix_([r + a for r in starts_r], [c + b for c in starts_c])]
            if op <= 2:
                rows = reference_joined(cells, bg)
                cols = reference_joined(cells.T, bg).T
                new = rows if op == 0 else cols if op == 1 else np.where(rows != cells, rows, cols)
            else:
                others = [int(x) for x in cells.ravel() if x != bg]
                colour = (min(set(others), key=lambda x: (-others.count(x), x)) if op == 3
                          else SEP) if others else bg
                new = np.where(cells == bg, colour, cells)
            out[np.ix_([r + a for r in starts_r], [c + b for c in starts_c])] = new
    return out


@covers("across_parts")
@settings(max_examples=80, deadline=None)
@given(part_grids(), st.sampled_from(ACROSS_PARTS_OPS), st.sampled_from((0, 1)))
def test_across_parts_equals_its_reference(grid: np.ndarray, op: int, bg: int) -> None:
    assume(separator_layout(as_grid(grid))[0] == SEP)
    out = across_parts(as_grid(grid), op, bg)
    assert np.array_equal(out, reference_across(grid, op, bg))


@pytest.mark.parametrize("grid, op", [
    ([[1, 2], [3, 4]], 0),                 # no separator lines
    ([[5, 5], [1, 2]], 3),                 # one part only
    ([[1, 5, 2, 3]], 3),                   # parts of two shapes
    ([[1, 5, 2]], 5),                      # no such op
])
def test_across_parts_error_contract(grid: list, op: int) -> None:
    with pytest.raises(EvalError):
        across_parts(as_grid(np.array(grid, np.uint8)), op, 0)
