"""Target sizes: the output size a task predicts for every input, and the functions that bring a
value to it, as DSL expressions.

icecuber's search applies *target-size* functions to every value of its DAG once the output
size is predicted: the value embedded in a canvas of that size, repeated, mirrored or scaled to
it. Here the size comes from the task's size rules (`TaskAnalysis.size_rules`: every train
output shaped like its input, all of one shape, transposed, or scaled by one ratio), as a pair
of DSL integer expressions over the input `I` (`height(I)`, `mul(width(I), 2)`, a literal),
so a value brought to size is still one DSL program. The functions and their kernels are in
`native.target_size`; `sized_expr` is what each one means in the DSL.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from dsl import ast
from native import target_size as kernels
from synth.analysis.features import SizeRule, TaskAnalysis
from synth.data.task import Challenge

INPUT = ast.Var("I")
FUNCTION_NAMES: dict[str, int] = {"origin": kernels.ORIGIN, "centre": kernels.CENTRE,
                                  "tile": kernels.TILE, "mirror": kernels.MIRROR,
                                  "scale": kernels.SCALE}
# the functions the closure applies: embedding at the origin and mirror-tiling are the ones that
# reached arc1 training tasks the closure alone did not (centre, tile and scale added none at
# the same work: `python benchmarks/target_size_census.py --work-limit 10000 --changing-only
# --functions ...`); the others stay available for measurements
FUNCTIONS: tuple[int, ...] = (kernels.ORIGIN, kernels.MIRROR)


@dataclass(frozen=True)
class TargetSize:
    """The predicted output shape of every example (train then test), the DSL integer
    expressions computing its height and width from the input, and the size rule's kind
    (`SizeRule.kind`)."""

    rule: str
    shapes: tuple[tuple[int, int], ...]
    height: ast.Expr
    width: ast.Expr


def _int(value: int) -> ast.Literal:
    return ast.Literal(value, "int")


def _scaled(side: ast.Expr, ratio: Fraction) -> ast.Expr:
    """`side * ratio` in the DSL (`mul`, then `div` by the denominator)."""
    expr = side if ratio.numerator == 1 else ast.Call("mul", (side, _int(ratio.numerator)))
    return expr if ratio.denominator == 1 else ast.Call("div", (expr, _int(ratio.denominator)))


def rule_exprs(rule: SizeRule) -> tuple[ast.Expr, ast.Expr]:
    """The height and width a size rule gives, as DSL expressions over the input."""
    height, width = ast.Call("height", (INPUT,)), ast.Call("width", (INPUT,))
    if rule.kind == "constant":
        return _int(int(rule.rows)), _int(int(rule.cols))
    if rule.kind == "transposed":
        return width, height
    if rule.kind == "same":
        return height, width
    return _scaled(height, rule.rows), _scaled(width, rule.cols)


def target_size(task: Challenge, analysis: TaskAnalysis) -> TargetSize | None:
    """The first size rule that gives every input (train and test) a positive integral
    output shape, or None; the train outputs' shapes are what every rule reproduces."""
    for rule in analysis.size_rules:
        shapes = [rule.predict(grid.shape) for grid in task.inputs]
        if all(s is not None and s[0] > 0 and s[1] > 0 for s in shapes):
            height, width = rule_exprs(rule)
            return TargetSize(rule.kind, tuple(shapes), height, width)
    return None


def sized_expr(kind: int, value: ast.Expr, size: TargetSize, bg: int) -> ast.Expr:
    """The DSL expression of one target-size function (`native.target_size`) on `value`."""
    color = ast.Literal(bg, "color")
    canvas = ast.Call("canvas", (color, size.height, size.width))
    if kind == kernels.TILE:
        return ast.Call("tile_to", (value, size.height, size.width))
    if kind == kernels.MIRROR:
        return ast.Call("tile_to", (ast.Call("mirror_4", (value,)), size.height, size.width))
    if kind == kernels.SCALE:
        return ast.Call("resize_to", (value, canvas))
    if kind == kernels.ORIGIN:
        corner = ast.Call("point", (_int(0), _int(0)))
        return ast.Call("paint_grid_at", (canvas, value, corner))
    top = ast.Call("div", (ast.Call("sub", (size.height, ast.Call("height", (value,)))),
                           _int(2)))
    left = ast.Call("div", (ast.Call("sub", (size.width, ast.Call("width", (value,)))),
                            _int(2)))
    return ast.Call("paint_grid_at", (canvas, value, ast.Call("point", (top, left))))
