"""Reach of lookup answers (`synth.search.lookup`) on training tasks: train outputs looked up
by an input feature.

For every task with enough repeated train outputs: whether the first answer (most agreeing
features) or one of the first two is right on every test output, and which features gave it.
Training tasks only: the default is all 400 `arc1:train` tasks; the second development set is
`--dataset arc2:train --ids benchmarks/samples/arc2-train-new.txt`. Usage:
    python benchmarks/lookup_reach.py [--dataset D] [--ids FILE] [--json OUT]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import selected_tasks, stamp  # noqa: E402  (first)

import argparse  # noqa: E402
import json  # noqa: E402

import numpy as np  # noqa: E402

from synth.analysis.features import background_color  # noqa: E402
from synth.search.lookup import lookup_answers  # noqa: E402


def task_reach(task: object) -> dict | None:
    """How the task's lookup answers fare on its test outputs (None when there is none)."""
    challenge = task.challenge()
    answers = lookup_answers([(ex.input, ex.output) for ex in task.train],
                             challenge.test_inputs, background_color(challenge))
    if not answers:
        return None
    truths = [ex.output for ex in task.test]
    right = [all(np.array_equal(g, t) for g, t in zip(a.test_outputs, truths)) for a in answers]
    return {"first": right[0], "top2": any(right[:2]),
            "features": [list(a.features) for a in answers]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="arc1:train")
    parser.add_argument("--ids", default=None, help="file of task ids (default: all)")
    parser.add_argument("--json", default=None, help="write the per-task results here")
    args = parser.parse_args(argv)
    if not args.dataset.endswith(":train"):
        parser.error("training tasks only: --dataset arc1:train or arc2:train")
    tasks = selected_tasks(args.dataset, args.ids)
    results = {task_id: r for task_id, task in tasks if (r := task_reach(task)) is not None}
    first = sorted(t for t, r in results.items() if r["first"])
    second = sorted(t for t, r in results.items() if r["top2"] and not r["first"])
    wrong = sorted(t for t, r in results.items() if not r["top2"])
    print(f"{args.dataset}: {len(tasks)} tasks, {len(results)} with a lookup answer")
    print(f"right first: {len(first)} {first}")
    print(f"right second: {len(second)} {second}")
    print(f"wrong (both): {len(wrong)} {wrong}")
    if args.json:
        result = {"dataset": args.dataset, "ids": args.ids, "tasks": len(tasks),
                  "right_first": first, "right_second": second, "wrong": wrong,
                  "per_task": results, **stamp()}
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
