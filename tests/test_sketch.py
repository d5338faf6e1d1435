"""The sketch proposer: holes, value order, Z3 constraints, and filling near-miss programs."""
from __future__ import annotations

import time

import numpy as np
import z3

from dsl.parser import parse_program
from dsl.printer import format_program
from dsl.registry import default_registry
from synth.analysis.features import analyse
from synth.proposers.base import Budget, Pool, ProgramCandidate
from synth.proposers.sketch import (SENTINEL, ColorConstraints, ColorSolver, Hole,
                                    SketchProposer, assignments, color_constraints, find_holes,
                                    run, solve_colors)
from synth.data.task import Challenge, Example, Task, make_grid
from synth.select.verify import verified


def make_task(pairs: list[tuple[list, list]], tests: list[tuple[list, list]]) -> Challenge:
    """A challenge (the test outputs are dropped: a proposer never sees them)."""
    return Task("t", tuple(Example(make_grid(i), make_grid(o)) for i, o in pairs),
                tuple(Example(make_grid(i), make_grid(o)) for i, o in tests)).challenge()


# Blue cells become grey.
RECOLOR = make_task([([[1, 0, 0], [0, 0, 0], [0, 0, 1]], [[5, 0, 0], [0, 0, 0], [0, 0, 5]]),
                     ([[0, 1, 0], [0, 0, 0], [0, 0, 0]], [[0, 5, 0], [0, 0, 0], [0, 0, 0]])],
                    [([[0, 0, 0], [1, 0, 0], [0, 0, 0]], [[0, 0, 0], [5, 0, 0], [0, 0, 0]])])
# Everything moves two columns right.
SHIFT = make_task([([[1, 0, 0, 0, 0, 0]], [[0, 0, 1, 0, 0, 0]]),
                   ([[0, 2, 0, 0, 0, 0]], [[0, 0, 0, 2, 0, 0]])],
                  [([[3, 0, 0, 0, 0, 0]], [[0, 0, 3, 0, 0, 0]])])
# Blue cells move two columns right and become grey.
SHIFT_RECOLOR = make_task([([[1, 0, 0, 0, 0, 0]], [[0, 0, 5, 0, 0, 0]]),
                           ([[0, 1, 0, 0, 0, 0]], [[0, 0, 0, 5, 0, 0]])],
                          [([[0, 0, 1, 0, 0, 0]], [[0, 0, 0, 0, 5, 0]])])


def program(body: str) -> str:
    return format_program(parse_program(f"solve(I: Grid) -> Grid:\n    O = {body}\n"))


def candidate(text: str, task: Challenge, proposer: str = "enumerative") -> ProgramCandidate:
    outputs = run(parse_program(text), list(task.inputs))
    assert outputs is not None
    n = len(task.train)
    return ProgramCandidate(text, proposer, tuple(outputs[:n]), tuple(outputs[n:]))


def propose(proposer: SketchProposer, task: Challenge, *texts: str, seconds: float = 10.0
            ) -> list[ProgramCandidate]:
    pool = Pool([candidate(t, task) for t in texts])
    found = list(proposer.propose(task, analyse(task), Budget.from_seconds(seconds), pool))
    assert all(isinstance(c, ProgramCandidate) and verified(c, task) for c in found)
    assert all(c.proposer == "sketch" for c in found)
    return found


def test_holes_follow_parameter_types() -> None:
    registry = default_registry()
    text = ("solve(I: Grid) -> Grid:\n    x1 = objects(I, connect=8)\n"
            "    x2 = map_colors(I, [1, 2], [red, 3])\n"
            "    O = shift(replace(x2, 1, green), 0, 1)\n")
    holes = find_holes(parse_program(text), registry)
    assert [(h.kind, h.value) for h in holes] == [
        ("color", 1), ("color", 2), ("color", 2), ("color", 3),   # list items of map_colors
        ("color", 1), ("color", 3), ("int", 0), ("int", 1)]       # `1` in a Color slot; no connect
    assert holes[-1].domain == (-3, -2, -1, 0, 1, 2, 3)


def test_assignments_change_fewest_holes_nearest_first() -> None:
    holes = [Hole(0, "color", 3), Hole(1, "int", 2)]
    order = list(assignments(holes, [0, 3, 5]))
    assert order[0] == (3, 2)
    assert order[1:5] == [(0, 2), (5, 2), (3, 1), (3, 3)]
    assert all(a != 3 and b != 2 for a, b in order[-10:])
    assert len(order) == len(set(order)) == 3 * len(holes[1].options([]))


def test_color_constraints_and_z3() -> None:
    want = [make_grid([[5, 0], [0, 5]])]
    out = [make_grid([[SENTINEL, 0], [0, SENTINEL]])]
    constraints = color_constraints(out, want, 1)
    assert constraints == ColorConstraints(frozenset({(0, 5)}), True)
    assert solve_colors(constraints, [3], 200) == ("sat", (5,))
    clash = color_constraints([make_grid([[SENTINEL, SENTINEL], [0, 5]])], want, 1)
    assert solve_colors(clash, [3], 200) == ("unsat", None)
    wrong_rest = color_constraints([make_grid([[SENTINEL, 1], [0, SENTINEL]])], want, 1)
    assert not wrong_rest.consistent and solve_colors(wrong_rest, [3], 200)[0] == "unsat"
    assert not color_constraints([make_grid([[SENTINEL]])], want, 1).consistent
    assert solve_colors(ColorConstraints(frozenset(), True), [7], 200) == ("sat", (7,))
    solver = ColorSolver(1)     # one solver, many queries: each is pushed and popped
    assert [solver.solve(c, [3], 200)[0] for c in (clash, constraints, wrong_rest,
                                                    constraints)] == ["unsat", "sat"] * 2


def test_wrong_colour_is_fixed_by_z3() -> None:
    proposer = SketchProposer()
    found = propose(proposer, RECOLOR, program("replace(I, 1, green)"))
    assert [c.program for c in found] == [program("replace(I, 1, grey)")]
    assert found[0].prior == 0.6
    assert proposer.stats()["z3_sat"] == 1 and proposer.stats()["filled_by"] == ["z3"]
    assert proposer.stats()["enumerated"] == 0 and proposer.stats()["filled"] == 1


def test_unsat_sketch_yields_nothing() -> None:
    proposer = SketchProposer()
    assert propose(proposer, RECOLOR, program("replace(flip_h(I), 1, green)")) == []
    assert proposer.stats()["z3_unsat"] >= 1 and proposer.stats()["z3_sat"] == 0
    assert proposer.stats()["enumerated"] == 0 and proposer.stats()["sketches"] == 1


def test_z3_timeout_falls_back_to_enumeration(monkeypatch) -> None:
    monkeypatch.setattr(z3.Solver, "check", lambda self, *args: z3.unknown)
    proposer = SketchProposer(z3_timeout_ms=1)
    found = propose(proposer, RECOLOR, program("replace(I, 1, green)"))
    assert [c.program for c in found] == [program("replace(I, 1, grey)")]
    assert proposer.stats()["z3_timeout"] == 1 and proposer.stats()["enumerated"] == 1
    assert proposer.stats()["filled_by"] == ["enumeration"]


def test_z3_disabled_enumerates() -> None:
    proposer = SketchProposer(enabled_z3=False)
    found = propose(proposer, RECOLOR, program("replace(I, 1, green)"))
    assert [c.program for c in found] == [program("replace(I, 1, grey)")]
    assert proposer.stats()["z3_sat"] == proposer.stats()["z3_unsat"] == 0
    assert proposer.stats()["filled_by"] == ["enumeration"]


def test_int_hole_is_fixed_by_enumeration() -> None:
    proposer = SketchProposer()
    found = propose(proposer, SHIFT, program("shift(I, 0, 1)"))
    assert [c.program for c in found] == [program("shift(I, 0, 2)")]
    assert proposer.stats()["filled_by"] == ["enumeration"]
    assert proposer.stats()["z3_not_applicable"] == 1 and proposer.stats()["enumerated"] == 1
    assert proposer.stats()["evaluations"] <= 10


def test_int_and_colour_holes_together() -> None:
    proposer = SketchProposer()
    found = propose(proposer, SHIFT_RECOLOR, program("replace(shift(I, 0, 1), 1, green)"))
    assert [c.program for c in found] == [program("replace(shift(I, 0, 2), 1, grey)")]
    assert proposer.stats()["filled_by"] == ["z3"] and proposer.stats()["z3_unsat"] >= 1


def test_colour_holes_that_never_paint_are_not_for_z3() -> None:
    proposer = SketchProposer()
    found = propose(proposer, RECOLOR, program("replace(I, 2, grey)"))
    assert [c.program for c in found] == [program("replace(I, blue, grey)")]
    assert proposer.stats()["z3_not_applicable"] == 1
    assert proposer.stats()["filled_by"] == ["enumeration"]


def test_verified_and_known_programs_are_not_reproposed() -> None:
    proposer = SketchProposer()
    assert propose(proposer, RECOLOR, program("replace(I, 1, grey)")) == []
    assert proposer.stats()["sketches"] == 0
    assert propose(proposer, RECOLOR, program("replace(I, 1, grey)"),
                   program("replace(I, 1, green)")) == []
    assert proposer.stats()["z3_sat"] == 1 and proposer.stats()["filled"] == 0


def test_poor_near_misses_are_skipped() -> None:
    proposer = SketchProposer(min_accuracy=0.95)
    assert propose(proposer, RECOLOR, program("replace(I, 1, green)")) == []
    assert proposer.stats()["sketches"] == 0


def test_budget_expiry_stops_promptly() -> None:
    texts = [program(f"shift(replace(flip_h(I), {a}, {b}), 0, 1)")
             for a in range(4) for b in range(6)]
    pool = Pool([candidate(t, SHIFT) for t in texts])
    proposer = SketchProposer(enabled_z3=False, max_evaluations=2000)   # ~4 s unbounded
    assert list(proposer.propose(SHIFT, analyse(SHIFT), Budget(time.monotonic() - 1), pool)) == []
    assert proposer.stats()["evaluations"] == 0
    start = time.monotonic()
    found = list(proposer.propose(SHIFT, analyse(SHIFT), Budget.from_seconds(0.2), pool))
    assert time.monotonic() - start < 1.5
    assert all(verified(c, SHIFT) for c in found)
    assert 0 < proposer.stats()["evaluations"] < proposer.stats()["sketches"] * 2000


def test_yielded_outputs_are_the_programs_outputs() -> None:
    proposer = SketchProposer()
    [found] = propose(proposer, RECOLOR, program("replace(I, 1, green)"))
    rerun = run(parse_program(found.program), list(RECOLOR.inputs))
    assert rerun is not None
    assert all(np.array_equal(a, b)
               for a, b in zip(rerun, found.train_outputs + found.test_outputs))
