"""Output by pieces: the greedy composition and the enumerative proposer's use of it."""
from __future__ import annotations

import numpy as np

from dsl.interp import run_program
from dsl.parser import parse_program
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.enumerate import EnumConfig
from synth.search.pieces import Composition, compose
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
