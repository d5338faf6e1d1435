"""Self-consistency votes: a proposer whose programs vote as one (the closure's families of
colour-mapped variants) is one supporter per test-output group, so it cannot end the search
on its own; other programs keep one vote per distinct text."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import numpy as np

from synth.analysis.features import TaskAnalysis, analyse
from synth.data.task import Challenge, Example, Task, make_grid
from synth.proposers.base import Budget, GridCandidate, Pool, ProgramCandidate
from synth.proposers.closure import ClosureProposer
from synth.proposers.registry import Stage
from synth.run.config import SolveConfig
from synth.run.solve import solve_task
from synth.select.votes import Votes, program_voter

FLIP = Task("flip", (Example(make_grid([[1, 2], [3, 4]]), make_grid([[2, 1], [4, 3]])),
                     Example(make_grid([[5, 0, 0]]), make_grid([[0, 0, 5]]))),
            (Example(make_grid([[7, 8]]), make_grid([[8, 7]])),))
FLIPPED = (make_grid([[8, 7]]),)
OTHER = (make_grid([[3, 3]]),)


def program(text: str, outputs: tuple[np.ndarray, ...] = FLIPPED, proposer: str = "closure",
            as_one: bool = False) -> ProgramCandidate:
    """A verified program on FLIP with the given test outputs."""
    train = tuple(ex.output for ex in FLIP.train)
    return ProgramCandidate(f"solve(I: Grid) -> Grid:\n    O = {text}(I)\n", proposer, train,
                            outputs, prior=1.0, cost=2, votes_as_one=as_one)


def anything(outputs: object) -> bool:
    """Every output is consistent."""
    return True


def test_a_family_of_agreeing_programs_is_one_supporter() -> None:
    votes = Votes(anything)
    family = [program(f"variant{i}", as_one=True) for i in range(5)]
    assert [votes.add(c) for c in family] == [1] * 5
    assert not votes.solved, "one family alone does not count as solving the task"


def test_a_family_with_other_support_solves() -> None:
    votes = Votes(anything)
    votes.add(program("v1", as_one=True))
    assert votes.add(GridCandidate(FLIPPED, "transduction", 0.5)) == 2 and votes.solved
    alone = Votes(anything)
    alone.add(program("v1", as_one=True))
    alone.add(GridCandidate(OTHER, "transduction", 0.5))
    assert alone.best == 1 and not alone.solved
    assert Votes(anything).add(program("p", proposer="enumerative")) == 1


def test_a_family_adds_one_vote_to_independent_programs() -> None:
    votes = Votes(anything)
    assert votes.add(program("a", proposer="enumerative")) == 1
    assert votes.add(program("v1", as_one=True)) == 2
    assert votes.add(program("v2", as_one=True)) == 2
    assert votes.add(program("b", proposer="enumerative")) == 3


def test_families_vote_per_proposer_and_per_output_group() -> None:
    votes = Votes(anything)
    votes.add(program("v1", as_one=True))
    votes.add(program("w1", OTHER, as_one=True))
    assert votes.add(program("w2", OTHER, as_one=True)) == 1
    assert votes.add(program("x1", OTHER, proposer="other-family", as_one=True)) == 2


def test_a_program_text_found_again_adds_nothing() -> None:
    votes = Votes(anything)
    assert votes.add(program("same", as_one=True)) == 1
    assert votes.add(program("same", proposer="enumerative")) == 1
    assert votes.add(program("p", proposer="enumerative")) == 2
    assert votes.add(program("p", proposer="views")) == 2


def test_ordinary_programs_keep_one_vote_per_text() -> None:
    votes = Votes(anything)
    assert [votes.add(program(t, proposer="enumerative")) for t in ("a", "b", "a", "c")] == \
        [1, 2, 2, 3]
    assert program_voter(program("a", proposer="enumerative")) != \
        program_voter(program("a", as_one=True))


def test_inconsistent_outputs_do_not_vote() -> None:
    votes = Votes(lambda outputs: False)
    assert votes.add(program("v1", as_one=True)) == 0 and not votes.solved


@dataclasses.dataclass
class FixedProposer:
    """Yields fixed candidates and remembers whether it ran."""

    candidates: tuple[ProgramCandidate, ...]
    name: str
    ran: bool = False
    work_limit: int | None = None

    def warm_up(self) -> None:
        """Nothing to load."""

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[ProgramCandidate]:
        self.ran = True
        self.work_limit = budget.work_limit
        yield from self.candidates

    def stats(self) -> dict[str, Any]:
        return {}


def run_two_stages(as_one: bool) -> tuple[Any, FixedProposer]:
    """A stage of three agreeing programs (voting as one or not), then a second stage."""
    first = FixedProposer(tuple(program(name, as_one=as_one)
                                for name in ("flip_h", "rot180", "trim")), "closure")
    second = FixedProposer((program("transpose", OTHER, proposer="enumerative"),),
                           "enumerative")
    solution = solve_task(FLIP.challenge(), SolveConfig(time_limit=10, agreement=3,
                                                        work_limit=1000),
                          [Stage(first, 0.5), Stage(second, 0.5)])
    return solution, second


def test_a_family_neither_ends_the_search_nor_shrinks_later_shares() -> None:
    solution, second = run_two_stages(as_one=True)
    assert second.ran and solution.stats["agreement"] == 1
    assert "enumerative" in solution.stats["stages"]
    assert second.work_limit == 500, "half of the 1000 left, not a quarter of it"
    solution, second = run_two_stages(as_one=False)
    assert not second.ran and solution.stats["agreement"] == 3


def test_the_closure_proposer_votes_as_one() -> None:
    task = FLIP.challenge()
    proposer = ClosureProposer(max_depth=1)
    proposer.warm_up()
    budget = Budget.from_seconds(600, work_limit=10_000)   # work-limited: load cannot cut it
    found = list(proposer.propose(task, analyse(task), budget, Pool()))
    assert found and all(c.votes_as_one for c in found)
    assert any(np.array_equal(c.test_outputs[0], FLIPPED[0]) for c in found)
