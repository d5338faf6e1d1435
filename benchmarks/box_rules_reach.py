"""How many training tasks a learned box rule solves straight from the inputs.

    python benchmarks/box_rules_reach.py [--cross-validate] [--json OUT]

For every `arc1:train` task whose train outputs keep their inputs' shapes, learns
`synth.search.box_rules.learn_box_rule` on the inputs themselves (the task's background as
`bg`) and scores the rule on the test outputs: right, wrong, or no rule. Prints the counts, the
tasks and their rules. It reads only the training set.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

import numpy as np

from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Task
from synth.search.box_rules import BoxRule, apply_box_rule, learn_box_rule


def outcome(task: Task, cross_validate: bool) -> tuple[str, BoxRule | None]:
    """("right" | "wrong" | "none" | "-", the rule) for one task."""
    if not all(ex.input.shape == ex.output.shape for ex in task.train):
        return "-", None
    values = (*(ex.input for ex in task.train), *(ex.input for ex in task.test))
    rule = learn_box_rule(values, task.challenge(), background_color(task.challenge()),
                          cross_validate)
    if rule is None:
        return "none", None
    right = all(np.array_equal(apply_box_rule(ex.input, rule), ex.output) for ex in task.test)
    return ("right" if right else "wrong"), rule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cross-validate", action="store_true")
    parser.add_argument("--json", help="write the per-task outcomes here")
    args = parser.parse_args()
    found = {task.id: outcome(task, args.cross_validate)
             for task in load_dataset("arc1:train").tasks()}
    counts = Counter(kind for kind, _ in found.values())
    print(f"right {counts['right']}, wrong {counts['wrong']}, no rule {counts['none']} "
          f"(of {len(found) - counts['-']} same-shape training tasks)")
    for kind in ("right", "wrong"):
        for task_id, (k, rule) in sorted(found.items()):
            if k == kind and rule is not None:
                print(f"{kind:5s} {task_id} {tuple(rule)}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({t: {"outcome": k, "rule": list(r) if r else None}
                       for t, (k, r) in found.items()}, out, indent=1)


if __name__ == "__main__":
    main()
