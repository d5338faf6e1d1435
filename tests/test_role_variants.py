"""Colour-role variants (synth.search.role_variants), the colour-role invariant that ranks them
(`synth.analysis.invariants.color_roles`) and the solve loop's hook."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from dsl.parser import parse_program
from dsl.printer import format_program
from dsl.values import value_key
from synth.analysis.invariants import check_outputs, color_roles, infer_invariants
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import ProgramCandidate, interpreted_grids
from synth.run.solve import ROLE_EXTRA_COST, ROLE_PROPOSER, role_candidates
from synth.search.role_variants import (literal_variants, recolor_variants, role_programs,
                                        verified_variants)
from synth.select.rank import rank


def shape_and_dot(shape: int, dot: int, fill: int | None = None) -> np.ndarray:
    """A 5x5 grid: a 2x2 square of `shape` (recoloured `fill` when given) and, unless
    recoloured, one cell of `dot` in the corner."""
    grid = np.zeros((5, 5), dtype=np.uint8)
    grid[1:3, 1:3] = shape if fill is None else fill
    if fill is None:
        grid[4, 4] = dot
    return grid


def task_of(pairs: list[tuple[np.ndarray, np.ndarray]], tests: list[np.ndarray]) -> Challenge:
    return Challenge("t", tuple(Example(make_grid(i), make_grid(o)) for i, o in pairs),
                     tuple(make_grid(t) for t in tests))


# The square takes the dot's colour, and the dot goes: the colour is a role (the least common).
DOT_COLOR = task_of([(shape_and_dot(1, 2), shape_and_dot(1, 2, fill=2)),
                     (shape_and_dot(3, 4), shape_and_dot(3, 4, fill=4))],
                    [shape_and_dot(5, 6)])
LITERAL = """solve(I: Grid) -> Grid:
    x1 = most_common_fg(I, black)
    x2 = keep_color(I, x1)
    O = map_colors(x2, [blue, green], [red, yellow])
"""


def outputs_of(text: str, task: Challenge) -> list[np.ndarray]:
    results = interpreted_grids(parse_program(text), task.inputs)
    assert results is not None and all(r is not None for r in results)
    return results


def test_literal_program_fits_train_but_not_the_role() -> None:
    results = outputs_of(LITERAL, DOT_COLOR)
    assert all(np.array_equal(r, ex.output) for r, ex in zip(results, DOT_COLOR.train))
    assert not np.array_equal(results[-1], shape_and_dot(5, 6, fill=6))


def test_recolor_variant_reads_the_role_and_verifies() -> None:
    found = verified_variants(DOT_COLOR, [LITERAL], 0)
    assert found, "a role variant should reproduce the train outputs"
    right = [v for v in found if np.array_equal(v.test_outputs[0], shape_and_dot(5, 6, fill=6))]
    assert right and "least_common_color(I)" in right[0].program and right[0].source == 0
    for variant in found:
        assert all(np.array_equal(r, ex.output) for r, ex in zip(variant.train_outputs,
                                                                 DOT_COLOR.train))


def test_recolor_variants_only_rewrite_a_final_recolouring() -> None:
    text = "solve(I: Grid) -> Grid:\n    O = flip_h(I)\n"
    assert recolor_variants(parse_program(text), 0) == []
    variants = recolor_variants(parse_program(LITERAL), 0)
    assert variants and all(format_program(v).count("recolor_all(x2, r1, black)") == 1
                            for v in variants)


def test_literal_variants_replace_literals_equal_to_a_role_on_every_train_input() -> None:
    # red is the least common colour of both train inputs: the fill may mean "that colour".
    task = task_of([(np.array([[0, 0, 1], [1, 0, 2]]), np.array([[2, 2, 1], [1, 2, 2]])),
                    (np.array([[1, 0, 0], [0, 2, 1]]), np.array([[1, 2, 2], [2, 2, 1]]))],
                   [np.array([[0, 1, 3], [3, 0, 1]])])
    text = "solve(I: Grid) -> Grid:\n    O = replace(I, black, red)\n"
    texts = [format_program(p) for p in literal_variants(parse_program(text), task, 0)]
    assert any("r1 = least_common_color(I)" in t and "replace(I, black, r1)" in t
               for t in texts)
    assert all(t.splitlines()[1].startswith("    r1 = ") for t in texts)
    assert text not in role_programs(parse_program(text), task, 0)


def test_known_outputs_are_not_offered_again() -> None:
    found = verified_variants(DOT_COLOR, [LITERAL], 0)
    again = verified_variants(DOT_COLOR, [LITERAL], 0, {value_key(v.test_outputs) for v in found})
    assert again == []
    assert verified_variants(DOT_COLOR, [LITERAL], 0, limit=0) == []


def test_color_role_invariant() -> None:
    assert color_roles(DOT_COLOR, 0) == ("least_fg",)
    inv = infer_invariants(DOT_COLOR)
    right = check_outputs(inv, DOT_COLOR, [make_grid(shape_and_dot(5, 6, fill=6))])
    wrong = check_outputs(inv, DOT_COLOR, [make_grid(shape_and_dot(5, 6, fill=5))])
    assert right["color_role"] is True and wrong["color_role"] is False
    # one colour in every output: a constant, not a role; no law
    constant = task_of([(shape_and_dot(1, 2), shape_and_dot(1, 2, fill=7)),
                        (shape_and_dot(3, 4), shape_and_dot(3, 4, fill=7))], [shape_and_dot(5, 6)])
    assert color_roles(constant, 0) == ()


# The output is filled with the input's most common colour; the inputs are small and noisy, so
# the background guess (the most common colour over all inputs, 6) is one of the answers.
UNIFORM = task_of([(np.array([[4, 4, 8], [6, 4, 3], [6, 3, 0]]), np.full((3, 3), 4)),
                   (np.array([[6, 8, 9], [1, 8, 1], [9, 4, 9]]), np.full((3, 3), 9))],
                  [np.array([[4, 6, 9], [6, 4, 1], [8, 6, 6]])])


def test_whole_colour_roles_survive_a_wrong_background_guess() -> None:
    inv = infer_invariants(UNIFORM)
    assert inv.background == 6 and "most" in inv.color_roles
    assert check_outputs(inv, UNIFORM, [make_grid(np.full((3, 3), 6))])["color_role"] is True
    assert check_outputs(inv, UNIFORM, [make_grid(np.full((3, 3), 9))])["color_role"] is False
    # outputs that keep their background are not named by the whole-colour roles
    assert not {"most", "least"} & set(color_roles(DOT_COLOR, 0))


def test_role_candidates_are_new_answers_that_the_ranking_can_prefer() -> None:
    results = outputs_of(LITERAL, DOT_COLOR)
    n = len(DOT_COLOR.train)
    literal = ProgramCandidate(LITERAL, "enumerative", tuple(results[:n]), tuple(results[n:]),
                               prior=0.9, cost=10)
    inv = infer_invariants(DOT_COLOR)
    roles = role_candidates(DOT_COLOR, [literal], 0, inv)
    assert roles and all(c.proposer == ROLE_PROPOSER and c.cost == 10 + ROLE_EXTRA_COST
                         for c in roles)
    assert not any(np.array_equal(c.test_outputs[0], results[-1]) for c in roles)
    ranked = rank(DOT_COLOR, [literal, *roles], [], inv)
    assert ranked.proposer == ROLE_PROPOSER
    assert np.array_equal(ranked.attempts[0][0], shape_and_dot(5, 6, fill=6))
    assert np.array_equal(ranked.attempts[0][1], results[-1])


def test_rank_replay_counts_the_invariant_and_the_variants(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks import rank_replay
    from tests.test_voter import alternative, make_run

    def task_json(task: Challenge, truth: np.ndarray) -> dict:
        pairs = [{"input": ex.input.tolist(), "output": ex.output.tolist()} for ex in task.train]
        return {"train": pairs, "test": [{"input": task.test_inputs[0].tolist(),
                                          "output": truth.tolist()}]}

    right = shape_and_dot(5, 6, fill=6)
    literal = outputs_of(LITERAL, DOT_COLOR)[-1]
    wrong = [shape_and_dot(5, 6, fill=c) for c in (2, 4)]
    ranked_low = [alternative([w.tolist()], True, 1, cost=3) for w in wrong]
    ranked_low.append(alternative([right.tolist()], True, 1, cost=5))
    literal_only = [alternative([literal.tolist()], True, 1, cost=3, program=LITERAL),
                    alternative([wrong[0].tolist()], True, 1, cost=4)]
    run = make_run(tmp_path, {"low": (task_json(DOT_COLOR, right), ranked_low),
                              "literal": (task_json(DOT_COLOR, right), literal_only)})
    rank_replay.main([str(run)])
    out = capsys.readouterr().out
    assert ":low before 0.00 invariant 1.00 variants 1.00" in out
    assert ":literal before 0.00 invariant 0.00 variants 1.00" in out
    assert "replayed score: before 0.00, invariant 1.00, variants 2.00" in out
