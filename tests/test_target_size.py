"""Target sizes: the size prediction, every target-size kernel against its DSL expression (one
grid at a time and as the closure's values given to pieces), and the closure proposer reaching
outputs only a value brought to size matches; Z3 size laws as target sizes (each law feature's
DSL expression against the feature) and scaling where the size changes."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.interp import run_program
from dsl.parser import parse_program
from native import target_size as kernels
from synth.analysis.features import TaskAnalysis, analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.closure import ClosureProposer, sized_values, task_closure
from synth.search.closure import path_expr
from synth.search.program import program_text
from dsl.interp import eval_expr
from synth.analysis.laws import Law, infer_laws, input_features
from synth.search.target_size import (FEATURE_EXPRS, FUNCTION_NAMES, FUNCTIONS, INPUT,
                                      TargetSize, law_expr, matching_functions, sized_expr,
                                      target_size)
from tests.strategies import grids


def literal_size(height: int, width: int) -> TargetSize:
    return TargetSize("constant", ((height, width),), ast.Literal(height, "int"),
                      ast.Literal(width, "int"))


def dsl_sized(grid: np.ndarray, kind: int, height: int, width: int, bg: int
              ) -> np.ndarray | None:
    program = parse_program(program_text(sized_expr(kind, INPUT, literal_size(height, width),
                                                     bg)))
    result = run_program(program, [grid])[0]
    return result if isinstance(result, np.ndarray) else None


@settings(max_examples=300, deadline=None)
@given(grids(max_side=12), st.sampled_from(tuple(FUNCTION_NAMES.values())), st.integers(1, 30),
       st.integers(1, 30), st.integers(0, 9))
def test_every_kernel_equals_its_dsl_expression(grid: np.ndarray, kind: int, height: int,
                                                width: int, bg: int) -> None:
    expected = dsl_sized(grid, kind, height, width, bg)
    if not kernels.valid(kind, grid.shape[0], grid.shape[1], height, width):
        assert expected is None
        return
    assert expected is not None
    assert np.array_equal(kernels.sized_grid(grid, kind, height, width, bg), expected)


def test_sizes_come_from_the_size_rules_as_dsl_expressions() -> None:
    small, large = make_grid([[1, 2], [3, 4]]), make_grid([[1, 2, 3]])
    scaled = Challenge("s", (Example(small, make_grid(np.zeros((4, 4), int))),
                             Example(large, make_grid(np.zeros((2, 6), int)))), (large,))
    size = target_size(scaled, analyse(scaled))
    assert size is not None and size.shapes == ((4, 4), (2, 6), (2, 6))
    program = parse_program(program_text(sized_expr(kernels.TILE, INPUT, size, 0)))
    assert run_program(program, [large])[0].shape == (2, 6)
    fixed = Challenge("c", (Example(small, make_grid(np.zeros((3, 3), int))),
                            Example(large, make_grid(np.zeros((3, 3), int)))), (large,))
    assert target_size(fixed, analyse(fixed)).shapes == ((3, 3),) * 3


CORNER = "point(0, 0)"
CENTRED = "point(div(sub(5, height(x1)), 2), div(sub(5, width(x1)), 2))"


@pytest.mark.parametrize("where, functions", [(CORNER, FUNCTIONS),
                                              (CENTRED, tuple(FUNCTION_NAMES.values()))])
def test_the_closure_embeds_a_value_at_the_predicted_size(where: str,
                                                          functions: tuple[int, ...]) -> None:
    """Each output is the input's content, trimmed and put on a 5 x 5 canvas: no value of
    the closure is 5 x 5, one brought to size is."""
    inputs = [make_grid([[0, 0, 0, 0, 0, 0, 0], [0, 2, 2, 0, 0, 0, 0], [0, 2, 3, 0, 0, 0, 0],
                         [0, 0, 0, 0, 0, 0, 0]]),
              make_grid([[0, 0, 0], [0, 4, 0], [4, 4, 4], [0, 0, 0], [0, 0, 0], [0, 0, 0]]),
              make_grid([[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 7, 0]])]
    program = "solve(I: Grid) -> Grid:\n    x1 = trim(I)\n    x2 = canvas(0, 5, 5)\n" \
              f"    O = paint_grid_at(x2, x1, {where})\n"
    outputs = run_program(parse_program(program), inputs)
    task = Challenge("t", tuple(Example(i, o) for i, o in zip(inputs[:2], outputs[:2])),
                     (inputs[2],))
    proposer = ClosureProposer(size_functions=functions)
    found = list(proposer.propose(task, analyse(task), Budget.from_seconds(60), Pool()))
    right = [c for c in found if all(np.array_equal(a, b) for a, b in
                                     zip((*c.train_outputs, *c.test_outputs), outputs))]
    assert right and proposer.stats()["sized_found"] > 0, [c.program for c in found]


def test_sized_values_for_pieces_are_the_dsl_values_of_their_expressions() -> None:
    inputs = [make_grid([[1, 0], [2, 3]]), make_grid([[4, 4], [0, 5], [6, 0]])]
    outputs = [make_grid(np.zeros((4, 4), int)), make_grid(np.zeros((4, 4), int))]
    task = Challenge("p", (Example(inputs[0], outputs[0]),), (inputs[1],))
    analysis = analyse(task)
    size = target_size(task, analysis)
    table, closure = task_closure(task, analysis, shaped_last_depth=False)
    for _ in closure.run(1, 10 ** 6, lambda: False):
        pass
    functions = tuple(FUNCTION_NAMES.values())
    pairs, values = sized_values(closure, size, functions, 1, 40, analysis.background)
    assert len(pairs) == 40 and {int(k) for _, k in pairs} == set(functions)
    for (node, kind), grids in zip(pairs, values):
        expr = sized_expr(int(kind), path_expr(table, closure.path(int(node))), size,
                          analysis.background)
        expected = run_program(parse_program(program_text(expr)), inputs[:1])[0]
        assert np.array_equal(grids[0], expected), program_text(expr)


@settings(max_examples=200, deadline=None)
@given(grids(max_side=10), st.integers(0, 9))
def test_every_law_feature_expression_is_the_feature(grid: np.ndarray, bg: int) -> None:
    """Where the grid has background and foreground cells, each feature's DSL expression gives
    the number `synth.analysis.laws.input_features` gives (a law is also checked per task)."""
    fg = grid != bg
    if not fg.any() or fg.all():
        return
    features = input_features(grid, bg)
    color = ast.Literal(bg, "color")
    for name, expr in FEATURE_EXPRS.items():
        assert int(eval_expr(expr(color), {"I": grid})) == features[name], name


def test_a_law_expression_computes_the_law() -> None:
    law = Law("out_h", (("fg_cells", -3), ("in_h", 2)), 26, 2)
    grid = make_grid([[0, 1, 0], [2, 0, 0], [0, 0, 0], [0, 0, 0]])
    value = eval_expr(law_expr(law, 0), {"I": grid})
    assert value == law.predict(input_features(grid, 0)) == (26 + 8 - 6) // 2
    assert law_expr(Law("out_h", (("no_such_feature", 1),), 0), 0) is None


def crop_task() -> Challenge:
    """Outputs: the foreground's bounding box (in rows and columns no size rule gives)."""
    rng = np.random.default_rng(3)
    grids_ = []
    for top, left, h, w in ((1, 2, 2, 3), (0, 1, 4, 2), (3, 3, 3, 3), (2, 0, 2, 2)):
        grid = np.zeros((8, 7), dtype=np.uint8)
        grid[top:top + h, left:left + w] = rng.integers(1, 4, (h, w))
        grid[top, left] = grid[top + h - 1, left + w - 1] = 5
        grids_.append(make_grid(grid))
    train = tuple(Example(g, make_grid(g[np.ix_(np.any(g, 1), np.any(g, 0))]))
                  for g in grids_[:3])
    return Challenge("crop", train, (grids_[3],))


def with_laws(task: Challenge) -> TaskAnalysis:
    """The task's analysis with the Z3 laws the loop would give it."""
    analysis = analyse(task)
    return replace(analysis, laws=infer_laws(task, analysis.background, deterministic=True))


def test_a_size_law_is_a_target_size_when_no_size_rule_holds() -> None:
    task = crop_task()
    analysis = with_laws(task)
    assert not analysis.size_rules
    size = target_size(task, analysis)
    assert size is not None and size.rule == "law"
    assert size.shapes == ((2, 3), (4, 2), (3, 3), (2, 2))
    for grid, shape in zip(task.inputs, size.shapes):
        assert (eval_expr(size.height, {"I": grid}), eval_expr(size.width, {"I": grid})) == shape
    assert matching_functions(size, FUNCTIONS) == FUNCTIONS + (kernels.SCALE,)
    assert matching_functions(size, ()) == (), "the stage off stays off"


def test_two_train_pairs_set_no_law_size() -> None:
    task = crop_task()
    short = Challenge(task.id, task.train[:2], task.test_inputs)
    assert target_size(short, with_laws(short)) is None


def test_no_law_size_without_the_loops_laws() -> None:
    assert target_size(crop_task(), analyse(crop_task())) is None, "Z3 off: no laws, no size"


def test_scaling_is_matched_only_where_the_size_changes() -> None:
    same = TargetSize("same", ((2, 2),), INPUT, INPUT)
    assert matching_functions(same, FUNCTIONS) == FUNCTIONS

