"""The distance of test outputs to the predicted shapes (`size_miss` in
`synth.analysis.invariants`) and how the ranking (`synth.select.rank`) and the offline replay
(`benchmarks/rank_replay.py`) use it."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from synth.analysis.invariants import infer_invariants, size_miss
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import ProgramCandidate
from synth.select.rank import rank


def task_of(pairs: list[tuple[np.ndarray, np.ndarray]], tests: list[np.ndarray]) -> Challenge:
    return Challenge("t", tuple(Example(make_grid(i), make_grid(o)) for i, o in pairs),
                     tuple(make_grid(t) for t in tests))


def framed(h: int, w: int, inner: int) -> np.ndarray:
    """An `h` x `w` grid of 1 with an `inner` x `inner` square of 2 in its top-left corner."""
    grid = np.ones((h, w), dtype=np.uint8)
    grid[:inner, :inner] = 2
    return grid


# every output is 2x2 (a constant size law) and the test answer is not
CONSTANT = task_of([(framed(5, 6, 3), np.full((2, 2), 2)), (framed(6, 6, 4), np.full((2, 2), 2)),
                    (framed(7, 5, 2), np.full((2, 2), 2))], [framed(7, 7, 3)])


def candidate(program: str, outputs: list[np.ndarray], task: Challenge, proposer: str = "enum",
              cost: int = 2) -> ProgramCandidate:
    return ProgramCandidate(program, proposer, tuple(ex.output for ex in task.train),
                            tuple(make_grid(o) for o in outputs), prior=1.0, cost=cost)


def test_size_miss_orders_groups_that_all_break_the_size_law() -> None:
    inv = infer_invariants(CONSTANT)
    assert inv.shapes == ((2, 2),)
    assert size_miss(inv, [make_grid(np.full((3, 3), 2))]) == 2
    assert size_miss(inv, [make_grid(np.full((7, 5), 2))]) == 8
    assert size_miss(replace(inv, shapes=(None,)), [make_grid(np.ones((9, 9)))]) == 0
    far = candidate("far", [np.full((7, 5), 2)], CONSTANT, cost=2)
    near = candidate("near", [np.full((3, 3), 2)], CONSTANT, cost=6)
    ranked = rank(CONSTANT, [far, near], [], inv)
    assert ranked.program == "near"
    assert [a["size_miss"] for a in ranked.alternatives] == [2, 8]
    # support from more proposers still comes first
    also_far = candidate("also_far", [np.full((7, 5), 2)], CONSTANT, proposer="beam")
    assert rank(CONSTANT, [far, also_far, near], [], inv).program == "far"
    # without invariants the miss is not measured
    assert rank(CONSTANT, [far, near], []).program == "far"


def test_rank_replay_shapes_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks import rank_replay
    from tests.test_voter import alternative, make_run

    truth = np.full((3, 3), 2)
    task = {"train": [{"input": ex.input.tolist(), "output": ex.output.tolist()}
                      for ex in CONSTANT.train],
            "test": [{"input": CONSTANT.test_inputs[0].tolist(), "output": truth.tolist()}]}
    wrong = [np.full((7, 5), 2), np.full((6, 6), 2)]
    alts = [alternative([w.tolist()], True, 1, cost=3) for w in wrong]
    alts.append(alternative([truth.tolist()], True, 1, cost=5))
    rank_replay.main([str(make_run(tmp_path, {"near": (task, alts)}))])
    out = capsys.readouterr().out
    assert ":near before 0.00 invariant 0.00 variants 0.00 shapes 1.00" in out
    assert "replayed score: before 0.00, invariant 0.00, variants 0.00, shapes 1.00" in out
