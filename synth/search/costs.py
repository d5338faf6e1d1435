"""Per-primitive costs for the enumerator: uniform, from a PCFG prior, or per task.

The enumerator builds programs by cost level (`synth.search.enumerate`); a primitive's cost is
how much of a level its call uses. Costs here come from probabilities — how likely a primitive
is to appear in a solution — turned into small integer levels the way probabilistic
enumerators do (HySynth, DeepCoder's ordering): the likeliest primitive costs 1 and every
`step` halvings of probability below it add 1, up to `max_level`. The probabilities come from
primitive counts in golden programs (a unigram PCFG), from synth's guide model per task, or
from both, mixed in log space.
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


@dataclass(frozen=True)
class CostLevels:
    """How probabilities become integer costs: `step` log2 units per level, at most
    `max_level`, and the level every primitive gets when the model is uniform (1)."""

    step: float = 2.0
    max_level: int = 3


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
    """Integer costs: 1 for the likeliest name, +1 per `step` halvings below it, capped."""
    if not probabilities:
        return {}
    top = max(probabilities.values())
    costs = {}
    for name, p in probabilities.items():
        drop = math.log2(top / max(p, 1e-12))
        costs[name] = 1 + min(levels.max_level - 1, int(drop // levels.step))
    return costs
