"""Grids and tasks as model text, and model text back to grids (never an exception).

A grid is one character per cell (the digit of its colour), one line per row; a task is its
pairs in order, `input:` / `output:` blocks separated by a blank line, test inputs last with
an empty `output:` to continue. `parse_grid_text` turns a model's answer back into a grid or
says why it cannot (`GridTextError`: ragged rows, a bad symbol, too large, empty).
`tokens_per_cell` checks, for a configured tokenizer, that every cell is one token.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from synth.data.task import MAX_SIDE, Challenge, Grid, make_grid

DIGITS = "0123456789"


@dataclass(frozen=True)
class GridTextError:
    """Why some text is not a grid."""

    reason: str


def grid_to_text(grid: Grid) -> str:
    """`[[1, 2], [3, 4]]` -> "12\\n34"."""
    return "\n".join("".join(DIGITS[int(v)] for v in row) for row in np.asarray(grid))


def parse_grid_text(text: str) -> Grid | GridTextError:
    """The grid written in `text` (surrounding blank lines and spaces ignored), or why not."""
    rows = [line.strip() for line in text.strip().splitlines()]
    if not rows or not rows[0]:
        return GridTextError("empty")
    if len(rows) > MAX_SIDE or any(len(r) > MAX_SIDE for r in rows):
        return GridTextError(f"larger than {MAX_SIDE}x{MAX_SIDE}")
    bad = next((c for r in rows for c in r if c not in DIGITS), None)
    if bad is not None:
        return GridTextError(f"bad symbol {bad!r}")
    if len({len(r) for r in rows}) != 1:
        return GridTextError("ragged rows")
    return make_grid([[int(c) for c in r] for r in rows])


def pair_text(source: Grid, target: Grid | None) -> str:
    """One pair: `input:` block, then `output:` and the output (nothing after it if None)."""
    out = "" if target is None else grid_to_text(target) + "\n"
    return f"input:\n{grid_to_text(source)}\noutput:\n{out}"


def task_text(task: Challenge, test_index: int | None = None) -> str:
    """The train pairs; with `test_index`, that test input with an open `output:` after."""
    blocks = [pair_text(ex.input, ex.output) for ex in task.train]
    if test_index is not None:
        blocks.append(pair_text(task.test_inputs[test_index], None))
    return "\n".join(blocks)


def tokens_per_cell(tokenize: Callable[[str], Sequence[object]]) -> bool:
    """Whether a tokenizer (text -> tokens, no special tokens) spends exactly one token per
    cell and one per line break on grid text, for every colour and common run lengths."""
    probe = make_grid([[(r * 7 + c * 3) % 10 for c in range(12)] for r in range(3)])
    text = grid_to_text(probe)
    runs = make_grid([[5] * 12, [0] * 12, [9] * 12])
    return all(len(tokenize(t)) == g.size + g.shape[0] - 1
               for t, g in ((text, probe), (grid_to_text(runs), runs)))
