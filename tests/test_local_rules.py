"""Local rules: the `local_rule` primitive against a plain reference, its error contract, the
learner (`synth.search.local_rules`) and the enumerative proposer's use of it."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.primitives.patterns import LOCAL_RULE_KINDS, local_rule, neighbourhood_codes
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.local_rules import LocalRule, learn_local_rule
from synth.select.verify import verified
from tests.strategies import colors, grids

FAST = settings(max_examples=80, deadline=None)
FOUR = ((-1, 0), (0, 1), (1, 0), (0, -1))
DIAGONALS = ((-1, 1), (1, 1), (1, -1), (-1, -1))


# --- the primitive against a cell-by-cell reference ---------------------------------------------

def reference_code(grid: np.ndarray, r: int, c: int, kind: int) -> int:
    """The neighbourhood code of one cell, straight from the documented definition."""
    h, w = grid.shape

    def at(dr: int, dc: int) -> int:
        rr, cc = r + dr, c + dc
        return int(grid[rr, cc]) if 0 <= rr < h and 0 <= cc < w else 10

    centre = int(grid[r, c])
    four = [at(dr, dc) for dr, dc in FOUR]
    eight = four + [at(dr, dc) for dr, dc in DIAGONALS]
    if kind in (0, 1):
        present = {x for x in (four if kind == 0 else eight) if x != 10}
        return centre * 1024 + sum(1 << x for x in present)
    digits = sorted(four) if kind == 2 else four if kind == 3 else eight
    code = centre
    for digit in digits:
        code = code * 11 + digit
    return code


def reference_local_rule(grid: np.ndarray, kind: int, keys: tuple[int, ...],
                         values: tuple[int, ...]) -> np.ndarray:
    table = dict(zip(keys, values))
    out = np.array(grid)
    for r in range(grid.shape[0]):
        for c in range(grid.shape[1]):
            out[r, c] = table.get(reference_code(grid, r, c, kind), grid[r, c])
    return out


@st.composite
def rules(draw: st.DrawFn, grid: np.ndarray) -> LocalRule:
    """A rule of a random kind whose keys are mostly codes the grid has, some random."""
    kind = draw(st.sampled_from(LOCAL_RULE_KINDS))
    present = sorted({reference_code(grid, r, c, kind)
                      for r in range(grid.shape[0]) for c in range(grid.shape[1])})
    keys = draw(st.lists(st.one_of(st.sampled_from(present), st.integers(0, 10_000)),
                         max_size=6, unique=True))
    return LocalRule(kind, tuple(keys), tuple(draw(colors) for _ in keys))


@FAST
@given(grids(max_side=9), st.data())
def test_neighbourhood_codes_follow_the_definition(grid: np.ndarray, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(LOCAL_RULE_KINDS))
    codes = neighbourhood_codes(grid, kind)
    assert codes.shape == grid.shape
    assert codes.tolist() == [[reference_code(grid, r, c, kind) for c in range(grid.shape[1])]
                              for r in range(grid.shape[0])]


@FAST
@given(grids(max_side=9), st.data())
def test_local_rule_equals_its_reference(grid: np.ndarray, data: st.DataObject) -> None:
    rule = data.draw(rules(grid))
    before = grid.copy()
    out = local_rule(grid, *rule)
    assert np.array_equal(out, reference_local_rule(grid, *rule))
    assert out.dtype == np.uint8 and not out.flags.writeable
    assert np.array_equal(grid, before)


@pytest.mark.parametrize("kind, keys, values, reason", [
    (5, (), (), "kind"), (-1, (), (), "kind"),
    (0, (5, 6), (1,), "keys but"), (0, (5, 5), (1, 2), "twice"),
    (0, (-1,), (1,), "not a code"), (0, (10 * 1024,), (1,), "not a code"),
    (4, (2**63,), (1,), "not a code"), (3, (5,), (10,), "colours"),
])
def test_local_rule_error_contract(kind: int, keys: tuple, values: tuple, reason: str) -> None:
    with pytest.raises(EvalError, match=reason):
        local_rule(make_grid([[0, 2], [0, 0]]), kind, keys, values)


def test_an_empty_table_leaves_the_grid_alone() -> None:
    grid = make_grid([[0, 2], [3, 0]])
    assert all(np.array_equal(local_rule(grid, kind, (), ()), grid) for kind in LOCAL_RULE_KINDS)


# --- learning a rule from train pairs -----------------------------------------------------------

def red_dots(shape: tuple[int, int], dots: list[tuple[int, int]], grey: list[tuple[int, int]]
             ) -> np.ndarray:
    grid = np.zeros(shape, np.uint8)
    for r, c in dots:
        grid[r, c] = 2
    for r, c in grey:
        grid[r, c] = 5
    return make_grid(grid)


def paint_red_neighbours(grid: np.ndarray) -> np.ndarray:
    out = np.array(grid)
    for r, c in zip(*np.nonzero(grid == 2)):
        for dr, dc in FOUR:
            rr, cc = r + dr, c + dc
            if 0 <= rr < grid.shape[0] and 0 <= cc < grid.shape[1] and grid[rr, cc] == 0:
                out[rr, cc] = 1
    return make_grid(out)


TRAIN_INPUTS = (red_dots((5, 6), [(1, 1), (3, 4)], [(0, 5)]),
                red_dots((6, 5), [(0, 2), (4, 1), (3, 4)], [(5, 4), (1, 0)]),
                red_dots((4, 4), [(2, 2)], [(0, 0)]))
TEST_INPUT = red_dots((6, 6), [(1, 4), (4, 1)], [(0, 0), (5, 5)])


def red_task(test_input: np.ndarray = TEST_INPUT) -> Challenge:
    return Challenge("red", tuple(Example(g, paint_red_neighbours(g)) for g in TRAIN_INPUTS),
                     (test_input,))


def identity_values(task: Challenge) -> tuple:
    return (*(ex.input for ex in task.train), *task.test_inputs)


def test_colouring_the_neighbours_of_red_cells_is_learned_with_the_coarse_kind() -> None:
    task = red_task()
    rule = learn_local_rule(identity_values(task), task)
    assert rule is not None and rule.kind == 0
    assert set(rule.values) == {1}
    assert np.array_equal(local_rule(TEST_INPUT, *rule), paint_red_neighbours(TEST_INPUT))


def test_an_inconsistent_task_is_rejected() -> None:
    grid = TRAIN_INPUTS[0]
    task = Challenge("x", (Example(grid, paint_red_neighbours(grid)), Example(grid, grid),
                           Example(TRAIN_INPUTS[1], paint_red_neighbours(TRAIN_INPUTS[1]))),
                     (TEST_INPUT,))
    assert learn_local_rule(identity_values(task), task) is None


def test_a_test_input_with_an_unseen_code_is_rejected() -> None:
    green = np.array(TEST_INPUT)
    green[3, 3] = 3      # black cells next to green: never seen in train, and black changes
    task = red_task(make_grid(green))
    assert learn_local_rule(identity_values(task), task) is None


def test_cross_validation_asks_every_pair_to_be_predicted_by_the_others() -> None:
    repeated = (red_dots((5, 5), [(2, 2)], [(0, 4)]), red_dots((6, 5), [(3, 2)], [(5, 0)]),
                red_dots((5, 6), [(2, 3)], [(4, 5)]))
    test_input = red_dots((6, 6), [(2, 2)], [(5, 5)])
    task = Challenge("dots", tuple(Example(g, paint_red_neighbours(g)) for g in repeated),
                     (test_input,))
    rule = learn_local_rule(identity_values(task), task, cross_validate=True)
    assert rule is not None
    assert np.array_equal(local_rule(test_input, *rule), paint_red_neighbours(test_input))
    varied = red_task()   # the grey cell beside a red one in the second pair is seen only there
    assert learn_local_rule(identity_values(varied), varied) is not None
    assert learn_local_rule(identity_values(varied), varied, cross_validate=True) is None


def test_nothing_to_learn_when_values_already_match_or_shapes_differ() -> None:
    task = red_task()
    outputs = (*(ex.output for ex in task.train), *task.test_inputs)
    assert learn_local_rule(outputs, task) is None
    cropped = (*(ex.input[:3, :3] for ex in task.train), *task.test_inputs)
    assert learn_local_rule(cropped, task) is None


def bridged(grid: np.ndarray) -> np.ndarray:
    """Black cells between two blue (1) cells in a row become red."""
    out = np.array(grid)
    out[:, 1:-1][(grid[:, :-2] == 1) & (grid[:, 2:] == 1) & (grid[:, 1:-1] == 0)] = 2
    return make_grid(out)


def bridge_task(pairs: list[tuple[int, int]], vertical: bool) -> Challenge:
    """Blue pairs two cells apart in rows of 7x7 grids; the test pair is vertical or not."""
    def grid(r: int, c: int, down: bool = False) -> np.ndarray:
        cells = np.zeros((7, 7), np.uint8)
        cells[r, c] = cells[r + 2 * down, c + 2 * (not down)] = 1
        return make_grid(cells)
    train = tuple(Example(grid(r, c), bridged(grid(r, c))) for r, c in pairs)
    return Challenge("bridge", train, (grid(2, 3, down=vertical),))


def test_an_orderless_rule_is_not_turned_to_an_arrangement_never_seen() -> None:
    pairs = [(2, 2), (4, 1), (3, 3)]
    rows = bridge_task(pairs, vertical=False)
    rule = learn_local_rule(identity_values(rows), rows)
    assert rule is not None and rule.kind == 2
    assert np.array_equal(local_rule(rows.test_inputs[0], *rule), bridged(rows.test_inputs[0]))
    columns = bridge_task(pairs, vertical=True)
    assert learn_local_rule(identity_values(columns), columns) is None


@FAST
@given(st.lists(grids(min_side=2, max_side=7, max_colors=3), min_size=2, max_size=3),
       st.data())
def test_a_learned_rule_reproduces_every_train_output(inputs: list, data: st.DataObject
                                                       ) -> None:
    rule = data.draw(rules(inputs[0]))
    task = Challenge("r", tuple(Example(g, local_rule(g, *rule)) for g in inputs[1:]),
                     (inputs[0],))
    learned = learn_local_rule(identity_values(task), task)
    if learned is not None:
        assert all(np.array_equal(local_rule(ex.input, *learned), ex.output)
                   for ex in task.train)


# --- the enumerative proposer -------------------------------------------------------------------

def test_the_enumerative_proposer_solves_a_local_rule_task() -> None:
    task = red_task()
    proposer = EnumerativeProposer()
    found = list(proposer.propose(task, analyse(task), Budget.from_seconds(60, work_limit=3000),
                                  Pool()))
    ruled = [c for c in found if "local_rule(" in c.program and verified(c, task)]
    assert ruled, [c.program for c in found]
    program = parse_program(ruled[0].program)
    assert all(np.array_equal(out, ex.output) for out, ex in
               zip(run_program(program, [ex.input for ex in task.train]), task.train))
    answer = run_program(program, [TEST_INPUT])[0]
    assert np.array_equal(answer, paint_red_neighbours(TEST_INPUT))
    assert ruled[0].prior < 1.0
