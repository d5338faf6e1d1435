"""Named solvers: the functions `synth solve` and `synth eval` can run on a task.

A solver takes a Challenge (a task without test outputs) and a SolveConfig and returns a
Solution holding two attempts per test input. `search` (the default) is the program search of
`synth.run.solve`; `baseline` answers the identity and the most frequent train output, the
floor every real solver must beat. `resolve_solver` also takes `module:function`, a solver of
the user's own. A solver may have `warm_up(config)` (load shared data once, before a batch
runner forks its workers) and `describe(config)` (what results.json records about it).
"""
from __future__ import annotations

import difflib
import importlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from dsl.compile import run_compiled
from dsl.errors import DSLError
from dsl.parser import parse_program
from dsl.registry import default_registry
from native import mark_kernels_compiled
from synth.data.errors import InputError
from synth.data.golden import library_scope
from synth.data.scoring import grids_equal
from synth.data.task import Challenge, Example, Grid, make_grid
from synth.proposers.closure import ClosureProposer
from synth.proposers.library import load_library
from synth.proposers.registry import PROPOSERS, parse_plan, plan_text
from synth.run.config import SolveConfig, Solution
from synth.run.solve import default_stages, solve_task

Solver = Callable[[Challenge, SolveConfig], Solution]
WARM_UP_S = 2.0
LEAVE_ONE_OUT = ("golden programs and their variants, leave-one-out: a program written for "
                 "the task being solved (same file stem as the task id) is never used on it")


def _most_frequent_output(task: Challenge) -> Grid:
    counts = Counter((ex.output.shape, ex.output.tobytes()) for ex in task.train)
    key, _ = counts.most_common(1)[0]
    return next(ex.output for ex in task.train if (ex.output.shape, ex.output.tobytes()) == key)


def solve_baseline(task: Challenge, config: SolveConfig) -> Solution:
    """Identity as attempt 1, the most frequent train output as attempt 2."""
    frequent = _most_frequent_output(task)
    attempts = tuple((grid, frequent) for grid in task.test_inputs)
    program = None
    if all(grids_equal(ex.input, ex.output) for ex in task.train):
        program = "identity"
    elif all(grids_equal(ex.output, frequent) for ex in task.train):
        program = "constant(most frequent train output)"
    return Solution(attempts, program=program, proposer="baseline" if program else None,
                    candidates=2)


class SearchSolver:
    """The program search over the configured stage plan, see `synth.run.solve`."""

    def __call__(self, task: Challenge, config: SolveConfig) -> Solution:
        return solve_task(task, config)

    def warm_up(self, config: SolveConfig) -> None:
        """Load the registry and every configured proposer's data, and the compiled kernels.

        Called in a batch runner's parent before forking, so every worker starts with the
        same code and data already loaded and the kernels compiled (numba's cache), instead
        of each worker compiling them inside its task's time limit."""
        default_registry()
        compile_kernels()
        for stage in default_stages(config):
            stage.proposer.warm_up()
        tiny = Challenge("warm-up", (Example(make_grid([[1, 0], [0, 2]]), make_grid([[9]])),),
                         (make_grid([[0, 3], [3, 0]]),))
        symbolic = ",".join(n for n, _ in parse_plan(config.proposers)
                            if PROPOSERS[n].model_role is None)
        solve_task(tiny, SolveConfig(time_limit=WARM_UP_S, proposers=symbolic or "enumerative",
                                     search=config.search))

    def describe(self, config: SolveConfig) -> dict[str, Any]:
        """The stage plan and what each stage loaded (e.g. the library's folders and any
        program that failed to parse)."""
        plan = parse_plan(config.proposers)
        info: dict[str, Any] = {"stages": plan_text(plan), "mode": config.mode()}
        if any(name == "library" for name, _ in plan):
            library = load_library(library_scope(config.search.library))
            info["library"] = {"policy": LEAVE_ONE_OUT, **library.describe()}
        return info


# programs whose kernels no golden program calls but the enumerator does
WARM_UP_PROGRAMS = tuple(f"solve(I: Grid) -> Grid:\n    O = continue_pattern(I, {axis}, black)\n"
                         for axis in (0, 1, 2)) + (
    "solve(I: Grid) -> Grid:\n    O = fill_clear_lines(I, 0, red)\n",
    "solve(I: Grid) -> Grid:\n    O = roll(I, 1, 1)\n",
    "solve(I: Grid) -> Grid:\n    O = paint_object_parts(I, 0, red)\n")


def compile_kernels() -> None:
    """Run every shipped golden program and `WARM_UP_PROGRAMS` once on two small grids, and
    the closure once, so that numba compiles (on a fresh install, ~60 s) or loads from its
    cache (~1 s) the kernels the search uses; then stamp the cache as complete
    (`native.kernels_cached`)."""
    noise = np.where(np.arange(72).reshape(8, 9) % 7 == 0, np.arange(72).reshape(8, 9) % 9 + 1,
                     0)
    grids = [make_grid([[1, 0, 2], [0, 1, 0], [3, 0, 1]]), make_grid(noise)]
    programs = [program for _, program in load_library().programs]
    programs += [parse_program(text) for text in WARM_UP_PROGRAMS]
    for program in programs:
        try:
            run_compiled(program, grids, typecheck=False)
        except DSLError:
            continue
    ClosureProposer().warm_up()
    mark_kernels_compiled()


SOLVERS: Mapping[str, Solver] = MappingProxyType({
    "search": SearchSolver(),
    "baseline": solve_baseline,
})
DEFAULT_SOLVER = "search"


def get_solver(name: str) -> Solver:
    """A registered solver; an unknown name is an InputError with a did-you-mean."""
    if name in SOLVERS:
        return SOLVERS[name]
    close = difflib.get_close_matches(name, SOLVERS, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise InputError(f"unknown solver '{name}'{hint} (known: {', '.join(SOLVERS)}, or "
                     f"module:function)", field="--solver")


def resolve_solver(spec: str) -> Solver:
    """A solver by registered name, or a `module:function` spec imported with importlib.

    For a `module:function` spec the current folder is appended to `sys.path` (as `python -m`
    would put it first), so `synth eval ... --solver tests.helpers:slowish` works from the
    repository root with the console script too.
    """
    if ":" not in spec:
        return get_solver(spec)
    module_name, _, attr = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError(f"cannot import solver module '{module_name}' ({exc}); it must be "
                         f"importable from the current folder", field="--solver") from None
    solver = getattr(module, attr, None)
    if not callable(solver):
        raise InputError(f"'{module_name}' has no function '{attr}'", field="--solver")
    return solver


def solver_info(solver: Solver, config: SolveConfig) -> dict[str, Any]:
    """What a solver says about itself under this configuration (empty if it says nothing)."""
    describe = getattr(solver, "describe", None)
    return dict(describe(config)) if callable(describe) else {}


def warm_up(solver: Solver, config: SolveConfig) -> None:
    """Run the solver's warm-up, if it has one."""
    hook = getattr(solver, "warm_up", None)
    if callable(hook):
        hook(config)
