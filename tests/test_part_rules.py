"""Part rules: the learner (`synth.search.part_rules`) writes programs that reproduce the train
outputs in part space, refuses tables the test cannot use, and the sketch proposer yields them."""
from __future__ import annotations

import numpy as np

from dsl.interp import run_program
from dsl.parser import parse_program
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, Task, make_grid
from synth.proposers.base import Budget, Pool, ProgramCandidate
from synth.proposers.sketch import SketchProposer
from synth.search.part_rules import part_rule_programs
from synth.select.verify import verified


def lined(parts: list[list[list[list[int]]]]) -> np.ndarray:
    """Parts (rows of equal-shaped blocks) joined by lines of colour 5."""
    rows = [np.hstack([np.hstack([np.array(p), np.full((len(p), 1), 5)]) for p in row])[:, :-1]
            for row in parts]
    width = rows[0].shape[1]
    return np.vstack([np.vstack([r, np.full((1, width), 5)]) for r in rows])[:-1]


def fill_largest(parts: list[list[list[list[int]]]]) -> np.ndarray:
    """The parts with the most coloured cells filled with their colour, the others cleared."""
    counts = [[int(np.count_nonzero(p)) for p in row] for row in parts]
    top = max(max(row) for row in counts)
    return lined([[np.full(np.shape(p), int(np.max(p)) if n == top else 0).tolist()
                   for p, n in zip(row, crow)] for row, crow in zip(parts, counts)])


def make_task(inputs: list, outputs: list) -> Challenge:
    pairs = tuple(Example(make_grid(lined(i).tolist()), make_grid(o.tolist()))
                  for i, o in zip(inputs, outputs))
    return Task("t", pairs[:-1], pairs[-1:]).challenge()


A, B, C, Z = [[2, 0], [0, 0]], [[3, 3], [0, 0]], [[0, 4], [4, 4]], [[0, 0], [0, 0]]
LAYOUTS = [[[A, Z], [B, Z]], [[Z, C], [A, Z]], [[B, A], [C, Z]], [[A, Z], [Z, C]]]
FILL_LARGEST = make_task(LAYOUTS, [fill_largest(lay) for lay in LAYOUTS])


def test_a_fill_the_largest_part_rule_is_found_and_right_on_the_test() -> None:
    programs = list(part_rule_programs(FILL_LARGEST, 0, lambda n: True))
    assert programs and "part_rule(I, 0," in programs[0] and "paint_parts(I" in programs[0]
    [answer] = run_program(parse_program(programs[0]), list(FILL_LARGEST.test_inputs))
    assert answer.tolist() == fill_largest(LAYOUTS[-1]).tolist()


def test_one_cell_per_part_outputs_are_learned_too() -> None:
    outputs = [np.array([[int(np.count_nonzero(p) == 3) for p in row] for row in lay])
               for lay in LAYOUTS]
    task = make_task(LAYOUTS, outputs)
    programs = list(part_rule_programs(task, 0, lambda n: True))
    assert programs and "paint_parts" not in programs[0]
    [answer] = run_program(parse_program(programs[0]), list(task.test_inputs))
    assert answer.tolist() == outputs[-1].tolist()


def test_no_table_where_the_test_shows_a_code_train_never_did() -> None:
    outputs = [np.array([[int(np.count_nonzero(p) == 3) for p in row] for row in lay])
               for lay in LAYOUTS]
    unseen = [[A, [[6, 6], [6, 6]]], [Z, Z]]   # a part of four cells, never seen in train
    task = make_task(LAYOUTS[:3] + [unseen], outputs[:3] + [np.zeros((2, 2), int)])
    assert not any("part_rule(I, 1," in p for p in part_rule_programs(task, 0, lambda n: True))


def test_parts_completed_to_their_union_in_the_separator_colour() -> None:
    def union(layout: list) -> np.ndarray:
        grid = lined(layout)
        marked = np.any([np.array(p) != 0 for row in layout for p in row], axis=0)
        for r, row in enumerate(layout):
            for c, part in enumerate(row):
                block = grid[3 * r:3 * r + 2, 3 * c:3 * c + 2]
                block[marked & (np.array(part) == 0)] = 5
        return grid

    layouts = [[[A, Z], [Z, Z]], [[Z, B], [A, Z]], [[C, Z], [Z, Z]], [[Z, Z], [B, Z]]]
    task = make_task(layouts, [union(lay) for lay in layouts])
    programs = list(part_rule_programs(task, 0, lambda n: True))
    assert programs and programs[0].endswith("O = across_parts(I, 4, 0)\n")
    [answer] = run_program(parse_program(programs[0]), list(task.test_inputs))
    assert answer.tolist() == union(layouts[-1]).tolist()


def test_work_is_charged_and_a_spent_budget_stops_the_search() -> None:
    charged: list[int] = []
    assert list(part_rule_programs(FILL_LARGEST, 0, lambda n: charged.append(n) or False)) == []
    assert charged == [len(FILL_LARGEST.train)]   # the first across_parts op, then no more


def test_sketch_proposer_yields_verified_part_rule_programs() -> None:
    proposer = SketchProposer()
    found = list(proposer.propose(FILL_LARGEST, analyse(FILL_LARGEST), Budget.from_seconds(10),
                                  Pool()))
    assert found and all(isinstance(c, ProgramCandidate) and verified(c, FILL_LARGEST)
                         for c in found)
    assert any("part_rule(" in c.program for c in found)
