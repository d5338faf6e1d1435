"""pass@2 scoring: per test output, per task, and the two dataset aggregates.

`score_task` is the mean over tasks of the fraction of each task's test outputs solved (the ARC
Prize harness); `score_output` is solved test outputs over all test outputs (the Kaggle text).
Test outputs that are unknown (e.g. a hidden test set) are not scored: such tasks are left
out of both aggregates.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from synth.data.task import Challenge, Grid, Task, make_grid


def grids_equal(a: Grid | None, b: Grid | None) -> bool:
    """Exact equality, shape included; None equals nothing."""
    return a is not None and b is not None and a.shape == b.shape and bool(np.array_equal(a, b))


def train_matches(outputs: Sequence[Grid | None], task: Challenge) -> bool:
    """True when every train output is reproduced exactly."""
    return len(outputs) == len(task.train) and all(
        grids_equal(out, ex.output) for out, ex in zip(outputs, task.train))


def alternative_correct(task: Task, alternative: Mapping[str, Any]) -> list[bool | None]:
    """Per test output: does this alternative's output equal the known answer (None: unknown)."""
    outputs = alternative.get("outputs", [])
    return [None if ex.output is None else
            (i < len(outputs) and grids_equal(make_grid(outputs[i]), ex.output))
            for i, ex in enumerate(task.test)]


def output_correct(attempts: Sequence[Grid | None], truth: Grid | None) -> bool | None:
    """pass@2 for one test output: True if any attempt equals it; None when truth is unknown."""
    if truth is None:
        return None
    return any(grids_equal(attempt, truth) for attempt in attempts[:2])


def task_score(correct: Sequence[bool | None]) -> float | None:
    """Fraction of a task's test outputs solved; None when any output is unknown."""
    if not correct or any(c is None for c in correct):
        return None
    return sum(bool(c) for c in correct) / len(correct)


def aggregate(correct_by_task: Iterable[Sequence[bool | None]]) -> tuple[float, float]:
    """Return (score_task, score_output) over the tasks whose outputs are all known."""
    task_scores: list[float] = []
    solved = total = 0
    for correct in correct_by_task:
        score = task_score(correct)
        if score is None:
            continue
        task_scores.append(score)
        solved += sum(bool(c) for c in correct)
        total += len(correct)
    score_task = sum(task_scores) / len(task_scores) if task_scores else 0.0
    score_output = solved / total if total else 0.0
    return score_task, score_output
