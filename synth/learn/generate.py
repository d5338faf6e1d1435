"""Synthetic ARC tasks from the DSL (`synth data generate`).

`generate(GenerateConfig, out_dir)` samples well-typed programs with `dsl.generate.random_program`,
primitives weighted by their use in the training-set golden library (`primitive_weights`,
flattened by a temperature; with the `enumerator` vocabulary, `enumerator_weights` then scales
down the primitives the enumerator never builds and lifts the ones it builds to a floor), runs
them on the inputs of one real training task (arc1/arc2 train only) or on structured grids
(`synth.learn.grids`), keeps a task only if it passes `gate_reason` and is new (hash of its
inputs and outputs), and writes `DIR/tasks/<id>.json` (ARC format with test outputs),
`DIR/programs/<id>.dsl` and `DIR/index.json` (the curriculum: tasks ordered by program cost).
The same seed gives the same files.
"""
from __future__ import annotations

import hashlib
import itertools
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dsl import ast
from dsl.errors import DSLError
from dsl.compile import run_compiled
from dsl.generate import random_program
from dsl.interp import Budget, run_program
from dsl.parser import parse_program
from dsl.printer import format_program
from dsl.registry import Registry, default_registry
from dsl.typecheck import check_program
from synth.data.atomic import write_json_atomic, write_text_atomic
from synth.data.datasets import evaluation_ids, load_dataset
from synth.data.golden import DEFAULT_LIBRARY, library_files
from synth.data.task import Example, Grid, Task, valid_grid
from synth.learn.grids import structured_inputs
from synth.search.enumerate import DEFAULT_EXCLUDE

TRAIN_DATASETS = ("arc1:train", "arc2:train")
RUN_BUDGET = Budget(max_calls=5_000, max_cells=30 * 30 * 4, max_items=500)
VOCABULARIES = ("golden", "enumerator")


@dataclass(frozen=True)
class GenerateConfig:
    """Settings of one `synth data generate` run."""

    n: int
    seed: int = 0
    temperature: float = 1.0
    max_length: int = 4
    structured_share: float = 0.3
    max_tries: int | None = None  # candidate programs; default 400 per wanted task
    per_program: int = 3  # tasks at most per program text (on different inputs)
    vocabulary: str = "golden"  # one of VOCABULARIES
    excluded_scale: float = 0.05  # enumerator vocabulary: weight factor of excluded primitives
    floor_count: float = 8.0  # enumerator vocabulary: weight floor, in golden-library uses


@dataclass(frozen=True)
class Generated:
    """One kept synthetic task: its program, inputs' source and cost."""

    id: str
    task: Task
    program: ast.Program
    source: str
    statements: int
    prim_cost: int

    @property
    def cost(self) -> tuple[int, int]:
        """Curriculum key: statements, then total primitive cost."""
        return (self.statements, self.prim_cost)


@dataclass
class GenerateStats:
    """What a run did: candidates tried, rejections by gate, tasks kept, time."""

    tried: int = 0
    kept: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        """JSON-able figures, with tasks per minute."""
        return {"tried": self.tried, "kept": self.kept, "rejected": dict(self.rejected),
                "seconds": round(self.seconds, 3),
                "tasks_per_minute": round(60 * self.kept / self.seconds, 2) if self.seconds else 0}


# ---------------------------------------------------------------- primitive weights

def primitive_counts(files: Sequence[Path], registry: Registry) -> Counter[str]:
    """How often each primitive is called or named in the given golden programs."""
    counts: Counter[str] = Counter()
    for path in files:
        try:
            program = parse_program(path.read_text(encoding="utf-8"))
        except DSLError:
            continue
        counts.update(n for n in ast.program_names(program) if n in registry)
    return counts


def primitive_weights(registry: Registry, counts: Counter[str],
                      temperature: float = 1.0) -> list[float]:
    """One weight per primitive in registry order: (count + 1) ** (1 / temperature)."""
    return [(counts.get(p.name, 0) + 1) ** (1.0 / temperature) for p in registry]


def enumerator_weights(registry: Registry, weights: Sequence[float], temperature: float = 1.0,
                       excluded: frozenset[str] = DEFAULT_EXCLUDE, excluded_scale: float = 0.05,
                       floor_count: float = 8.0) -> list[float]:
    """Golden weights re-aimed at the enumerator's vocabulary: a primitive in `excluded` keeps
    `excluded_scale` of its weight; any other gets at least `(floor_count + 1) ** (1 /
    temperature)`, the weight of a primitive the golden library uses `floor_count` times."""
    floor = (floor_count + 1) ** (1.0 / temperature)
    return [w * excluded_scale if p.name in excluded else max(w, floor)
            for p, w in zip(registry, weights)]


def vocabulary_weights(config: GenerateConfig, registry: Registry) -> list[float]:
    """The sampling weight of each primitive (registry order) for the config's vocabulary."""
    if config.vocabulary not in VOCABULARIES:
        raise ValueError(f"unknown vocabulary {config.vocabulary!r}; choose from "
                         f"{', '.join(VOCABULARIES)}")
    weights = primitive_weights(registry, primitive_counts(library_files(DEFAULT_LIBRARY),
                                                           registry), config.temperature)
    if config.vocabulary == "golden":
        return weights
    return enumerator_weights(registry, weights, config.temperature,
                              excluded_scale=config.excluded_scale,
                              floor_count=config.floor_count)


# ---------------------------------------------------------------- running and gates

def run_outputs(program: ast.Program, grids: Sequence[Grid], registry: Registry,
                compiled: bool = True) -> list[Any]:
    """The program's value on each grid (an error or exception object where it failed)."""
    runner = run_compiled if compiled else run_program
    try:
        return runner(program, grids, registry, RUN_BUDGET)
    except Exception as err:  # noqa: BLE001 - a crashing primitive rejects the program
        return [err] * len(grids)


def same_grids(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """True when both are sequences of equal grids."""
    return len(a) == len(b) and all(
        isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and x.shape == y.shape
        and bool(np.array_equal(x, y)) for x, y in zip(a, b))


def prune(program: ast.Program) -> ast.Program:
    """Drop statements whose value the result does not use, fold a final
    `O = identity(x)` into the statement that makes `x`, and number the rest x1, x2, ..."""
    defn = program.entry
    needed = {defn.result}
    kept = []
    for stmt in reversed(defn.body):
        if stmt.target in needed:
            kept.append(stmt)
            needed.update(ast.names_used(stmt.expr))
    body = list(reversed(kept))
    if (_is_identity_result(body) and isinstance(body[-1].expr, ast.Call)
            and body[-1].expr.args == (ast.Var(body[-2].target),)):
        body = [*body[:-2], ast.Assign(body[-1].target, body[-2].expr)]
    for k, stmt in enumerate(body[:-1]):
        name = f"x{k + 1}"
        if stmt.target != name:
            body = [*body[:k], ast.Assign(name, stmt.expr),
                    *(ast.Assign(s.target, _rename(s.expr, stmt.target, name))
                      for s in body[k + 1:])]
    return ast.Program((ast.Definition(defn.name, defn.params, defn.returns, tuple(body)),))


def _rename(expr: ast.Expr, old: str, new: str) -> ast.Expr:
    if isinstance(expr, ast.Var):
        return ast.Var(new) if expr.name == old else expr
    if isinstance(expr, ast.Call):
        return ast.Call(expr.func, tuple(_rename(a, old, new) for a in expr.args),
                        tuple((k, _rename(v, old, new)) for k, v in expr.kwargs))
    if isinstance(expr, ast.ListLit):
        return ast.ListLit(tuple(_rename(i, old, new) for i in expr.items))
    if isinstance(expr, ast.Lambda) and old not in expr.params:
        return ast.Lambda(expr.params, _rename(expr.body, old, new))
    return expr


def cheaper_programs(program: ast.Program) -> Iterator[ast.Program]:
    """Smaller programs to compare against: the identity, every intermediate variable as the
    result, and the program with any set of statements bypassed (each one's uses replaced by
    its first variable argument). Some may not type-check; the caller skips those."""
    defn = program.entry
    header = (defn.name, defn.params, defn.returns)
    yield ast.Program((ast.Definition(*header, (ast.Assign("O", ast.Var("I")),)),))
    body = defn.body
    if _is_identity_result(body):  # `O = identity(x)`: x is the real result
        last = body[-1].expr.args[0]
        assert isinstance(last, ast.Var)
        body = (*body[:-1],) if body[-2].target == last.name else body
    for k in range(len(body) - 1):
        yield ast.Program((ast.Definition(*header, (*body[:k + 1], ast.Assign(
            "O", ast.Call("identity", (ast.Var(body[k].target),))))),))
    bypass = {j: _first_var_arg(stmt, body[:j]) for j, stmt in enumerate(body)}
    candidates = [j for j, arg in bypass.items() if arg is not None]
    for size in range(1, len(candidates) + 1):
        for dropped in itertools.combinations(reversed(candidates), size):
            stmts = list(body)
            for j in dropped:  # latest first, so chains of bypasses resolve
                arg = bypass[j]
                assert arg is not None
                if j == len(stmts) - 1:
                    stmts[j] = ast.Assign(stmts[j].target, ast.Call("identity", (arg,)))
                    continue
                stmts = [*stmts[:j + 1], *(ast.Assign(s.target, _rename(
                    s.expr, stmts[j].target, arg.name)) for s in stmts[j + 1:])]
            yield prune(ast.Program((ast.Definition(*header, tuple(stmts)),)))


def _first_var_arg(stmt: ast.Assign, before: Sequence[ast.Assign]) -> ast.Var | None:
    """The first positional argument of a call that is the input or an earlier variable."""
    if not isinstance(stmt.expr, ast.Call):
        return None
    scope = {"I", *(s.target for s in before)}
    return next((a for a in stmt.expr.args if isinstance(a, ast.Var) and a.name in scope),
                None)


def reducible(program: ast.Program, inputs: Sequence[Grid], outputs: Sequence[Grid],
              registry: Registry) -> bool:
    """True when a cheaper program (`cheaper_programs`) gives the same outputs."""
    for smaller in cheaper_programs(program):
        try:
            check_program(smaller, registry)
        except DSLError:
            continue
        if same_grids(run_outputs(smaller, inputs, registry), outputs):
            return True
    return False


def gate_reason(inputs: Sequence[Grid], outputs: Sequence[Any], program: ast.Program | None = None,
                registry: Registry | None = None) -> str:
    """Why these outputs do not make a task ('' when they do): an invalid grid, an output equal
    to its input, two equal outputs, a program reducible to a cheaper one, or non-determinism
    (the compiled run and the reference interpreter disagree, or a rerun differs)."""
    if not all(valid_grid(o) for o in outputs):
        return "invalid"
    if any(i.shape == o.shape and np.array_equal(i, o) for i, o in zip(inputs, outputs)):
        return "identity"
    keys = {(o.shape, o.tobytes()) for o in outputs}
    if len(keys) < len(outputs):
        return "equal_outputs"
    if program is None:
        return ""
    registry = registry or default_registry()
    if reducible(program, inputs, outputs, registry):
        return "reducible"
    if not (same_grids(run_outputs(program, inputs, registry, compiled=False), outputs)
            and same_grids(run_outputs(program, inputs, registry), outputs)):
        return "nondeterministic"
    return ""


# ---------------------------------------------------------------- input pools and splitting

def real_input_sets() -> list[tuple[str, tuple[Grid, ...]]]:
    """The inputs (train, then test) of every arc1/arc2 training task, by `dataset:id`; tasks
    that are also in an evaluation set (arc2:train holds arc1:eval tasks) are left out."""
    held_out = evaluation_ids()
    sets = []
    for spec in TRAIN_DATASETS:
        for task in load_dataset(spec).tasks():
            if task.id in held_out:
                continue
            grids = tuple(ex.input for ex in (*task.train, *task.test))
            if len(grids) >= 4:
                sets.append((f"{spec}:{task.id}", grids))
    return sets


def split_counts(rng: random.Random, available: int) -> tuple[int, int]:
    """(train, test) pair counts: 3..5 train, 1..2 test, at most `available` in all."""
    total = min(available, rng.randint(4, 7))
    n_test = 1 if total == 4 else (2 if total == 7 else rng.choice([1, 2]))
    return total - n_test, n_test


def _digest(grids: Sequence[Grid]) -> str:
    h = hashlib.sha256()
    for g in grids:
        h.update(f"{g.shape}".encode())
        h.update(np.ascontiguousarray(g).tobytes())
    return h.hexdigest()


# ---------------------------------------------------------------- the generator

def sample_tasks(config: GenerateConfig, registry: Registry | None = None,
                 input_sets: Sequence[tuple[str, tuple[Grid, ...]]] | None = None,
                 stats: GenerateStats | None = None,
                 on_kept: Callable[[Generated], None] | None = None) -> list[Generated]:
    """Sample until `config.n` tasks pass the gates (or `max_tries` candidates were tried)."""
    registry = registry or default_registry()
    rng = random.Random(config.seed)
    weights = vocabulary_weights(config, registry)
    input_sets = real_input_sets() if input_sets is None else input_sets
    stats = stats or GenerateStats()
    seen: set[str] = set()
    per_program: Counter[str] = Counter()
    kept: list[Generated] = []
    max_tries = config.max_tries or 400 * config.n
    while len(kept) < config.n and stats.tried < max_tries:
        stats.tried += 1
        program = _sample_program(rng, registry, weights, rng.randint(1, config.max_length))
        text = format_program(program)
        if per_program[text] >= config.per_program:
            stats.rejected["repeated_program"] += 1
            continue
        if rng.random() < config.structured_share or not input_sets:
            name, grids = structured_inputs(rng, 7)
            source = f"structured:{name}"
        else:
            source, grids = input_sets[rng.randrange(len(input_sets))]
        n_train, n_test = split_counts(rng, len(grids))
        inputs = grids[:n_train + n_test]
        outputs = run_outputs(program, inputs, registry)
        reason = gate_reason(inputs, outputs)
        digest = "" if reason else _digest((*inputs, *outputs))
        if not reason and digest in seen:
            reason = "duplicate"
        if not reason:
            reason = gate_reason(inputs, outputs, program, registry)
        if reason:
            stats.rejected[reason] += 1
            continue
        seen.add(digest)
        per_program[text] += 1
        pairs = [Example(i, o) for i, o in zip(inputs, outputs)]
        task_id = f"syn-{digest[:12]}"
        body = program.entry.body
        item = Generated(task_id, Task(task_id, tuple(pairs[:n_train]), tuple(pairs[n_train:])),
                         program, source, len(body),
                         sum(registry[c].cost for s in body for c in ast.names_used(s.expr)
                             if c in registry and c != "identity"))
        kept.append(item)
        stats.kept += 1
        if on_kept:
            on_kept(item)
    return kept


def _sample_program(rng: random.Random, registry: Registry, weights: Sequence[float],
                    target: int, tries: int = 20) -> ast.Program:
    """A pruned random program of at least `target` statements where one is found in `tries`
    draws (unused statements are pruned, so raw programs are drawn longer)."""
    program = prune(random_program(rng, registry, target, weights=weights))
    for _ in range(tries):
        if len(program.entry.body) >= target:
            break
        program = prune(random_program(rng, registry, 2 * target, weights=weights))
    return program


def _is_identity_result(body: Sequence[ast.Assign]) -> bool:
    last = body[-1].expr
    return len(body) > 1 and isinstance(last, ast.Call) and last.func == "identity"


def write_tasks(items: Sequence[Generated], out_dir: Path,
                extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Write tasks, programs and the curriculum index (ordered by cost, then id)."""
    ordered = sorted(items, key=lambda g: (g.cost, g.id))
    index = []
    for item in ordered:
        text = format_program(item.program)
        write_json_atomic(out_dir / "tasks" / f"{item.id}.json", item.task.to_json())
        write_text_atomic(out_dir / "programs" / f"{item.id}.dsl", text)
        index.append({"id": item.id, "cost": list(item.cost), "program": text,
                      "source": item.source, "train": len(item.task.train),
                      "test": len(item.task.test)})
    write_json_atomic(out_dir / "index.json", {**(extra or {}), "tasks": index})
    return index


class _Progress:
    """A rich bar on a terminal, plain lines otherwise, or nothing."""

    def __init__(self, enabled: bool, total: int) -> None:
        self._bar = None
        self._plain = enabled and not sys.stderr.isatty()
        self._total, self._done = total, 0
        if enabled and not self._plain:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"),
                                 TimeRemainingColumn(), console=Console(stderr=True))
            self._task = self._bar.add_task("synth data generate", total=total)
            self._bar.start()

    def update(self, item: Generated) -> None:
        self._done += 1
        if self._bar is not None:
            self._bar.update(self._task, advance=1)
        elif self._plain:
            print(f"[{self._done}/{self._total}] {item.id} {item.source}", file=sys.stderr,
                  flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def generate(config: GenerateConfig, out_dir: Path, progress: bool = False,
             input_sets: Sequence[tuple[str, tuple[Grid, ...]]] | None = None
             ) -> GenerateStats:
    """Sample, gate and write `config.n` tasks under `out_dir`; return the run's figures."""
    stats = GenerateStats()
    start = time.perf_counter()
    view = _Progress(progress, config.n)
    try:
        items = sample_tasks(config, input_sets=input_sets, stats=stats, on_kept=view.update)
    finally:
        view.close()
    stats.seconds = time.perf_counter() - start
    write_tasks(items, Path(out_dir), {"seed": config.seed, "temperature": config.temperature,
                                       "max_length": config.max_length, "n": len(items),
                                       "vocabulary": config.vocabulary})
    return stats
