"""The reference interpreter: budgets, error values, user definitions, whole-pipeline totality."""
from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.generate import random_program
from dsl.interp import Budget, run_program
from dsl.parser import parse_program
from dsl.registry import default_registry
from dsl.typeof import value_has_type
from dsl.types import GRID
from tests.strategies import grids

GRID_5 = np.arange(25, dtype=np.uint8).reshape(5, 5) % 10


def run_one(text: str, grid: np.ndarray = GRID_5, budget: Budget = Budget()) -> object:
    return run_program(parse_program(text), [grid], budget=budget)[0]


def test_call_budget() -> None:
    text = ("solve(I: Grid) -> Grid:\n    x1 = range(100)\n"
            "    x2 = map(x1, lambda i: iterate(rot90, I, 4))\n    O = first(x2)\n")
    assert isinstance(run_one(text), np.ndarray)
    result = run_one(text, budget=Budget(max_calls=200))
    assert isinstance(result, EvalError) and "call budget" in str(result)


def test_cell_and_item_budgets() -> None:
    result = run_one("solve(I: Grid) -> Grid:\n    O = tile(I, 4, 4)\n", budget=Budget(max_cells=100))
    assert isinstance(result, EvalError) and "cells" in str(result)
    text = "solve(I: Grid) -> Grid:\n    x1 = range(60)\n    O = I\n"
    assert isinstance(run_one(text, budget=Budget(max_items=50)), EvalError)


def test_eval_error_is_a_per_input_result() -> None:
    results = run_program(parse_program("solve(I: Grid) -> Grid:\n    O = downscale(I, 2)\n"),
                          [np.zeros((4, 4), np.uint8), np.zeros((3, 3), np.uint8)])
    assert isinstance(results[0], np.ndarray) and results[0].shape == (2, 2)
    assert isinstance(results[1], EvalError)


def test_definitions_lambdas_keywords_and_results_are_read_only() -> None:
    text = ("def spin(g: Grid, n: Int) -> Grid:\n    x = iterate(rot90, g, n)\n\n"
            "solve(I: Grid) -> Grid:\n    x1 = spin(I, 2)\n"
            "    x2 = objects(x1, connect=8, bg=0)\n    x3 = map(x2, lambda o: recolor(o, red))\n"
            "    O = paint_all(x1, x3)\n")
    result = run_one(text)
    assert isinstance(result, np.ndarray) and not result.flags.writeable
    expected = np.rot90(GRID_5, 2).copy()
    expected[expected != 0] = 2
    assert np.array_equal(result, expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), grid=grids(max_side=12))
def test_random_programs_are_total(seed: int, grid: np.ndarray) -> None:
    program = random_program(random.Random(seed), default_registry(), 5)
    result = run_program(program, [grid])[0]
    assert isinstance(result, EvalError) or value_has_type(result, GRID)


def test_unknown_entry_program_is_rejected_before_running() -> None:
    with pytest.raises(Exception, match="unknown primitive"):
        run_program(parse_program("solve(I: Grid) -> Grid:\n    O = nope(I)\n"), [GRID_5])
