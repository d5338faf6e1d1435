"""The held-out-pair tasks of `benchmarks/held_out_tasks.py`."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from synth.data.task import Example, Task, make_grid


def test_the_last_train_pair_becomes_the_first_test_pair() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.held_out_tasks import held_out

    pairs = [Example(make_grid(np.full((1, k), k)), make_grid(np.full((k, 1), k)))
             for k in (1, 2, 3, 4)]
    task = Task("t", tuple(pairs[:3]), (pairs[3],))
    data = held_out(task)
    assert [p["input"] for p in data["train"]] == [[[1]], [[2, 2]]]
    assert [p["output"] for p in data["test"]] == [[[3], [3], [3]], [[4], [4], [4], [4]]]
