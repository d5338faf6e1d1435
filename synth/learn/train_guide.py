"""Training synth's guide model (`synth train guide`) on synthetic tasks, and its export.

`load_examples(DIRS)` reads `synth data generate` folders: each task's train pairs and, as
labels, the registry primitives its program calls or names (`primitive_counts`). Tasks are split
by a hash of their program text (`is_validation`: about 10 %), so no program is on both sides.
`train_guide(...)` fits `GuideNet` (the torch twin of `synth.learn.guide.forward`) with binary
cross-entropy under an epoch count and a time cap, keeps the epoch with the best validation
loss, and `export` writes the `.npz` that `Guide.load` reads; `export_ensemble` joins such
files (other seeds) into one file whose networks the guide averages. `evaluate` gives the
validation figures of any probability table (the model's, or the frequency prior's).

torch is imported inside the functions that need it; the features come from
`synth.learn.guide`, so training and numpy inference see the same inputs.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dsl.registry import Registry, default_registry
from synth.data.task import load_task_file
from synth.learn.generate import primitive_counts
from synth.learn.guide import (CHANNELS, COLOURS, FORMAT, PLANE, Guide, ensemble_arrays,
                               feature_count, read_arrays, task_inputs)

VALIDATION_PERCENT = 10
RECALL_AT = (5, 10, 20)


@dataclass(frozen=True)
class Example:
    """One synthetic task for training: id, program text, pair arrays, label names."""

    id: str
    program: str
    features: np.ndarray  # (pairs, F) float32
    grids: np.ndarray  # (pairs, 2, PLANE, PLANE) int8
    labels: frozenset[str]


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one `synth train guide` run."""

    seed: int = 0
    epochs: int = 12
    minutes: float = 40.0
    batch: int = 64
    lr: float = 2e-3
    weight_decay: float = 1e-4
    conv: tuple[int, ...] = (16, 32)
    hidden: tuple[int, ...] = (256, 256)
    dropout: float = 0.1


@dataclass(frozen=True)
class Arrays:
    """A split as padded arrays: features, grids, pair mask and multi-hot labels."""

    features: np.ndarray  # (N, P, F) float32, standardised later by the model's statistics
    grids: np.ndarray  # (N, P, 2, PLANE, PLANE) int8
    mask: np.ndarray  # (N, P) bool
    labels: np.ndarray  # (N, names) float32


@dataclass
class TrainResult:
    """What a run did: sizes, epochs, time, and validation figures of model and prior."""

    n_train: int
    n_validation: int
    epochs: int = 0
    seconds: float = 0.0
    best_epoch: int = 0
    history: list[dict[str, float]] = field(default_factory=list)
    model: dict[str, float] = field(default_factory=dict)
    prior: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- data

def is_validation(program: str) -> bool:
    """True for the ~10 % of program texts whose SHA-256 falls in the validation share."""
    return int(hashlib.sha256(program.encode()).hexdigest()[:8], 16) % 100 < VALIDATION_PERCENT


def task_ids(data_dir: Path) -> list[str]:
    """The task ids of a `synth data generate` folder, in its index order."""
    index = json.loads((data_dir / "index.json").read_text(encoding="utf-8"))
    return [entry["id"] for entry in index["tasks"]]


def load_example(data_dir: Path, task_id: str, registry: Registry) -> Example:
    """One task's features, grids and primitive labels."""
    task = load_task_file(data_dir / "tasks" / f"{task_id}.json")
    program_file = data_dir / "programs" / f"{task_id}.dsl"
    labels = frozenset(primitive_counts([program_file], registry))
    features, grids = task_inputs([(ex.input, ex.output) for ex in task.train])
    return Example(task_id, program_file.read_text(encoding="utf-8"), features, grids, labels)


def load_examples(data_dirs: Sequence[Path], registry: Registry,
                  on_item: Callable[[], None] | None = None) -> list[Example]:
    """Every task of the folders (see `load_example`), each task id once."""
    examples, seen = [], set()
    for data_dir in data_dirs:
        for task_id in task_ids(data_dir):
            if task_id not in seen:
                seen.add(task_id)
                examples.append(load_example(data_dir, task_id, registry))
            if on_item:
                on_item()
    return examples


def to_arrays(examples: Sequence[Example], names: Sequence[str]) -> Arrays:
    """Pad the examples to the largest pair count and multi-hot their labels."""
    pairs = max(len(e.features) for e in examples)
    n, f = len(examples), feature_count()
    features = np.zeros((n, pairs, f), dtype=np.float32)
    grids = np.full((n, pairs, 2, PLANE, PLANE), -1, dtype=np.int8)
    mask = np.zeros((n, pairs), dtype=bool)
    labels = np.zeros((n, len(names)), dtype=np.float32)
    column = {name: k for k, name in enumerate(names)}
    for row, example in enumerate(examples):
        k = len(example.features)
        features[row, :k], grids[row, :k], mask[row, :k] = example.features, example.grids, True
        labels[row, [column[name] for name in example.labels]] = 1.0
    return Arrays(features, grids, mask, labels)


def frequency_prior(labels: np.ndarray) -> np.ndarray:
    """Per primitive, (tasks using it + 1) / (tasks + 2)."""
    return (labels.sum(axis=0) + 1.0) / (len(labels) + 2.0)


# ---------------------------------------------------------------- figures

def average_precision(scores: np.ndarray, truth: np.ndarray) -> float:
    """Average precision of the true primitives in the ranking by score (1.0 = all first)."""
    order = np.argsort(-scores, kind="stable")
    hits = truth[order] > 0
    if not hits.any():
        return 1.0
    ranks = np.flatnonzero(hits) + 1
    return float(np.mean(np.arange(1, len(ranks) + 1) / ranks))


def evaluate(probabilities: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """BCE, mean average precision and recall@k of a (tasks, names) probability table."""
    p = np.clip(probabilities.astype(np.float64), 1e-7, 1 - 1e-7)
    bce = -(labels * np.log(p) + (1 - labels) * np.log(1 - p)).mean()
    figures = {"bce": float(bce),
               "map": float(np.mean([average_precision(s, t)
                                     for s, t in zip(probabilities, labels)]))}
    order = np.argsort(-probabilities, axis=1, kind="stable")
    total = np.maximum(labels.sum(axis=1), 1)
    for k in RECALL_AT:
        found = np.take_along_axis(labels, order[:, :k], axis=1).sum(axis=1)
        figures[f"recall@{k}"] = float(np.mean(found / total))
    return figures


# ---------------------------------------------------------------- the torch model

def build_net(config: TrainConfig, n_names: int, mean: np.ndarray, std: np.ndarray) -> Any:
    """The torch twin of `synth.learn.guide.forward` (a `torch.nn.Module`)."""
    import torch
    from torch import nn

    class GuideNet(nn.Module):
        """Pair features + conv encoder, masked mean/max pool over pairs, MLP to logits."""

        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
            self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
            sizes = (CHANNELS, *config.conv)
            self.conv = nn.ModuleList(nn.Conv2d(a, b, 3, stride=2 if k else 1, padding=1)
                                      for k, (a, b) in enumerate(zip(sizes, sizes[1:])))
            widths = (2 * (feature_count() + 2 * sizes[-1]), *config.hidden, n_names)
            self.dense = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
            self.dropout = nn.Dropout(config.dropout)

        def planes(self, grids: torch.Tensor) -> torch.Tensor:
            """(B, P, 2, S, S) int8 -> (B * P, CHANNELS, S, S), as `guide.planes_of`."""
            one_hot = nn.functional.one_hot(grids.long() + 1, COLOURS + 1).float()
            both = torch.cat([one_hot[..., 1:], one_hot[..., :1].neg() + 1], dim=-1)
            return both.permute(0, 1, 2, 5, 3, 4).reshape(-1, CHANNELS, PLANE, PLANE)

        def hidden(self, features: torch.Tensor, grids: torch.Tensor, mask: torch.Tensor
                   ) -> torch.Tensor:
            """The last hidden layer (what `Guide.embedding` normalises)."""
            b, p = mask.shape
            x = self.planes(grids)
            for conv in self.conv:
                x = torch.relu(conv(x))
            pooled = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
            pairs = torch.cat([(features - self.mean) / self.std, pooled.reshape(b, p, -1)], 2)
            m = mask.unsqueeze(-1)
            mean = (pairs * m).sum(1) / m.sum(1)
            top = pairs.masked_fill(~m, float("-inf")).amax(1)
            h = torch.cat([mean, top], dim=1)
            for layer in self.dense[:-1]:
                h = self.dropout(torch.relu(layer(h)))
            return h

        def forward(self, features: torch.Tensor, grids: torch.Tensor, mask: torch.Tensor
                    ) -> torch.Tensor:
            return self.dense[-1](self.hidden(features, grids, mask))

    return GuideNet()


def _tensors(arrays: Arrays, rows: np.ndarray) -> tuple[Any, Any, Any, Any]:
    import torch

    return (torch.from_numpy(arrays.features[rows]), torch.from_numpy(arrays.grids[rows]),
            torch.from_numpy(arrays.mask[rows]), torch.from_numpy(arrays.labels[rows]))


def predict(net: Any, arrays: Arrays, batch: int = 256) -> np.ndarray:
    """(tasks, names) probabilities of the torch model, in eval mode."""
    import torch

    net.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(arrays.mask), batch):
            f, g, m, _ = _tensors(arrays, np.arange(start, min(start + batch, len(arrays.mask))))
            out.append(torch.sigmoid(net(f, g, m)).numpy())
    return np.concatenate(out).astype(np.float64)


def learning_rate(peak: float, progress: float, warm_up: float = 0.03) -> float:
    """Linear warm-up to `peak` over the first 3 % of the run, then cosine decay to zero;
    `progress` (0..1) is the larger of the step share and the time share used."""
    if progress < warm_up:
        return peak * (progress + 1e-3) / warm_up
    return 0.5 * peak * (1.0 + math.cos(math.pi * min(1.0, (progress - warm_up) / (1 - warm_up))))


def _batches(rng: np.random.Generator, n: int, size: int) -> Iterator[np.ndarray]:
    order = rng.permutation(n)
    for start in range(0, n, size):
        yield order[start:start + size]


def _standardisation(arrays: Arrays) -> tuple[np.ndarray, np.ndarray]:
    rows = arrays.features[arrays.mask].astype(np.float64)
    return rows.mean(axis=0), np.maximum(rows.std(axis=0), 1e-3)


def train_guide(train: Arrays, validation: Arrays, names: Sequence[str], config: TrainConfig,
                on_batch: Callable[[int, int], None] | None = None,
                on_epoch: Callable[[dict[str, float]], None] | None = None
                ) -> tuple[Any, TrainResult]:
    """Fit the net; stop after `config.epochs` or `config.minutes`; return the best-validation
    state (by BCE) and the run's figures (`model` and `prior` on the validation split)."""
    import torch

    torch.manual_seed(config.seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(config.seed)
    mean, std = _standardisation(train)
    net = build_net(config, len(names), mean, std)
    optimiser = torch.optim.AdamW(net.parameters(), lr=config.lr,
                                  weight_decay=config.weight_decay)
    per_epoch = -(-len(train.mask) // config.batch)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    result = TrainResult(len(train.mask), len(validation.mask))
    start, best, best_state = time.perf_counter(), float("inf"), None
    deadline = start + 60 * config.minutes
    for epoch in range(1, config.epochs + 1):
        net.train()
        total, batches = 0.0, 0
        for k, rows in enumerate(_batches(rng, len(train.mask), config.batch)):
            f, g, m, y = _tensors(train, rows)
            progress = max(((epoch - 1) * per_epoch + k) / (config.epochs * per_epoch),
                           (time.perf_counter() - start) / (deadline - start))
            for group in optimiser.param_groups:
                group["lr"] = learning_rate(config.lr, progress)
            loss = loss_fn(net(f, g, m), y)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total, batches = total + loss.item(), batches + 1
            if on_batch:
                on_batch(k + 1, per_epoch)
            if time.perf_counter() > deadline:
                break
        figures = evaluate(predict(net, validation), validation.labels)
        row = {"epoch": epoch, "train_bce": total / max(batches, 1),
               "validation_bce": figures["bce"], "validation_map": figures["map"],
               "seconds": time.perf_counter() - start}
        result.history.append(row)
        result.epochs = epoch
        if figures["bce"] < best:
            best, result.best_epoch, result.model = figures["bce"], epoch, figures
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        if on_epoch:
            on_epoch(row)
        if time.perf_counter() > deadline:
            break
    assert best_state is not None
    net.load_state_dict(best_state)
    result.seconds = time.perf_counter() - start
    result.prior = evaluate(np.broadcast_to(frequency_prior(train.labels), validation.labels.shape),
                            validation.labels)
    return net, result


# ---------------------------------------------------------------- export

def export(net: Any, names: Sequence[str], prior: np.ndarray, unseen: float, path: Path,
           metadata: dict[str, Any] | None = None) -> None:
    """Write the `.npz` that `synth.learn.guide.Guide.load` reads (float32 weights)."""
    arrays: dict[str, np.ndarray] = {
        "format": np.array(FORMAT), "primitive_names": np.array(list(names)),
        "feature_mean": net.mean.numpy(), "feature_std": net.std.numpy(),
        "conv_layers": np.array(len(net.conv)), "dense_layers": np.array(len(net.dense)),
        "prior": prior.astype(np.float32), "unseen": np.array(unseen),
        "metadata": np.array(json.dumps(metadata or {}, sort_keys=True))}
    for prefix, layers in (("conv", net.conv), ("dense", net.dense)):
        for k, layer in enumerate(layers):
            arrays[f"{prefix}{k}_weight"] = layer.weight.detach().numpy().astype(np.float32)
            arrays[f"{prefix}{k}_bias"] = layer.bias.detach().numpy().astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.npz")
    np.savez_compressed(partial, **arrays)
    partial.replace(path)


def export_ensemble(members: Sequence[Path], out: Path) -> None:
    """Write one ensemble guide file holding every network of the `members` files, in order;
    checked by loading it back before it replaces `out`."""
    arrays = ensemble_arrays([read_arrays(Path(member)) for member in members])
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial.npz")
    np.savez_compressed(partial, **arrays)
    Guide.load(partial)
    partial.replace(out)


def run(data_dirs: Sequence[Path], out: Path, config: TrainConfig,
        on_load: Callable[[], None] | None = None,
        on_batch: Callable[[int, int], None] | None = None,
        on_epoch: Callable[[dict[str, float]], None] | None = None) -> TrainResult:
    """Load, split, train, export; return the figures (also stored in the file's metadata)."""
    registry = default_registry()
    names = registry.names()
    examples = load_examples(data_dirs, registry, on_load)
    train = [e for e in examples if not is_validation(e.program)]
    validation = [e for e in examples if is_validation(e.program)]
    if not train or not validation:
        raise ValueError(f"{', '.join(map(str, data_dirs))}: {len(examples)} tasks give {len(train)} to train on and "
                         f"{len(validation)} to validate on; generate more")
    train_arrays = to_arrays(train, names)
    net, result = train_guide(train_arrays, to_arrays(validation, names), names, config,
                              on_batch, on_epoch)
    metadata = {"config": asdict(config), "data": [str(d) for d in data_dirs],
                **asdict(result)}
    export(net, names, frequency_prior(train_arrays.labels), 1.0 / (len(train) + 2), out,
           metadata)
    return result
