"""The lookup proposer: train outputs looked up by a feature of the input, as grid answers.

For classification tasks (every output one of a few fixed grids, `synth.search.lookup`) it
yields each answer the input features give as a `GridCandidate`, most agreeing features first,
with the share of explaining features that agree as confidence. Grid answers never end the
search and rank below verified programs (`synth.select.rank`), so a lookup answer is an
attempt only where fewer than two program answers were found, and a supporter where a program
gives the same outputs. It costs one evaluation of work per feature computed on every input.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from synth.analysis.features import TaskAnalysis
from synth.data.task import Challenge
from synth.proposers.base import Budget, Candidate, GridCandidate, Pool
from synth.search.lookup import FEATURES, lookup_answers


@dataclass
class LookupProposer:
    """Grid answers looked up among the train outputs by an input feature."""

    name: str = "lookup"
    last: dict[str, Any] = field(default_factory=dict)

    def warm_up(self) -> None:
        """Nothing to load."""

    def stats(self) -> dict[str, Any]:
        """The answers given and the features behind each."""
        return dict(self.last)

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        train = [(ex.input, ex.output) for ex in task.train]
        answers = lookup_answers(train, task.test_inputs, analysis.background)
        budget.spend(len(FEATURES))
        self.last = {"answers": [list(a.features) for a in answers]}
        explaining = sum(len(a.features) for a in answers)
        for answer in answers:
            yield GridCandidate(answer.test_outputs, self.name,
                                confidence=len(answer.features) / explaining)
