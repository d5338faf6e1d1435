"""Model-layer fixtures: a tiny random Llama with a DSL tokenizer, built once per session
(no download), for every test that needs a real local model."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a tiny random `LlamaForCausalLM` and its DSL tokenizer
    (`synth.models.tiny.build_tiny_model`); skipped without the `neural` extra."""
    for package in ("torch", "transformers", "tokenizers"):
        pytest.importorskip(package)
    from synth.models.tiny import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"))
