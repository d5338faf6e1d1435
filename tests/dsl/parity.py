"""Parity helpers shared by evaluator tests: run a program interpreted and compiled, compare."""
from __future__ import annotations

from typing import Any

import numpy as np

from dsl.compile import compile_program
from dsl.errors import EvalError
from dsl.interp import Budget, run_program
from dsl.parser import parse_program
from dsl.values import Object, value_key


def same_value(ref: Any, got: Any, where: str = "result") -> None:
    """Equal values and runtime types (EvalErrors: equal messages); grids read-only."""
    assert type(ref) is type(got), f"{where}: {type(ref).__name__} vs {type(got).__name__}"
    if isinstance(ref, EvalError):
        assert str(ref) == str(got), where
    elif isinstance(ref, np.ndarray):
        assert ref.dtype == got.dtype and value_key(ref) == value_key(got), where
        assert not got.flags.writeable, where
    elif isinstance(ref, tuple):
        assert len(ref) == len(got), where
        for i, (a, b) in enumerate(zip(ref, got)):
            same_value(a, b, f"{where}[{i}]")
    elif isinstance(ref, Object):
        assert value_key(ref) == value_key(got), where
    else:
        assert ref == got, where


def run_both(text: str, inputs: list[np.ndarray], budget: Budget = Budget()) -> list[Any]:
    """Run a program in both evaluators, check they agree, and return the results."""
    program = parse_program(text)
    ref = run_program(program, inputs, budget=budget)
    got = compile_program(program, budget=budget).run(inputs)
    assert len(ref) == len(got)
    for i, (a, b) in enumerate(zip(ref, got)):
        same_value(a, b, f"input {i}")
    return got
