"""Which training tasks only add cells on straight lines from input cells.

    python benchmarks/line_census.py [--json OUT]

For every `arc1:train` task whose train outputs keep their inputs' shapes, checks on every
train pair that each changed cell is an added cell (the task's background in the input, another
colour in the output) and that each lies on a row, column or diagonal of some input non-background
cell. Lists those tasks with how many of their added cells are on a row/column only, a diagonal
only, or both. It reads only the training set.
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Task


def line_kinds(inp: np.ndarray, out: np.ndarray, bg: int) -> dict[str, int] | None:
    """Counts of added cells on an input cell's row/column, diagonal, both; None if not lines."""
    changed = inp != out
    if not changed.any() or (inp[changed] != bg).any():
        return None
    fg = inp != bg
    rows, cols = np.nonzero(fg)
    counts = {"orthogonal": 0, "diagonal": 0, "both": 0}
    for r, c in zip(*np.nonzero(changed)):
        ortho = bool(np.any((rows == r) | (cols == c)))
        diag = bool(np.any(np.abs(rows - r) == np.abs(cols - c)))
        if not (ortho or diag):
            return None
        counts["both" if ortho and diag else "orthogonal" if ortho else "diagonal"] += 1
    return counts


def census(task: Task) -> dict[str, int] | None:
    """The summed line kinds over a task's train pairs, or None when it is not a line task."""
    if not all(ex.input.shape == ex.output.shape for ex in task.train):
        return None
    bg = background_color(task.challenge())
    total = {"orthogonal": 0, "diagonal": 0, "both": 0}
    for ex in task.train:
        kinds = line_kinds(np.asarray(ex.input), np.asarray(ex.output), bg)
        if kinds is None:
            return None
        for key, n in kinds.items():
            total[key] += n
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the per-task counts here")
    args = parser.parse_args()
    found = {task.id: kinds for task in load_dataset("arc1:train").tasks()
             if (kinds := census(task)) is not None}
    ortho = sorted(t for t, k in found.items() if k["diagonal"] == 0)
    diag = sorted(t for t, k in found.items() if k["orthogonal"] == 0 and k["diagonal"] > 0)
    print(f"{len(found)} same-shape training tasks add cells only on lines from input cells")
    print(f"  {len(ortho)} every added cell on a row or column of an input cell")
    print(f"  {len(diag)} some added cell only on a diagonal, none only on a row/column")
    print(f"  {len(found) - len(ortho) - len(diag)} mixed")
    print("tasks", " ".join(sorted(found)))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(found, out, indent=1)


if __name__ == "__main__":
    main()
