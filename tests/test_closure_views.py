"""The closure proposer on the colour-normalised view (synth/proposers/closure.py) and the
mapping of view programs back to the task (synth/proposers/view_mapping.py)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from dsl.interp import run_program
from dsl.parser import parse_program
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool, ProgramCandidate
from synth.proposers.closure import ClosureProposer
from synth.proposers.view_mapping import original_candidate
from synth.search.normalise import COLOR_VIEW, distinct_views, view_challenge

# (majority colour, minority colour) of each example: the roles change from pair to pair
ROLES = ((3, 5), (5, 2), (2, 7), (7, 3), (4, 6))


def role_task(minority_to: str, seed: int = 0) -> tuple[Challenge, np.ndarray]:
    """Rotated random two-colour pictures whose minority colour's cells become the majority
    colour (`minority_to="majority"`, no constant colour of the task does it) or background;
    returns the challenge (four train pairs) and its test output."""
    rng = np.random.default_rng(seed)
    pairs = []
    for major, minor in ROLES:
        cells = rng.random((6, 7))
        grid = np.zeros((6, 7), dtype=np.uint8)
        grid[cells < 0.45] = major
        grid[cells < 0.12] = minor
        grid[0, 0], grid[5, 6] = minor, major
        output = grid.copy()
        output[grid == minor] = major if minority_to == "majority" else 0
        pairs.append((make_grid(grid), make_grid(np.rot90(output))))
    task = Challenge("roles", tuple(Example(i, o) for i, o in pairs[:-1]), (pairs[-1][0],))
    return task, pairs[-1][1]


def proposed(task: Challenge, proposer: ClosureProposer, work: int = 3000
             ) -> tuple[list[ProgramCandidate], Budget]:
    budget = Budget.from_seconds(60, work)
    found = [c for c in proposer.propose(task, analyse(task), budget, Pool())
             if isinstance(c, ProgramCandidate)]
    return found, budget


def test_the_colour_view_finds_what_the_plain_closure_cannot() -> None:
    task, test_output = role_task("majority")
    assert proposed(task, ClosureProposer(views=()))[0] == []
    proposer = ClosureProposer()
    found, _ = proposed(task, proposer)
    assert found and all(c.origin == COLOR_VIEW and c.votes_as_one for c in found)
    stats = proposer.stats()["views"][COLOR_VIEW]
    assert stats["mapped"] == len(found) and stats["applications"] > 0
    for candidate in found:
        text = candidate.program
        assert "normalize_colors(I)" in text and "denormalize_colors(" in text
        results = run_program(parse_program(text), list(task.inputs))
        assert all(np.array_equal(r, ex.output) for r, ex in zip(results, task.train))
        assert np.array_equal(results[-1], test_output)
        assert np.array_equal(candidate.test_outputs[0], test_output)


def test_the_view_is_not_run_once_the_plain_task_is_solved() -> None:
    task, test_output = role_task("background")
    proposer = ClosureProposer()
    found, _ = proposed(task, proposer)
    assert found and all(c.origin == "" for c in found)
    assert any(np.array_equal(c.test_outputs[0], test_output) for c in found)
    assert proposer.stats()["views"] == {}


def test_a_task_that_is_its_own_colour_view_runs_the_plain_closure_alone() -> None:
    task, _ = role_task("majority")
    canonical = view_challenge(COLOR_VIEW, task)
    assert distinct_views(canonical, (COLOR_VIEW,)) == []
    proposer = ClosureProposer()
    plain, budget = proposed(canonical, proposer, work=400)
    alone, alone_budget = proposed(canonical, ClosureProposer(views=()), work=400)
    assert [c.program for c in plain] == [c.program for c in alone]
    assert proposer.stats()["views"] == {}
    assert budget.meter.spent == alone_budget.meter.spent


def test_the_view_keeps_to_the_work_limit_and_is_reproducible() -> None:
    task, _ = role_task("majority", seed=1)
    runs = []
    for _ in range(2):
        proposer = ClosureProposer(view_share=0.5, size_functions=())   # no sized chunks
        found, budget = proposed(task, proposer, work=600)
        runs.append(([c.program for c in found], budget.meter.spent,
                     proposer.stats()["views"][COLOR_VIEW]["values"]))
    assert runs[0] == runs[1]
    programs, spent, _ = runs[0]
    assert spent <= 600 + 2 * len(programs) + 2


def test_a_view_program_wrong_on_the_original_task_is_rejected() -> None:
    task, _ = role_task("majority")
    view_task = view_challenge(COLOR_VIEW, task)
    good = proposed(task, ClosureProposer())[0][0]
    right = ProgramCandidate("solve(I: Grid) -> Grid:\n    x1 = rot270(I)\n"
                             "    O = map_colors(x1, [red], [blue])\n", "closure",
                             tuple(ex.output for ex in view_task.train), (None,),
                             votes_as_one=True)
    mapped = original_candidate(COLOR_VIEW, right, task, "closure")
    assert mapped is not None and mapped.votes_as_one and mapped.program == good.program
    assert mapped.cost == right.cost + 2
    wrong = replace(right, program="solve(I: Grid) -> Grid:\n    O = rot270(I)\n")
    assert original_candidate(COLOR_VIEW, wrong, task, "closure") is None


def test_the_reach_benchmark_counts_gains_losses_and_new_wrong_tasks() -> None:
    from benchmarks.closure_views_reach import summary

    def arm(right: bool, wrong: bool) -> dict[str, object]:
        return {"right": right, "wrong": wrong, "program": "P" if right else None}

    results = {"gain": {"before": arm(False, False), "after": arm(True, False)},
               "lose": {"before": arm(True, False), "after": arm(False, True)},
               "keep": {"before": arm(True, False), "after": arm(True, False)},
               "none": {"before": arm(False, True), "after": arm(False, True)}}
    counts = summary(results)
    assert (counts["right_before"], counts["right_after"]) == (2, 2)
    assert (counts["wrong_before"], counts["wrong_after"]) == (1, 2)
    assert counts["gained"] == ["gain"] and counts["lost"] == ["lose"]
    assert counts["newly_wrong"] == ["lose"] and counts["gained_programs"] == {"gain": "P"}
