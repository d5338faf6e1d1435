"""Property tests for the sizing family: crops, pads, scaling, tiling, splitting, joining;
plus small DSL programs through the real parser and interpreter (ARC tasks they solve)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.primitives import geometry as g
from dsl.primitives import sizing as s
from dsl.registry import Primitive, default_registry
from tests.dsl.family_checks import args_for, check_example, check_total, programs_solve_test
from tests.strategies import colors, covers, grids, small_grids

FAST = settings(max_examples=60, deadline=None)
SIZING = default_registry().family("sizing")
LIMIT = s.MAX_SIDE_INTERMEDIATE


def _eq(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool((a == b).all())


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    arr.setflags(write=False)
    return arr


# ---- registry-level checks --------------------------------------------------------------------

@covers(*(p.name for p in SIZING))
@pytest.mark.parametrize("prim", SIZING, ids=lambda p: p.name)
def test_examples_hold(prim: Primitive) -> None:
    check_example(prim)


@covers(*(p.name for p in SIZING))
@settings(max_examples=100, deadline=None)
@given(st.data())
def test_total_and_well_typed(data: st.DataObject) -> None:
    prim = data.draw(st.sampled_from(SIZING))
    check_total(prim, data.draw(args_for(prim)))


# ---- measuring, cropping, padding -----------------------------------------------------------

@covers("height", "width", "shape_eq", "cell")
@FAST
@given(grids(), st.integers(-3, 33), st.integers(-3, 33))
def test_measure_and_cell(grid: np.ndarray, r: int, c: int) -> None:
    h, w = grid.shape
    assert (s.height(grid), s.width(grid)) == (h, w)
    assert s.height(g.transpose(grid)) == w and s.width(g.transpose(grid)) == h
    assert s.shape_eq(grid, grid) and s.shape_eq(grid, g.rot180(grid))
    assert s.shape_eq(grid, g.transpose(grid)) == (h == w)
    if 0 <= r < h and 0 <= c < w:
        assert s.cell(grid, r, c) == grid[r, c] and type(s.cell(grid, r, c)) is int
    else:
        with pytest.raises(EvalError):
            s.cell(grid, r, c)


@covers("crop")
@FAST
@given(grids(), st.integers(-2, 31), st.integers(-2, 31), st.integers(-1, 31),
       st.integers(-1, 31))
def test_crop(grid: np.ndarray, top: int, left: int, h: int, w: int) -> None:
    H, W = grid.shape
    assert _eq(s.crop(grid, 0, 0, H, W), grid)
    if top >= 0 and left >= 0 and h >= 1 and w >= 1 and top + h <= H and left + w <= W:
        out = s.crop(grid, top, left, h, w)
        assert out.shape == (h, w) and _eq(out, grid[top:top + h, left:left + w])
        assert _eq(s.crop(out, 0, 0, h, w), out)
    else:
        with pytest.raises(EvalError):
            s.crop(grid, top, left, h, w)


@covers("trim", "pad", "remove_border")
@FAST
@given(grids(), st.integers(1, 10), colors, colors)
def test_trim_pad_remove_border(grid: np.ndarray, n: int, color: int, bg: int) -> None:
    H, W = grid.shape
    padded = s.pad(grid, n, color)
    assert padded.shape == (H + 2 * n, W + 2 * n)
    assert _eq(padded[n:-n, n:-n], grid)
    assert (padded[:n] == color).all() and (padded[:, -n:] == color).all()
    assert _eq(s.remove_border(s.pad(grid, 1, color)), grid)
    for bad in (0, -n):
        with pytest.raises(EvalError):
            s.pad(grid, bad, color)
    if (grid == bg).all():
        with pytest.raises(EvalError):
            s.trim(grid, bg)
        return
    out = s.trim(grid, bg)
    for edge in (out[0], out[-1], out[:, 0], out[:, -1]):
        assert (edge != bg).any()                       # no background border left
    assert _eq(s.trim(out, bg), out)                     # idempotent
    assert _eq(s.trim(s.pad(grid, n, bg), bg), out)      # padding with bg is undone
    if min(H, W) < 3:
        with pytest.raises(EvalError):
            s.remove_border(grid)


@covers("canvas")
@FAST
@given(colors, st.integers(-2, 70), st.integers(-2, 70))
def test_canvas(color: int, h: int, w: int) -> None:
    if 1 <= h <= LIMIT and 1 <= w <= LIMIT:
        out = s.canvas(color, h, w)
        assert out.shape == (h, w) and (out == color).all() and out.dtype == np.uint8
    else:
        with pytest.raises(EvalError):
            s.canvas(color, h, w)


# ---- scaling and tiling ---------------------------------------------------------------------

@covers("tile")
@FAST
@given(grids(), st.integers(-1, 6), st.integers(-1, 6))
def test_tile(grid: np.ndarray, rows: int, cols: int) -> None:
    H, W = grid.shape
    if rows < 1 or cols < 1 or H * rows > LIMIT or W * cols > LIMIT:
        with pytest.raises(EvalError):
            s.tile(grid, rows, cols)
        return
    out = s.tile(grid, rows, cols)
    assert out.shape == (H * rows, W * cols)
    assert all(_eq(part, grid) for band in s.vsplit(out, rows) for part in s.hsplit(band, cols))
    assert _eq(s.tile(grid, 1, 1), grid)


@covers("upscale", "upscale_hw", "downscale", "resize_to")
@FAST
@given(grids(max_side=20), st.integers(1, 5), st.integers(1, 5))
def test_scaling(grid: np.ndarray, kr: int, kc: int) -> None:
    H, W = grid.shape
    if H * kr > LIMIT or W * kc > LIMIT:
        with pytest.raises(EvalError):
            s.upscale_hw(grid, kr, kc)
        return
    up = s.upscale_hw(grid, kr, kc)
    assert up.shape == (H * kr, W * kc) and up[-1, -1] == grid[-1, -1]
    assert _eq(s.resize_to(up, grid), grid) and _eq(s.resize_to(grid, up), up)
    assert _eq(s.resize_to(grid, grid), grid)
    if kr == kc:
        assert _eq(s.upscale(grid, kr), up)
        assert _eq(s.downscale(up, kr), grid)            # downscale . upscale = id
    for bad in (0, -kr):
        with pytest.raises(EvalError):
            s.upscale(grid, bad)
        with pytest.raises(EvalError):
            s.downscale(grid, bad)
    if H % 2 or W % 2:
        with pytest.raises(EvalError):
            s.downscale(grid, 2)
    if H > 1 and (H + 1) % H and H % (H + 1):
        with pytest.raises(EvalError):
            s.resize_to(grid, s.canvas(0, H + 1, W))


# ---- splitting and joining ------------------------------------------------------------------

@covers("hsplit", "vsplit", "hconcat", "vconcat", "stack_h", "stack_v")
@FAST
@given(grids(), st.integers(1, 5))
def test_split_and_join(grid: np.ndarray, n: int) -> None:
    H, W = grid.shape
    if W % n == 0:
        parts = s.hsplit(grid, n)
        assert len(parts) == n and all(p.shape == (H, W // n) for p in parts)
        assert _eq(s.stack_h(parts), grid)               # stack_h . hsplit = id
        if n == 2:
            assert _eq(s.hconcat(*parts), grid)
    else:
        with pytest.raises(EvalError):
            s.hsplit(grid, n)
    if H % n == 0:
        parts = s.vsplit(grid, n)
        assert _eq(s.stack_v(parts), grid)
        if n == 2:
            assert _eq(s.vconcat(*parts), grid)
    else:
        with pytest.raises(EvalError):
            s.vsplit(grid, n)
    assert _eq(s.stack_h((grid,)), grid) and _eq(s.stack_v((grid,)), grid)
    assert _eq(s.hconcat(grid, grid), s.tile(grid, 1, 2))
    with pytest.raises(EvalError):
        s.stack_h(())
    with pytest.raises(EvalError):
        s.vconcat(grid, s.pad(grid, 1, 0))                 # widths differ
    with pytest.raises(EvalError):
        s.hconcat(grid, s.pad(grid, 1, 0))                 # heights differ
    if W > 30:
        with pytest.raises(EvalError):
            s.hconcat(grid, grid)


@st.composite
def separated(draw: st.DrawFn) -> tuple[np.ndarray, list[np.ndarray], int]:
    """A grid of k x m equal cells (colours other than `sep`) between lines of colour `sep`."""
    sep = draw(colors)
    k, m = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    ch, cw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    border = draw(st.booleans())
    others = np.array([c for c in range(10) if c != sep], dtype=np.uint8)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    cells = [rng.choice(others, size=(ch, cw)).astype(np.uint8) for _ in range(k * m)]
    H, W = k * ch + (k - 1) + 2 * border, m * cw + (m - 1) + 2 * border
    out = np.full((H, W), sep, dtype=np.uint8)
    for i, cell_ in enumerate(cells):
        r = border + (i // m) * (ch + 1)
        c = border + (i % m) * (cw + 1)
        out[r:r + ch, c:c + cw] = cell_
    return _frozen(out), cells, sep


@covers("split_by_lines")
@FAST
@given(separated(), grids(max_side=12))
def test_split_by_lines(case: tuple[np.ndarray, list[np.ndarray], int], noise: np.ndarray
                        ) -> None:
    grid, cells, _ = case
    parts = s.split_by_lines(grid)
    assert len(parts) == len(cells) and all(_eq(p, c) for p, c in zip(parts, cells))
    checker = _frozen(np.indices((3, 4)).sum(axis=0) % 2)
    with pytest.raises(EvalError):
        s.split_by_lines(checker)                        # no complete line of one colour
    with pytest.raises(EvalError):
        s.split_by_lines(s.canvas(5, 3, 3))              # nothing between the lines
    try:
        parts = s.split_by_lines(noise)
    except EvalError:
        return
    assert sum(p.size for p in parts) < noise.size       # some separator line was removed


@covers("left_half", "right_half", "top_half", "bottom_half")
@FAST
@given(grids())
def test_halves(grid: np.ndarray) -> None:
    H, W = grid.shape
    if W >= 2:
        left, right = s.left_half(grid), s.right_half(grid)
        assert left.shape == right.shape == (H, W // 2)
        assert _eq(right, g.flip_h(s.left_half(g.flip_h(grid))))
        if W % 2 == 0:
            assert _eq(s.hconcat(left, right), grid)
        else:
            assert _eq(s.stack_h((left, grid[:, W // 2:W // 2 + 1], right)), grid)
    else:
        with pytest.raises(EvalError):
            s.left_half(grid)
    if H >= 2:
        top, bottom = s.top_half(grid), s.bottom_half(grid)
        assert _eq(top, g.transpose(s.left_half(g.transpose(grid))))
        assert _eq(bottom, g.transpose(s.right_half(g.transpose(grid))))
    else:
        with pytest.raises(EvalError):
            s.bottom_half(grid)


@covers("kron", "kron_with")
@FAST
@given(grids(max_side=7), grids(max_side=7), colors)
def test_kron(a: np.ndarray, b: np.ndarray, bg: int) -> None:
    (ha, wa), (hb, wb) = a.shape, b.shape
    out = s.kron_with(a, b, bg)
    assert out.shape == (ha * hb, wa * wb)
    for i in range(ha):
        for j in range(wa):
            block = out[i * hb:(i + 1) * hb, j * wb:(j + 1) * wb]
            assert _eq(block, b) if a[i, j] != bg else (block == bg).all()
    if ha * ha <= LIMIT and wa * wa <= LIMIT:
        assert _eq(s.kron(a, bg), s.kron_with(a, a, bg))
    else:
        with pytest.raises(EvalError):
            s.kron(a, bg)
    ones = s.canvas(1, 1, 1)
    assert _eq(s.kron_with(ones, b), b) and _eq(s.kron_with(a, ones, 0), np.where(a != 0, 1, 0))


@covers("dedupe_rows", "dedupe_cols")
@FAST
@given(grids(max_side=12, max_colors=2), st.integers(1, 4))
def test_dedupe(grid: np.ndarray, k: int) -> None:
    rows = s.dedupe_rows(grid)
    assert all((rows[i] != rows[i + 1]).any() for i in range(rows.shape[0] - 1))
    assert _eq(s.dedupe_rows(rows), rows)
    assert _eq(s.dedupe_rows(s.upscale_hw(grid, k, 1)), rows)
    assert _eq(s.dedupe_cols(grid), g.transpose(s.dedupe_rows(g.transpose(grid))))
    assert _eq(s.dedupe_cols(s.dedupe_rows(s.upscale(grid, k))),
               s.dedupe_rows(s.dedupe_cols(grid)))


def _compress_oracle(grid: np.ndarray) -> np.ndarray | None:
    counts = np.bincount(grid.ravel(), minlength=10)
    common = int(np.flatnonzero(counts == counts.max())[0])
    rows = [r for r in range(grid.shape[0]) if not (grid[r] == common).all()]
    cols = [c for c in range(grid.shape[1]) if not (grid[:, c] == common).all()]
    return grid[np.ix_(rows, cols)] if rows and cols else None


@covers("compress")
@FAST
@given(grids(max_side=12, max_colors=3), st.integers(1, 3))
def test_compress(grid: np.ndarray, n: int) -> None:
    expected = _compress_oracle(grid)
    if expected is None:
        with pytest.raises(EvalError):
            s.compress(grid)
        return
    out = s.compress(grid)
    assert _eq(out, expected)
    common = int(np.argmax(np.bincount(grid.ravel(), minlength=10)))
    padded = s.pad(grid, n, common)
    assume(int(np.argmax(np.bincount(padded.ravel(), minlength=10))) == common)
    assert _eq(s.compress(padded), out)             # a border of the common colour goes


# ---- DSL programs through the parser and interpreter ----------------------------------------

PROGRAMS = {
    "007bbfb7": "solve(I: Grid) -> Grid:\n    O = kron(I)\n",
    "46442a0e": ("solve(I: Grid) -> Grid:\n"
                 "    x1 = hconcat(I, rot90(I))\n"
                 "    x2 = hconcat(rot270(I), rot180(I))\n"
                 "    O = vconcat(x1, x2)\n"),
    "3af2c5a8": "solve(I: Grid) -> Grid:\n    O = mirror_4(I)\n",
    "6d0aefbc": "solve(I: Grid) -> Grid:\n    O = mirror_h(I)\n",
    "8be77c9e": "solve(I: Grid) -> Grid:\n    O = mirror_v(I)\n",
    "1cf80156": "solve(I: Grid) -> Grid:\n    O = trim(I, bg=0)\n",
    "9172f3a0": "solve(I: Grid) -> Grid:\n    O = upscale(I, 3)\n",
    "a416b8f3": "solve(I: Grid) -> Grid:\n    O = tile(I, 1, 2)\n",
    "d10ecb37": "solve(I: Grid) -> Grid:\n    O = crop(I, 0, 0, 2, 2)\n",
}

test_program_solves_arc_task = programs_solve_test(PROGRAMS)


@FAST
@given(small_grids())
def test_program_composition(grid: np.ndarray) -> None:
    program = parse_program(
        "solve(I: Grid) -> Grid:\n"
        "    x1 = upscale(I, 2)\n"
        "    x2 = hsplit(x1, 2)\n"
        "    x3 = stack_v(x2)\n"
        "    x4 = downscale(x3, 2)\n"
        "    O = vconcat(left_half(I), x4)\n")
    (result,) = run_program(program, [grid])
    h, w = grid.shape
    if w % 2:                                            # downscale needs an even width
        assert isinstance(result, EvalError)
        return
    left, right = grid[:, :w // 2], grid[:, w // 2:]
    assert _eq(result, np.vstack((left, left, right)))


@covers("downscale_mode")
@FAST
@given(grids(max_side=12), st.integers(1, 4))
def test_downscale_mode(grid: np.ndarray, k: int) -> None:
    H, W = grid.shape
    if H * k > LIMIT or W * k > LIMIT:
        return
    up = s.upscale(grid, k)
    assert _eq(s.downscale_mode(up, k), grid)            # uniform blocks keep their colour
    if H % 2 or W % 2:
        with pytest.raises(EvalError):
            s.downscale_mode(grid, 2)
    else:
        small = s.downscale_mode(grid, 2)
        assert small.shape == (H // 2, W // 2)
        for r in range(H // 2):
            for c in range(W // 2):
                block = grid[2 * r:2 * r + 2, 2 * c:2 * c + 2].ravel().tolist()
                best = max(block.count(v) for v in block)
                assert small[r, c] == min(v for v in block if block.count(v) == best)
    with pytest.raises(EvalError):
        s.downscale_mode(grid, 0)


@covers("stack_grid")
@FAST
@given(grids(max_side=6), st.integers(1, 4), st.integers(1, 4))
def test_stack_grid(grid: np.ndarray, rows: int, cols: int) -> None:
    parts = tuple(g.rot180(grid) if i % 2 else grid for i in range(rows * cols))
    out = s.stack_grid(parts, cols)
    H, W = grid.shape
    assert out.shape == (H * rows, W * cols)
    assert _eq(s.stack_v([s.stack_h(parts[i:i + cols]) for i in range(0, len(parts), cols)]), out)
    if cols == 1:
        assert _eq(out, s.stack_v(parts))
    if rows * cols > 1:
        with pytest.raises(EvalError):
            s.stack_grid(parts[:-1], rows * cols)
    with pytest.raises(EvalError):
        s.stack_grid((), cols)


@covers("tile_to")
@FAST
@given(small_grids(), st.integers(-2, LIMIT + 3), st.integers(-2, LIMIT + 3))
def test_tile_to(grid: np.ndarray, h: int, w: int) -> None:
    if not (1 <= h <= LIMIT and 1 <= w <= LIMIT):
        with pytest.raises(EvalError):
            s.tile_to(grid, h, w)
        return
    gh, gw = grid.shape
    out = s.tile_to(grid, h, w)
    assert out.shape == (h, w) and not out.flags.writeable
    assert _eq(out, np.tile(grid, (-(-h // gh), -(-w // gw)))[:h, :w])
    assert _eq(s.tile_to(grid, gh, gw), grid)
    assert _eq(s.crop(out, 0, 0, min(h, gh), min(w, gw)), grid[:h, :w])
    if h % gh == 0 and w % gw == 0:
        assert _eq(out, s.tile(grid, h // gh, w // gw))


def _with_lines(small: np.ndarray, part_h: int, part_w: int, line: int) -> np.ndarray:
    """`small` blown up to part_h x part_w blocks of its colours, joined by one-cell lines."""
    rows, cols = small.shape
    out = np.full((rows * (part_h + 1) - 1, cols * (part_w + 1) - 1), line, dtype=np.uint8)
    for i in range(rows):
        for j in range(cols):
            out[i * (part_h + 1):i * (part_h + 1) + part_h,
                j * (part_w + 1):j * (part_w + 1) + part_w] = small[i, j]
    return _frozen(out)


@covers("paint_parts")
@FAST
@given(st.integers(2, 3), st.integers(2, 3), st.integers(1, 4), st.integers(1, 4),
       st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_paint_parts_fills_each_part_with_its_cell(rows, cols, part_h, part_w, seed,
                                                   other_seed) -> None:
    rng = np.random.default_rng(seed)
    small = _frozen(rng.integers(0, 5, size=(rows, cols)))
    grid = _with_lines(_frozen(np.random.default_rng(other_seed).integers(0, 5, (rows, cols))),
                       part_h, part_w, 7)
    out = s.paint_parts(grid, small)
    assert _eq(out, _with_lines(small, part_h, part_w, 7)) and not out.flags.writeable
    assert _eq(s.paint_parts(out, small), out)
    with pytest.raises(EvalError):
        s.paint_parts(grid, _frozen(np.zeros((rows + 1, cols), dtype=np.uint8)))
    with pytest.raises(EvalError):
        s.paint_parts(_frozen(np.arange(4, dtype=np.uint8).reshape(2, 2)), small)
