"""Named solvers: the functions `synth solve` and `synth eval` can run on a task.

A solver takes a Task and a SolveConfig and returns a Solution holding two attempts per test
input. Until the program search exists the only solver is `baseline`: attempt 1 is the test
input itself (identity), attempt 2 the most frequent train output. It exists to exercise the
harness end to end and as the floor every real solver must beat.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from synth.scoring import grids_equal
from synth.task import Grid, Task


@dataclass(frozen=True)
class SolveConfig:
    """Per-task solver settings (time limit in seconds, beam width, random seed)."""

    time_limit: float = 30.0
    beam: int = 100
    seed: int = 0


@dataclass(frozen=True)
class Solution:
    """Two attempts per test input, plus the program and proposer that produced attempt 1."""

    attempts: tuple[tuple[Grid, Grid], ...]
    program: str | None = None
    proposer: str | None = None
    candidates: int = 0
    stats: dict = field(default_factory=dict)


Solver = Callable[[Task, SolveConfig], Solution]


def _most_frequent_output(task: Task) -> Grid:
    counts = Counter((ex.output.shape, ex.output.tobytes()) for ex in task.train)
    key, _ = counts.most_common(1)[0]
    return next(ex.output for ex in task.train if (ex.output.shape, ex.output.tobytes()) == key)


def solve_baseline(task: Task, config: SolveConfig) -> Solution:
    """Identity as attempt 1, the most frequent train output as attempt 2."""
    frequent = _most_frequent_output(task)
    attempts = tuple((ex.input, frequent) for ex in task.test)
    program = None
    if all(grids_equal(ex.input, ex.output) for ex in task.train):
        program = "identity"
    elif all(grids_equal(ex.output, frequent) for ex in task.train):
        program = "constant(most frequent train output)"
    return Solution(attempts, program=program, proposer="baseline" if program else None,
                    candidates=2)


SOLVERS: Mapping[str, Solver] = MappingProxyType({"baseline": solve_baseline})
DEFAULT_SOLVER = "baseline"


def get_solver(name: str) -> Solver:
    """Look up a solver by name; unknown names raise KeyError listing the known ones."""
    try:
        return SOLVERS[name]
    except KeyError:
        raise KeyError(f"unknown solver '{name}' (known: {', '.join(SOLVERS)})") from None
