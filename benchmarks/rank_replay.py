"""Offline replay of the ranking's additions over a recorded training run: the colour roles
(the `color_role` invariant of `synth.analysis.invariants` and the variants of
`synth.search.role_variants`, added by `synth.run.solve.role_candidates`) and the groups'
distance to the predicted shapes (`size_miss`, `synth.select.rank.Group.score`).

Reads a run folder (config.json and records.jsonl with `extras.alternatives`, e.g. a run over
all 400 arc1 training tasks) and replays pass@2 per task four ways, each adding to the last:

- `before`: the verified groups in the ranking's order (`synth.select.rank.Group.score` over the
  recorded fields and checks, `size_miss` 0), then the recorded grid answers and fallbacks;
- `invariant`: the same with the `color_role` check recomputed for every verified group (with
  the roles `synth.analysis.invariants.COLOR_ROLES` holds now);
- `variants`: as `invariant`, plus a new group for each verified colour-role variant of the
  recorded best programs (proposer `roles`, its original's cost + `ROLE_EXTRA_COST` and prior,
  checked against the task's invariants, never joining an existing group);
- `shapes`: as `variants`, with every verified group keyed by its `size_miss`.

Invariants are inferred in deterministic mode (`infer_invariants(..., deterministic=True)`).
Prints the tasks whose pass@2 changed and the totals. Training runs only (evaluation runs are
refused). Usage: python benchmarks/rank_replay.py RUN_DIR [RUN_DIR ...]
"""
from __future__ import annotations

import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dsl.values import value_key
from synth.analysis.features import background_color
from synth.analysis.invariants import Invariants, check_outputs, consistent, infer_invariants, \
    size_miss
from synth.data.datasets import load_dataset
from synth.data.task import Grid, Task
from synth.run.solve import ROLE_EXTRA_COST
from synth.search.role_variants import verified_variants
from synth.select.voter import RecordedTask, load_runs, refuse_evaluation_runs

Entry = tuple[tuple | None, tuple[Grid, ...]]  # (ranking key, or None after the verified tier)
COUNTED = frozenset({"size", "palette", "preserved", "color_role"})


@dataclass(frozen=True)
class Ranking:
    """One replayed ranking: which checks are recomputed, which count, whether the role
    variants join, whether groups are keyed by `size_miss`."""

    recheck: frozenset[str]
    counted: frozenset[str] | None
    variants: bool
    sized: bool


RANKINGS: Mapping[str, Ranking] = {
    "before": Ranking(frozenset(), frozenset({"size", "palette", "preserved"}), False, False),
    "invariant": Ranking(frozenset({"color_role"}), COUNTED, False, False),
    "variants": Ranking(frozenset({"color_role"}), COUNTED, True, False),
    "shapes": Ranking(frozenset({"color_role"}), COUNTED, True, True),
}


def group_key(alt: Mapping[str, Any], checks: Mapping[str, bool | None], miss: int = 0) -> tuple:
    """The ranking's score of a recorded verified group (larger is better)."""
    return (consistent(checks), len(alt.get("proposers", ())), alt.get("weight", 0.0), -miss,
            -alt.get("cost", 0), alt.get("programs", 1), alt.get("prior", 0.0))


def _counted(checks: Mapping[str, bool | None], names: Collection[str] | None
             ) -> dict[str, bool | None]:
    return {k: v for k, v in checks.items() if names is None or k in names}


def recorded_entries(rt: RecordedTask, inv: Invariants, ranking: Ranking) -> list[Entry]:
    """Every recorded alternative as (key, outputs); verified ones keyed with their recorded
    checks, those in `ranking.recheck` recomputed."""
    entries: list[Entry] = []
    for alt, outputs in zip(rt.alternatives, rt.outputs):
        if not alt.get("verified"):
            entries.append((None, outputs))
            continue
        checks = dict(alt.get("checks") or {})
        if ranking.recheck:
            new = check_outputs(inv, rt.task, outputs)
            checks.update({name: new[name] for name in ranking.recheck})
        miss = size_miss(inv, outputs) if ranking.sized else 0
        entries.append((group_key(alt, _counted(checks, ranking.counted), miss), outputs))
    return entries


def variant_entries(rt: RecordedTask, inv: Invariants, ranking: Ranking) -> list[Entry]:
    """A group per verified colour-role variant of the recorded verified programs."""
    best = [a for a in rt.alternatives if a.get("verified") and a.get("program")]
    known = {value_key(tuple(o)) for o in rt.outputs}
    variants = verified_variants(rt.task, [a["program"] for a in best],
                                 background_color(rt.task), known)
    entries: list[Entry] = []
    for v in variants:
        source = best[v.source]
        alt = {"proposers": ["roles"], "weight": 0.0, "cost": source["cost"] + ROLE_EXTRA_COST,
               "programs": 1, "prior": source["prior"]}
        checks = _counted(check_outputs(inv, rt.task, v.test_outputs), ranking.counted)
        miss = size_miss(inv, v.test_outputs) if ranking.sized else 0
        entries.append((group_key(alt, checks, miss), v.test_outputs))
    return entries


def pass_at_2(entries: Sequence[Entry], truth: Sequence[Grid]) -> float:
    """Fraction of test outputs answered right by the first two entries in ranking order."""
    verified = sorted((e for e in entries if e[0] is not None), key=lambda e: e[0], reverse=True)
    chosen = [*verified, *(e for e in entries if e[0] is None)][:2]
    return float(np.mean([any(np.array_equal(e[1][t], truth[t]) for e in chosen)
                          for t in range(len(truth))]))


def replay_task(rt: RecordedTask, truth: Sequence[Grid]) -> dict[str, float]:
    """pass@2 of the task under every ranking of `RANKINGS`."""
    inv = infer_invariants(rt.task, deterministic=True)
    scores = {}
    for name, ranking in RANKINGS.items():
        entries = recorded_entries(rt, inv, ranking)
        if ranking.variants:
            entries += variant_entries(rt, inv, ranking)
        scores[name] = pass_at_2(entries, truth)
    return scores


def main(argv: Sequence[str]) -> None:
    refuse_evaluation_runs(argv)
    totals = dict.fromkeys(RANKINGS, 0.0)
    for run in load_runs(argv):
        dataset = load_dataset(run.dataset)
        for rt in run.tasks:
            task = dataset.entries[rt.key.rsplit(":", 1)[1]]
            assert isinstance(task, Task)
            if not rt.alternatives:
                continue
            scores = replay_task(rt, [ex.output for ex in task.test])
            for name, score in scores.items():
                totals[name] += score
            if len(set(scores.values())) > 1:
                print(rt.key, " ".join(f"{k} {v:.2f}" for k, v in scores.items()))
    print("replayed score: " + ", ".join(f"{k} {v:.2f}" for k, v in totals.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
