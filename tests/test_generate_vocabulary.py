"""The generator's vocabularies (`synth data generate --vocabulary`): the enumerator weights
follow their rule, enumerator-vocabulary programs mostly avoid the primitives the enumerator
never builds, the golden default is unchanged, and the same seed gives the same files."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from dsl import ast
from dsl.registry import default_registry
from synth.cli.main import main
from synth.data.golden import DEFAULT_LIBRARY, library_files
from synth.learn.generate import (GenerateConfig, enumerator_weights, primitive_counts,
                                  primitive_weights, sample_tasks, vocabulary_weights)
from synth.search.enumerate import DEFAULT_EXCLUDE

REGISTRY = default_registry()
NAMES = REGISTRY.names()


def _golden(temperature: float = 1.0) -> list[float]:
    counts = primitive_counts(library_files(DEFAULT_LIBRARY), REGISTRY)
    return primitive_weights(REGISTRY, counts, temperature)


@pytest.mark.parametrize("temperature", [1.0, 2.0])
def test_enumerator_weights_scale_excluded_and_floor_the_rest(temperature: float) -> None:
    golden = _golden(temperature)
    weights = enumerator_weights(REGISTRY, golden, temperature, excluded_scale=0.05,
                                 floor_count=8.0)
    floor = 9.0 ** (1.0 / temperature)
    for name, old, new in zip(NAMES, golden, weights):
        if name in DEFAULT_EXCLUDE:
            assert new == pytest.approx(0.05 * old)
        else:
            assert new == pytest.approx(max(old, floor))
    lifted = [n for n, old, new in zip(NAMES, golden, weights) if new > old]
    assert lifted and not set(lifted) & DEFAULT_EXCLUDE


def test_vocabulary_weights_default_is_golden_and_unknown_is_refused() -> None:
    assert vocabulary_weights(GenerateConfig(n=1), REGISTRY) == _golden()
    enumerator = vocabulary_weights(GenerateConfig(n=1, vocabulary="enumerator"), REGISTRY)
    assert enumerator == enumerator_weights(REGISTRY, _golden())
    with pytest.raises(ValueError, match="vocabulary"):
        vocabulary_weights(GenerateConfig(n=1, vocabulary="bogus"), REGISTRY)


def _excluded_share(vocabulary: str) -> float:
    items = sample_tasks(GenerateConfig(n=40, seed=11, vocabulary=vocabulary), input_sets=[])
    uses: Counter[bool] = Counter(name in DEFAULT_EXCLUDE for item in items
                                  for name in ast.program_names(item.program)
                                  if name in REGISTRY)
    return uses[True] / (uses[True] + uses[False])


def test_enumerator_programs_mostly_avoid_excluded_primitives() -> None:
    enumerator, golden = _excluded_share("enumerator"), _excluded_share("golden")
    assert enumerator < 0.05
    assert enumerator < golden / 3


def test_enumerator_vocabulary_same_seed_same_files(tmp_path: Path) -> None:
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert main(["data", "generate", "--n", "6", "--out", str(out), "--seed", "7",
                     "--vocabulary", "enumerator", "--no-progress"]) == 0
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(outs[1]) for p in outs[1].rglob("*") if p.is_file())
    for rel in files:
        assert (outs[0] / rel).read_bytes() == (outs[1] / rel).read_bytes()
    assert json.loads((outs[0] / "index.json").read_text())["vocabulary"] == "enumerator"


def test_unknown_vocabulary_flag_exits_2(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["data", "generate", "--n", "2", "--out", str(tmp_path), "--vocabulary", "bogus"])
    assert exit_info.value.code == 2
