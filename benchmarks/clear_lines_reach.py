"""How many training tasks `fill_clear_lines` solves straight from the inputs.

    python benchmarks/clear_lines_reach.py

For every `arc1:train` task whose train outputs keep their inputs' shapes, tries every setting
of `dsl.primitives.drawing.fill_clear_lines` (margin, colour; the task's background as `bg`)
that reproduces every train output, and scores the first on the test outputs: right, wrong, or
none. Prints the counts and the tasks. It reads only the training set.
"""
from __future__ import annotations

import numpy as np

from dsl.primitives.drawing import CLEAR_MARGINS, fill_clear_lines
from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Task


def outcome(task: Task) -> tuple[str, tuple[int, int] | None]:
    """("right" | "wrong" | "none" | "-", the (margin, colour) setting) for one task."""
    if not all(ex.input.shape == ex.output.shape for ex in task.train):
        return "-", None
    bg = background_color(task.challenge())
    for margin in CLEAR_MARGINS:
        for colour in range(10):
            if all(np.array_equal(fill_clear_lines(ex.input, margin, colour, bg), ex.output)
                   for ex in task.train):
                right = all(np.array_equal(fill_clear_lines(ex.input, margin, colour, bg),
                                           ex.output) for ex in task.test)
                return ("right" if right else "wrong"), (margin, colour)
    return "none", None


def main() -> None:
    found = {task.id: outcome(task) for task in load_dataset("arc1:train").tasks()}
    kinds = [kind for kind, _ in found.values()]
    print(f"right {kinds.count('right')}, wrong {kinds.count('wrong')}, "
          f"none {kinds.count('none')} (of {len(kinds) - kinds.count('-')} same-shape tasks)")
    for task_id, (kind, setting) in sorted(found.items()):
        if setting is not None:
            print(f"{kind:5s} {task_id} margin, colour {setting}")


if __name__ == "__main__":
    main()
