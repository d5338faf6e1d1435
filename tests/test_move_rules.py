"""Move rules: the `move_objects` primitive against a plain reference, its error contract, the
learner (`synth.search.move_rules`) and the enumerative proposer's use of it."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.primitives.drawing import DIRECTIONS
from dsl.primitives.objects import (MOVE_ACTIONS, MOVE_MODES, MOVE_RULE_KINDS, OBJECT_FEATURES,
                                    OTHER_KEY, move_objects, move_rule_kind,
                                    object_feature_values, segment_objects)
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.move_rules import learn_move_rule
from synth.select.verify import verified
from tests.strategies import small_grids
from tests.test_object_rules import reference_components, scattered

FAST = settings(max_examples=80, deadline=None)
Cells = set[tuple[int, int]]


# --- the primitive against a plain reference -----------------------------------------------------

def reference_toward(grid: np.ndarray, comps: list[Cells], own: Cells, bg: int,
                     colour: int = -1) -> tuple[int, int]:
    """The step towards the component holding the nearest other-colour cell, from the docs."""
    mine = grid[next(iter(own))]
    others = [(r, c) for part in comps for r, c in part if part is not own
              and grid[r, c] not in (bg, mine) and colour in (-1, grid[r, c])]
    if not others:
        return 0, 0
    dist = {p: min(abs(p[0] - r) + abs(p[1] - c) for r, c in own) for p in others}
    best = min(dist.values())
    holders = [i for i, part in enumerate(comps) if any(dist.get(p) == best for p in part)]
    if len(holders) != 1:
        return 0, 0
    target = comps[holders[0]]
    rows, cols = [r for r, _ in own], [c for _, c in own]
    trows, tcols = [r for r, _ in target], [c for _, c in target]
    dr = 1 if min(trows) > max(rows) else -1 if max(trows) < min(rows) else 0
    dc = 1 if min(tcols) > max(cols) else -1 if max(tcols) < min(cols) else 0
    return dr, dc


def reference_join(grid: np.ndarray, comps: list[Cells], own: Cells
                   ) -> tuple[tuple[int, int], int] | None:
    """(step, steps) to the largest larger same-colour component, passing over others; None
    when there is none (the component vanishes), ((0, 0), 0) when it is never reached."""
    mine = grid[next(iter(own))]
    larger = [part for part in comps if part is not own and grid[next(iter(part))] == mine
              and len(part) > len(own)]
    if not larger:
        return None
    target = max(larger, key=len)
    rows, cols = [r for r, _ in own], [c for _, c in own]
    trows, tcols = [r for r, _ in target], [c for _, c in target]
    dr = 1 if min(trows) > max(rows) else -1 if max(trows) < min(rows) else 0
    dc = 1 if min(tcols) > max(cols) else -1 if max(tcols) < min(cols) else 0
    h, w = grid.shape
    for k in range(h + w if (dr, dc) != (0, 0) else 0):
        moved = [(r + (k + 1) * dr, c + (k + 1) * dc) for r, c in own]
        if not all(0 <= r < h and 0 <= c < w for r, c in moved):
            break
        if any(cell in target for cell in moved):
            return (dr, dc), k
    return (0, 0), 0


def reference_onto(grid: np.ndarray, comps: list[Cells], own: Cells) -> tuple[int, int]:
    """The offset putting the component's nearest cell on the largest other-colour one's."""
    mine = grid[next(iter(own))]
    others = [part for part in comps if grid[next(iter(part))] != mine]
    if not others:
        return 0, 0
    target = max(others, key=len)
    dist = {(a, b): abs(a[0] - b[0]) + abs(a[1] - b[1]) for a in own for b in target}
    best = min(dist.values())
    offsets = {(b[0] - a[0], b[1] - a[1]) for (a, b), d in dist.items() if d == best}
    return offsets.pop() if len(offsets) == 1 else (0, 0)


def reference_move(grid: np.ndarray, kind: int, keys: tuple, values: tuple, bg: int
                   ) -> np.ndarray:
    feature, mode = divmod(kind, len(MOVE_MODES))
    comps = sorted(reference_components(grid, mode, bg), key=lambda s: min(s))
    comp, n = segment_objects(grid, mode, bg)
    features = object_feature_values(grid, comp, n, OBJECT_FEATURES[feature]).tolist()
    table = dict(zip(keys, values))
    actions = [table.get(f, table.get(OTHER_KEY, 0)) for f in features]
    h, w = grid.shape
    out = {(r, c): int(grid[r, c]) for r in range(h) for c in range(w)}
    moving = [(part, a) for part, a in zip(comps, actions) if a]
    for part, _ in moving:
        for cell in part:
            out[cell] = bg
    for part, action in moving:
        name = MOVE_ACTIONS[action]
        if name == "join_own_color":
            joined = reference_join(grid, comps, part)
            if joined is None:
                continue
            step, k = joined
        elif name == "onto_largest":
            step, k = reference_onto(grid, comps, part), 1
        elif name in ("toward_nearest", "step_toward_nearest"):
            step = reference_toward(grid, comps, part, bg)
        elif name.startswith("toward_color_"):
            step = reference_toward(grid, comps, part, bg, int(name.rsplit("_", 1)[1]))
        else:
            step = DIRECTIONS[("up", "right", "down", "left").index(name.split("_")[1])]
        if name.startswith("jump"):
            extent = {r for r, _ in part} if step[0] else {c for _, c in part}
            k = len(range(min(extent), max(extent) + 1))
        elif name.startswith("step"):
            k = 1
        elif name not in ("join_own_color", "onto_largest"):
            k = 0
            while step != (0, 0) and all(
                    (r + (k + 1) * step[0], c + (k + 1) * step[1]) in out
                    and out[r + (k + 1) * step[0], c + (k + 1) * step[1]] == bg
                    for r, c in part):
                k += 1
        for r, c in part:
            if (r + k * step[0], c + k * step[1]) in out:
                out[r + k * step[0], c + k * step[1]] = int(grid[r, c])
    return np.array([[out[r, c] for c in range(w)] for r in range(h)], np.uint8)


@FAST
@given(small_grids(), st.sampled_from(MOVE_RULE_KINDS), st.lists(st.integers(-1, 6), max_size=4,
       unique=True), st.data())
def test_move_objects_matches_reference(grid: np.ndarray, kind: int, keys: list[int],
                                        data: st.DataObject) -> None:
    values = [data.draw(st.integers(0, len(MOVE_ACTIONS) - 1)) for _ in keys]
    bg = data.draw(st.sampled_from([0, int(grid[0, 0])]))
    got = move_objects(grid, kind, tuple(keys), tuple(values), bg)
    assert np.array_equal(got, reference_move(grid, kind, tuple(keys), tuple(values), bg))


@FAST
@given(small_grids(), st.sampled_from(MOVE_RULE_KINDS), st.lists(st.integers(-1, 6), max_size=3,
       unique=True), st.data())
def test_joining_and_landing_match_reference(grid: np.ndarray, kind: int, keys: list[int],
                                             data: st.DataObject) -> None:
    values = [data.draw(st.sampled_from([action("join_own_color"), action("onto_largest"), 0]))
              for _ in keys]
    got = move_objects(grid, kind, tuple(keys), tuple(values), 0)
    assert np.array_equal(got, reference_move(grid, kind, tuple(keys), tuple(values), 0))


@FAST
@given(small_grids(), st.sampled_from(range(len(MOVE_ACTIONS))))
def test_moves_keep_the_grid_shape_and_stay_changes_nothing(grid: np.ndarray, action: int
                                                            ) -> None:
    kind = move_rule_kind("color", 1)
    moved = move_objects(grid, kind, (OTHER_KEY,), (action,))
    assert moved.shape == grid.shape
    assert np.array_equal(move_objects(grid, kind, (OTHER_KEY,), (0,)), grid)


def action(name: str) -> int:
    return MOVE_ACTIONS.index(name)


COLOUR = move_rule_kind("color", 0)


def test_hand_built_moves() -> None:
    grid = make_grid([[3, 0, 0, 0, 2],
                      [0, 0, 0, 0, 0],
                      [0, 0, 0, 0, 0],
                      [0, 0, 0, 0, 4]])
    assert move_objects(grid, COLOUR, (3,), (action("toward_color_2"),)).tolist() == [
        [0, 0, 0, 3, 2], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 4]]
    assert move_objects(grid, COLOUR, (3,), (action("jump_down"),))[1, 0] == 3
    assert move_objects(grid, COLOUR, (4,), (action("step_left"),))[3].tolist() == [0, 0, 0, 4, 0]
    assert move_objects(grid, COLOUR, (4,), (action("toward_color_2"),))[:, 4].tolist() == [
        2, 4, 0, 0]
    diagonal = make_grid([[5, 0, 0, 0], [0, 0, 0, 0], [0, 0, 2, 2], [0, 0, 2, 2]])
    assert move_objects(diagonal, COLOUR, (5,), (action("toward_nearest"),))[1, 1] == 5
    assert move_objects(diagonal, COLOUR, (5,), (action("step_toward_nearest"),))[1, 1] == 5
    bar = make_grid([[0], [0], [0], [7], [7]])
    assert move_objects(bar, COLOUR, (7,), (action("jump_up"),))[:, 0].tolist() == [0, 7, 7, 0, 0]


def test_joining_its_own_colour_and_landing_on_the_largest() -> None:
    framed = make_grid([[0, 0, 0, 0, 0],
                        [2, 0, 0, 3, 0],
                        [2, 0, 4, 0, 0],
                        [2, 0, 0, 0, 2],
                        [2, 0, 0, 0, 0]])
    joined = move_objects(framed, COLOUR, (3, 4, 2), (action("join_own_color"),) * 3)
    # the lone red cell joins the red line, passing over nothing; green and yellow have no
    # larger object of their colour and vanish; the line has none larger either and vanishes
    assert joined.tolist() == [[0] * 5, [0] * 5, [0] * 5, [0, 2, 0, 0, 0], [0] * 5]
    kept = move_objects(framed, move_rule_kind("size", 0), (1,), (action("join_own_color"),))
    assert kept[:, 0].tolist() == [0, 2, 2, 2, 2] and kept[3, 1] == 2 and kept[1, 3] == 0
    block = make_grid([[5, 0, 0, 0, 0],
                       [0, 0, 0, 0, 0],
                       [0, 0, 8, 8, 0],
                       [0, 0, 8, 8, 0],
                       [0, 0, 0, 0, 1]])
    landed = move_objects(block, move_rule_kind("size", 0), (1,), (action("onto_largest"),))
    assert landed.tolist() == [[0] * 5, [0] * 5, [0, 0, 5, 8, 0], [0, 0, 8, 1, 0], [0] * 5]


def test_errors() -> None:
    grid = make_grid([[1, 0]])
    for kind, keys, values in ((len(MOVE_RULE_KINDS), (1,), (1,)), (0, (1, 2), (1,)),
                               (0, (1, 1), (1, 1)), (0, (-2,), (1,)),
                               (0, (1,), (len(MOVE_ACTIONS),))):
        with pytest.raises(EvalError):
            move_objects(grid, kind, keys, values)


# --- the learner and the search ------------------------------------------------------------------

# Grey specks are pulled towards the red block until they touch it; blue specks stay.
PULLED = [scattered((9, 9), [(4, 4, 2, 2, 2), (0, 4, 1, 1, 5), (4, 0, 1, 1, 5), (8, 8, 1, 1, 1)]),
          scattered((9, 10), [(2, 3, 3, 2, 2), (3, 9, 1, 1, 5), (8, 4, 1, 1, 5), (0, 0, 1, 1, 1)]),
          scattered((8, 8), [(3, 3, 2, 3, 2), (0, 4, 1, 1, 5), (7, 0, 1, 1, 1), (3, 7, 1, 1, 5)])]
PULLED_TEST = scattered((10, 10), [(5, 5, 2, 2, 2), (5, 0, 1, 1, 5), (0, 6, 1, 1, 5),
                                   (9, 9, 1, 1, 1), (9, 5, 1, 1, 5)])
PULL = (COLOUR, (5,), (action("toward_color_2"),))


def pulled_task(inputs: list[np.ndarray], test: np.ndarray) -> Challenge:
    return Challenge("pulled", tuple(Example(g, move_objects(g, *PULL)) for g in inputs), (test,))


def identity_values(task: Challenge) -> tuple:
    return (*(ex.input for ex in task.train), *task.test_inputs)


def test_a_pull_towards_a_colour_is_learned_and_generalises() -> None:
    task = pulled_task(PULLED, PULLED_TEST)
    rule = learn_move_rule(identity_values(task), task, 0)
    assert rule is not None
    expected = move_objects(PULLED_TEST, *PULL)
    assert np.array_equal(move_objects(PULLED_TEST, *rule), expected)
    assert expected[4, 6] == 5 and expected[7, 5] == 5 and expected[5, 4] == 5


def test_a_noisy_pair_is_rejected() -> None:
    task = pulled_task(PULLED, PULLED_TEST)
    wrong = np.array(task.train[1].output)
    wrong[0, 0], wrong[0, 1] = 0, 1                       # the blue speck moves in one pair only
    pairs = (task.train[0], Example(task.train[1].input, make_grid(wrong)), task.train[2])
    noisy = Challenge("noisy", pairs, task.test_inputs)
    assert learn_move_rule(identity_values(noisy), noisy, 0) is None


def test_a_key_moved_in_one_pair_only_is_not_learned() -> None:
    """Leave-one-out: green specks move only in the first pair, so the rule would memorise."""
    first = scattered((9, 9), [(4, 4, 2, 2, 2), (0, 4, 1, 1, 5), (4, 0, 1, 1, 3), (8, 8, 1, 1, 1)])
    table = (COLOUR, (3, 5), (action("toward_color_2"),) * 2)
    pairs = (Example(first, move_objects(first, *table)),
             *(Example(g, move_objects(g, *PULL)) for g in PULLED[1:]))
    task = Challenge("memorised", pairs, (PULLED_TEST,))
    assert learn_move_rule(identity_values(task), task, 0) is None


def test_the_search_solves_a_pull_task_with_a_program_that_reruns() -> None:
    task = pulled_task(PULLED, PULLED_TEST)
    found = list(EnumerativeProposer().propose(
        task, analyse(task), Budget.from_seconds(60, work_limit=3000), Pool()))
    moved = [c for c in found if "move_objects(" in c.program and verified(c, task)]
    assert moved, [c.program for c in found]
    assert np.array_equal(moved[0].test_outputs[0], move_objects(PULLED_TEST, *PULL))
    program = parse_program(moved[0].program)
    assert all(np.array_equal(out, ex.output) for out, ex in
               zip(run_program(program, [ex.input for ex in task.train]), task.train))


# Specks join the border line of their colour; specks with no line of their colour vanish.
FRAMES = [scattered((8, 8), [(0, 1, 1, 6, 2), (7, 1, 1, 6, 3), (3, 3, 1, 1, 2), (5, 5, 1, 1, 3),
                             (4, 2, 1, 1, 6)]),
          scattered((9, 8), [(1, 0, 7, 1, 4), (0, 1, 1, 6, 2), (4, 5, 1, 1, 4), (6, 2, 1, 1, 2),
                             (2, 4, 1, 1, 8)]),
          scattered((8, 9), [(1, 8, 6, 1, 3), (1, 0, 6, 1, 2), (3, 3, 1, 1, 3), (5, 6, 1, 1, 2),
                             (2, 5, 1, 1, 1)])]
FRAME_TEST = scattered((9, 9), [(0, 1, 1, 7, 4), (8, 1, 1, 7, 2), (3, 4, 1, 1, 2),
                                (5, 2, 1, 1, 4), (6, 6, 1, 1, 7)])
JOIN = (move_rule_kind("size", 0), (1,), (action("join_own_color"),))


def test_specks_joining_their_lines_or_vanishing_are_learned() -> None:
    task = Challenge("framed", tuple(Example(g, move_objects(g, *JOIN)) for g in FRAMES),
                     (FRAME_TEST,))
    rule = learn_move_rule(identity_values(task), task, 0)
    assert rule is not None
    got = move_objects(FRAME_TEST, *rule)
    assert np.array_equal(got, move_objects(FRAME_TEST, *JOIN))
    assert got[7, 4] == 2 and got[1, 2] == 4 and not (got == 7).any()


# Specks land on the nearest cell of the block, drawing over it.
BLOCKS = [scattered((8, 8), [(3, 3, 2, 2, 8), (0, 1, 1, 1, 5), (7, 7, 1, 1, 4)]),
          scattered((9, 8), [(4, 2, 2, 2, 8), (0, 7, 1, 1, 3), (8, 0, 1, 1, 6)]),
          scattered((8, 9), [(2, 5, 2, 2, 8), (6, 1, 1, 1, 2), (0, 8, 1, 1, 1)])]
BLOCK_TEST = scattered((9, 9), [(4, 4, 2, 2, 8), (0, 0, 1, 1, 7), (8, 8, 1, 1, 9)])
LAND = (move_rule_kind("size", 0), (1,), (action("onto_largest"),))


def test_specks_landing_on_a_block_are_learned() -> None:
    task = Challenge("landing", tuple(Example(g, move_objects(g, *LAND)) for g in BLOCKS),
                     (BLOCK_TEST,))
    rule = learn_move_rule(identity_values(task), task, 0)
    assert rule is not None
    got = move_objects(BLOCK_TEST, *rule)
    assert np.array_equal(got, move_objects(BLOCK_TEST, *LAND))
    assert got[4, 4] == 7 and got[5, 5] == 9 and got[0, 0] == 0
