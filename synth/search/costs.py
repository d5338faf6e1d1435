"""Per-primitive costs for the enumerator: uniform, from a PCFG prior, or per task.

The enumerator builds programs by cost level (`synth.search.enumerate`); a primitive's cost is
how much of a level its call uses. Costs here come from probabilities — how likely a primitive
is to appear in a solution — turned into small integer levels the way probabilistic
enumerators do (HySynth, DeepCoder's ordering): the likeliest primitive costs 1 and every
`step` halvings of probability below it add 1, up to `max_level`. Alternatively costs go by
rank, DeepCoder's sort-and-add: the `ranks[0]` likeliest primitives cost 1, the next `ranks[1]`
cost 2, and so on. `parse_cost_levels` reads either rule from a `--guide-costs` value. The
probabilities come from primitive counts in golden programs (a unigram PCFG), from synth's
guide model per task, or from both, mixed in log space.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

COST_MODELS = ("uniform", "pcfg")
# The guide's weight in the log-linear mix, chosen on 120 arc1:train tasks (the 40-task tuning
# sample and the 80-task sample; benchmarks/results/guide-weight-arc1-train.json): weight 0.5
# solved 41.0 tasks, weight 1.0 39.0.
DEFAULT_GUIDE_WEIGHT = 0.5
# The probability-to-cost mapping (`--guide-costs`). On the 40-task tuning sample (enumerative,
# --work-limit 150000) 2,3 solved 12.5 tasks; 1.5,3, 2,4 and 2,2 tied it (12.5), 3,3 solved
# 11.0, rank:16,48 11.5 (rank:8,32 was behind when stopped). On the 80-task sample
# (bench_guide.py guided, --work-limit 225000) 1.5,3 solved 30.2 against 29.5, the difference
# being three tasks (one lost, one gained, one 2/3 fallback answer): 2,3 stays until a full
# side-by-side run says otherwise.
DEFAULT_GUIDE_COSTS = "2,3"


@dataclass(frozen=True)
class CostLevels:
    """How probabilities become integer costs: `step` log2 units per level, at most
    `max_level` (every primitive costs 1 when the model is uniform); or, when `ranks` is given,
    by rank buckets: the `ranks[0]` likeliest cost 1, the next `ranks[1]` cost 2, ..., the rest
    `len(ranks) + 1`."""

    step: float = 2.0
    max_level: int = 3
    ranks: tuple[int, ...] = ()


def parse_cost_levels(text: str) -> CostLevels:
    """The mapping a `--guide-costs` value names: `STEP,LEVELS` (ratio rule, e.g. `2,3`) or
    `rank:N1,N2,...` (rank buckets); ValueError with the reason when it is malformed."""
    text = text.strip()
    if text.startswith("rank:"):
        try:
            ranks = tuple(int(part) for part in text.removeprefix("rank:").split(","))
        except ValueError:
            raise ValueError(f"expected rank:N1,N2,... with integers, got '{text}'") from None
        if not all(n > 0 for n in ranks):
            raise ValueError(f"rank bucket sizes must be > 0, got '{text}'")
        return CostLevels(ranks=ranks)
    parts = text.split(",")
    if len(parts) != 2:
        raise ValueError(f"expected STEP,LEVELS (e.g. 2,3) or rank:N1,N2,..., got '{text}'")
    try:
        step, max_level = float(parts[0]), int(parts[1])
    except ValueError:
        raise ValueError(f"expected a number STEP and an integer LEVELS, got '{text}'") from None
    if not (step > 0 and math.isfinite(step)) or max_level < 1:
        raise ValueError(f"STEP must be > 0 and LEVELS >= 1, got '{text}'")
    return CostLevels(step=step, max_level=max_level)


def pcfg_probabilities(counts: Mapping[str, int], names: Iterable[str],
                       smoothing: float = 1.0) -> dict[str, float]:
    """A unigram PCFG over `names`: (count + smoothing) / total, so unseen names keep mass."""
    names = list(names)
    weights = {name: counts.get(name, 0) + smoothing for name in names}
    total = sum(weights.values()) or 1.0
    return {name: weight / total for name, weight in weights.items()}


def mix_probabilities(prior: Mapping[str, float], guide: Mapping[str, float],
                      guide_weight: float) -> dict[str, float]:
    """Log-linear mix p ∝ prior^(1-w) · guide^w over the prior's names (guide-less names keep
    their prior)."""
    mixed = {}
    for name, p in prior.items():
        q = guide.get(name)
        if q is None:
            mixed[name] = p
        else:
            mixed[name] = math.exp((1 - guide_weight) * math.log(max(p, 1e-12))
                                   + guide_weight * math.log(max(q, 1e-12)))
    return mixed


def cost_levels(probabilities: Mapping[str, float], levels: CostLevels = CostLevels()
                ) -> dict[str, int]:
    """Integer costs: 1 for the likeliest name, +1 per `step` halvings below it, capped (or
    by rank buckets when `levels.ranks` is set)."""
    if not probabilities:
        return {}
    if levels.ranks:
        return rank_levels(probabilities, levels.ranks)
    top = max(probabilities.values())
    costs = {}
    for name, p in probabilities.items():
        drop = math.log2(top / max(p, 1e-12))
        costs[name] = 1 + min(levels.max_level - 1, int(drop // levels.step))
    return costs


def rank_levels(probabilities: Mapping[str, float], ranks: tuple[int, ...]) -> dict[str, int]:
    """Costs by rank bucket: a name's rank is how many names are strictly likelier (so tied
    names share a level); ranks below `ranks[0]` cost 1, the next `ranks[1]` cost 2, ..."""
    ordered = sorted(probabilities.values(), reverse=True)
    bounds = [sum(ranks[:i + 1]) for i in range(len(ranks))]
    costs = {}
    for name, p in probabilities.items():
        rank = sum(1 for q in ordered if q > p)
        costs[name] = 1 + sum(1 for bound in bounds if rank >= bound)
    return costs
