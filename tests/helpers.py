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
from synth.data.task import Challenge, make_grid


def sleepy(task: Challenge, config: SolveConfig) -> Solution:
    """Sleeps far past any time limit."""
    time.sleep(3600)
    return solve_baseline(task, config)


def slowish(task: Challenge, config: SolveConfig) -> Solution:
    """The baseline after 0.3 s, so a run of a few tasks can be killed mid-way."""
    time.sleep(0.3)
    return solve_baseline(task, config)


def greedy(task: Challenge, config: SolveConfig) -> Solution:
    """Allocates 10 GB (and touches it, should the allocation succeed)."""
    block = np.ones(10 * 2**30, dtype=np.uint8)
    return Solution(((make_grid(block[:1].reshape(1, 1)),) * 2,) * len(task.test_inputs))


def crashing(task: Challenge, config: SolveConfig) -> Solution:
    """Raises a ValueError."""
    raise ValueError(f"boom on {task.id}")


def malformed(task: Challenge, config: SolveConfig) -> Solution:
    """Answers one attempt pair too few."""
    return Solution(solve_baseline(task, config).attempts[1:])


def suicidal(task: Challenge, config: SolveConfig) -> Solution:
    """Exits the worker process without answering."""
    os._exit(3)


def sleepy_on_b(task: Challenge, config: SolveConfig) -> Solution:
    """Sleeps forever on task ids starting with 'b', else the baseline."""
    if task.id.startswith("b"):
        time.sleep(3600)
    return solve_baseline(task, config)


def second_verified_is_right(task: Challenge, config: SolveConfig) -> Solution:
    """Answers [[0]] twice while reporting the identity as a second verified alternative and
    the left-right mirror as an unverified third: found but not chosen where the identity is
    right; not counted where only the unverified mirror is right."""
    zero = make_grid([[0]])
    attempts = ((zero, zero),) * len(task.test_inputs)
    alternatives = tuple(
        {"outputs": outputs, "verified": verified}
        for outputs, verified in (([[[0]]] * len(task.test_inputs), True),
                                  ([grid.tolist() for grid in task.test_inputs], True),
                                  ([grid[:, ::-1].tolist() for grid in task.test_inputs], False)))
    return Solution(attempts, alternatives=alternatives)


def _held_arrays(value: object, depth: int = 0) -> list[np.ndarray]:
    """Every numpy array reachable from `value` through attributes and containers."""
    if depth > 4:
        return []
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, (tuple, list)):
        return [a for item in value for a in _held_arrays(item, depth + 1)]
    fields = getattr(value, "__dataclass_fields__", None) or getattr(value, "__dict__", {})
    return [a for name in fields for a in _held_arrays(getattr(value, name), depth + 1)]


def peeking(task: Challenge, config: SolveConfig) -> Solution:
    """Goes looking for the test outputs: a `test` attribute, then every array the task
    holds; answers them if found (which would score 1.0), else the baseline."""
    outputs = [getattr(ex, "output", None) for ex in getattr(task, "test", ())]
    known = [ex.output for ex in task.train] + list(task.inputs)
    strangers = [a for a in _held_arrays(task) if not any(a is k for k in known)]
    if outputs and all(o is not None for o in outputs):
        return Solution(tuple((o, o) for o in outputs), proposer="peeked")
    if strangers:
        return Solution(tuple((s, s) for s in strangers[:len(task.test_inputs)]),
                        proposer="peeked")
    return solve_baseline(task, config)
