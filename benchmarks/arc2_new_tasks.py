"""The ARC-AGI-2 training tasks that ARC-AGI-1 does not hold: a second development set.

Every search addition so far was chosen by its reach over the 400 arc1 training tasks, and the
training figures rose while the evaluation sample stayed flat. This script lists the `arc2:train`
tasks that share neither an id nor any input grid with `arc1:train`, `arc1:eval` or `arc2:eval`
(ARC-AGI-2's training set holds most of ARC-AGI-1's tasks, evaluation included, so the overlap
is removed by content as well as by id). They are training tasks: free to develop and tune on,
and none of them chose an addition before, so a change measured on them shows whether it
carries beyond the tasks it was chosen on.

    python benchmarks/arc2_new_tasks.py benchmarks/samples/arc2-train-new.txt
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`

from synth.data.datasets import load_dataset  # noqa: E402
from synth.data.task import Task  # noqa: E402

SOURCE = "arc2:train"
EXCLUDED = ("arc1:train", "arc1:eval", "arc2:eval")


def input_keys(task: Task) -> set[bytes]:
    """One key per input grid of the task (shape and cells)."""
    return {bytes(ex.input.shape) + ex.input.tobytes() for ex in (*task.train, *task.test)}


def new_task_ids(source: dict[str, Task], excluded: Iterable[dict[str, Task]]) -> list[str]:
    """Sorted ids of the source tasks whose id and input grids are in no excluded set."""
    seen_ids: set[str] = set()
    seen_inputs: set[bytes] = set()
    for tasks in excluded:
        seen_ids.update(tasks)
        for task in tasks.values():
            seen_inputs |= input_keys(task)
    return sorted(task_id for task_id, task in source.items()
                  if task_id not in seen_ids and not input_keys(task) & seen_inputs)


def valid_tasks(spec: str) -> dict[str, Task]:
    """A dataset's valid tasks by id."""
    return {task.id: task for task in load_dataset(spec).tasks()}


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the id list to write (one id per line)")
    args = parser.parse_args(argv)
    ids = new_task_ids(valid_tasks(SOURCE), (valid_tasks(spec) for spec in EXCLUDED))
    header = (f"# {SOURCE} tasks sharing no id and no input grid with {', '.join(EXCLUDED)}: "
              f"written by benchmarks/arc2_new_tasks.py ({len(ids)} tasks)")
    args.out.write_text("\n".join([header, *ids]) + "\n", encoding="utf-8")
    print(f"{len(ids)} tasks -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
