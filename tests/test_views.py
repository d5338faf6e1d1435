"""Task views (synth/search/normalise.py) and the views proposer (synth/proposers/views.py)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.printer import format_program
from synth.analysis.features import analyse
from synth.data.scoring import train_matches
from synth.data.task import Challenge, Example, make_grid, valid_grid
from synth.proposers.base import Budget, Pool, ProgramCandidate, SearchOptions
from synth.proposers.enumerative import EnumerativeProposer
from synth.proposers.registry import PROPOSERS, parse_plan
from synth.proposers.views import VIEW_ORDER, ViewsProposer
from synth.search.enumerate import DEFAULT_EXCLUDE, EnumConfig
from synth.search.normalise import (COLOR_VIEW, D8_INVERSE, D8_VIEWS, backward_grid,
                                    distinct_views, forward_grid, mapped_back, view_challenge)
from tests.strategies import grids

PROGRAMS = (
    "solve(I: Grid) -> Grid:\n    O = gravity(I, 0)\n",
    "solve(I: Grid) -> Grid:\n    O = left_half(I)\n",
    "solve(I: Grid) -> Grid:\n    x1 = most_common_fg(I)\n    O = replace(I, x1, red)\n",
    "solve(I: Grid) -> Grid:\n"
    "    x1 = objects(I, connect=8)\n"
    "    x2 = argmax(x1, size)\n"
    "    x3 = exclude(x1, lambda o: eq(o, x2))\n"
    "    O = fold(x3, I, lambda g, m: paint(g, recolor(m, red)))\n",
)


def _task(pairs: list[tuple[np.ndarray, np.ndarray]], tests: list[np.ndarray]) -> Challenge:
    return Challenge("views", tuple(Example(make_grid(i), make_grid(o)) for i, o in pairs),
                     tuple(make_grid(t) for t in tests))


def _solved(proposer, task: Challenge, truth: list[np.ndarray], work: int) -> list[str]:
    """Programs the proposer verifies within `work` evaluations whose test outputs are right."""
    budget = Budget.from_seconds(120, work)
    found = []
    for cand in proposer.propose(task, analyse(task), budget, Pool()):
        if isinstance(cand, ProgramCandidate) and train_matches(cand.train_outputs, task) \
                and all(np.array_equal(g, t) for g, t in zip(cand.test_outputs, truth)):
            found.append(cand.program)
    return found


# --- the transforms ----------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(grids(), grids(max_side=8))
def test_every_view_composed_with_its_inverse_is_the_identity(grid, source) -> None:
    for view in D8_VIEWS:
        moved = forward_grid(view, grid, source)
        assert valid_grid(moved) and not moved.flags.writeable
        assert np.array_equal(backward_grid(view, moved, source), grid)
        assert np.array_equal(forward_grid(D8_INVERSE[view], moved, source), grid)
    recoloured = forward_grid(COLOR_VIEW, grid, source)
    assert recoloured.shape == grid.shape and not recoloured.flags.writeable
    assert np.array_equal(backward_grid(COLOR_VIEW, recoloured, source), grid)


def test_d8_views_are_seven_distinct_transforms() -> None:
    probe = make_grid(np.arange(6).reshape(2, 3))
    images = {forward_grid(v, probe, probe).tobytes() + bytes(forward_grid(v, probe, probe).shape)
              for v in D8_VIEWS}
    assert len(images) == 7 and probe.tobytes() + bytes(probe.shape) not in images


@pytest.mark.parametrize("view", VIEW_ORDER)
@pytest.mark.parametrize("text", PROGRAMS, ids=range(len(PROGRAMS)))
@settings(max_examples=8, deadline=None)
@given(grid=grids(max_side=10))
def test_mapped_back_program_equals_the_view_answer_mapped_back(view, text, grid) -> None:
    program = parse_program(text)
    [on_view] = run_program(program, [forward_grid(view, grid, grid)])
    back = mapped_back(view, program)
    assert back is not None
    again = parse_program(format_program(back))
    assert again == back
    [on_original] = run_program(again, [grid])
    if isinstance(on_view, EvalError):
        assert isinstance(on_original, EvalError)
    else:
        assert np.array_equal(on_original, backward_grid(view, on_view, grid))


def test_mapped_back_program_text() -> None:
    back = mapped_back("rot90", parse_program(PROGRAMS[0]))
    assert format_program(back) == ("solve(I: Grid) -> Grid:\n    x1 = rot90(I)\n"
                                    "    x2 = gravity(x1, 0)\n    O = rot270(x2)\n")
    back = mapped_back(COLOR_VIEW, parse_program(PROGRAMS[2]))
    assert "normalize_colors(I)" in format_program(back)
    assert format_program(back).rstrip().endswith("O = denormalize_colors(x3, I)")


def test_views_identical_to_the_task_or_an_earlier_view_are_skipped() -> None:
    symmetric = np.array([[1, 0, 1], [2, 2, 2]])
    task = _task([(symmetric, symmetric[::-1])], [symmetric])
    views = distinct_views(task, VIEW_ORDER)
    assert "flip_h" not in views and COLOR_VIEW in views
    assert views[:3] == [COLOR_VIEW, "rot90", "rot180"]
    keys = {str(view_challenge(v, task)) for v in views}
    assert len(keys) == len(views)
    uniform = np.zeros((2, 2), np.uint8)
    assert distinct_views(_task([(uniform, uniform)], [uniform]), VIEW_ORDER) == []


# --- the proposer ------------------------------------------------------------------------------

def _recolour_pair(common: int, rare: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A grid with 12 cells of `common`, 3 of `rare` on 0; the output paints `rare` `common`."""
    cells = np.random.default_rng(seed).permutation(36)
    grid = np.zeros((6, 6), np.uint8)
    grid.flat[cells[:12]] = common
    grid.flat[cells[12:15]] = rare
    return grid, np.where(grid == rare, common, grid)


def test_colour_view_solves_a_task_whose_colour_roles_change_per_pair() -> None:
    pairs = [_recolour_pair(a, b, i) for i, (a, b) in enumerate([(3, 5), (5, 3), (1, 8)])]
    test_in, test_out = _recolour_pair(4, 7, 9)
    task = _task(pairs, [test_in])
    work = 1000
    # recolor_majority alone also solves it; without it only the colour view does
    config = EnumConfig(exclude=DEFAULT_EXCLUDE | {"recolor_majority"})
    assert _solved(EnumerativeProposer(config=config), task, [test_out], work) == []
    views = ViewsProposer(EnumerativeProposer(config=config))
    found = _solved(views, task, [test_out], work)
    assert found and "normalize_colors(I)" in found[0]
    assert views.stats()["views"][0] == COLOR_VIEW


def test_d8_view_supplies_a_missing_direction() -> None:
    config = EnumConfig(exclude=DEFAULT_EXCLUDE | {"right_half", "normalize_colors",
                                                   "denormalize_colors"})
    rng = np.random.default_rng(3)
    grids_ = [rng.integers(0, 5, size=(h, w)) for h, w in ((3, 6), (4, 8), (5, 4), (2, 6))]
    task = _task([(g, g[:, g.shape[1] // 2:]) for g in grids_[:3]], [grids_[3]])
    truth = [grids_[3][:, 3:]]
    work = 3000
    assert _solved(EnumerativeProposer(config=config), task, truth, work) == []
    found = _solved(ViewsProposer(EnumerativeProposer(config=config)), task, truth, work)
    assert found and any(f"x1 = {view}(I)" in found[0] for view in D8_VIEWS)


def test_views_keep_to_a_work_limit() -> None:
    rng = np.random.default_rng(5)
    grids_ = [rng.integers(0, 10, size=(7, 7)) for _ in range(3)]
    noise = [rng.integers(0, 10, size=(7, 7)) for _ in range(2)]
    task = _task(list(zip(grids_[:2], noise)), [grids_[2]])
    budget = Budget.from_seconds(120, 2000)
    views = ViewsProposer()
    assert not any(train_matches(c.train_outputs, task)
                   for c in views.propose(task, analyse(task), budget, Pool()))
    assert len(views.stats()["views"]) == len(VIEW_ORDER)
    assert 1000 < budget.meter.spent <= 2100


def test_views_proposer_is_registered() -> None:
    assert parse_plan("enumerative,views") == (("enumerative", PROPOSERS["enumerative"].share),
                                                ("views", 0.2))
    assert isinstance(PROPOSERS["views"].build(SearchOptions(guide="none")), ViewsProposer)
