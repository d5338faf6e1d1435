"""Output by pieces: the greedy composition, the enumerative proposer's use of it, and the
closure's, within the pieces share of its budget."""
from __future__ import annotations

import numpy as np

from dsl.interp import run_program
from dsl.parser import parse_program
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.closure import ClosureProposer
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.enumerate import EnumConfig
from synth.search.pieces import (EVALUATIONS_PER_SECOND, PIECES_SHARE, Composition, compose,
                                 pieces_allowance)
from synth.select.verify import verified


def test_compose_covers_the_base_mistakes_with_consistent_pieces() -> None:
    target = make_grid([[1, 2, 0], [0, 3, 3]])
    base = make_grid([[1, 0, 0], [0, 0, 3]])       # 4 of 6 right
    wrong_piece = make_grid([[5, 0, 0], [0, 0, 0]])  # paints a wrong cell: never a piece
    piece_a = make_grid([[0, 2, 0], [0, 0, 0]])
    piece_b = make_grid([[0, 0, 0], [0, 3, 0]])
    found = compose([[base], [wrong_piece], [piece_a], [piece_b]], [target], bg=0)
    assert found is not None and found.base == 0 and sorted(found.pieces) == [2, 3]
    assert compose([[base], [wrong_piece]], [target], bg=0) is None
    assert compose([[target], [piece_a]], [target], bg=0) is None, "nothing to fix"


def test_compose_needs_every_train_pair_right() -> None:
    targets = [make_grid([[1, 2]]), make_grid([[4, 5]])]
    base = [make_grid([[1, 0]]), make_grid([[4, 0]])]
    good = [make_grid([[0, 2]]), make_grid([[0, 5]])]
    half = [make_grid([[0, 2]]), make_grid([[0, 6]])]
    assert compose([base, half], targets, bg=0) is None
    assert compose([base, half, good], targets, bg=0) == Composition(0, (2,))


SYMMETRIC = "solve(I: Grid) -> Grid:\n    x1 = flip_h(I)\n    x2 = flip_v(I)\n" \
            "    x3 = overlay(x1, I)\n    O = overlay(x3, x2)\n"


def test_the_enumerative_proposer_answers_by_pieces_beyond_its_depth() -> None:
    inputs = [make_grid([[1, 0, 0, 0], [2, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]),
              make_grid([[0, 3, 0], [0, 0, 0], [0, 0, 0]]),
              make_grid([[4, 4, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]])]
    outputs = run_program(parse_program(SYMMETRIC), inputs)
    test_input = make_grid([[5, 0, 0], [0, 6, 0], [0, 0, 0], [0, 0, 0]])
    task = Challenge("t", tuple(Example(i, o) for i, o in zip(inputs, outputs)), (test_input,))
    proposer = EnumerativeProposer(EnumConfig(max_cost=1))
    found = list(proposer.propose(task, analyse(task), Budget.from_seconds(20), Pool()))
    exact = [c for c in found if verified(c, task)]
    assert exact, [c.program for c in found]
    answer = run_program(parse_program(exact[0].program), [test_input])[0]
    assert np.array_equal(answer, run_program(parse_program(SYMMETRIC), [test_input])[0])
    assert "overlay(" in exact[0].program, "found by pieces: overlay is beyond max_cost 1"


def test_the_pieces_allowance_is_the_share_left() -> None:
    assert pieces_allowance(120, 0.0) == 120
    assert pieces_allowance(-5, 10.0) == 0, "the stages before it overspent: nothing left"
    assert pieces_allowance(None, 0.5) == EVALUATIONS_PER_SECOND // 2
    assert pieces_allowance(None, -1.0) == 0


def test_the_closure_composes_by_pieces_within_its_share_of_the_work() -> None:
    """Outputs no value of the closure equals (noise): without a cap, pieces would take every
    output-shaped value at one evaluation each, far past the stage's work."""
    rng = np.random.default_rng(0)
    inputs = [make_grid(rng.integers(0, 4, (6, 6))) for _ in range(3)]
    outputs = [make_grid(rng.integers(0, 4, (6, 6))) for _ in range(2)]
    task = Challenge("noise", tuple(Example(i, o) for i, o in zip(inputs, outputs)),
                     (inputs[2],))
    proposer = ClosureProposer()
    for limit in (50, 400):
        budget = Budget.from_seconds(60, work_limit=limit)
        assert not list(proposer.propose(task, analyse(task), budget, Pool()))
        stats = proposer.stats()
        assert stats["values"] > limit, "more output-shaped values than the work pays for"
        assert budget.meter.spent <= limit, (limit, stats)
        assert stats["verifications"] >= limit * PIECES_SHARE / 2, "pieces used their share"


def test_the_enumerative_proposer_composes_by_pieces_within_its_share_of_the_work() -> None:
    """Noise outputs shaped like the inputs: every enumerated grid is output-shaped, and without
    a cap pieces would take all of them at one evaluation each, past the stage's work."""
    rng = np.random.default_rng(1)
    inputs = [make_grid(rng.integers(0, 4, (6, 6))) for _ in range(3)]
    outputs = [make_grid(rng.integers(0, 4, (6, 6))) for _ in range(2)]
    task = Challenge("noise", tuple(Example(i, o) for i, o in zip(inputs, outputs)),
                     (inputs[2],))
    for limit in (300, 2000):
        proposer = EnumerativeProposer(EnumConfig(max_cost=2))
        budget = Budget.from_seconds(60, work_limit=limit)
        assert not [c for c in proposer.propose(task, analyse(task), budget, Pool())
                    if verified(c, task)]
        assert budget.meter.spent <= limit, (limit, proposer.stats())
