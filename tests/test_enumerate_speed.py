"""Parity of the enumerator's fast paths: the native largest-rectangle scan and symmetry
candidate search against their references, and enumerations (nodes, order, values) with
and without fast paths and against a plain call-then-add loop over the public API."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.kernels import fast_path
from dsl.primitives import patterns
from dsl.registry import Registry, default_registry
from dsl.values import frozen, value_key
from native import symmetry
from synth.analysis.features import analyse
from synth.data.datasets import load_task_ref
from synth.search.enumerate import Bank, EnumConfig, Enumerator
from synth.search.options import Node, task_default_domains
from tests.dsl.parity import outcome, same_outcome
from tests.strategies import colors, grids

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REFERENCE = Registry([replace(p, kernel=None) for p in default_registry()])
TASKS = ("2281f1f4", "3aa6fb7a", "b782dc8a")


@st.composite
def blocky_grids(draw: st.DrawFn) -> np.ndarray:
    """A grid with a few solid rectangles painted over it (equal-area ties are common)."""
    out = draw(grids(max_side=20, max_colors=3)).copy()
    h, w = out.shape
    for _ in range(draw(st.integers(0, 5))):
        top, left = draw(st.integers(0, h - 1)), draw(st.integers(0, w - 1))
        out[top:top + draw(st.integers(1, 6)), left:left + draw(st.integers(1, 6))] = draw(colors)
    return frozen(out)


@st.composite
def noisy_symmetric(draw: st.DrawFn) -> tuple[np.ndarray, int]:
    """A grid up to 30x30 symmetric about an off-centre axis or centre, cropped, partly
    overwritten by a noise colour (sometimes the background, so few cells are known)."""
    base = draw(grids(max_side=15, max_colors=4))
    kind = draw(st.sampled_from(["h", "v", "r180", "r90"]))
    if kind == "h":
        full = np.hstack((base, base[:, ::-1]))
    elif kind == "v":
        full = np.vstack((base, base[::-1]))
    elif kind == "r180":
        full = np.vstack((base, base[::-1, ::-1]))
    else:
        side = min(base.shape)
        square = base[:side, :side]
        top = np.hstack((square, np.rot90(square, -1)))
        full = np.vstack((top, np.rot90(top, 2)))
    full = full[draw(st.integers(0, 2)):, draw(st.integers(0, 2)):]
    if full.size == 0:
        full = base
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    noise = draw(colors)
    out = np.ascontiguousarray(full, dtype=np.uint8).copy()
    out[rng.random(out.shape) < draw(st.sampled_from([0.02, 0.1, 0.3]))] = noise
    return frozen(out), noise


@SETTINGS
@given(st.one_of(blocky_grids(), grids(max_side=8, max_colors=2)), colors,
       st.integers(0, 4))
def test_largest_rectangle_kernel_equals_reference(grid, color, min_side) -> None:
    prim = default_registry()["largest_rectangle"]
    same_outcome(outcome(prim.fn, (grid, color, min_side)),
                 outcome(fast_path(prim), (grid, color, min_side)), "largest_rectangle")


def _image_maps(grid: np.ndarray, rows: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """The reference's (image rows, image cols, valid) arrays of native candidate rows."""
    h, w = grid.shape
    idx = np.indices((h, w))
    maps = []
    for k, tr, tc in rows:
        m = symmetry.LINEAR[k].reshape(2, 2)
        img = np.tensordot(m, idx, axes=1) + np.array([tr, tc])[:, None, None]
        valid = ((img[0] >= 0) & (img[0] < h) & (img[1] >= 0) & (img[1] < w)
                 & ((img[0] != idx[0]) | (img[1] != idx[1])))
        maps.append((np.where(valid, img[0], 0), np.where(valid, img[1], 0), valid))
    return maps


@SETTINGS
@given(st.one_of(noisy_symmetric(), st.tuples(grids(max_side=12, max_colors=3), colors)))
def test_symmetry_candidates_equal_the_reference_ranking(case) -> None:
    """Every candidate the native search finds, in its order, is the reference's (same map,
    same support), and complete_symmetry agrees with the reference primitive."""
    grid, noise = case
    known = grid != noise
    if known.all():
        return
    threshold = max(2, int(known.sum()) // 4)
    expected = patterns._symmetry_maps(grid, known, threshold)
    every = len(symmetry.LINEAR) * 4 * grid.size   # more than there are translations
    got = symmetry.candidates(grid, known, threshold, every)
    assert len(got) == len(expected)
    for (_, r, c, valid), (gr, gc, gvalid) in zip(expected, _image_maps(grid, got)):
        assert np.array_equal(valid, gvalid) and np.array_equal(r, gr) and np.array_equal(c, gc)
    for limit in (0, 1, symmetry.MAX_SYMMETRIES):   # the bounded search keeps the same head
        assert np.array_equal(symmetry.candidates(grid, known, threshold, limit), got[:limit])
    prim = default_registry()["complete_symmetry"]
    same_outcome(outcome(prim.fn, (grid, noise)), outcome(fast_path(prim), (grid, noise)))


def _enumerator(task_id: str, registry: Registry | None = None,
                config: EnumConfig = EnumConfig()) -> Enumerator:
    task = load_task_ref(f"arc1:train:{task_id}").challenge()
    analysis = analyse(task)
    return Enumerator(list(task.inputs), sorted(analysis.palette), registry=registry,
                      config=config, default_domains=task_default_domains(analysis.background))


def _trace(nodes: list[Node]) -> list[tuple]:
    return [(repr(n.expr), n.type, n.cost, value_key(n.values)) for n in nodes]


@pytest.mark.parametrize("task_id", TASKS)
def test_enumeration_with_fast_paths_equals_references_only(task_id: str) -> None:
    """The same nodes, in the same order, with the same values, whichever implementation
    the enumerator calls."""
    limit = 2500
    fast, slow = _enumerator(task_id), _enumerator(task_id, REFERENCE)
    got = list(fast.run(lambda done: done >= limit))
    expected = list(slow.run(lambda done: done >= limit))
    assert _trace(got) == _trace(expected)
    assert fast.stats.evaluations == slow.stats.evaluations
    assert fast.stats.errors == slow.stats.errors


def _call_then_add(enum: Enumerator) -> list[Node]:
    """The enumeration as a plain loop over the public API: every combination of every
    primitive at every level is `call`ed, and kept when `Bank.add` takes it."""
    bank, out = Bank(), []
    bank.add(enum.root)
    for cost in range(1, enum.config.max_cost + 1):
        for prim in enum.prims:
            if cost < enum.cost_of(prim):
                continue
            for count, (args, subst) in enumerate(enum.combos(prim, cost - enum.cost_of(prim))):
                if count >= enum.config.max_combos_per_split * max(1, cost):
                    break
                node = enum.call(prim, args, subst)
                if node is not None and bank.add(node):
                    out.append(node)
    return out


@pytest.mark.parametrize("task_id", TASKS[:2])
def test_level_loop_equals_call_then_add(task_id: str) -> None:
    config = EnumConfig(max_cost=1)
    enum = _enumerator(task_id, config=config)
    got = list(enum.run(lambda done: False))
    assert _trace(got) == _trace(_call_then_add(_enumerator(task_id, config=config)))
    assert enum.stats.nodes == len(got)
    assert enum.stats.nodes + enum.stats.duplicates <= enum.stats.evaluations
