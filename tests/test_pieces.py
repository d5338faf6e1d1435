"""Output by pieces: the greedy composition, the enumerative proposer's use of it, and the
closure's, within the pieces share of its budget."""
from __future__ import annotations

import numpy as np

from dsl import ast
from dsl.interp import run_program
from dsl.types import GRID
from dsl.parser import parse_program
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.closure import ClosureProposer
from synth.proposers.enumerative import EnumerativeProposer, blank_node
from synth.search.enumerate import EnumConfig, Enumerator
from synth.search.options import Node
from synth.proposers.closure import blank_expr, shaped_nodes, shaped_stacks, task_closure
from synth.search.pieces import (BLANK, CELLS_PER_EVALUATION, EVALUATIONS_PER_SECOND,
                                 FIRST_PREFIX, OVERLAY, PIECES_SHARE, Composition, compose,
                                 compose_stacks,
                                 pieces_allowance, pieces_work, prefixes, values_per_evaluation)
from synth.search.program import program_text
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
    assert pieces_allowance(120, 0.0, 3) == 360
    assert pieces_allowance(-5, 10.0) == 0, "the stages before it overspent: nothing left"
    assert pieces_allowance(None, 0.5) == EVALUATIONS_PER_SECOND // 2
    assert pieces_allowance(None, -1.0) == 0


def test_small_outputs_compose_many_values_an_evaluation() -> None:
    small, large = [make_grid(np.zeros((3, 3)))], [make_grid(np.zeros((30, 30)))] * 4
    assert values_per_evaluation(small) == CELLS_PER_EVALUATION // 9 > 100
    assert values_per_evaluation(large) == 1, "never fewer than one value an evaluation"
    assert pieces_work(0, 5) == 0
    assert pieces_work(1, 5) == 1
    assert pieces_work(5, 5) == 1
    assert pieces_work(6, 5) == 2
    assert pieces_work(pieces_allowance(37, 0.0, 5), 5) == 37


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


def test_layers_let_a_lower_value_be_wrong_under_the_pieces_above_it() -> None:
    """No base works (the only value painting the 2 also paints a wrong cell), but the
    top-down layers do: the middle value's mistake is under the piece above it. Two layers
    need a second train pair to survive leave-one-out."""
    target = make_grid([[1, 2, 3]])
    top = make_grid([[1, 0, 0]])
    middle = make_grid([[9, 2, 0]])
    bottom = make_grid([[8, 8, 3]])
    assert compose([[top, top], [middle, middle], [bottom, bottom]], [target, target],
                   bg=0) == Composition(2, (1, 0), (OVERLAY, OVERLAY))
    assert compose([[top], [middle], [bottom]], [target], bg=0) is None, "one pair: no check"
    assert compose([[make_grid([[7, 0, 0]])] * 2, [middle] * 2, [bottom] * 2], [target] * 2,
                   bg=0) is None


def test_blanking_layers_only_when_asked() -> None:
    target = make_grid([[0, 2], [3, 0]])
    colours = make_grid([[7, 2], [3, 7]])   # right off the diagonal
    holes = make_grid([[0, 9], [9, 0]])     # its background cells are right
    assert compose([[colours] * 2, [holes] * 2], [target] * 2, bg=0) is None
    found = compose([[colours] * 2, [holes] * 2], [target] * 2, bg=0, blanks=True)
    assert found == Composition(0, (1,), (BLANK,)) and found.mode(0) == BLANK
    assert compose([[colours], [holes]], [target], bg=0, blanks=True) is None, \
        "even one layer must survive leave-one-out: one train pair cannot"


def test_the_base_and_pieces_see_only_the_first_covering_candidates() -> None:
    target = make_grid([[1, 2, 0], [0, 3, 3]])
    base = make_grid([[1, 0, 0], [0, 0, 3]])
    piece_a = make_grid([[0, 2, 0], [0, 0, 0]])
    piece_b = make_grid([[0, 0, 0], [0, 3, 0]])
    candidates = [[base], [piece_a], [piece_b]]
    assert compose(candidates, [target], bg=0, covering=3) == Composition(0, (1, 2))
    assert compose(candidates, [target], bg=0, covering=2) is None


def test_the_enumerator_builds_a_blanking_layer_as_fill_mask_of_mask_of() -> None:
    colours = make_grid([[7, 2], [3, 7]])
    holes = make_grid([[0, 9], [9, 0]])
    enumerator = Enumerator([colours], [0, 2, 3, 7, 9])
    base = enumerator.root
    piece = Node(GRID, (holes,), 0, ast.Var("I"))
    node = blank_node(enumerator, base, piece, 0)
    assert node is not None and np.array_equal(node.values[0], make_grid([[0, 2], [3, 0]]))
    assert isinstance(node.expr, ast.Call) and node.expr.func == "fill_mask"
    assert isinstance(node.expr.args[1], ast.Call) and node.expr.args[1].func == "mask_of"


def test_the_layers_look_in_growing_prefixes_of_the_candidates() -> None:
    assert prefixes(3) == [3]
    assert prefixes(FIRST_PREFIX) == [FIRST_PREFIX]
    sizes = prefixes(100 * FIRST_PREFIX)
    assert sizes[0] == FIRST_PREFIX and sizes[-1] == 100 * FIRST_PREFIX
    assert sizes == sorted(set(sizes))


def _stripes(row: list[int]) -> list[list[int]]:
    return [row, row]


def test_fewer_layers_win_over_simpler_candidates() -> None:
    """Among the first FIRST_PREFIX candidates three layers reproduce the target; with a later
    candidate two do: the two-layer composition is chosen."""
    target = make_grid(_stripes([1, 2, 3, 4]))
    bottom = make_grid(_stripes([1, 8, 8, 8]))
    early = [make_grid(_stripes([0, 2, 9, 0])), make_grid(_stripes([0, 0, 3, 9])),
             make_grid(_stripes([0, 0, 0, 4]))]
    filler = [make_grid(_stripes([6, 6, 6, 6]))] * (FIRST_PREFIX - 4)
    late = make_grid(_stripes([0, 2, 3, 9]))
    candidates = [[g, g] for g in [bottom, *early, *filler, late]]
    found = compose(candidates, [target, target], bg=0, blanks=True)
    assert found == Composition(0, (FIRST_PREFIX, 3), (OVERLAY, OVERLAY)), found
    simple = compose(candidates[:FIRST_PREFIX], [target, target], bg=0, blanks=True)
    assert simple == Composition(0, (1, 2, 3), (OVERLAY,) * 3), simple


def _pairs(rows: list[list[int]]) -> list:
    return [make_grid([row]) for row in rows]


def test_many_layers_must_survive_leave_one_out() -> None:
    """Three layers over a bottom value reproduce both train pairs (each layer wrong on a cell
    the one above covers), but the layers chosen on the first pair alone (a value right on
    all of it) are wrong on the second: a fit of noise, refused. With a third pair where the
    same layers are right, they are kept."""
    targets = _pairs([[1, 2, 3, 4], [4, 5, 6, 7]])
    layers = [_pairs([[0, 0, 0, 4], [0, 0, 0, 7]]), _pairs([[0, 0, 3, 9], [0, 0, 6, 9]]),
              _pairs([[0, 2, 9, 9], [0, 5, 9, 9]])]
    bottom = _pairs([[1, 7, 7, 7], [4, 7, 7, 7]])
    only_first = _pairs([[1, 2, 3, 4], [9, 9, 9, 9]])
    noisy = [only_first, bottom, *layers]
    assert compose(noisy, targets, bg=0, blanks=True) is None
    found = compose([bottom, *layers], targets, bg=0, blanks=True)
    assert found == Composition(0, (3, 2, 1), (OVERLAY,) * 3), found
    three = targets + _pairs([[2, 2, 2, 2]])
    extend = [c + _pairs([row]) for c, row in zip(noisy, [
        [9, 9, 9, 9], [2, 7, 7, 7], [0, 0, 0, 2], [0, 0, 2, 9], [0, 2, 9, 9]])]
    kept = compose(extend, three, bg=0, blanks=True)
    assert kept == Composition(1, (4, 3, 2), (OVERLAY,) * 3), kept


def test_the_closure_blanks_a_layer_as_fill_mask_of_mask_of() -> None:
    base, piece = ast.Var("I"), ast.Call("flip_h", (ast.Var("I"),), ())
    expr = blank_expr(base, piece, 0)
    program = parse_program(program_text(expr))
    grid = make_grid([[1, 2, 0], [0, 4, 5]])
    assert np.array_equal(run_program(program, [grid])[0], make_grid([[0, 2, 0], [0, 4, 0]]))


def test_compose_stacks_is_compose_of_the_same_candidates() -> None:
    rng = np.random.default_rng(2)
    targets = [make_grid(rng.integers(0, 3, (4, 5))), make_grid(rng.integers(0, 3, (3, 3)))]
    candidates = [[rng.integers(0, 3, t.shape).astype(np.uint8) for t in targets]
                  for _ in range(60)]
    halves = [rng.random(t.shape) < 0.5 for t in targets]
    candidates += [[np.where(h, t, 0).astype(np.uint8) for h, t in zip(halves, targets)],
                   [np.where(h, 0, t).astype(np.uint8) for h, t in zip(halves, targets)]]
    stacks = [np.stack([c[i] for c in candidates]) for i in range(len(targets))]
    for blanks in (False, True):
        found = compose_stacks(stacks, targets, 0, blanks=blanks)
        assert found is not None and found == compose(candidates, targets, 0, blanks=blanks)


def test_the_closure_gathers_shaped_values_as_its_grids() -> None:
    rng = np.random.default_rng(3)
    inputs = [make_grid(rng.integers(0, 4, (5, 6))) for _ in range(3)]
    task = Challenge("gather", tuple(Example(i, i) for i in inputs[:2]), (inputs[2],))
    _, closure = task_closure(task, analyse(task))
    for _ in closure.run(2, 20_000, lambda: False):
        pass
    shapes = [ex.output.shape for ex in task.train]
    nodes = shaped_nodes(closure, shapes, 10 ** 6)
    assert len(nodes) > 100
    stacks = shaped_stacks(closure, nodes, shapes)
    for k, node in enumerate(nodes):
        for e in range(len(shapes)):
            assert np.array_equal(stacks[e][k], closure.grids(int(node))[e])
