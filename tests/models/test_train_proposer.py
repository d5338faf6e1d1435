"""`synth train proposer` end to end on CPU: synthetic tasks from `synth.learn.generate`, a
LoRA adapter on the tiny model, the held-out parse rate (greedy, NO grammar) rising from the
untrained model's, and the adapter loading from a models file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth.cli.main import main
from synth.data.errors import InputError
from synth.data.task import Example, Task, make_grid
from synth.learn.generate import GenerateConfig, generate
from synth.learn.train_proposer import TrainConfig, load_pairs, reply_verdict, split, trimmed

FLIP = Task("flip", (Example(make_grid([[1, 2]]), make_grid([[2, 1]])),), ())


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    stats = generate(GenerateConfig(n=40, seed=3, max_length=2), folder, input_sets=[])
    assert stats.kept == 40
    return folder


def test_replies_are_judged_by_the_dsl() -> None:
    assert reply_verdict("solve(I: Grid) -> Grid:\n    O = flip_h(I)\n", FLIP) == (True, True)
    assert reply_verdict("solve(I: Grid) -> Grid:\n    O = flip_v(I)\n", FLIP) == (True, False)
    assert reply_verdict("solve(I: Grid) -> Grid:\n    O = ::::", FLIP) == (False, False)
    assert trimmed("line one\nline two\nend:\n", 12) == "end:\n"
    assert trimmed("short", None) == "short"


def test_the_split_holds_out_a_share_chosen_by_the_seed(data_dir: Path) -> None:
    config = TrainConfig(base=Path("."), data=data_dir, out=Path("."), reference="none")
    pairs = load_pairs(config)
    assert len(pairs) == 40 and pairs[0].prompt.endswith("A program that solves it:\n")
    assert pairs[0].program.startswith("solve(I: Grid) -> Grid:\n")
    train, held = split(pairs, 0.2, seed=0)
    assert (len(train), len(held)) == (32, 8)
    assert {p.id for p in held} == {p.id for p in split(pairs, 0.2, seed=0)[1]}
    assert {p.id for p in held} != {p.id for p in split(pairs, 0.2, seed=1)[1]}
    with pytest.raises(InputError, match="index.json"):
        load_pairs(TrainConfig(base=Path("."), data=data_dir / "tasks", out=Path(".")))


def test_training_raises_the_held_out_parse_rate_and_the_adapter_loads(
        tiny_model_dir: Path, data_dir: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("peft")
    from synth.learn.train_proposer import validate
    from synth.models.local import TransformersBackend
    from synth.models.spec import load_models_file

    adapter = tmp_path / "proposer-lora"
    code = main(["train", "proposer", "--base", str(tiny_model_dir), "--data", str(data_dir),
                 "--out", str(adapter), "--epochs", "20", "--lr", "2e-3", "--seed", "3",
                 "--validation", "0.2", "--reference", "none", "--max-prompt-chars", "60",
                 "--max-new-tokens", "48", "--head", "--device", "cpu"])
    assert code == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["train"] == 32 and figures["held_out"] == 8 and figures["steps"] == 640
    assert figures["loss_last"] < figures["loss_first"] - 3
    assert figures["before"]["parse_rate"] == 0.0, "the random model writes no programs"
    assert figures["after"]["parse_rate"] >= figures["before"]["parse_rate"] + 0.25
    assert 0.0 <= figures["after"]["verify_rate"] <= figures["after"]["parse_rate"]
    assert (adapter / "adapter_config.json").is_file()

    models = tmp_path / "models.toml"
    models.write_text(f'[[model]]\nname = "tuned"\nbackend = "transformers"\n'
                      f'model = "{tiny_model_dir}"\nadapter = "{adapter}"\ndevice = "cpu"\n')
    (spec,) = load_models_file(models)
    config = TrainConfig(base=tiny_model_dir, data=data_dir, out=adapter, seed=3,
                         validation=0.2, reference="none", max_prompt_chars=60)
    _, held = split(load_pairs(config), config.validation, config.seed)
    loaded = validate(TransformersBackend(spec), held, 48)
    assert loaded.parse_rate > 0.0, "the models file's adapter answers like the trained one"


def test_bad_flags_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "proposer", "--base", ".", "--data", ".", "--out", ".",
                 "--rank", "0"]) == 2
    assert "--rank must be at least 1" in capsys.readouterr().err
