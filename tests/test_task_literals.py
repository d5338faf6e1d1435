"""Integer literals read off the task (`task_integers`) and output-shape-guided enumeration."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.types import GRID
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, Task, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.enumerate import EnumConfig, Enumerator
from synth.search.options import minimal_period, task_hints, task_integers
from synth.search.program import program_text
from synth.select.verify import verified

A = make_grid([[1, 0], [2, 1]])
B = make_grid([[3, 3, 0], [0, 1, 2]])
C = make_grid([[2, 0, 1], [1, 1, 0], [0, 2, 2]])


def scaled(grid: np.ndarray, k: int) -> np.ndarray:
    return make_grid(np.kron(grid, np.ones((k, k), np.uint8)))


def challenge(pairs: list[tuple[np.ndarray, np.ndarray]], tests: list[np.ndarray]) -> Challenge:
    return Task("t", tuple(Example(i, o) for i, o in pairs),
                tuple(Example(t, None) for t in tests)).challenge()


def test_scale_factor_comes_first() -> None:
    assert task_integers([(A, scaled(A, 3)), (B, scaled(B, 3))], [C])[0] == 3


def test_tile_counts_are_both_found() -> None:
    pairs = [(g, make_grid(np.tile(g, (2, 3)))) for g in (A, B)]
    found = task_integers(pairs, [C])
    assert {2, 3} <= set(found) and len(found) <= 6


def test_constant_output_sides() -> None:
    pairs = [(A, make_grid(np.zeros((3, 3), np.uint8))), (B, make_grid(np.ones((3, 3), np.uint8)))]
    assert task_integers(pairs, [C])[0] == 3


def test_period_of_the_outputs() -> None:
    row = [1, 2, 0, 0]
    outputs = [make_grid([row * 3]), make_grid([row * 2, row * 2])]
    assert minimal_period(outputs[0], 1) == 4 and minimal_period(outputs[1], 0) == 1
    assert 4 in task_integers([(A, outputs[0]), (B, outputs[1])], [C])


def test_no_evidence_gives_no_integers() -> None:
    pairs = [(A, make_grid([[1, 2, 1, 1, 2]])), (B, make_grid([[1], [0]]))]
    assert task_integers(pairs, [C]) == ()
    assert task_integers([], [C]) == ()


def _tile_to_task(h: int, w: int) -> Challenge:
    def tiled(grid: np.ndarray) -> np.ndarray:
        return make_grid(np.tile(grid, (h, w))[:h, :w])
    return challenge([(A, tiled(A)), (C, tiled(C))], [B])


def test_sizes_take_the_integers_of_their_axis() -> None:
    task = _tile_to_task(7, 5)
    hints = task_hints([(ex.input, ex.output) for ex in task.train], task.test_inputs,
                       analyse(task).plausible_shapes)
    assert 7 in hints.row_integers and 5 not in hints.row_integers
    assert 5 in hints.col_integers and 7 not in hints.col_integers
    assert {5, 7} <= set(hints.integers)
    assert hints.shapes == ((7, 5), (7, 5), (7, 5))


def test_a_size_outside_the_small_integers_is_found_only_with_task_integers() -> None:
    task = _tile_to_task(7, 5)
    analysis = analyse(task)
    config = EnumConfig(max_cost=2)
    with_hints = EnumerativeProposer(config)
    found = list(with_hints.propose(task, analysis, Budget.from_seconds(60, work_limit=2000),
                                    Pool()))
    assert found and verified(found[0], task)
    assert "tile_to(I, 7, 5)" in found[0].program
    rerun = run_program(parse_program(found[0].program), list(task.inputs))
    assert all(np.array_equal(a, ex.output) for a, ex in zip(rerun, task.train))
    plain = Enumerator(list(task.inputs), sorted(analysis.palette), config=config)
    outputs = [ex.output for ex in task.train]
    for node in plain.run(lambda evaluations: evaluations >= 2000):
        assert node.type != GRID or not all(
            np.array_equal(v, o) for v, o in zip(node.values, outputs))


def _hinted_enumerator(task: Challenge) -> Enumerator:
    analysis = analyse(task)
    hints = task_hints([(ex.input, ex.output) for ex in task.train], task.test_inputs,
                       analysis.plausible_shapes)
    return Enumerator(list(task.inputs), sorted(analysis.palette),
                      config=EnumConfig(max_cost=2, max_nodes=3000), hints=hints)


def test_nodes_with_task_integers_evaluate_as_the_interpreter_does() -> None:
    task = _tile_to_task(7, 5)
    enum = _hinted_enumerator(task)
    grids = [n for n in enum.run(lambda evaluations: False) if n.type == GRID]
    carrying = [n for n in grids if any(f", {v})" in program_text(n.expr) or f", {v}," in
                                        program_text(n.expr) for v in enum.hints.integers)]
    assert len(carrying) >= 5
    for node in carrying[:60]:
        text = program_text(node.expr)
        rerun = run_program(parse_program(text), list(task.inputs))
        assert all(np.array_equal(a, b) for a, b in zip(rerun, node.values)), text


def test_literals_giving_the_expected_shape_come_first_at_later_levels() -> None:
    task = challenge([(g, make_grid(np.tile(g, (2, 3)))) for g in (A, B)], [C])
    enum = _hinted_enumerator(task)
    tile = enum.registry["tile"]
    list(enum.level(1, lambda evaluations: False))
    assert enum.shaped_literals(tile) == [((1, 2), (2, 3))]
    first = [args for args, _ in zip((a for a, _ in enum.combos(tile, 1)), range(5))]
    assert all((a[1].expr.value, a[2].expr.value) == (2, 3) for a in first)
    unguided = Enumerator(list(task.inputs), sorted(analyse(task).palette),
                          config=EnumConfig(max_cost=2, max_nodes=3000),
                          hints=replace(enum.hints, shapes=()))
    list(unguided.level(1, lambda evaluations: False))
    assert unguided.shaped_literals(tile) == []

    def calls(enumerator: Enumerator) -> list[tuple[str, ...]]:
        return [tuple(repr(a.expr) for a in args) for args, _ in enumerator.combos(tile, 1)]
    guided_calls, plain_calls = calls(enum), calls(unguided)
    assert guided_calls != plain_calls and sorted(guided_calls) == sorted(plain_calls)
