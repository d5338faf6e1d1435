"""Every fast path in `dsl.kernels` equals its reference primitive, and the raw native kernels
equal plain-numpy oracles, on random grids 1x1..30x30 of all colours and edge shapes."""
from __future__ import annotations

import ast as pyast
import inspect
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.kernels import FAST_PATHS, fast_path, implementation
from dsl.primitives.objects import _label
from dsl.registry import Primitive, default_registry
from dsl.values import Object, frozen
from native import (cells, components, kernels_cached, kernels_fingerprint,
                    mark_kernels_compiled, numba_cache_dir)
from native.gridhash import grid_hash
from native.match import count_pattern, find_pattern
from tests.dsl.parity import input_arrays, outcome, same_outcome
from tests.strategies import colors, grids, objects_

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REPO = Path(__file__).resolve().parents[2]
KERNELIZED = {p.kernel: p for p in default_registry() if p.kernel}


# --- strategies ------------------------------------------------------------------------------

@st.composite
def tiled_grids(draw: st.DrawFn) -> np.ndarray:
    """A small tile repeated (cut at any size), some cells overwritten by a noise colour."""
    tile = draw(grids(max_side=5))
    h, w = draw(st.integers(1, 30)), draw(st.integers(1, 30))
    out = np.tile(tile, (30 // tile.shape[0] + 1, 30 // tile.shape[1] + 1))[:h, :w].copy()
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    out[rng.random((h, w)) < draw(st.sampled_from([0.0, 0.05, 0.2]))] = draw(colors)
    return frozen(out)


@st.composite
def symmetric_grids(draw: st.DrawFn) -> np.ndarray:
    """A grid made symmetric (mirror, transpose or rotation), then partly noised."""
    base = draw(grids(max_side=15))
    kind = draw(st.sampled_from(["h", "v", "t", "r"]))
    if kind == "h":
        out = np.hstack((base, base[:, ::-1]))
    elif kind == "v":
        out = np.vstack((base, base[::-1]))
    elif kind == "t":
        side = min(base.shape)
        square = base[:side, :side]
        out = np.where(np.triu(np.ones((side, side), bool)), square, square.T)
    else:
        out = np.vstack((base, base[::-1, ::-1]))
    out = out.copy()
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    noise = draw(colors)
    out[rng.random(out.shape) < draw(st.sampled_from([0.0, 0.05, 0.15]))] = noise
    return frozen(np.ascontiguousarray(out, dtype=np.uint8))


@st.composite
def lined_grids(draw: st.DrawFn) -> np.ndarray:
    """A grid with some complete rows and columns of one colour (separator lines)."""
    out = draw(grids()).copy()
    color = draw(colors)
    rows = draw(st.lists(st.integers(0, out.shape[0] - 1), max_size=4))
    cols = draw(st.lists(st.integers(0, out.shape[1] - 1), max_size=4))
    out[rows, :] = color
    out[:, cols] = color
    return frozen(out)


@st.composite
def uniform_grids(draw: st.DrawFn) -> np.ndarray:
    """A one-colour grid of any shape (edge cases: 1xN, Nx1, 1x1)."""
    return frozen(np.full((draw(st.integers(1, 30)), draw(st.integers(1, 30))), draw(colors),
                          dtype=np.uint8))


@st.composite
def banded_grids(draw: st.DrawFn) -> np.ndarray:
    """A bg grid holding a periodic block (a tile repeated, cut at any size) at some place,
    often with a stray cell: bands and spans for continue_pattern."""
    h, w = draw(st.integers(1, 30)), draw(st.integers(1, 30))
    bg = draw(st.sampled_from([0, 0, draw(colors)]))
    out = np.full((h, w), bg, dtype=np.uint8)
    tile = draw(grids(max_side=4))
    bh, bw = draw(st.integers(1, h)), draw(st.integers(1, w))
    block = np.tile(tile, (bh // tile.shape[0] + 1, bw // tile.shape[1] + 1))[:bh, :bw]
    top, left = draw(st.integers(0, h - bh)), draw(st.integers(0, w - bw))
    out[top:top + bh, left:left + bw] = block
    if draw(st.booleans()):
        out[draw(st.integers(0, h - 1)), draw(st.integers(0, w - 1))] = draw(colors)
    return frozen(out)


any_grid = st.one_of(grids(), grids(max_side=3), tiled_grids(), symmetric_grids(),
                     lined_grids(), uniform_grids())
small_grid = st.one_of(grids(max_side=8), uniform_grids().filter(lambda g: g.size <= 64))
connects = st.sampled_from((4, 8, 4, 8, 5))


@st.composite
def placed_objects(draw: st.DrawFn) -> Object:
    """An object anywhere near a 30x30 grid (often partly outside), occasionally very far."""
    obj = draw(objects_())
    if draw(st.integers(0, 20)) == 0:
        top, left = draw(st.sampled_from([(2**40, 0), (0, -(2**40)), (2**33, 2**33)]))
    else:
        top, left = draw(st.integers(-10, 32)), draw(st.integers(-10, 32))
    return Object(obj.colors, obj.mask, top, left)


@st.composite
def inside_objects(draw: st.DrawFn, grid: np.ndarray) -> Object:
    """An object inside `grid`, often one of its own components."""
    objs = default_registry()["objects"].fn(grid, 8, True, 0)
    if objs and draw(st.booleans()):
        return draw(st.sampled_from(objs))
    obj = draw(objects_())
    top = draw(st.integers(0, max(0, grid.shape[0] - obj.height)))
    left = draw(st.integers(0, max(0, grid.shape[1] - obj.width)))
    return Object(obj.colors, obj.mask, top, left)


@st.composite
def grid_and_object(draw: st.DrawFn) -> tuple[np.ndarray, Object]:
    grid = draw(any_grid)
    obj = draw(st.one_of(placed_objects(), inside_objects(grid)))
    return grid, obj


def _with_grid_object(*rest: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(grid_and_object(), *rest).map(lambda t: (*t[0], *t[1:]))


points = st.tuples(st.integers(-2, 31), st.integers(-2, 31))
directions = st.integers(-1, 8)
far = st.sampled_from([2**40, -(2**70)])


@st.composite
def segment_ends(draw: st.DrawFn) -> tuple[tuple[int, int], tuple[int, int]]:
    """Two points, usually on a common row, column or diagonal, sometimes far away."""
    a = draw(st.one_of(points, st.tuples(st.integers(-40, 70), st.integers(-40, 70))))
    if draw(st.integers(0, 9)) == 0:
        return a, (draw(far), a[1])
    if draw(st.booleans()):
        dr, dc = draw(st.sampled_from([(-1, 0), (0, 1), (1, 0), (0, -1), (-1, 1), (1, 1),
                                        (1, -1), (-1, -1), (0, 0)]))
        k = draw(st.integers(0, 45))
        return a, (a[0] + k * dr, a[1] + k * dc)
    return a, draw(points)


@st.composite
def same_shape_pair(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Two grids, usually of one shape."""
    a = draw(any_grid)
    if draw(st.integers(0, 4)) == 0:
        return a, draw(any_grid)
    return a, frozen(np.resize(draw(grids()), a.shape).astype(np.uint8))


@st.composite
def comparable_values(draw: st.DrawFn) -> tuple[Any, Any]:
    """Two values of one DSL type (grids, masks, ints, objects, lists), often equal."""
    kind = draw(st.sampled_from(["grid", "mask", "int", "object", "list", "mixed"]))
    if kind == "grid":
        a, b = draw(same_shape_pair())
        return (a, frozen(a.copy())) if draw(st.booleans()) else (a, b)
    if kind == "mask":
        a, b = draw(same_shape_pair())
        return frozen(a > 0), frozen((a if draw(st.booleans()) else b) > 0)
    if kind == "int":
        return draw(st.integers(-3, 3)), draw(st.integers(-3, 3))
    if kind == "object":
        a = draw(placed_objects())
        return a, (a if draw(st.booleans()) else draw(placed_objects()))
    if kind == "list":
        return tuple(draw(st.lists(colors, max_size=3))), tuple(draw(st.lists(colors, max_size=3)))
    grid = draw(any_grid)
    return grid, frozen(grid > 0)

# colours 0..9, now and then one a uint8 kernel cannot take (the fast path hands it over)
wide_colors = st.one_of(colors, colors, colors, st.sampled_from([-1, 255, 256]))


@st.composite
def sparse_grids(draw: st.DrawFn) -> np.ndarray:
    """A bg grid with a few cells of other colours (all-bg rows and columns, for
    fill_clear_lines)."""
    h, w = draw(st.integers(1, 30)), draw(st.integers(1, 30))
    bg = draw(st.sampled_from([0, 0, draw(colors)]))
    out = np.full((h, w), bg, dtype=np.uint8)
    for _ in range(draw(st.integers(0, 6))):
        out[draw(st.integers(0, h - 1)), draw(st.integers(0, w - 1))] = draw(colors)
    return frozen(out)


@st.composite
def blob_grids(draw: st.DrawFn) -> np.ndarray:
    """A bg grid with a few overlapping filled rectangles of other colours (objects with
    interiors, borders and halves, for paint_object_parts)."""
    h, w = draw(st.integers(1, 20)), draw(st.integers(1, 20))
    out = np.full((h, w), draw(st.sampled_from([0, 0, 5])), dtype=np.uint8)
    for _ in range(draw(st.integers(0, 5))):
        r, c = draw(st.integers(0, h - 1)), draw(st.integers(0, w - 1))
        out[r:r + draw(st.integers(1, 8)), c:c + draw(st.integers(1, 8))] = draw(colors)
    return frozen(out)


@st.composite
def scaled_pair(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """A grid and a `like` grid whose sides are integer multiples or divisors of its own
    (for resize_to)."""
    grid = draw(grids(max_side=12))
    sides = []
    for n in grid.shape:
        k = draw(st.integers(1, 4))
        sides.append(max(1, n // k) if draw(st.booleans()) else min(n * k, 30))
    return grid, frozen(np.zeros(sides, dtype=np.uint8))


ARGS: dict[str, st.SearchStrategy[tuple]] = {
    "label_components": st.tuples(any_grid, connects, st.booleans(), colors),
    "label_color_components": st.tuples(any_grid, colors, connects),
    "label_regions": st.tuples(any_grid, connects),
    "color_groups": st.tuples(any_grid, colors),
    "largest_rectangle": st.tuples(any_grid, st.integers(-1, 10), st.integers(-1, 40)),
    "count_cells": st.tuples(placed_objects()),
    "masked_majority": st.tuples(placed_objects()),
    "masked_n_colors": st.tuples(placed_objects()),
    "has_hole": _with_grid_object(),
    "recolor": st.tuples(placed_objects(), colors),
    "paint": _with_grid_object(),
    "paint_all": st.tuples(any_grid, st.lists(placed_objects(), max_size=5).map(tuple)),
    "cover": _with_grid_object(colors),
    "line": st.tuples(any_grid, segment_ends(), colors).map(lambda t: (t[0], *t[1], t[2])),
    "hline": st.tuples(any_grid, st.integers(-2, 31), colors),
    "vline": st.tuples(any_grid, st.integers(-2, 31), colors),
    "flood_fill": st.tuples(any_grid, points, colors, connects),
    "fill_enclosed": st.tuples(any_grid, colors, colors),
    "outline": _with_grid_object(colors, connects, colors),
    "object_rays": _with_grid_object(directions, colors),
    "connect_pairs": st.tuples(any_grid, colors, colors, colors),
    "most_common_color": st.tuples(any_grid),
    "least_common_color": st.tuples(any_grid),
    "bg_color": st.tuples(any_grid),
    "most_common_fg": st.tuples(any_grid, colors),
    "n_colors": st.tuples(any_grid),
    "colors_of": st.tuples(any_grid),
    "color_count": st.tuples(any_grid, colors),
    "crop": st.tuples(any_grid, st.integers(-2, 31), st.integers(-2, 31), st.integers(-1, 31),
                      st.integers(-1, 31)),
    "canvas": st.tuples(colors, st.integers(-1, 70), st.integers(-1, 70)),
    "rot90": st.tuples(any_grid),
    "rot180": st.tuples(any_grid),
    "rot270": st.tuples(any_grid),
    "shift": st.tuples(any_grid, st.one_of(st.integers(-32, 32), far),
                       st.one_of(st.integers(-32, 32), far), colors),
    "trim": st.tuples(any_grid, colors),
    "split_by_lines": st.tuples(any_grid),
    "kron_with": st.tuples(small_grid, small_grid, colors),
    "kron": st.tuples(small_grid, colors),
    "pad": st.tuples(any_grid, st.one_of(st.integers(-1, 16), far),
                     st.one_of(colors, st.sampled_from([-1, 255, 256, 300]))),
    "tile": st.tuples(small_grid, st.one_of(st.integers(-1, 8), far),
                      st.one_of(st.integers(-1, 8), far)),
    "continue_pattern": st.tuples(st.one_of(banded_grids(), any_grid), st.integers(-1, 3),
                                  st.one_of(colors, colors, st.sampled_from([-1, 256]), far)),
    "compress": st.tuples(any_grid),
    "dedupe_rows": st.tuples(any_grid),
    "dedupe_cols": st.tuples(any_grid),
    "period_h": st.tuples(any_grid),
    "period_v": st.tuples(any_grid),
    "repair_tiling": st.tuples(tiled_grids(), colors),
    "complete_symmetry": st.tuples(st.one_of(symmetric_grids(), grids(max_side=12)), colors),
    "is_symmetric_h": st.tuples(any_grid),
    "is_symmetric_v": st.tuples(any_grid),
    "overlay": st.tuples(same_shape_pair(), colors).map(lambda t: (*t[0], t[1])),
    "gravity": st.tuples(any_grid, st.integers(-1, 4), colors),
    "move_until_contact": _with_grid_object(st.integers(-1, 4), colors),
    "denoise": st.tuples(any_grid, st.integers(-1, 6), colors),
    "paint_object_parts": st.tuples(st.one_of(any_grid, blob_grids()), st.integers(-1, 7),
                                    st.integers(-1, 10),
                                    st.one_of(colors, colors, st.sampled_from([-1, 256]), far)),
    "box": _with_grid_object(colors),
    "box_inside": _with_grid_object(colors),
    "draw_border": st.tuples(any_grid, colors),
    "fill_rows_with": st.tuples(any_grid, wide_colors, wide_colors),
    "fill_cols_with": st.tuples(any_grid, wide_colors, wide_colors),
    "fill_clear_lines": st.tuples(st.one_of(any_grid, sparse_grids()), st.integers(-1, 2),
                                  wide_colors, wide_colors),
    "replace": st.tuples(any_grid, wide_colors, wide_colors),
    "keep_color": st.tuples(any_grid, wide_colors, wide_colors),
    "remove_color": st.tuples(any_grid, wide_colors, wide_colors),
    "recolor_all": st.tuples(any_grid, wide_colors, wide_colors),
    "roll": st.tuples(any_grid, st.one_of(st.integers(-32, 32), far),
                      st.one_of(st.integers(-32, 32), far)),
    "tile_to": st.tuples(small_grid, st.one_of(st.integers(-1, 65), far),
                         st.one_of(st.integers(-1, 65), far)),
    "upscale": st.tuples(small_grid, st.one_of(st.integers(-1, 8), far)),
    "upscale_hw": st.tuples(small_grid, st.one_of(st.integers(-1, 8), far),
                            st.one_of(st.integers(-1, 8), far)),
    "resize_to": st.one_of(scaled_pair(), st.tuples(any_grid, any_grid)),
    "eq": comparable_values(),
    "neq": comparable_values(),
}


# --- fast paths vs references ----------------------------------------------------------------

def test_every_kernel_name_has_a_fast_path_and_a_strategy() -> None:
    assert set(KERNELIZED) <= set(FAST_PATHS), "primitive names a kernel without a fast path"
    assert set(FAST_PATHS) <= set(KERNELIZED), "fast path that no primitive names"
    assert set(ARGS) == set(FAST_PATHS), "every fast path needs an argument strategy here"
    for prim in default_registry():
        assert implementation(prim) is (fast_path(prim) or prim.fn)


@pytest.mark.parametrize("kernel", sorted(FAST_PATHS))
def test_fast_path_has_the_reference_signature(kernel: str) -> None:
    fast, prim = inspect.signature(FAST_PATHS[kernel]), KERNELIZED[kernel]
    assert list(fast.parameters) == [p.name for p in prim.params]
    assert [p.default for p in fast.parameters.values()] == \
        [p.default if p.has_default else inspect.Parameter.empty for p in prim.params]


@pytest.mark.parametrize("kernel", sorted(FAST_PATHS))
def test_fast_path_equals_reference(kernel: str) -> None:
    prim: Primitive = KERNELIZED[kernel]
    fast = FAST_PATHS[kernel]

    required = sum(not p.has_default for p in prim.params)

    @FAST
    @given(ARGS[kernel])
    def check(args: tuple) -> None:
        assert len(args) == len(prim.params)
        before = [a.copy() for a in input_arrays(args)]
        same_outcome(outcome(prim.fn, args), outcome(fast, args), prim.name)
        # optional parameters left out take the same defaults
        same_outcome(outcome(prim.fn, args[:required]), outcome(fast, args[:required]),
                     prim.name)
        for old, new in zip(before, input_arrays(args)):
            assert np.array_equal(old, new), "an input was modified"

    check()


# --- raw kernels vs numpy oracles ------------------------------------------------------------

@FAST
@given(any_grid, connects.filter(lambda c: c in (4, 8)), st.booleans(), colors)
def test_label_image_equals_reference_labelling(grid, connect, same_color, value) -> None:
    """Labels 0..n-1 in first-cell order are the reference's first-cell labels, renumbered."""
    labels, stats, n = components.label(grid, connect, components.NOT_VALUE, value, same_color)
    keys = grid if same_color else (grid != value)
    ref = _label(keys, grid != value, connect)
    firsts = np.unique(ref[ref >= 0])
    assert n == len(firsts) == len(stats)
    expected = np.where(ref >= 0, np.searchsorted(firsts, ref), -1)
    assert np.array_equal(labels, expected)
    for k in range(n):
        rows, cols = np.nonzero(labels == k)
        top, left, bottom, right, size, first, majority = stats[k]
        assert (top, left, bottom, right) == (rows.min(), cols.min(), rows.max(), cols.max())
        assert size == len(rows) and first == firsts[k]
        assert majority == np.argmax(np.bincount(grid[labels == k]))


def _find_oracle(grid: np.ndarray, pattern: np.ndarray, wildcard: int) -> np.ndarray:
    ph, pw = pattern.shape
    if ph > grid.shape[0] or pw > grid.shape[1]:
        return np.zeros((0, 2), np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(grid, (ph, pw))
    hit = ((windows == pattern) | (pattern == wildcard)).all(axis=(2, 3))
    return np.argwhere(hit).astype(np.int64)


@FAST
@given(any_grid, st.data(), st.sampled_from([-1, 0, 5]))
def test_template_matching_equals_sliding_windows(grid, data, wildcard) -> None:
    if data.draw(st.booleans()):  # a pattern cut from the grid itself, so it occurs
        r0, c0 = data.draw(st.integers(0, grid.shape[0] - 1)), data.draw(
            st.integers(0, grid.shape[1] - 1))
        r1 = data.draw(st.integers(r0 + 1, min(grid.shape[0], r0 + 5)))
        c1 = data.draw(st.integers(c0 + 1, min(grid.shape[1], c0 + 5)))
        pattern = np.ascontiguousarray(grid[r0:r1, c0:c1])
    else:
        pattern = data.draw(grids(max_side=4))
    expected = _find_oracle(grid, pattern, wildcard)
    assert np.array_equal(find_pattern(grid, pattern, wildcard), expected)
    assert count_pattern(grid, pattern, wildcard) == len(expected)


def _fnv1a(grid: np.ndarray) -> int:
    h, prime, mask = 1469598103934665603, 1099511628211, 2**64 - 1
    for v in (grid.shape[0], grid.shape[1], *grid.ravel().tolist()):
        h = ((h ^ v) * prime) & mask
    return h


@FAST
@given(any_grid)
def test_grid_hash_is_fnv1a_over_shape_and_cells(grid) -> None:
    assert grid_hash(grid) == _fnv1a(grid)
    assert grid_hash(np.ascontiguousarray(grid.T)) == _fnv1a(grid.T)


def test_cython_kernels_reject_wrong_dtypes() -> None:
    with pytest.raises(TypeError):
        cells.most_common(np.zeros((2, 2), np.int64))
    assert cells.most_common(np.zeros((3, 4), np.uint8)[:, ::2]) == 0  # non-contiguous: copied


# --- layout rules ----------------------------------------------------------------------------

def _imports(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        names = set()
        for node in pyast.walk(pyast.parse(text)):
            if isinstance(node, pyast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, pyast.ImportFrom) and node.module:
                names.add(node.module.split(".")[0])
        return names
    return {m.group(1).split(".")[0]
            for m in re.finditer(r"^\s*(?:c?import|from)\s+([\w.]+)", text, re.M)}


def test_native_imports_only_numpy_numba_and_itself() -> None:
    allowed = {"__future__", "numpy", "numba", "native", "os", "sys", "tempfile", "pathlib",
               "hashlib",
               "collections", "dataclasses", "libc", "cpython", "cython"}
    for path in sorted((REPO / "native").glob("*.p*")):
        if path.suffix in (".py", ".pyx"):
            assert _imports(path) <= allowed, f"{path.name} imports {_imports(path) - allowed}"


def test_numba_cache_dir_fallback_is_writable() -> None:
    folder = numba_cache_dir()
    assert folder.is_dir()
    probe = folder / ".probe"
    probe.write_text("ok", encoding="utf-8")
    probe.unlink()


def test_kernels_cached_needs_the_stamp_of_these_sources(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    (tmp_path / "closure.expand-1.py311.nbi").write_text("a partial cache", encoding="utf-8")
    assert not kernels_cached()
    mark_kernels_compiled()
    assert kernels_cached()
    assert (tmp_path / "synth-kernels.stamp").read_text() == kernels_fingerprint()
    (tmp_path / "synth-kernels.stamp").write_text("sources of an older checkout")
    assert not kernels_cached()


# --- argument strategies of the enumerator's hot-primitive fast paths (native.fastprims) -----

ARGS.update({
    "connect_same": st.tuples(any_grid, st.integers(-1, 3), colors),
    "normalize_colors": st.tuples(any_grid),
    "denormalize_colors": st.tuples(any_grid, any_grid),
    "grid_to_object": st.tuples(any_grid, colors),
    "paint_parts": st.tuples(st.one_of(lined_grids(), any_grid), small_grid),
    "connect_pairs_h": st.tuples(any_grid, colors, colors, colors),
    "swap_colors": st.tuples(any_grid, colors, colors),
    "cellwise_and": st.tuples(same_shape_pair(), colors, colors).map(lambda t: (*t[0], *t[1:])),
    "cellwise_or": st.tuples(same_shape_pair(), colors, colors).map(lambda t: (*t[0], *t[1:])),
    "cellwise_xor": st.one_of(
        st.tuples(same_shape_pair(), colors, colors).map(lambda t: (*t[0], *t[1:])),
        st.tuples(any_grid, any_grid, colors, colors)),
})
