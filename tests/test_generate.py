"""Synthetic task generation (`synth.learn.generate`, `synth data generate`): the gates, the
pair counts, that every written program reproduces its task, determinism and the weights."""
from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from dsl import ast
from dsl.generate import random_program
from dsl.parser import parse_program
from dsl.registry import default_registry
from synth.cli.main import main
from synth.data.golden import DEFAULT_LIBRARY, library_files
from synth.data.task import load_task_file, make_grid
from synth.learn.generate import (GenerateConfig, gate_reason, generate, primitive_counts,
                                  primitive_weights, prune, reducible, run_outputs,
                                  sample_tasks, split_counts)
from synth.learn.grids import GENERATORS, structured_inputs

REGISTRY = default_registry()
INPUTS = [make_grid([[1, 2], [3, 4]]), make_grid([[0, 5, 5], [6, 0, 7]]),
          make_grid([[8, 0], [0, 9], [1, 1]]), make_grid([[2, 3]])]


def _program(text: str) -> ast.Program:
    return parse_program(text)


def test_gate_rejects_identity() -> None:
    assert gate_reason(INPUTS, list(INPUTS)) == "identity"


def test_gate_rejects_equal_outputs() -> None:
    constant = make_grid([[3, 3]])
    assert gate_reason(INPUTS, [constant] * len(INPUTS)) == "equal_outputs"


def test_gate_rejects_invalid_grid() -> None:
    bad = np.full((2, 2), 12, dtype=np.uint8)
    outs = [make_grid(np.rot90(g)) for g in INPUTS[:-1]] + [bad]
    assert gate_reason(INPUTS, outs) == "invalid"
    assert gate_reason(INPUTS, [make_grid(np.rot90(g)) for g in INPUTS[:-1]] + [None]) \
        == "invalid"


def test_gate_rejects_reducible_program() -> None:
    # the two flips cancel: bypassing both gives `rot90(I)`
    program = _program("solve(I: Grid) -> Grid:\n    x1 = flip_h(I)\n    x2 = flip_h(x1)\n"
                       "    O = rot90(x2)\n")
    outs = run_outputs(program, INPUTS, REGISTRY)
    assert reducible(program, INPUTS, outs, REGISTRY)
    assert gate_reason(INPUTS, outs, program, REGISTRY) == "reducible"
    plain = _program("solve(I: Grid) -> Grid:\n    O = rot90(I)\n")
    assert gate_reason(INPUTS, run_outputs(plain, INPUTS, REGISTRY), plain, REGISTRY) == ""


def test_gate_rejects_a_program_whose_intermediate_is_the_answer() -> None:
    program = _program("solve(I: Grid) -> Grid:\n    x1 = rot90(I)\n    x2 = flip_h(x1)\n"
                       "    O = flip_h(x2)\n")
    outs = run_outputs(program, INPUTS, REGISTRY)
    assert gate_reason(INPUTS, outs, program, REGISTRY) == "reducible"


def test_prune_drops_unused_statements_and_renumbers() -> None:
    program = _program("solve(I: Grid) -> Grid:\n    x1 = flip_h(I)\n    x2 = rot90(I)\n"
                       "    x3 = flip_v(x2)\n    O = identity(x3)\n")
    body = prune(program).entry.body
    assert [s.target for s in body] == ["x1", "O"]
    assert body[-1].expr.func == "flip_v"


def test_split_counts_are_in_range() -> None:
    rng = random.Random(0)
    for _ in range(200):
        n_train, n_test = split_counts(rng, 7)
        assert 3 <= n_train <= 5 and 1 <= n_test <= 2
    assert split_counts(rng, 4) == (3, 1)


def test_structured_grids_are_valid() -> None:
    rng = random.Random(1)
    for name in GENERATORS:
        grid = GENERATORS[name](rng)
        assert grid.dtype == np.uint8 and 1 <= min(grid.shape) and max(grid.shape) <= 30
    name, grids = structured_inputs(rng, 5)
    assert name in GENERATORS and len(grids) == 5


def test_weights_favour_frequent_primitives() -> None:
    counts = primitive_counts(library_files(DEFAULT_LIBRARY), REGISTRY)
    names = REGISTRY.names()
    weights = dict(zip(names, primitive_weights(REGISTRY, counts, 1.0)))
    common = counts.most_common(1)[0][0]
    unused = next(n for n in names if counts[n] == 0)
    assert weights[common] > 10 * weights[unused]
    flat = dict(zip(names, primitive_weights(REGISTRY, counts, 100.0)))
    assert flat[common] / flat[unused] < weights[common] / weights[unused]
    # sampled programs use the common primitive more often than uniform sampling would
    rng = random.Random(0)
    used = Counter(s.expr.func for _ in range(300)
                   for s in random_program(rng, REGISTRY, 2,
                                           weights=list(weights.values())).entry.body)
    assert used[common] > 300 * 2 / len(names)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "a"
    assert main(["data", "generate", "--n", "12", "--out", str(out), "--seed", "5",
                 "--no-progress"]) == 0
    return out


def test_generated_tasks_have_pair_counts_and_reproduce(generated: Path) -> None:
    index = json.loads((generated / "index.json").read_text())
    assert len(index["tasks"]) == 12
    assert [t["cost"] for t in index["tasks"]] == sorted(t["cost"] for t in index["tasks"])
    for entry in index["tasks"]:
        task = load_task_file(generated / "tasks" / f"{entry['id']}.json")
        assert 3 <= len(task.train) <= 5 and 1 <= len(task.test) <= 2
        assert task.has_test_outputs
        assert not entry["source"].startswith(("arc1:eval", "arc2:eval"))
        program = generated / "programs" / f"{entry['id']}.dsl"
        assert program.read_text() == entry["program"]
        assert main(["dsl", "check", str(program), "--task",
                     str(generated / "tasks" / f"{entry['id']}.json")]) == 0


def test_same_seed_same_files(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "b"
    assert main(["data", "generate", "--n", "12", "--out", str(again), "--seed", "5",
                 "--no-progress"]) == 0
    files = sorted(p.relative_to(generated) for p in generated.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (generated / rel).read_bytes() == (again / rel).read_bytes()


def test_other_seed_other_tasks(generated: Path) -> None:
    items = sample_tasks(GenerateConfig(n=5, seed=6), input_sets=[])
    ids = {p.stem for p in (generated / "tasks").glob("*.json")}
    assert len(items) == 5 and not ids & {g.id for g in items}
    assert all(g.source.startswith("structured:") for g in items)


def test_generate_reports_rejections(tmp_path: Path) -> None:
    stats = generate(GenerateConfig(n=3, seed=1), tmp_path / "c", input_sets=[])
    assert stats.kept == 3 and stats.tried >= 3
    assert stats.tried == stats.kept + sum(stats.rejected.values())


def test_bad_flags_exit_2(tmp_path: Path) -> None:
    assert main(["data", "generate", "--n", "0", "--out", str(tmp_path)]) == 2
