"""Held-out-pair tasks from the arc1 training set: a harder base for ranking measurements.

Each training task with at least three train pairs becomes a task of its own, written as JSON
into OUT: its last train pair is held out and becomes the first test pair, ahead of the task's
own test pairs. With one pair fewer, more programs verify on the train pairs and are wrong
on the held-out one, the failure that separates training from evaluation figures, so a
`synth eval OUT ...` run of these tasks (records with `extras.alternatives`) is a replay base
for `benchmarks/rank_replay.py` where ranking decides more often. With `--from-run RUN`, only
the tasks where that run (on arc1:train) recorded a verified alternative are written.
Training tasks only. Usage: python benchmarks/held_out_tasks.py OUT [--from-run RUN]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synth.data.datasets import load_dataset
from synth.data.task import Example, Task

MIN_TRAIN = 3


def pair(ex: Example) -> dict[str, Any]:
    """An example as task JSON."""
    return {"input": ex.input.tolist(), "output": ex.output.tolist()}


def held_out(task: Task) -> dict[str, Any]:
    """The task with its last train pair moved to the front of its test pairs."""
    return {"train": [pair(ex) for ex in task.train[:-1]],
            "test": [pair(task.train[-1]), *(pair(ex) for ex in task.test)]}


def verified_ids(run: Path) -> set[str]:
    """Ids of the tasks with a verified alternative in a run's records.jsonl."""
    ids = set()
    for line in (run / "records.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        alternatives = (rec.get("extras") or {}).get("alternatives") or []
        if any(a.get("verified") for a in alternatives):
            ids.add(rec["id"])
    return ids


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--from-run", type=Path, default=None)
    args = parser.parse_args(argv)
    keep = verified_ids(args.from_run) if args.from_run else None
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for task_id, task in load_dataset("arc1:train").entries.items():
        if not isinstance(task, Task) or len(task.train) < MIN_TRAIN:
            continue
        if keep is not None and task_id not in keep:
            continue
        (args.out / f"{task_id}.json").write_text(json.dumps(held_out(task)), encoding="utf-8")
        written += 1
    print(f"{written} held-out-pair tasks -> {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
