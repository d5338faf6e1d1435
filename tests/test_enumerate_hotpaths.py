"""The enumerator's speed devices leave the enumeration unchanged: segmentations memoised per
enumeration (`dsl.kernels.memoised`) and the bank kept out of the garbage collector's sight
while a run goes on (`gc.freeze`, undone at its end)."""
from __future__ import annotations

import gc
import hashlib
from dataclasses import replace

import numpy as np

from dsl.kernels import MEMO_KERNELS, implementation
from dsl.registry import default_registry
from dsl.values import frozen, value_key, value_nbytes
from synth.search.enumerate import FREEZE_EVERY, NODE_OVERHEAD, EnumConfig, Enumerator


def _inputs() -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    inputs = [frozen(np.where(rng.random((6, 7)) < 0.5, 0, rng.integers(1, 4, (6, 7)))
                     .astype(np.uint8)) for _ in range(3)]
    return inputs + [inputs[0]]                   # a repeated example hits the memo


def test_segmentation_kernels_are_memoised_by_the_enumerator() -> None:
    grid = frozen(np.array([[1, 0, 2], [1, 0, 0]], np.uint8))
    enum = Enumerator([grid], [0, 1, 2])
    memoised_prims = {p.name for p in enum.prims if p.kernel in MEMO_KERNELS}
    assert memoised_prims >= {"objects", "regions"}
    regions = enum._plans["regions"].fn
    first = regions(grid)
    assert regions(frozen(grid.copy())) is first   # equal content: the remembered value
    assert regions(grid, 8) is not first


def _digest(enum: Enumerator, evaluations: int) -> str:
    digest = hashlib.sha256()
    for node in enum.run(lambda done: done >= evaluations):
        digest.update(repr((node.expr, node.type, [value_key(v) for v in node.values])).encode())
    return digest.hexdigest()


def test_memoised_enumeration_equals_the_plain_one() -> None:
    inputs = _inputs()
    config = EnumConfig(max_cost=2)
    memo_enum = Enumerator(inputs, [0, 1, 2, 3], config=config)
    plain = Enumerator(inputs, [0, 1, 2, 3], config=config)
    for name, plan in plain._plans.items():
        plain._plans[name] = replace(plan, fn=implementation(default_registry()[name]))
    assert _digest(memo_enum, 3000) == _digest(plain, 3000)


def test_a_run_freezes_the_bank_while_it_goes_and_unfreezes_at_its_end() -> None:
    enum = Enumerator(_inputs(), [0, 1, 2, 3], config=EnumConfig(max_cost=2))
    run = enum.run(lambda done: False)
    for _ in range(FREEZE_EVERY + 1):
        next(run)
    assert gc.get_freeze_count() > 0
    run.close()
    assert gc.get_freeze_count() == 0


def test_a_run_leaves_an_earlier_freeze_alone() -> None:
    gc.freeze()
    try:
        frozen_before = gc.get_freeze_count()
        enum = Enumerator(_inputs(), [0, 1, 2, 3], config=EnumConfig(max_cost=2))
        for _ in enum.run(lambda done: done >= 3000):
            pass
        # not unfrozen, and nothing of the run's (its bank is still alive) frozen on top
        assert 0 < gc.get_freeze_count() <= frozen_before
    finally:
        gc.unfreeze()


def test_the_bank_counts_each_stored_value_once() -> None:
    enum = Enumerator(_inputs(), [0, 1, 2, 3], config=EnumConfig(max_cost=2))
    for _ in enum.run(lambda done: done >= 2000):
        pass
    stored = [node for levels in enum.bank.by_type.values() for nodes in levels.values()
              for node in nodes]
    assert enum.bank.stored_bytes == sum(
        NODE_OVERHEAD + sum(value_nbytes(v) for v in node.values) for node in stored)
