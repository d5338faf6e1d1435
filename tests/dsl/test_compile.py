"""Compiled plans (dsl/compile.py) give exactly the reference interpreter's results: on every
golden program's task, on random well-typed programs, and under every budget."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.compile import compile_program, run_compiled
from dsl.errors import EvalError
from dsl.generate import random_program
from dsl.interp import Budget, run_program
from dsl.parser import parse_program
from dsl.registry import default_registry
from synth.data.datasets import load_dataset
from synth.data.golden import DATASET_OF_FOLDER, LIBRARY_ROOT, library_files
from tests.dsl.parity import run_both, same_value
from tests.strategies import grids

GRID = np.arange(30, dtype=np.uint8).reshape(5, 6) % 4
GRID.setflags(write=False)
GOLDEN = [path for folder in sorted(LIBRARY_ROOT.iterdir()) if folder.is_dir()
          for path in library_files(folder)]


# --- golden programs -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tasks() -> dict:
    return {spec: load_dataset(spec).entries for spec in set(DATASET_OF_FOLDER.values())
            if any(DATASET_OF_FOLDER[p.parent.name] == spec for p in GOLDEN)}


def test_every_golden_program_compiles_to_the_interpreters_results(tasks: dict) -> None:
    assert GOLDEN
    for path in GOLDEN:
        task = tasks[DATASET_OF_FOLDER[path.parent.name]][path.stem]
        inputs = [ex.input for ex in (*task.train, *task.test)]
        program = parse_program(path.read_text(encoding="utf-8"))
        ref = run_program(program, inputs)
        got = compile_program(program).run(inputs)
        for i, (a, b) in enumerate(zip(ref, got)):
            same_value(a, b, f"{path.stem} input {i}")


# --- random programs -------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.lists(grids(max_side=12), min_size=1, max_size=3),
       st.integers(1, 10))
def test_random_programs_compile_to_the_interpreters_results(seed, inputs, length) -> None:
    program = random_program(random.Random(seed), default_registry(), length)
    ref = run_program(program, inputs)
    got = run_compiled(program, inputs)
    for i, (a, b) in enumerate(zip(ref, got)):
        same_value(a, b, f"input {i}")


# --- language features and budgets -----------------------------------------------------------

def test_definitions_lambdas_keywords_function_values_and_lists() -> None:
    text = ("def spin(g: Grid, n: Int) -> Grid:\n    x = iterate(rot90, g, n)\n\n"
            "def biggest(g: Grid) -> Object:\n    a = objects(g, connect=8)\n"
            "    b = argmax(a, size)\n\n"
            "solve(I: Grid) -> Grid:\n    x1 = spin(I, 2)\n"
            "    x2 = objects(x1, bg=0, connect=8)\n"
            "    x3 = map(x2, lambda o: recolor(o, int_to_color(mod(add(obj_color(o), 1), 10))))\n"
            "    x4 = fold(x3, x1, lambda g, o: paint(g, move(o, 0, count_by(x3, lambda p: "
            "gt(size(p), size(o))))))\n"
            "    x5 = [x4, x1, x4]\n    x6 = most_common_grid(x5)\n"
            "    x7 = subgrid(x6, biggest(x6))\n    x8 = map(x2, size)\n"
            "    x9 = apply(compose(flip_h, trim), x7)\n    O = x9\n")
    grids_ = [GRID, np.zeros((3, 3), np.uint8), np.eye(4, dtype=np.uint8) * 3]
    for grid in grids_[1:]:
        grid.setflags(write=False)
    run_both(text, grids_)


def test_eval_error_is_a_per_input_result() -> None:
    out = run_both("solve(I: Grid) -> Grid:\n    x = downscale(I, 2)\n    O = rot90(x)\n",
                [np.zeros((4, 4), np.uint8), np.zeros((3, 3), np.uint8),
                 np.zeros((2, 6), np.uint8)])
    assert isinstance(out[0], np.ndarray) and isinstance(out[1], EvalError)
    assert isinstance(out[2], np.ndarray)


@pytest.mark.parametrize("budget", [Budget(max_calls=200), Budget(max_calls=7),
                                    Budget(max_cells=100), Budget(max_items=50),
                                    Budget(max_items=1)])
def test_budgets_fail_at_the_same_call(budget: Budget) -> None:
    text = ("solve(I: Grid) -> Grid:\n    x1 = range(60)\n"
            "    x2 = map(x1, lambda i: iterate(rot90, I, 4))\n    x3 = first(x2)\n"
            "    x4 = tile(x3, 4, 4)\n    x5 = pair(x4, x1)\n    O = pair_first(x5)\n")
    out = run_both(text, [GRID, np.ones((2, 2), np.uint8)], budget)
    assert isinstance(out[0], EvalError)


def test_defaults_of_function_values_and_missing_arguments() -> None:
    run_both("solve(I: Grid) -> Grid:\n    x1 = objects(I)\n    x2 = map(x1, obj_color)\n"
          "    x3 = apply(trim, I)\n    O = x3\n", [GRID, np.zeros((2, 2), np.uint8)])


def test_plan_shape_and_entry_arguments() -> None:
    plan = compile_program(parse_program("solve(I: Grid) -> Grid:\n    x = rot90(I)\n"
                                         "    y = x\n    O = flip_h(y)\n"))
    assert plan.n_steps == 2
    (result,) = plan.run_args([(GRID,)])
    assert np.array_equal(result, np.fliplr(np.rot90(GRID, -1)))
    assert plan.run([]) == []


def test_unknown_primitive_is_rejected_at_compile_time() -> None:
    with pytest.raises(Exception, match="unknown primitive"):
        compile_program(parse_program("solve(I: Grid) -> Grid:\n    O = nope(I)\n"))


def test_golden_library_is_not_empty() -> None:
    assert Path(LIBRARY_ROOT / "arc1-train").is_dir() and GOLDEN
