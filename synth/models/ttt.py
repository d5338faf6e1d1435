"""Test-time training: a per-task LoRA adapter trained on the task's own train pairs.

For a task with train pairs p_1..p_k, each leave-one-out task uses the other pairs as
demonstrations and p_i as the query; every one is taken under several augmented views
(`synth.data.augment`), written as model text (`synth.models.gridtext`) and trained on with the
causal-LM loss of the answer grid only. Presets (`PRESETS`, chosen per member with `ttt =` in
the models file): the roadmap's (`roadmap`: lr 1e-5, 10 epochs, rank 64) and the MIT TTT
paper's (`mit`: rank 128, alpha 16, lr 5e-5, 2 epochs); `benchmarks/bench_transduction.py
--presets` compares them (on the tiny model only so far). Training stops at its deadline
(time counts against the task's budget); `time_problem` says up front when the estimated
training time (`synth.models.footprint`) cannot fit it. `train_adapter` trains and saves an
adapter and leaves the backend on its base weights (synth's model server calls it for
`POST /v1/ttt`); `tuned` holds it active for a block (`use_adapter`). Adapters are cached per
task, base model and preset under `SYNTH_TTT_CACHE` (default `~/.cache/synth/ttt`); one cut
short by the deadline is saved beside the cache entry, never as one. `attach_lora` and
`train_steps` are also the training loop of `synth train proposer`. Needs the `neural` extra
and a transformers backend.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth.data.augment import Augmentation, forward_challenge
from synth.data.task import Challenge
from synth.models.base import ModelUnavailable
from synth.models.footprint import ttt_problem
from synth.models.gridtext import grid_to_text, task_text


@dataclass(frozen=True)
class Preset:
    """LoRA and optimiser settings of one test-time training recipe."""

    rank: int
    alpha: int
    lr: float
    epochs: int
    dropout: float = 0.0
    head: bool = False       # also train the output layer in full (peft `modules_to_save`)


PRESETS: dict[str, Preset] = {
    "roadmap": Preset(rank=64, alpha=64, lr=1e-5, epochs=10),
    "mit": Preset(rank=128, alpha=16, lr=5e-5, epochs=2),
}


@dataclass(frozen=True)
class Run:
    """What one adaptation did: mean answer loss before and after, steps, seconds, whether it
    came from the cache or stopped at its deadline."""

    loss_before: float
    loss_after: float
    steps: int
    seconds: float
    cached: bool = False
    cut_short: bool = False


def leave_one_out(task: Challenge, views: Sequence[Augmentation]) -> list[tuple[str, str]]:
    """(prompt, answer text) pairs: each train pair as the query of the others, per view."""
    examples = []
    for aug in views:
        seen = forward_challenge(aug, task)
        for i, query in enumerate(seen.train):
            rest = seen.train[:i] + seen.train[i + 1:]
            if not rest:
                continue
            sub = Challenge(task.id, rest, (query.input,))
            examples.append((task_text(sub, 0), grid_to_text(query.output) + "\n"))
    return examples


def _cache_dir(backend: Any, task: Challenge, preset_name: str,
               examples: Sequence[tuple[str, str]]) -> Path:
    root = Path(os.environ.get("SYNTH_TTT_CACHE") or Path.home() / ".cache" / "synth" / "ttt")
    digest = hashlib.sha256(repr((backend.spec.model, preset_name, examples)).encode())
    return root / f"{task.id}-{digest.hexdigest()[:16]}"


def answer_loss(backend: Any, prompt: str, answer: str) -> Any:
    """Mean cross-entropy of the answer's tokens after the prompt (a torch scalar)."""
    torch = backend._torch
    prompt_ids = backend._encode(prompt)
    answer_ids = backend.tokenizer(answer, add_special_tokens=False)["input_ids"]
    ids = torch.tensor([prompt_ids + answer_ids], device=backend.device)
    logits = backend.model(input_ids=ids).logits[0, len(prompt_ids) - 1:-1, :]
    target = torch.tensor(answer_ids, device=backend.device)
    return torch.nn.functional.cross_entropy(logits.float(), target)


def _mean_loss(backend: Any, examples: Sequence[tuple[str, str]]) -> float:
    torch = backend._torch
    with torch.no_grad():
        return float(sum(answer_loss(backend, p, a) for p, a in examples) / len(examples))


def attach_lora(backend: Any, preset: Preset) -> None:
    """Wrap the backend's model in a fresh peft LoRA (every linear layer but the output) with
    the preset's rank, alpha and dropout; with `head`, the output layer (`lm_head`) is
    trained in full and saved with the adapter."""
    try:
        import peft
    except ImportError:
        raise ModelUnavailable("test-time training needs peft: pip install "
                               "'synth-arc[neural]'", field=f"model {backend.spec.name}") from None
    config = peft.LoraConfig(r=preset.rank, lora_alpha=preset.alpha,
                             lora_dropout=preset.dropout, target_modules="all-linear",
                             modules_to_save=["lm_head"] if preset.head else None,
                             task_type="CAUSAL_LM")
    backend.model = peft.get_peft_model(backend.model, config)


def train_steps(backend: Any, examples: Sequence[tuple[str, str]], preset: Preset, seed: int,
                deadline: float, losses: list[float] | None = None) -> tuple[int, bool]:
    """AdamW at the preset's rate over the (prompt, answer) pairs, one pair a step, for the
    preset's epochs or until the deadline; (steps, cut short). Each step's loss is appended
    to `losses` when given."""
    torch = backend._torch
    torch.manual_seed(seed)
    params = [p for p in backend.model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=preset.lr)
    backend.model.train()
    steps = 0
    try:
        for _ in range(preset.epochs):
            for prompt, answer in examples:
                if time.monotonic() >= deadline:
                    return steps, True
                loss = answer_loss(backend, prompt, answer)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                steps += 1
                if losses is not None:
                    losses.append(float(loss.detach()))
    finally:
        backend.model.eval()
    return steps, False


def local_backend(backend: Any) -> None:
    """ModelUnavailable unless the backend holds its weights here (a transformers member)."""
    if not hasattr(backend, "tokenizer") or not hasattr(backend, "use_adapter"):
        raise ModelUnavailable("test-time training needs a transformers member",
                               field=f"model {backend.name}")


def time_problem(backend: Any, task: Challenge, views: Sequence[Augmentation],
                 preset: str | Preset, seconds: float) -> str | None:
    """Why training the task's adapter cannot fit `seconds` on this backend (an estimate:
    `synth.models.footprint.ttt_problem`), or None."""
    local_backend(backend)
    preset = PRESETS[preset] if isinstance(preset, str) else preset
    tokens = sum(len(backend._encode(p + a)) for p, a in leave_one_out(task, views))
    return ttt_problem(backend.parameters, tokens, preset.epochs, backend.device.type,
                       seconds)


def train_adapter(backend: Any, task: Challenge, views: Sequence[Augmentation],
                  preset: str | Preset, seed: int, seconds: float) -> tuple[Run, Path]:
    """Train the task's adapter (or find it in the cache), save it and return the run and its
    folder; the backend is left on its base weights. `loss_after` is measured with the
    adapter. An adapter cut short by the deadline is saved beside the cache entry (`-cut`),
    never as one. `preset` is a name of `PRESETS` or a `Preset`."""
    local_backend(backend)
    preset_name = preset if isinstance(preset, str) else repr(preset)
    preset = PRESETS[preset] if isinstance(preset, str) else preset
    examples = leave_one_out(task, views)
    if not examples:
        raise ModelUnavailable("test-time training needs at least two train pairs",
                               field=f"model {backend.name}")
    started = time.monotonic()
    backend.use_adapter(None)
    before = _mean_loss(backend, examples)
    folder = _cache_dir(backend, task, preset_name, examples)
    steps, cut, cached = 0, False, (folder / "adapter_config.json").is_file()
    if not cached:
        attach_lora(backend, preset)
        try:
            steps, cut = train_steps(backend, examples, preset, seed, started + seconds)
            folder = folder.with_name(folder.name + "-cut") if cut else folder
            backend.model.save_pretrained(str(folder))
        finally:
            backend.model = backend.model.unload().eval()
    backend.use_adapter(str(folder))
    try:
        after = _mean_loss(backend, examples)
    finally:
        backend.use_adapter(None)
    return Run(round(before, 4), round(after, 4), steps, round(time.monotonic() - started, 3),
               cached, cut), folder


@contextmanager
def tuned(backend: Any, task: Challenge, views: Sequence[Augmentation], preset: str | Preset,
          seed: int, seconds: float) -> Iterator[Run]:
    """The backend with the task's adapter (`train_adapter`) active for the duration of the
    block, then back on its base weights."""
    run, folder = train_adapter(backend, task, views, preset, seed, seconds)
    backend.use_adapter(str(folder))
    try:
        yield run
    finally:
        backend.use_adapter(None)
