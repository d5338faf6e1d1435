"""Models too large for this machine or for the task's time are skipped up front with one
line: a 70B config is refused before any weight is read, the tiny model loads; parameter
counts from safetensors headers and from configs; test-time training that cannot fit the
budget is skipped."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth.models.footprint import (config_parameters, memory_problem, parameter_count,
                                    safetensors_parameters, ttt_problem)
from synth.models.spec import ModelSpec

LLAMA_70B = {"architectures": ["LlamaForCausalLM"], "model_type": "llama",
             "hidden_size": 8192, "num_hidden_layers": 80, "intermediate_size": 28672,
             "vocab_size": 128256, "num_attention_heads": 64, "num_key_value_heads": 8,
             "tie_word_embeddings": False, "torch_dtype": "bfloat16"}
LLAMA2_7B = {"hidden_size": 4096, "num_hidden_layers": 32, "intermediate_size": 11008,
             "vocab_size": 32000, "num_attention_heads": 32}


def test_parameter_counts_from_configs_match_the_published_sizes() -> None:
    assert config_parameters(LLAMA2_7B) == pytest.approx(6.74e9, rel=0.01)
    assert config_parameters(LLAMA_70B) == pytest.approx(70.6e9, rel=0.01)
    assert config_parameters({"text_config": LLAMA2_7B}) == config_parameters(LLAMA2_7B)
    assert config_parameters({"hidden_size": 8}) is None


def test_a_70b_model_is_skipped_before_loading_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("torch")
    import synth.models.local
    from synth.proposers.llm import role_members

    monkeypatch.setattr(synth.models.local, "available_memory", lambda device: 128 * 1024 ** 3)

    big = tmp_path / "llama-70b"
    big.mkdir()
    (big / "config.json").write_text(json.dumps(LLAMA_70B))
    models = tmp_path / "models.toml"
    models.write_text(f'[[model]]\nname = "big"\nbackend = "transformers"\nmodel = "{big}"\n'
                      f'role = "transduction"\ndevice = "cpu"\n')
    members, skipped = role_members(str(models), "transduction")
    assert members == ()
    (line,) = skipped
    assert line.startswith("model big skipped: too large for this machine: ~70.6 B parameters "
                           "x 4 bytes need ~315.4 GiB, 128.0 GiB available")
    warnings = [w for w in capsys.readouterr().err.splitlines() if "big" in w]
    assert warnings == [f"synth: warning: {line}"]


def test_the_tiny_model_fits_and_its_headers_count_its_parameters(tiny_model_dir: Path
                                                                  ) -> None:
    from synth.models.local import TransformersBackend

    backend = TransformersBackend(ModelSpec("tiny", "transformers", str(tiny_model_dir),
                                            device="cpu"))
    assert safetensors_parameters(tiny_model_dir) == backend.parameters
    assert parameter_count(tiny_model_dir) == backend.parameters
    assert memory_problem(backend.parameters, 4, 8 * 1024 ** 3) is None
    assert memory_problem(None, 4, 1) is None, "unknown size: not skipped"


def test_test_time_training_that_cannot_fit_the_budget_is_skipped(tiny_model_dir: Path
                                                                  ) -> None:
    from synth.data.augment import IDENTITY
    from synth.models.base import ModelUnavailable
    from synth.models.local import TransformersBackend
    from synth.models.ttt import time_problem
    from synth.models.tuning import adapted
    from tests.models.test_ttt import COPY

    assert ttt_problem(8_000_000_000, 50_000, 2, "cpu", 15.0).startswith(
        "test-time training would take ~")
    assert ttt_problem(8_000_000_000, 50_000, 2, "cuda", 600.0) is None
    backend = TransformersBackend(ModelSpec("tiny", "transformers", str(tiny_model_dir),
                                            device="cpu"))
    assert time_problem(backend, COPY, [IDENTITY], "mit", 30.0) is None
    with pytest.raises(ModelUnavailable, match="test-time training would take"):
        with adapted(backend, COPY, [IDENTITY], "mit", 0, 1e-9):
            pass
