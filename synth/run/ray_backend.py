"""Batch evaluation on a Ray cluster (`synth eval --backend ray`), synth's model server as a
Ray actor, and test-time training as a GPU task.

`run_on_ray` is the Ray counterpart of `synth.run.evaluate.run_tasks`: one Ray task per ARC
task (`num_cpus=1`, `memory` = `--memory-limit`, `max_retries=1`: a Ray worker that dies is
retried once, a solver's own failure never is), at most `--workers` in flight. The driver
collects each result as it lands (`ray.wait`) and hands it to `on_done`, which appends it to
`records.jsonl` exactly as the process backend does, so a killed driver resumes the same way.

Inside its Ray task, an ARC task runs through the process backend itself (`Local.run_tasks`,
handed over by `synth.run.evaluate`, which imports this module only for `--backend ray`):
the Ray worker resolves the solver by name and warms it up once per worker process, then
forks one child per task with the same isolation (one thread per numeric library, die with
the parent, `RLIMIT_AS` = `--memory-limit`) and the same wall-clock kill, so `solved`,
`unsolved`, `timeout`, `oom` and `error` mean what they mean there. The Ray worker itself is
not limited, but what it maps is inherited by the child and counts against the limit: its
object store (a local cluster is started with a small one, `OBJECT_STORE_MB`) and glibc's
malloc arenas, 64 MiB of address space per Ray thread (`WORKER_ENV` caps them at two, which
brings a worker near the process backend's parent, ~0.6 GiB). The driver also cancels
(`ray.cancel(force=True)`) a Ray task still running `START_ALLOWANCE_S` after the task's own
limit and grace (worker start and warm-up come before the task's clock): `timeout`. A worker
killed by Ray's memory monitor is `oom`; one that crashed twice, or any other Ray failure, is
`error`.

`--address auto` (or `ray://...`, `HOST:PORT`) joins a running cluster; without it a local
one is started with `--workers` CPUs, no dashboard, and no worker logs on the driver's
terminal. A connection that is already open (a test's, a notebook's) is used as it is.

Models: when a stage samples from local members, `model_servers` starts a `ModelServerActor`
on every node (one per GPU on a node with GPUs, each holding one GPU when the members are
not pinned to the CPU; else one per node without a GPU). It loads the members with
`synth.models.server.load_members` and serves them on the node's address; each Ray task sets
`SYNTH_MODEL_SERVER` to a server of its own node before its solver starts, so no task loads
weights. `ttt_remote` trains a member's per-task TTT adapter (`synth.models.ttt.tuned`) as a
Ray task with one GPU where the cluster has one.
"""
from __future__ import annotations

import logging
import os
import sys
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from synth.data.augment import Augmentation
from synth.data.errors import InputError
from synth.data.task import Challenge, Task
from synth.models.base import ModelUnavailable
from synth.models.load import SERVER_VAR, load_backend
from synth.models.server import ModelServer, load_members, local_members
from synth.models.spec import ModelSpec, load_models_file
from synth.models.ttt import Preset, Run, tuned
from synth.run.config import EvalConfig, SolveConfig
from synth.run.solvers import Solver, resolve_solver, warm_up

RAY_EXTRA = "pip install 'synth-arc[ray]'"
OBJECT_STORE_MB = 256
START_ALLOWANCE_S = 120.0
TICK_S = 0.5
SERVER_LOG = "model-server.log"
WORKER_ENV: Mapping[str, str] = MappingProxyType({"MALLOC_ARENA_MAX": "2"})

OnDone = Callable[[Task, Any], None]
Runner = Callable[[Iterable[Task], Solver, EvalConfig, OnDone, Callable[[], None]], None]
Servers = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Local:
    """What the Ray backend borrows from the process backend (`synth.run.evaluate` hands it
    over, so neither module imports the other): `run_tasks` runs tasks in forked, limited
    workers and reports each one's `Outcome`; `outcome` builds the Outcome of a task the
    cluster lost, `outcome(None, time_s, failure=STATUS, error=MESSAGE)`."""

    run_tasks: Runner
    outcome: Callable[..., Any]


@dataclass(frozen=True)
class _Flight:
    task: Task
    started: float
    deadline: float


# ---------------------------------------------------------------- connecting

def require_ray() -> Any:
    """The `ray` module; an InputError naming the extra when it is not installed."""
    try:
        import ray
    except ImportError:
        raise InputError(f"--backend ray needs the 'ray' package: {RAY_EXTRA}",
                         field="--backend") from None
    return ray


@contextmanager
def cluster(address: str | None, workers: int) -> Iterator[Any]:
    """Ray, connected to the cluster at `address` or to a local one started with `workers`
    CPUs; an open connection is used as it is and left open. Shuts down what it started."""
    ray = require_ray()
    if ray.is_initialized():
        yield ray
        return
    quiet = {"include_dashboard": False, "log_to_driver": False,
             "logging_level": logging.ERROR}
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=workers, object_store_memory=OBJECT_STORE_MB * 2**20, **quiet)
    except ConnectionError as err:
        raise InputError(f"no Ray cluster to join at '{address}': {_first_line(err)}",
                         field="--address") from None
    try:
        yield ray
    finally:
        ray.shutdown()


def _alive_nodes(ray: Any) -> list[dict[str, Any]]:
    return [node for node in ray.nodes() if node.get("Alive")]


def check_memory(ray: Any, memory_mb: int) -> None:
    """Refuse a `--memory-limit` no node of the cluster can grant (its tasks would wait
    forever)."""
    largest = max((node["Resources"].get("memory", 0) for node in _alive_nodes(ray)), default=0)
    if memory_mb * 2**20 > largest:
        raise InputError(f"{memory_mb} MiB per task is more than any node of the Ray cluster "
                         f"offers ({int(largest) // 2**20} MiB)", field="--memory-limit")


# ---------------------------------------------------------------- inside a Ray task

@cache
def _warm_solver(solve: SolveConfig) -> Solver:
    """The run's solver, resolved by name in this Ray worker and warmed up once per worker
    process, so the children it forks start warm, as the process backend's do."""
    solver = resolve_solver(solve.solver)
    warm_up(solver, solve)
    return solver


def mapped_mb() -> int:
    """This process's address space in MiB (what `RLIMIT_AS` counts)."""
    status = Path("/proc/self/status")
    if not status.is_file():
        return 0
    for line in status.read_text(encoding="utf-8").splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) // 1024
    return 0


def server_for(servers: Servers, node_id: str, task_id: str) -> str | None:
    """The model server a task on `node_id` uses: one of its node's (spread by task id), else
    one of any node's; None without servers."""
    urls = servers.get(node_id) or next(iter(servers.values()), ())
    return urls[zlib.crc32(task_id.encode()) % len(urls)] if urls else None


def _idle() -> None:
    """The per-tick callback of the single-task run inside a Ray task: nothing to redraw."""


def solve_in_ray_task(task: Task, config: EvalConfig, servers: Servers, local: Local) -> Any:
    """The body of one Ray task: point `SYNTH_MODEL_SERVER` at this node's model server,
    warm the solver up (once per worker), and run the task through the process backend (a
    forked child under the same limits); returns its Outcome."""
    ray = require_ray()
    url = server_for(servers, ray.get_runtime_context().get_node_id(), task.id)
    if url is not None:
        os.environ[SERVER_VAR] = url
    solver = _warm_solver(config.solve)
    mapped = mapped_mb()
    if mapped >= config.memory_mb:
        return local.outcome(None, 0.0, failure="error", error=(
            f"this Ray worker already maps {mapped} MiB (its object store counts), at or "
            f"above the {config.memory_mb} MiB limit: start the nodes with a smaller "
            f"--object-store-memory or raise --memory-limit"))
    found: list[Any] = []
    local.run_tasks([task], solver, replace(config, workers=1),
                    lambda _task, outcome: found.append(outcome), _idle)
    return found[0]


# ---------------------------------------------------------------- the driver

def _lines(err: BaseException) -> list[str]:
    return [line.strip() for line in str(err).splitlines() if line.strip()] or [
        type(err).__name__]


def _first_line(err: BaseException) -> str:
    return _lines(err)[0]


def _last_line(err: BaseException) -> str:
    """The end of a Ray error's text: the exception a remote traceback ends with."""
    return _lines(err)[-1]


def _since(flight: _Flight) -> float:
    return round(time.monotonic() - flight.started, 3)


def _result(ray: Any, ref: Any, flight: _Flight, local: Local) -> Any:
    """The Outcome a finished Ray task returned, or the one its failure means."""
    try:
        return ray.get(ref)
    except ray.exceptions.OutOfMemoryError as err:
        return local.outcome(None, _since(flight), failure="oom",
                             error=f"Ray's memory monitor killed the worker: {_first_line(err)}")
    except ray.exceptions.RayError as err:
        return local.outcome(None, _since(flight), failure="error",
                             error=f"the Ray task failed: {_last_line(err)}")


def _cancelled(ray: Any, ref: Any, flight: _Flight, local: Local, config: EvalConfig,
               allowance_s: float) -> Any:
    ray.cancel(ref, force=True)
    return local.outcome(None, _since(flight), failure="timeout", error=(
        f"cancelled on the Ray cluster after the {config.time_limit:g} s time limit "
        f"(+{config.grace_s:g} s grace, +{allowance_s:g} s for the worker to start)"))


def _ready(ray: Any, refs: list[Any], timeout: float) -> set[Any]:
    """The refs that have landed: waits up to `timeout` for the first, then takes all."""
    first, _ = ray.wait(refs, num_returns=1, timeout=max(0.0, timeout))
    if not first:
        return set()
    done, _ = ray.wait(refs, num_returns=len(refs), timeout=0)
    return set(done) | set(first)


def _landed(ray: Any, flights: dict[Any, _Flight], local: Local, config: EvalConfig,
            allowance_s: float) -> list[tuple[Any, Any]]:
    """(ref, Outcome) of every Ray task that finished, failed or overran since the last look."""
    nearest = min(f.deadline for f in flights.values()) - time.monotonic()
    ready = _ready(ray, list(flights), min(TICK_S, nearest))
    now = time.monotonic()
    return [(ref, _result(ray, ref, flight, local) if ref in ready
             else _cancelled(ray, ref, flight, local, config, allowance_s))
            for ref, flight in flights.items() if ref in ready or now >= flight.deadline]


def run_on_ray(tasks: Iterable[Task], config: EvalConfig, on_done: OnDone,
               on_tick: Callable[[], None], local: Local, members: Sequence[str] = (),
               allowance_s: float = START_ALLOWANCE_S) -> None:
    """Run tasks as Ray tasks, at most `config.workers` at once, and call `on_done` in the
    driver as each finishes; `members`: local models a stage samples from (served on the
    cluster for the run)."""
    with cluster(config.address, config.workers) as ray:
        check_memory(ray, config.memory_mb)
        remote = ray.remote(solve_in_ray_task).options(
            num_cpus=1, memory=config.memory_mb * 2**20, max_retries=1, retry_exceptions=False,
            runtime_env={"env_vars": dict(WORKER_ENV)})
        with model_servers(ray, config, members) as servers:
            queue = deque(tasks)
            flights: dict[Any, _Flight] = {}
            try:
                while queue or flights:
                    while queue and len(flights) < config.workers:
                        task, now = queue.popleft(), time.monotonic()
                        deadline = now + config.time_limit + config.grace_s + allowance_s
                        flights[remote.remote(task, config, servers, local)] = _Flight(
                            task, now, deadline)
                    for ref, outcome in _landed(ray, flights, local, config, allowance_s):
                        on_done(flights.pop(ref).task, outcome)
                    on_tick()
            finally:
                for ref in flights:
                    ray.cancel(ref, force=True)


# ---------------------------------------------------------------- models on the cluster

def _open_log(path: str | None) -> TextIO:
    """The server's log: `path` when its folder exists on this node, else standard error
    (the Ray worker's log)."""
    if path is not None and Path(path).parent.is_dir():
        return open(path, "a", encoding="utf-8", buffering=1)
    return sys.stderr


class ModelServerActor:
    """synth's model server inside a Ray actor: loads the named local members of the models
    file on its node (on the GPU Ray gave it, if any) and serves them over HTTP on the node's
    address until the actor ends."""

    def __init__(self, models_file: str, names: Sequence[str], log: str | None = None) -> None:
        os.environ.pop(SERVER_VAR, None)
        self._log = _open_log(log)
        backends = load_members(local_members(models_file, names), log=self._log)
        if not backends:
            raise ModelUnavailable("no local member can load on this node (see the model "
                                   "server's log)", file=models_file)
        host = require_ray().util.get_node_ip_address()
        self._server = ModelServer(backends, host, 0, log=self._log).start()

    def url(self) -> str:
        """The server's base URL (`http://NODE-IP:PORT/v1`)."""
        return self._server.url

    def close(self) -> None:
        """Stop serving."""
        self._server.close()


def uses_gpu(models_file: str, names: Sequence[str]) -> bool:
    """Whether any of the named members may run on a GPU (its device is not `cpu`)."""
    return any(spec.device != "cpu" for spec in load_models_file(models_file)
               if spec.name in names)


def server_placements(nodes: Sequence[Mapping[str, Any]], gpu: bool) -> list[tuple[str, int]]:
    """(node id, GPUs) of each model server: with `gpu`, one per GPU of a node that has
    GPUs, holding it; one per node without GPUs (or without `gpu`), holding none."""
    found: list[tuple[str, int]] = []
    for node in nodes:
        gpus = int(node["Resources"].get("GPU", 0)) if gpu else 0
        found += [(node["NodeID"], 1)] * gpus if gpus else [(node["NodeID"], 0)]
    return found


@contextmanager
def model_servers(ray: Any, config: EvalConfig, members: Sequence[str]) -> Iterator[Servers]:
    """synth's model server on every node of the cluster while the run lasts, when a stage
    samples from local `members`; yields node id → its servers' URLs. A server of the user's
    (`SYNTH_MODEL_SERVER`) is handed to every task instead, and none is started."""
    if not members or os.environ.get(SERVER_VAR):
        yield {"": (os.environ[SERVER_VAR],)} if members else {}
        return
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    models = str(config.solve.search.models)
    actor = ray.remote(ModelServerActor)
    placements = server_placements(_alive_nodes(ray), uses_gpu(models, members))
    log = str(config.out_dir.resolve() / SERVER_LOG)
    actors = [actor.options(num_cpus=0, num_gpus=gpus, scheduling_strategy=(
        NodeAffinitySchedulingStrategy(node, soft=False))).remote(models, list(members), log)
        for node, gpus in placements]
    try:
        try:
            urls = ray.get([a.url.remote() for a in actors])
        except ray.exceptions.RayError as err:
            raise ModelUnavailable(f"the model server did not start on the Ray cluster: "
                                   f"{_last_line(err)}") from None
        servers: dict[str, tuple[str, ...]] = {}
        for (node, _), url in zip(placements, urls):
            servers[node] = servers.get(node, ()) + (url,)
        yield servers
    finally:
        for a in actors:
            ray.kill(a)


# ---------------------------------------------------------------- test-time training

def ttt_options(ray: Any) -> dict[str, float]:
    """Resources of a TTT job: one GPU where the cluster has one, else one CPU only."""
    gpus = ray.cluster_resources().get("GPU", 0)
    return {"num_cpus": 1, "num_gpus": 1 if gpus >= 1 else 0}


def train_adapter(spec: ModelSpec, task: Challenge, views: Sequence[Augmentation],
                  preset: str | Preset, seed: int, seconds: float) -> Run:
    """Train (or load from the cache) a task's TTT adapter for a transformers member loaded in
    this process; the adapter stays in this node's `SYNTH_TTT_CACHE`; returns what was done."""
    os.environ.pop(SERVER_VAR, None)
    backend = load_backend(spec)
    with tuned(backend, task, views, preset, seed, seconds) as run:
        return run


def ttt_remote(spec: ModelSpec, task: Challenge, views: Sequence[Augmentation],
               preset: str | Preset, seed: int = 0, seconds: float = 60.0) -> Any:
    """`train_adapter` as a Ray task on the connected cluster (one GPU where it has one);
    returns its ObjectRef, whose value is the `Run`."""
    ray = require_ray()
    return ray.remote(train_adapter).options(**ttt_options(ray)).remote(
        spec, task, list(views), preset, seed, seconds)
