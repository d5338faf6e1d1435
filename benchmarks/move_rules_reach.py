"""How many training tasks a learned move rule solves straight from the inputs.

    python benchmarks/move_rules_reach.py [--json OUT]

For every `arc1:train` task whose train outputs have their inputs' shapes, learns
`synth.search.move_rules.learn_move_rule` on the inputs themselves (the task's background,
`synth.analysis.features.background_color`) and scores the rule on the test outputs: right,
wrong, or no rule. Prints the counts, the tasks, and how many right rules use each action
(`MOVE_ACTIONS`). It reads only the training set: move rules are chosen on training tasks.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

import numpy as np

from dsl.primitives.objects import MOVE_ACTIONS, move_objects
from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Task
from synth.search.move_rules import MoveRule, learn_move_rule


def outcome(task: Task) -> tuple[str, MoveRule | None]:
    """("right" | "wrong" | "none" | "-", the rule) for one task."""
    if not all(ex.input.shape == ex.output.shape for ex in task.train):
        return "-", None
    values = (*(ex.input for ex in task.train), *(ex.input for ex in task.test))
    rule = learn_move_rule(values, task.challenge(), background_color(task.challenge()))
    if rule is None:
        return "none", None
    right = all(np.array_equal(move_objects(ex.input, *rule), ex.output) for ex in task.test)
    return ("right" if right else "wrong"), rule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the per-task outcomes here")
    args = parser.parse_args()
    found = {task.id: outcome(task) for task in load_dataset("arc1:train").tasks()}
    counts = Counter(kind for kind, _ in found.values())
    print(f"right {counts['right']}, wrong {counts['wrong']}, no rule {counts['none']} "
          f"(of {len(found) - counts['-']} same-shape training tasks)")
    actions = Counter(MOVE_ACTIONS[a] for kind, rule in found.values() if kind == "right"
                      for a in set(rule.values))
    for action, n in actions.most_common():
        print(f"  {n:3d}  {action}")
    for kind in ("right", "wrong"):
        print(kind, " ".join(f"{t}:{tuple(r)}" for t, (k, r) in sorted(found.items())
                             if k == kind))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({t: {"outcome": k, "rule": r and list(r)} for t, (k, r) in found.items()},
                      out, indent=1)


if __name__ == "__main__":
    main()
