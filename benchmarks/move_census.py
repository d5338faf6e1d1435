"""Census of the training tasks whose changes are moves: objects erased in one place, drawn anew.

    python benchmarks/move_census.py [--json OUT]

For every `arc1:train` task whose train outputs have their inputs' shapes, segments each train
input (single-colour 4- and 8-connected objects, multicolour 8-connected objects, of the cells
that are not the task's background, `synth.analysis.features.background_color`) and looks for
input objects found translated in the output (same cells, same colours). A pair is *explained*
when every changed cell is a cell of a translated copy, a cell of a moved object that became
background, or a cell of an object that vanished (all its cells background in the output, no
copy of it found); the task is a *move* task when every train pair with changes is explained
under one segmentation (a *copy* task when no moved object's old cells were erased), and a
*move_vanish* task when moves explain it only with some objects vanishing. Per moved object it
records the offset and what could explain it:

- `contact`: the offset is along a row or column, and one more step would leave the grid or hit
  a cell that is not background (the object itself erased first): a slide until contact,
  with `contact_wall` when the grid edge stops it and `contact_color_c` when a cell of colour c;
- `own_size`: the offset is the object's own height or width along one axis;
- `constant`: every moved object of the task has the same offset;
- `to_marker`: the moved copy covers a cell whose input colour was neither background nor the
  object's (a marker it lands on).

Prints the class counts and the tasks. It reads only the training set.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

import numpy as np

from dsl.primitives.objects import segment_objects
from synth.analysis.features import background_color
from synth.data.datasets import load_dataset
from synth.data.task import Task

SEGMENTATIONS = ("single-colour 4-connected", "single-colour 8-connected",
                 "multicolour 8-connected")
MAX_OFFSETS = 4  # candidate offsets kept per object (nearest first)


def components(grid: np.ndarray, seg: int, bg: int) -> list[np.ndarray]:
    """The cells (rows, cols as a (k, 2) array) of each object of a segmentation."""
    if seg < 2:
        comp, n = segment_objects(grid, seg, bg)
    else:
        mask = (grid != bg).astype(np.uint8)
        comp, n = segment_objects(mask, 1, 0)
    return [np.argwhere(comp == i) for i in range(n)]


def offsets(grid: np.ndarray, out: np.ndarray, cells: np.ndarray, bg: int
            ) -> list[tuple[int, int]]:
    """Non-zero offsets at which the object's cells and colours are found in the output, and
    whose copy lands on at least one cell that changed (nearest first)."""
    h, w = grid.shape
    colours = grid[cells[:, 0], cells[:, 1]]
    found = []
    for dr in range(-h + 1, h):
        for dc in range(-w + 1, w):
            if dr == dc == 0:
                continue
            rows, cols = cells[:, 0] + dr, cells[:, 1] + dc
            if rows.min() < 0 or cols.min() < 0 or rows.max() >= h or cols.max() >= w:
                continue
            if np.array_equal(out[rows, cols], colours) and \
                    (grid[rows, cols] != out[rows, cols]).any():
                found.append((dr, dc))
    found.sort(key=lambda o: abs(o[0]) + abs(o[1]))
    return found[:MAX_OFFSETS]


def explain_pair(grid: np.ndarray, out: np.ndarray, seg: int, bg: int
                 ) -> tuple[list[dict[str, Any]], int] | None:
    """The moved objects of one pair under a segmentation and how many objects vanished, or
    None when some changed cell is neither in a translated copy, an erased old cell nor a
    vanished object's cell."""
    changed = grid != out
    moves = []
    vanished = 0
    covered = np.zeros(grid.shape, bool)
    for cells in components(grid, seg, bg):
        found = offsets(grid, out, cells, bg)
        if not found:
            if (out[cells[:, 0], cells[:, 1]] == bg).all():
                vanished += 1
                covered[cells[:, 0], cells[:, 1]] = True
            continue
        dr, dc = found[0]
        old = np.zeros(grid.shape, bool)
        old[cells[:, 0], cells[:, 1]] = True
        new = np.zeros(grid.shape, bool)
        new[cells[:, 0] + dr, cells[:, 1] + dc] = True
        erased = bool((old & ~new & (out == bg)).sum() == (old & ~new).sum())
        covered |= new | (old & (out == bg))
        moves.append({"cells": cells, "offset": (dr, dc), "erased": erased,
                      "colour": int(grid[cells[0, 0], cells[0, 1]]), "old": old, "new": new})
    if not moves or (changed & ~covered).any():
        return None
    return moves, vanished


def reasons(grid: np.ndarray, move: dict[str, Any], bg: int) -> list[str]:
    """What could explain one move (see the module docstring)."""
    dr, dc = move["offset"]
    cells = move["cells"]
    found = []
    rest = grid.copy()
    rest[move["old"]] = bg
    h, w = grid.shape
    if dr == 0 or dc == 0:
        step = (int(np.sign(dr)), int(np.sign(dc)))
        rows, cols = cells[:, 0] + dr + step[0], cells[:, 1] + dc + step[1]
        if rows.min() < 0 or cols.min() < 0 or rows.max() >= h or cols.max() >= w:
            found += ["contact", "contact_wall"]
        else:
            hit = rest[rows, cols]
            if (hit != bg).any():
                found += ["contact"] + [f"contact_color_{c}" for c in
                                        np.unique(hit[hit != bg]).tolist()]
    height = int(np.ptp(cells[:, 0])) + 1
    width = int(np.ptp(cells[:, 1])) + 1
    if (dc == 0 and abs(dr) == height) or (dr == 0 and abs(dc) == width):
        found.append("own_size")
    landing = grid[move["new"] & ~move["old"]]
    if ((landing != bg) & (landing != move["colour"])).any():
        found.append("to_marker")
    return found


def census_task(task: Task) -> dict[str, Any] | None:
    """The task's moves under the first segmentation that explains every changed pair."""
    if not all(ex.input.shape == ex.output.shape for ex in task.train):
        return None
    bg = background_color(task.challenge())
    for seg in range(len(SEGMENTATIONS)):
        pairs = []
        vanished = 0
        for ex in task.train:
            if np.array_equal(ex.input, ex.output):
                continue
            explained = explain_pair(ex.input, ex.output, seg, bg)
            if explained is None:
                break
            pairs.append((ex.input, explained[0]))
            vanished += explained[1]
        else:
            if not pairs:
                return None
            moved = [(g, m) for g, ms in pairs for m in ms]
            offsets_seen = {m["offset"] for _, m in moved}
            found = [reasons(g, m, bg) for g, m in moved]
            if len(offsets_seen) == 1:
                found = [f + ["constant"] for f in found]
            erased = all(m["erased"] for _, m in moved)
            kept = not any(m["old"][m["new"]].all() or m["erased"] for _, m in moved)
            kind = "move" if erased else "copy" if kept else "mixed"
            return {"segmentation": SEGMENTATIONS[seg],
                    "kind": f"{kind}_vanish" if vanished else kind,
                    "moves": [{"offset": list(m["offset"]), "colour": m["colour"],
                               "size": len(m["cells"]), "reasons": r}
                              for (_, m), r in zip(moved, found)]}
    return None


def task_class(entry: dict[str, Any]) -> str:
    """One class per task: the first reason every move of it shares, else 'other'."""
    shared = set.intersection(*(set(m["reasons"]) for m in entry["moves"]))
    for name in ("constant", "contact", "own_size", "to_marker"):
        if name in shared:
            return name
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the per-task census here")
    args = parser.parse_args()
    found = {}
    for task in load_dataset("arc1:train").tasks():
        entry = census_task(task)
        if entry is not None:
            entry["class"] = task_class(entry)
            found[task.id] = entry
    kinds = Counter(e["kind"] for e in found.values())
    print(f"{len(found)} same-shape training tasks explained by translated objects: "
          + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    for kind in kinds:
        classes = Counter(e["class"] for e in found.values() if e["kind"] == kind)
        print(f"{kind}:")
        for name, n in classes.most_common():
            ids = sorted(t for t, e in found.items() if e["kind"] == kind and e["class"] == name)
            print(f"  {name:10s} {n:3d}  {' '.join(ids)}")
    reasons_seen = Counter(r for e in found.values() if e["kind"] in ("move", "move_vanish")
                           for r in set.intersection(*(set(m["reasons"]) for m in e["moves"])))
    print("reasons shared by every move of a move task:",
          ", ".join(f"{r} {n}" for r, n in reasons_seen.most_common()))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(found, out, indent=1)


if __name__ == "__main__":
    main()
