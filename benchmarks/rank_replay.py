"""Offline replay of the colour-role ranking over a recorded training run: the `color_role`
invariant (`synth.analysis.invariants`) and the colour-role variants
(`synth.search.role_variants`, added by `synth.run.solve.role_candidates`).

Reads a run folder (config.json and records.jsonl with `extras.alternatives`, e.g. a run over
all 400 arc1 training tasks) and replays pass@2 per task three ways:

- `before`: the verified groups in the ranking's order (`synth.select.rank.Group.score` over the
  recorded fields and checks), then the recorded grid answers and fallbacks;
- `invariant`: the same with the `color_role` check recomputed for every verified group;
- `variants`: as `invariant`, plus a new group for each verified colour-role variant of the
  recorded best programs (proposer `roles`, its original's cost + `ROLE_EXTRA_COST` and prior,
  checked against the task's invariants, never joining an existing group).

Prints the tasks whose pass@2 changed and the three totals. Training runs only (evaluation runs
are refused). Usage: python benchmarks/rank_replay.py RUN_DIR
"""
from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dsl.values import value_key
from synth.analysis.features import background_color
from synth.analysis.invariants import check_outputs, consistent, infer_invariants
from synth.analysis.laws import Laws
from synth.data.datasets import load_dataset
from synth.data.task import Grid, Task
from synth.run.solve import ROLE_EXTRA_COST
from synth.search.role_variants import verified_variants
from synth.select.voter import RecordedTask, load_runs, refuse_evaluation_runs

NEW_CHECKS = ("color_role",)
Entry = tuple[tuple | None, tuple[Grid, ...]]  # (ranking key, or None after the verified tier)


def group_key(alt: Mapping[str, Any], checks: Mapping[str, bool | None]) -> tuple:
    """The ranking's score of a recorded verified group (larger is better)."""
    return (consistent(checks), len(alt.get("proposers", ())), alt.get("weight", 0.0),
            -alt.get("cost", 0), alt.get("programs", 1), alt.get("prior", 0.0))


def recorded_entries(rt: RecordedTask, recheck: bool) -> list[Entry]:
    """Every recorded alternative as (key, outputs); verified ones keyed with their recorded
    checks, `NEW_CHECKS` recomputed when `recheck`."""
    inv = infer_invariants(rt.task, laws=Laws()) if recheck else None
    entries: list[Entry] = []
    for alt, outputs in zip(rt.alternatives, rt.outputs):
        if not alt.get("verified"):
            entries.append((None, outputs))
            continue
        checks = dict(alt.get("checks") or {})
        if inv is not None:
            new = check_outputs(inv, rt.task, outputs)
            checks.update({name: new[name] for name in NEW_CHECKS})
        entries.append((group_key(alt, checks), outputs))
    return entries


def variant_entries(rt: RecordedTask) -> list[Entry]:
    """A group per verified colour-role variant of the recorded verified programs."""
    best = [a for a in rt.alternatives if a.get("verified") and a.get("program")]
    known = {value_key(tuple(o)) for o in rt.outputs}
    background = background_color(rt.task)
    variants = verified_variants(rt.task, [a["program"] for a in best], background, known)
    if not variants:
        return []
    inv = infer_invariants(rt.task, deterministic=True)
    entries: list[Entry] = []
    for v in variants:
        source = best[v.source]
        alt = {"proposers": ["roles"], "weight": 0.0, "cost": source["cost"] + ROLE_EXTRA_COST,
               "programs": 1, "prior": source["prior"]}
        entries.append((group_key(alt, check_outputs(inv, rt.task, v.test_outputs)),
                        v.test_outputs))
    return entries


def pass_at_2(entries: Sequence[Entry], truth: Sequence[Grid]) -> float:
    """Fraction of test outputs answered right by the first two entries in ranking order."""
    verified = sorted((e for e in entries if e[0] is not None), key=lambda e: e[0], reverse=True)
    chosen = [*verified, *(e for e in entries if e[0] is None)][:2]
    return float(np.mean([any(np.array_equal(e[1][t], truth[t]) for e in chosen)
                          for t in range(len(truth))]))


def main(argv: Sequence[str]) -> None:
    refuse_evaluation_runs(argv)
    totals = {"before": 0.0, "invariant": 0.0, "variants": 0.0}
    for run in load_runs(argv):
        dataset = load_dataset(run.dataset)
        for rt in run.tasks:
            task = dataset.entries[rt.key.rsplit(":", 1)[1]]
            assert isinstance(task, Task)
            truth = [ex.output for ex in task.test]
            entries = recorded_entries(rt, True)
            scores = {"before": pass_at_2(recorded_entries(rt, False), truth),
                      "invariant": pass_at_2(entries, truth),
                      "variants": pass_at_2(entries + variant_entries(rt), truth)}
            for name, score in scores.items():
                totals[name] += score
            if len(set(scores.values())) > 1:
                print(rt.key, " ".join(f"{k} {v:.2f}" for k, v in scores.items()))
    print("replayed score: " + ", ".join(f"{k} {v:.2f}" for k, v in totals.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
