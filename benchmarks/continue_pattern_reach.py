"""Reach of `continue_pattern` (dsl.primitives.patterns) over the arc1 training tasks.

For every training task: the first (axis, background) — axes 0, 1, 2; the task's background,
then 0 — whose `continue_pattern` reproduces every train output, and whether it is right on
every test output too. Training tasks only. Usage: python benchmarks/continue_pattern_reach.py
"""
from __future__ import annotations

import numpy as np

from dsl.errors import EvalError
from dsl.primitives.patterns import continue_pattern
from dsl.values import Grid
from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Example, Task


def _right(examples: tuple[Example, ...], axis: int, bg: int) -> bool:
    for ex in examples:
        try:
            out: Grid = continue_pattern.fn(ex.input, axis, bg)
        except EvalError:
            return False
        if ex.output is None or not np.array_equal(out, ex.output):
            return False
    return True


def main() -> None:
    right: list[str] = []
    wrong: list[str] = []
    for task in load_dataset("arc1:train").entries.values():
        if not isinstance(task, Task):
            continue
        bgs = dict.fromkeys((background_color(task.challenge()), 0))
        fits = [(axis, bg) for bg in bgs for axis in (0, 1, 2) if _right(task.train, axis, bg)]
        if fits:
            (right if _right(task.test, *fits[0]) else wrong).append(task.id)
    print(f"right on train and test: {len(right)} {right}")
    print(f"right on train, wrong on test: {len(wrong)} {wrong}")


if __name__ == "__main__":
    main()
