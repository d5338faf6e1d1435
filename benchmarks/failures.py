"""Unsolved tasks of a finished training run, by category, with counts.

    python benchmarks/failures.py runs/bench-guide/unguided --json failures.json

Reads a `synth eval` run folder (config.json names the dataset; records.jsonl the outcomes)
and sorts every task into categories computed from its train pairs alone: how the output's
shape relates to the input's (same, a crop of it, a scale or tiling of it, a fixed size,
other), whether the outputs bring new colours, how many cells change when shapes agree, and
how close the best candidate came (its train accuracy). Prints solved/unsolved counts per
category. Refuses evaluation datasets: failure analysis chooses what to add to the DSL and
the search, and that is done on training tasks only.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from synth.data.datasets import load_dataset
from synth.data.task import Task


def _is_crop(inp: np.ndarray, out: np.ndarray) -> bool:
    h, w = out.shape
    return any(np.array_equal(inp[r:r + h, c:c + w], out)
               for r in range(inp.shape[0] - h + 1) for c in range(inp.shape[1] - w + 1))


def shape_category(task: Task) -> str:
    """How every train output's shape relates to its input's."""
    pairs = [(ex.input, ex.output) for ex in task.train]
    if all(i.shape == o.shape for i, o in pairs):
        return "same shape"
    if all(o.shape[0] <= i.shape[0] and o.shape[1] <= i.shape[1] for i, o in pairs):
        return "crop" if all(_is_crop(i, o) for i, o in pairs) else "smaller, not a crop"
    if all(o.shape[0] % i.shape[0] == 0 and o.shape[1] % i.shape[1] == 0 for i, o in pairs):
        return "scale or tile"
    if len({o.shape for _, o in pairs}) == 1:
        return "fixed size"
    return "other size"


def change_category(task: Task) -> str:
    """For same-shape tasks, the share of cells that change (local edits vs repainting)."""
    pairs = [(ex.input, ex.output) for ex in task.train]
    if not all(i.shape == o.shape for i, o in pairs):
        return "-"
    changed = sum(int((i != o).sum()) for i, o in pairs) / sum(i.size for i, _ in pairs)
    return "few cells (<10%)" if changed < 0.1 else "many cells"


def colour_category(task: Task) -> str:
    """Whether outputs use colours their inputs lack."""
    new = any(set(np.unique(ex.output)) - set(np.unique(ex.input)) for ex in task.train)
    return "new colours" if new else "input colours"


def closeness_category(record: dict) -> str:
    """How close the best candidate came on the train pairs."""
    best = max((alt.get("train_accuracy") or 0.0 for alt in
                record.get("extras", {}).get("alternatives", [])), default=0.0)
    if best >= 0.95:
        return "near miss (>=95% cells)"
    return "partial (>=50%)" if best >= 0.5 else "far (<50%)"


def categorise(run: Path) -> dict:
    """Counts of solved and unsolved tasks per category."""
    dataset_name = json.loads((run / "config.json").read_text(encoding="utf-8"))["dataset"]
    if ":eval" in dataset_name:
        raise SystemExit(f"{run}: {dataset_name} is an evaluation set; failure analysis is "
                         f"done on training tasks only")
    dataset = load_dataset(dataset_name)
    records = [json.loads(line) for line in
               (run / "records.jsonl").read_text(encoding="utf-8").splitlines() if line]
    tables: dict[str, Counter] = {name: Counter() for name in
                                  ("shape", "change", "colours", "closeness")}
    unsolved = []
    for record in records:
        task = dataset.entries[record["id"]]
        solved = record["record"]["score"] == 1.0
        outcome = "solved" if solved else "unsolved"
        for name, value in (("shape", shape_category(task)), ("change", change_category(task)),
                            ("colours", colour_category(task))):
            tables[name][(value, outcome)] += 1
        if not solved:
            tables["closeness"][(closeness_category(record), outcome)] += 1
            unsolved.append(record["id"])
    return {"run": str(run), "dataset": dataset_name, "tasks": len(records),
            "unsolved": sorted(unsolved),
            "categories": {name: {f"{value} / {outcome}": count for (value, outcome), count
                                  in sorted(table.items())} for name, table in tables.items()}}


def main(argv: list[str] | None = None) -> int:
    """Print (and optionally write) the categories of a run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = categorise(args.run)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"{result['dataset']}: {result['tasks']} tasks, {len(result['unsolved'])} unsolved")
    for name, table in result["categories"].items():
        print(f"  {name}:")
        for key, count in table.items():
            print(f"    {key:<40} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
