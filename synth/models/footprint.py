"""Whether a local model fits this machine and its budget, decided before anything is loaded.

- Memory: the parameter count, exact from the safetensors headers (the 8-byte length and the
  JSON header of every `*.safetensors` file; the tensors are not read), else estimated from
  `config.json` (a decoder-only transformer: embeddings, attention with grouped key/value
  heads, a gated MLP), times the bytes per parameter of the dtype the backend loads it in,
  plus `OVERHEAD`, against the memory available (CPU: `MemAvailable`; CUDA: the device's
  free memory). `memory_problem` gives the one line a member is skipped with.
- Test-time training: `training_seconds` estimates a run as 6 × parameters × tokens × epochs
  floating-point operations (forward and backward through the whole base, which LoRA still
  needs) at a rough `FLOPS` rate of the device; `ttt_problem` gives the one line when that
  exceeds the time the task allows. Both are order-of-magnitude guards, not predictions.
"""
from __future__ import annotations

import json
import math
import os
import struct
from pathlib import Path
from typing import Any

OVERHEAD = 1.2                                  # activations, caches, allocator slack
FLOPS = {"cpu": 2e10, "cuda": 2e14}             # sustained FLOP/s, order of magnitude
GIB = 1024 ** 3


def safetensors_parameters(folder: Path) -> int | None:
    """The summed element count of every tensor in the folder's safetensors files (None when
    there are none or a header cannot be read)."""
    total, files = 0, sorted(folder.glob("*.safetensors"))
    for file in files:
        try:
            with file.open("rb") as handle:
                (size,) = struct.unpack("<Q", handle.read(8))
                header = json.loads(handle.read(size))
        except (OSError, struct.error, ValueError):
            return None
        total += sum(math.prod(entry.get("shape", ())) for key, entry in header.items()
                     if key != "__metadata__" and isinstance(entry, dict))
    return total if files else None


def config_parameters(config: dict[str, Any]) -> int | None:
    """A decoder-only transformer's parameter count from its config (None without the
    sizes). Multimodal configs keep the language model under `text_config`."""
    config = config.get("text_config", config)
    try:
        hidden, layers = int(config["hidden_size"]), int(config["num_hidden_layers"])
        vocab = int(config["vocab_size"])
        heads = int(config.get("num_attention_heads", 1))
        kv_heads = int(config.get("num_key_value_heads") or heads)
        head_dim = int(config.get("head_dim") or hidden // heads)
        inner = int(config.get("intermediate_size") or 4 * hidden)
    except (KeyError, TypeError, ValueError):
        return None
    attention = 2 * hidden * heads * head_dim + 2 * hidden * kv_heads * head_dim
    mlp = 3 * hidden * inner
    embeddings = vocab * hidden * (1 if config.get("tie_word_embeddings") else 2)
    return layers * (attention + mlp + 2 * hidden) + embeddings


def parameter_count(folder: Path) -> int | None:
    """The model's parameters: from the safetensors headers, else from config.json."""
    exact = safetensors_parameters(folder)
    if exact is not None:
        return exact
    try:
        return config_parameters(json.loads((folder / "config.json").read_text()))
    except (OSError, ValueError, AttributeError):
        return None


def available_memory(device: str) -> int | None:
    """Bytes free for a model on the device (`cpu` or `cuda`); None when unknown."""
    if device == "cuda":
        import torch

        return int(torch.cuda.mem_get_info()[0])
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def memory_problem(parameters: int | None, bytes_per_parameter: int, available: int | None
                   ) -> str | None:
    """The one line a model is skipped with when its weights cannot fit, else None."""
    if parameters is None or available is None:
        return None
    needed = parameters * bytes_per_parameter * OVERHEAD
    if needed <= available:
        return None
    return (f"too large for this machine: ~{parameters / 1e9:.1f} B parameters x "
            f"{bytes_per_parameter} bytes need ~{needed / GIB:.1f} GiB, "
            f"{available / GIB:.1f} GiB available")


def training_seconds(parameters: int, tokens: int, epochs: int, device: str) -> float:
    """Rough seconds of a test-time training run (see the module docstring)."""
    return 6.0 * parameters * tokens * epochs / FLOPS.get(device, FLOPS["cpu"])


def ttt_problem(parameters: int, tokens: int, epochs: int, device: str, seconds: float
                ) -> str | None:
    """The one line test-time training is skipped with when it cannot fit the time the task
    allows, else None."""
    estimate = training_seconds(parameters, tokens, epochs, device)
    if estimate <= seconds:
        return None
    return (f"test-time training would take ~{estimate:.0f} s ({parameters / 1e9:.2g} B "
            f"parameters, {tokens} tokens x {epochs} epochs on {device}), {seconds:.0f} s "
            f"allowed")
