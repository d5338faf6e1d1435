"""Lookup answers: train outputs chosen by an input feature (classification tasks), the
evidence they need, and the proposer that offers them as grid answers."""
from __future__ import annotations

import numpy as np

from synth.analysis.features import analyse
from synth.data.task import Example, Task, make_grid
from synth.proposers.base import Budget, GridCandidate, Pool
from synth.proposers.lookup import LookupProposer
from synth.proposers.registry import DEFAULT_PLAN
from synth.run.config import SolveConfig
from synth.run.solve import solve_task
from synth.search.lookup import feature_table, lookup_answers

RED, BLUE = make_grid([[2]]), make_grid([[1]])


def dots(*cells: tuple[int, int]) -> np.ndarray:
    """A 4×4 grid with colour 5 at the given cells."""
    grid = np.zeros((4, 4), dtype=np.uint8)
    for row, col in cells:
        grid[row, col] = 5
    return grid


# one dot -> red, two apart -> blue: the output names the number of objects
COUNTING = [(dots((0, 0)), RED), (dots((1, 1), (3, 3)), BLUE), (dots((2, 2)), RED),
            (dots((0, 3), (3, 0)), BLUE), (dots((1, 2)), RED)]


def counting_task(pairs: list, tests: list) -> Task:
    return Task("count", tuple(Example(i, o) for i, o in pairs),
                tuple(Example(i, None) for i in tests))


def test_a_feature_that_explains_the_outputs_gives_the_answer() -> None:
    answers = lookup_answers(COUNTING, [dots((0, 1), (2, 3)), dots((3, 3))], bg=0)
    assert answers, "object counts separate the two outputs"
    first = answers[0]
    assert np.array_equal(first.test_outputs[0], BLUE) and np.array_equal(first.test_outputs[1], RED)
    assert "objects4" in first.features


def test_too_few_repeated_outputs_give_no_answer() -> None:
    # three pairs, two classes: one repeat, a binary feature lines up by chance too often
    assert lookup_answers(COUNTING[:3], [dots((3, 3))], bg=0) == []
    # every output distinct: nothing to look up
    distinct = [(dots((0, 0)), RED), (dots((1, 1), (2, 3)), BLUE), (dots((2, 2)), make_grid([[3]]))]
    assert lookup_answers(distinct, [dots((3, 3))], bg=0) == []


def test_a_test_value_never_seen_in_training_gives_no_answer() -> None:
    three_dots = dots((0, 0), (2, 2), (0, 3))   # three objects: no train input has three
    assert lookup_answers(COUNTING, [three_dots], bg=0) == []
    assert lookup_answers(COUNTING, [dots((3, 3))], bg=0), "one object was seen"


def test_feature_table_needs_one_value_per_output() -> None:
    outputs = [RED, BLUE, RED]
    assert feature_table([1, 2, 1], outputs) is not None
    assert feature_table([1, 2, 3], outputs) is None, "finer than the outputs: a bare table"
    assert feature_table([1, 1, 1], outputs) is None, "equal values, different outputs"


def test_the_proposer_yields_grid_answers_with_shares_as_confidence() -> None:
    task = counting_task(COUNTING, [dots((0, 1), (2, 3))]).challenge()
    found = list(LookupProposer().propose(task, analyse(task), Budget.from_seconds(5), Pool()))
    assert found and all(isinstance(c, GridCandidate) and c.proposer == "lookup" for c in found)
    assert np.array_equal(found[0].test_outputs[0], BLUE)
    assert abs(sum(c.confidence for c in found) - 1.0) < 1e-9


def test_a_lookup_answer_is_an_attempt_when_no_program_fits() -> None:
    assert DEFAULT_PLAN.split(",")[0] == "lookup"
    task = counting_task(COUNTING, [dots((0, 1), (2, 3))])
    solution = solve_task(task.challenge(), SolveConfig(time_limit=5, proposers="lookup"))
    assert np.array_equal(solution.attempts[0][0], BLUE)
    assert solution.program is None


def test_symmetry_alone_can_pick_the_output() -> None:
    grid = make_grid
    symmetric = [grid([[2, 0, 2], [0, 2, 0]]), grid([[2, 2, 2], [2, 0, 2]]),
                 grid([[0, 2, 0], [2, 2, 2]])]
    lopsided = [grid([[2, 0, 0], [0, 2, 2]]), grid([[2, 2, 0], [0, 0, 0]]),
                grid([[0, 0, 2], [2, 2, 0]])]
    train = [(g, BLUE) for g in symmetric] + [(g, make_grid([[7]])) for g in lopsided]
    answers = lookup_answers(train, [grid([[2, 2, 2], [0, 0, 0]]), grid([[0, 2, 2], [0, 0, 0]])],
                             bg=0)
    assert answers and "lr_symmetric" in answers[0].features
    assert np.array_equal(answers[0].test_outputs[0], BLUE)
    assert np.array_equal(answers[0].test_outputs[1], [[7]])

