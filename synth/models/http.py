"""HTTP model backends through the official clients: OpenAI-compatible servers, Anthropic, Gemini.

- `OpenAIBackend`: backend `openai` sends chat completions (the prompt as one user message) to
  the OpenAI API or any OpenAI-compatible server; backend `server` (synth's model server,
  `vllm serve`, llama.cpp's server: a base model) sends the raw prompt to the legacy
  completions endpoint, and can `score` continuations.
- `AnthropicBackend` (the messages API, one request per sample) and `GeminiBackend`
  (`generate_content`, at most 8 candidates a request).

The clients' own retries are off. `RetryPolicy` retries 429, 408, 5xx, timeouts and lost
connections the same way for every client (capped exponential backoff, full jitter); any other
4xx fails at once. 401/403 is `ModelUnavailable` naming the key variable, a server still out
of reach after the retries is `ModelUnavailable` naming its URL, anything else that fails (5xx
or timeouts to the end, a malformed answer) is a one-line `ModelError`. Every real request adds
its tokens and cost to the backend's `usage` and to `process_usage()`; answers are cached on
disk (`synth.models.cache`) and a hit sends nothing. The API key is read from the variable the
member names and goes to the client only: no message, log, cache key or file holds it.
"""
from __future__ import annotations

import importlib
import json
import math
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, TypeVar

from synth.models.base import (GenerateParams, ModelError, ModelUnavailable, Sample, Usage,
                               process_usage)
from synth.models.cache import ModelCache, request_key
from synth.models.spec import ModelSpec

T = TypeVar("T")

PLACEHOLDER_KEY = "unused"
DEFAULT_KEY_VARS: dict[str, tuple[str, ...]] = {
    "openai": ("OPENAI_API_KEY",), "server": (), "anthropic": ("ANTHROPIC_API_KEY",),
    "gemini": ("GEMINI_API_KEY", "GOOGLE_API_KEY")}
OPENAI_HOST = "api.openai.com"
GEMINI_URL = "https://generativelanguage.googleapis.com"
MAX_GEMINI_CANDIDATES = 8
DROPPABLE = ("logprobs", "seed", "stop", "temperature", "max_tokens")
RETRIED = ("retry", "timeout", "connect")
MAX_DETAIL = 160


class Malformed(ValueError):
    """An answer that is not what the API promises (not JSON, a field missing or mistyped)."""


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter: before retry k (0-based) sleep a uniform
    draw from [0, min(cap_s, base_s * 2**k)], at most `max_retries` times. `seed=None` draws
    from system entropy, so forked workers do not back off in step; an int makes the delays
    reproducible."""

    max_retries: int = 4
    base_s: float = 0.5
    cap_s: float = 8.0
    seed: int | None = None

    def rng(self) -> random.Random:
        """A new random source for this policy's delays."""
        return random.Random(self.seed)

    def delays(self, rng: random.Random) -> Iterator[float]:
        """The sleeps before each retry, in order."""
        for k in range(self.max_retries):
            yield rng.uniform(0.0, min(self.cap_s, self.base_s * 2 ** k))


@dataclass(frozen=True)
class Failure:
    """A failed attempt: `retry` (429, 408, 5xx), `timeout`, `connect`, `auth` (401/403) or
    `fatal` (any other 4xx); the HTTP status, the server's message, the parameter it named."""

    kind: str
    status: int | None = None
    detail: str = ""
    param: str | None = None


def status_failure(status: int, detail: str, param: str | None = None) -> Failure:
    """The failure an HTTP error status makes."""
    if status in (408, 429) or status >= 500:
        return Failure("retry", status, detail, param)
    if status in (401, 403):
        return Failure("auth", status, detail, param)
    return Failure("fatal", status, detail, param)


def one_line(text: str, limit: int = MAX_DETAIL) -> str:
    """The text on one line, cut to `limit` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def body_message(body: Any) -> str:
    """The message in an error body (`{"error": {"message": ...}}`, `{"message": ...}`)."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str):
            return error
        if body.get("message"):
            return str(body["message"])
    return "" if body is None else str(body)


@cache
def httpx_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """The timeout and transport error classes of the installed httpx flavours (google-genai
    raises them unwrapped)."""
    timeouts, transports = [], []
    for name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        timeouts.append(module.TimeoutException)
        transports.append(module.TransportError)
    return tuple(timeouts), tuple(transports)


# --- reading answers -----------------------------------------------------------------------

def parse_json(raw: bytes | str) -> Any:
    """The decoded JSON body of an answer."""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Malformed("the answer is not JSON") from None


def need(obj: Any, key: str | int, kind: type | tuple[type, ...], where: str) -> Any:
    """`obj[key]` when it has the expected type, else Malformed naming `where`."""
    try:
        value = obj[key]
    except (KeyError, IndexError, TypeError):
        raise Malformed(f"missing {where}") from None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds:
        raise Malformed(f"{where} has the wrong type ({type(value).__name__})")
    return value


def count(value: Any) -> int:
    """A token count, or 0 when absent or not an integer."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def usage_of(body: Any, prompt_field: str, completion_field: str) -> tuple[int, int]:
    """Prompt and completion tokens from an answer's `usage` (0 where it says nothing)."""
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return 0, 0
    return count(usage.get(prompt_field)), count(usage.get(completion_field))


def ordered(choices: list[Any]) -> list[Any]:
    """Choices in `index` order (as sent when any lacks an index)."""
    if all(isinstance(c, dict) and isinstance(c.get("index"), int) for c in choices):
        return sorted(choices, key=lambda c: c["index"])
    return choices


def number_sum(values: list[Any], where: str) -> float:
    """The sum of a list of log-probabilities (None entries, as for a first token, skipped)."""
    if not all(v is None or isinstance(v, (int, float)) for v in values):
        raise Malformed(f"{where} holds a non-number")
    return float(sum(v for v in values if v is not None))


def chat_choice(choice: Any, i: int) -> tuple[str, float | None, int | None]:
    """Text, summed log-probability and token count of one chat choice."""
    message = need(choice, "message", dict, f"choices[{i}].message")
    text = message.get("content") or ""
    if not isinstance(text, str):
        raise Malformed(f"choices[{i}].message.content is not text")
    logprobs = choice.get("logprobs")
    content = logprobs.get("content") if isinstance(logprobs, dict) else None
    if not isinstance(content, list) or not content:
        return text, None, None
    values = [need(t, "logprob", (int, float), f"choices[{i}].logprobs") for t in content]
    return text, number_sum(values, f"choices[{i}].logprobs"), len(values)


def completion_choice(choice: Any, i: int) -> tuple[str, float | None, int | None]:
    """Text, summed log-probability and token count of one completions choice."""
    text = need(choice, "text", str, f"choices[{i}].text")
    logprobs = choice.get("logprobs")
    values = logprobs.get("token_logprobs") if isinstance(logprobs, dict) else None
    if not isinstance(values, list) or not values:
        return text, None, None
    return text, number_sum(values, f"choices[{i}].logprobs"), len(values)


def to_samples(parts: list[tuple[str, float | None, int | None]], completion_tokens: int
               ) -> list[Sample]:
    """Samples; those whose token count is unknown share what the others leave of the total."""
    known = sum(n for _, _, n in parts if n is not None)
    unknown = [i for i, (_, _, n) in enumerate(parts) if n is None]
    base, extra = divmod(max(completion_tokens - known, 0), max(len(unknown), 1))
    share = {i: base + (k < extra) for k, i in enumerate(unknown)}
    return [Sample(text, logprob, n if n is not None else share[i])
            for i, (text, logprob, n) in enumerate(parts)]


def continuation_logprob(choice: Any, start: int, end: int, i: int) -> float:
    """The summed log-probability of the echoed tokens that overlap characters [start, end)
    (`text_offset` says where each token starts; a generated token after `end` is left out)."""
    if start == end:
        return 0.0
    logprobs = need(choice, "logprobs", dict, f"choices[{i}].logprobs")
    offsets = need(logprobs, "text_offset", list, f"choices[{i}].logprobs.text_offset")
    values = need(logprobs, "token_logprobs", list, f"choices[{i}].logprobs.token_logprobs")
    if len(offsets) != len(values) or not all(isinstance(o, int) for o in offsets):
        raise Malformed(f"choices[{i}].logprobs: text_offset and token_logprobs disagree")
    ends = [*offsets[1:], math.inf]
    inside = [v for off, stop, v in zip(offsets, ends, values) if off < end and stop > start]
    return number_sum(inside, f"choices[{i}].logprobs.token_logprobs")


def samples_to_json(samples: Sequence[Sample]) -> list[list[Any]]:
    """Samples as cache values."""
    return [[s.text, s.logprob, s.tokens] for s in samples]


def samples_from_json(value: Any, n: int) -> list[Sample] | None:
    """Samples from a cache value, or None when it is not `n` well-formed samples."""
    if not isinstance(value, list) or len(value) != n:
        return None
    if not all(isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) for v in value):
        return None
    return [Sample(text, logprob, tokens) for text, logprob, tokens in value]


# --- the shared part -----------------------------------------------------------------------

class HTTPBackend:
    """What the HTTP backends share: the key, retries, the cache, the ledger and messages.
    A subclass makes the client (`_make_client`), classifies its errors (`_classify`),
    sends one prompt's requests (`_generate_one`) and says where it sends them (`url`)."""

    errors: tuple[type[Exception], ...] = ()

    def __init__(self, spec: ModelSpec, retry: RetryPolicy | None = None,
                 cache: ModelCache | None = None) -> None:
        """`cache=None` uses `ModelCache.from_env()`; pass `ModelCache(None)` for none."""
        self.spec = spec
        self.name = spec.name
        self.usage = Usage()
        self.retry = retry or RetryPolicy()
        self.cache = cache if cache is not None else ModelCache.from_env()
        self._rng = self.retry.rng()
        self.key_var, self._api_key = self._read_key()
        self.client = self._make_client()

    # subclass hooks
    def _keyless(self) -> bool:
        return False

    def _make_client(self) -> Any:
        raise NotImplementedError

    def _classify(self, err: Exception) -> Failure:
        raise NotImplementedError

    def _generate_one(self, prompt: str, params: GenerateParams) -> list[Sample]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        raise NotImplementedError

    # the protocol
    def generate(self, prompts: Sequence[str], params: GenerateParams) -> list[list[Sample]]:
        """`params.n` samples for each prompt, in prompt order (from the cache when there)."""
        return [self._cached_generate(prompt, params) for prompt in prompts]

    def score(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        raise ModelError(self._message(f"the {self.spec.backend} API gives no "
                                       "log-probabilities of given text; scoring is not "
                                       "supported"))

    # the key
    def _read_key(self) -> tuple[str | None, str]:
        """The variable the key came from and the key; keyless servers get a placeholder."""
        spec = self.spec
        names = (spec.api_key_env,) if spec.api_key_env else (
            () if self._keyless() else DEFAULT_KEY_VARS[spec.backend])
        for var in names:
            value = os.environ.get(var, "").strip()
            if value:
                return var, value
        if not names:
            return None, PLACEHOLDER_KEY
        raise ModelUnavailable(f"the API key variable {names[0]} is not set",
                               field=f"model {spec.name}")

    def _redact(self, text: str) -> str:
        """The text without the key (done before any cut, so no piece of it survives)."""
        key = self._api_key
        return text.replace(key, "***") if key and key != PLACEHOLDER_KEY else text

    def _message(self, text: str) -> str:
        """One line naming member, model and server, never holding the key."""
        where = f"model {self.spec.name} ({self.spec.model} at {self.url})"
        return one_line(self._redact(f"{where}: {text}"), limit=400)

    def _unavailable(self, text: str) -> ModelUnavailable:
        """ModelUnavailable for this member (its name is the error's field)."""
        return ModelUnavailable(one_line(self._redact(text), limit=400),
                                field=f"model {self.spec.name}")

    def _malformed(self, err: Malformed) -> ModelError:
        return ModelError(self._message(f"malformed answer: {err}"))

    # the ledger and the cache
    def _record(self, prompt_tokens: int, completion_tokens: int) -> None:
        """Count one real request in the backend's and the process's ledgers."""
        cost = (prompt_tokens * self.spec.price_in
                + completion_tokens * self.spec.price_out) / 1e6
        for ledger in (self.usage, process_usage()):
            ledger.add(self.spec.name, prompt_tokens, completion_tokens, cost)

    def _count_cached(self) -> None:
        for ledger in (self.usage, process_usage()):
            ledger.cached += 1

    def _key(self, kind: str, **parts: Any) -> str:
        return request_key(kind=kind, backend=self.spec.backend, model=self.spec.model,
                           base_url=self.url, **parts)

    def _cached_generate(self, prompt: str, params: GenerateParams) -> list[Sample]:
        key = self._key("generate", prompt=prompt, params=params.key())
        hit = samples_from_json(self.cache.get(key), params.n)
        if hit is not None:
            self._count_cached()
            return hit
        try:
            samples = self._generate_one(prompt, params)
        except Malformed as err:
            raise self._malformed(err) from None
        self.cache.set(key, samples_to_json(samples))
        return samples

    # retries
    def _call(self, request: Callable[[], T],
              adapt: Callable[[Failure], bool] | None = None) -> T:
        """The request's result, retried under the policy. `adapt` may change what the next
        attempt sends after a 400 (a refused parameter) and answer True to resend at once."""
        delays = self.retry.delays(self._rng)
        tries = 0
        while True:
            tries += 1
            try:
                return request()
            except self.errors as err:
                failure = self._classify(err)
            if failure.status == 400 and adapt is not None and adapt(failure):
                continue
            delay = next(delays, None) if failure.kind in RETRIED else None
            if delay is None:
                raise self._final(failure, tries)
            time.sleep(delay)

    def _final(self, failure: Failure, tries: int) -> Exception:
        """The error for a request that failed for good."""
        detail = f": {one_line(self._redact(failure.detail))}" if failure.detail else ""
        if failure.kind == "auth":
            var = (f"check the key in {self.key_var}" if self.key_var
                   else "no key was sent; name its variable in api_key_env")
            return self._unavailable(f"the server at {self.url} refused the API key "
                                     f"(HTTP {failure.status}); {var}")
        if failure.kind == "connect":
            return self._unavailable(f"cannot reach the server at {self.url} after {tries} "
                                     f"tries{detail}")
        if failure.kind == "timeout":
            return ModelError(self._message(
                f"no answer within {self.spec.timeout_s:g} s, {tries} tries"))
        what = f"HTTP {failure.status}" if failure.status else "request failed"
        tried = f" after {tries} tries" if failure.kind == "retry" else ""
        return ModelError(self._message(f"{what}{tried}{detail}"))


# --- OpenAI-compatible ---------------------------------------------------------------------

class OpenAIBackend(HTTPBackend):
    """Chat completions (backend `openai`) or completions (backend `server`) through `openai`."""

    def __init__(self, spec: ModelSpec, retry: RetryPolicy | None = None,
                 cache: ModelCache | None = None) -> None:
        self.chat = spec.backend == "openai"
        self.refused: set[str] = set()
        self._score_max_tokens = 0
        super().__init__(spec, retry, cache)
        self.official = self.client.base_url.host == OPENAI_HOST

    def _keyless(self) -> bool:
        base_url = self.spec.base_url
        return self.spec.backend == "server" or bool(base_url) and OPENAI_HOST not in base_url

    def _make_client(self) -> Any:
        import openai

        self.errors = (openai.APIError,)
        extra = {"base_url": self.spec.base_url} if self.spec.base_url else {}
        return openai.OpenAI(api_key=self._api_key, timeout=self.spec.timeout_s,
                             max_retries=0, **extra)

    @property
    def url(self) -> str:
        return str(self.client.base_url)

    def _classify(self, err: Exception) -> Failure:
        import openai

        if isinstance(err, openai.APITimeoutError):
            return Failure("timeout")
        if isinstance(err, openai.APIConnectionError):
            return Failure("connect", detail=type(err.__cause__ or err).__name__)
        if isinstance(err, openai.APIStatusError):
            return status_failure(err.status_code, body_message(err.body), err.param)
        return Failure("fatal", detail=type(err).__name__)

    def _args(self, prompt: str, params: GenerateParams) -> dict[str, Any]:
        """The request's arguments, less the optional ones this server refused."""
        limit = ("max_completion_tokens" if self.official or "max_tokens" in self.refused
                 else "max_tokens")
        args: dict[str, Any] = {"model": self.spec.model, "n": params.n,
                                "temperature": params.temperature, "seed": params.seed,
                                limit: params.max_new_tokens}
        if params.stop:
            args["stop"] = list(params.stop)
        if self.chat:
            args.update(messages=[{"role": "user", "content": prompt}], logprobs=True)
        else:
            args.update(prompt=prompt, logprobs=1)
        if params.grammar is not None and not self.official:
            # vLLM's OpenAI-compatible server takes a grammar in the request body as
            # `"structured_outputs": {"grammar": ...}` (docs.vllm.ai/en/latest/features/
            # structured_outputs/); the older `guided_grammar` field was removed in v0.12.0.
            # The official OpenAI API has no grammar field: there it is not sent.
            args["extra_body"] = {"structured_outputs": {"grammar": params.grammar}}
        for name in self.refused:
            args.pop(name, None)
        return args

    def _drop(self, failure: Failure) -> bool:
        """A 400 naming an optional parameter (`logprobs` or `temperature` on a reasoning
        model, ...): leave it out of this and later requests."""
        if failure.param in DROPPABLE and failure.param not in self.refused:
            self.refused.add(failure.param)
            return True
        return False

    def _generate_one(self, prompt: str, params: GenerateParams) -> list[Sample]:
        endpoint = self.client.chat.completions if self.chat else self.client.completions
        raw = self._call(lambda: endpoint.with_raw_response.create(**self._args(prompt, params)),
                         self._drop)
        body = parse_json(raw.http_response.read())
        prompt_tokens, completion_tokens = usage_of(body, "prompt_tokens", "completion_tokens")
        self._record(prompt_tokens, completion_tokens)
        choices = need(body, "choices", list, "choices")
        if not choices:
            raise Malformed("no choices")
        read = chat_choice if self.chat else completion_choice
        return to_samples([read(c, i) for i, c in enumerate(ordered(choices))],
                          completion_tokens)

    def score(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        """Summed log-probability of each continuation after the prompt: the completions
        endpoint echoes prompt + continuation with per-token log-probabilities."""
        if self.chat:
            raise ModelError(self._message("scoring needs a completions endpoint (a 'server' "
                                           "member); the chat API gives no log-probabilities "
                                           "of given text"))
        if not continuations:
            return []
        key = self._key("score", prompt=prompt, continuations=list(continuations))
        hit = self.cache.get(key)
        if isinstance(hit, list) and len(hit) == len(continuations):
            self._count_cached()
            return [float(v) for v in hit]
        try:
            scores = self._score(prompt, continuations)
        except Malformed as err:
            raise self._malformed(err) from None
        self.cache.set(key, scores)
        return scores

    def _score(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        def request() -> Any:
            return self.client.completions.with_raw_response.create(
                model=self.spec.model, prompt=[prompt + c for c in continuations], echo=True,
                max_tokens=self._score_max_tokens, logprobs=1, temperature=0.0,
                extra_body={"score_prompt": prompt})  # synth's server: where the prompt ends

        body = parse_json(self._call(request, self._one_token).http_response.read())
        self._record(*usage_of(body, "prompt_tokens", "completion_tokens"))
        choices = ordered(need(body, "choices", list, "choices"))
        if len(choices) != len(continuations):
            raise Malformed(f"{len(choices)} choices for {len(continuations)} continuations")
        start = len(prompt)
        return [continuation_logprob(choice, start, start + len(c), i)
                for i, (choice, c) in enumerate(zip(choices, continuations))]

    def _one_token(self, failure: Failure) -> bool:
        """A server that refuses `max_tokens=0` is asked for one token (left out of the sum)."""
        if self._score_max_tokens == 0:
            self._score_max_tokens = 1
            return True
        return False


# --- Anthropic -----------------------------------------------------------------------------

class AnthropicBackend(HTTPBackend):
    """The messages API through `anthropic`: one request per sample (no `n`), no
    log-probabilities. The 2.x client speaks API version 2026-10-21, which refuses sampling
    parameters, so the temperature and seed are not sent (they still key the cache)."""

    def _make_client(self) -> Any:
        import anthropic

        self.errors = (anthropic.APIError,)
        extra = {"base_url": self.spec.base_url} if self.spec.base_url else {}
        return anthropic.Anthropic(api_key=self._api_key, timeout=self.spec.timeout_s,
                                   max_retries=0, **extra)

    @property
    def url(self) -> str:
        return str(self.client.base_url)

    def _classify(self, err: Exception) -> Failure:
        import anthropic

        if isinstance(err, anthropic.APITimeoutError):
            return Failure("timeout")
        if isinstance(err, anthropic.APIConnectionError):
            return Failure("connect", detail=type(err.__cause__ or err).__name__)
        if isinstance(err, anthropic.APIStatusError):
            return status_failure(err.status_code, body_message(err.body))
        return Failure("fatal", detail=type(err).__name__)

    def _generate_one(self, prompt: str, params: GenerateParams) -> list[Sample]:
        args: dict[str, Any] = {"model": self.spec.model, "max_tokens": params.max_new_tokens,
                                "messages": [{"role": "user", "content": prompt}]}
        if params.stop:
            args["stop_sequences"] = list(params.stop)
        return [self._sample(args) for _ in range(params.n)]

    def _sample(self, args: dict[str, Any]) -> Sample:
        raw = self._call(lambda: self.client.messages.with_raw_response.create(**args))
        body = parse_json(raw.http_response.read())
        prompt_tokens, completion_tokens = usage_of(body, "input_tokens", "output_tokens")
        self._record(prompt_tokens, completion_tokens)
        blocks = need(body, "content", list, "content")
        if not all(isinstance(b, dict) for b in blocks):
            raise Malformed("content holds a non-object")
        text = "".join(need(b, "text", str, "content[].text") for b in blocks
                       if b.get("type") == "text")
        return Sample(text, None, completion_tokens)


# --- Gemini --------------------------------------------------------------------------------

class GeminiBackend(HTTPBackend):
    """`generate_content` through `google-genai`: `n` split into requests of at most 8
    candidates (chunk k seeded `seed + samples drawn so far`, so chunks differ); a model that
    refuses several candidates is asked for one at a time."""

    def __init__(self, spec: ModelSpec, retry: RetryPolicy | None = None,
                 cache: ModelCache | None = None) -> None:
        self.max_candidates = MAX_GEMINI_CANDIDATES
        super().__init__(spec, retry, cache)

    def _make_client(self) -> Any:
        from google import genai
        from google.genai import errors, types

        timeouts, transports = httpx_errors()
        self.errors = (errors.APIError, *timeouts, *transports)
        options: dict[str, Any] = {"timeout": max(1, round(self.spec.timeout_s * 1000))}
        if self.spec.base_url:
            options["base_url"] = self.spec.base_url
        return genai.Client(api_key=self._api_key, vertexai=False,
                            http_options=types.HttpOptions(**options))

    @property
    def url(self) -> str:
        return self.spec.base_url or GEMINI_URL

    def _classify(self, err: Exception) -> Failure:
        from google.genai import errors

        timeouts, _ = httpx_errors()
        if isinstance(err, errors.APIError):
            message = str(err.message or "")
            if err.code == 400 and "api key" in message.lower():
                return Failure("auth", 400, message)  # Gemini's answer to a bad key
            return status_failure(count(err.code), message)
        if isinstance(err, timeouts):
            return Failure("timeout")
        return Failure("connect", detail=type(err).__name__)

    def _fewer_candidates(self, failure: Failure) -> bool:
        if self.max_candidates > 1 and "candidate" in failure.detail.lower():
            self.max_candidates = 1
            return True
        return False

    def _generate_one(self, prompt: str, params: GenerateParams) -> list[Sample]:
        samples: list[Sample] = []
        while len(samples) < params.n:
            request = partial(self._request, prompt, params, len(samples))
            samples += self._candidates(self._call(request, self._fewer_candidates))
        return samples[:params.n]

    def _request(self, prompt: str, params: GenerateParams, drawn: int) -> Any:
        from google.genai import types

        config = types.GenerateContentConfig(
            temperature=params.temperature, max_output_tokens=params.max_new_tokens,
            stop_sequences=list(params.stop) or None, seed=params.seed + drawn,
            candidate_count=min(params.n - drawn, self.max_candidates))
        try:
            return self.client.models.generate_content(model=self.spec.model, contents=prompt,
                                                       config=config)
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            raise Malformed(f"the client could not read it ({type(err).__name__})") from None

    def _candidates(self, response: Any) -> list[Sample]:
        meta = getattr(response, "usage_metadata", None)
        completion_tokens = (count(getattr(meta, "candidates_token_count", None))
                             + count(getattr(meta, "thoughts_token_count", None)))
        self._record(count(getattr(meta, "prompt_token_count", None)), completion_tokens)
        candidates = getattr(response, "candidates", None) or []
        if not candidates:
            feedback = getattr(response, "prompt_feedback", None)
            reason = getattr(feedback, "block_reason", None)
            if reason is not None:
                raise ModelError(self._message(f"no candidates (prompt blocked: {reason})"))
            raise Malformed("no candidates")
        parts = [self._candidate(c) for c in sorted(candidates, key=lambda c: c.index or 0)]
        return to_samples(parts, count(getattr(meta, "candidates_token_count", None)))

    @staticmethod
    def _candidate(candidate: Any) -> tuple[str, float | None, int | None]:
        content = getattr(candidate, "content", None)
        parts = getattr(content, "parts", None) or []
        text = "".join(p.text for p in parts if p.text and not p.thought)
        tokens = candidate.token_count
        mean = candidate.avg_logprobs
        logprob = mean * tokens if mean is not None and tokens is not None else None
        return text, logprob, tokens
