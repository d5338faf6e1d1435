"""Named solvers: the functions `synth solve` and `synth eval` can run on a task.

A solver takes a Task and a SolveConfig and returns a Solution holding two attempts per test
input. `search` (the default) is the program search of `synth.run.solve`; `baseline` answers the
identity and the most frequent train output, the floor every real solver must beat.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from types import MappingProxyType

from synth.data.scoring import grids_equal
from synth.run.config import SolveConfig, Solution
from synth.data.task import Grid, Task


Solver = Callable[[Task, SolveConfig], Solution]
WARM_UP_S = 2.0


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


class SearchSolver:
    """The program search (library + enumeration), see `synth.run.solve`.

    `warm_up()` loads what every task needs (the parsed program library) so that a batch
    runner can do it once in the parent before forking workers."""

    info: Mapping[str, str] = MappingProxyType({
        "stages": "library, enumerative, beam",
        "library": "library/ golden programs and their variants, leave-one-out: a program "
                   "written for the task being solved (same file stem as the task id) is "
                   "never used on it",
    })

    def __call__(self, task: Task, config: SolveConfig) -> Solution:
        from synth.run.solve import solve_task

        return solve_task(task, config)

    def warm_up(self) -> None:
        """Import the search and the registry and parse the program library, once.

        Called in a batch runner's parent before forking, so every worker starts with the
        same code and data already loaded; a short solve of a tiny task also loads the
        compiled kernels (numba's cache) once instead of in every worker."""
        from dsl.registry import default_registry
        from synth.proposers.library import load_library
        from synth.run.solve import solve_task
        from synth.data.task import Example, make_grid

        default_registry()
        load_library()
        tiny = Task("warm-up", (Example(make_grid([[1, 0], [0, 2]]), make_grid([[9]])),),
                    (Example(make_grid([[0, 3], [3, 0]]), None),))
        solve_task(tiny, SolveConfig(time_limit=WARM_UP_S))


SOLVERS: Mapping[str, Solver] = MappingProxyType({
    "search": SearchSolver(),
    "baseline": solve_baseline,
})
DEFAULT_SOLVER = "search"

__all__ = ["DEFAULT_SOLVER", "SOLVERS", "SolveConfig", "Solution", "Solver", "get_solver",
           "solve_baseline"]


def get_solver(name: str) -> Solver:
    """Look up a solver by name; unknown names raise KeyError listing the known ones."""
    try:
        return SOLVERS[name]
    except KeyError:
        raise KeyError(f"unknown solver '{name}' (known: {', '.join(SOLVERS)})") from None
