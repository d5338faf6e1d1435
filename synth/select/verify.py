"""Verification: a program candidate is accepted only if it reproduces every train output
exactly and its test outputs are valid ARC grids (1..30 per side, colours 0..9)."""
from __future__ import annotations

import numpy as np

from synth.proposers.base import ProgramCandidate, train_matches
from synth.data.task import Grid, Task

MAX_SIDE = 30


def valid_grid(grid: Grid | None) -> bool:
    """A 2-D uint8 array, 1..30 per side, colours 0..9."""
    return (isinstance(grid, np.ndarray) and grid.dtype == np.uint8 and grid.ndim == 2
            and 1 <= grid.shape[0] <= MAX_SIDE and 1 <= grid.shape[1] <= MAX_SIDE
            and int(grid.max()) <= 9)


def verified(candidate: ProgramCandidate, task: Task) -> bool:
    """Exact on all train pairs and valid test outputs."""
    return (train_matches(candidate.train_outputs, task)
            and len(candidate.test_outputs) == len(task.test)
            and all(valid_grid(g) for g in candidate.test_outputs))
