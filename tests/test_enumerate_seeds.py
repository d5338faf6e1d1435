"""Seeding the enumerator (`Enumerator.seed`) with values built elsewhere, and the closure's
seeds (`synth.proposers.closure_seeds`): seeds join after their level's own nodes, equal
values keep the cheaper (or the enumerator's own) node, seeds become arguments of later
levels, an empty seeding changes nothing, and every closure seed's expression, run by the
reference interpreter, gives the seed's values."""
from __future__ import annotations

import numpy as np
import pytest

from dsl import ast
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.types import GRID
from dsl.values import frozen, value_key
from synth.analysis.features import analyse
from synth.data.datasets import load_task_ref
from synth.data.task import Challenge, Example
from synth.proposers.base import Budget, Pool
from synth.proposers.closure_seeds import SeedConfig, closure_seeds
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.enumerate import EnumConfig, Enumerator
from synth.search.options import Node
from synth.search.program import program_text
from synth.select.verify import verified


def _grid(rows: list[list[int]]) -> np.ndarray:
    return frozen(np.array(rows, dtype=np.uint8))


INPUTS = [_grid([[1, 0, 2], [1, 0, 0]]), _grid([[0, 3], [3, 1]])]
PALETTE = [0, 1, 2, 3]


def _run(enum: Enumerator, evaluations: int = 3_000) -> list[Node]:
    return list(enum.run(lambda done: done >= evaluations))


def _seed(values: list[np.ndarray], cost: int, name: str = "S") -> Node:
    """A seed whose expression is a variable (only the enumerator's bookkeeping reads it)."""
    return Node(GRID, tuple(values), cost, ast.Var(name))


def _key(node: Node) -> tuple:
    return node.type, value_key(node.values)


def test_no_seeds_leave_the_enumeration_unchanged() -> None:
    plain = _run(Enumerator(INPUTS, PALETTE, config=EnumConfig(max_cost=2)))
    seeded = Enumerator(INPUTS, PALETTE, config=EnumConfig(max_cost=2))
    seeded.seed([])
    again = _run(seeded)
    assert [(repr(n.expr), _key(n)) for n in plain] == [(repr(n.expr), _key(n)) for n in again]
    assert seeded.stats.seeded == 0


def test_a_new_seed_joins_after_its_level_and_feeds_the_next() -> None:
    new = [_grid([[7, 8], [7, 7]]), _grid([[7], [8]])]  # colours in no input: no prim builds them
    enum = Enumerator(INPUTS, PALETTE, config=EnumConfig(max_cost=2))
    enum.seed([_seed(new, 1)])
    nodes = _run(enum, 20_000)
    index = next(i for i, n in enumerate(nodes) if n.expr == ast.Var("S"))
    assert all(n.cost == 1 for n in nodes[:index])
    assert all(n.cost == 2 for n in nodes[index + 1:])
    assert enum.stats.seeded == 1
    uses = [n for n in nodes[index + 1:] if repr(ast.Var("S")) in repr(n.expr)]
    assert uses, "a seed of cost 1 is an argument of level 2's calls"
    flipped = next(n for n in uses if isinstance(n.expr, ast.Call) and n.expr.func == "flip_h"
                   and n.expr.args == (ast.Var("S"),))
    assert [v.tolist() for v in flipped.values] == [v[:, ::-1].tolist() for v in new]


def test_equal_values_keep_the_enumerators_node_and_the_cheaper_cost() -> None:
    flipped = [frozen(g[:, ::-1].copy()) for g in INPUTS]   # flip_h(I): built at level 1
    enum = Enumerator(INPUTS, PALETTE, config=EnumConfig(max_cost=1))
    enum.seed([_seed(flipped, 1), _seed(list(INPUTS), 1, "T")])  # I itself: cost 0
    nodes = _run(enum)
    assert not any(isinstance(n.expr, ast.Var) and n.expr.name in ("S", "T") for n in nodes)
    assert enum.stats.seeded == 0
    # a value the enumerator builds only at cost 2 (two flips of different axes) seeded at 1
    turned = [frozen(np.rot90(g, 2).copy()) for g in INPUTS]
    plain = _run(Enumerator(INPUTS, PALETTE, config=EnumConfig(max_cost=2)), 20_000)
    built = [n for n in plain if _key(n) == (GRID, value_key(tuple(turned)))]
    assert built and built[0].cost == 1, "rot180 is a primitive: built at level 1"
    cheap = Enumerator(INPUTS, PALETTE, config=EnumConfig(max_cost=2))
    cheap.seed([_seed(turned, 2)])
    assert not any(n.expr == ast.Var("S") for n in _run(cheap, 20_000))


def test_a_cheaper_seed_replaces_a_costlier_build() -> None:
    """A value the enumerator reaches only at level 2 but seeded at cost 1 joins at level 1,
    and the enumerator's own level-2 node of equal value is dropped as a duplicate."""
    plain = _run(Enumerator(INPUTS, PALETTE, config=EnumConfig(max_cost=2)), 20_000)
    target = next(n for n in plain if n.cost == 2 and n.type == GRID)
    enum = Enumerator(INPUTS, PALETTE, config=EnumConfig(max_cost=2))
    enum.seed([_seed(list(target.values), 1)])
    nodes = _run(enum, 20_000)
    equal = [n for n in nodes if _key(n) == _key(target)]
    assert len(equal) == 1 and equal[0].expr == ast.Var("S") and equal[0].cost == 1


def test_seeds_need_a_cost_and_a_value_per_input() -> None:
    enum = Enumerator(INPUTS, PALETTE)
    with pytest.raises(ValueError):
        enum.seed([_seed(list(INPUTS), 0)])
    with pytest.raises(ValueError):
        enum.seed([_seed(INPUTS[:1], 1)])


@pytest.mark.parametrize("task_id", ["1f85a75f", "a87f7484", "d5d6de2d"])
@pytest.mark.parametrize("depth", [1, 2])
def test_closure_seeds_are_their_expressions(task_id: str, depth: int) -> None:
    """Every seed's expression, run by the reference interpreter, gives the seed's values on
    every input; depth-1 seeds cost 1, depth-2 ones 2 (at most `max_deep` of them, each
    shaped like the train outputs)."""
    task = load_task_ref(f"arc1:train:{task_id}").challenge()
    config = SeedConfig(depth=depth, max_deep=8)
    seeds = closure_seeds(task, analyse(task), config, Budget.from_seconds(60))
    assert seeds.nodes and seeds.evaluations > 0
    deep = [n for n in seeds.nodes if n.cost == 2]
    assert len(deep) <= config.max_deep and (depth == 2 or not deep)
    shapes = [ex.output.shape for ex in task.train]
    assert all(v.shape == s for n in deep for v, s in zip(n.values, shapes))
    for node in seeds.nodes:
        outputs = run_program(parse_program(program_text(node.expr)), list(task.inputs))
        assert [value_key(o) for o in outputs] == [value_key(v) for v in node.values], \
            program_text(node.expr)


def test_the_closure_budget_bounds_the_seeding_work() -> None:
    task = load_task_ref("arc1:train:1f85a75f").challenge()
    budget = Budget.from_seconds(60, work_limit=3)
    seeds = closure_seeds(task, analyse(task), SeedConfig(depth=2), budget)
    full = closure_seeds(task, analyse(task), SeedConfig(depth=2), Budget.from_seconds(60))
    assert seeds.evaluations < full.evaluations


def test_a_seeded_search_finds_an_object_pick_at_level_one() -> None:
    """The largest object cut out: one closure transform, several levels of calls otherwise;
    the seeded proposer yields it, re-run by the interpreter, with a one-level search."""
    task = load_task_ref("arc1:train:1f85a75f").challenge()
    analysis = analyse(task)
    plain = EnumerativeProposer(EnumConfig(max_cost=1))
    assert not any(verified(c, task) for c in
                   plain.propose(task, analysis, Budget.from_seconds(30), Pool()))
    seeded = EnumerativeProposer(EnumConfig(max_cost=1), seeds=SeedConfig())
    found = [c for c in seeded.propose(task, analysis, Budget.from_seconds(30), Pool())
             if verified(c, task)]
    assert found and seeded.enum_stats.seeded > 0
    rerun = run_program(parse_program(found[0].program), list(task.test_inputs))
    assert [value_key(g) for g in rerun] == [value_key(g) for g in found[0].test_outputs]


def test_a_seeded_candidate_that_the_interpreter_disagrees_with_is_dropped() -> None:
    """Candidates of a seeded search carry the interpreter's outputs: a node whose values do
    not come from its expression is not yielded as a match."""
    task = Challenge("t", (Example(INPUTS[0], _grid([[5]])),), (INPUTS[1],))
    proposer = EnumerativeProposer()
    proposer.reinterpret = True
    fake = Node(GRID, (_grid([[5]]), INPUTS[1]), 1, ast.Var("I"))
    assert proposer.candidate(fake, task, prior=1.0) is None
    kept = proposer.candidate(fake, task, prior=0.5, matched=False)
    assert kept is not None and np.array_equal(kept.train_outputs[0], INPUTS[0])
