"""Parity helpers shared by evaluator and kernel tests: compare outcomes of two
implementations (values or EvalErrors), and run a program interpreted and compiled."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from dsl.compile import compile_program
from dsl.errors import EvalError
from dsl.interp import Budget, run_program
from dsl.parser import parse_program
from dsl.values import Object, value_key


def outcome(fn: Callable[..., Any], args: Sequence[Any]) -> Any:
    """`fn(*args)`, or the EvalError it raises (any other exception propagates)."""
    try:
        return fn(*args)
    except EvalError as err:
        return err


def same_outcome(ref: Any, fast: Any, where: str = "result") -> None:
    """Equal values of equal runtime types, arrays read-only, objects' offsets plain ints;
    EvalErrors with equal messages (a fast path against its reference)."""
    assert type(ref) is type(fast), f"{where}: {type(ref).__name__} vs {type(fast).__name__}"
    if isinstance(ref, EvalError):
        assert str(ref) == str(fast), f"{where}: {ref} vs {fast}"
    elif isinstance(ref, np.ndarray):
        assert ref.dtype == fast.dtype and ref.shape == fast.shape, where
        assert np.array_equal(ref, fast), where
        assert not fast.flags.writeable, f"{where}: not read-only"
    elif isinstance(ref, Object):
        assert (ref.top, ref.left) == (fast.top, fast.left), where
        assert type(fast.top) is int and type(fast.left) is int, where
        same_outcome(ref.mask, fast.mask, f"{where}.mask")
        same_outcome(ref.colors, fast.colors, f"{where}.colors")
    elif isinstance(ref, tuple):
        assert len(ref) == len(fast), where
        for i, (a, b) in enumerate(zip(ref, fast)):
            same_outcome(a, b, f"{where}[{i}]")
    else:
        assert ref == fast, f"{where}: {ref!r} vs {fast!r}"


def input_arrays(args: Sequence[Any]) -> list[np.ndarray]:
    """Every array among the arguments: grids, masks, objects' arrays, items of lists."""
    arrays: list[np.ndarray] = []
    for arg in args:
        if isinstance(arg, np.ndarray):
            arrays.append(arg)
        elif isinstance(arg, Object):
            arrays += [arg.colors, arg.mask]
        elif isinstance(arg, tuple):
            arrays += input_arrays(arg)
    return arrays


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
