"""The closure's per-task table: which rows a task's train pairs leave worth applying,
checked against the golden programs of the arc1-train library, and the proposer using it."""
from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pytest

from dsl import ast
from dsl.parser import parse_program
from native import closure as native
from synth.analysis.features import analyse
from synth.data.datasets import load_dataset
from synth.data.golden import LIBRARY_ROOT, library_files
from synth.data.task import Challenge, Example, Task, make_grid
from synth.proposers.base import Budget, Pool
from synth.proposers.closure import ClosureProposer
from synth.search.closure import (INPUT_VAR, KEEPING_KINDS, SHRINKING_KINDS, TableScope,
                                  Transform, table_scope, task_table, transform_table)

FULL_TABLE = transform_table(range(10), range(10), 0)
GOLDEN = LIBRARY_ROOT / "arc1-train"
# the primitives whose literal colour argument (at this position) is painted on the grid
PAINTED_ARG = {"replace": 2, "recolor_all": 1, "fill_enclosed": 1, "draw_border": 1, "pad": 2,
               "outline": 2}
FINISHING_CALLS = frozenset({"map_colors", "overlay"})
WORD = re.compile(r"\b[a-z_][a-z0-9_]*\b")
CALL = re.compile(r"\b([a-z_][a-z0-9_]*)\(")


def row_calls(row: Transform) -> frozenset[str]:
    """The primitive (and key) names a row's DSL expression calls."""
    return frozenset(WORD.findall(_text(row.expr(ast.Var(INPUT_VAR))))) - {INPUT_VAR.lower()}


def _text(expr: ast.Expr) -> str:
    if isinstance(expr, ast.Call):
        parts = [_text(a) for a in expr.args] + [_text(v) for _, v in expr.kwargs]
        return f"{expr.func}({', '.join(parts)})"
    if isinstance(expr, ast.Var):
        return expr.name
    if isinstance(expr, ast.ListLit):
        return " ".join(_text(item) for item in expr.items)
    return ""


def kind_calls() -> dict[int, set[frozenset[str]]]:
    """Per kernel kind, the call sets of its rows in the full table."""
    out: dict[int, set[frozenset[str]]] = {}
    for row in FULL_TABLE:
        out.setdefault(row.kind, set()).add(row_calls(row))
    return out


def golden_words() -> dict[str, set[str]]:
    """The names each golden program of arc1-train uses, by task id."""
    return {path.stem: set(WORD.findall(path.read_text()))
            for path in library_files(GOLDEN)}


@pytest.fixture(scope="module")
def train_tasks() -> dict[str, Task]:
    return {task.id: task for task in load_dataset("arc1:train").tasks()}


def scope_of(task: Task) -> TableScope:
    analysis = analyse(Challenge(task.id, task.train, tuple(ex.input for ex in task.test)))
    return table_scope(analysis.input_palette, analysis.output_palette, analysis.background,
                       [(ex.input.shape, ex.output.shape) for ex in task.train])


def test_a_task_table_keeps_the_full_tables_order() -> None:
    scope = table_scope({0, 1, 2}, {0, 3}, 0, [((3, 3), (3, 3))])
    table = task_table(scope)
    full = transform_table({0, 1, 2}, {0, 3}, 0, hollowed={0, 1, 2, 3})
    places = [full.index(row) for row in table]
    assert places == sorted(places) and 0 < len(table) < len(full)


def test_rows_paint_only_output_colours_and_the_background() -> None:
    scope = table_scope({1, 2, 5}, {2, 4}, 5, [((3, 3), (6, 6))])
    assert scope.paints == {2, 4, 5} and not scope.same_shape
    table = task_table(scope)
    painted = {row.params[1] for row in table if row.kind == native.REPLACE} | \
        {row.params[0] for row in table if row.kind in (native.RECOLOR_ALL, native.FILL_ENCLOSED,
                                                          native.DRAW_BORDER, native.OUTLINE)} | \
        {row.params[1] for row in table if row.kind == native.PAD}
    assert painted == {2, 4, 5}
    assert {row.params[0] for row in table if row.kind == native.KEEP_COLOR} == {1, 2}
    assert {row.params[0] for row in table if row.kind == native.REPLACE} == {1, 2, 5}


def test_object_parts_are_painted_only_in_colours_no_input_has() -> None:
    table = task_table(table_scope({0, 1, 2}, {0, 2, 4, 8}, 0, [((3, 3), (3, 3))]))
    parts = [row for row in table if row.kind == native.PAINT_PARTS]
    assert {row.params[1] for row in parts} == {4, 8}
    assert {row.params[0] for row in parts} == set(range(native.N_PARTS))
    assert not any(row.kind == native.PAINT_PARTS for row in task_table(
        table_scope({0, 1, 2}, {0, 2}, 0, [((3, 3), (3, 3))])))


def test_same_shape_tasks_go_without_the_shrinking_kinds() -> None:
    same = task_table(table_scope({0, 1, 2}, {0, 1, 2}, 0, [((3, 4), (3, 4)), ((5, 5), (5, 5))]))
    resized = task_table(table_scope({0, 1, 2}, {0, 1, 2}, 0,
                                     [((3, 4), (3, 4)), ((5, 5), (2, 2))]))
    assert not {row.kind for row in same} & SHRINKING_KINDS
    assert SHRINKING_KINDS <= {row.kind for row in resized}
    assert KEEPING_KINDS <= {row.kind for row in same}
    assert not {row.kind for row in resized} & KEEPING_KINDS
    assert len(resized) - len(same) == \
        sum(1 for row in resized if row.kind in SHRINKING_KINDS) - \
        sum(1 for row in same if row.kind in KEEPING_KINDS)


def test_no_golden_program_of_a_same_shape_task_uses_a_dropped_kind(
        train_tasks: dict[str, Task]) -> None:
    calls = kind_calls()
    checked = 0
    for task_id, words in golden_words().items():
        if not scope_of(train_tasks[task_id]).same_shape:
            continue
        checked += 1
        used = [kind for kind in SHRINKING_KINDS if any(c <= words for c in calls[kind])]
        assert not used, (task_id, used)
    assert checked > 100


def _painted_literals(program: ast.Program) -> Iterator[int]:
    """The literal colours a program paints with through the closure's paint primitives."""
    def walk(expr: ast.Expr) -> Iterator[ast.Expr]:
        yield expr
        if isinstance(expr, ast.Call):
            for arg in (*expr.args, *(v for _, v in expr.kwargs)):
                yield from walk(arg)
    for definition in program.definitions:
        for statement in definition.body:
            for expr in walk(statement.expr):
                if isinstance(expr, ast.Call) and len(expr.args) > PAINTED_ARG.get(expr.func, 99):
                    arg = expr.args[PAINTED_ARG[expr.func]]
                    if isinstance(arg, ast.Literal):
                        yield int(arg.value)


def test_golden_programs_within_the_closures_reach_paint_only_kept_colours(
        train_tasks: dict[str, Task]) -> None:
    reach = set().union(*(row_calls(row) for row in FULL_TABLE)) | FINISHING_CALLS
    checked = 0
    for path in library_files(GOLDEN):
        text = path.read_text()
        if not set(CALL.findall(text)) - {"solve"} <= reach:
            continue
        checked += 1
        paints = scope_of(train_tasks[path.stem]).paints
        assert set(_painted_literals(parse_program(text))) <= paints, path.stem
    assert checked > 20


def test_the_proposer_applies_the_task_table() -> None:
    rng = np.random.default_rng(3)
    inputs = [rng.choice([0, 1, 2, 6], size=(5, 6)).astype(np.uint8) for _ in range(3)]
    train = tuple(Example(make_grid(g), make_grid(np.where(g == 6, 4, g)[::-1]))
                  for g in inputs[:2])
    task = Challenge("repaint", train, (make_grid(inputs[2]),))
    proposer = ClosureProposer()
    found = list(proposer.propose(task, analyse(task), Budget.from_seconds(60), Pool()))
    scope = table_scope({0, 1, 2, 6}, {0, 1, 2, 4}, 0, [((5, 6), (5, 6))] * 2)
    assert proposer.stats()["transforms"] == len(task_table(scope)) < len(
        transform_table({0, 1, 2, 6}, {0, 1, 2, 4, 6}, 0))
    assert any(c.prior == 1.0 and "replace(" in c.program for c in found)


def test_every_colour_of_the_task_is_hollowed_even_one_no_output_has() -> None:
    table = task_table(table_scope({0, 1, 2}, {0, 2}, 0, [((3, 3), (3, 3))]))
    (hollow,) = [row for row in table if row.kind == native.HOLLOW]
    assert hollow.params[0] == 2 ** 1 + 2 ** 2
    assert {row.params[0] for row in table if row.kind == native.RECOLOR_ALL} == {2}
