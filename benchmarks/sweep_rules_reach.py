"""Reach of learned sweep rules (`synth.search.sweep_rules`) over the arc1 training tasks.

For every training task, the rule `learn_sweep_rule` learns on the inputs themselves (as the
enumerative proposer's finishing step sees its root node, without cross-validation; with
`--cross-validate`, as it sees every other node), or, where the outputs' shape is not the
inputs', on each input embedded at the origin in a background canvas of the size
`synth.search.target_size` predicts (the closure's target-size embedding); whether it is right
on every test output. Tasks that a reference run did not solve are marked new
(`--solved RECORDS.jsonl`, default the library-off run of all 400). Training tasks only.

    python benchmarks/sweep_rules_reach.py [--cross-validate]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`

import argparse  # noqa: E402
import json  # noqa: E402
from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402

from synth.analysis.features import analyse  # noqa: E402
from synth.analysis.laws import infer_laws  # noqa: E402
from synth.data.datasets import load_dataset  # noqa: E402
from synth.data.task import Challenge, Task  # noqa: E402
from synth.search.sweep_rules import learn_sweep_rule, sweep_rule  # noqa: E402
from synth.search.target_size import target_size  # noqa: E402

SOLVED = Path(__file__).resolve().parent.parent / "runs/device-train400-nolib/records.jsonl"


def solved_ids(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with path.open() as fh:
        return {r["id"] for r in map(json.loads, fh) if r["record"]["score"] == 1.0}


def embedded(grid: np.ndarray, shape: tuple[int, int], bg: int) -> np.ndarray | None:
    """The grid at the origin of a bg canvas of `shape` (None when it does not fit)."""
    if shape[0] < grid.shape[0] or shape[1] < grid.shape[1]:
        return None
    canvas = np.full(shape, bg, dtype=np.uint8)
    canvas[:grid.shape[0], :grid.shape[1]] = grid
    return canvas


def start_values(challenge: Challenge) -> tuple[tuple[np.ndarray, ...] | None, int]:
    """The values a rule is learned on (train then test) and the background."""
    analysis = analyse(challenge)
    bg = analysis.background
    inputs = tuple(challenge.inputs)
    if all(ex.input.shape == ex.output.shape for ex in challenge.train):
        return inputs, bg
    analysis = replace(analysis, laws=infer_laws(challenge, bg, deterministic=True))
    size = target_size(challenge, analysis)
    if size is None:
        return None, bg
    values = tuple(embedded(g, s, bg) for g, s in zip(inputs, size.shapes))
    return (None if any(v is None for v in values) else values), bg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cross-validate", action="store_true")
    parser.add_argument("--solved", type=Path, default=SOLVED)
    args = parser.parse_args()
    solved = solved_ids(args.solved)
    right: list[str] = []
    wrong: list[str] = []
    for task in load_dataset("arc1:train").entries.values():
        if not isinstance(task, Task):
            continue
        challenge = task.challenge()
        values, bg = start_values(challenge)
        if values is None:
            continue
        rule = learn_sweep_rule(values, challenge, bg, cross_validate=args.cross_validate)
        if rule is None:
            continue
        outs = [sweep_rule(v, rule.direction, rule.kind, rule.keys, rule.values, bg)
                for v in values[len(task.train):]]
        ok = all(np.array_equal(o, ex.output) for o, ex in zip(outs, task.test))
        mark = "" if task.id in solved else " (new)"
        (right if ok else wrong).append(f"{task.id}{mark} {tuple(rule[:2])}")
    print(f"right on train and test: {len(right)} {right}")
    print(f"right on train, wrong on test: {len(wrong)} {wrong}")


if __name__ == "__main__":
    main()
