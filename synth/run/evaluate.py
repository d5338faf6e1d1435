"""Batch evaluation: run a solver over a dataset, one isolated worker process per task, resumably.

`run_eval(EvalConfig(...))` loads the dataset, selects tasks (`--ids`, then `--limit`), and runs
each pending task in its own forked worker (at most `workers` at once). A worker pins numeric
libraries to one thread, limits its address space to `memory_mb` MiB (`RLIMIT_AS`) and is
killed by the parent after `time_limit` plus a small grace. Per-task status:

- `solved`: pass@2 score 1.0; where the test outputs are unknown (hidden test set), the solver
  reported a program (programs are only reported once verified on every train pair);
- `unsolved`: otherwise, when the solver returned attempts;
- `timeout`: killed by the parent after the wall-time limit;
- `oom`: `MemoryError` under the memory limit, or the worker died by a signal typical of
  allocation failure (SIGKILL, SIGSEGV, SIGABRT, SIGBUS);
- `error`: the solver raised, returned an invalid submission, or the task itself is invalid
  (an `InputError` from the loader: score 0.0, `correct` [], one `[[0]]` submission entry).

A task without a usable answer is submitted as `[[0]]` for both attempts; its correctness is
still computed against the known outputs (so a `[[0]]` truth counts, as on Kaggle). Tasks with
unknown test outputs have score null and `correct` a list of nulls; they, and invalid tasks,
are left out of both aggregates (`synth.data.scoring.aggregate`).

Files in the output folder:

- `config.json`: what the results depend on: the dataset, its data version and every
  setting flagged as identity in `synth.run.config` (solver, limits, stage plan, search
  options; not `--ids`, `--limit`, `--workers`, `--out`), written once; a rerun with a
  different value is an `InputError`.
- `records.jsonl`: one line per finished task `{"id", "record", "entry", "error"}` (the
  results.json record, the submission entry, the error message or null) plus, when the
  solver answered, `"extras"`: the worker's peak RSS in MiB, the solver's search stats and
  its ranked `alternatives` (test outputs, support, `verified`, and per test output whether
  it is `correct`); the record's `any_correct` says whether a verified alternative was right;
  flushed and fsynced.
  A rerun skips the tasks recorded there; a truncated last line (SIGKILL mid-write) is dropped.
- `submission.json`, `results.json`, `report.html`: written atomically at the end, in dataset
  order, so an interrupted and resumed run gives the same files as an uninterrupted one (bar
  `time_s`). `report.html` is also refreshed about once a minute while the run goes on.
- `model-server.log`: when the llm stage samples from local members of `--models`
  (transformers, vllm), synth's model server (`synth.models.server`) holds their weights for
  the whole run and the workers reach it over HTTP (`SYNTH_MODEL_SERVER`); this is its log,
  one line per member loaded and per request.

Workers are forked from the parent, which stays single-threaded while they run (the progress
bar refreshes from the main loop), so forking is safe and the solver is imported only once.
With `--backend ray` the pending tasks run as Ray tasks instead (`synth.run.ray_backend`),
each through `run_tasks` inside its Ray task; records stream in the same way.
"""
from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from synth import __version__
from synth.data.datasets import Dataset, load_dataset, read_id_list
from synth.data.errors import InputError
from synth.data.atomic import write_text_atomic
from synth.models.load import SERVER_VAR
from synth.models.server import servable, start_server_process, stop_server_process
from synth.proposers.registry import PROPOSERS, parse_plan
from synth.run.report import write_report
from synth.data.scoring import aggregate, alternative_correct, output_correct, task_score
from synth.data.options import settings
from synth.run.config import EvalConfig, SolveConfig
from synth.run.solvers import Solver, resolve_solver, solver_info, warm_up
from synth.data.submission import (empty_entry, submission_entry, validate_submission,
                              write_json_atomic)
from synth.data.task import Challenge, Task, make_grid, read_json

STATUSES: tuple[str, ...] = ("solved", "unsolved", "timeout", "error", "oom")
THREAD_VARS: tuple[str, ...] = ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS", "MKL_NUM_THREADS",
                                "OPENBLAS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                                "NUMEXPR_NUM_THREADS")
OOM_SIGNALS: frozenset[int] = frozenset({signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT,
                                         signal.SIGBUS})
REPORT_EVERY_S = 60.0
TICK_S = 0.5
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Outcome:
    """What a worker produced for one task, or why it produced nothing (`failure`)."""

    entry: list | None
    time_s: float
    program: str | None = None
    proposer: str | None = None
    candidates: int = 0
    failure: str | None = None
    error: str | None = None
    extras: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class _Job:
    task: Task
    process: BaseProcess
    conn: Connection
    started: float
    deadline: float


# ---------------------------------------------------------------- selection and solver lookup

def select_ids(dataset: Dataset, ids_file: str | None, limit: int | None) -> list[str]:
    """Task ids to run, in dataset order: those in `ids_file` (if given), then the first `limit`."""
    ids = dataset.ids
    if ids_file is not None:
        wanted = read_id_list(ids_file)
        if not wanted:
            raise InputError("no task ids in the file", file=str(ids_file), field="--ids")
        unknown = [i for i in wanted if i not in dataset.entries]
        if unknown:
            more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
            raise InputError(f"task id '{unknown[0]}' is not in {dataset.name}{more}",
                             file=str(ids_file), field="--ids")
        keep = set(wanted)
        ids = [i for i in ids if i in keep]
    return ids[:limit] if limit else ids


# ---------------------------------------------------------------- run identity and records

def _dataset_key(spec: str) -> str:
    path = Path(spec)
    return str(path.resolve()) if path.exists() else spec


def run_identity(config: EvalConfig, dataset: Dataset) -> dict[str, Any]:
    """The settings that results depend on; stored in `config.json`, checked on resume."""
    return {"dataset": _dataset_key(config.dataset), "data_version": dataset.version,
            **settings(config, identity_only=True)}


def results_config(config: EvalConfig, solver: Solver) -> dict[str, Any]:
    """The `config` object of results.json: every setting, the mode, and the solver's own
    description of itself (stage plan, library folders and policy)."""
    found = {**settings(config), "mode": config.solve.mode()}
    info = solver_info(solver, config.solve)
    if info:
        found["solver_info"] = info
    return found


def check_identity(out_dir: Path, identity: Mapping[str, Any]) -> None:
    """Store `config.json` on a first run; on a rerun, refuse a differing setting."""
    path = out_dir / "config.json"
    if not path.exists():
        if (out_dir / "records.jsonl").exists():
            raise InputError("records.jsonl is here without the config.json that says how it "
                             "was made; use another --out", file=str(out_dir))
        write_json_atomic(path, dict(identity))
        return
    stored = read_json(path)
    if not isinstance(stored, dict):
        raise InputError("expected a JSON object", file=str(path))
    for key in identity:
        if stored.get(key) != identity[key]:
            raise InputError(f"this folder holds a run with {key}={stored.get(key)!r}, this run "
                             f"has {key}={identity[key]!r}; use another --out, or the same "
                             f"settings to resume", file=str(path), field=key)


def _parse_record(line: str) -> dict[str, Any] | None:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError:
        return None
    ok = (isinstance(rec, dict) and isinstance(rec.get("id"), str)
          and isinstance(rec.get("record"), dict) and isinstance(rec.get("entry"), list))
    return rec if ok else None


def _record_line(rec: Mapping[str, Any]) -> str:
    return json.dumps(rec, separators=(",", ":")) + "\n"


def load_records(path: Path) -> dict[str, dict[str, Any]]:
    """Finished-task records by id; drops a torn or corrupt line (rewriting the file atomically)."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8", errors="replace")
    records: dict[str, dict[str, Any]] = {}
    for line in text.splitlines():
        rec = _parse_record(line)
        if rec is not None:
            records.setdefault(rec["id"], rec)
    clean = "".join(_record_line(rec) for rec in records.values())
    if clean != text:
        write_text_atomic(path, clean)
    return records


class RecordLog:
    """Appends one JSON line per finished task to records.jsonl, flushed and fsynced."""

    def __init__(self, path: Path) -> None:
        self._fh = path.open("a", encoding="utf-8")

    def append(self, rec: Mapping[str, Any]) -> None:
        """Write one record durably."""
        self._fh.write(_record_line(rec))
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        """Close the file."""
        self._fh.close()


# ---------------------------------------------------------------- the worker (child process)

def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)


def _isolate(memory_mb: int, parent_pid: int) -> None:
    """Child set-up: one thread per numeric library, no Ctrl-C, die with the parent, RLIMIT_AS."""
    for var in THREAD_VARS:
        os.environ[var] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent_pid)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_mb * 2**20
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _describe(exc: Exception) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})" \
        if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _peak_rss_mb() -> float:
    """This process's peak resident memory in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _solve_message(task: Challenge, solver: Solver, solve_config: SolveConfig,
                   memory_mb: int) -> tuple:
    try:
        solution = solver(task, solve_config)
        entry = submission_entry(solution.attempts)
        extras = {"peak_rss_mb": _peak_rss_mb(), "stats": solution.stats,
                  "alternatives": list(solution.alternatives)}
        return ("ok", entry, solution.program, solution.proposer, int(solution.candidates),
                extras)
    except MemoryError:
        return ("oom", f"MemoryError under the {memory_mb} MiB address-space limit")
    except Exception as exc:  # the solver's failure is recorded, the run goes on
        return ("error", _describe(exc))


def _worker(task: Challenge, solver: Solver, solve_config: SolveConfig, memory_mb: int,
            parent_pid: int, conn: Connection) -> None:
    """Entry point of a worker process: solve one challenge (a task without its test
    outputs: the parent keeps those and scores) and send the result to the parent."""
    _isolate(memory_mb, parent_pid)
    conn.send(_solve_message(task, solver, solve_config, memory_mb))
    conn.close()


# ---------------------------------------------------------------- the parent's scheduling

def _start_job(task: Task, solver: Solver, config: EvalConfig) -> _Job:
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, name=f"synth-{task.id}", daemon=True,
                          args=(task.challenge(), solver, config.solve, config.memory_mb,
                                os.getpid(),
                                writer))
    started = time.monotonic()
    process.start()
    writer.close()
    return _Job(task, process, reader, started,
                started + config.time_limit + config.grace_s)


def _receive(conn: Connection) -> tuple | None:
    try:
        return conn.recv() if conn.poll() else None
    except (EOFError, OSError):
        return None


def _death(exitcode: int | None, memory_mb: int) -> tuple[str, str]:
    if exitcode is not None and exitcode < 0 and -exitcode in OOM_SIGNALS:
        name = signal.Signals(-exitcode).name
        return "oom", (f"worker killed by {name} (most likely memory exhaustion under the "
                       f"{memory_mb} MiB limit)")
    return "error", f"worker exited with code {exitcode} without a result"


def _outcome(message: tuple | None, exitcode: int | None, time_s: float,
             memory_mb: int) -> Outcome:
    if message is None:
        failure, error = _death(exitcode, memory_mb)
        return Outcome(None, time_s, failure=failure, error=error)
    if message[0] == "ok":
        _, entry, program, proposer, candidates, extras = message
        return Outcome(entry, time_s, program, proposer, candidates, extras=extras)
    return Outcome(None, time_s, failure=message[0], error=message[1])


def _reap(job: _Job, config: EvalConfig) -> Outcome:
    message = _receive(job.conn)
    time_s = round(time.monotonic() - job.started, 3)
    job.process.join(timeout=config.grace_s)
    hung = job.process.is_alive()
    if hung:
        job.process.kill()
        job.process.join()
    job.conn.close()
    if hung and message is None:
        return Outcome(None, time_s, failure="error",
                       error="worker closed its result pipe without answering or exiting")
    return _outcome(message, job.process.exitcode, time_s, config.memory_mb)


def _kill(job: _Job, config: EvalConfig) -> Outcome:
    job.process.kill()
    job.process.join()
    job.conn.close()
    time_s = round(time.monotonic() - job.started, 3)
    return Outcome(None, time_s, failure="timeout",
                   error=f"killed after the {config.time_limit:g} s time limit "
                         f"(+{config.grace_s:g} s grace)")


def _finished(job: _Job, ready: list, now: float, config: EvalConfig) -> Outcome | None:
    if job.conn in ready or job.process.sentinel in ready:
        return _reap(job, config)
    if now >= job.deadline:
        return _kill(job, config)
    return None


def _wait_for(running: list[_Job]) -> list:
    handles = [h for job in running for h in (job.conn, job.process.sentinel)]
    nearest = min(job.deadline for job in running) - time.monotonic()
    return wait(handles, timeout=max(0.0, min(nearest, TICK_S)))


def run_tasks(tasks: Iterable[Task], solver: Solver, config: EvalConfig,
              on_done: Callable[[Task, Outcome], None], on_tick: Callable[[], None]) -> None:
    """Run tasks in up to `config.workers` workers; call `on_done` as each one finishes."""
    queue = deque(tasks)
    running: list[_Job] = []
    try:
        while queue or running:
            while queue and len(running) < config.workers:
                running.append(_start_job(queue.popleft(), solver, config))
            ready = _wait_for(running)
            now = time.monotonic()
            for job in list(running):
                outcome = _finished(job, ready, now, config)
                if outcome is not None:
                    running.remove(job)
                    on_done(job.task, outcome)
            on_tick()
    finally:
        for job in running:
            _kill(job, config)


# ---------------------------------------------------------------- records, results, submission

def _correct(task: Task, entry: list) -> list[bool | None]:
    return [output_correct((make_grid(a["attempt_1"]), make_grid(a["attempt_2"])), ex.output)
            for a, ex in zip(entry, task.test)]


def _status(failure: str | None, score: float | None, program: str | None) -> str:
    if failure is not None:
        return failure
    if score is None:
        return "solved" if program is not None else "unsolved"
    return "solved" if score == 1.0 else "unsolved"


def _checked(task: Task, outcome: Outcome) -> Outcome:
    if outcome.entry is None:
        return outcome
    problems = validate_submission({task.id: outcome.entry}, {task.id: len(task.test)})
    if not problems:
        return outcome
    error = "solver returned an invalid submission: " + "; ".join(problems[:3])
    return Outcome(None, outcome.time_s, failure="error", error=error)


def any_correct(task: Task, alternatives: Iterable[Mapping[str, Any]]) -> bool | None:
    """Whether some verified alternative answers every test output correctly (None when the
    answers are unknown): together with the score this measures "found but not chosen"."""
    if any(ex.output is None for ex in task.test):
        return None
    return any(all(alternative_correct(task, alt)) for alt in alternatives if alt.get("verified"))


def task_record(task: Task, outcome: Outcome) -> dict[str, Any]:
    """The records.jsonl line for a task the solver ran on."""
    outcome = _checked(task, outcome)
    entry = outcome.entry if outcome.entry is not None else empty_entry(len(task.test))
    correct = _correct(task, entry)
    score = task_score(correct)
    extras = dict(outcome.extras or {})
    alternatives = [dict(alt, correct=alternative_correct(task, alt))
                    for alt in extras.get("alternatives", [])]
    record = {"score": score, "correct": correct,
              "status": _status(outcome.failure, score, outcome.program),
              "time_s": outcome.time_s, "program": outcome.program,
              "proposer": outcome.proposer, "candidates": outcome.candidates,
              "any_correct": any_correct(task, alternatives)}
    line = {"id": task.id, "record": record, "entry": entry, "error": outcome.error}
    if extras:
        if "alternatives" in extras:
            extras["alternatives"] = alternatives
        line["extras"] = extras
    return line


def invalid_task_record(task_id: str, err: InputError) -> dict[str, Any]:
    """The records.jsonl line for a task the loader rejected."""
    record = {"score": 0.0, "correct": [], "status": "error", "time_s": 0.0, "program": None,
              "proposer": None, "candidates": 0, "any_correct": None}
    return {"id": task_id, "record": record, "entry": empty_entry(1), "error": err.message}


def build_results(dataset: Dataset, config: Mapping[str, Any], ids: list[str],
                  records: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """results.json over the given ids (in that order), all of which must have records."""
    tasks = {i: records[i]["record"] for i in ids}
    score_task, score_output = aggregate(rec["correct"] for rec in tasks.values())
    return {"dataset": dataset.name, "data_version": dataset.version,
            "synth_version": __version__, "config": dict(config),
            "n_tasks": len(ids), "score_task": score_task, "score_output": score_output,
            "ranking_gap": ranking_gap(tasks.values()), "tasks": tasks}


def ranking_gap(records: Iterable[Mapping[str, Any]]) -> int:
    """Tasks where a verified candidate was right but the chosen attempts scored below 1."""
    return sum(1 for rec in records
               if rec.get("any_correct") and (rec.get("score") or 0.0) < 1.0)


def build_submission(dataset: Dataset, ids: list[str],
                     records: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """submission.json over the given ids; a validation failure is an internal error."""
    submission = {i: records[i]["entry"] for i in ids}
    n_tests = {i: len(e.test) if isinstance(e, Task) else 1
               for i, e in ((i, dataset.entries[i]) for i in ids)}
    problems = validate_submission(submission, n_tests)
    if problems:
        raise RuntimeError("internal error: invalid submission: " + "; ".join(problems[:5]))
    return submission


def write_outputs(out_dir: Path, dataset: Dataset, config: Mapping[str, Any], ids: list[str],
                  records: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Write submission.json, results.json and report.html atomically; return the results."""
    submission = build_submission(dataset, ids, records)
    results = build_results(dataset, config, ids, records)
    write_json_atomic(out_dir / "submission.json", submission)
    write_json_atomic(out_dir / "results.json", results)
    write_report(out_dir / "report.html", results, dataset, records)
    return results


# ---------------------------------------------------------------- progress display

class ProgressView:
    """A rich progress bar on a terminal, plain lines on a non-terminal, or nothing."""

    def __init__(self, enabled: bool, total: int, done: int, score: float) -> None:
        self._bar = None
        self._plain = enabled and not sys.stderr.isatty()
        self._total, self._done = total, done
        if enabled and not self._plain:
            self._bar = _rich_progress()
            self._task = self._bar.add_task("synth eval", total=total, completed=done,
                                            score=f"{score:.3f}")
            self._bar.start()

    def update(self, task_id: str, status: str, time_s: float, score: float) -> None:
        """Count one finished task."""
        self._done += 1
        if self._bar is not None:
            self._bar.update(self._task, advance=1, score=f"{score:.3f}", refresh=True)
        elif self._plain:
            print(f"[{self._done}/{self._total}] {task_id} {status} {time_s:.2f}s "
                  f"(running mean score_task {score:.3f})", file=sys.stderr, flush=True)

    def tick(self) -> None:
        """Redraw (elapsed time and ETA) without progress."""
        if self._bar is not None:
            self._bar.refresh()

    def close(self) -> None:
        """Stop the bar."""
        if self._bar is not None:
            self._bar.stop()


def _rich_progress() -> Any:
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("score_task {task.fields[score]}"), TimeElapsedColumn(),
                    TextColumn("ETA"), TimeRemainingColumn(),
                    console=Console(stderr=True), auto_refresh=False)


# ---------------------------------------------------------------- the run

class _Run:
    """One evaluation run's state: records so far, the record log, progress and snapshots."""

    def __init__(self, config: EvalConfig, dataset: Dataset, ids: list[str],
                 results_config: Mapping[str, Any]) -> None:
        self.config, self.dataset, self.ids = config, dataset, ids
        self.results_config = results_config
        records_path = config.out_dir / "records.jsonl"
        self.records = load_records(records_path)
        self.log = RecordLog(records_path)
        done = sum(i in self.records for i in ids)
        self.view = ProgressView(config.progress, len(ids), done, self.score())
        self.last_snapshot = time.monotonic()

    def score(self) -> float:
        """score_task over the selected tasks finished so far."""
        return aggregate(self.records[i]["record"]["correct"]
                         for i in self.ids if i in self.records)[0]

    def add(self, rec: dict[str, Any]) -> None:
        """Record a finished task durably and show it."""
        self.log.append(rec)
        self.records[rec["id"]] = rec
        record = rec["record"]
        self.view.update(rec["id"], record["status"], record["time_s"], self.score())

    def on_done(self, task: Task, outcome: Outcome) -> None:
        """Callback for `run_tasks`."""
        self.add(task_record(task, outcome))

    def on_tick(self) -> None:
        """Callback for `run_tasks`: redraw; refresh report.html about once a minute."""
        self.view.tick()
        if time.monotonic() - self.last_snapshot >= REPORT_EVERY_S:
            self.last_snapshot = time.monotonic()
            done = [i for i in self.ids if i in self.records]
            results = build_results(self.dataset, self.results_config, done, self.records)
            write_report(self.config.out_dir / "report.html", results, self.dataset,
                         self.records, total=len(self.ids))

    def close(self) -> None:
        """Close the log and the progress bar."""
        self.log.close()
        self.view.close()


def served_members(solve: SolveConfig) -> list[str]:
    """The local members (transformers, vllm) that can load here and that a stage of the plan
    will use: program writers for `llm`, grid writers for `transduction`; none without
    `--models`."""
    if solve.search.models is None:
        return []
    roles = {PROPOSERS[stage].model_role for stage, _ in parse_plan(solve.proposers)}
    return [name for role in sorted(r for r in roles if r is not None)
            for name in servable(solve.search.models, role=role)]


@contextmanager
def model_server(config: EvalConfig) -> Iterator[str | None]:
    """synth's model server for the run, when the llm stage samples from local members: it
    holds the weights, and `SYNTH_MODEL_SERVER` (its URL) makes `load_backend` reach those
    members through it, in the parent's warm-up and in every worker, so no task process loads
    weights under its memory limit. Its log is `OUT/model-server.log`; it is stopped when the
    run ends. Where `SYNTH_MODEL_SERVER` is already set (a `synth models serve` of the user's,
    shared by several runs), that server is used and none is started. Yields the URL, or None
    when no server is needed."""
    names = served_members(config.solve)
    if not names or os.environ.get(SERVER_VAR):
        yield os.environ.get(SERVER_VAR) if names else None
        return
    process, url = start_server_process(config.solve.search.models, names,
                                        log=config.out_dir / "model-server.log")
    os.environ[SERVER_VAR] = url
    try:
        yield url
    finally:
        os.environ.pop(SERVER_VAR, None)
        stop_server_process(process)


def _run_pending(pending: list[Task], solver: Solver, config: EvalConfig, run: _Run) -> None:
    """Run the pending tasks on the chosen backend: forked workers on this machine (the
    default), or Ray tasks (`synth.run.ray_backend`, which runs each task through `run_tasks`
    inside its Ray task and serves local models on the cluster itself)."""
    if config.backend == "ray":
        from synth.run.ray_backend import Local, run_on_ray

        run_on_ray(pending, config, run.on_done, run.on_tick, Local(run_tasks, Outcome),
                   served_members(config.solve))
        return
    with model_server(config):
        warm_up(solver, config.solve)
        run_tasks(pending, solver, config, run.on_done, run.on_tick)


def run_eval(config: EvalConfig) -> dict[str, Any]:
    """Evaluate a solver on a dataset (resuming from `config.out_dir`); return results.json."""
    if config.address is not None and config.backend != "ray":
        raise InputError("--address names a Ray cluster; it needs --backend ray",
                         field="--address")
    solver = resolve_solver(config.solve.solver)
    dataset = load_dataset(config.dataset)
    ids = select_ids(dataset, config.ids_file, config.limit)
    described = results_config(config, solver)
    config.out_dir.mkdir(parents=True, exist_ok=True)
    check_identity(config.out_dir, run_identity(config, dataset))
    run = _Run(config, dataset, ids, described)
    try:
        for task_id in ids:
            entry = dataset.entries[task_id]
            if task_id not in run.records and isinstance(entry, InputError):
                run.add(invalid_task_record(task_id, entry))
        pending = [dataset.entries[i] for i in ids if i not in run.records]
        if pending:
            _run_pending(pending, solver, config, run)
    finally:
        run.close()
    return write_outputs(config.out_dir, dataset, described, ids, run.records)
