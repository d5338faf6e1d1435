"""Test-only solvers for the batch runner, named on the command line as `tests.helpers:NAME`.

Each misbehaves in one way (sleeps, allocates, raises, answers badly) so the tests can check
that `synth eval` isolates the task and goes on. `python -m synth` run from the repository root
can import them.
"""
from __future__ import annotations

import os
import time

import numpy as np

from synth.run.solvers import SolveConfig, Solution, solve_baseline
from synth.data.task import Task, make_grid


def sleepy(task: Task, config: SolveConfig) -> Solution:
    """Sleeps far past any time limit."""
    time.sleep(3600)
    return solve_baseline(task, config)


def slowish(task: Task, config: SolveConfig) -> Solution:
    """The baseline after 0.3 s, so a run of a few tasks can be killed mid-way."""
    time.sleep(0.3)
    return solve_baseline(task, config)


def greedy(task: Task, config: SolveConfig) -> Solution:
    """Allocates 10 GB (and touches it, should the allocation succeed)."""
    block = np.ones(10 * 2**30, dtype=np.uint8)
    return Solution(((make_grid(block[:1].reshape(1, 1)),) * 2,) * len(task.test))


def crashing(task: Task, config: SolveConfig) -> Solution:
    """Raises a ValueError."""
    raise ValueError(f"boom on {task.id}")


def malformed(task: Task, config: SolveConfig) -> Solution:
    """Answers one attempt pair too few."""
    return Solution(solve_baseline(task, config).attempts[1:])


def suicidal(task: Task, config: SolveConfig) -> Solution:
    """Exits the worker process without answering."""
    os._exit(3)


def sleepy_on_b(task: Task, config: SolveConfig) -> Solution:
    """Sleeps forever on task ids starting with 'b', else the baseline."""
    if task.id.startswith("b"):
        time.sleep(3600)
    return solve_baseline(task, config)


def second_verified_is_right(task: Task, config: SolveConfig) -> Solution:
    """Answers [[0]] twice while reporting the identity as a second verified alternative and
    the left-right mirror as an unverified third: found but not chosen where the identity is
    right; not counted where only the unverified mirror is right."""
    zero = make_grid([[0]])
    attempts = ((zero, zero),) * len(task.test)
    alternatives = tuple(
        {"outputs": outputs, "verified": verified}
        for outputs, verified in (([[[0]]] * len(task.test), True),
                                  ([ex.input.tolist() for ex in task.test], True),
                                  ([ex.input[:, ::-1].tolist() for ex in task.test], False)))
    return Solution(attempts, alternatives=alternatives)
