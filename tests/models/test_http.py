"""The HTTP backends against a loopback server speaking each API's shapes, through the real
official clients: request shapes, retries, timeouts, the cache, the ledger, malformed answers,
scoring, and an API key that never leaves the request header."""
from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from synth.models.base import (GenerateParams, ModelError, ModelUnavailable, Sample,
                               process_usage)
from synth.models.cache import ModelCache
from synth.models.http import (AnthropicBackend, GeminiBackend, HTTPBackend, OpenAIBackend,
                               RetryPolicy)
from synth.models.spec import ModelSpec
from tests.models.loopback import Loopback, Reply, Request

KEY = "sk-test-7f3a9c0e-SECRET-d41d8cd9"
KEY_VAR = "SYNTH_TEST_API_KEY"
FAST = RetryPolicy(max_retries=2, base_s=0.001, cap_s=0.004, seed=0)
CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"
MESSAGES = "/v1/messages"
GEMINI = "/v1/models/gemini-test:generateContent"  # google-genai 3.x defaults to v1
PATH = {"openai": CHAT, "server": COMPLETIONS, "anthropic": MESSAGES, "gemini": GEMINI}
MODEL = {"openai": "gpt-test", "server": "base-test", "anthropic": "claude-test",
         "gemini": "gemini-test"}
CLASS: dict[str, type[HTTPBackend]] = {"openai": OpenAIBackend, "server": OpenAIBackend,
                                       "anthropic": AnthropicBackend, "gemini": GeminiBackend}
KINDS = ("openai", "server", "anthropic", "gemini")


# --- answers in each API's shape -----------------------------------------------------------

def chat_answer(texts: list[str], logprobs: list[list[float]] | None = None,
                usage: tuple[int, int] = (10, 4)) -> dict[str, Any]:
    choices = []
    for i, text in enumerate(texts):
        lp = None if logprobs is None else {
            "content": [{"token": "t", "logprob": v, "bytes": [116], "top_logprobs": []}
                        for v in logprobs[i]]}
        choices.append({"index": i, "message": {"role": "assistant", "content": text},
                        "logprobs": lp, "finish_reason": "stop"})
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-test",
            "choices": choices, "usage": {"prompt_tokens": usage[0],
                                          "completion_tokens": usage[1],
                                          "total_tokens": sum(usage)}}


def completion_answer(texts: list[str], logprobs: list[list[float | None]] | None = None,
                      offsets: list[list[int]] | None = None,
                      usage: tuple[int, int] = (10, 4)) -> dict[str, Any]:
    choices = []
    for i, text in enumerate(texts):
        lp = None
        if logprobs is not None:
            offs = offsets[i] if offsets else list(range(len(logprobs[i])))
            lp = {"tokens": ["t"] * len(logprobs[i]), "token_logprobs": logprobs[i],
                  "text_offset": offs, "top_logprobs": None}
        choices.append({"index": i, "text": text, "logprobs": lp, "finish_reason": "stop"})
    return {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "base-test",
            "choices": choices, "usage": {"prompt_tokens": usage[0],
                                          "completion_tokens": usage[1],
                                          "total_tokens": sum(usage)}}


def anthropic_answer(text: str = "hi", usage: tuple[int, int] = (10, 4)) -> dict[str, Any]:
    return {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test",
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": usage[0], "output_tokens": usage[1]}}


def gemini_answer(n: int = 1, usage: tuple[int, int] = (10, 4)) -> dict[str, Any]:
    return {"candidates": [{"content": {"role": "model", "parts": [{"text": f"g{i}"}]},
                            "finishReason": "STOP", "index": i} for i in range(n)],
            "usageMetadata": {"promptTokenCount": usage[0], "candidatesTokenCount": usage[1],
                              "totalTokenCount": sum(usage)},
            "modelVersion": "gemini-test"}


def gemini_as_asked(request: Request) -> Reply:
    """A Gemini answer with as many candidates as the request asked for."""
    return Reply(body=gemini_answer(request.body["generationConfig"].get("candidateCount", 1)))


ANSWER = {"openai": lambda: chat_answer(["x"]), "server": lambda: completion_answer(["x"]),
          "anthropic": anthropic_answer, "gemini": lambda: gemini_answer(1)}


def error(http_status: int, message: str = "nope", **extra: Any) -> Reply:
    return Reply(http_status, {"error": {"message": message, "code": http_status, **extra}})


# --- fixtures ------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(KEY_VAR, KEY)
    monkeypatch.setenv("SYNTH_MODEL_CACHE", str(tmp_path / "env-cache"))
    for var in ("OPENAI_BASE_URL", "OPENAI_CUSTOM_HEADERS", "ANTHROPIC_BASE_URL",
                "ANTHROPIC_CUSTOM_HEADERS", "GOOGLE_GENAI_USE_VERTEXAI",
                "GOOGLE_GENAI_USE_ENTERPRISE", "GOOGLE_GENAI_API_VERSION", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def server() -> Iterator[Loopback]:
    with Loopback() as loopback:
        yield loopback


def make(kind: str, url: str, cache_dir: Path | None, retry: RetryPolicy = FAST,
         **fields: Any) -> HTTPBackend:
    base = url + "/v1" if kind in ("openai", "server") else url
    values: dict[str, Any] = {"base_url": base, "api_key_env": KEY_VAR, "timeout_s": 5.0,
                              **fields}
    spec = ModelSpec(name=f"{kind}-member", backend=kind, model=MODEL[kind], **values)
    return CLASS[kind](spec, retry=retry, cache=ModelCache(cache_dir))


def tree_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


# --- request shapes ------------------------------------------------------------------------

def test_openai_chat_request_shape_and_answer(server: Loopback, tmp_path: Path) -> None:
    server.script(CHAT, Reply(body=chat_answer(["a", "b"], [[-0.5, -0.25], [-1.0]], (12, 3))))
    backend = make("openai", server.url, tmp_path / "c")
    params = GenerateParams(n=2, temperature=0.3, max_new_tokens=64, stop=("END",), seed=7)
    assert backend.generate(["hello"], params) == [[Sample("a", -0.75, 2),
                                                     Sample("b", -1.0, 1)]]
    (request,) = server.requests
    assert request.method == "POST" and request.path == CHAT
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.body
    assert body["model"] == "gpt-test"
    assert body["messages"] == [{"role": "user", "content": "hello"}]
    assert (body["n"], body["temperature"], body["max_tokens"], body["stop"], body["seed"],
            body["logprobs"]) == (2, 0.3, 64, ["END"], 7, True)
    assert "structured_outputs" not in body and "guided_grammar" not in body


def test_server_completions_shape_and_vllm_grammar_field(server: Loopback,
                                                         tmp_path: Path) -> None:
    server.script(COMPLETIONS, Reply(body=completion_answer(["p1", "p2"],
                                                            [[-0.5, -0.5], [-2.0]])))
    backend = make("server", server.url, tmp_path / "c", api_key_env=None)
    params = GenerateParams(n=2, temperature=1.0, max_new_tokens=32, grammar='start: "x"')
    (samples,) = backend.generate(["raw prompt"], params)
    assert samples == [Sample("p1", -1.0, 2), Sample("p2", -2.0, 1)]
    (request,) = server.requests
    assert request.headers["authorization"] == "Bearer unused"  # a keyless local server
    body = request.body
    assert body["prompt"] == "raw prompt" and "messages" not in body
    assert (body["model"], body["n"], body["max_tokens"], body["logprobs"]) == \
        ("base-test", 2, 32, 1)
    assert body["structured_outputs"] == {"grammar": 'start: "x"'}
    assert "guided_grammar" not in body


def test_anthropic_request_shape_one_request_per_sample(server: Loopback,
                                                        tmp_path: Path) -> None:
    server.script(MESSAGES, Reply(body=anthropic_answer("hi", (20, 5))))
    backend = make("anthropic", server.url, tmp_path / "c")
    params = GenerateParams(n=2, temperature=0.5, max_new_tokens=100, stop=("##",))
    assert backend.generate(["hello"], params) == [[Sample("hi", None, 5)] * 2]
    assert len(server.requests) == 2
    request = server.requests[0]
    assert request.path == MESSAGES
    assert "anthropic-version" in request.headers
    assert KEY in (request.headers.get("x-api-key", "") + request.headers.get(
        "authorization", ""))
    body = request.body
    assert body["model"] == "claude-test" and body["max_tokens"] == 100
    assert body["messages"] == [{"role": "user", "content": "hello"}]
    assert body["stop_sequences"] == ["##"]
    assert "temperature" not in body  # API version 2026-10-21 refuses sampling parameters
    assert backend.usage.requests == 2 and backend.usage.completion_tokens == 10


def test_gemini_request_shape_splits_n_into_eight_candidates(server: Loopback,
                                                             tmp_path: Path) -> None:
    server.script(GEMINI, gemini_as_asked)
    backend = make("gemini", server.url, tmp_path / "c")
    params = GenerateParams(n=10, temperature=0.9, max_new_tokens=50, stop=("END",), seed=7)
    (samples,) = backend.generate(["hello"], params)
    assert [s.text for s in samples] == [f"g{i}" for i in range(8)] + ["g0", "g1"]
    assert [s.logprob for s in samples] == [None] * 10
    assert len(server.requests) == 2
    first, second = (r.body["generationConfig"] for r in server.requests)
    assert (first["candidateCount"], second["candidateCount"]) == (8, 2)
    assert (first["seed"], second["seed"]) == (7, 15)
    assert (first["temperature"], first["maxOutputTokens"], first["stopSequences"]) == \
        (0.9, 50, ["END"])
    request = server.requests[0]
    assert request.headers["x-goog-api-key"] == KEY
    assert request.body["contents"][0]["parts"][0]["text"] == "hello"
    assert backend.usage.requests == 2 and backend.usage.prompt_tokens == 20


def test_gemini_model_without_several_candidates_is_asked_one_at_a_time(
        server: Loopback, tmp_path: Path) -> None:
    server.script(GEMINI, error(400, "Multiple candidates is not enabled for this model",
                                status="INVALID_ARGUMENT"), gemini_as_asked)
    backend = make("gemini", server.url, tmp_path / "c")
    (samples,) = backend.generate(["hello"], GenerateParams(n=2))
    assert len(samples) == 2
    counts = [r.body["generationConfig"]["candidateCount"] for r in server.requests]
    assert counts == [2, 1, 1]


# --- retries, timeouts, errors -------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_429_then_200_is_two_requests_and_one_answer(kind: str, server: Loopback,
                                                     tmp_path: Path) -> None:
    server.script(PATH[kind], error(429, "slow down"), Reply(body=ANSWER[kind]()))
    backend = make(kind, server.url, tmp_path / "c")
    (samples,) = backend.generate(["p"], GenerateParams(n=1))
    assert len(samples) == 1
    assert len(server.requests) == 2
    assert backend.usage.requests == 1


@pytest.mark.parametrize("kind", KINDS)
def test_5xx_to_the_end_is_a_model_error(kind: str, server: Loopback, tmp_path: Path) -> None:
    server.script(PATH[kind], error(503, "overloaded"))
    backend = make(kind, server.url, tmp_path / "c")
    with pytest.raises(ModelError) as info:
        backend.generate(["p"], GenerateParams())
    message = str(info.value)
    assert "503" in message and "3 tries" in message
    assert MODEL[kind] in message and server.url in message and "\n" not in message
    assert len(server.requests) == FAST.max_retries + 1


@pytest.mark.parametrize("kind", ("openai", "anthropic", "gemini"))
def test_a_server_that_sleeps_past_the_timeout_is_a_model_error(kind: str, server: Loopback,
                                                                tmp_path: Path) -> None:
    server.script(PATH[kind], Reply(body=ANSWER[kind](), delay_s=3.0))
    backend = make(kind, server.url, tmp_path / "c", timeout_s=0.25)
    start = time.monotonic()
    with pytest.raises(ModelError, match="no answer within 0.25 s, 3 tries"):
        backend.generate(["p"], GenerateParams())
    assert time.monotonic() - start < 2.5
    assert len(server.requests) == 3


@pytest.mark.parametrize("kind", ("openai", "anthropic", "gemini"))
def test_a_refused_connection_names_the_server_url(kind: str, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    backend = make(kind, url, tmp_path / "c")
    with pytest.raises(ModelUnavailable) as info:
        backend.generate(["p"], GenerateParams())
    assert url in str(info.value) and "cannot reach" in str(info.value)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_names_the_variable_at_once(kind: str, status: int, server: Loopback,
                                                  tmp_path: Path) -> None:
    server.script(PATH[kind], error(status, "bad key"))
    backend = make(kind, server.url, tmp_path / "c")
    with pytest.raises(ModelUnavailable) as info:
        backend.generate(["p"], GenerateParams())
    assert KEY_VAR in str(info.value) and str(status) in str(info.value)
    assert len(server.requests) == 1


def test_gemini_400_for_a_bad_key_names_the_variable(server: Loopback, tmp_path: Path) -> None:
    server.script(GEMINI, error(400, "API key not valid. Please pass a valid API key.",
                                status="INVALID_ARGUMENT"))
    backend = make("gemini", server.url, tmp_path / "c")
    with pytest.raises(ModelUnavailable, match=KEY_VAR):
        backend.generate(["p"], GenerateParams())
    assert len(server.requests) == 1


def test_other_4xx_fail_at_once(server: Loopback, tmp_path: Path) -> None:
    server.script(CHAT, error(404, "no such model"))
    backend = make("openai", server.url, tmp_path / "c")
    with pytest.raises(ModelError, match="HTTP 404: no such model"):
        backend.generate(["p"], GenerateParams())
    assert len(server.requests) == 1


def test_a_refused_optional_parameter_is_dropped(server: Loopback, tmp_path: Path) -> None:
    refusal = error(400, "logprobs is not supported with this model", param="logprobs",
                    type="invalid_request_error")
    server.script(CHAT, refusal, Reply(body=chat_answer(["a"])))
    backend = make("openai", server.url, tmp_path / "c")
    assert backend.generate(["p"], GenerateParams()) == [[Sample("a", None, 4)]]
    backend.generate(["p"], GenerateParams(seed=1))
    assert [("logprobs" in r.body) for r in server.requests] == [True, False, False]


def test_a_missing_key_variable_is_named_before_any_request(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    monkeypatch.delenv(KEY_VAR)
    for kind in ("openai", "server", "anthropic", "gemini"):
        with pytest.raises(ModelUnavailable, match=KEY_VAR):
            make(kind, "http://127.0.0.1:9", tmp_path / "c")


@pytest.mark.parametrize("kind,body", [
    ("openai", "not json{"), ("openai", {"choices": "x"}), ("openai", {"choices": []}),
    ("openai", {"choices": [{}]}), ("openai", {"choices": [{"message": {"content": 3}}]}),
    ("server", {"choices": [{"index": 0}]}), ("anthropic", {"content": "x"}),
    ("anthropic", "<html>"), ("gemini", "not json{"), ("gemini", {"candidates": []})])
def test_a_malformed_answer_is_a_one_line_model_error(kind: str, body: Any, server: Loopback,
                                                      tmp_path: Path) -> None:
    server.script(PATH[kind], Reply(body=body))
    backend = make(kind, server.url, tmp_path / "c")
    with pytest.raises(ModelError) as info:
        backend.generate(["p"], GenerateParams())
    assert "malformed answer" in str(info.value) and "\n" not in str(info.value)
    assert len(server.requests) == 1


# --- the cache and the ledger --------------------------------------------------------------

def test_a_cache_hit_sends_nothing(server: Loopback, tmp_path: Path) -> None:
    server.script(CHAT, Reply(body=chat_answer(["a"], [[-1.0]])))
    backend = make("openai", server.url, tmp_path / "c")
    params = GenerateParams(seed=3)
    first = backend.generate(["p"], params)
    assert backend.generate(["p"], params) == first
    assert len(server.requests) == 1
    assert (backend.usage.requests, backend.usage.cached) == (1, 1)
    again = make("openai", server.url, tmp_path / "c")  # another process, same folder
    assert again.generate(["p"], params) == first and again.usage.cached == 1
    backend.generate(["p"], GenerateParams(seed=4))  # other parameters: a new request
    backend.generate(["q"], params)  # another prompt: a new request
    assert len(server.requests) == 3


def test_the_cache_follows_the_environment(server: Loopback, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    server.script(CHAT, Reply(body=chat_answer(["a"])))
    spec = ModelSpec("m", "openai", "gpt-test", base_url=server.url + "/v1",
                     api_key_env=KEY_VAR)
    monkeypatch.setenv("SYNTH_MODEL_CACHE", str(tmp_path / "from-env"))
    backend = OpenAIBackend(spec, retry=FAST)
    backend.generate(["p"], GenerateParams())
    backend.generate(["p"], GenerateParams())
    assert len(server.requests) == 1 and (tmp_path / "from-env").is_dir()
    monkeypatch.setenv("SYNTH_MODEL_CACHE", "off")
    assert not ModelCache.from_env().enabled
    uncached = OpenAIBackend(spec, retry=FAST)
    uncached.generate(["p"], GenerateParams())
    uncached.generate(["p"], GenerateParams())
    assert len(server.requests) == 3 and uncached.usage.cached == 0


def test_the_ledger_counts_tokens_and_cost(server: Loopback, tmp_path: Path) -> None:
    server.script(CHAT, Reply(body=chat_answer(["a"], usage=(1000, 500))))
    backend = make("openai", server.url, tmp_path / "c", price_in=2.0, price_out=10.0)
    before = process_usage().cost_usd
    backend.generate(["p"], GenerateParams())
    usage = backend.usage
    assert (usage.requests, usage.prompt_tokens, usage.completion_tokens) == (1, 1000, 500)
    assert usage.cost_usd == pytest.approx(0.007)
    assert usage.by_model["openai-member"]["cost_usd"] == pytest.approx(0.007)
    assert process_usage().cost_usd - before == pytest.approx(0.007)


def test_the_api_key_goes_only_into_the_request_header(server: Loopback,
                                                       tmp_path: Path) -> None:
    cache_dir = tmp_path / "c"
    messages = []
    for kind in KINDS:
        server.script(PATH[kind], Reply(body=ANSWER[kind]()))
        backend = make(kind, server.url, cache_dir, api_key_env=KEY_VAR)
        backend.generate(["p"], GenerateParams())
        for reply in (error(401), error(400, f"Incorrect API key provided: {KEY}"),
                      error(500, f"key {KEY} overloaded"), Reply(body=f"junk {KEY}")):
            server.script(PATH[kind], reply)
            with pytest.raises((ModelError, ModelUnavailable)) as info:
                backend.generate(["p"], GenerateParams(seed=len(messages) + 1))
            messages.append(str(info.value))
        assert KEY not in json.dumps(backend.usage.as_dict())
    sent = [r.headers.get("authorization", "") + r.headers.get("x-api-key", "")
            + r.headers.get("x-goog-api-key", "") for r in server.requests]
    assert all(KEY in s for s in sent)
    assert all(KEY not in m for m in messages) and len(messages) == 16
    assert "***" in messages[1]
    assert cache_dir.is_dir() and KEY.encode() not in tree_bytes(cache_dir)
    assert KEY not in json.dumps(process_usage().as_dict())


# --- scoring -------------------------------------------------------------------------------

def test_score_sums_the_continuation_logprobs(server: Loopback, tmp_path: Path) -> None:
    # "ab|cd": tokens a b cd; "ab|e": tokens ab e; "ab|cd" tokenised a bc d (a token across
    # the boundary counts for the continuation)
    answer = completion_answer(["abcd", "abe", "abcd"],
                               [[None, -1.0, -0.5], [None, -2.0], [None, -0.25, -0.125]],
                               [[0, 1, 2], [0, 2], [0, 1, 3]])
    server.script(COMPLETIONS, Reply(body=answer))
    backend = make("server", server.url, tmp_path / "c")
    assert backend.score("ab", ["cd", "e", "cd"]) == [-0.5, -2.0, -0.375]
    (request,) = server.requests
    body = request.body
    assert body["prompt"] == ["abcd", "abe", "abcd"]
    assert (body["echo"], body["max_tokens"], body["logprobs"]) == (True, 0, 1)
    assert backend.score("ab", ["cd", "e", "cd"]) == [-0.5, -2.0, -0.375]
    assert len(server.requests) == 1 and backend.usage.cached == 1


def test_score_asks_for_one_token_when_zero_is_refused(server: Loopback,
                                                       tmp_path: Path) -> None:
    answer = completion_answer(["abcdX"], [[None, -1.0, -0.5, -9.0]], [[0, 1, 2, 4]])
    server.script(COMPLETIONS, error(400, "max_tokens must be at least 1"), Reply(body=answer))
    backend = make("server", server.url, tmp_path / "c")
    assert backend.score("ab", ["cd"]) == [-0.5]
    assert [r.body["max_tokens"] for r in server.requests] == [0, 1]


@pytest.mark.parametrize("kind", ("openai", "anthropic", "gemini"))
def test_score_needs_a_completions_endpoint(kind: str, server: Loopback,
                                            tmp_path: Path) -> None:
    backend = make(kind, server.url, tmp_path / "c")
    with pytest.raises(ModelError, match="scoring"):
        backend.score("p", ["c"])
    assert server.requests == []


def test_retry_delays_are_capped_jittered_and_seeded() -> None:
    policy = RetryPolicy(max_retries=6, base_s=0.5, cap_s=2.0, seed=1)
    delays = list(policy.delays(policy.rng()))
    assert len(delays) == 6
    assert all(0 <= d <= min(2.0, 0.5 * 2 ** k) for k, d in enumerate(delays))
    assert delays == list(policy.delays(policy.rng()))
