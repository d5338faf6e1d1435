"""Object rules: the `recolor_objects` primitive against a plain reference, its error contract,
the learner (`synth.search.object_rules`) and the enumerative proposer's use of it."""
from __future__ import annotations

from collections import Counter, deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import EvalError
from dsl.values import value_key
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.primitives.objects import (COLOR_SOURCES, OBJECT_FEATURES, OBJECT_MODES,
                                    OBJECT_RULE_KINDS, SOURCE_VALUES, object_rule_kind,
                                    recolor_objects, source_value)
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.object_rules import ObjectRule, learn_object_rule
from synth.select.verify import verified
from tests.strategies import colors, grids

FAST = settings(max_examples=80, deadline=None)
FOUR = ((-1, 0), (0, 1), (1, 0), (0, -1))
EIGHT = FOUR + ((-1, 1), (1, 1), (1, -1), (-1, -1))


# --- the primitive against a plain reference -----------------------------------------------------

def reference_components(grid: np.ndarray, mode: int, bg: int) -> list[set[tuple[int, int]]]:
    """Single-colour components by breadth-first search, straight from the documented modes."""
    if mode >= 8:
        return reference_part_components(grid, mode, bg)
    h, w = grid.shape
    member = [lambda c: c != bg, lambda c: c != bg, lambda c: True, lambda c: True,
              lambda c: c == bg, lambda c: c == bg, lambda c: c == bg, lambda c: c == bg][mode]
    steps = EIGHT if mode % 2 else FOUR
    seen: set[tuple[int, int]] = set()
    found = []
    for r in range(h):
        for c in range(w):
            if (r, c) in seen or not member(grid[r, c]):
                continue
            cells, queue = {(r, c)}, deque([(r, c)])
            while queue:
                y, x = queue.popleft()
                for dy, dx in steps:
                    ny, nx = y + dy, x + dx
                    if (0 <= ny < h and 0 <= nx < w and (ny, nx) not in cells
                            and grid[ny, nx] == grid[r, c]):
                        cells.add((ny, nx))
                        queue.append((ny, nx))
            seen |= cells
            if mode < 6 or not any(y in (0, h - 1) or x in (0, w - 1) for y, x in cells):
                found.append(cells)
    return found


def reference_part_components(grid: np.ndarray, mode: int, bg: int
                              ) -> list[set[tuple[int, int]]]:
    """Modes 8 (object interiors: non-bg cells whose four neighbours are in the grid and of
    their colour) and 9 (bg cells inside the bounding box of an 8-connected object), split
    into 4-connected single-colour components by breadth-first search."""
    h, w = grid.shape
    if mode == 8:
        member = {(r, c) for r in range(h) for c in range(w) if grid[r, c] != bg and all(
            0 <= r + dr < h and 0 <= c + dc < w and grid[r + dr, c + dc] == grid[r, c]
            for dr, dc in FOUR)}
    else:
        member = set()
        for cells in reference_components(grid, 1, bg):
            rows, cols = [r for r, _ in cells], [c for _, c in cells]
            member |= {(r, c) for r in range(min(rows), max(rows) + 1)
                       for c in range(min(cols), max(cols) + 1) if grid[r, c] == bg}
    found, seen = [], set()
    for start in sorted(member):
        if start in seen:
            continue
        cells, queue = {start}, deque([start])
        while queue:
            y, x = queue.popleft()
            for dy, dx in FOUR:
                nxt = (y + dy, x + dx)
                if nxt in member and nxt not in cells and grid[nxt] == grid[start]:
                    cells.add(nxt)
                    queue.append(nxt)
        seen |= cells
        found.append(cells)
    return found


def reference_encloses(cells: set[tuple[int, int]]) -> bool:
    """Some bbox cell off the object is not 4-reachable from beyond the bbox."""
    rows, cols = [r for r, _ in cells], [c for _, c in cells]
    r0, r1, c0, c1 = min(rows) - 1, max(rows) + 1, min(cols) - 1, max(cols) + 1
    outside, queue = {(r0, c0)}, deque([(r0, c0)])
    while queue:
        y, x = queue.popleft()
        for dy, dx in FOUR:
            ny, nx = y + dy, x + dx
            if (r0 <= ny <= r1 and c0 <= nx <= c1 and (ny, nx) not in cells
                    and (ny, nx) not in outside):
                outside.add((ny, nx))
                queue.append((ny, nx))
    return (r1 - r0 + 1) * (c1 - c0 + 1) > len(outside) + len(cells)


def reference_features(grid: np.ndarray, comps: list[set], feature: str) -> list[int]:
    h, w = grid.shape
    sizes = [len(cells) for cells in comps]
    distinct = sorted(set(sizes))
    shapes = []
    for cells in comps:
        top, left = min(r for r, _ in cells), min(c for _, c in cells)
        shapes.append(frozenset((r - top, c - left) for r, c in cells))
    out = []
    for cells, size, shape in zip(comps, sizes, shapes):
        height = max(r for r, _ in cells) - min(r for r, _ in cells) + 1
        width = max(c for _, c in cells) - min(c for _, c in cells) + 1
        r, c = next(iter(cells))
        neighbours = {int(grid[y + dy, x + dx]) for y, x in cells for dy, dx in FOUR
                      if 0 <= y + dy < h and 0 <= x + dx < w and (y + dy, x + dx) not in cells}
        touching = {f"touches_color_{colour}": int(colour in neighbours) for colour in range(10)}
        top, bottom = min(y for y, _ in cells), max(y for y, _ in cells)
        left, right = min(x for _, x in cells), max(x for _, x in cells)
        out.append({**touching,
            "border_sides": (top == 0) + 2 * (bottom == h - 1) + 4 * (left == 0)
            + 8 * (right == w - 1),
            "crosses_centre_row": int(top <= (h - 1) / 2 <= bottom),
            "crosses_centre_col": int(left <= (w - 1) / 2 <= right),
            "touches_border": int(any(y in (0, h - 1) or x in (0, w - 1) for y, x in cells)),
            "has_hole": int(reference_encloses(cells)),
            "is_rectangle": int(size == height * width),
            "size_rank_desc": len(distinct) - 1 - distinct.index(size),
            "size_rank_asc": distinct.index(size),
            "shape_count": shapes.count(shape),
            "size": size, "height": height, "width": width, "color": int(grid[r, c]),
            "is_square": int(size == height * width and height == width),
            "size_extreme": 0 if size == distinct[-1] else 1 if size == distinct[0] else 2,
            "size_parity": size % 2,
        }[feature])
    return out


def reference_nearest_other_color(grid: np.ndarray, cells: set, bg: int) -> int:
    """The one colour (not bg, not the object's) at the least Manhattan distance, else its own."""
    own = int(grid[next(iter(cells))])
    best, found = None, set()
    for (y, x), colour in np.ndenumerate(grid):
        if colour in (bg, own):
            continue
        distance = min(abs(y - r) + abs(x - c) for r, c in cells)
        if best is None or distance < best:
            best, found = distance, {int(colour)}
        elif distance == best:
            found.add(int(colour))
    return found.pop() if len(found) == 1 else own


def reference_neighbour_majority(grid: np.ndarray, cells: set, bg: int) -> int:
    """The most common colour of the cells around the object (bg losing ties), else its own."""
    h, w = grid.shape
    around = {(y + dy, x + dx) for y, x in cells for dy, dx in FOUR
              if 0 <= y + dy < h and 0 <= x + dx < w and (y + dy, x + dx) not in cells}
    counts = Counter(int(grid[p]) for p in around)
    scores = {colour: 2 * count - (colour == bg) for colour, count in counts.items()}
    winners = [colour for colour, score in scores.items() if score == max(scores.values())]
    return winners[0] if len(winners) == 1 else int(grid[next(iter(cells))])


REFERENCE_SOURCES = {"nearest_other_color": reference_nearest_other_color,
                     "neighbour_majority": reference_neighbour_majority}


def reference_recolor_objects(grid: np.ndarray, kind: int, keys: tuple[int, ...],
                              values: tuple[int, ...], bg: int) -> np.ndarray:
    feature, mode = divmod(kind, len(OBJECT_MODES))
    comps = reference_components(grid, mode, bg)
    table = dict(zip(keys, values))
    out = np.array(grid)
    for cells, value in zip(comps, reference_features(grid, comps, OBJECT_FEATURES[feature])):
        new = table.get(value, table.get(-1))
        if new is not None and new < 0:
            new = REFERENCE_SOURCES[COLOR_SOURCES[-1 - new]](grid, cells, bg)
        for r, c in cells:
            out[r, c] = grid[r, c] if new is None else new
    return out


@st.composite
def rules(draw: st.DrawFn, grid: np.ndarray) -> ObjectRule:
    """A rule of a random kind whose keys are mostly feature values the grid has, some random."""
    kind = draw(st.sampled_from(OBJECT_RULE_KINDS))
    bg = draw(colors)
    feature, mode = divmod(kind, len(OBJECT_MODES))
    comps = reference_components(grid, mode, bg)
    present = sorted(set(reference_features(grid, comps, OBJECT_FEATURES[feature]))) or [0]
    keys = draw(st.lists(st.one_of(st.sampled_from(present), st.integers(-1, 40)),
                         max_size=5, unique=True))
    values = st.one_of(colors, st.sampled_from(SOURCE_VALUES[:len(COLOR_SOURCES)]))
    return ObjectRule(kind, tuple(keys), tuple(draw(values) for _ in keys), bg)


@FAST
@given(grids(max_side=9, max_colors=3), st.data())
def test_recolor_objects_equals_its_reference(grid: np.ndarray, data: st.DataObject) -> None:
    rule = data.draw(rules(grid))
    before = grid.copy()
    out = recolor_objects(grid, *rule)
    assert np.array_equal(out, reference_recolor_objects(grid, *rule)), rule
    assert out.dtype == np.uint8 and not out.flags.writeable
    assert np.array_equal(grid, before)


def test_the_features_on_a_hand_made_grid() -> None:
    grid = make_grid([[1, 1, 1, 0, 2],
                      [1, 0, 1, 0, 0],
                      [1, 1, 1, 0, 3],
                      [0, 0, 0, 0, 3]])
    hole = object_rule_kind("has_hole", 0)
    assert recolor_objects(grid, hole, (1,), (5,)).tolist()[0] == [5, 5, 5, 0, 2]
    border = object_rule_kind("touches_border", 4)    # the background regions, 4-connected
    assert recolor_objects(grid, border, (0,), (7,))[1, 1] == 7
    rank = object_rule_kind("size_rank_asc", 0)       # the smallest object: the red cell
    assert recolor_objects(grid, rank, (0,), (0,))[0, 4] == 0
    shapes = object_rule_kind("shape_count", 0)
    assert recolor_objects(grid, shapes, (1,), (4,)).tolist()[3] == [0, 0, 0, 0, 4]
    enclosed = object_rule_kind("size", 6)            # only the hole inside the blue ring
    assert recolor_objects(grid, enclosed, (1,), (6,)).tolist()[1] == [1, 6, 1, 0, 0]
    assert recolor_objects(grid, object_rule_kind("size", 4), (1,), (6,)).tolist()[1][1] == 6
    near_red = object_rule_kind("touches_color_2", 4)  # the background region beside red
    assert recolor_objects(grid, near_red, (1,), (9,)).tolist()[3] == [9, 9, 9, 9, 3]
    square = object_rule_kind("is_square", 0)          # the ring is no square: not filled
    assert recolor_objects(grid, square, (1,), (8,)).tolist()[0] == [1, 1, 1, 0, 8]
    extreme = object_rule_kind("size_extreme", 0)      # largest ring, smallest red, green other
    assert recolor_objects(grid, extreme, (0, 1, 2), (4, 5, 6)).tolist()[2] == [4, 4, 4, 0, 6]
    parity = object_rule_kind("size_parity", 0)        # even sizes blue, others default 7
    assert recolor_objects(grid, parity, (0, -1), (1, 7)).tolist()[2] == [1, 1, 1, 0, 1]
    assert recolor_objects(grid, parity, (0, -1), (1, 7)).tolist()[0] == [1, 1, 1, 0, 7]


@pytest.mark.parametrize("kind, keys, values, reason", [
    (len(OBJECT_RULE_KINDS), (), (), "kind"), (-1, (), (), "kind"),
    (0, (1, 2), (1,), "keys but"), (0, (1, 1), (1, 2), "twice"),
    (0, (-2,), (1,), "below -1"), (3, (1,), (10,), "colours"),
    (3, (1,), (SOURCE_VALUES[0] - 1,), "sources"),
])
def test_recolor_objects_error_contract(kind: int, keys: tuple, values: tuple,
                                        reason: str) -> None:
    with pytest.raises(EvalError, match=reason):
        recolor_objects(make_grid([[0, 2], [0, 0]]), kind, keys, values)


def test_the_colour_sources_on_a_hand_made_grid() -> None:
    grid = make_grid([[4, 4, 4, 4, 4, 4],
                      [0, 3, 0, 0, 0, 0],
                      [0, 0, 0, 0, 3, 0],
                      [0, 2, 2, 2, 0, 0],
                      [0, 2, 1, 2, 0, 1],
                      [0, 0, 0, 0, 0, 0]])
    by_colour = object_rule_kind("color", 0)
    nearest = recolor_objects(grid, by_colour, (3,), (source_value("nearest_other_color"),))
    assert nearest[1, 1] == 4 and nearest[2, 4] == 3   # tie between yellow and red: kept
    majority = recolor_objects(grid, by_colour, (1,), (source_value("neighbour_majority"),))
    assert majority[4, 2] == 2 and majority[4, 5] == 0     # inside red; alone on black


# --- learning a rule from train pairs -----------------------------------------------------------

def scattered(shape: tuple[int, int], pieces: list[tuple[int, int, int, int, int]]
              ) -> np.ndarray:
    """A black grid with solid rectangles (top, left, height, width, colour)."""
    grid = np.zeros(shape, np.uint8)
    for top, left, h, w, colour in pieces:
        grid[top:top + h, left:left + w] = colour
    return make_grid(grid)


def rule_task(kind: int, keys: tuple, values: tuple, inputs: list[np.ndarray],
              test_input: np.ndarray) -> Challenge:
    return Challenge("objects", tuple(Example(g, recolor_objects(g, kind, keys, values))
                                      for g in inputs), (test_input,))


def identity_values(task: Challenge) -> tuple:
    return (*(ex.input for ex in task.train), *task.test_inputs)


def learned_answer(task: Challenge, bg: int = 0) -> np.ndarray | None:
    rule = learn_object_rule(identity_values(task), task, bg)
    return None if rule is None else recolor_objects(task.test_inputs[0], *rule)


BARS = [scattered((8, 8), [(0, 0, 4, 1, 5), (0, 2, 2, 1, 5), (0, 4, 6, 1, 5), (0, 6, 1, 1, 5)]),
        scattered((8, 8), [(1, 1, 3, 1, 5), (1, 3, 7, 1, 5), (2, 5, 1, 1, 5), (0, 7, 5, 1, 5)]),
        scattered((8, 8), [(0, 0, 2, 1, 5), (0, 2, 8, 1, 5), (3, 4, 4, 1, 5), (3, 6, 1, 1, 5)])]
BARS_TEST = scattered((9, 9), [(0, 1, 6, 1, 5), (0, 3, 9, 1, 5), (2, 5, 2, 1, 5), (1, 7, 3, 1, 5)])


def test_recolouring_by_size_rank_is_recovered() -> None:
    kind = object_rule_kind("size_rank_desc", 0)
    task = rule_task(kind, (0, 1, 2, 3), (1, 2, 3, 4), BARS, BARS_TEST)
    rule = learn_object_rule(identity_values(task), task, 0)
    assert rule is not None and OBJECT_FEATURES[rule.kind // len(OBJECT_MODES)] == "size_rank_desc"
    assert np.array_equal(learned_answer(task),
                          recolor_objects(BARS_TEST, kind, (0, 1, 2, 3), (1, 2, 3, 4)))


BLOBS = [scattered((7, 7), [(0, 0, 2, 2, 3), (3, 3, 1, 2, 4), (2, 5, 2, 2, 3), (5, 1, 2, 1, 4)]),
         scattered((7, 7), [(2, 2, 2, 2, 4), (0, 6, 3, 1, 3), (5, 0, 2, 3, 3), (0, 0, 1, 1, 4)]),
         scattered((6, 8), [(1, 1, 1, 3, 3), (3, 5, 3, 3, 4), (2, 0, 1, 1, 4), (4, 2, 1, 1, 3)])]
BLOBS_TEST = scattered((8, 8), [(0, 3, 2, 2, 4), (3, 1, 2, 2, 3), (7, 7, 1, 1, 3),
                                (4, 5, 1, 1, 4)])


def test_deleting_the_objects_that_touch_the_border_is_recovered() -> None:
    kind = object_rule_kind("touches_border", 0)
    task = rule_task(kind, (1,), (0,), BLOBS, BLOBS_TEST)
    assert np.array_equal(learned_answer(task), recolor_objects(BLOBS_TEST, kind, (1,), (0,)))


SHAPES = [scattered((7, 7), [(0, 0, 1, 2, 2), (3, 3, 1, 2, 2), (5, 0, 2, 2, 2), (0, 5, 3, 1, 2)]),
          scattered((7, 7), [(0, 0, 2, 1, 2), (0, 3, 2, 1, 2), (4, 4, 1, 3, 2), (5, 0, 1, 1, 2)]),
          scattered((7, 8), [(0, 0, 2, 2, 2), (4, 4, 2, 2, 2), (0, 5, 1, 3, 2), (5, 0, 2, 1, 2)])]
SHAPES_TEST = scattered((8, 8), [(0, 0, 1, 3, 2), (3, 3, 1, 3, 2), (6, 0, 2, 2, 2),
                                 (0, 6, 2, 1, 2)])


def test_recolouring_the_shapes_seen_once_is_recovered() -> None:
    kind = object_rule_kind("shape_count", 0)
    task = rule_task(kind, (1,), (8,), SHAPES, SHAPES_TEST)
    assert np.array_equal(learned_answer(task), recolor_objects(SHAPES_TEST, kind, (1,), (8,)))


SPREAD = [scattered((9, 9), [(0, 0, 2, 3, 5), (3, 4, 1, 1, 5), (6, 0, 3, 1, 5), (5, 5, 2, 4, 5)]),
          scattered((9, 9), [(0, 6, 3, 2, 5), (4, 0, 1, 2, 5), (7, 3, 1, 5, 5), (0, 0, 1, 1, 5)]),
          scattered((9, 9), [(1, 1, 2, 3, 5), (5, 5, 3, 3, 5), (0, 7, 1, 2, 5), (5, 0, 4, 1, 5),
                             (8, 8, 1, 1, 5)])]
SPREAD_TEST = scattered((9, 9), [(0, 0, 3, 2, 5), (4, 3, 2, 4, 5), (7, 0, 2, 1, 5),
                                 (2, 7, 1, 1, 5)])


def test_a_table_with_a_default_is_recovered() -> None:
    """Six-cell objects turn red and all others blue, sizes the test has never shown included."""
    kind = object_rule_kind("size", 0)
    task = rule_task(kind, (-1, 6), (1, 2), SPREAD, SPREAD_TEST)
    rule = learn_object_rule(identity_values(task), task, 0)
    assert rule is not None and rule.keys == (-1, 6) and rule.values == (1, 2)
    assert np.array_equal(learned_answer(task), recolor_objects(SPREAD_TEST, kind, (-1, 6), (1, 2)))


def test_a_default_learned_from_one_pair_is_rejected() -> None:
    kind = object_rule_kind("size", 0)
    twice = scattered((9, 9), [(0, 0, 2, 3, 5), (4, 0, 3, 2, 5), (8, 8, 1, 1, 5), (0, 5, 1, 4, 5)])
    task = rule_task(kind, (-1, 6), (1, 2), [twice], SPREAD_TEST)
    assert learn_object_rule(identity_values(task), task, 0) is None


def test_a_default_needs_two_pairs_with_objects() -> None:
    """A blank pair adds no evidence: leaving the other pair out leaves an empty table."""
    kind = object_rule_kind("size", 0)
    twice = scattered((9, 9), [(0, 0, 2, 3, 5), (4, 0, 3, 2, 5), (8, 8, 1, 1, 5), (0, 5, 1, 4, 5)])
    task = rule_task(kind, (-1, 6), (1, 2), [twice, make_grid(np.zeros((9, 9), np.uint8))],
                     SPREAD_TEST)
    assert learn_object_rule(identity_values(task), task, 0) is None


def test_largest_and_smallest_take_two_colours() -> None:
    """Largest -> 1 and smallest -> 2 at once (sizes vary, so no size rank holds both)."""
    kind = object_rule_kind("size_extreme", 0)
    task = rule_task(kind, (0, 1), (1, 2), SPREAD, SPREAD_TEST)
    rule = learn_object_rule(identity_values(task), task, 0)
    assert rule is not None and OBJECT_FEATURES[rule.kind // len(OBJECT_MODES)] == "size_extreme"
    assert np.array_equal(learned_answer(task), recolor_objects(SPREAD_TEST, kind, (0, 1), (1, 2)))


RINGS = [scattered((8, 8), [(0, 0, 3, 3, 1), (4, 3, 4, 4, 1), (0, 5, 3, 3, 1)]),
         scattered((9, 9), [(1, 1, 4, 4, 1), (5, 5, 3, 3, 1), (0, 6, 4, 3, 1)]),
         scattered((9, 9), [(0, 0, 5, 5, 1), (6, 6, 3, 3, 1), (5, 0, 4, 4, 1)])]


def hollow(grid: np.ndarray) -> np.ndarray:
    """Each solid rectangle of the grid with its inside cleared (a one-cell-thick frame)."""
    out = np.array(grid)
    inner = (grid[1:-1, 1:-1] != 0) & (grid[:-2, 1:-1] != 0) & (grid[2:, 1:-1] != 0) & \
        (grid[1:-1, :-2] != 0) & (grid[1:-1, 2:] != 0)
    out[1:-1, 1:-1][inner] = 0
    return make_grid(out)


def test_enclosed_holes_are_filled_by_size_parity() -> None:
    """Holes of odd size turn 7, of even size 2; the outer background (never changed) is no
    enclosed region, so its size's parity does not conflict."""
    kind = object_rule_kind("size_parity", 6)
    inputs = [hollow(g) for g in RINGS]
    test = hollow(scattered((9, 9), [(0, 0, 4, 4, 1), (5, 4, 3, 3, 1)]))
    task = rule_task(kind, (0, 1), (2, 7), inputs, test)
    assert np.array_equal(learned_answer(task), recolor_objects(test, kind, (0, 1), (2, 7)))


MARKED = [scattered((10, 10), [(0, 1, 1, 1, 1), (0, 5, 1, 1, 4), (0, 8, 1, 1, 7),
                               (2, 0, 3, 3, 5), (2, 6, 2, 3, 5), (7, 3, 2, 4, 5)]),
          scattered((10, 10), [(0, 2, 1, 1, 6), (0, 6, 1, 1, 2), (3, 1, 4, 3, 5),
                               (2, 5, 2, 4, 5), (8, 7, 2, 2, 5)]),
          scattered((10, 10), [(0, 0, 1, 1, 3), (0, 4, 1, 1, 8), (0, 9, 1, 1, 1),
                               (3, 0, 2, 2, 5), (2, 4, 3, 2, 5), (5, 8, 4, 2, 5)])]
MARKED_TEST = scattered((10, 10), [(0, 1, 1, 1, 9), (0, 7, 1, 1, 4), (2, 0, 4, 4, 5),
                                   (3, 6, 2, 4, 5), (8, 2, 2, 3, 5)])


def test_colours_from_the_nearest_marker_are_recovered() -> None:
    """Grey blocks take the colour of the nearest marker: no constant table explains them."""
    kind, keys = object_rule_kind("color", 0), (5,)
    values = (source_value("nearest_other_color"),)
    task = rule_task(kind, keys, values, MARKED, MARKED_TEST)
    rule = learn_object_rule(identity_values(task), task, 0)
    assert rule is not None and min(rule.values) < 0
    assert np.array_equal(learned_answer(task), recolor_objects(MARKED_TEST, kind, keys, values))
    assert not (recolor_objects(MARKED_TEST, kind, keys, values) == 5).any()


def test_a_source_that_misses_one_block_is_rejected() -> None:
    kind, values = object_rule_kind("color", 0), (source_value("nearest_other_color"),)
    pairs = [Example(g, recolor_objects(g, kind, (5,), values)) for g in MARKED]
    wrong = np.array(pairs[2].output)
    wrong[wrong == 3] = 6                                 # a block and its marker: another colour
    pairs[2] = Example(MARKED[2], make_grid(np.where(MARKED[2] == 3, 3, wrong)))
    task = Challenge("missed", tuple(pairs), (MARKED_TEST,))
    assert learn_object_rule(identity_values(task), task, 0) is None


def speckled(shape: tuple[int, int], blocks: list[tuple[int, int, int, int, int]],
             specks: list[tuple[int, int, int]]) -> np.ndarray:
    """Solid rectangles with single cells (row, column, colour) drawn over them."""
    grid = np.array(scattered(shape, blocks))
    for row, col, colour in specks:
        grid[row, col] = colour
    return make_grid(grid)


SPECKLED = [speckled((8, 8), [(0, 0, 4, 4, 2), (5, 4, 3, 4, 2)],
                     [(1, 1, 1), (3, 3, 1), (6, 1, 1), (0, 6, 1), (6, 6, 1)]),
            speckled((8, 8), [(1, 2, 4, 5, 3), (6, 0, 2, 3, 3)],
                     [(2, 4, 8), (4, 2, 8), (0, 0, 8), (7, 1, 8), (7, 6, 8)]),
            speckled((8, 9), [(0, 3, 5, 5, 4)],
                     [(2, 5, 6), (0, 3, 6), (6, 0, 6), (7, 8, 6)])]
SPECKLED_TEST = speckled((9, 9), [(1, 1, 4, 4, 7), (5, 5, 4, 4, 7)],
                         [(2, 2, 9), (4, 1, 9), (7, 7, 9), (0, 8, 9), (8, 0, 9)])


def test_noise_taking_its_surroundings_colour_is_recovered() -> None:
    """Single cells of a colour that changes per pair take their surroundings' colour."""
    kind, keys = object_rule_kind("size", 0), (1,)
    values = (source_value("neighbour_majority"),)
    task = rule_task(kind, keys, values, SPECKLED, SPECKLED_TEST)
    expected = recolor_objects(SPECKLED_TEST, kind, keys, values)
    assert np.array_equal(learned_answer(task), expected)
    assert set(expected.ravel().tolist()) == {0, 7}


def test_noise_that_keeps_a_wrong_colour_in_one_pair_is_rejected() -> None:
    kind, values = object_rule_kind("size", 0), (source_value("neighbour_majority"),)
    pairs = [Example(g, recolor_objects(g, kind, (1,), values)) for g in SPECKLED]
    wrong = np.array(pairs[1].output)
    wrong[2, 4] = 5                                       # one speck turns grey, not green
    pairs[1] = Example(SPECKLED[1], make_grid(wrong))
    task = Challenge("noisy", tuple(pairs), (SPECKLED_TEST,))
    assert learn_object_rule(identity_values(task), task, 0) is None


def test_a_rule_with_a_source_prints_parses_and_runs() -> None:
    task = rule_task(object_rule_kind("color", 0), (5,),
                     (source_value("nearest_other_color"),), MARKED, MARKED_TEST)
    found = list(EnumerativeProposer().propose(
        task, analyse(task), Budget.from_seconds(60, work_limit=3000), Pool()))
    ruled = [c for c in found if "recolor_objects(" in c.program and verified(c, task)]
    assert ruled and "[-1]" in ruled[0].program, [c.program for c in found]
    program = parse_program(ruled[0].program)
    assert all(np.array_equal(out, ex.output) for out, ex in
               zip(run_program(program, [ex.input for ex in task.train]), task.train))


SIDED = [scattered((8, 8), [(0, 2, 2, 2, 5), (3, 0, 2, 1, 5), (3, 3, 2, 2, 5), (7, 5, 1, 2, 5),
                             (3, 7, 1, 1, 5)]),
         scattered((9, 9), [(0, 5, 1, 3, 5), (5, 0, 3, 2, 5), (3, 3, 3, 3, 5), (8, 4, 1, 1, 5),
                            (4, 8, 2, 1, 5)]),
         scattered((8, 9), [(0, 1, 3, 1, 5), (4, 0, 1, 1, 5), (2, 4, 2, 2, 5), (7, 4, 1, 3, 5),
                            (1, 8, 3, 1, 5)])]
SIDED_TEST = scattered((9, 9), [(0, 4, 2, 2, 5), (4, 0, 2, 2, 5), (3, 3, 2, 3, 5),
                                (8, 3, 1, 2, 5), (6, 8, 1, 1, 5)])


def test_colours_by_the_grid_side_an_object_touches_are_recovered() -> None:
    """Top 1, bottom 2, left 3, right 4, inner objects 6: one colour per side touched."""
    kind = object_rule_kind("border_sides", 0)
    keys, values = (0, 1, 2, 4, 8), (6, 1, 2, 3, 4)
    task = rule_task(kind, keys, values, SIDED, SIDED_TEST)
    rule = learn_object_rule(identity_values(task), task, 0)
    assert rule is not None and OBJECT_FEATURES[rule.kind // len(OBJECT_MODES)] == "border_sides"
    assert np.array_equal(learned_answer(task), recolor_objects(SIDED_TEST, kind, keys, values))


def test_sides_that_disagree_across_pairs_are_rejected() -> None:
    kind = object_rule_kind("border_sides", 0)
    keys, values = (0, 1, 2, 4, 8), (6, 1, 2, 3, 4)
    pairs = [Example(g, recolor_objects(g, kind, keys, values)) for g in SIDED]
    pairs[2] = Example(SIDED[2], recolor_objects(SIDED[2], kind, keys, (6, 2, 1, 3, 4)))
    task = Challenge("sides", tuple(pairs), (SIDED_TEST,))
    assert learn_object_rule(identity_values(task), task, 0) is None


def test_objects_off_the_centre_column_are_deleted() -> None:
    kind = object_rule_kind("crosses_centre_col", 0)
    task = rule_task(kind, (0,), (0,), SIDED, SIDED_TEST)
    expected = recolor_objects(SIDED_TEST, kind, (0,), (0,))
    assert np.array_equal(learned_answer(task), expected)
    assert expected[0, 4] == 5 and expected[3, 3] == 5 and expected[4, 0] == 0


def test_the_position_features_on_a_hand_made_grid() -> None:
    grid = make_grid([[1, 0, 0, 2],
                      [0, 3, 0, 0],
                      [0, 0, 0, 4]])
    sides = object_rule_kind("border_sides", 0)      # 1 top-left, 2 top-right, 4 right-only
    assert recolor_objects(grid, sides, (5, 9, 8), (7, 6, 5)).tolist() == [
        [7, 0, 0, 6], [0, 3, 0, 0], [0, 0, 0, 4]]
    row = object_rule_kind("crosses_centre_row", 0)  # only the green cell is on the middle row
    assert recolor_objects(grid, row, (1,), (8,)).tolist()[1] == [0, 8, 0, 0]
    col = object_rule_kind("crosses_centre_col", 0)  # an even width: no cell is on the middle
    assert np.array_equal(recolor_objects(grid, col, (1,), (8,)), grid)


def test_changes_that_are_not_whole_objects_are_rejected() -> None:
    inputs = BLOBS
    outputs = []
    for grid in inputs:
        out = np.array(grid)
        out[np.nonzero(grid)[0][0], np.nonzero(grid)[1][0]] = 6   # one cell of one object
        outputs.append(make_grid(out))
    task = Challenge("cells", tuple(Example(g, o) for g, o in zip(inputs, outputs)),
                     (BLOBS_TEST,))
    assert learn_object_rule(identity_values(task), task, 0) is None


def test_a_conflicting_table_is_rejected() -> None:
    kind = object_rule_kind("size_rank_desc", 0)
    pairs = [Example(g, recolor_objects(g, kind, (0, 1, 2, 3), (1, 2, 3, 4))) for g in BARS[:2]]
    swapped = Example(BARS[2], recolor_objects(BARS[2], kind, (0, 1, 2, 3), (2, 1, 4, 3)))
    task = Challenge("conflict", (*pairs, swapped), (BARS_TEST,))
    assert learn_object_rule(identity_values(task), task, 0) is None


def test_a_key_seen_on_one_object_only_is_rejected() -> None:
    kind = object_rule_kind("size", 0)
    inputs = [scattered((6, 6), [(0, 0, 1, 1, 3), (3, 3, 2, 2, 3)]),
              scattered((6, 6), [(1, 1, 1, 1, 3), (4, 0, 1, 2, 3)])]
    task = rule_task(kind, (4,), (5,), inputs, scattered((6, 6), [(2, 2, 2, 2, 3)]))
    assert learn_object_rule(identity_values(task), task, 0) is None


def test_nothing_to_learn_when_values_already_match_or_shapes_differ() -> None:
    kind = object_rule_kind("size_rank_desc", 0)
    task = rule_task(kind, (0, 1, 2, 3), (1, 2, 3, 4), BARS, BARS_TEST)
    outputs = (*(ex.output for ex in task.train), *task.test_inputs)
    assert learn_object_rule(outputs, task, 0) is None
    cropped = (*(ex.input[:3, :3] for ex in task.train), *task.test_inputs)
    assert learn_object_rule(cropped, task, 0) is None


@FAST
@given(st.lists(grids(min_side=2, max_side=7, max_colors=3), min_size=2, max_size=3),
       st.data())
def test_a_learned_rule_reproduces_every_train_output(inputs: list, data: st.DataObject
                                                       ) -> None:
    rule = data.draw(rules(inputs[0]))
    task = Challenge("r", tuple(Example(g, recolor_objects(g, *rule)) for g in inputs[1:]),
                     (inputs[0],))
    learned = learn_object_rule(identity_values(task), task, rule.bg)
    if learned is not None:
        assert all(np.array_equal(recolor_objects(ex.input, *learned), ex.output)
                   for ex in task.train)


# --- the enumerative proposer -------------------------------------------------------------------

def test_the_enumerative_proposer_solves_an_object_rule_task() -> None:
    kind = object_rule_kind("size_rank_desc", 0)
    task = rule_task(kind, (0, 1, 2, 3), (1, 2, 3, 4), BARS, BARS_TEST)
    found = list(EnumerativeProposer().propose(
        task, analyse(task), Budget.from_seconds(60, work_limit=3000), Pool()))
    ruled = [c for c in found if "recolor_objects(" in c.program and verified(c, task)]
    assert ruled, [c.program for c in found]
    program = parse_program(ruled[0].program)
    assert all(np.array_equal(out, ex.output) for out, ex in
               zip(run_program(program, [ex.input for ex in task.train]), task.train))
    answer = run_program(program, [BARS_TEST])[0]
    assert np.array_equal(answer, recolor_objects(BARS_TEST, kind, (0, 1, 2, 3), (1, 2, 3, 4)))
    assert ruled[0].prior < 1.0


def test_rules_are_offered_even_when_an_exact_program_is_found() -> None:
    task = rule_task(object_rule_kind("size", 0), (1,), (0,), BARS, BARS_TEST)  # = denoise
    found = list(EnumerativeProposer().propose(
        task, analyse(task), Budget.from_seconds(60, work_limit=3000), Pool()))
    exact = [c for c in found if c.prior == 1.0 and verified(c, task)]
    ruled = [c for c in found if c.prior == 0.85 and verified(c, task)]
    assert exact and any("recolor_objects(" in c.program for c in ruled)
    outputs = [value_key(c.test_outputs) for c in ruled]
    assert len(outputs) == len(set(outputs)), "one rule per distinct test output"
