"""A tiny random Llama with a DSL tokenizer, built in seconds, for tests and benchmarks.

`build_tiny_model(folder)` trains a byte-level BPE tokenizer (the `tokenizers` package) on DSL
text — the golden programs, the registry's DSL reference, the prompt instructions and grids
as text — wraps it as a `transformers.PreTrainedTokenizerFast` with `<s>`, `</s>` and `<pad>`,
builds a small `LlamaForCausalLM` with seeded random weights and saves both with
`save_pretrained`, so that `TransformersBackend` loads the folder like any local model. Nothing
is downloaded. The model knows nothing: it exercises loading, batching, sampling, scoring and
constrained decoding, never answer quality. Needs the `neural` extra.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dsl.registry import default_registry
from synth.data.golden import LIBRARY_ROOT, library_files
from synth.models.gridtext import grid_to_text
from synth.models.prompts import INSTRUCTIONS, dsl_reference

SPECIAL_TOKENS = ("<pad>", "<s>", "</s>")
N_GRIDS = 200


@dataclass(frozen=True)
class TinyConfig:
    """The tokenizer and model sizes (defaults: ~0.2 M parameters with a 1024-token vocab)."""

    vocab_size: int = 1024
    hidden_size: int = 64
    intermediate_size: int = 128
    layers: int = 2
    heads: int = 4
    max_positions: int = 8192
    seed: int = 0


def dsl_corpus(seed: int = 0) -> list[str]:
    """Training text for the tokenizer: every golden program of `library/arc1-train`, the DSL
    reference, the prompt instructions, and `N_GRIDS` random grids as text."""
    texts = [p.read_text(encoding="utf-8") for p in library_files(LIBRARY_ROOT / "arc1-train")]
    texts += [dsl_reference(default_registry()), INSTRUCTIONS]
    rng = np.random.default_rng(seed)
    for _ in range(N_GRIDS):
        rows, cols = rng.integers(1, 11, size=2)
        texts.append("input:\n" + grid_to_text(rng.integers(0, 10, size=(rows, cols))) + "\n")
    return texts


def train_dsl_tokenizer(vocab_size: int = 1024, seed: int = 0):  # -> PreTrainedTokenizerFast
    """A byte-level BPE tokenizer trained on `dsl_corpus`; adds `<s>` in front of every text,
    pads on the left (for batched generation)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS),
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator(dsl_corpus(seed), trainer)
    bos = tok.token_to_id("<s>")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", bos)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", bos_token="<s>",
                                   eos_token="</s>", padding_side="left")


def build_tiny_model(folder: str | Path, config: TinyConfig = TinyConfig()) -> Path:
    """Train the tokenizer, build the random Llama and save both into `folder` (created);
    returns the folder. Same config, same files."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.set_num_threads(1)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = train_dsl_tokenizer(config.vocab_size, config.seed)
    model_config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=config.hidden_size,
        intermediate_size=config.intermediate_size, num_hidden_layers=config.layers,
        num_attention_heads=config.heads, num_key_value_heads=config.heads,
        max_position_embeddings=config.max_positions, pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=False)
    torch.manual_seed(config.seed)
    model = LlamaForCausalLM(model_config).eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
