"""Per-task primitive costs for the enumerative proposer: a PCFG prior and the guide model.

`Guidance.costs(task)` is the cost hook of the enumerator (`synth.search.costs`). The prior is a
unigram PCFG over primitive counts in the golden-program library, leave-one-out like the
library proposer (a program written for the task being solved is not counted). The guide is
synth's own model (`synth.learn.guide`): it reads the task's train pairs and says how likely
each primitive is to appear in the program; its probabilities are mixed with the prior in log
space, after a label shift (`label_shift`, 0.5 by default: the guide's log-odds moved toward
the golden library's primitive frequencies, leave-one-out). Primitives the guide file was not
trained on keep the prior's probability. Program samples fit the same kind of PCFG with
`sample_probabilities`, HySynth style, and go through the same hook: when the `llm` proposer
runs before the enumerative one (a plan such as `llm,enumerative`), its programs in the pool
steer the enumerator.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dsl import ast
from dsl.errors import DSLError
from dsl.parser import parse_program
from dsl.registry import default_registry
from synth.data.golden import DEFAULT_LIBRARY, library_scope
from synth.data.task import Challenge
from synth.learn.guide import SHIPPED_GUIDE, Guide, label_shifted
from synth.proposers.base import SearchOptions
from synth.proposers.library import load_library
from synth.search.costs import (DEFAULT_GUIDE_WEIGHT, CostLevels, cost_levels, mix_probabilities,
                                parse_cost_levels, pcfg_probabilities)

DEFAULT_SAMPLE_WEIGHT = 0.5
# Label-shift strength (0: off), chosen on training tasks with the shipped guide: on the 40-task
# tuning sample (enumerative, --work-limit 150000) 0.5 solved 13.0 tasks against 12.5 without
# (one gained, none lost; median nodes to the first program 0.75x); on the 80-task sample
# (bench_guide.py guided, --work-limit 225000, commit 6a1e9c1) 31.5 against 30.5 (two gained,
# one lost); the unguided arm there solved 21.8.
DEFAULT_LABEL_SHIFT = 0.5
PRESENCE_SMOOTHING = 0.5


@cache
def library_counts(folders: tuple[Path, ...]) -> tuple[tuple[str, Counter[str]], ...]:
    """Primitive counts of every library program, by file stem (cached per process)."""
    registry = default_registry()
    return tuple((stem, Counter(n for n in ast.program_names(program) if n in registry))
                 for stem, program in load_library(folders).programs)


def prior_counts(folders: tuple[Path, ...], left_out: str) -> Counter[str]:
    """Primitive counts over the library, without the programs whose stem is `left_out`."""
    total: Counter[str] = Counter()
    for stem, counts in library_counts(folders):
        if stem != left_out:
            total.update(counts)
    return total


def presence_frequencies(folders: tuple[Path, ...], left_out: str, names: Iterable[str]
                         ) -> dict[str, float]:
    """Per name, the smoothed share of library programs that use it, without the programs
    whose stem is `left_out`."""
    programs = [counts for stem, counts in library_counts(folders) if stem != left_out]
    return {name: (sum(1 for counts in programs if name in counts) + PRESENCE_SMOOTHING)
            / (len(programs) + 2 * PRESENCE_SMOOTHING) for name in names}


def sample_probabilities(programs: Iterable[str], smoothing: float = 0.1) -> dict[str, float]:
    """A unigram PCFG fitted on program texts (unparseable ones are skipped)."""
    registry = default_registry()
    counts: Counter[str] = Counter()
    for text in programs:
        try:
            program = parse_program(text)
        except DSLError:
            continue
        counts.update(n for n in ast.program_names(program) if n in registry)
    return pcfg_probabilities(counts, (p.name for p in registry), smoothing)


@dataclass(frozen=True)
class Guidance:
    """Where the enumerator's per-task costs come from: `cost_model` uniform or pcfg (the
    library prior), and an optional guide model file mixed in with `guide_weight`, its
    probabilities label-shifted toward the library's frequencies by `label_shift`."""

    cost_model: str = "uniform"
    guide: Path | None = None
    folders: tuple[Path, ...] = (DEFAULT_LIBRARY,)
    guide_weight: float = DEFAULT_GUIDE_WEIGHT
    sample_weight: float = DEFAULT_SAMPLE_WEIGHT
    label_shift: float = DEFAULT_LABEL_SHIFT
    levels: CostLevels = CostLevels()

    @property
    def uniform(self) -> bool:
        """True when every primitive costs 1."""
        return self.cost_model == "uniform" and self.guide is None

    def probabilities(self, task: Challenge, samples: Sequence[str] = ()) -> dict[str, float]:
        """P(primitive in the program) for this task, before levelling; `samples` are program
        texts proposed for the task (by a language model), fitted as a PCFG and mixed in."""
        names = [p.name for p in default_registry()]
        if self.cost_model == "pcfg":
            prior = pcfg_probabilities(prior_counts(self.folders, task.id), names)
        else:
            prior = {name: 1.0 / len(names) for name in names}
        if self.guide is not None:
            model = load_guide(self.guide)
            guide = trained_only(model.primitive_probabilities(
                [(ex.input, ex.output) for ex in task.train]), model)
            if self.label_shift:
                guide = label_shifted(guide, model.prior_probabilities(),
                                      presence_frequencies(self.folders, task.id, names),
                                      self.label_shift)
            prior = mix_probabilities(prior, guide, self.guide_weight)
        if samples:
            prior = mix_probabilities(prior, sample_probabilities(samples), self.sample_weight)
        return prior

    def warm_up(self) -> None:
        """Count the library's primitives and load the guide, once per process."""
        if self.cost_model == "pcfg":
            library_counts(self.folders)
        if self.guide is not None:
            load_guide(self.guide)

    def costs(self, task: Challenge, samples: Sequence[str] = ()) -> Mapping[str, int] | None:
        """Integer per-primitive costs for the enumerator (None: uniform)."""
        if self.uniform and not samples:
            return None
        return cost_levels(self.probabilities(task, samples), self.levels)


def trained_only(probabilities: Mapping[str, float], model: Guide) -> dict[str, float]:
    """The guide's probabilities for the primitives it was trained on: a primitive added to the
    registry later keeps the prior's probability in the mix instead of the file's `unseen` floor,
    which would put it at the top cost level and out of a short search."""
    trained = set(model.primitive_names)
    return {name: p for name, p in probabilities.items() if name in trained}


@cache
def load_guide(path: Path) -> Guide:
    """The guide model at `path`, loaded once per process."""
    return Guide.load(path)


def guide_path(value: str | None) -> Path | None:
    """The guide file a `--guide` value names: None for `none` or no value, the shipped
    weights for `shipped` (None when they are absent)."""
    if value is None or value.lower() == "none":
        return None
    if value.lower() == "shipped":
        return SHIPPED_GUIDE if SHIPPED_GUIDE.is_file() else None
    return Path(value)


def library_guide(options: SearchOptions) -> Guide | None:
    """The guide model the library proposer orders its programs by (None: `--guide none`)."""
    path = guide_path(options.guide)
    return None if path is None else load_guide(path)


def guidance(options: SearchOptions) -> Guidance:
    """The cost hook the search options ask for."""
    return Guidance(cost_model=options.cost_model, guide=guide_path(options.guide),
                    folders=library_scope(options.library), guide_weight=options.guide_weight,
                    levels=parse_cost_levels(options.guide_costs))
