"""synth's model server: concurrent requests with equal sampling parameters share one generate
call; the openai client and an `OpenAIBackend` server member get well-formed completions,
scores and chat answers; errors are JSON objects with a status; with the tiny model, server
members sample and score the real backend, and `synth eval` starts `synth models serve` in a
subprocess, its workers sample through it without importing torch, and it is stopped."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from synth.models.base import (GenerateParams, ModelError, ModelUnavailable, Sample,
                               Usage)
from synth.models.load import SERVER_VAR, load_backend, served_spec
from synth.models.server import (ModelServer, server_health, start_server_process,
                                 stop_server_process)
from synth.models.spec import ModelSpec, load_models_file
from synth.run.config import SolveConfig, Solution
from synth.run.solvers import SearchSolver

REPO = Path(__file__).resolve().parents[2]


@dataclass
class FakeBackend:
    """Answers `PROMPT>K` for sample K (log-probability -0.25 (K+1), 4 tokens); scores a
    continuation as minus its length; records every call."""

    name: str = "fake"
    usage: Usage = field(default_factory=Usage)
    calls: list[tuple[list[str], GenerateParams]] = field(default_factory=list)
    scored: list[tuple[str, list[str]]] = field(default_factory=list)
    fail: Exception | None = None

    def generate(self, prompts: Sequence[str], params: GenerateParams) -> list[list[Sample]]:
        self.calls.append((list(prompts), params))
        if self.fail is not None:
            raise self.fail
        self.usage.add(self.name, 10 * len(prompts), 4 * params.n * len(prompts), 0.0)
        return [[Sample(f"{p}>{k}", -0.25 * (k + 1), 4) for k in range(params.n)]
                for p in prompts]

    def score(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        self.scored.append((prompt, list(continuations)))
        return [-float(len(c)) for c in continuations]


@pytest.fixture
def served() -> Iterator[tuple[ModelServer, FakeBackend]]:
    backend = FakeBackend()
    with ModelServer({"fake": backend}, window_s=0.01) as server:
        yield server, backend


def post(url: str, path: str, body: Any, raw: bytes | None = None) -> tuple[int, dict]:
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def ask_together(url: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    """POST every body at the same moment, each from its own thread."""
    barrier = threading.Barrier(len(bodies))
    answers: list[Any] = [None] * len(bodies)

    def ask(i: int) -> None:
        barrier.wait()
        answers[i] = post(url, "/completions", bodies[i])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_concurrent_requests_with_equal_params_share_one_generate_call() -> None:
    backend = FakeBackend()
    bodies = [{"model": "fake", "prompt": f"p{i}", "n": 2, "temperature": 0.5,
               "max_tokens": 8, "seed": 1} for i in range(6)]
    with ModelServer({"fake": backend}, window_s=0.5) as server:
        answers = ask_together(server.url, bodies)
        health = server.health()["models"]["fake"]
    assert len(backend.calls) == 1, "six requests, one generate call"
    prompts, params = backend.calls[0]
    assert sorted(prompts) == [f"p{i}" for i in range(6)]
    assert params == GenerateParams(n=2, temperature=0.5, max_new_tokens=8, seed=1)
    for i, (status, body) in enumerate(answers):
        assert status == 200
        assert [c["text"] for c in body["choices"]] == [f"p{i}>0", f"p{i}>1"]
        assert [c["index"] for c in body["choices"]] == [0, 1]
        assert body["usage"] == {"prompt_tokens": 10, "completion_tokens": 8,
                                 "total_tokens": 18}
    assert health == {"requests": 6, "generate_calls": 1, "score_calls": 0, "prompts": 6,
                      "largest_batch": 6, "errors": 0}


def test_different_params_and_the_batch_limit_make_separate_calls() -> None:
    backend = FakeBackend()
    bodies = [{"model": "fake", "prompt": f"p{i}", "temperature": 0.9 if i == 2 else 0.5}
              for i in range(5)]
    with ModelServer({"fake": backend}, window_s=0.5, max_batch=2) as server:
        answers = ask_together(server.url, bodies)
    assert all(status == 200 for status, _ in answers)
    assert [body["choices"][0]["text"] for _, body in answers] == [f"p{i}>0" for i in range(5)]
    by_temperature = sorted((params.temperature, len(prompts))
                            for prompts, params in backend.calls)
    assert by_temperature == [(0.5, 2), (0.5, 2), (0.9, 1)]


def test_the_openai_client_gets_completions_scores_chat_and_models(
        served: tuple[ModelServer, FakeBackend]) -> None:
    openai = pytest.importorskip("openai")
    server, backend = served
    client = openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0)
    reply = client.completions.create(
        model="fake", prompt="abc", n=2, max_tokens=5, seed=3, temperature=0.2, logprobs=1,
        stop=["\n"], extra_body={"structured_outputs": {"grammar": 'start: "x"'}})
    assert [c.text for c in reply.choices] == ["abc>0", "abc>1"]
    second = reply.choices[1].logprobs
    assert sum(second.token_logprobs) == pytest.approx(-0.5) and len(second.tokens) == 4
    assert reply.usage.prompt_tokens == 10 and reply.usage.completion_tokens == 8
    assert reply.object == "text_completion" and reply.model == "fake"
    assert backend.calls[-1][1] == GenerateParams(n=2, temperature=0.2, max_new_tokens=5,
                                                  stop=("\n",), grammar='start: "x"', seed=3)
    scored = client.completions.create(model="fake", prompt=["P: ab", "P: xyz"], echo=True,
                                       max_tokens=0, logprobs=1,
                                       extra_body={"score_prompt": "P: "})
    assert backend.scored[-1] == ("P: ", ["ab", "xyz"])
    assert [c.text for c in scored.choices] == ["P: ab", "P: xyz"]
    assert scored.choices[1].logprobs.token_logprobs == [None, -3.0]
    assert scored.choices[1].logprobs.text_offset == [0, 3]
    chat = client.chat.completions.create(
        model="fake", max_tokens=4,
        messages=[{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}])
    assert chat.choices[0].message.content == "hi>0" and chat.object == "chat.completion"
    assert [m.id for m in client.models.list()] == ["fake"]


def test_an_openai_backend_server_member_generates_and_scores_through_it(
        served: tuple[ModelServer, FakeBackend]) -> None:
    pytest.importorskip("openai")
    from synth.models.cache import ModelCache
    from synth.models.http import OpenAIBackend

    server, backend = served
    member = OpenAIBackend(ModelSpec("fake", "server", "fake", base_url=server.url),
                           cache=ModelCache(None))
    (samples,) = member.generate(["abc"], GenerateParams(n=2, max_new_tokens=5,
                                                         grammar='start: "x"'))
    assert [s.text for s in samples] == ["abc>0", "abc>1"]
    assert [s.logprob for s in samples] == pytest.approx([-0.25, -0.5])
    assert [s.tokens for s in samples] == [4, 4]
    assert backend.calls[-1][1].grammar == 'start: "x"', "the grammar reached the backend"
    assert member.score("P: ", ["ab", "xyz"]) == pytest.approx([-2.0, -3.0])
    assert backend.scored[-1] == ("P: ", ["ab", "xyz"])
    assert member.score("P: ", ["ab"]) == pytest.approx([-2.0]), \
        "one continuation scores too: the client says where the prompt ends"
    assert backend.scored[-1] == ("P: ", ["ab"])


def test_errors_are_json_objects_with_a_status(served: tuple[ModelServer, FakeBackend]
                                               ) -> None:
    server, backend = served
    status, body = post(server.url, "/completions", {"model": "nobody", "prompt": "x"})
    assert status == 404 and body["error"]["code"] == "model_not_found"
    assert "served: fake" in body["error"]["message"]
    status, body = post(server.url, "/completions",
                        {"model": "fake", "prompt": "x", "temperature": 9})
    assert status == 400 and body["error"]["param"] == "temperature"
    status, body = post(server.url, "/completions", {"model": "fake", "prompt": [1, 2]})
    assert status == 400 and body["error"]["param"] == "prompt"
    status, body = post(server.url, "/completions", None, raw=b"{not json")
    assert status == 400 and "not JSON" in body["error"]["message"]
    status, body = post(server.url, "/embeddings", {"model": "fake"})
    assert status == 404 and body["error"]["type"] == "invalid_request_error"
    backend.fail = ModelError("out of memory")
    status, body = post(server.url, "/completions", {"model": "fake", "prompt": "x"})
    assert status == 500 and body["error"]["type"] == "server_error"
    assert "out of memory" in body["error"]["message"]
    backend.fail = None
    assert post(server.url, "/completions", {"model": "fake", "prompt": "x"})[0] == 200
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(server.url.removesuffix("/v1") + "/nowhere", timeout=10)
    assert json.loads(missing.value.read())["error"]["code"] == "not_found"
    assert server_health(server.url)["models"]["fake"]["errors"] == 1


def test_load_backend_sends_local_members_to_the_server(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("openai")
    pytest.importorskip("transformers")
    (tmp_path / "config.json").write_text("{}")
    spec = ModelSpec("tiny", "transformers", str(tmp_path), weight=0.3)
    monkeypatch.setenv(SERVER_VAR, "http://127.0.0.1:9/v1")
    backend = load_backend(spec)
    assert type(backend).__name__ == "OpenAIBackend"
    assert backend.spec == served_spec(spec, "http://127.0.0.1:9/v1")
    assert (backend.spec.backend, backend.spec.model, backend.spec.weight) == ("server", "tiny",
                                                                              0.3)
    assert not backend.cache.enabled, "no disk cache keyed by a per-run port"


def test_a_server_that_cannot_load_its_members_fails_to_start_with_the_reason(
        tmp_path: Path) -> None:
    file, missing = tmp_path / "broken.toml", tmp_path / "no-weights"
    file.write_text(f'[[model]]\nname = "gone"\nbackend = "transformers"\n'
                    f'model = "{missing}"\n')
    log = tmp_path / "server.log"
    with pytest.raises(ModelUnavailable, match="exited with code 2") as failed:
        start_server_process(file, log=log, timeout_s=60)
    assert "no local member can load here" in str(failed.value)
    assert "model gone skipped" in log.read_text()


def test_stop_server_process_ends_a_process_that_ignores_its_stdin(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                               stdin=subprocess.PIPE)
    stop_server_process(process, timeout_s=0.5)
    assert process.returncode is not None


def test_eval_starts_a_server_only_for_local_members_of_an_llm_plan(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("transformers")
    from synth.run.config import EvalConfig
    from synth.run.evaluate import model_server, served_members

    (tmp_path / "weights").mkdir()
    (tmp_path / "weights" / "config.json").write_text("{}")
    file = tmp_path / "m.toml"
    file.write_text(f'[[model]]\nname = "local"\nbackend = "transformers"\n'
                    f'model = "{tmp_path / "weights"}"\n\n[[model]]\nname = "api"\n'
                    f'backend = "openai"\nmodel = "gpt-4o"\n')
    solve = SolveConfig(proposers="library,llm")
    with_models = replace(solve, search=replace(solve.search, models=str(file)))
    assert served_members(with_models) == ["local"]
    assert served_members(solve) == [], "no --models"
    assert served_members(replace(with_models, proposers="library,beam")) == [], "no llm stage"
    monkeypatch.setenv(SERVER_VAR, "http://127.0.0.1:9/v1")
    config = EvalConfig(dataset="x", out_dir=tmp_path / "run", solve=with_models)
    with model_server(config) as url:
        assert url == "http://127.0.0.1:9/v1", "a server of the user's is used as it is"
    assert not (tmp_path / "run" / "model-server.log").exists()


# ---------------------------------------------------------------- with the tiny model

@pytest.fixture
def tiny_dir(request: pytest.FixtureRequest) -> Path:
    try:
        return Path(request.getfixturevalue("tiny_model_dir"))
    except pytest.FixtureLookupError:
        pytest.skip("the tiny_model_dir fixture (tests/models/conftest.py) is not there yet")


def tiny_models_file(folder: Path, weights: Path) -> Path:
    file = folder / "tiny.toml"
    file.write_text(f'[[model]]\nname = "tiny"\nbackend = "transformers"\nmodel = "{weights}"\n'
                    f'temperatures = [0.7]\nsamples = 2\nmax_new_tokens = 24\n'
                    f'device = "cpu"\n')
    return file


def test_server_members_sample_and_score_the_tiny_model_in_one_batch(
        tmp_path: Path, tiny_dir: Path) -> None:
    """The real TransformersBackend behind the server (in this process; the `synth models
    serve` subprocess is exercised by the eval test below): two OpenAIBackend clients asking
    at once share one generate call, and scores are the backend's own."""
    pytest.importorskip("openai")
    from synth.models.cache import ModelCache
    from synth.models.http import OpenAIBackend
    from synth.models.local import TransformersBackend

    (spec,) = load_models_file(tiny_models_file(tmp_path, tiny_dir))
    model = TransformersBackend(spec)
    prompts = ["solve(I: Grid) -> Grid:\n", "solve(I: Grid) -> Grid:\n    x1 ="]
    params = GenerateParams(n=2, max_new_tokens=6, temperature=0.8, seed=4)
    with ModelServer({"tiny": model}, window_s=0.5) as server:
        member = OpenAIBackend(served_spec(spec, server.url), cache=ModelCache(None))
        barrier = threading.Barrier(2)
        answers: list[Any] = [None, None]

        def ask(i: int) -> None:
            barrier.wait()
            answers[i] = member.generate([prompts[i]], params)[0]

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        counts = server.health()["models"]["tiny"]
        scores = member.score("solve(I: Grid) -> Grid:\n", ["    O = rot90(I)\n", "x"])
    assert counts["generate_calls"] == 1 and counts["largest_batch"] == 2
    for samples in answers:
        assert len(samples) == 2 and all(isinstance(s.text, str) for s in samples)
        assert all(s.logprob is not None and s.logprob <= 0 and s.tokens >= 1 for s in samples)
    direct = model.score("solve(I: Grid) -> Grid:\n", ["    O = rot90(I)\n", "x"])
    assert scores == pytest.approx(direct, rel=1e-4, abs=1e-3)


class SpySolver(SearchSolver):
    """The search, plus what the worker process saw: whether torch was ever imported in it
    (loading weights needs torch) and the model server it was told about."""

    def __call__(self, task: Any, config: SolveConfig) -> Solution:
        solution = super().__call__(task, config)
        seen = {"torch_imported": "torch" in sys.modules, "server": os.environ.get(SERVER_VAR)}
        return replace(solution, stats={**solution.stats, "worker": seen})


spy = SpySolver()


def write_tasks(folder: Path) -> None:
    """Two small tasks the golden library does not solve, so the llm stage runs."""
    folder.mkdir()
    for name, shift in (("aa", 1), ("bb", 2)):
        pairs = [{"input": [[i, 0, 3], [0, i, 0]],
                  "output": [[(i + shift) % 10, 7], [5, (i * 3) % 10]]} for i in (1, 2, 4)]
        task = {"train": pairs[:2], "test": pairs[2:]}
        (folder / f"{name}.json").write_text(json.dumps(task))


def test_eval_workers_sample_through_the_model_server(tmp_path: Path, tiny_dir: Path) -> None:
    pytest.importorskip("openai")
    write_tasks(tmp_path / "tasks")
    file = tiny_models_file(tmp_path, tiny_dir)
    out = tmp_path / "run"
    env = {**os.environ, "SYNTH_MODEL_CACHE": "off", "OMP_NUM_THREADS": "1",
           "NUMBA_NUM_THREADS": "1"}
    env.pop(SERVER_VAR, None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "synth", "eval", str(tmp_path / "tasks"), "--models", str(file),
         "--proposers", "library,llm", "--time-limit", "20", "--workers", "2", "--out",
         str(out), "--no-progress", "--solver", "tests.models.test_server:spy"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((out / "results.json").read_text())
    assert results["n_tasks"] == 2
    records = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    assert len(records) == 2
    urls = set()
    for rec in records:
        stats = rec["extras"]["stats"]
        assert stats["worker"]["torch_imported"] is False, "a worker imported torch"
        urls.add(stats["worker"]["server"])
        llm = stats["stages"]["llm"]
        assert llm["members"] == ["tiny"] and llm["request_errors"] == []
        assert llm["samples"] >= 1
    (url,) = urls
    assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
    log = (out / "model-server.log").read_text()
    assert "loaded tiny (transformers" in log
    assert log.count("POST /v1/completions model=tiny") >= 2
    with pytest.raises(OSError):
        server_health(url, timeout=2)
    assert time.monotonic() - started < 150
