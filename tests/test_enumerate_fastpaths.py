"""The enumerator's overhead fast paths against their slow paths: the native value hash
(`dsl.values.value_hash`) against the content key's equality (`value_key`), the native byte
count (`value_nbytes`) against its reference, the nested-loop
argument tuples of closed signatures against the unifying recursion, and whole enumerations
(nodes, order, values, stats) with every fast path against the slow ones."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.values import (Object, frozen, make_object, value_hash, value_key, value_nbytes,
                        value_nbytes_reference)
from synth.analysis.features import analyse
from synth.data.datasets import load_task_ref
from synth.search import enumerate as enumerate_module
from synth.search.enumerate import Enumerator
from synth.search.options import Node, task_default_domains, task_hints
from tests.strategies import grids, masks, objects_

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TASKS = ("007bbfb7", "0520fde7", "2281f1f4", "3aa6fb7a")
WORK = 3000
COMBOS = 2000


# --- the value hash --------------------------------------------------------------------------

scalars = st.one_of(st.integers(-3, 40), st.booleans())
leaves = st.one_of(scalars, grids(max_side=6, max_colors=3), masks((3, 4)), objects_())
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4).map(tuple), max_leaves=8)


def _twin(value: object) -> object:
    """An equal value (same `value_key`) built differently: arrays as non-contiguous views,
    objects with other colours off their mask, int64 colours or strided masks, ints as numpy
    integers."""
    if isinstance(value, np.ndarray):
        wide = np.zeros((value.shape[0], 2 * value.shape[1]), dtype=value.dtype)
        wide[:, ::2] = value
        return frozen(wide)[:, ::2]
    if isinstance(value, tuple):
        return tuple(_twin(v) for v in value)
    if isinstance(value, Object):
        colors = np.where(value.mask, value.colors, 7).astype(np.uint8)
        if value.size % 2:
            return Object(colors.astype(np.int64), value.mask, value.top, value.left)
        return Object(frozen(colors), _twin(value.mask), value.top, value.left)
    if type(value) is int:
        return np.int64(value)
    return value


@SETTINGS
@given(values)
def test_native_nbytes_matches_reference(value) -> None:
    assert value_nbytes(value) == value_nbytes_reference(value)
    twin = _twin(value)  # strided views, int64 colours, numpy integers
    assert value_nbytes(twin) == value_nbytes_reference(twin)


@SETTINGS
@given(values)
def test_equal_content_keys_hash_equal(value) -> None:
    twin = _twin(value)
    assert value_key(twin) == value_key(value)
    assert value_hash(twin) == value_hash(value)
    assert 0 <= value_hash(value) < 2**64


def _neighbours(value: object) -> list[object]:
    """Values next to `value` that a content key tells apart: one cell changed, transposed,
    as a mask, moved, reordered, wrapped."""
    out: list[object] = [(value,), (value, value)]
    if isinstance(value, np.ndarray) and value.dtype == np.uint8:
        changed = value.copy()
        changed.flat[0] = (changed.flat[0] + 1) % 10
        out += [changed, np.ascontiguousarray(value.T), value.astype(bool), value[:1]]
    if isinstance(value, Object):
        out += [Object(value.colors, value.mask, value.top + 1, value.left),
                Object(value.colors, value.mask, value.left, value.top + 2**70),
                make_object((value.colors + 1) % 10, value.mask, value.top, value.left)]
    if isinstance(value, tuple) and len(value) > 1:
        out.append(value[::-1])
    return out


@SETTINGS
@given(st.lists(values, min_size=1, max_size=6))
def test_hashes_tell_apart_what_content_keys_tell_apart(items) -> None:
    pool = [v for item in items for v in [item, *_neighbours(item)]]
    for a, b in itertools.combinations(pool, 2):
        assert (value_key(a) == value_key(b)) == (value_hash(a) == value_hash(b)), (a, b)


def test_object_offsets_beyond_64_bits_and_empty_values_hash() -> None:
    mask = np.ones((2, 2), dtype=bool)
    far = Object(np.full((2, 2), 3, np.uint8), mask, 2**80, -2**80)
    assert value_hash(far) == value_hash(Object(np.full((2, 2), 3, np.int64), mask, 2**80, -2**80))
    assert value_hash(far) != value_hash(Object(far.colors, mask, 2**80 + 1, -2**80))
    assert value_hash(()) != value_hash(((),)) != value_hash(0)
    assert value_hash(1) == value_hash(True) == value_hash(np.int64(1))  # equal as keys


# --- argument tuples -------------------------------------------------------------------------

def _enumerator(task_id: str) -> Enumerator:
    """The enumerator the enumerative proposer builds (uniform costs), shape hints included."""
    task = load_task_ref(f"arc1:train:{task_id}").challenge()
    analysis = analyse(task)
    return Enumerator(list(task.inputs), sorted(analysis.palette),
                      default_domains=task_default_domains(analysis.background),
                      hints=task_hints([(ex.input, ex.output) for ex in task.train],
                                       task.test_inputs, analysis.plausible_shapes))


def _ids(combos) -> list[tuple]:
    """The first `COMBOS` tuples (the enumerator caps each split too), as node ids."""
    return [(tuple(map(id, args)), dict(subst))
            for args, subst in itertools.islice(combos, COMBOS)]


@pytest.mark.parametrize("task_id", TASKS[:2])
def test_closed_combos_equal_the_recursion(task_id: str) -> None:
    """For every primitive on the fast path, at every budget up to 2 over a bank built to
    level 1, with and without its shape-giving literals fixed: the same tuples in the same
    order as the unifying recursion (the first `COMBOS` of each)."""
    enum = _enumerator(task_id)
    list(enum.level(1, lambda evaluations: False))
    closed = [p for p in enum.prims if p.name in enum._closed]
    assert len(closed) > len(enum.prims) // 2
    shaped = 0
    for prim in closed:
        for budget in (0, 1, 2):
            assert _ids(enum._closed_combos(prim, budget, {})) == \
                _ids(enum.recursive_combos(prim, budget, {})), (prim.name, budget)
        for literals in enum.shaped_literals(prim):
            shaped += 1
            fixed = {i: enum._literal(prim, enum.slot_params(prim)[i], v) for i, v in literals}
            for budget in (0, 1):
                assert _ids(enum._closed_combos(prim, budget, fixed)) == \
                    _ids(enum.recursive_combos(prim, budget, fixed)), (prim.name, literals)
    assert task_id != "007bbfb7" or shaped > 0


# --- whole enumerations ----------------------------------------------------------------------

def _trace(nodes: list[Node]) -> list[tuple]:
    return [(repr(n.expr), n.type, n.cost, value_key(n.values)) for n in nodes]


@pytest.mark.parametrize("task_id", TASKS)
def test_enumeration_with_fast_paths_equals_the_slow_paths(task_id: str, monkeypatch) -> None:
    """The same nodes in the same order with the same values and stats, with the native hash
    and the closed-signature loops, and with `hash(value_key(...))` and the recursion for every
    primitive."""
    fast = _enumerator(task_id)
    got = list(fast.run(lambda done: done >= WORK))
    monkeypatch.setattr(enumerate_module, "value_hash", lambda value: hash(value_key(value)))
    slow = _enumerator(task_id)
    slow._closed = frozenset()
    expected = list(slow.run(lambda done: done >= WORK))
    assert _trace(got) == _trace(expected)
    assert (fast.stats.evaluations, fast.stats.duplicates, fast.stats.errors) == \
        (slow.stats.evaluations, slow.stats.duplicates, slow.stats.errors)
    assert fast.bank.stored_bytes == slow.bank.stored_bytes
