"""Which training tasks only add cells on straight lines from input cells.

    python benchmarks/line_census.py [--recolour] [--solved RECORDS] [--json OUT]

For every `arc1:train` task whose train outputs keep their inputs' shapes, checks on every
train pair that each changed cell is an added cell (the task's background in the input, another
colour in the output) and that each lies on a row, column or diagonal of some input non-background
cell. Lists those tasks with how many of their added cells are on a row/column only, a diagonal
only, or both. With `--recolour` a changed cell may also be a recoloured non-background cell (the
output's colour there must not be the background); `--solved` names an `eval` run's
`records.jsonl` and lists the census tasks it scored below 1. It reads only the training set.
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Task


def line_kinds(inp: np.ndarray, out: np.ndarray, bg: int, recolour: bool = False
               ) -> dict[str, int] | None:
    """Counts of added (with `recolour`, also recoloured) cells on an input cell's row/column,
    diagonal, both; None if not lines."""
    changed = inp != out
    if not changed.any() or (out[changed] == bg).any():
        return None
    if not recolour and (inp[changed] != bg).any():
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


def census(task: Task, recolour: bool = False) -> dict[str, int] | None:
    """The summed line kinds over a task's train pairs, or None when it is not a line task."""
    if not all(ex.input.shape == ex.output.shape for ex in task.train):
        return None
    bg = background_color(task.challenge())
    total = {"orthogonal": 0, "diagonal": 0, "both": 0}
    for ex in task.train:
        kinds = line_kinds(np.asarray(ex.input), np.asarray(ex.output), bg, recolour)
        if kinds is None:
            return None
        for key, n in kinds.items():
            total[key] += n
    return total


def _score(record: dict) -> tuple[str, float]:
    """(task id, score) of a records.jsonl line (an eval run's or a stored run's layout)."""
    if "task_id" in record:
        return record["task_id"], float(record["score"])
    return record["id"], float(record["record"]["score"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recolour", action="store_true",
                        help="let changed cells also be recoloured non-background cells")
    parser.add_argument("--solved", help="an eval run's records.jsonl: list the unsolved")
    parser.add_argument("--json", help="write the per-task counts here")
    args = parser.parse_args()
    found = {task.id: kinds for task in load_dataset("arc1:train").tasks()
             if (kinds := census(task, args.recolour)) is not None}
    ortho = sorted(t for t, k in found.items() if k["diagonal"] == 0)
    diag = sorted(t for t, k in found.items() if k["orthogonal"] == 0 and k["diagonal"] > 0)
    verb = "add or recolour" if args.recolour else "add"
    print(f"{len(found)} same-shape training tasks {verb} cells only on lines from input cells")
    print(f"  {len(ortho)} every added cell on a row or column of an input cell")
    print(f"  {len(diag)} some added cell only on a diagonal, none only on a row/column")
    print(f"  {len(found) - len(ortho) - len(diag)} mixed")
    print("tasks", " ".join(sorted(found)))
    if args.solved:
        with open(args.solved) as records:
            scores = dict(map(_score, map(json.loads, records)))
        unsolved = sorted(t for t in found if scores.get(t, 0.0) < 1)
        print(f"unsolved in {args.solved}: {len(unsolved)}")
        print("unsolved", " ".join(unsolved))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(found, out, indent=1)


if __name__ == "__main__":
    main()
