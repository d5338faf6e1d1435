"""Census of the arc1 training tasks whose inputs are grids of cells between separator lines.

A task counts when every input (train and test) has a separator colour
(`dsl.primitives.sizing.separator_layout`) that is found only on its full lines, is not the
input's most common colour, and cuts it into at least two parts. Each task is
listed with its layout (rows x columns of parts), how its outputs relate to it (`same`: the
input's shape; `layout`: one cell per part; `part`: one part's shape; `other`) and, given a
records file of a run (default: the library-off run over all 400), its score there. Training
tasks only. Usage: python benchmarks/separator_census.py [RECORDS.jsonl]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from dsl.primitives.sizing import separator_layout
from synth.data.datasets import load_dataset
from synth.data.task import Task

DEFAULT_RECORDS = Path("runs/device-train400-nolib/records.jsonl")


def scores(path: Path) -> dict[str, float]:
    """Task id -> score in a records file (empty when the file is missing)."""
    if not path.exists():
        return {}
    rows = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return {row["id"]: float(row["record"]["score"]) for row in rows}


def is_separator_grid(grid: np.ndarray) -> bool:
    """A grid cut into two or more parts by lines of a colour found only on those lines and
    not its most common colour."""
    layout = separator_layout(grid)
    if layout is None or len(layout[1]) * len(layout[2]) < 2:
        return False
    color, rows, cols = layout
    inside = sum((r1 - r0) * (c1 - c0) for r0, r1 in rows for c0, c1 in cols)
    counts = np.bincount(grid.ravel(), minlength=10)
    return int(counts[color]) == grid.size - inside and int(counts.argmax()) != color


def relation(task: Task) -> str:
    """How the train outputs' shapes relate to the inputs' separator layouts."""
    kinds = set()
    for ex in task.train:
        layout = separator_layout(ex.input)
        rows, cols = layout[1], layout[2]
        part = (rows[0][1] - rows[0][0], cols[0][1] - cols[0][0])
        kinds.add("same" if ex.output.shape == ex.input.shape
                  else "layout" if ex.output.shape == (len(rows), len(cols))
                  else "part" if ex.output.shape == part else "other")
    return "/".join(sorted(kinds))


def main() -> None:
    records = scores(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_RECORDS)
    found = unsolved = 0
    for task in load_dataset("arc1:train").entries.values():
        if not isinstance(task, Task):
            continue
        if not all(is_separator_grid(g) for g in task.challenge().inputs):
            continue
        layouts = [separator_layout(g) for g in task.challenge().inputs]
        found += 1
        score = records.get(task.id)
        unsolved += score is not None and score < 1
        shape = f"{len(layouts[0][1])}x{len(layouts[0][2])}"
        print(task.id, shape, relation(task), "-" if score is None else f"{score:.2f}")
    print(f"separator-grid tasks: {found}; unsolved in the records: {unsolved}")


if __name__ == "__main__":
    main()
