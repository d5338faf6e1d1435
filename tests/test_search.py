"""The search: enumeration, program flattening, library proposer, verify, rank, solve loop."""
from __future__ import annotations

import math

import numpy as np
import pytest

from dsl import ast
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.registry import default_registry
from dsl.types import GRID
from dsl.values import value_nbytes
from synth.analysis.features import analyse, background_color, size_rules
from synth.data.datasets import load_task_ref
from synth.proposers.base import Budget, Pool, ProgramCandidate
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.closeness import train_accuracy
from synth.proposers.library import LibraryProposer, variants
from synth.select.rank import group_candidates, rank
from synth.search.enumerate import EnumConfig, Enumerator
from synth.search.program import flatten, program_text
from synth.run.config import SolveConfig
from synth.run.solve import solve_task
from synth.data.task import Challenge, Example, Task, make_grid, valid_grid
from synth.select.verify import verified


def grid(rows: list[list[int]]) -> np.ndarray:
    return make_grid(rows)


def make_task(pairs: list[tuple[list, list]], tests: list[tuple[list, list | None]]
              ) -> Challenge:
    """A challenge (what a solver sees: the test outputs are dropped)."""
    return Task("t", tuple(Example(grid(i), grid(o)) for i, o in pairs),
                tuple(Example(grid(i), grid(o) if o else None) for i, o in tests)).challenge()


FLIP_TASK = make_task([([[1, 2], [3, 4]], [[2, 1], [4, 3]]), ([[5, 0, 0]], [[0, 0, 5]])],
                      [([[7, 8]], [[8, 7]])])


def test_flatten_shares_subexpressions_and_round_trips() -> None:
    inner = ast.Call("rot90", (ast.Var("I"),))
    expr = ast.Call("hconcat", (inner, inner))
    program = flatten(expr)
    text = program_text(expr)
    assert text == "solve(I: Grid) -> Grid:\n    x1 = rot90(I)\n    O = hconcat(x1, x1)\n"
    assert parse_program(text) == program
    assert flatten(ast.Var("I")).entry.body == (ast.Assign("O", ast.Var("I")),)


def test_enumerator_dedups_and_reaches_depth() -> None:
    inputs = list(FLIP_TASK.inputs)
    enum = Enumerator(inputs, [0, 1, 2], config=EnumConfig(max_cost=2, max_nodes=5000))
    nodes = list(enum.run(lambda evaluations: False))
    assert enum.stats.level_reached == 2 and enum.stats.duplicates > 0
    grids = [n for n in nodes if n.type == GRID]
    keys = {tuple((v.shape, v.tobytes()) for v in n.values) for n in grids}
    assert len(keys) == len(grids), "observationally equal grids must merge"
    for node in grids[:50]:
        text = program_text(node.expr)
        rerun = run_program(parse_program(text), inputs)
        assert all(np.array_equal(a, b) for a, b in zip(rerun, node.values)), text


def test_a_full_bank_still_yields_new_values_but_stores_no_more() -> None:
    inputs = list(FLIP_TASK.inputs)
    free = Enumerator(inputs, [0, 1, 2], config=EnumConfig(max_cost=2, max_bank_mb=None))
    free_nodes = list(free.run(lambda evaluations: False))
    capped = Enumerator(inputs, [0, 1, 2], config=EnumConfig(max_cost=2, max_bank_mb=None))
    level_one_bytes = sum(value_nbytes(v) for n in free_nodes if n.cost == 1 for v in n.values)
    capped.bank.max_bytes = level_one_bytes // 2
    capped_nodes = list(capped.run(lambda evaluations: False))
    assert capped.stats.unstored > 0 and free.stats.unstored == 0
    stored = sum(len(nodes) for levels in capped.bank.by_type.values()
                 for nodes in levels.values())
    assert stored + capped.stats.unstored == capped.stats.nodes + 1  # + the input
    assert capped.bank.stored_bytes < free.bank.stored_bytes
    level_one = [repr(n.expr) for n in free_nodes if n.cost == 1]
    assert [repr(n.expr) for n in capped_nodes if n.cost == 1] == level_one, \
        "the first level does not depend on stored values, so the cap must not change it"
    assert len(capped_nodes) < len(free_nodes)
    assert len({capped.bank.key(n.type, n.values) for n in capped_nodes}) == len(capped_nodes)


def test_enumerative_proposer_finds_flip() -> None:
    proposer = EnumerativeProposer(EnumConfig(max_cost=2))
    found = list(proposer.propose(FLIP_TASK, analyse(FLIP_TASK), Budget.from_seconds(10), Pool()))
    assert found and verified(found[0], FLIP_TASK)
    assert "flip_h(I)" in found[0].program


def test_train_accuracy_counts_a_wrong_shape_as_no_cell_right() -> None:
    values = (grid([[2, 1], [4, 4]]), grid([[0, 0, 5]]))
    assert train_accuracy(values, FLIP_TASK) == pytest.approx((0.75 + 1.0) / 2)
    assert train_accuracy((grid([[1]]), grid([[0, 0, 5]])), FLIP_TASK) == pytest.approx(0.5)
    assert train_accuracy((grid([[1]]), None), FLIP_TASK) == 0.0
    assert train_accuracy(values[:1], FLIP_TASK) == 0.0


def test_library_leaves_out_the_task_itself(examples_dir) -> None:
    task = load_task_ref(str(examples_dir / "3c9b0459.json")).challenge()
    proposer = LibraryProposer()
    found = list(proposer.propose(task, analyse(task), Budget.from_seconds(20), Pool()))
    assert "3c9b0459" in proposer.left_out
    solved = [c for c in found if verified(c, task)]
    near = found[len(solved):]
    assert found[:len(solved)] == solved, "verified programs come before near misses"
    assert len(near) <= 8 and all(0.25 <= c.prior < 0.5 for c in near)
    assert [c.prior for c in near] == sorted((c.prior for c in near), reverse=True)


def test_library_runs_every_program_as_written_before_any_variant(examples_dir) -> None:
    from dsl.printer import format_program
    from synth.proposers.library import load_library
    task = load_task_ref(str(examples_dir / "3c9b0459.json")).challenge()
    plain = {format_program(program) for stem, program in load_library().programs
             if stem != task.id}
    proposer = LibraryProposer()
    budget = Budget.from_seconds(60, work_limit=len(plain))
    found = list(proposer.propose(task, analyse(task), budget, Pool()))
    assert proposer.tried == len(plain)
    texts = {c.program for c in found}
    assert texts and texts <= plain


class _FavouringGuide:
    """A stand-in guide that gives one primitive a high probability and the rest a low one."""

    def __init__(self, favoured: str) -> None:
        self.favoured = favoured

    def primitive_probabilities(self, train) -> dict[str, float]:
        return {n: 0.9 if n == self.favoured else 0.01 for n in default_registry().names()}


def test_program_scores_prefer_programs_made_of_likely_primitives() -> None:
    from synth.proposers.library import program_scores
    likely = parse_program("solve(I: Grid) -> Grid:\n    O = flip_h(I)\n")
    unlikely = parse_program("solve(I: Grid) -> Grid:\n    O = rot90(I)\n")
    probabilities = _FavouringGuide("flip_h").primitive_probabilities(())
    high, low = program_scores([("a", likely), ("b", unlikely)], probabilities)
    assert high == pytest.approx(math.log(0.9)) and low == pytest.approx(math.log(0.01))


def test_library_orders_equally_close_variants_by_the_guide(examples_dir, monkeypatch) -> None:
    from synth.proposers import library
    task = load_task_ref(str(examples_dir / "3c9b0459.json")).challenge()
    programs = library.load_library().programs
    primitives = set(default_registry().names())
    used = {stem: set(ast.program_names(p)) & primitives for stem, p in programs}
    with_variants = [stem for stem, p in programs if stem != task.id and library._literals(p)]
    favoured = min((n for stem in with_variants[1:] for n in used[stem]
                    if n not in used[with_variants[0]]),
                   key=lambda n: sum(n in names for names in used.values()))
    order: list[str] = []
    original = library.LibraryProposer._try

    def recording(self, program, stem, *args):
        order.append(stem)
        found, _ = original(self, program, stem, *args)
        return found, 0.0  # every program equally close: only the guide can order them

    monkeypatch.setattr(library.LibraryProposer, "_try", recording)
    plain = len(programs) - 1
    firsts = []
    for guide in (None, _FavouringGuide(favoured)):
        order.clear()
        proposer = library.LibraryProposer(guide=guide)
        list(proposer.propose(task, analyse(task), Budget.from_seconds(60, work_limit=plain + 5),
                              Pool()))
        assert len(order) > plain, "the budget leaves room for some variants"
        firsts.append(order[plain])
    assert favoured in used[firsts[1]] and favoured not in used[firsts[0]]


def test_library_variants_substitute_colours_and_connectivity() -> None:
    program = parse_program("solve(I: Grid) -> Grid:\n"
                            "    x1 = objects(I, connect=4)\n    O = replace(I, red, blue)\n")
    texts = [str(v) for v in variants(program, [0, 1, 2, 3])]
    assert len(texts) == len(set(texts)) >= 6
    assert any("value=8" in t for t in texts)


FLIP_TEXT = "solve(I: Grid) -> Grid:\n    O = flip_h(I)\n"


def test_verify_rejects_invalid_test_outputs() -> None:
    train = tuple(ex.output for ex in FLIP_TASK.train)
    good = ProgramCandidate(FLIP_TEXT, "x", train, (grid([[8, 7]]),))
    big = ProgramCandidate(FLIP_TEXT, "x", train, (make_grid(np.zeros((31, 2))),))
    wrong = ProgramCandidate(FLIP_TEXT, "x", (train[1], train[0]), (grid([[8, 7]]),))
    assert verified(good, FLIP_TASK)
    assert not verified(big, FLIP_TASK) and not valid_grid(None)
    assert not verified(wrong, FLIP_TASK)


@pytest.mark.parametrize("text", [
    "not a program",
    "solve(I: Grid) -> Grid:\n    O = flip_h(I, 3)\n",
    "solve(I: Grid) -> Grid:\n    O = local_rule(I, 9, [1], [2])\n",
])
def test_verify_rejects_program_text_that_does_not_type_check(text: str) -> None:
    train = tuple(ex.output for ex in FLIP_TASK.train)
    candidate = ProgramCandidate(text, "x", train, (grid([[8, 7]]),))
    assert not verified(candidate, FLIP_TASK)


def test_rank_groups_by_test_output_and_fills_attempts() -> None:
    train = tuple(ex.output for ex in FLIP_TASK.train)
    a = ProgramCandidate("a", "enumerative", train, (grid([[8, 7]]),), cost=2)
    b = ProgramCandidate("b", "library", train, (grid([[8, 7]]),), cost=3)
    c = ProgramCandidate("c", "enumerative", train, (grid([[1, 1]]),), cost=1)
    groups = group_candidates([a, b, c])
    assert len(groups) == 2 and groups[0].best.program == "a"
    ranked = rank(FLIP_TASK, [a, b, c], [])
    assert np.array_equal(ranked.attempts[0][0], [[8, 7]])
    assert np.array_equal(ranked.attempts[0][1], [[1, 1]])
    lonely = rank(FLIP_TASK, [], [])
    assert lonely.program is None and np.array_equal(lonely.attempts[0][0], [[7, 8]])


def test_solve_task_answers_and_reports_stats() -> None:
    solution = solve_task(FLIP_TASK, SolveConfig(time_limit=10))
    assert solution.program is not None and "flip_h" in solution.program
    assert np.array_equal(solution.attempts[0][0], [[8, 7]])
    assert solution.stats["verified"] >= 1 and "enumerative" in solution.stats["stages"]


def test_solve_task_without_solution_still_gives_two_attempts() -> None:
    noise = make_task([([[1, 2]], [[3]]), ([[4, 4]], [[9, 9, 9]])], [([[5, 6]], None)])
    solution = solve_task(noise, SolveConfig(time_limit=1.5))
    assert solution.program is None and len(solution.attempts) == 1
    assert all(valid_grid(g) for g in solution.attempts[0])


def test_analysis() -> None:
    analysis = analyse(FLIP_TASK)
    assert [r.kind for r in analysis.size_rules] == ["same"]
    assert background_color(FLIP_TASK) == 0
    scaled = make_task([([[1]], [[1, 1], [1, 1]]), ([[2, 2]], [[2, 2, 2, 2], [2, 2, 2, 2]])],
                       [([[3]], None)])
    rules = size_rules(scaled)
    assert rules[-1].kind == "scaled" and rules[-1].predict((3, 3)) == (6, 6)


def test_colour_map_finishing_step() -> None:
    recolour = make_task([([[1, 2], [2, 3]], [[4, 5], [5, 6]]), ([[3, 1]], [[6, 4]])],
                         [([[2, 1, 3]], [[5, 4, 6]])])
    found = list(EnumerativeProposer(EnumConfig(max_cost=1)).propose(
        recolour, analyse(recolour), Budget.from_seconds(10), Pool()))
    assert found and verified(found[0], recolour)
    assert "map_colors(I, [blue, red, green], [yellow, grey, magenta])" in found[0].program
    assert np.array_equal(found[0].test_outputs[0], [[5, 4, 6]])
    rerun = run_program(parse_program(found[0].program), [recolour.test_inputs[0]])[0]
    assert np.array_equal(rerun, [[5, 4, 6]])


def test_beam_finds_chain_and_scorer_orders_closeness() -> None:
    from synth.proposers.beam import BeamProposer
    from synth.search.closeness import closeness

    chain = make_task([([[1, 2, 3]], [[3, 3, 2, 2, 1, 1], [3, 3, 2, 2, 1, 1]]),
                       ([[4, 0]], [[0, 0, 4, 4], [0, 0, 4, 4]])], [([[5, 6]], None)])
    outputs = [ex.output for ex in chain.train]
    assert closeness(outputs, chain) == pytest.approx(1.0)
    half = [grid([[3, 3, 2, 2, 1, 1], [0, 0, 0, 0, 0, 0]]), outputs[1]]
    assert closeness(half, chain) < 1.0
    assert closeness([grid([[1]]), grid([[1]])], chain) < closeness(half, chain)
    proposer = BeamProposer(width=10, max_steps=3)
    found = list(proposer.propose(chain, analyse(chain), Budget.from_seconds(20), Pool()))
    assert found and all(verified(c, chain) for c in found)
    ranked = rank(chain, found, [])
    assert ranked.program is not None and "map_colors" not in ranked.program
    assert np.array_equal(ranked.attempts[0][0], [[6, 6, 5, 5], [6, 6, 5, 5]])


def test_results_config_states_the_library_policy() -> None:
    from synth.run.config import EvalConfig
    from synth.run.evaluate import results_config
    from synth.run.solvers import get_solver

    config = EvalConfig(dataset="arc1:train")
    info = results_config(config, get_solver("search"))["solver_info"]
    assert "leave-one-out" in info["library"]["policy"]
    assert info["library"]["programs"] > 300 and info["library"]["unparseable"] == []
    assert info["stages"] == "lookup:0.01,library:0.1,enumerative:0.67,views:0.2,sketch:0.2,llm:0.5,transduction:0.5,closure:0.15,beam:1"
    assert "solver_info" not in results_config(config, get_solver("baseline"))


def test_release_memory_hands_freed_heap_pages_back() -> None:
    import sys
    from synth.run.solve import release_memory

    def resident_mb() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096 / 2**20

    if not sys.platform.startswith("linux") or not release_memory():
        pytest.skip("needs Linux with glibc's malloc_trim")
    arrays = [np.full(1500, i % 7, dtype=np.uint8) for i in range(80_000)]  # ~150 MB of heap
    keep = arrays[-1].copy()
    grown = resident_mb()
    del arrays
    assert release_memory()
    assert resident_mb() < grown - 60, "the freed arrays' pages went back to the OS"
    assert keep.sum() == 1500 * (79_999 % 7)
