"""How close a candidate's train outputs are to the true ones: the one train-closeness module.

Shapes are treated one way everywhere: a pair whose output is missing or has the wrong shape
scores 0 cells right. `train_accuracy` (mean fraction of right cells, per pair then over pairs)
ranks partial matches and near misses; `closeness` is the beam's smoother heuristic, which
also gives a wrong shape partial credit for overlap and a shared palette, so that a step
towards the right size is visible before any cell is right.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from synth.data.task import Challenge, Grid


def pair_accuracy(output: Grid | None, truth: Grid) -> float:
    """Fraction of right cells; 0 for a missing or wrongly shaped output."""
    if output is None or output.shape != truth.shape:
        return 0.0
    return float(np.mean(output == truth))


def train_accuracy(outputs: Sequence[Grid | None], task: Challenge) -> float:
    """Mean `pair_accuracy` over the train pairs (0 unless there is one output per pair)."""
    if len(outputs) != len(task.train):
        return 0.0
    return sum(pair_accuracy(out, ex.output) for out, ex in zip(outputs, task.train)) / len(
        task.train)


def closeness(values: Sequence[Grid], task: Challenge) -> float:
    """How close train values are to the train outputs, in [0, 1] (1 = exact).

    Per pair: with the right shape, 0.5 + 0.5 x the fraction of right cells; otherwise up to
    0.4 for how much the shapes overlap. Palette agreement adds a little. Mean over pairs."""
    total = 0.0
    for value, ex in zip(values, task.train):
        out = ex.output
        colours = set(np.unique(value).tolist()) ^ set(np.unique(out).tolist())
        palette = 0.05 * (1.0 - min(1.0, len(colours) / 4))
        if value.shape == out.shape:
            total += 0.45 + 0.5 * pair_accuracy(value, out) + palette
        else:
            overlap = (min(value.shape[0], out.shape[0]) * min(value.shape[1], out.shape[1])
                       / (max(value.shape[0], out.shape[0]) * max(value.shape[1], out.shape[1])))
            total += 0.4 * overlap + palette
    return total / len(task.train)
