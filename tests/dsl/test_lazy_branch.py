"""`branch(cond, then, otherwise)` is lazy in a call: the reference interpreter and compiled
plans evaluate only the alternative the condition selects, with identical results and call
counts. Named as a value, `branch` is still the strict reference function."""
from __future__ import annotations

import random
from typing import Any

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.compile import compile_program
from dsl.errors import DSLTypeError, EvalError
from dsl.generate import random_program
from dsl.interp import Budget, eval_expr, run_program
from dsl.parser import parse_program
from dsl.registry import LAZY_PRIMITIVES, default_registry
from dsl.typecheck import check_program
from dsl.values import frozen
from tests.dsl.parity import run_both, same_value
from tests.strategies import grids

SHAPES = [(4, 3), (3, 4), (3, 3), (4, 4), (5, 2), (2, 6), (1, 1)]
INPUTS = [frozen(np.arange(h * w, dtype=np.uint8).reshape(h, w) % 5) for h, w in SHAPES]


def _both(text: str, inputs: list[np.ndarray] = INPUTS, budget: Budget = Budget()
          ) -> list[Any]:
    """Both evaluators on the default inputs (see tests/dsl/parity.py)."""
    return run_both(text, inputs, budget)


def _solve(*lines: str, returns: str = "Grid") -> str:
    """A `solve(I: Grid)` program from its statements."""
    return f"solve(I: Grid) -> {returns}:\n" + "".join(f"    {line}\n" for line in lines)


def test_branch_is_the_only_lazy_primitive_and_is_registered() -> None:
    # both evaluators implement one special form (`branch_form`) for the names listed here
    assert LAZY_PRIMITIVES == frozenset({"branch"})
    assert all(name in default_registry() for name in LAZY_PRIMITIVES)
    assert "only the chosen" in default_registry()["branch"].doc


def test_unused_alternative_that_would_raise_is_not_evaluated() -> None:
    text = _solve("x1 = gt(height(I), width(I))",
                  "x2 = branch(x1, vsplit(I, 2), hsplit(I, 2))",
                  "O = first(x2)")
    out = _both(text)
    for grid, result in zip(INPUTS, out):
        h, w = grid.shape
        if h > w and h % 2 == 0:
            assert np.array_equal(result, grid[: h // 2])
        elif h <= w and w % 2 == 0:
            assert np.array_equal(result, grid[:, : w // 2])
        else:
            assert isinstance(result, EvalError) and "not divisible by 2" in str(result)
    # (4, 3) is tall with an even height: the odd-width hsplit is never evaluated
    assert isinstance(out[0], np.ndarray) and out[0].shape == (2, 3)


def test_chosen_alternative_or_condition_that_raises_is_an_error() -> None:
    out = _both(_solve("O = branch(true, downscale(I, 3), I)"))
    assert [isinstance(r, EvalError) for r in out] == [bool(h % 3 or w % 3) for h, w in SHAPES]
    assert all("downscale" in str(r) for r in out if isinstance(r, EvalError))
    out = _both(_solve("O = branch(false, I, downscale(I, 5))"))
    assert all(isinstance(r, EvalError) and "downscale" in str(r) for r in out)
    out = _both(_solve("x1 = eq(div(1, 0), 0)", "O = branch(x1, I, I)"))
    assert all(isinstance(r, EvalError) and "zero" in str(r) for r in out)


def test_nested_branches() -> None:
    text = _solve("x1 = is_even(height(I))",
                  "x2 = is_even(width(I))",
                  "x3 = branch(x1, branch(x2, downscale(I, 2), first(vsplit(I, 2))), "
                  "branch(x2, first(hsplit(I, 2)), branch(eq(I, rot90(I)), I, rot180(I))))",
                  "O = branch(not(x1), x3, branch(x2, x3, rot90(x3)))")
    out = _both(text)
    assert all(isinstance(r, np.ndarray) for r in out)
    assert np.array_equal(out[SHAPES.index((4, 4))], INPUTS[SHAPES.index((4, 4))][::2, ::2])


def test_keyword_arguments_choose_by_parameter() -> None:
    text = _solve("O = branch(otherwise=downscale(I, 2), cond=is_even(width(I)), then=I)")
    out = _both(text)
    for grid, result in zip(INPUTS, out):
        if grid.shape[1] % 2 == 0:
            assert np.array_equal(result, grid)
        else:
            assert isinstance(result, EvalError)


def test_branch_inside_lambdas() -> None:
    text = _solve("x1 = range(4)",
                  "x2 = map(x1, lambda i: branch(eq(i, 0), I, branch(and(eq(mod(height(I), i), "
                  "0), eq(mod(width(I), i), 0)), downscale(I, i), rot90(I))))",
                  "x3 = filter(x2, lambda g: branch(is_even(height(g)), "
                  "eq(first(vsplit(g, 2)), last(vsplit(g, 2))), false))",
                  "x4 = fold(x1, I, lambda acc, i: branch(is_even(i), acc, "
                  "branch(eq(width(acc), height(acc)), rot90(acc), flip_h(acc))))",
                  "x5 = pair(x2, x4)",
                  "O = branch(gt(count(x3), 0), first(x3), pair_second(x5))")
    # neither mod(., 0) nor downscale by a non-divisor nor an odd vsplit is ever evaluated
    out = _both(text)
    assert all(isinstance(r, np.ndarray) for r in out)
    square = INPUTS[SHAPES.index((4, 4))]
    assert np.array_equal(out[SHAPES.index((4, 4))], np.rot90(np.rot90(square, -1), -1))
    nested = _solve("x1 = range(3)",
                    "x2 = map(x1, lambda i: branch(gt(i, 1), map(x1, lambda j: "
                    "branch(eq(j, i), I, downscale(I, sub(j, i)))), [I]))",
                    "O = first(last(x2))")
    for grid, result in zip(INPUTS, _both(nested)):
        # i = 2: j = 0 and 1 give downscale by -2 and -1, which raise
        assert isinstance(result, EvalError) and "downscale" in str(result), grid.shape
    guarded = nested.replace("branch(eq(j, i), I, downscale(I, sub(j, i)))",
                             "branch(le(j, i), I, downscale(I, sub(j, i)))")
    assert all(isinstance(r, np.ndarray) for r in _both(guarded))


def test_unused_alternative_spends_no_calls_and_budgets_fail_at_the_same_call() -> None:
    lazy = _solve("O = branch(true, I, iterate(rot90, I, 4))")
    assert all(isinstance(r, np.ndarray) for r in _both(lazy, budget=Budget(max_calls=1)))
    # the chosen alternative counts: iterate, then 4 calls of rot90, then branch itself
    chosen = lazy.replace("true", "false")
    assert all(isinstance(r, np.ndarray) for r in _both(chosen, budget=Budget(max_calls=6)))
    out = _both(chosen, budget=Budget(max_calls=5))
    assert all(str(r) == "call budget of 5 exceeded (in branch)" for r in out)
    out = _both(chosen, budget=Budget(max_calls=4))
    assert all(str(r) == "call budget of 4 exceeded (in rot90)" for r in out)
    nested = _solve("x1 = range(5)",
                    "x2 = map(x1, lambda i: branch(is_even(i), iterate(rot90, I, i), "
                    "branch(gt(i, 2), flip_h(I), I)))",
                    "O = branch(is_even(height(I)), first(x2), last(x2))")
    for limit in range(1, 30):
        _both(nested, budget=Budget(max_calls=limit))


def test_result_checks_apply_to_the_chosen_value() -> None:
    text = _solve("x1 = tile(I, 3, 3)", "O = branch(true, x1, I)")
    out = _both(text, budget=Budget(max_cells=100))
    assert any(isinstance(r, EvalError) for r in out)


def test_branch_named_as_a_value_is_the_strict_reference() -> None:
    fn = eval_expr(ast.Var("branch"), {})
    assert fn(True, 1, 2) == 1 and fn(False, 1, 2) == 2
    text = ("def pick(f: (Bool, Grid, Grid) -> Grid, g: Grid) -> Grid:\n"
            "    y = identity(g)\n\n" + _solve("O = pick(branch, I)"))
    assert all(np.array_equal(r, g) for r, g in zip(_both(text), INPUTS))


def test_function_valued_alternatives() -> None:
    text = _solve("x1 = branch(gt(height(I), width(I)), rot90, compose(rot90, flip_h))",
                  "O = iterate(x1, I, 3)")
    _both(text)


# --- random programs with lazy branches ------------------------------------------------------

CONDITIONS = [
    "gt(height(I), width(I))", "is_even(width(I))", "eq(I, rot90(I))", "true", "false",
    "eq(count(objects(I)), 1)", "gt(div(height(I), sub(width(I), 3)), 0)",
]


def _condition(text: str) -> ast.Expr:
    """A Bool expression over `I`, parsed."""
    return parse_program(_solve(f"O = {text}", returns="Bool")).definitions[0].body[0].expr


def _with_branches(program: ast.Program, rng: random.Random) -> ast.Program:
    """The program with some statements' calls wrapped, possibly repeatedly, in a `branch`
    whose other alternative is an earlier variable of the same type."""
    types = check_program(program)["solve"].types
    defn = program.definitions[0]
    body: list[ast.Assign] = []
    seen = ["I"]
    for stmt in defn.body:
        expr = stmt.expr
        same_type = [name for name in seen if types[name] == types[stmt.target]]
        for _ in range(rng.randrange(3) if same_type else 0):
            other: ast.Expr = ast.Var(rng.choice(same_type))
            pair = (expr, other) if rng.random() < 0.5 else (other, expr)
            expr = ast.Call("branch", (_condition(rng.choice(CONDITIONS)), *pair))
        body.append(ast.Assign(stmt.target, expr))
        seen.append(stmt.target)
    return ast.Program((ast.Definition(defn.name, defn.params, defn.returns, tuple(body)),))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.lists(grids(max_side=10), min_size=1, max_size=3),
       st.integers(1, 8), st.sampled_from([Budget(), Budget(max_calls=12)]))
def test_random_programs_with_lazy_branches_agree(seed, inputs, length, budget) -> None:
    rng = random.Random(seed)
    program = _with_branches(random_program(rng, default_registry(), length), rng)
    try:
        check_program(program)
    except DSLTypeError:
        assume(False)
    ref = run_program(program, inputs, budget=budget)
    got = compile_program(program, budget=budget).run(inputs)
    for i, (a, b) in enumerate(zip(ref, got)):
        same_value(a, b, f"input {i}")


def test_strict_evaluation_would_have_failed() -> None:
    # a definition passing both alternatives on (so both are evaluated first) fails where the
    # special form succeeds: the laziness is observable
    text = _solve("x1 = gt(height(I), width(I))", "O = branch(x1, vsplit(I, 2), hsplit(I, 2))",
                  returns="List[Grid]")
    grid = INPUTS[SHAPES.index((4, 3))]
    assert isinstance(_both(text, [grid])[0], tuple)
    strict = text.replace("branch(x1, ", "pick(x1, ")
    strict = ("def pick(c: Bool, a: List[Grid], b: List[Grid]) -> List[Grid]:\n"
              "    y = branch(c, a, b)\n\n" + strict)
    assert isinstance(_both(strict, [grid])[0], EvalError)
