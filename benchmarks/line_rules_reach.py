"""How many training tasks a learned line rule solves straight from the inputs.

    python benchmarks/line_rules_reach.py [--cross-validate] [--json OUT]

For every `arc1:train` task whose train outputs keep their inputs' shapes, learns
`synth.search.line_rules.learn_line_rule` on the inputs themselves (the task's background as
`bg`) and scores the rule on the test outputs: right, wrong, or no rule. Prints the counts, the
tasks and their rules. It reads only the training set. `reach_main` is shared with the other
same-shape rule learners' reach scripts (`box_rules_reach.py`).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`

from synth.analysis.features import background_color  # noqa: E402
from synth.data.datasets import load_dataset  # noqa: E402
from synth.data.task import Task  # noqa: E402
from synth.search.line_rules import apply_rule, learn_line_rule  # noqa: E402

Learner = Callable[..., Any]
Applier = Callable[[np.ndarray, Any], np.ndarray]


def outcome(task: Task, cross_validate: bool, learn: Learner, apply: Applier
            ) -> tuple[str, Any]:
    """("right" | "wrong" | "none" | "-", the rule) for one task."""
    if not all(ex.input.shape == ex.output.shape for ex in task.train):
        return "-", None
    values = (*(ex.input for ex in task.train), *(ex.input for ex in task.test))
    rule = learn(values, task.challenge(), background_color(task.challenge()), cross_validate)
    if rule is None:
        return "none", None
    right = all(np.array_equal(apply(ex.input, rule), ex.output) for ex in task.test)
    return ("right" if right else "wrong"), rule


def reach_main(doc: str, learn: Learner, apply: Applier, describe: Callable[[Any], list]
               ) -> None:
    """Learn a rule per training task, print the counts and rules, write JSON on request."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--cross-validate", action="store_true")
    parser.add_argument("--json", help="write the per-task outcomes here")
    args = parser.parse_args()
    found = {task.id: outcome(task, args.cross_validate, learn, apply)
             for task in load_dataset("arc1:train").tasks()}
    counts = Counter(kind for kind, _ in found.values())
    print(f"right {counts['right']}, wrong {counts['wrong']}, no rule {counts['none']} "
          f"(of {len(found) - counts['-']} same-shape training tasks)")
    for kind in ("right", "wrong"):
        for task_id, (k, rule) in sorted(found.items()):
            if k == kind and rule is not None:
                print(f"{kind:5s} {task_id} {describe(rule)}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({t: {"outcome": k, "rule": describe(r) if r else None}
                       for t, (k, r) in found.items()}, out, indent=1)


if __name__ == "__main__":
    reach_main(__doc__, learn_line_rule, apply_rule,
               lambda rule: [list(atom) for atom in rule.atoms])
