"""The meta-voter: a small boosted-tree model that re-orders a task's verified alternatives.

`synth eval` records per task the options the solver ranked (`extras.alternatives`, see
`synth.select.rank`): the verified groups in the heuristic's order, then up to two unverified
fallbacks, each with per-test-output correctness. This module holds:

- features: `alternative_features` maps feature names to values: the `BASE_FEATURES` (support,
  cost, prior, grid answers and their confidence, properties of the test outputs, agreement with
  the other alternatives and the task's invariant checks from `synth.analysis.invariants`,
  encoded 1 / 0 / -1 for holds / violated / unknown; `alternative_checks` takes them as recorded
  by `synth.select.rank`, else computes them) plus `proposer_<name>` = 1 for every proposer that
  supports the alternative, whatever its name. `feature_names` picks a training set's columns
  (the base features, then a proposer column for every registered, reserved or seen proposer,
  sorted) and `feature_matrix` lays rows out in a given column order, absent names as 0;
- recorded runs: `load_runs` reads run folders (config.json, records.jsonl and the dataset
  named in config.json) into `RecordedTask`s; `training_rows` turns them into `TrainingRows`
  (X, y, task keys and the column names);
- training: `train_voter` fits the model on training-set runs only (an evaluation set is
  refused) and writes one JSON file (the xgboost model plus metadata) atomically; `fit_model`;
- use: `Voter.load` and `Voter.order`; a voter file keeps the column names it was trained on
  and rows are built in that order, so a file trained before a proposer or a base feature
  existed still loads and scores as it did (the new column is 0 for it, i.e. ignored);
- offline scoring: `replay` (pass@2 of an order), `heuristic_order`, `invariant_order`,
  `voted_order` and `order_figures` (score_task and ranking gap of a set of orders).

The model is xgboost's native `binary:logistic` booster (what `XGBClassifier` wraps; the
wrapper needs scikit-learn, which is not a dependency), one thread, fixed seed.
"""
from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from synth import __version__
from synth.data.atomic import write_text_atomic
from synth.data.datasets import Dataset, load_dataset
from synth.data.errors import InputError
from synth.data.scoring import alternative_correct, grids_equal
from synth.data.task import Challenge, Grid, Task, make_grid, parse_grid, read_json

CHECKS: tuple[str, ...] = ("size", "palette", "preserved")
SUPPORT_FEATURES: tuple[str, ...] = (
    "verified", "rank", "n_verified", "n_proposers", "programs", "members", "members_share",
    "grids", "confidence", "cost", "cost_gap", "prior", "prior_gap", "train_accuracy")
OUTPUT_FEATURES: tuple[str, ...] = (
    "identity", "single_colour", "same_shape", "colours", "new_colours", "kept_cells",
    "area_ratio")
AGREEMENT_FEATURES: tuple[str, ...] = ("shared_outputs", "shape_votes")
BASE_FEATURES: tuple[str, ...] = (*SUPPORT_FEATURES, *OUTPUT_FEATURES, *AGREEMENT_FEATURES,
                                  *(f"check_{c}" for c in CHECKS))
PROPOSER_PREFIX = "proposer_"
EVAL_DATASETS: frozenset[str] = frozenset({"arc1:eval", "arc2:eval"})
FORMAT = "synth-voter"
FORMAT_VERSION = 1
ROUNDS = 100
PARAMS = MappingProxyType({"objective": "binary:logistic", "max_depth": 3, "eta": 0.1,
                           "nthread": 1, "tree_method": "hist", "eval_metric": "logloss"})

Alternative = Mapping[str, Any]
Checks = Mapping[str, bool | None]
Row = dict[str, float]
Checker = Callable[[Challenge, Sequence[Sequence[Grid]]], list[Checks]]


def invariant_checks(task: Challenge, outputs: Sequence[Sequence[Grid]]) -> list[Checks]:
    """Per alternative (its test outputs), the task's invariant checks
    (`synth.analysis.invariants`)."""
    from synth.analysis.invariants import check_outputs, infer_invariants

    invariants = infer_invariants(task)
    return [dict(check_outputs(invariants, task, outs)) for outs in outputs]


def alternative_checks(task: Challenge, alternatives: Sequence[Alternative],
                       checker: Checker = invariant_checks,
                       outputs: Sequence[Sequence[Grid]] | None = None) -> list[Checks]:
    """Each alternative's invariant checks: the recorded `checks` (`synth.select.rank` records them;
    an empty dict where no invariants were inferred) when every alternative has them, else
    computed with `checker` (older runs); `outputs` are the parsed grids, if at hand."""
    recorded = [a.get("checks") for a in alternatives]
    if all(isinstance(c, Mapping) for c in recorded):
        return [dict(c) for c in recorded]
    return checker(task, outputs if outputs is not None else [_grids(a) for a in alternatives])


# ---------------------------------------------------------------- features

def _tri(value: bool | None) -> float:
    return -1.0 if value is None else float(bool(value))


def _grids(alternative: Alternative) -> tuple[Grid, ...]:
    return tuple(make_grid(o) for o in alternative.get("outputs", []))


def proposer_feature(name: str) -> str:
    """The column of a proposer: `proposer_feature("llm") == "proposer_llm"`."""
    return f"{PROPOSER_PREFIX}{name}"


def _support_features(alternatives: Sequence[Alternative], index: int) -> Row:
    alt = alternatives[index]
    verified = [a for a in alternatives if a.get("verified")]
    pool = verified or alternatives
    proposers = {str(p) for p in alt.get("proposers", [])}
    members = int(alt.get("members", 1))
    total = sum(int(a.get("members", 1)) for a in verified)
    cost, prior = float(alt.get("cost", 0)), float(alt.get("prior", 0.0))
    values = [float(bool(alt.get("verified"))), float(index), float(len(verified)),
              float(len(proposers)), float(alt.get("programs", 1)), float(members),
              members / total if alt.get("verified") and total else 0.0,
              float(alt.get("grids", 0)), float(alt.get("confidence", 0.0)),
              cost, cost - min(float(a.get("cost", 0)) for a in pool),
              prior, max(float(a.get("prior", 0.0)) for a in pool) - prior,
              float(alt.get("train_accuracy", 1.0 if alt.get("verified") else prior))]
    return {**dict(zip(SUPPORT_FEATURES, values, strict=True)),
            **{proposer_feature(p): 1.0 for p in sorted(proposers)}}


def _output_features(task: Challenge, outputs: Sequence[Grid]) -> Row:
    pairs = list(zip(outputs, task.test_inputs))
    if not pairs:
        return dict(zip(OUTPUT_FEATURES, [0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0], strict=True))
    same = [(o == i).mean() for o, i in pairs if o.shape == i.shape]
    values = [float(all(grids_equal(o, i) for o, i in pairs)),
              float(any(np.unique(o).size == 1 for o, _ in pairs)),
              float(np.mean([o.shape == i.shape for o, i in pairs])),
              float(np.mean([np.unique(o).size for o, _ in pairs])),
              float(np.mean([np.setdiff1d(o, i).size for o, i in pairs])),
              float(np.mean(same)) if same else -1.0,
              float(np.mean([o.size / i.size for o, i in pairs]))]
    return dict(zip(OUTPUT_FEATURES, values, strict=True))


def _agreement_features(grids: Sequence[Sequence[Grid]], index: int) -> Row:
    mine = grids[index]
    others = [g for j, g in enumerate(grids) if j != index]
    if not others or not mine:
        return dict.fromkeys(AGREEMENT_FEATURES, 0.0)
    shared = np.mean([sum(t < len(g) and grids_equal(out, g[t]) for g in others)
                      for t, out in enumerate(mine)])
    shapes = [o.shape for o in mine]
    votes = np.mean([[o.shape for o in g] == shapes for g in others])
    return dict(zip(AGREEMENT_FEATURES, [float(shared), float(votes)], strict=True))


def _features(task: Challenge, alternatives: Sequence[Alternative],
              grids: Sequence[Sequence[Grid]], index: int, checks: Checks) -> Row:
    return {**_support_features(alternatives, index), **_output_features(task, grids[index]),
            **_agreement_features(grids, index),
            **{f"check_{c}": _tri(checks.get(c)) for c in CHECKS}}


def alternative_features(task: Challenge, alternatives: Sequence[Alternative], index: int,
                         checks: Checks) -> Row:
    """The features of `alternatives[index]` among a task's options, by name: every one of
    `BASE_FEATURES`, plus `proposer_<name>` = 1.0 for each of its proposers.

    `checks` is `synth.analysis.invariants.check_outputs` of that alternative's test outputs; the
    alternatives are as recorded (outputs as nested lists, assumed valid grids)."""
    grids = [_grids(a) for a in alternatives]
    return _features(task, alternatives, grids, index, checks)


def task_features(task: Challenge, alternatives: Sequence[Alternative],
                  checks: Sequence[Checks]) -> list[Row]:
    """`alternative_features` of every alternative of a task (`checks`: one per alternative)."""
    grids = [_grids(a) for a in alternatives]
    return [_features(task, alternatives, grids, i, checks[i]) for i in range(len(alternatives))]


def known_proposers() -> frozenset[str]:
    """The proposer names of `synth.proposers.registry`, available and reserved."""
    from synth.proposers.registry import PROPOSERS, RESERVED

    return frozenset(PROPOSERS) | frozenset(RESERVED)


def feature_names(rows: Iterable[Mapping[str, float]],
                  proposers: Iterable[str] | None = None) -> tuple[str, ...]:
    """The columns to train on: `BASE_FEATURES`, then sorted, a proposer column for every name
    in `proposers` (default: `known_proposers()`) and every proposer column of the rows."""
    names = {proposer_feature(p) for p in (known_proposers() if proposers is None else proposers)}
    names.update(name for row in rows for name in row if name.startswith(PROPOSER_PREFIX))
    return (*BASE_FEATURES, *sorted(names))


def feature_matrix(rows: Sequence[Mapping[str, float]], names: Sequence[str]) -> np.ndarray:
    """The rows laid out in the order of `names` (float32, n x len(names)); a name a row lacks
    is 0.0 and a feature not named is left out."""
    return np.array([[row.get(name, 0.0) for name in names] for row in rows],
                    dtype=np.float32).reshape(len(rows), len(names))


def unknown_features(names: Iterable[str]) -> list[str]:
    """The names that are neither a base feature nor a proposer column (a typo, or a feature
    this synth no longer computes)."""
    return [n for n in names if n not in BASE_FEATURES
            and not (n.startswith(PROPOSER_PREFIX) and len(n) > len(PROPOSER_PREFIX))]


# ---------------------------------------------------------------- orders and replay

def heuristic_order(alternatives: Sequence[Alternative]) -> list[int]:
    """The recorded order."""
    return list(range(len(alternatives)))


def _split(alternatives: Sequence[Alternative]) -> tuple[list[int], list[int]]:
    verified = [i for i, a in enumerate(alternatives) if a.get("verified")]
    return verified, [i for i, a in enumerate(alternatives) if not a.get("verified")]


def invariant_order(alternatives: Sequence[Alternative], checks: Sequence[Checks]) -> list[int]:
    """Verified alternatives that violate no invariant, then the violating verified ones
    (each in the recorded order), then the unverified ones."""
    verified, rest = _split(alternatives)
    consistent = [i for i in verified if False not in checks[i].values()]
    return consistent + [i for i in verified if i not in consistent] + rest


def voted_order(alternatives: Sequence[Alternative], scores: Sequence[float]) -> list[int]:
    """Verified alternatives by descending score (ties: recorded order), then the unverified
    ones in the recorded order."""
    verified, rest = _split(alternatives)
    return sorted(verified, key=lambda i: (-float(scores[i]), i)) + rest


def replay(alternatives: Sequence[Alternative], order: Sequence[int],
           n_tests: int) -> list[bool]:
    """Per test output, whether pass@2 with the first two alternatives of `order` is right.

    Uses each alternative's recorded `correct` list. Where fewer than two alternatives exist
    the solver answers the test input (identity); the replay counts that attempt as wrong,
    as it does a missing or unknown (`None`) `correct` entry."""
    chosen = [alternatives[i].get("correct") or [] for i in order[:2]]
    return [any(t < len(c) and bool(c[t]) for c in chosen) for t in range(n_tests)]


def all_correct(alternative: Alternative) -> bool:
    """True when the alternative answers every test output right."""
    correct = alternative.get("correct") or []
    return bool(correct) and all(c is True for c in correct)


# ---------------------------------------------------------------- recorded runs

@dataclass(frozen=True)
class RecordedTask:
    """A scored task of a run with its recorded alternatives (each with `correct` filled)."""

    key: str
    task: Challenge
    alternatives: tuple[Alternative, ...]
    outputs: tuple[tuple[Grid, ...], ...]

    @property
    def n_tests(self) -> int:
        """Number of test outputs."""
        return len(self.task.test_inputs)

    @property
    def votable(self) -> bool:
        """At least one verified alternative: the voter only reorders those."""
        return any(a.get("verified") for a in self.alternatives)

    @property
    def any_correct(self) -> bool:
        """A verified alternative answers every test output right."""
        return any(a.get("verified") and all_correct(a) for a in self.alternatives)


@dataclass(frozen=True)
class RecordedRun:
    """A run folder: its config.json and its scored tasks."""

    path: Path
    config: Mapping[str, Any]
    tasks: tuple[RecordedTask, ...]

    @property
    def dataset(self) -> str:
        """The dataset spec of config.json."""
        return str(self.config.get("dataset"))


def read_run_config(run_dir: str | Path) -> dict[str, Any]:
    """A run folder's config.json (an InputError names the file when missing or malformed)."""
    path = Path(run_dir) / "config.json"
    config = read_json(path)
    if not isinstance(config, dict) or not isinstance(config.get("dataset"), str):
        raise InputError("expected a run config object with a 'dataset' string", file=str(path),
                         field="dataset")
    return config


def is_evaluation_run(config: Mapping[str, Any]) -> bool:
    """An evaluation set: arc1:eval, arc2:eval, a config flagged `"evaluation": true`, or a
    dataset file or folder whose name contains "evaluation" (e.g. Kaggle bundles)."""
    dataset = str(config.get("dataset", ""))
    return (dataset in EVAL_DATASETS or config.get("evaluation") is True
            or "evaluation" in Path(dataset).name.lower())


def refuse_evaluation_runs(run_dirs: Iterable[str | Path]) -> None:
    """Raise an InputError naming the first run whose dataset is an evaluation set."""
    for run_dir in run_dirs:
        config = read_run_config(run_dir)
        if is_evaluation_run(config):
            raise InputError(f"dataset {config['dataset']!r} is an evaluation set; the voter is "
                             f"trained on training-set runs only",
                             file=str(Path(run_dir) / "config.json"), field="dataset")


def _read_records(path: Path) -> list[dict[str, Any]]:
    """records.jsonl lines as dicts, the first per task id (as `synth.run.evaluate.load_records`);
    an unparsable line (a torn write) is skipped. Read only: the run may still be going."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    records: dict[str, dict[str, Any]] = {}
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict) and isinstance(rec.get("id"), str):
            records.setdefault(rec["id"], rec)
    return list(records.values())


def _parsed_outputs(alternative: Any, n_tests: int, where: str) -> tuple[Grid, ...]:
    if not isinstance(alternative, dict) or not isinstance(alternative.get("outputs"), list):
        raise InputError("expected an object with an 'outputs' list", field=where)
    outputs = alternative["outputs"]
    if len(outputs) != n_tests:
        raise InputError(f"{len(outputs)} outputs for {n_tests} test inputs",
                         field=f"{where}.outputs")
    return tuple(parse_grid(o, f"{where}.outputs[{t}]") for t, o in enumerate(outputs))


def _recorded_task(rec: Mapping[str, Any], dataset: Dataset, path: Path) -> RecordedTask | None:
    """The record as a RecordedTask, or None when it cannot be scored (unknown answers,
    invalid task)."""
    task = dataset.entries.get(rec["id"])
    if not isinstance(task, Task) or not task.has_test_outputs:
        return None
    raw = (rec.get("extras") or {}).get("alternatives") or []
    try:
        outputs = tuple(_parsed_outputs(a, len(task.test), f"extras.alternatives[{i}]")
                        for i, a in enumerate(raw))
    except InputError as err:
        raise err.located(file=str(path), task_id=task.id) from None
    alternatives = tuple(MappingProxyType(dict(a, correct=alternative_correct(task, a)))
                         for a in raw)
    return RecordedTask(f"{dataset.name}:{task.id}", task.challenge(), alternatives, outputs)


def load_runs(run_dirs: Sequence[str | Path]) -> list[RecordedRun]:
    """Read run folders; each run's dataset is loaded from its config.json (once per spec)
    and must still have the recorded data_version."""
    datasets: dict[str, Dataset] = {}
    runs = []
    for run_dir in run_dirs:
        path = Path(run_dir)
        config = read_run_config(path)
        spec = config["dataset"]
        if spec not in datasets:
            datasets[spec] = load_dataset(spec)
        dataset = datasets[spec]
        if config.get("data_version", dataset.version) != dataset.version:
            raise InputError(f"recorded on {config['data_version']!r}, the dataset is now "
                             f"{dataset.version!r}", file=str(path / "config.json"),
                             field="data_version")
        records = _read_records(path / "records.jsonl")
        tasks = (_recorded_task(rec, dataset, path / "records.jsonl") for rec in records)
        runs.append(RecordedRun(path, config, tuple(t for t in tasks if t is not None)))
    return runs


@dataclass(frozen=True)
class TrainingRows:
    """Labelled feature rows: X (one row per alternative, columns `names`), y (the
    alternative answers every test output right) and the task key of each row."""

    x: np.ndarray
    y: np.ndarray
    keys: tuple[str, ...]
    names: tuple[str, ...]


def task_rows(tasks: Iterable[RecordedTask], checker: Checker = invariant_checks,
              proposers: Iterable[str] | None = None) -> TrainingRows:
    """The rows of every alternative of the given tasks, with the columns of `feature_names`
    (`proposers`: the names that get a column even when unseen; default: the registry's)."""
    rows: list[Row] = []
    labels: list[bool] = []
    keys: list[str] = []
    for rt in tasks:
        checks = alternative_checks(rt.task, rt.alternatives, checker, rt.outputs)
        rows.extend(task_features(rt.task, rt.alternatives, checks))
        labels.extend(all_correct(a) for a in rt.alternatives)
        keys.extend([rt.key] * len(rt.alternatives))
    names = feature_names(rows, proposers)
    return TrainingRows(feature_matrix(rows, names), np.array(labels, dtype=np.float32),
                        tuple(keys), names)


def votable_tasks(runs: Iterable[RecordedRun]) -> list[RecordedTask]:
    """The tasks of the runs with at least one verified alternative."""
    return [rt for run in runs for rt in run.tasks if rt.votable]


def training_rows(run_dirs: Sequence[str | Path], checker: Checker = invariant_checks
                  ) -> TrainingRows:
    """One row per alternative of every scored task with a verified alternative of the runs."""
    return task_rows(votable_tasks(load_runs(run_dirs)), checker)


# ---------------------------------------------------------------- the model

def fit_model(x: np.ndarray, y: np.ndarray, names: Sequence[str], seed: int = 0) -> Any:
    """An xgboost booster (`PARAMS`, `ROUNDS` trees) fitted to the rows (columns `names`);
    needs both labels."""
    import xgboost

    if not (y == 1).any() or not (y == 0).any():
        raise InputError(f"{len(y)} alternatives, {int((y == 1).sum())} of them right: the voter "
                         f"needs both right and wrong alternatives of tasks with a verified one")
    data = xgboost.DMatrix(x, label=y, feature_names=list(names), nthread=1)
    return xgboost.train({**PARAMS, "seed": seed}, data, num_boost_round=ROUNDS)


def predict(booster: Any, x: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Probability that each row's alternative is right (columns `names`, as trained)."""
    import xgboost

    return booster.predict(xgboost.DMatrix(x, feature_names=list(names), nthread=1))


def _run_meta(run: RecordedRun) -> dict[str, Any]:
    return {"path": str(run.path), "dataset": run.dataset,
            "data_version": run.config.get("data_version"),
            "time_limit": run.config.get("time_limit"), "solver": run.config.get("solver")}


def train_voter(run_dirs: Sequence[str | Path], out_path: str | Path, seed: int = 0,
                checker: Checker = invariant_checks) -> dict[str, Any]:
    """Fit the voter on training-set runs and write it to `out_path`; return its metadata
    (`features`: the columns, see `feature_names`).

    Any run on an evaluation set is refused (InputError) before anything is read."""
    if not run_dirs:
        raise InputError("no run folders given", field="RUN_DIR")
    refuse_evaluation_runs(run_dirs)
    runs = load_runs(run_dirs)
    rows = task_rows(votable_tasks(runs), checker)
    x, y = rows.x, rows.y
    booster = fit_model(x, y, rows.names, seed)
    accuracy = float(((predict(booster, x, rows.names) >= 0.5) == (y == 1)).mean())
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "features": list(rows.names),
            "synth_version": __version__,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "params": {**PARAMS, "seed": seed, "rounds": ROUNDS},
            "training": {"runs": [_run_meta(r) for r in runs], "rows": len(y),
                         "tasks": len(set(rows.keys)), "positives": int((y == 1).sum()),
                         "train_accuracy": round(accuracy, 4)}}
    model = json.loads(bytes(booster.save_raw("json")).decode("utf-8"))
    write_text_atomic(Path(out_path), json.dumps({**meta, "model": model},
                                                 separators=(",", ":")))
    return meta


def _file_features(data: Mapping[str, Any], path: str | Path) -> tuple[str, ...]:
    """The `features` of a voter file: distinct names, each a base feature or a proposer
    column (any proposer name: one this synth does not run is simply never 1)."""
    names = data.get("features")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InputError("expected a list of feature names", file=str(path), field="features")
    if len(set(names)) != len(names):
        raise InputError("a feature is named twice", file=str(path), field="features")
    unknown = unknown_features(names)
    if unknown:
        raise InputError(f"trained on features this synth does not compute "
                         f"({', '.join(map(repr, unknown))}); retrain it with `synth voter "
                         f"train`", file=str(path), field="features")
    return tuple(names)


@dataclass(frozen=True)
class Voter:
    """A trained voter: the booster, the file's metadata and the invariant checker.

    Rows are built in the order of the file's `features`: a base feature or proposer column
    the file lacks is left out, one it has that an alternative lacks is 0."""

    booster: Any
    meta: Mapping[str, Any]
    checker: Checker = invariant_checks

    @classmethod
    def load(cls, path: str | Path, checker: Checker = invariant_checks) -> Voter:
        """Read a voter file; a missing, corrupt or out-of-date file is an InputError."""
        import xgboost

        data = read_json(Path(path))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(f"not a {FORMAT} file", file=str(path), field="format")
        if data.get("format_version") != FORMAT_VERSION:
            raise InputError(f"format version {data.get('format_version')!r}, expected "
                             f"{FORMAT_VERSION}", file=str(path), field="format_version")
        names = _file_features(data, path)
        if not isinstance(data.get("model"), dict):
            raise InputError("expected the xgboost model object", file=str(path), field="model")
        booster = xgboost.Booster()
        try:
            booster.load_model(bytearray(json.dumps(data["model"]).encode("utf-8")))
        except xgboost.core.XGBoostError as err:
            reason = str(err).splitlines()[0]
            raise InputError(f"not a valid xgboost model ({reason})", file=str(path),
                             field="model") from None
        booster.set_param({"nthread": 1})
        if list(booster.feature_names or names) != list(names) or \
                booster.num_features() != len(names):
            raise InputError(f"the model's {booster.num_features()} columns are not the "
                             f"{len(names)} features listed", file=str(path), field="features")
        meta = MappingProxyType({k: v for k, v in data.items() if k != "model"})
        return cls(booster, meta, checker)

    @property
    def features(self) -> tuple[str, ...]:
        """The column names the voter was trained on, in order."""
        return tuple(self.meta["features"])

    def scores(self, task: Challenge, alternatives: Sequence[Alternative],
               checks: Sequence[Checks] | None = None) -> np.ndarray:
        """Probability that each alternative is right (`checks`, when not given: the recorded
        ones, else computed, see `alternative_checks`)."""
        if not alternatives:
            return np.zeros(0, dtype=np.float32)
        if checks is None:
            checks = alternative_checks(task, alternatives, self.checker)
        rows = task_features(task, alternatives, checks)
        return predict(self.booster, feature_matrix(rows, self.features), self.features)

    def order(self, task: Challenge, alternatives: Sequence[Alternative],
              checks: Sequence[Checks] | None = None) -> list[int]:
        """Verified alternatives by predicted probability (ties: recorded order), then the
        unverified ones in the recorded order."""
        if not any(a.get("verified") for a in alternatives):
            return heuristic_order(alternatives)
        return voted_order(alternatives, self.scores(task, alternatives, checks))


# ---------------------------------------------------------------- offline figures

def order_figures(tasks: Sequence[RecordedTask], orders: Sequence[Sequence[int]]
                  ) -> dict[str, Any]:
    """n tasks, tasks with a right verified alternative, replayed score_task, and the ranking
    gap (tasks with a right verified alternative whose replayed score is below 1)."""
    scores = [float(np.mean(replay(rt.alternatives, order, rt.n_tests)))
              for rt, order in zip(tasks, orders, strict=True)]
    gap = sum(1 for rt, s in zip(tasks, scores) if rt.any_correct and s < 1.0)
    return {"n_tasks": len(tasks), "any_correct": sum(rt.any_correct for rt in tasks),
            "score_task": sum(scores) / len(scores) if scores else 0.0, "ranking_gap": gap}
