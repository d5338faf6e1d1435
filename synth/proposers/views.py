"""The views proposer: enumerate on transformed views of the task, map the programs back.

Views (`synth.search.normalise`) are tried in order: the colour-normalised task first, then
the seven D8 views; a view is skipped when its task is identical to the original or to one
already tried. Each view gets an equal share of what is left of the stage's budget and an
`EnumerativeProposer` of its own; every program it verifies on the view is mapped back to the
original task (`synth.proposers.view_mapping.original_candidate`), parsed, run by the
reference interpreter on every original input and yielded only if it reproduces every
original train output. The views stop after the first view that gives a program whose test
outputs obey the task's invariants.
"""
from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from synth.analysis.features import TaskAnalysis
from synth.data.scoring import train_matches
from synth.data.task import Challenge
from synth.proposers.base import Budget, Candidate, Pool, ProgramCandidate
from synth.proposers.enumerative import EnumerativeProposer
from synth.proposers.guidance import Guidance
from synth.proposers.view_mapping import original_candidate, view_analysis
from synth.search.enumerate import DEFAULT_EXCLUDE, EnumConfig
from synth.search.normalise import COLOR_VIEW, D8_VIEWS, distinct_views, view_challenge

VIEW_ORDER: tuple[str, ...] = (COLOR_VIEW, *D8_VIEWS)
VIEW_PRIMITIVES = frozenset({"normalize_colors", "denormalize_colors"})


def view_enumerator(guide: Guidance | None = None) -> EnumerativeProposer:
    """An enumerative proposer for views (the view primitives themselves left out), with the
    cost hook `guide` (default: uniform costs)."""
    return EnumerativeProposer(config=EnumConfig(exclude=DEFAULT_EXCLUDE | VIEW_PRIMITIVES),
                               guidance=guide or Guidance())


@dataclass
class ViewsProposer:
    """Yields programs found by enumeration on the colour-normalised and D8 views."""

    inner: EnumerativeProposer = field(default_factory=view_enumerator)
    name: str = "views"
    views: tuple[str, ...] = VIEW_ORDER
    last: dict[str, Any] = field(default_factory=dict)

    def warm_up(self) -> None:
        """Warm up the inner enumerative proposer."""
        self.inner.warm_up()

    def stats(self) -> dict[str, Any]:
        """The views tried, the programs mapped back and the ones the original rejected."""
        return dict(self.last)

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        views = distinct_views(task, self.views)
        self.last = {"views": [], "mapped": 0, "rejected": 0, "evaluations": 0}
        for index, view in enumerate(views):
            share = budget.share(1.0 / (len(views) - index))
            if share.expired():
                break
            self.last["views"].append(view)
            solved = yield from self._view(view, task, analysis, share, budget)
            self.last["evaluations"] += self.inner.enum_stats.evaluations
            if solved:
                break

    def _view(self, view: str, task: Challenge, analysis: TaskAnalysis, share: Budget,
              budget: Budget) -> Generator[Candidate, None, bool]:
        """Enumerate on one view; returns whether a consistent program was found."""
        view_task = view_challenge(view, task)
        solved = False
        for candidate in self.inner.propose(view_task, view_analysis(view, task, view_task,
                                                                     analysis), share, Pool()):
            if not (isinstance(candidate, ProgramCandidate)
                    and train_matches(candidate.train_outputs, view_task)):
                continue
            budget.spend(1)
            mapped = original_candidate(view, candidate, task, self.name)
            if mapped is None:
                self.last["rejected"] += 1
                continue
            self.last["mapped"] += 1
            solved = solved or (all(g is not None for g in mapped.test_outputs)
                                and analysis.consistent_outputs(mapped.test_outputs))
            yield mapped
        return solved
