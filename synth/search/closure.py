"""The transform table of the native closure, as data: each row a DSL expression template.

`native.closure` expands a task's inputs under unary Grid -> Grid transforms with baked
integer parameters. This module says which transforms a task gets and what each one means in
the DSL: a registry primitive applied to the value plus literal arguments (`rot90(x)`,
`keep_color(x, red)`, `gravity(x, 2, bg=black)`), or a short composition (crop the object a
key picks: `obj_grid(argmax(objects(x, connect=8, multicolor=True), size))`; keep it in place:
`fill_mask(x, mask_not(object_mask(x, PICKED)), black)`; rays from every non-bg cell:
`object_rays(x, to_object(x), 1)`; a count drawn as a row: `canvas(most_common_fg(x), 1,
count(objects(x)))`; one colour's cells filled from the grid's period or symmetries:
`repair_tiling(x, black)`, `complete_symmetry(x, blue)`, and the completion under that
colour's bounding box cropped out: `subgrid(complete_symmetry(x, blue), mask_object(x,
mask_of(x, blue)))`, these three on the task's inputs only, `native.closure.root_only`; one
part of every object painted in place: `paint_object_parts(x, 3, sky)`).
Colour parameters come from the task's palette; `bg`/`fill` parameters
take the task's background when it is not 0 (as the enumerator's `task_default_domains`
does) and are otherwise left at their default. Every kernel equals its primitive's reference
implementation (property-tested), so a closure path turns back into an exact DSL expression
with `path_expr`.

A task gets its own selection of the table (`task_table`): rows painting a colour only for
the colours of its train outputs and its background (object parts only for the output colours
no input has), and no count renders and no cropped object picks when every train output is
shaped like its input. The kept sets (the parts of a segmentation at a feature's extreme,
icecuber's pickMaxes > composeGrowing: `keep_extreme_parts`, `crop_extreme_parts`) stay in
place only for tasks whose outputs keep the input's shape, and are cropped only for tasks
whose outputs fit inside their inputs. Fewer rows let the closure finish a deeper level in
the same work. Rows keep the full table's order (the native closure
applies them in that order; ordering them by how often golden programs use each kind
measured worse).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dsl import ast
from native import closure as kernels

UNIT_STEPS: tuple[tuple[int, int], ...] = ((-1, 0), (1, 0), (0, -1), (0, 1))
TILINGS: tuple[tuple[int, int], ...] = tuple((r, c) for r in (1, 2, 3) for c in (1, 2, 3)
                                             if (r, c) != (1, 1))
UPSCALES = (2, 3, 4, 5)
DOWNSCALES = (2, 3)
DIRECTIONS4 = (0, 1, 2, 3)
INPUT_VAR = "I"
HOLE = "_input"     # the input's place in a transform's template
# object picks: the (chooser, key) call of each picker, the pickers worth offering per
# segmentation (one colour per part makes the colour keys moot), the segmentations cropped
# to the object's cells and those cropped to everything under its bounding box
PICKER_CALLS = {kernels.PICK_LARGEST: ("argmax", "size"),
                kernels.PICK_SMALLEST: ("argmin", "size"),
                kernels.PICK_MOST_COLORS: ("argmax", "obj_n_colors"),
                kernels.PICK_UNIQUE_COLOR: ("unique_by", "obj_color"),
                kernels.PICK_UNIQUE_SIZE: ("unique_by", "size")}
PICKERS_BY_MODE = {
    kernels.SEG_MULTICOLOR8: (kernels.PICK_LARGEST, kernels.PICK_SMALLEST,
                              kernels.PICK_MOST_COLORS, kernels.PICK_UNIQUE_COLOR,
                              kernels.PICK_UNIQUE_SIZE),
    kernels.SEG_OBJECTS4: (kernels.PICK_LARGEST, kernels.PICK_SMALLEST,
                           kernels.PICK_UNIQUE_COLOR, kernels.PICK_UNIQUE_SIZE),
    kernels.SEG_COLOR_GROUPS: (kernels.PICK_LARGEST, kernels.PICK_SMALLEST,
                               kernels.PICK_UNIQUE_SIZE)}
OBJECT_CROP_MODES = (kernels.SEG_MULTICOLOR8, kernels.SEG_OBJECTS4, kernels.SEG_COLOR_GROUPS)
SUBGRID_CROP_MODES = (kernels.SEG_OBJECTS4, kernels.SEG_COLOR_GROUPS)
IN_PLACE_MODES = (kernels.SEG_MULTICOLOR8, kernels.SEG_OBJECTS4, kernels.SEG_COLOR_GROUPS)
RAY_DIRECTIONS = tuple(range(8))   # the DSL's directions: up, right, down, left, diagonals
OUTLINE_CONNECTS = (4, 8)
CONNECT_AXES = (0, 1, 2)
DENOISE_SIZES = (2, 3)
OBJECT_PARTS = tuple(range(kernels.N_PARTS))   # paint_object_parts's (kernels.PART_*)
HOLLOW_RULE_KIND = 1     # local_rule's code: centre * 1024 + set of the 8-neighbours' colours
# count renders: what is counted (a segmentation's parts, or the non-bg cells) and the canvas
COUNTED = (kernels.SEG_MULTICOLOR8, kernels.SEG_OBJECTS4, kernels.SEG_COLOR_GROUPS,
           kernels.COUNT_CELLS)
RENDERS = (kernels.RENDER_ROW, kernels.RENDER_COLUMN, kernels.RENDER_SQUARE)
# kept sets (icecuber's pickMaxes / pickNotMaxes > composeGrowing): the segmentations, and
# the features whose extremes are kept (cells, interior cells: both extremes, the parts at it
# or the others; holes: the most only). Area, colours, top and left reached no arc1 training
# task the others did not at work 9,000 and cost depth (docs/failures.md round 13)
PART_MODES = (kernels.SEG_MULTICOLOR8, kernels.SEG_OBJECTS4, kernels.SEG_COLOR_GROUPS,
              kernels.SEG_CUT)
_SET_FEATURES = (kernels.FEAT_COUNT, kernels.FEAT_INTERIOR)
_MOST_ONLY_FEATURES = (kernels.FEAT_HOLES,)

_PLAIN = (("rot90", kernels.ROT90), ("rot180", kernels.ROT180), ("rot270", kernels.ROT270),
          ("flip_h", kernels.FLIP_H), ("flip_v", kernels.FLIP_V),
          ("transpose", kernels.TRANSPOSE), ("antitranspose", kernels.ANTITRANSPOSE),
          ("mirror_h", kernels.MIRROR_H), ("mirror_v", kernels.MIRROR_V),
          ("mirror_4", kernels.MIRROR_4), ("remove_border", kernels.REMOVE_BORDER),
          ("left_half", kernels.LEFT_HALF), ("right_half", kernels.RIGHT_HALF),
          ("top_half", kernels.TOP_HALF), ("bottom_half", kernels.BOTTOM_HALF),
          ("dedupe_rows", kernels.DEDUPE_ROWS), ("dedupe_cols", kernels.DEDUPE_COLS),
          ("compress", kernels.COMPRESS))
_BG_ONLY = (("symmetrize_h", kernels.SYMMETRIZE_H), ("symmetrize_v", kernels.SYMMETRIZE_V),
            ("symmetrize_diag", kernels.SYMMETRIZE_DIAG),
            ("invert_colors", kernels.INVERT_COLORS), ("trim", kernels.TRIM),
            ("kron", kernels.KRON))


# kinds whose values are small canvases cut out of the input (a cropped object, a count, the
# colours as a column): no path of a few rows brings them back to the input's shape on
# every example, so a task whose train outputs all keep their input's shape goes without
SHRINKING_KINDS = frozenset({kernels.PICK_OBJECT, kernels.PICK_SUBGRID,
                             kernels.COUNT_RENDER, kernels.COLORS_COLUMN,
                             kernels.SYMMETRY_WINDOW, kernels.PARTS_CROP})
# kinds whose values keep the input's shape and only erase cells: a task whose train outputs
# are not shaped like their inputs goes without (the crops stand for them there)
KEEPING_KINDS = frozenset({kernels.PARTS_KEEP})


@dataclass(frozen=True)
class Transform:
    """One row of the table: a kernel (kind, a, b, c) and the DSL call it stands for.

    `args` are the literal arguments after the grid, `kwargs` the keyword ones (a `bg` or
    `fill` that is not the default 0), each as (value, literal kind). A transform that is a
    composition of several calls (an object pick) gives it as `template` instead: a DSL
    expression in which `HOLE` stands for the input; `primitive` is then its outermost call."""

    primitive: str
    kind: int
    params: tuple[int, int, int] = (0, 0, 0)
    args: tuple[tuple[int, str], ...] = ()
    kwargs: tuple[tuple[str, int, str], ...] = ()
    template: ast.Expr | None = None

    def expr(self, inner: ast.Expr) -> ast.Expr:
        """The DSL call applying this transform to `inner`."""
        if self.template is not None:
            return _filled(self.template, inner)
        args = tuple(ast.Literal(v, k) for v, k in self.args)
        kwargs = tuple((name, ast.Literal(v, k)) for name, v, k in self.kwargs)
        return ast.Call(self.primitive, (inner, *args), kwargs)


def _filled(template: ast.Expr, inner: ast.Expr) -> ast.Expr:
    """The template with every `HOLE` variable replaced by `inner`."""
    if isinstance(template, ast.Var) and template.name == HOLE:
        return inner
    if isinstance(template, ast.Call):
        return ast.Call(template.func, tuple(_filled(a, inner) for a in template.args),
                        tuple((k, _filled(v, inner)) for k, v in template.kwargs))
    return template


def _bg_kwarg(name: str, bg: int) -> tuple[tuple[str, int, str], ...]:
    return ((name, bg, "color"),) if bg != 0 else ()


def _bg_call(func: str, args: tuple[ast.Expr, ...], bg: int,
             kwargs: tuple[tuple[str, ast.Expr], ...] = ()) -> ast.Call:
    """`func(args..., kwargs..., bg=bg)`, the `bg` keyword left out when it is 0."""
    extra = (("bg", ast.Literal(bg, "color")),) if bg != 0 else ()
    return ast.Call(func, args, kwargs + extra)


def _segmentation(mode: int, bg: int) -> ast.Call:
    """The object list a segmentation kernel mode (`native.closure.SEG_*`) stands for."""
    hole = ast.Var(HOLE)
    if mode == kernels.SEG_MULTICOLOR8:
        return _bg_call("objects", (hole,), bg, (("connect", ast.Literal(8, "int")),
                                                 ("multicolor", ast.Literal(True, "bool"))))
    if mode == kernels.SEG_OBJECTS4:
        return _bg_call("objects", (hole,), bg)
    return _bg_call("color_groups", (hole,), bg)


def _object_picks(bg: int) -> list[Transform]:
    """Crop the object a key picks: `obj_grid` (its cells only) or `subgrid` (everything
    under its bounding box) of argmax / argmin / unique_by over a segmentation."""
    rows = []
    for crop_kind, modes in ((kernels.PICK_OBJECT, OBJECT_CROP_MODES),
                             (kernels.PICK_SUBGRID, SUBGRID_CROP_MODES)):
        for mode in modes:
            for picker in PICKERS_BY_MODE[mode]:
                chooser, key = PICKER_CALLS[picker]
                picked = ast.Call(chooser, (_segmentation(mode, bg), ast.Var(key)))
                template = _bg_call("obj_grid", (picked,), bg) \
                    if crop_kind == kernels.PICK_OBJECT \
                    else ast.Call("subgrid", (ast.Var(HOLE), picked))
                rows.append(Transform(template.func, crop_kind, (mode, bg, picker),
                                      template=template))
    majority = ast.Call("canvas", (_bg_call("most_common_fg", (ast.Var(HOLE),), bg),
                                   ast.Literal(1, "int"), ast.Literal(1, "int")))
    rows.append(Transform("canvas", kernels.MAJORITY_CELL, (bg, 0, 0), template=majority))
    return rows


def _in_place_picks(bg: int) -> list[Transform]:
    """The object a key picks kept where it is on a bg canvas (`fill_mask` of everything
    outside it), or erased from the grid (`cover`), for every picker the crops have."""
    rows = []
    hole = ast.Var(HOLE)
    for kind in (kernels.PICK_KEEP, kernels.PICK_COVER):
        for mode in IN_PLACE_MODES:
            for picker in PICKERS_BY_MODE[mode]:
                chooser, key = PICKER_CALLS[picker]
                picked = ast.Call(chooser, (_segmentation(mode, bg), ast.Var(key)))
                if kind == kernels.PICK_KEEP:
                    outside = ast.Call("mask_not", (ast.Call("object_mask", (hole, picked)),))
                    template = ast.Call("fill_mask", (hole, outside, ast.Literal(bg, "color")))
                else:
                    template = _bg_call("cover", (hole, picked), bg)
                rows.append(Transform(template.func, kind, (mode, bg, picker),
                                      template=template))
    return rows


def part_criteria() -> list[tuple[int, bool, bool]]:
    """The (feature, lowest, invert) criteria of the kept-set rows over a segmentation."""
    return ([(f, lowest, invert) for f in _SET_FEATURES for lowest in (False, True)
             for invert in (False, True)]
            + [(f, False, invert) for f in _MOST_ONLY_FEATURES for invert in (False, True)])


def kept_set_rows(bg: int, criteria: Sequence[tuple[int, bool, bool]]) -> list[Transform]:
    """The parts of a segmentation (objects, colour groups, `cut_regions`) attaining (or, with
    invert, not attaining) the extreme of a feature, kept in place (`keep_extreme_parts`) or
    cropped to their joint bounding box (`crop_extreme_parts`), one row per criterion
    (feature, lowest, invert)."""
    hole = ast.Var(HOLE)
    rows = []
    for kind, func in ((kernels.PARTS_KEEP, "keep_extreme_parts"),
                       (kernels.PARTS_CROP, "crop_extreme_parts")):
        for mode in PART_MODES:
            parts = ast.Call("cut_regions", (hole,)) if mode == kernels.SEG_CUT \
                else _segmentation(mode, bg)
            for feature, lowest, invert in criteria:
                args = (hole, parts, ast.Literal(feature, "int"), ast.Literal(lowest, "bool"),
                        ast.Literal(invert, "bool"))
                rows.append(Transform(func, kind, (mode, bg, feature * 4 + 2 * lowest + invert),
                                      template=_bg_call(func, args, bg)))
    return rows


def _spreads(palette: Sequence[int], bg: int) -> list[Transform]:
    """Rays from every non-bg cell to the next non-bg cell or the border in each direction
    (icecuber's smears), outlines of the non-bg cells in each palette colour (its
    makeBorder), and gaps between same-colour cells filled along rows, columns or both (its
    connect)."""
    hole = ast.Var(HOLE)
    content = _bg_call("to_object", (hole,), bg)
    rows = [Transform("object_rays", kernels.SMEAR, (d, bg, 0),
                      template=_bg_call("object_rays", (hole, content, ast.Literal(d, "int")),
                                        bg))
            for d in RAY_DIRECTIONS]
    for connect in OUTLINE_CONNECTS:
        extra = (("connect", ast.Literal(connect, "int")),) if connect != 4 else ()
        rows += [Transform("outline", kernels.OUTLINE, (c, bg, connect),
                           template=_bg_call("outline", (hole, content, ast.Literal(c, "color")),
                                             bg, extra))
                 for c in palette if c != bg]
    rows += [Transform("connect_same", kernels.CONNECT_SAME, (axis, bg, 0), ((axis, "int"),),
                       _bg_kwarg("bg", bg)) for axis in CONNECT_AXES]
    return rows


def _cleanups(palette: Sequence[int], bg: int) -> list[Transform]:
    """Small parts erased (`denoise`), and solid shapes hollowed to their outlines: a
    `local_rule` erasing every cell whose 8-neighbours all share its colour (icecuber's
    border), its keys the codes of the palette's colours."""
    rows = [Transform("denoise", kernels.DENOISE, (k, bg, 0), ((k, "int"),), _bg_kwarg("bg", bg))
            for k in DENOISE_SIZES]
    shapes = [c for c in palette if c != bg]
    if shapes:
        keys = ast.ListLit(tuple(ast.Literal(c * 1024 + 2 ** c, "int") for c in shapes))
        erased = ast.ListLit(tuple(ast.Literal(bg, "color") for _ in shapes))
        rule = ast.Call("local_rule", (ast.Var(HOLE), ast.Literal(HOLLOW_RULE_KIND, "int"),
                                       keys, erased))
        rows.append(Transform("local_rule", kernels.HOLLOW, (sum(2 ** c for c in shapes), bg, 0),
                              template=rule))
    return rows


def _parts(palette: Sequence[int], bg: int) -> list[Transform]:
    """One part of every object painted in a palette colour (`paint_object_parts`: its
    interior, border, a half or its hull; icecuber's per-object interior / border / hull)."""
    return [Transform("paint_object_parts", kernels.PAINT_PARTS, (part, c, bg),
                      ((part, "int"), (c, "color")), _bg_kwarg("bg", bg))
            for part in OBJECT_PARTS for c in palette if c != bg]


def _repairs(sources: Sequence[int]) -> list[Transform]:
    """The cells of one input colour treated as unknown and filled from the grid's smallest
    consistent period (`repair_tiling`) or from the symmetries its other cells obey
    (`complete_symmetry`), and what the symmetries put under that colour's bounding box
    (the completed grid's window there: the masked patch of a symmetric picture)."""
    rows = [Transform(name, kind, (c, 0, 0), ((c, "color"),))
            for name, kind in (("repair_tiling", kernels.REPAIR_TILING),
                               ("complete_symmetry", kernels.COMPLETE_SYMMETRY))
            for c in sources]
    hole = ast.Var(HOLE)
    for c in sources:
        colour = ast.Literal(c, "color")
        region = ast.Call("mask_object", (hole, ast.Call("mask_of", (hole, colour))))
        template = ast.Call("subgrid", (ast.Call("complete_symmetry", (hole, colour)), region))
        rows.append(Transform("subgrid", kernels.SYMMETRY_WINDOW, (c, 0, 0), template=template))
    return rows


def _counts(bg: int) -> list[Transform]:
    """A canvas of the commonest non-bg colour sized by a count (icecuber's count renders:
    1 x N, N x 1 or N x N for N the objects, colours or non-bg cells), and the colours by
    frequency as a column (all of them, or all but the commonest)."""
    hole = ast.Var(HOLE)
    colour = _bg_call("most_common_fg", (hole,), bg)
    rows = []
    for counted in COUNTED:
        n = ast.Call("mask_count", (_bg_call("nonbg_mask", (hole,), bg),)) \
            if counted == kernels.COUNT_CELLS else ast.Call("count", (_segmentation(counted, bg),))
        one = ast.Literal(1, "int")
        for render in RENDERS:
            sides = (one, n) if render == kernels.RENDER_ROW else \
                ((n, one) if render == kernels.RENDER_COLUMN else (n, n))
            rows.append(Transform("canvas", kernels.COUNT_RENDER, (counted, bg, render),
                                  template=ast.Call("canvas", (colour, *sides))))
    by_count = _bg_call("colors_by_count", (hole,), bg)
    rows.append(Transform("colors_column", kernels.COLORS_COLUMN, (0, bg, 0),
                          template=ast.Call("colors_column", (by_count,))))
    rest = ast.Call("drop", (by_count, ast.Literal(1, "int")))
    rows.append(Transform("colors_column", kernels.COLORS_COLUMN, (1, bg, 0),
                          template=ast.Call("colors_column", (rest,))))
    return rows


def _geometry(bg: int) -> list[Transform]:
    rows = [Transform(name, kind) for name, kind in _PLAIN]
    rows += [Transform(name, kind, (bg, 0, 0), kwargs=_bg_kwarg("bg", bg))
             for name, kind in _BG_ONLY]
    for dr, dc in UNIT_STEPS:
        ints = ((dr, "int"), (dc, "int"))
        rows.append(Transform("shift", kernels.SHIFT, (dr, dc, bg), ints, _bg_kwarg("fill", bg)))
        rows.append(Transform("roll", kernels.ROLL, (dr, dc, 0), ints))
    return rows


def _sizing(palette: Sequence[int]) -> list[Transform]:
    rows = [Transform("tile", kernels.TILE, (r, c, 0), ((r, "int"), (c, "int")))
            for r, c in TILINGS]
    rows += [Transform("upscale", kernels.UPSCALE, (k, 0, 0), ((k, "int"),)) for k in UPSCALES]
    rows += [Transform(name, kind, (k, 0, 0), ((k, "int"),)) for k in DOWNSCALES
             for name, kind in (("downscale", kernels.DOWNSCALE),
                                ("downscale_mode", kernels.DOWNSCALE_MODE))]
    rows += [Transform("pad", kernels.PAD, (1, c, 0), ((1, "int"), (c, "color")))
             for c in palette]
    return rows


def _colors(sources: Sequence[int], palette: Sequence[int], bg: int) -> list[Transform]:
    rows = [Transform("replace", kernels.REPLACE, (s, t, 0), ((s, "color"), (t, "color")))
            for s in sources for t in palette if s != t]
    rows += [Transform("swap_colors", kernels.SWAP_COLORS, (a, b, 0),
                       ((a, "color"), (b, "color")))
             for a in sources for b in sources if a < b]
    for name, kind, colors in (("keep_color", kernels.KEEP_COLOR, sources),
                               ("remove_color", kernels.REMOVE_COLOR, sources),
                               ("recolor_all", kernels.RECOLOR_ALL, palette),
                               ("fill_enclosed", kernels.FILL_ENCLOSED, palette),
                               ("fill_rows_with", kernels.FILL_ROWS_WITH, sources),
                               ("fill_cols_with", kernels.FILL_COLS_WITH, sources)):
        rows += [Transform(name, kind, (c, bg, 0), ((c, "color"),), _bg_kwarg("bg", bg))
                 for c in colors if c != bg]
    rows += [Transform("draw_border", kernels.DRAW_BORDER, (c, 0, 0), ((c, "color"),))
             for c in palette]
    rows += [Transform("gravity", kernels.GRAVITY, (d, bg, 0), ((d, "int"),),
                       _bg_kwarg("bg", bg)) for d in DIRECTIONS4]
    return rows


def transform_table(input_palette: Iterable[int], palette: Iterable[int],
                    background: int, hollowed: Iterable[int] | None = None,
                    part_colors: Iterable[int] | None = None) -> tuple[Transform, ...]:
    """The transforms a task gets: colours it recolours from come from `input_palette`,
    colours it paints with from `palette`, `bg` parameters are `background`; the shapes
    hollowed are those of the `hollowed` colours (default: `palette`), object parts are
    painted in the `part_colors` (default: `palette`)."""
    sources, colors = sorted(set(input_palette)), sorted(set(palette))
    shapes = colors if hollowed is None else sorted(set(hollowed))
    parts = colors if part_colors is None else sorted(set(part_colors))
    return tuple(_geometry(background) + _sizing(colors) + _colors(sources, colors, background)
                 + _object_picks(background) + _in_place_picks(background)
                 + _spreads(colors, background) + _cleanups(shapes, background)
                 + _parts(parts, background) + _repairs(sources) + _counts(background)
                 + kept_set_rows(background, part_criteria()))


def kernel_rows(table: Sequence[Transform]) -> np.ndarray:
    """The table as the native closure's (kind, a, b, c) int64 rows."""
    return np.array([(t.kind, *t.params) for t in table], dtype=np.int64).reshape(-1, 4)


def path_expr(table: Sequence[Transform], path: Sequence[int]) -> ast.Expr:
    """The DSL expression applying the table rows of `path` to the input, first first."""
    expr: ast.Expr = ast.Var(INPUT_VAR)
    for row in path:
        expr = table[row].expr(expr)
    return expr


@dataclass(frozen=True)
class TableScope:
    """What a task's train pairs say about the rows worth applying: the colours rows may
    recolour from (`sources`) and paint with (`paints`), the background, whether every
    train output is shaped like its input, and whether every train output fits inside its
    input (no taller, no wider)."""

    sources: frozenset[int]
    paints: frozenset[int]
    background: int
    same_shape: bool
    fits_inside: bool = True


def table_scope(input_palette: Iterable[int], output_palette: Iterable[int], background: int,
                shapes: Iterable[tuple[tuple[int, ...], tuple[int, ...]]]) -> TableScope:
    """The scope of a task from its palettes, background and (input, output) train shapes;
    a row painting a colour can help only when the colour is in some train output (or is
    the background, which a later row may fill or crop away)."""
    pairs = list(shapes)
    return TableScope(frozenset(input_palette), frozenset(output_palette) | {background},
                      background, all(i == o for i, o in pairs),
                      all(o[0] <= i[0] and o[1] <= i[1] for i, o in pairs))


def task_table(scope: TableScope) -> tuple[Transform, ...]:
    """The transforms of one task: the full table over the scope's colours (every colour's
    shapes hollowed, test inputs' included; object parts painted only in the colours no input
    has, the only ones that reached training tasks), in the full table's order, without the
    shrinking kinds when outputs keep the input's shape, without the kept sets in place when
    they do not, and without the kept sets cropped when some output does not fit inside its
    input."""
    table = transform_table(scope.sources, scope.paints, scope.background,
                            hollowed=scope.sources | scope.paints,
                            part_colors=scope.paints - scope.sources)
    if scope.same_shape:
        return tuple(t for t in table if t.kind not in SHRINKING_KINDS)
    return tuple(t for t in table if t.kind not in KEEPING_KINDS
                 and (scope.fits_inside or t.kind != kernels.PARTS_CROP))
