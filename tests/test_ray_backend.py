"""Tests of `synth eval --backend ray` on one local 2-CPU Ray cluster shared by the module:
the same statuses and answers as the process backend (timeout and oom included), a driver
killed with SIGKILL and resumed, the driver's cancel of an overrunning Ray task, a crashed
worker retried once, the model server as an actor reached by the tasks, TTT resources, and
the one-line error without the `ray` package."""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

ray = pytest.importorskip("ray")

from synth.cli.main import main  # noqa: E402
from synth.data.datasets import load_dataset  # noqa: E402
from synth.data.task import Challenge  # noqa: E402
from synth.models.base import GenerateParams  # noqa: E402
from synth.models.load import SERVER_VAR, load_backend  # noqa: E402
from synth.models.spec import load_models_file  # noqa: E402
from synth.run import ray_backend  # noqa: E402
from synth.run.config import EvalConfig, SolveConfig, Solution  # noqa: E402
from synth.proposers.base import SearchOptions  # noqa: E402
from synth.run.evaluate import Outcome, run_eval, run_tasks  # noqa: E402
from synth.run.solvers import solve_baseline  # noqa: E402
from tests.helpers import greedy, sleepy_on_b  # noqa: E402
from tests.test_evaluate import (IDENTITY, FLIP, _wait_for_lines, evaluate,  # noqa: E402
                                 make_folder, read_lines, without_times)

REPO = Path(__file__).resolve().parents[1]
MARKS_VAR = "SYNTH_TEST_RAY_MARKS"
REAL_IDS = ("4522001f", "6150a2bd", "9172f3a0")
LOCAL = ray_backend.Local(run_tasks, Outcome)


# ---------------------------------------------------------------- solvers the Ray workers import

def misbehaving(task: Challenge, config: SolveConfig) -> Solution:
    """Allocates 10 GB on ids starting with 'g', sleeps forever on those starting with 'b',
    else the baseline."""
    if task.id.startswith("g"):
        return greedy(task, config)
    return sleepy_on_b(task, config)


def parricide(task: Challenge, config: SolveConfig) -> Solution:
    """Leaves a mark, then kills the Ray worker that forked it (a crashed Ray worker)."""
    (Path(os.environ[MARKS_VAR]) / f"{task.id}-{os.getpid()}").touch()
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(60)
    return solve_baseline(task, config)


class HangingWarmUp:
    """The baseline, behind a warm-up that never ends (the Ray task never starts its clock)."""

    def __call__(self, task: Challenge, config: SolveConfig) -> Solution:
        return solve_baseline(task, config)

    def warm_up(self, config: SolveConfig) -> None:
        time.sleep(3600)


hanging = HangingWarmUp()


def through_server(task: Challenge, config: SolveConfig) -> Solution:
    """Samples once from the models file's member, then answers the baseline; its stats say
    which server it reached, through which backend, and whether torch was ever imported."""
    (spec,) = load_models_file(str(config.search.models))
    backend = load_backend(spec)
    (samples,) = backend.generate(["solve(I: Grid) -> Grid:\n"],
                                  GenerateParams(n=1, max_new_tokens=4, temperature=0.0))
    seen = {"server": os.environ.get(SERVER_VAR), "backend": type(backend).__name__,
            "torch_imported": "torch" in sys.modules, "text": samples[0].text}
    return replace(solve_baseline(task, config), stats=seen)


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local Ray cluster with 2 CPUs for the whole module; yields its address."""
    marks = tmp_path_factory.mktemp("marks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(MARKS_VAR, str(marks))
        patch.delenv(SERVER_VAR, raising=False)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.ERROR,
                 object_store_memory=ray_backend.OBJECT_STORE_MB * 2**20)
        try:
            yield ray.get_runtime_context().gcs_address
        finally:
            ray.shutdown()


def six_tasks(root: Path) -> Path:
    """Three small arc1 training tasks, one solved, one to overrun, one to overallocate."""
    arc = load_dataset("arc1:train")
    tasks: dict[str, Any] = {i: arc.entries[i].to_json() for i in REAL_IDS}
    tasks.update({"a_ident": IDENTITY, "b_sleeps": FLIP, "g_greedy": IDENTITY})
    return make_folder(root, tasks)


def same_results(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Equal results.json bar the times and the backend that ran them."""
    def bare(results: dict[str, Any]) -> dict[str, Any]:
        config = {k: v for k, v in results["config"].items() if k not in ("backend", "address")}
        return {**without_times(results), "config": config}

    return bare(first) == bare(second)


def outcomes(tasks: list, config: EvalConfig, **kwargs: Any) -> list[tuple[str, Outcome]]:
    found: list[tuple[str, Outcome]] = []
    ray_backend.run_on_ray(tasks, config, lambda task, out: found.append((task.id, out)),
                           lambda: None, LOCAL, **kwargs)
    return found


# ---------------------------------------------------------------- without a cluster

def test_without_ray_the_backend_is_one_line_and_exit_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY})
    code = main(["eval", str(folder), "--backend", "ray", "--out", str(tmp_path / "o"),
                 "--no-progress", "--solver", "baseline"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert "pip install 'synth-arc[ray]'" in err and "--backend" in err


def test_eval_help_shows_the_backend_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    text = capsys.readouterr().out
    assert "--backend" in text and "--address" in text and "ray" in text


def test_server_placements_and_server_choice() -> None:
    nodes = [{"NodeID": "n1", "Resources": {"GPU": 2.0}}, {"NodeID": "n2", "Resources": {}}]
    assert ray_backend.server_placements(nodes, gpu=True) == [("n1", 1), ("n1", 1), ("n2", 0)]
    assert ray_backend.server_placements(nodes, gpu=False) == [("n1", 0), ("n2", 0)]
    servers = {"n1": ("u1", "u2"), "n2": ("u3",)}
    assert ray_backend.server_for(servers, "n2", "t") == "u3"
    assert ray_backend.server_for(servers, "n1", "t") in ("u1", "u2")
    assert ray_backend.server_for(servers, "n9", "t") in ("u1", "u2"), "another node's"
    assert ray_backend.server_for({}, "n1", "t") is None


# ---------------------------------------------------------------- on the cluster

def test_same_statuses_and_answers_as_the_process_backend(tmp_path: Path, cluster: str) -> None:
    folder = six_tasks(tmp_path / "tasks")
    settings = {"solver": "tests.test_ray_backend:misbehaving", "time_limit": 1.0,
                "memory_mb": 2048, "workers": 2}
    local = evaluate(folder, tmp_path / "process", **settings)
    on_ray = evaluate(folder, tmp_path / "ray", backend="ray", **settings)
    status = {i: r["status"] for i, r in on_ray["tasks"].items()}
    assert status["b_sleeps"] == "timeout" and status["g_greedy"] == "oom"
    assert status["a_ident"] == "solved"
    assert status == {i: r["status"] for i, r in local["tasks"].items()}
    assert on_ray["config"]["backend"] == "ray" and local["config"]["backend"] == "process"
    assert same_results(on_ray, local)
    for name in ("submission.json", "config.json"):
        assert (tmp_path / "ray" / name).read_text() == (tmp_path / "process" / name).read_text()
    errors = {r["id"]: r["error"] for r in read_lines(tmp_path / "ray" / "records.jsonl")}
    assert "2048 MiB" in errors["g_greedy"] and "time limit" in errors["b_sleeps"]


def test_killed_driver_resumes_without_running_a_task_twice(tmp_path: Path,
                                                            cluster: str) -> None:
    folder = make_folder(tmp_path / "tasks", {f"t{i}": (IDENTITY, FLIP)[i % 2]
                                              for i in range(6)})
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "synth", "eval", str(folder), "--out", str(out),
           "--backend", "ray", "--address", cluster, "--workers", "1", "--time-limit", "5",
           "--solver", "tests.helpers:slowish", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True, stderr=subprocess.PIPE)
    try:
        _wait_for_lines(out / "records.jsonl", 1, proc, timeout=60)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    first = [r["id"] for r in read_lines(out / "records.jsonl")]
    assert 1 <= len(first) < 6 and not (out / "results.json").exists()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    ids = [r["id"] for r in read_lines(out / "records.jsonl")]
    assert ids[:len(first)] == first and len(ids) == len(set(ids)) == 6
    whole = evaluate(folder, tmp_path / "whole", solver="tests.helpers:slowish", workers=1)
    assert same_results(json.loads((out / "results.json").read_text()), whole)


def test_an_overrunning_ray_task_is_cancelled_as_a_timeout(tmp_path: Path, cluster: str) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY})
    config = EvalConfig(dataset=str(folder), out_dir=tmp_path, progress=False,
                        solve=SolveConfig(solver="tests.test_ray_backend:hanging",
                                          time_limit=0.5))
    started = time.monotonic()
    ((task_id, outcome),) = outcomes(load_dataset(str(folder)).tasks(), config, allowance_s=1.0)
    assert (task_id, outcome.failure) == ("a", "timeout") and "cancelled" in outcome.error
    assert time.monotonic() - started < 20


def test_a_crashed_worker_is_retried_once_then_an_error(tmp_path: Path, cluster: str) -> None:
    folder = make_folder(tmp_path / "tasks", {"crash": IDENTITY})
    config = EvalConfig(dataset=str(folder), out_dir=tmp_path, progress=False,
                        solve=SolveConfig(solver="tests.test_ray_backend:parricide",
                                          time_limit=20.0))
    ((_, outcome),) = outcomes(load_dataset(str(folder)).tasks(), config)
    assert outcome.failure == "error" and "Ray task failed" in outcome.error
    assert len(list(Path(os.environ[MARKS_VAR]).glob("crash-*"))) == 2, "tried, retried once"


def test_a_memory_limit_no_node_offers_is_refused(tmp_path: Path, cluster: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY})
    code = main(["eval", str(folder), "--backend", "ray", "--memory-limit", str(2**30),
                 "--out", str(tmp_path / "o"), "--no-progress", "--solver", "baseline"])
    assert code == 2 and "--memory-limit" in capsys.readouterr().err


def test_tasks_reach_the_model_server_actor_of_their_node(tmp_path: Path, cluster: str) -> None:
    for package in ("torch", "transformers", "tokenizers", "openai"):
        pytest.importorskip(package)
    from synth.models.tiny import build_tiny_model

    weights = build_tiny_model(tmp_path / "tiny")
    models = tmp_path / "tiny.toml"
    models.write_text(f'[[model]]\nname = "tiny"\nbackend = "transformers"\n'
                      f'model = "{weights}"\ndevice = "cpu"\n')
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY, "b": FLIP})
    solve = SolveConfig(solver="tests.test_ray_backend:through_server", time_limit=60.0,
                        proposers="library,llm", search=SearchOptions(models=str(models)))
    results = run_eval(EvalConfig(dataset=str(folder), out_dir=tmp_path / "out", workers=2,
                                  backend="ray", progress=False, solve=solve))
    assert [r["status"] for r in results["tasks"].values()] == ["solved", "unsolved"]
    seen = [r["extras"]["stats"] for r in read_lines(tmp_path / "out" / "records.jsonl")]
    (url,) = {s["server"] for s in seen}
    assert url.startswith("http://") and url.endswith("/v1")
    assert all(s["backend"] == "OpenAIBackend" and not s["torch_imported"] for s in seen)
    assert "loaded tiny (transformers" in (tmp_path / "out" / "model-server.log").read_text()
    assert ray_backend.ttt_options(ray) == {"num_cpus": 1, "num_gpus": 0}


def test_address_without_the_ray_backend_is_refused(tmp_path) -> None:
    from synth.data.errors import InputError
    from synth.run.config import EvalConfig
    from synth.run.evaluate import run_eval
    with pytest.raises(InputError, match="--backend ray"):
        run_eval(EvalConfig("arc1:train", address="auto", out_dir=tmp_path, progress=False))
