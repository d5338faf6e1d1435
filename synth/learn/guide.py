"""synth's guide model in numpy: which primitives a task's program is likely to call.

DeepCoder style: each train pair becomes a feature vector (`pair_features`: shape relations,
colour histograms and changes, D8 and tiling matches, symmetries, object counts) plus the
output of a small convolutional encoder over both grids (`pair_grids`, `planes_of`: one-hot
colours and an inside-the-grid plane, 16x16, top-left aligned, larger grids sampled). The
per-pair vectors are pooled over the pairs (mean and max) and an MLP gives one sigmoid per
registry primitive: P(the primitive appears in the program). Registry primitives the file does
not name (added after training) get the file's `unseen` probability.

A file holds one network or several (`member0/...`, `member1/...`: an ensemble of seeds); the
guide averages the probabilities of every member over `augmentations` views of the task: the task
itself and colour-permuted copies of it (`colour_permutations`: one permutation of the colours
1..9 applied to every grid, background 0 kept, seeded by the task's grids), since a colour
permutation does not change which primitives the program needs. `label_shifted` corrects
probabilities for the gap between the primitive frequencies of the synthetic training data (the
file's `prior`) and real ones (the caller's, e.g. the golden library's).

`Guide.load(path)` reads the `.npz` that `synth.learn.train_guide` exports; this module never
imports torch, and training uses the same feature functions, so both sides see the same inputs.
`SHIPPED_GUIDE` is the weights file shipped in `models/guide/`; `load_shipped()` loads it.
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dsl.registry import default_registry
from native.components import NOT_VALUE, label

SHIPPED_GUIDE = Path(__file__).resolve().parents[2] / "models/guide/guide.npz"
FORMAT = 1  # one network, unprefixed arrays
ENSEMBLE_FORMAT = 2  # `members` networks, arrays under `member{k}/`
DEFAULT_AUGMENTATIONS = 1
_SHARED = ("format", "primitive_names", "prior", "unseen", "metadata", "members")  # not per member
PLANE = 16  # the conv encoder's grid side
COLOURS = 10
CHANNELS = 2 * (COLOURS + 1)  # one-hot colours + inside plane, for input and output
MAX_SIDE = 30.0

Pair = tuple[np.ndarray, np.ndarray]
_D8 = (lambda g: g, np.rot90, lambda g: np.rot90(g, 2), lambda g: np.rot90(g, 3),
       np.fliplr, np.flipud, np.transpose, lambda g: np.rot90(g, 2).T)


# ---------------------------------------------------------------- hand-computed features

def _histogram(grid: np.ndarray) -> np.ndarray:
    return np.bincount(grid.ravel(), minlength=COLOURS)[:COLOURS] / grid.size


def _ratio(a: int, b: int) -> float:
    return float(np.log2(a / b))


def _divides(a: int, b: int) -> float:
    return float(b % a == 0)


def _symmetries(grid: np.ndarray) -> list[float]:
    square = grid.shape[0] == grid.shape[1]
    return [float(np.array_equal(grid, grid[:, ::-1])), float(np.array_equal(grid, grid[::-1])),
            float(square and np.array_equal(grid, grid.T))]


def _objects(grid: np.ndarray, background: int) -> float:
    return float(np.log1p(label(grid.astype(np.uint8), 4, NOT_VALUE, background, False)[2]))


def _contains(big: np.ndarray, small: np.ndarray) -> float:
    """1.0 when `small` occurs as a contiguous block of `big`."""
    if small.shape[0] > big.shape[0] or small.shape[1] > big.shape[1]:
        return 0.0
    windows = np.lib.stride_tricks.sliding_window_view(big, small.shape)
    return float((windows == small).all(axis=(2, 3)).any())


def _d8_matches(grid: np.ndarray, out: np.ndarray) -> list[float]:
    """Per D8 transform: the fraction of equal cells where the shapes agree, else -1."""
    values = []
    for transform in _D8:
        moved = transform(grid)
        values.append(float((moved == out).mean()) if moved.shape == out.shape else -1.0)
    return values


def _scaling(grid: np.ndarray, out: np.ndarray) -> list[float]:
    """Output equals: the input tiled, the input upscaled, the input downscaled."""
    (hi, wi), (ho, wo) = grid.shape, out.shape
    tiled = upscaled = downscaled = 0.0
    if ho % hi == 0 and wo % wi == 0:
        ry, rx = ho // hi, wo // wi
        tiled = float(np.array_equal(np.tile(grid, (ry, rx)), out))
        upscaled = float(np.array_equal(np.repeat(np.repeat(grid, ry, 0), rx, 1), out))
    if hi % ho == 0 and wi % wo == 0:
        downscaled = float(np.array_equal(grid[::hi // ho, ::wi // wo], out))
    return [tiled, upscaled, downscaled]


def _same_shape(grid: np.ndarray, out: np.ndarray) -> list[float]:
    """Cell-level change figures of a same-shape pair (zeros otherwise): changed share, per
    colour the share of its input cells that changed and of output cells changed into it,
    whether the change is a colour map, and whether only background cells changed."""
    if grid.shape != out.shape:
        return [0.0] * (3 + 2 * COLOURS)
    changed = grid != out
    per_in = [float(changed[grid == c].mean()) if (grid == c).any() else 0.0
              for c in range(COLOURS)]
    per_out = [float(changed[out == c].mean()) if (out == c).any() else 0.0
               for c in range(COLOURS)]
    pairs = np.unique(grid.ravel() * COLOURS + out.ravel())
    colour_map = len(np.unique(pairs // COLOURS)) == len(pairs)
    background = int(np.bincount(grid.ravel(), minlength=COLOURS).argmax())
    only_background = bool(changed.any()) and bool((grid[changed] == background).all())
    return [float(changed.mean()), float(colour_map), float(only_background), *per_in, *per_out]


def pair_features(grid: np.ndarray, out: np.ndarray) -> np.ndarray:
    """The hand-computed features of one train pair (float32, `feature_count()` values)."""
    grid, out = np.asarray(grid, dtype=np.int64), np.asarray(out, dtype=np.int64)
    (hi, wi), (ho, wo) = grid.shape, out.shape
    h_in, h_out = _histogram(grid), _histogram(out)
    present_in, present_out = h_in > 0, h_out > 0
    bg_in, bg_out = int(h_in.argmax()), int(h_out.argmax())
    shape = [hi / MAX_SIDE, wi / MAX_SIDE, ho / MAX_SIDE, wo / MAX_SIDE,
             _ratio(ho, hi), _ratio(wo, wi), _ratio(ho * wo, hi * wi),
             float((hi, wi) == (ho, wo)), float((hi, wi) == (wo, ho)), float(ho == hi),
             float(wo == wi), _divides(hi, ho), _divides(wi, wo), _divides(ho, hi),
             _divides(wo, wi), float(ho * wo == 1), float(ho == wo), float(hi == wi)]
    colours = [*h_in, *h_out, *(h_out - h_in), *present_in, *present_out,
               present_in.sum() / COLOURS, present_out.sum() / COLOURS,
               float((present_out & ~present_in).any()), float((present_in & ~present_out).any()),
               float(bg_in == bg_out), float(bg_in == 0), float(bg_out == 0)]
    structure = [*_symmetries(grid), *_symmetries(out), _objects(grid, bg_in),
                 _objects(out, bg_out), _objects(out, bg_in) - _objects(grid, bg_in),
                 _contains(grid, out), _contains(out, grid),
                 len(np.unique(grid, axis=0)) / hi, len(np.unique(grid, axis=1)) / wi,
                 len(np.unique(out, axis=0)) / ho, len(np.unique(out, axis=1)) / wo]
    return np.array([*shape, *colours, *structure, *_d8_matches(grid, out),
                     *_scaling(grid, out), *_same_shape(grid, out)], dtype=np.float32)


def feature_count() -> int:
    """How many hand-computed features `pair_features` gives."""
    one = np.zeros((1, 1), dtype=np.int64)
    return len(pair_features(one, one))


def sampled_grid(grid: np.ndarray) -> np.ndarray:
    """(PLANE, PLANE) int8: the grid top-left aligned, -1 outside it; a side longer than PLANE
    is sampled at PLANE evenly spaced rows or columns."""
    h, w = grid.shape
    rows = np.arange(h) if h <= PLANE else (np.arange(PLANE) * h) // PLANE
    cols = np.arange(w) if w <= PLANE else (np.arange(PLANE) * w) // PLANE
    sampled = np.full((PLANE, PLANE), -1, dtype=np.int8)
    sampled[:len(rows), :len(cols)] = np.asarray(grid)[np.ix_(rows, cols)]
    return sampled


def pair_grids(grid: np.ndarray, out: np.ndarray) -> np.ndarray:
    """(2, PLANE, PLANE) int8: both grids of a pair, sampled (`sampled_grid`)."""
    return np.stack([sampled_grid(grid), sampled_grid(out)])


def planes_of(grids: np.ndarray) -> np.ndarray:
    """(..., 2, PLANE, PLANE) sampled grids -> (..., CHANNELS, PLANE, PLANE) float64: per grid
    ten one-hot colour planes and an inside plane (the conv encoder's input)."""
    one_hot = (grids[..., None, :, :] == np.arange(COLOURS)[:, None, None]).astype(np.float64)
    inside = (grids >= 0).astype(np.float64)[..., None, :, :]
    both = np.concatenate([one_hot, inside], axis=-3)  # (..., 2, COLOURS + 1, P, P)
    return both.reshape(*grids.shape[:-3], CHANNELS, PLANE, PLANE)


# ---------------------------------------------------------------- the numpy forward pass

def _conv3x3(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, stride: int) -> np.ndarray:
    """A 3x3 convolution with padding 1 (torch's Conv2d) on (N, C, H, W)."""
    n, c, h, w = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride]  # (N, C, H', W', 3, 3)
    return np.einsum("nchwij,ocij->nohw", windows, weight, optimize=True) \
        + bias[None, :, None, None]


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def pool_pairs(vectors: np.ndarray) -> np.ndarray:
    """(pairs, D) -> (2D,): mean then max over the pairs."""
    return np.concatenate([vectors.mean(axis=0), vectors.max(axis=0)])


@dataclass(frozen=True)
class Weights:
    """The arrays of one guide file (float64 copies of the exported float32 weights)."""

    feature_mean: np.ndarray
    feature_std: np.ndarray
    conv: tuple[tuple[np.ndarray, np.ndarray], ...]
    dense: tuple[tuple[np.ndarray, np.ndarray], ...]


def encode_pairs(weights: Weights, features: np.ndarray, grids: np.ndarray) -> np.ndarray:
    """(pairs, D): standardised hand features then the conv encoder's mean and max pools."""
    x = planes_of(grids)
    for k, (weight, bias) in enumerate(weights.conv):
        x = _relu(_conv3x3(x, weight, bias, stride=2 if k else 1))
    pooled = np.concatenate([x.mean(axis=(2, 3)), x.max(axis=(2, 3))], axis=1)
    standard = (features.astype(np.float64) - weights.feature_mean) / weights.feature_std
    return np.concatenate([standard, pooled], axis=1)


def forward(weights: Weights, features: np.ndarray, grids: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """(last hidden layer, logits) of one task from its pairs' features and sampled grids."""
    hidden = pool_pairs(encode_pairs(weights, features, grids))
    for weight, bias in weights.dense[:-1]:
        hidden = _relu(weight @ hidden + bias)
    weight, bias = weights.dense[-1]
    return hidden, weight @ hidden + bias


def task_inputs(train: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray]:
    """(features (pairs, F), sampled grids (pairs, 2, PLANE, PLANE)) of a task's train pairs."""
    if not train:
        raise ValueError("a task needs at least one train pair")
    return (np.stack([pair_features(i, o) for i, o in train]),
            np.stack([pair_grids(i, o) for i, o in train]))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


# ---------------------------------------------------------------- colour augmentation

def task_seed(train: Sequence[Pair]) -> int:
    """A seed that depends only on the task's grids (same task, same permutations)."""
    digest = 0
    for grid, out in train:
        for array in (np.asarray(grid, dtype=np.uint8), np.asarray(out, dtype=np.uint8)):
            digest = zlib.crc32(np.array(array.shape, dtype=np.int64).tobytes(), digest)
            digest = zlib.crc32(np.ascontiguousarray(array).tobytes(), digest)
    return digest


def colour_permutations(count: int, seed: int, permute_background: bool = False) -> np.ndarray:
    """(count, COLOURS) colour maps: row 0 the identity, the others random permutations of the
    colours 1..9 (of all ten with `permute_background`) drawn from `seed`."""
    if count < 1:
        raise ValueError(f"{count} colour permutations: need at least 1")
    rng = np.random.default_rng(seed)
    first = 0 if permute_background else 1
    maps = np.tile(np.arange(COLOURS), (count, 1))
    for row in maps[1:]:
        row[first:] = rng.permutation(row[first:])
    return maps


def recoloured(train: Sequence[Pair], colour_map: np.ndarray) -> list[Pair]:
    """Every grid of `train` with colour c replaced by `colour_map[c]`."""
    return [(colour_map[np.asarray(grid, dtype=np.int64)],
             colour_map[np.asarray(out, dtype=np.int64)]) for grid, out in train]


# ---------------------------------------------------------------- label shift

def _log_odds(p: float) -> float:
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


def label_shifted(probabilities: Mapping[str, float], trained: Mapping[str, float],
                  real: Mapping[str, float], strength: float) -> dict[str, float]:
    """Guide probabilities corrected for the gap between the frequencies of its training data
    and real ones: each name's log-odds moves by `strength` times log-odds(real frequency) -
    log-odds(training frequency) (a name missing from either table keeps its probability)."""
    shifted = {}
    for name, p in probabilities.items():
        if name in trained and name in real:
            gap = _log_odds(real[name]) - _log_odds(trained[name])
            p = 1.0 / (1.0 + math.exp(-(_log_odds(p) + strength * gap)))
        shifted[name] = p
    return shifted


# ---------------------------------------------------------------- the file

def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array of a guide file; ValueError naming the file when numpy cannot read it."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, EOFError) as err:
        raise ValueError(f"{path}: not a guide weights file ({err})") from err


def _array(data: Mapping[str, np.ndarray], key: str, path: Path) -> np.ndarray:
    if key not in data:
        raise ValueError(f"{path}: not a guide weights file (no '{key}' array)")
    return data[key]


def _layers(data: Mapping[str, np.ndarray], prefix: str, path: Path
            ) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    count = int(_array(data, f"{prefix}_layers", path))
    return tuple((_array(data, f"{prefix}{k}_weight", path).astype(np.float64),
                  _array(data, f"{prefix}{k}_bias", path).astype(np.float64))
                 for k in range(count))


def _weights(data: Mapping[str, np.ndarray], prefix: str, path: Path) -> Weights:
    """One network's arrays, named with `prefix` ('' or 'member{k}/')."""
    return Weights(_array(data, f"{prefix}feature_mean", path).astype(np.float64),
                   _array(data, f"{prefix}feature_std", path).astype(np.float64),
                   _layers(data, f"{prefix}conv", path), _layers(data, f"{prefix}dense", path))


def _members(data: Mapping[str, np.ndarray], version: int, path: Path) -> tuple[Weights, ...]:
    """The networks of a file: one (FORMAT) or `members` of them (ENSEMBLE_FORMAT)."""
    if version == FORMAT:
        return (_weights(data, "", path),)
    if version != ENSEMBLE_FORMAT:
        raise ValueError(f"{path}: guide format {version}, this synth reads {FORMAT} and "
                         f"{ENSEMBLE_FORMAT}")
    count = int(_array(data, "members", path))
    if count < 1:
        raise ValueError(f"{path}: an ensemble of {count} members")
    return tuple(_weights(data, f"member{k}/", path) for k in range(count))


def member_count(data: Mapping[str, np.ndarray]) -> int:
    """How many networks a file's arrays hold."""
    return 1 if int(data["format"]) == FORMAT else int(data["members"])


def member_arrays(data: Mapping[str, np.ndarray], k: int) -> dict[str, np.ndarray]:
    """The network arrays of member `k` of a file's arrays, unprefixed (a FORMAT 1 file's
    arrays are its member 0)."""
    if not 0 <= k < member_count(data):
        raise ValueError(f"a guide of {member_count(data)} networks has no member {k}")
    if int(data["format"]) == FORMAT:
        return {key: value for key, value in data.items() if key not in _SHARED}
    prefix = f"member{k}/"
    return {key[len(prefix):]: value for key, value in data.items() if key.startswith(prefix)}


def ensemble_arrays(files: Sequence[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """One ENSEMBLE_FORMAT file's arrays from the arrays of guide files with the same primitive
    names: every network of every file becomes a member, in order; the names, prior, unseen
    and metadata are the first file's."""
    if not files:
        raise ValueError("an ensemble needs at least one guide file")
    first = files[0]
    for other in files[1:]:
        if not np.array_equal(other["primitive_names"], first["primitive_names"]):
            raise ValueError("ensemble members name different primitives")
    networks = [member_arrays(data, k) for data in files for k in range(member_count(data))]
    arrays = {key: first[key] for key in _SHARED if key in first}
    arrays["format"], arrays["members"] = np.array(ENSEMBLE_FORMAT), np.array(len(networks))
    for k, network in enumerate(networks):
        arrays.update({f"member{k}/{key}": value for key, value in network.items()})
    return arrays


def _check_shapes(weights: Weights, n_names: int, path: Path) -> None:
    """Raise ValueError (naming the file) when the arrays do not chain up."""
    channels = CHANNELS
    for weight, bias in weights.conv:
        if weight.shape[1:] != (channels, 3, 3) or bias.shape != weight.shape[:1]:
            raise ValueError(f"{path}: conv weights of shape {weight.shape} do not fit "
                             f"{channels} input channels")
        channels = weight.shape[0]
    if weights.feature_mean.shape != (feature_count(),) or \
            weights.feature_std.shape != (feature_count(),):
        raise ValueError(f"{path}: made for {weights.feature_mean.shape[0]} pair features, "
                         f"this synth computes {feature_count()}")
    width = 2 * (feature_count() + 2 * channels)
    for weight, bias in weights.dense:
        if weight.ndim != 2 or weight.shape[1] != width or bias.shape != weight.shape[:1]:
            raise ValueError(f"{path}: dense weights of shape {weight.shape} do not fit "
                             f"{width} inputs")
        width = weight.shape[0]
    if width != n_names:
        raise ValueError(f"{path}: {width} outputs for {n_names} primitive names")


@dataclass(frozen=True)
class Guide:
    """A loaded guide: `primitive_probabilities` and `embedding` of a task's train pairs.
    `augmentations` is how many views of the task the probabilities are averaged over (the task,
    then colour-permuted copies; 1: the task alone), over every member network."""

    primitive_names: tuple[str, ...]
    members: tuple[Weights, ...]
    prior: np.ndarray  # training frequency of each primitive in `primitive_names`
    unseen: float  # the probability of a registry primitive the file does not name
    path: Path
    augmentations: int = DEFAULT_AUGMENTATIONS

    @classmethod
    def load(cls, path: Path, augmentations: int = DEFAULT_AUGMENTATIONS) -> Guide:
        """Read a `synth train guide` file (one network or an ensemble); ValueError naming the
        file when it is not one, was made for other features, or names primitives the registry
        lacks."""
        path = Path(path)
        if augmentations < 1:
            raise ValueError(f"{augmentations} augmentations: need at least 1")
        data = read_arrays(path)
        members = _members(data, int(_array(data, "format", path)), path)
        names = tuple(str(n) for n in _array(data, "primitive_names", path))
        unknown = sorted(set(names) - set(default_registry().names()))
        if unknown:
            raise ValueError(f"{path}: names primitives the registry lacks: "
                             f"{', '.join(unknown[:5])}")
        for weights in members:
            _check_shapes(weights, len(names), path)
        prior = _array(data, "prior", path).astype(np.float64)
        if prior.shape != (len(names),):
            raise ValueError(f"{path}: prior of shape {prior.shape} for {len(names)} names")
        return cls(names, members, prior, float(_array(data, "unseen", path)), path,
                   augmentations)

    def view_logits(self, train: Sequence[Pair]) -> np.ndarray:
        """(views, members, names) logits: every member on every view of the task."""
        views = [train]  # the identity view needs neither a seed nor a recoloured copy
        if self.augmentations > 1:
            maps = colour_permutations(self.augmentations, task_seed(train))
            views += [recoloured(train, colour_map) for colour_map in maps[1:]]
        rows = []
        for view in views:
            inputs = task_inputs(view)
            rows.append([forward(weights, *inputs)[1] for weights in self.members])
        return np.array(rows)

    def probabilities(self, train: Sequence[Pair]) -> np.ndarray:
        """One probability per name in `primitive_names`: the mean over views and members of
        the sigmoid of their logits."""
        return _sigmoid(self.view_logits(train)).mean(axis=(0, 1))

    def primitive_probabilities(self, train: Sequence[Pair]) -> dict[str, float]:
        """Every registry primitive name -> P(it appears in the program solving `train`)."""
        known = dict(zip(self.primitive_names, self.probabilities(train).tolist()))
        return {name: known.get(name, self.unseen) for name in default_registry().names()}

    def prior_probabilities(self) -> dict[str, float]:
        """The frequency prior the guide was trained against, for every registry name."""
        known = dict(zip(self.primitive_names, self.prior.tolist()))
        return {name: known.get(name, self.unseen) for name in default_registry().names()}

    def embedding(self, train: Sequence[Pair]) -> np.ndarray:
        """The first member's last hidden layer on the task itself, scaled to unit length
        (dot product = cosine)."""
        hidden = forward(self.members[0], *task_inputs(train))[0]
        norm = float(np.linalg.norm(hidden))
        return hidden / norm if norm > 0 else hidden


def load_shipped() -> Guide | None:
    """The shipped guide (`SHIPPED_GUIDE`), or None when the file is absent."""
    return Guide.load(SHIPPED_GUIDE) if SHIPPED_GUIDE.exists() else None
