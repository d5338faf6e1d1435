"""How many training tasks a learned object rule solves straight from the inputs.

    python benchmarks/object_rules_reach.py [--json OUT]

For every `arc1:train` task whose train outputs have their inputs' shapes, learns
`synth.search.object_rules.learn_object_rule` on the inputs themselves (the task's background,
`synth.analysis.features.background_color`, as the search's `bg`) and scores the rule on the test outputs: right, wrong, or no rule. Prints the counts,
the tasks, and how many right rules use each segmentation mode (`OBJECT_MODES`). It reads
only the training set: object rules are chosen on training tasks.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

import numpy as np

from dsl.primitives.objects import OBJECT_MODES, recolor_objects
from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Task
from synth.search.object_rules import learn_object_rule


def outcome(task: Task, cross_validate: bool) -> tuple[str, int | None]:
    """("right" | "wrong" | "none" | "-", the rule's mode) for one task."""
    if not all(ex.input.shape == ex.output.shape for ex in task.train):
        return "-", None
    values = (*(ex.input for ex in task.train), *(ex.input for ex in task.test))
    rule = learn_object_rule(values, task.challenge(), background_color(task.challenge()),
                             cross_validate)
    if rule is None:
        return "none", None
    right = all(np.array_equal(recolor_objects(ex.input, *rule), ex.output) for ex in task.test)
    return ("right" if right else "wrong"), rule.kind % len(OBJECT_MODES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cross-validate", action="store_true")
    parser.add_argument("--json", help="write the per-task outcomes here")
    args = parser.parse_args()
    found: dict[str, tuple[str, int | None]] = {
        task.id: outcome(task, args.cross_validate) for task in load_dataset("arc1:train").tasks()}
    counts = Counter(kind for kind, _ in found.values())
    print(f"right {counts['right']}, wrong {counts['wrong']}, no rule {counts['none']} "
          f"(of {len(found) - counts['-']} same-shape training tasks)")
    modes = Counter(OBJECT_MODES[mode] for kind, mode in found.values() if kind == "right")
    for mode, n in modes.most_common():
        print(f"  {n:3d}  {mode}")
    for kind in ("right", "wrong"):
        print(kind, " ".join(sorted(t for t, (k, _) in found.items() if k == kind)))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({t: {"outcome": k, "mode": m} for t, (k, m) in found.items()}, out, indent=1)


if __name__ == "__main__":
    main()
