"""Reach of the part combinations (synth.search.part_combos) over the arc1 training tasks.

For every training task: whether some combination of the parts of a split input reproduces
every train output (transparent colour: the task's background, then 0), and whether the first
such program, run by the reference interpreter, is right on every test output. Training tasks
only. Usage: python benchmarks/part_combos_reach.py
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from dsl.parser import parse_program
from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Challenge, Task
from synth.proposers.base import interpreted_grids
from synth.search.part_combos import part_programs


Programs = Callable[[Challenge, int, Callable[[int], bool]], Iterable[str]]


def reach(programs_of: Programs, label: str, show: Callable[[str], object] = lambda p: "") -> None:
    """For every training task, the first program `programs_of(challenge, bg, spend)` writes
    (bg: the task's background, then 0), run by the reference interpreter: right or wrong on
    the train and test outputs; prints one line per task with a program and a summary."""
    right = wrong = 0
    for task in load_dataset("arc1:train").entries.values():
        if not isinstance(task, Task):
            continue
        challenge = task.challenge()
        programs = [p for bg in dict.fromkeys((background_color(challenge), 0))
                    for p in programs_of(challenge, bg, lambda n: True)]
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
              "WRONG on test" if train_ok else "WRONG on train", show(programs[0]))
    print(f"tasks with a {label} program: {right + wrong}; right on test: {right}; "
          f"wrong: {wrong}")


def main() -> None:
    reach(part_programs, "part")


if __name__ == "__main__":
    main()
