"""The run configuration, declared once: SolveConfig (per task), EvalConfig (a batch run),
and the Solution a solver returns.

Every setting is a dataclass field carrying its command-line flag (`synth.data.options`):
the CLI flags, the run identity stored in an eval folder's config.json and the `config` of
results.json are all derived from these classes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.data.options import Flag, choice, nested, option, positive_float, positive_int
from synth.data.task import Grid
from synth.proposers.base import SearchOptions
from synth.proposers.registry import DEFAULT_PLAN


@dataclass(frozen=True)
class SolveConfig:
    """Per-task solver settings.

    `work_limit` switches to reproducible mode: the search stops after that many evaluations
    (split across stages like the time) instead of at a wall-clock deadline, Z3 queries are
    bounded by resource counts, and two runs give identical answers; `time_limit` stays a
    safety net (a solve it cuts short says so in its stats)."""

    solver: str = option("search", Flag("--solver", "solver name, or module:function for a "
                                                    "solver of your own", str, "NAME"))
    time_limit: float = option(30.0, Flag("--time-limit", "wall-clock budget per task in "
                                                          "seconds", positive_float, "S"))
    work_limit: int | None = option(None, Flag(
        "--work-limit", "reproducible mode: stop after N evaluations (primitive calls and "
        "program runs) instead of at the time limit; same answers on every run", positive_int,
        "N"))
    proposers: str = option(DEFAULT_PLAN, Flag(
        "--proposers", "stage plan: proposer names in running order, each optionally "
        "NAME:SHARE of the remaining budget", str, "PLAN"))
    agreement: int = option(3, Flag("--agreement", "stop once N distinct verified programs "
                                                   "agree on the test outputs", positive_int,
                                    "N"))
    voter: str | None = option(None, Flag("--voter", "rank verified candidates with this "
                                                     "meta-voter (synth voter train)",
                                          str, "FILE"))
    search: SearchOptions = nested(SearchOptions)

    @property
    def reproducible(self) -> bool:
        """Budgets count work, not seconds."""
        return self.work_limit is not None

    def mode(self) -> str:
        """`reproducible` (work budget) or `wall-clock`, as recorded in results.json."""
        return "reproducible" if self.reproducible else "wall-clock"


@dataclass(frozen=True)
class EvalConfig:
    """Settings of one `synth eval` run: the dataset and runner settings, plus the SolveConfig
    every task gets."""

    dataset: str
    ids_file: str | None = option(None, Flag("--ids", "only these task ids (one per line)",
                                             str, "FILE", identity=False))
    limit: int | None = option(None, Flag("--limit", "only the first N tasks", positive_int,
                                          "N", identity=False))
    memory_mb: int = option(4096, Flag("--memory-limit", "per-task address-space limit in MiB",
                                       positive_int, "MB"))
    workers: int = option(1, Flag("--workers", "tasks solved at once, each in its own process",
                                  positive_int, "N", identity=False))
    out_dir: Path = option(Path("runs/latest"), Flag(
        "--out", "output folder; rerunning on it resumes", Path, "DIR", identity=False,
        recorded=False))
    backend: str = option("process", Flag(
        "--backend", "where tasks run: process (forked workers on this machine) or ray (one "
        "Ray task per ARC task, on a local or joined Ray cluster; needs synth-arc[ray])",
        choice("process", "ray"), "NAME", identity=False))
    address: str | None = option(None, Flag(
        "--address", "with --backend ray: the Ray cluster to join ('auto': the one running "
        "here); none starts a local one with --workers CPUs", str, "ADDR", identity=False))
    progress: bool = True
    solve: SolveConfig = nested(SolveConfig)

    @property
    def time_limit(self) -> float:
        """The per-task wall-clock limit."""
        return self.solve.time_limit

    @property
    def grace_s(self) -> float:
        """Extra seconds a worker gets past the time limit before it is killed."""
        return 0.5 + 0.05 * self.time_limit


@dataclass(frozen=True)
class Solution:
    """Two attempts per test input, plus the program and proposer behind attempt 1.

    `program` is None when attempt 1 is a grid answer (its `proposer` says whose) or a
    fallback (then `proposer` is None too). `alternatives` lists the options the solver ranked
    (JSON-able dicts with at least `outputs`, one grid per test input as nested lists, and
    `verified`), best first.
    """

    attempts: tuple[tuple[Grid, Grid], ...]
    program: str | None = None
    proposer: str | None = None
    candidates: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    alternatives: tuple[dict[str, Any], ...] = ()
