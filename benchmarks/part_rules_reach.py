"""Reach of the part rules (synth.search.part_rules) over the arc1 training tasks.

For every training task: whether some part-space program reproduces every train output
(background: the task's, then 0), and whether the first such program, run by the reference
interpreter, is right on every test output. Training tasks only.
Usage: python benchmarks/part_rules_reach.py
"""
from __future__ import annotations

import numpy as np

from dsl.parser import parse_program
from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Task
from synth.proposers.base import interpreted_grids
from synth.search.part_rules import part_rule_programs


def main() -> None:
    right = wrong = 0
    for task in load_dataset("arc1:train").entries.values():
        if not isinstance(task, Task):
            continue
        challenge = task.challenge()
        programs = [p for bg in dict.fromkeys((background_color(challenge), 0))
                    for p in part_rule_programs(challenge, bg, lambda n: True)]
        if not programs:
            continue
        results = interpreted_grids(parse_program(programs[0]), challenge.inputs)
        n = len(task.train)
        train_ok = results is not None and all(
            r is not None and np.array_equal(r, ex.output)
            for r, ex in zip(results[:n], task.train))
        ok = train_ok and all(
            r is not None and np.array_equal(r, ex.output)
            for r, ex in zip(results[n:], task.test))
        right, wrong = right + ok, wrong + (not ok)
        print(task.id, len(programs), "right" if ok else
              "WRONG on test" if train_ok else "WRONG on train", programs[0].splitlines()[1:])
    print(f"tasks with a part-rule program: {right + wrong}; right on test: {right}; "
          f"wrong: {wrong}")


if __name__ == "__main__":
    main()
