"""Target sizes: the output size a task predicts for every input, and the functions that bring a
value to it, as DSL expressions.

icecuber's search applies *target-size* functions to every value of its DAG once the output
size is predicted: the value embedded in a canvas of that size, repeated, mirrored or scaled to
it. Here the size comes from the task's size rules (`TaskAnalysis.size_rules`: every train
output shaped like its input, all of one shape, transposed, or scaled by one ratio), as a pair
of DSL integer expressions over the input `I` (`height(I)`, `mul(width(I), 2)`, a literal),
so a value brought to size is still one DSL program. Where no rule holds but the outputs'
shapes change, the Z3 size laws the loop inferred (`TaskAnalysis.laws`, from
`synth.analysis.laws`; none with Z3 off; e.g. `out_h = fg_h`, the height of the foreground's
bounding box) give it instead, each law feature written as the DSL expression
that computes it (`FEATURE_EXPRS`, e.g. `height(trim(I))`); a law is used only when its
expressions, run by the interpreter, give every train output's shape and the law's unique
prediction for every test input. The functions and their kernels are in
`native.target_size`; `sized_expr` is what each one means in the DSL.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral

from dsl import ast
from dsl.errors import DSLError
from dsl.interp import eval_expr
from native import target_size as kernels
from synth.analysis.features import SizeRule, TaskAnalysis
from synth.analysis.laws import Law, Laws
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
# added to the matching (not to pieces) where the outputs' size is not the input's: scaling to a
# law size reached 2 more arc1 training tasks than FUNCTIONS alone, none lost; applied to every
# size it lost one task whose outputs keep the input's shape (`target_size_census.py`)
CHANGED_SIZE_FUNCTIONS: tuple[int, ...] = (kernels.SCALE,)
# train pairs a size law needs before it sets a target size: two pairs fit laws with free
# coefficients by chance (`3 - 2 * count(objects(I))` sized a lucky program for two noise pairs)
MIN_LAW_PAIRS = 3


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
    output shape (the train outputs' shapes are what every rule reproduces); else, when some
    train output is not shaped like its input, the Z3 size laws' (`law_size`); else None."""
    for rule in analysis.size_rules:
        shapes = [rule.predict(grid.shape) for grid in task.inputs]
        if all(s is not None and s[0] > 0 and s[1] > 0 for s in shapes):
            height, width = rule_exprs(rule)
            return TargetSize(rule.kind, tuple(shapes), height, width)
    if all(ex.input.shape == ex.output.shape for ex in task.train):
        return None
    return law_size(task, analysis.background, analysis.laws)


def _objects(bg: ast.Expr, connect: int, multicolor: bool = False) -> ast.Expr:
    """`objects(I, connect[, true], bg=bg)`."""
    args: tuple[ast.Expr, ...] = (INPUT, _int(connect)) + \
        ((ast.Literal(True, "bool"),) if multicolor else ())
    return ast.Call("objects", args, (("bg", bg),))


def _largest(bg: ast.Expr) -> ast.Expr:
    """The largest 8-connected object (the first on ties), as `input_features` picks it."""
    return ast.Call("argmax", (_objects(bg, 8), ast.Var("size")))


def _trimmed(bg: ast.Expr) -> ast.Expr:
    """`trim(I, bg=bg)`: the foreground's bounding box."""
    return ast.Call("trim", (INPUT,), (("bg", bg),))


# each law feature (`synth.analysis.laws.input_features`) as a DSL integer expression over `I`,
# given the background colour; `law_size` checks every one it uses against the examples
FEATURE_EXPRS: dict[str, Callable[[ast.Expr], ast.Expr]] = {
    "in_h": lambda bg: ast.Call("height", (INPUT,)),
    "in_w": lambda bg: ast.Call("width", (INPUT,)),
    "colors": lambda bg: ast.Call("n_colors", (INPUT,)),
    "fg_colors": lambda bg: ast.Call("sub", (ast.Call("n_colors", (INPUT,)), _int(1))),
    "fg_cells": lambda bg: ast.Call("sub", (
        ast.Call("mul", (ast.Call("height", (INPUT,)), ast.Call("width", (INPUT,)))),
        ast.Call("color_count", (INPUT, bg)))),
    "objects4": lambda bg: ast.Call("count", (_objects(bg, 4),)),
    "objects8": lambda bg: ast.Call("count", (_objects(bg, 8),)),
    "multi_objects8": lambda bg: ast.Call("count", (_objects(bg, 8, True),)),
    "fg_h": lambda bg: ast.Call("height", (_trimmed(bg),)),
    "fg_w": lambda bg: ast.Call("width", (_trimmed(bg),)),
    "largest_h": lambda bg: ast.Call("obj_height", (_largest(bg),)),
    "largest_w": lambda bg: ast.Call("obj_width", (_largest(bg),)),
    "largest_cells": lambda bg: ast.Call("size", (_largest(bg),)),
}


def law_expr(law: Law, bg: int) -> ast.Expr | None:
    """A size law `denom * y = sum(coef * feature) + const` as a DSL integer expression over
    the input (positive terms added, then negative ones subtracted, then the division), or
    None when one of its features has no expression."""
    if any(name not in FEATURE_EXPRS for name, _ in law.terms):
        return None
    color = ast.Literal(bg, "color")

    def term(name: str, coef: int) -> ast.Expr:
        feature = FEATURE_EXPRS[name](color)
        return feature if abs(coef) == 1 else ast.Call("mul", (feature, _int(abs(coef))))

    plus = [term(n, c) for n, c in law.terms if c > 0] + \
        ([_int(law.const)] if law.const > 0 else [])
    minus = [term(n, c) for n, c in law.terms if c < 0] + \
        ([_int(-law.const)] if law.const < 0 else [])
    expr = plus[0] if plus else _int(0)
    for part in plus[1:]:
        expr = ast.Call("add", (expr, part))
    for part in minus:
        expr = ast.Call("sub", (expr, part))
    return expr if law.denom == 1 else ast.Call("div", (expr, _int(law.denom)))


def _int_value(expr: ast.Expr, grid: object) -> int | None:
    """`expr` evaluated with `I` bound to `grid`, or None where it fails."""
    try:
        value = eval_expr(expr, {"I": grid})
    except DSLError:
        return None
    return int(value) if isinstance(value, Integral) else None


def law_size(task: Challenge, bg: int, laws: Laws | None) -> TargetSize | None:
    """The output size the task's Z3 size laws give (those the loop inferred; None: Z3 is
    off), when the task has at least `MIN_LAW_PAIRS` train pairs, both laws predict a unique
    size for every test input and their DSL expressions (`law_expr`) compute, on every input,
    the train outputs' shapes and those predictions; else None."""
    if laws is None or len(task.train) < MIN_LAW_PAIRS:
        return None
    if any(t not in laws.laws for t in ("out_h", "out_w")):
        return None
    tests = [(laws.predicted("out_h", i), laws.predicted("out_w", i))
             for i in range(len(task.test_inputs))]
    shapes = [ex.output.shape for ex in task.train] + tests
    height, width = law_expr(laws.laws["out_h"], bg), law_expr(laws.laws["out_w"], bg)
    if height is None or width is None or any(h is None or w is None for h, w in tests):
        return None
    for grid, shape in zip(task.inputs, shapes):
        if (_int_value(height, grid), _int_value(width, grid)) != tuple(shape):
            return None
    return TargetSize("law", tuple((int(h), int(w)) for h, w in shapes), height, width)


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


def matching_functions(size: TargetSize, functions: Sequence[int]) -> tuple[int, ...]:
    """The target-size functions matched against the outputs: `functions`, plus
    `CHANGED_SIZE_FUNCTIONS` (when `functions` is not empty) where the size is not the
    input's."""
    extra = () if not functions or size.rule == "same" else \
        tuple(k for k in CHANGED_SIZE_FUNCTIONS if k not in functions)
    return tuple(functions) + extra

