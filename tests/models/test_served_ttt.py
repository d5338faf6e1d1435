"""Test-time training for served members: `POST /v1/ttt` trains the adapter in the server
process (tiny model, CPU), requests naming the adapter's model answer with it while the
member's own name still answers with the base weights, a request's `adapter` folder works too,
and a worker never batches requests for different adapters together."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from synth.data.augment import views
from synth.models.base import GenerateParams
from synth.models.load import served_spec
from synth.models.server import ModelServer
from synth.models.spec import ModelSpec
from synth.models.ttt import PRESETS, tuned
from synth.models.tuning import adapted, served
from tests.models.test_server import FakeBackend, post
from tests.models.test_ttt import COPY

PROMPT, ANSWER = "input:\n12\n21\noutput:\n", "12\n21\n"


@dataclass
class AdapterFake(FakeBackend):
    """FakeBackend that records which adapter each generate call ran with."""

    active: str | None = None
    used: list[str | None] = field(default_factory=list)

    def use_adapter(self, path: str | None) -> None:
        self.active = path

    def generate(self, prompts: Any, params: GenerateParams) -> Any:
        self.used.append(self.active)
        return super().generate(prompts, params)


def test_requests_for_different_adapters_never_share_a_batch(tmp_path: Path) -> None:
    backend = AdapterFake()
    with ModelServer({"fake": backend}, window_s=0.3) as server:
        server.adapters["fake@a"] = ("fake", "/adapters/a")
        bodies = [{"model": name, "prompt": "p", "max_tokens": 4} for name in
                  ("fake", "fake@a", "fake@a")]
        barrier = threading.Barrier(3)
        answers: list[Any] = [None] * 3

        def ask(i: int) -> None:
            barrier.wait()
            answers[i] = post(server.url, "/completions", bodies[i])

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        status, error = post(server.url, "/completions",
                             {"model": "fake", "prompt": "p", "adapter": str(tmp_path)})
    assert [a[0] for a in answers] == [200, 200, 200]
    assert sorted(backend.used, key=str) == ["/adapters/a", None]
    assert [len(prompts) for prompts, _ in backend.calls] in ([1, 2], [2, 1])
    assert status == 400 and error["error"]["param"] == "adapter"


def test_ttt_requests_are_checked(tmp_path: Path) -> None:
    with ModelServer({"fake": AdapterFake()}) as server:
        base = {"model": "fake", "task": {"train": [], "test": []}, "preset": "mit"}
        assert post(server.url, "/ttt", base)[1]["error"]["param"] == "task"
        task = {"train": [{"input": [[1]], "output": [[1]]}], "test": [{"input": [[2]]}]}
        bad_view = {**base, "task": task, "views": ["nope"]}
        assert post(server.url, "/ttt", bad_view)[1]["error"]["param"] == "views"
        bad_preset = {**base, "task": task, "preset": "fastest"}
        assert post(server.url, "/ttt", bad_preset)[1]["error"]["param"] == "preset"
        status, body = post(server.url, "/ttt", {**base, "task": task})
    assert status == 503 and "transformers member" in body["error"]["message"]


def test_a_served_member_trains_on_the_server_and_answers_with_its_adapter(
        tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("openai")
    pytest.importorskip("peft")
    from synth.models.cache import ModelCache
    from synth.models.http import OpenAIBackend
    from synth.models.local import TransformersBackend

    monkeypatch.setenv("SYNTH_TTT_CACHE", str(tmp_path / "ttt"))
    monkeypatch.setitem(PRESETS, "fast", PRESETS["mit"].__class__(rank=8, alpha=16, lr=3e-3,
                                                                  epochs=2))
    spec = ModelSpec("tiny", "transformers", str(tiny_model_dir), role="transduction",
                     device="cpu", ttt="fast")
    local = TransformersBackend(spec)
    augs = views(COPY, 2, seed=0)
    base_score = local.score(PROMPT, [ANSWER])
    with tuned(local, COPY, augs, "fast", seed=0, seconds=60) as expected:
        tuned_score = local.score(PROMPT, [ANSWER])
    with ModelServer({"tiny": TransformersBackend(spec)}) as server:
        client = OpenAIBackend(served_spec(spec, server.url), cache=ModelCache(None))
        assert served(client) and not served(local)
        with adapted(client, COPY, augs, "fast", seed=0, seconds=60) as (run, answering):
            assert answering.spec.model.startswith("tiny@")
            adapted_score = answering.score(PROMPT, [ANSWER])
            plain_score = client.score(PROMPT, [ANSWER])
            adapter_dir = server.adapters[answering.spec.model][1]
            status, by_folder = post(server.url, "/completions",
                                     {"model": "tiny", "prompt": [PROMPT + ANSWER],
                                      "echo": True, "max_tokens": 0, "logprobs": 1,
                                      "score_prompt": PROMPT, "adapter": adapter_dir})
        with adapted(client, COPY, augs, "fast", seed=0, seconds=60) as (again, _):
            assert again.cached and again.steps == 0
    assert run.cached, "the local run above already trained and cached this adapter"
    assert run.loss_after == pytest.approx(expected.loss_after, abs=1e-3)
    assert adapted_score[0] == pytest.approx(tuned_score[0], abs=1e-2)
    assert adapted_score[0] > base_score[0] + 0.5
    assert plain_score[0] == pytest.approx(base_score[0], abs=1e-2)
    assert status == 200
    assert sum(by_folder["choices"][0]["logprobs"]["token_logprobs"][1:]) == pytest.approx(
        tuned_score[0], abs=1e-2)


def test_the_server_trains_when_nothing_is_cached(tiny_model_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("openai")
    pytest.importorskip("peft")
    from synth.models.cache import ModelCache
    from synth.models.http import OpenAIBackend
    from synth.models.local import TransformersBackend

    monkeypatch.setenv("SYNTH_TTT_CACHE", str(tmp_path / "ttt"))
    spec = ModelSpec("tiny", "transformers", str(tiny_model_dir), device="cpu", ttt="mit")
    with ModelServer({"tiny": TransformersBackend(spec)}) as server:
        client = OpenAIBackend(served_spec(spec, server.url), cache=ModelCache(None))
        with adapted(client, COPY, views(COPY, 1, seed=0), "mit", seed=0,
                     seconds=60) as (run, _):
            pass
    assert not run.cached and run.steps == 2 * 3 and run.loss_after < run.loss_before
    assert list((tmp_path / "ttt").iterdir()), "the adapter is cached on the server's side"


def test_a_served_member_decodes_depth_first_as_its_models_file_says() -> None:
    backend = AdapterFake()
    backend.spec = ModelSpec("fake", "transformers", "x",  # type: ignore[attr-defined]
                             dfs_threshold=0.05)
    with ModelServer({"fake": backend}) as server:
        for extra in ({}, {"dfs_threshold": 0.2}, {"dfs_threshold": None}):
            assert post(server.url, "/completions",
                        {"model": "fake", "prompt": "p", **extra})[0] == 200
        status, error = post(server.url, "/completions",
                             {"model": "fake", "prompt": "p", "dfs_threshold": 0})
    assert [params.dfs_threshold for _, params in backend.calls] == [0.05, 0.2, None]
    assert status == 400 and error["error"]["param"] == "dfs_threshold"
