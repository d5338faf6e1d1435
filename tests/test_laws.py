"""Z3 law inference, invariant checks, and how the loop and the ranking use them."""
from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
import pytest
import z3

from synth.analysis import laws as laws_module
from synth.analysis.features import analyse
from synth.proposers.base import Budget, Pool, ProgramCandidate, SearchOptions
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.enumerate import EnumConfig
from synth.analysis.invariants import check_outputs, consistent, infer_invariants, obeys
from synth.analysis.laws import Law, infer_laws, informative_features, input_features
from synth.select.rank import rank
from synth.run.config import SolveConfig
from synth.run.solve import solve_task
from synth.select.votes import Votes
from synth.data.task import Challenge, Example, make_grid


def task_of(pairs: list[tuple[np.ndarray, np.ndarray]], tests: list[np.ndarray]) -> Challenge:
    return Challenge("t", tuple(Example(make_grid(i), make_grid(o)) for i, o in pairs),
                     tuple(make_grid(t) for t in tests))


def blank(h: int, w: int, color: int = 0) -> np.ndarray:
    return np.full((h, w), color, dtype=np.uint8)


def with_dots(h: int, w: int, dots: list[tuple[int, int, int]]) -> np.ndarray:
    grid = blank(h, w)
    for r, c, color in dots:
        grid[r, c] = color
    return grid


DOUBLE = task_of([(blank(2, 3, 1), blank(4, 6, 1)), (blank(3, 1, 2), blank(6, 2, 2)),
                  (blank(1, 4, 3), blank(2, 8, 3))], [blank(5, 2, 4)])


def test_scaling_law_is_found_and_predicts_the_test_shape() -> None:
    laws = infer_laws(DOUBLE, background=0)
    assert laws.status["out_h"] == "sat" and laws.laws["out_h"].text() == "out_h = 2*in_h"
    assert laws.laws["out_w"].predict(input_features(make_grid(blank(5, 2, 4)), 0)) == 4
    assert (laws.predicted("out_h", 0), laws.predicted("out_w", 0)) == (10, 4)


def test_output_size_from_an_object_count() -> None:
    pairs = [(with_dots(6, 6, dots), blank(1, len(dots), 5)) for dots in
             ([(0, 0, 3)], [(0, 0, 3), (2, 2, 4)], [(0, 0, 3), (2, 2, 4), (4, 4, 3), (0, 5, 1)])]
    task = task_of(pairs, [with_dots(6, 6, [(1, 1, 2), (3, 3, 2), (5, 5, 2)])])
    laws = infer_laws(task, background=0)
    assert laws.predicted("out_h", 0) == 1
    assert laws.predicted("out_w", 0) == 3, laws.describe()


def test_contradictory_pairs_are_unsat_and_predict_nothing() -> None:
    task = task_of([(blank(3, 3), blank(1, 1)), (blank(3, 3), blank(2, 2))], [blank(3, 3)])
    laws = infer_laws(task, background=0)
    assert laws.status["out_h"] == "unsat" and "out_h" not in laws.laws
    assert laws.predicted("out_h", 0) is None
    assert infer_invariants(task).shapes == (None,)


def test_ambiguous_laws_give_no_prediction() -> None:
    # in_h and in_w both explain the only pair; the test input tells them apart
    task = task_of([(blank(2, 2, 1), blank(2, 1, 1))], [blank(3, 5, 1)])
    laws = infer_laws(task, background=0)
    assert "out_h" in laws.laws and laws.predicted("out_h", 0) is None


def test_timeout_is_reported_and_predicts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(laws_module.z3.Solver, "check", lambda self, *a: z3.unknown)
    laws = infer_laws(DOUBLE, background=0, timeout_ms=1)
    assert set(laws.status.values()) == {"timeout"} and not laws.laws
    assert laws.predicted("out_h", 0) is None


def test_the_task_budget_stops_inference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(laws_module, "TASK_BUDGET_QUERIES", 0)
    laws = infer_laws(DOUBLE, background=0)
    assert set(laws.status.values()) == {"timeout"} and not laws.laws


def test_constant_and_duplicate_features_are_dropped() -> None:
    examples = [{**dict.fromkeys(laws_module.FEATURES, 7), "in_h": h, "in_w": h} for h in (1, 2)]
    assert informative_features(examples) == ["in_h"]


def test_law_text_and_non_integral_predictions() -> None:
    law = Law("out_w", (("in_w", 1),), 1, 2)
    assert law.text() == "out_w = (in_w + 1) / 2"
    assert law.predict({"in_w": 5}) == 3 and law.predict({"in_w": 4}) is None
    assert Law("out_h", (), 3).text() == "out_h = 3"


RECOLOR = task_of([(with_dots(3, 3, [(0, 0, 1)]), with_dots(3, 3, [(0, 0, 1), (1, 1, 2)])),
                   (with_dots(3, 3, [(2, 2, 1)]), with_dots(3, 3, [(2, 2, 1), (0, 1, 2)]))],
                  [with_dots(3, 3, [(1, 0, 1)])])


def test_invariants_size_palette_preserved() -> None:
    inv = infer_invariants(RECOLOR)
    assert inv.shapes == ((3, 3),) and inv.new_colors == {2} and inv.preserves_foreground
    good = with_dots(3, 3, [(1, 0, 1), (2, 2, 2)])
    assert check_outputs(inv, RECOLOR, [make_grid(good)]) == \
        {"size": True, "palette": True, "preserved": True, "color_role": None}
    wrong = check_outputs(inv, RECOLOR, [make_grid(with_dots(3, 4, [(0, 0, 7)]))])
    assert wrong == {"size": False, "palette": False, "preserved": False, "color_role": None}
    assert not consistent(wrong) and consistent({"size": None, "palette": True})


def test_unknown_invariants_are_none() -> None:
    task = task_of([(blank(3, 3), blank(1, 1, 4)), (blank(3, 3), blank(2, 2, 4))], [blank(3, 3)])
    inv = infer_invariants(task)
    checks = check_outputs(inv, task, [make_grid(blank(5, 5, 4))])
    assert checks == {"size": None, "palette": True, "preserved": None, "color_role": None}


def candidate(program: str, outputs: list[np.ndarray], task: Challenge) -> ProgramCandidate:
    return ProgramCandidate(program, "enumerative", tuple(ex.output for ex in task.train),
                            tuple(make_grid(o) for o in outputs), prior=1.0, cost=2)


def test_ranking_puts_invariant_violations_last() -> None:
    inv = infer_invariants(RECOLOR)
    right = candidate("right", [with_dots(3, 3, [(1, 0, 1), (2, 2, 2)])], RECOLOR)
    wrong = [candidate(f"wrong{i}", [with_dots(3, 3, [(0, 0, 2)])], RECOLOR) for i in range(3)]
    assert rank(RECOLOR, [*wrong, right], []).program.startswith("wrong")
    ranked = rank(RECOLOR, [*wrong, right], [], inv)
    assert ranked.program == "right"
    assert ranked.alternatives[0]["checks"] == {"size": True, "palette": True, "preserved": True,
                                                "color_role": None}
    assert ranked.alternatives[1]["checks"]["preserved"] is False


def test_reorder_hook_changes_the_winner() -> None:
    first = candidate("a", [blank(3, 3)], RECOLOR)
    second = candidate("b", [blank(3, 3, 1)], RECOLOR)
    ranked = rank(RECOLOR, [first, first, second], [], None, lambda task, alts: [1, 0])
    assert ranked.program == "b" and ranked.alternatives[0]["program"] == "b"


def test_votes_count_distinct_consistent_programs() -> None:
    votes = Votes(partial(obeys, infer_invariants(RECOLOR), RECOLOR))
    right = [with_dots(3, 3, [(1, 0, 1), (2, 2, 2)])]
    assert votes.add(candidate("bad", [with_dots(3, 3, [(0, 0, 2)])], RECOLOR)) == 0
    assert not votes.solved
    assert votes.add(candidate("p", right, RECOLOR)) == 1
    assert votes.add(candidate("p", right, RECOLOR)) == 1
    assert votes.add(candidate("q", right, RECOLOR)) == 2 and votes.solved


def test_solve_reports_laws_and_respects_agreement() -> None:
    flip = task_of([(np.array([[1, 2], [3, 4]]), np.array([[2, 1], [4, 3]])),
                    (np.array([[5, 0, 0]]), np.array([[0, 0, 5]]))], [np.array([[7, 8]])])
    solution = solve_task(flip, SolveConfig(time_limit=20, agreement=1))
    assert solution.stats["laws"]["out_w"] == "out_w = in_w"
    assert solution.stats["agreement"] == 1 and solution.stats["verified"] >= 1
    off = solve_task(flip, SolveConfig(time_limit=20, agreement=1, search=SearchOptions(z3=False)))
    assert "laws" not in off.stats and off.attempts[0][0].tolist() == [[8, 7]]


def test_enumeration_searches_past_programs_that_break_the_invariants() -> None:
    # the identity verifies; when its test output is deemed inconsistent, enumeration must
    # go on past its cost level instead of stopping there
    square = [(blank(2, 2, c), blank(2, 2, c)) for c in (1, 2, 3)]
    task = task_of(square, [blank(2, 2, 4)])
    inv = infer_invariants(task)
    analysis = analyse(task)
    stopped = list(EnumerativeProposer(EnumConfig(max_cost=3)).propose(
        task, analysis, Budget.from_seconds(5), Pool()))
    strict = replace(analysis, consistent_outputs=lambda outputs: False)
    kept_on = list(EnumerativeProposer(EnumConfig(max_cost=3)).propose(
        task, strict, Budget.from_seconds(5), Pool()))
    assert len(kept_on) > len(stopped) >= 1
    assert obeys(inv, task, [make_grid(blank(2, 2, 4))])
    assert not obeys(inv, task, [make_grid(blank(3, 2, 4))])
