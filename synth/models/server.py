"""synth's model server: one process owns the loaded local models (transformers, vLLM) and
answers the OpenAI completions protocol over HTTP, so `synth eval` workers never load weights.

```
eval workers ──HTTP──► ThreadingHTTPServer ──queue──► one ModelWorker thread per member:
(OpenAIBackend,        (127.0.0.1, a thread           gathers requests with equal sampling
 backend "server")      per connection)               params for BATCH_WINDOW_S, then makes
                                                      ONE backend.generate(prompts, params)
```

Endpoints: `GET /health` (status and per-member counters), `GET /v1/models`,
`POST /v1/completions` (model, prompt: a string or a list of strings, n, temperature,
max_tokens, stop, seed, logprobs, echo, and the grammar as vLLM's
`structured_outputs: {"grammar": ...}`), `POST /v1/chat/completions` (the user messages' text
is the prompt), `POST /v1/ttt` (test-time training on the server, where the weights are: model,
task as ARC JSON, views as augmentation keys, preset, seed, seconds; the adapter is trained on
the member's model thread by `synth.models.ttt.train_adapter`, cached under `SYNTH_TTT_CACHE`,
and answered as a model name `MEMBER@ADAPTER` that later requests name in `model`, as vLLM's
server names LoRA modules). A generate or score request answers with an adapter when its
`model` is such a name, or when it carries `adapter` (the path of a peft LoRA folder); a
worker batches only requests for the same adapter and switches adapters between batches
(`use_adapter`). A member with `dfs_threshold` in the models file decodes depth-first unless a
request sets `dfs_threshold` itself (null: sample). A completion request with `echo` and
`max_tokens` 0 or 1 is a scoring request: it calls `backend.score` (`score_split` says where
the prompt ends and the continuation begins). synth's backends give one summed log-probability per sample; the `logprobs` object
spreads it over the sample's tokens (see `_logprobs`), which is what `OpenAIBackend` sums.
Errors are OpenAI-shaped JSON objects (`{"error": {"message", "type", "param", "code"}}`) with
a 4xx/5xx status. Every answer closes its connection, so no keep-alive connection outlives a
request (forked clients never share one).

`serve(models_file, host, port)` loads the file's local members and serves until SIGTERM,
SIGINT or (with `until_stdin_closes`) the end of its standard input; it prints the base URL
(`http://HOST:PORT/v1`) as the first line of standard output and sends everything else to
standard error. `start_server_process` runs `python -m synth models serve` in a subprocess and
returns once `/health` answers; `stop_server_process` ends it.
"""
from __future__ import annotations

import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO

from synth.data.augment import AugmentKeyError, parse_key
from synth.data.errors import InputError
from synth.data.task import parse_task
from synth.models.base import Backend, GenerateParams, ModelError, ModelUnavailable, Sample
from synth.models.load import LOCAL_BACKENDS, SERVER_VAR, load_backend, unavailable
from synth.models.spec import ModelSpec, load_models_file
from synth.models.ttt import PRESETS, time_problem, train_adapter

BATCH_WINDOW_S = 0.015
MAX_BATCH = 64
STARTUP_TIMEOUT_S = 600.0
STOP_TIMEOUT_S = 10.0
POLL_S = 0.1
DEFAULT_MAX_TOKENS = 16
SCORE_PROMPT_FIELD = "score_prompt"


# ---------------------------------------------------------------- errors

class ApiError(Exception):
    """A request the server answers with an error object and an HTTP status."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.param, self.code = (status, message, kind,
                                                                       param, code)

    def body(self) -> dict[str, Any]:
        """The OpenAI error object."""
        return {"error": {"message": self.message, "type": self.kind, "param": self.param,
                          "code": self.code}}


# ---------------------------------------------------------------- one thread per model

@dataclass
class _Job:
    """One HTTP request's work for a model: prompts to sample (`params`) or to score (with
    `adapter` active), or other `work` on the backend (test-time training)."""

    prompts: tuple[str, ...]
    params: GenerateParams | None
    continuations: tuple[str, ...] = ()
    adapter: str | None = None
    work: Callable[[Backend], Any] | None = None
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    prompt_tokens: int = 0
    error: BaseException | None = None


class ModelWorker:
    """The one thread that calls a backend. Requests queue up; a generate request waits up to
    `window_s` for others with equal `GenerateParams` and adapter, and all of them (at most
    `max_batch` prompts) are answered by one `backend.generate` call. Score requests and other
    work run one by one."""

    def __init__(self, name: str, backend: Backend, window_s: float = BATCH_WINDOW_S,
                 max_batch: int = MAX_BATCH) -> None:
        self.name, self.backend = name, backend
        self.window_s, self.max_batch = window_s, max_batch
        self.counts = {"requests": 0, "generate_calls": 0, "score_calls": 0, "prompts": 0,
                       "largest_batch": 0, "errors": 0}
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._held: deque[_Job | None] = deque()
        self._thread = threading.Thread(target=self._run, name=f"model-{name}", daemon=True)
        self._thread.start()

    def generate(self, prompts: Sequence[str], params: GenerateParams,
                 adapter: str | None = None) -> tuple[list[list[Sample]], int]:
        """`params.n` samples per prompt and the prompt tokens they cost (this request's
        share of its batch), with `adapter` (a LoRA folder) active."""
        job = self._submit(_Job(tuple(prompts), params, adapter=adapter))
        return job.result, job.prompt_tokens

    def score(self, prompt: str, continuations: Sequence[str], adapter: str | None = None
              ) -> tuple[list[float], int]:
        """The backend's score of each continuation after the prompt, and the prompt tokens
        it cost."""
        job = self._submit(_Job((prompt,), None, tuple(continuations), adapter=adapter))
        return job.result, job.prompt_tokens

    def run(self, work: Callable[[Backend], Any]) -> Any:
        """`work(backend)` on the model thread, between batches; its result."""
        return self._submit(_Job((), None, work=work)).result

    def close(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Finish the queued work, then stop the thread."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _submit(self, job: _Job) -> _Job:
        if not self._thread.is_alive():
            raise ModelError(f"model {self.name} has stopped")
        self._queue.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job

    def _run(self) -> None:
        while True:
            job = self._held.popleft() if self._held else self._queue.get()
            if job is None:
                self._refuse_the_rest()
                return
            if job.work is not None:
                self._work(job)
            elif job.params is None:
                self._score(job)
            else:
                self._generate(self._gather(job))

    def _refuse_the_rest(self) -> None:
        """After `close`: anything still waiting gets an error instead of an answer."""
        late = [job for job in self._held if job is not None]
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                late.append(job)
        self._finish(late, error=ModelError(f"model {self.name} has stopped"))

    def _fits(self, job: _Job | None, first: _Job, size: int) -> bool:
        return (job is not None and job.params is not None and job.params == first.params
                and job.adapter == first.adapter and size + len(job.prompts) <= self.max_batch)

    def _gather(self, first: _Job) -> list[_Job]:
        """`first` and every waiting or arriving request (within the window) it can share a
        generate call with; the others are held, in order, for the next rounds."""
        batch, size = [first], len(first.prompts)
        held, self._held = self._held, deque()
        for job in held:
            if self._fits(job, first, size):
                batch.append(job)
                size += len(job.prompts)
            else:
                self._held.append(job)
        deadline = time.monotonic() + self.window_s
        while size < self.max_batch and None not in self._held:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                job = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if self._fits(job, first, size):
                batch.append(job)
                size += len(job.prompts)
            else:
                self._held.append(job)
        return batch

    def _generate(self, batch: list[_Job]) -> None:
        params = batch[0].params
        prompts = [p for job in batch for p in job.prompts]
        before = self.backend.usage.prompt_tokens
        try:
            self._use(batch[0].adapter)
            results = self.backend.generate(prompts, params)
            if len(results) != len(prompts):
                raise ModelError(f"model {self.name} answered {len(results)} prompts of "
                                 f"{len(prompts)}")
        except Exception as err:  # handed to every request of the batch, the thread goes on
            self._finish(batch, error=err)
            return
        spent = max(0, self.backend.usage.prompt_tokens - before)
        chars = sum(len(p) for p in prompts) or 1
        start = 0
        for job in batch:
            job.result = results[start:start + len(job.prompts)]
            job.prompt_tokens = round(spent * sum(len(p) for p in job.prompts) / chars)
            start += len(job.prompts)
        self.counts["generate_calls"] += 1
        self.counts["prompts"] += len(prompts)
        self.counts["largest_batch"] = max(self.counts["largest_batch"], len(batch))
        self._finish(batch)

    def _score(self, job: _Job) -> None:
        before = self.backend.usage.prompt_tokens
        try:
            self._use(job.adapter)
            job.result = list(self.backend.score(job.prompts[0], job.continuations))
            job.prompt_tokens = max(0, self.backend.usage.prompt_tokens - before)
            self.counts["score_calls"] += 1
            self._finish([job])
        except Exception as err:  # handed to the request, the thread goes on
            self._finish([job], error=err)

    def _work(self, job: _Job) -> None:
        try:
            self._use(None)
            job.result = job.work(self.backend)  # type: ignore[misc]
            self._finish([job])
        except Exception as err:  # handed to the request, the thread goes on
            self._finish([job], error=err)

    def _use(self, adapter: str | None) -> None:
        """Make `adapter` the backend's active one (the same one again costs nothing)."""
        use = getattr(self.backend, "use_adapter", None)
        if use is not None:
            use(adapter)
        elif adapter is not None:
            raise ModelUnavailable(f"model {self.name} cannot take a LoRA adapter")

    def _finish(self, jobs: list[_Job], error: BaseException | None = None) -> None:
        for job in jobs:
            self.counts["requests"] += 1
            if error is not None:
                self.counts["errors"] += 1
                job.error = error
            job.done.set()


# ---------------------------------------------------------------- request parsing

def _number(body: Mapping[str, Any], key: str, default: float, low: float, high: float
            ) -> float:
    value = body.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ApiError(400, f"'{key}' must be a number in [{low:g}, {high:g}], got {value!r}",
                       param=key)
    return float(value)


def _integer(body: Mapping[str, Any], key: str, default: int | None, low: int
             ) -> int | None:
    value = body.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ApiError(400, f"'{key}' must be an integer >= {low}, got {value!r}", param=key)
    return value


def _stop(body: Mapping[str, Any]) -> tuple[str, ...]:
    stop = body.get("stop")
    if stop is None:
        return ()
    if isinstance(stop, str):
        return (stop,)
    if isinstance(stop, list) and all(isinstance(s, str) for s in stop):
        return tuple(stop)
    raise ApiError(400, "'stop' must be a string or a list of strings", param="stop")


def _grammar(body: Mapping[str, Any]) -> str | None:
    structured = body.get("structured_outputs")
    if structured is not None and not isinstance(structured, dict):
        raise ApiError(400, "'structured_outputs' must be an object", param="structured_outputs")
    grammar = (structured or {}).get("grammar", body.get("guided_grammar"))
    if grammar is not None and not isinstance(grammar, str):
        raise ApiError(400, "the grammar must be a string", param="structured_outputs.grammar")
    return grammar


def _prompts(body: Mapping[str, Any]) -> list[str]:
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        return [prompt]
    if isinstance(prompt, list) and prompt and all(isinstance(p, str) for p in prompt):
        return list(prompt)
    raise ApiError(400, "'prompt' must be a string or a non-empty list of strings (token-id "
                        "prompts are not supported)", param="prompt")


def _dfs_threshold(body: Mapping[str, Any], default: float | None) -> float | None:
    if "dfs_threshold" not in body:
        return default
    if body["dfs_threshold"] is None:
        return None
    value = _number(body, "dfs_threshold", 1.0, 0.0, 1.0)
    if value <= 0:
        raise ApiError(400, "'dfs_threshold' must be a probability in (0, 1]",
                       param="dfs_threshold")
    return value


def generate_params(body: Mapping[str, Any], max_tokens_key: str = "max_tokens",
                    dfs_default: float | None = None) -> GenerateParams:
    """The sampling parameters of a request (OpenAI defaults where a field is absent; the
    member's `dfs_threshold` where the request does not set one)."""
    max_tokens = _integer(body, max_tokens_key, DEFAULT_MAX_TOKENS, 1)
    return GenerateParams(n=_integer(body, "n", 1, 1) or 1,
                          temperature=_number(body, "temperature", 1.0, 0.0, 2.0),
                          max_new_tokens=max_tokens or DEFAULT_MAX_TOKENS, stop=_stop(body),
                          grammar=_grammar(body), seed=_integer(body, "seed", 0, -2**63) or 0,
                          dfs_threshold=_dfs_threshold(body, dfs_default))


def is_score_request(body: Mapping[str, Any]) -> bool:
    """`echo` with `max_tokens` 0 or 1: the caller wants the log-probability of its text."""
    return bool(body.get("echo")) and body.get("max_tokens") in (0, 1)


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens}


def _finish_reason(sample: Sample, params: GenerateParams) -> str:
    return "length" if sample.tokens >= params.max_new_tokens else "stop"


def _logprobs(text: str, logprob: float | None, tokens: int, offset: int, prefix: str = ""
              ) -> dict[str, Any] | None:
    """The legacy logprobs object of one choice. synth's backends give one summed
    log-probability per sample, not one per token: it is spread evenly over the sample's
    `tokens` entries, so that both the sum and the token count a client reads are right. An
    echoed prompt comes first, as one entry without a log-probability."""
    if logprob is None:
        return None
    k = max(1, tokens)
    names, values, offsets = [text] + [""] * (k - 1), [logprob / k] * k, [offset] * k
    if prefix:
        names, values, offsets = [prefix, *names], [None, *values], [0, *offsets]
    return {"tokens": names, "token_logprobs": values,
            "top_logprobs": [None if v is None else {t: v} for t, v in zip(names, values)],
            "text_offset": offsets}


def score_split(texts: Sequence[str], prefix: Any) -> int:
    """Where the prompt ends in every text of a scoring request: at the `score_prompt` the
    request names (synth's extension; exact), else at the texts' longest common prefix, which
    needs two texts or more (exact when the continuations differ from their first character;
    otherwise their shared start is scored as part of the prompt, the same for all)."""
    if prefix is not None:
        if not isinstance(prefix, str) or not all(t.startswith(prefix) for t in texts):
            raise ApiError(400, f"'{SCORE_PROMPT_FIELD}' must be a string that begins every "
                                f"prompt", param=SCORE_PROMPT_FIELD)
        return len(prefix)
    if len(texts) < 2:
        raise ApiError(400, f"scoring one text needs '{SCORE_PROMPT_FIELD}' (the prompt the "
                            f"continuation follows) in the request", param=SCORE_PROMPT_FIELD)
    return len(os.path.commonprefix(list(texts)))


def _envelope(kind: str, model: str, choices: list[dict[str, Any]], usage: dict[str, int]
              ) -> dict[str, Any]:
    prefix = "chatcmpl" if kind == "chat.completion" else "cmpl"
    return {"id": f"{prefix}-{uuid.uuid4().hex}", "object": kind, "created": int(time.time()),
            "model": model, "choices": choices, "usage": usage}


# ---------------------------------------------------------------- the server

class ModelServer:
    """The HTTP server and one `ModelWorker` per loaded member (by member name)."""

    def __init__(self, backends: Mapping[str, Backend], host: str = "127.0.0.1",
                 port: int = 0, *, window_s: float = BATCH_WINDOW_S,
                 max_batch: int = MAX_BATCH, log: TextIO | None = None) -> None:
        self.workers = {name: ModelWorker(name, backend, window_s, max_batch)
                        for name, backend in backends.items()}
        self.dfs = {name: getattr(getattr(backend, "spec", None), "dfs_threshold", None)
                    for name, backend in backends.items()}
        self.adapters: dict[str, tuple[str, str]] = {}
        self.log = log
        self._log_lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.model_server = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL clients use (`http://HOST:PORT/v1`)."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> ModelServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(POLL_S,),
                                        name="model-server", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop accepting requests, then stop the model threads."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.server_close()
        for worker in self.workers.values():
            worker.close()

    def __enter__(self) -> ModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def note(self, line: str) -> None:
        """One log line (requests, errors), when the server has a log."""
        if self.log is not None:
            with self._log_lock:
                print(f"synth model server: {line}", file=self.log, flush=True)

    def health(self) -> dict[str, Any]:
        """Status and per-member counters."""
        return {"status": "ok",
                "models": {name: dict(w.counts) for name, w in self.workers.items()}}

    def models(self) -> dict[str, Any]:
        """The `/v1/models` list."""
        return {"object": "list", "data": [{"id": name, "object": "model", "created": 0,
                                            "owned_by": "synth"} for name in self.workers]}

    def worker(self, body: Mapping[str, Any]) -> tuple[str, ModelWorker, str | None]:
        """The member a request names, its worker and the adapter to answer with (a trained
        adapter's model name, or the request's `adapter` folder); 404 for a model this
        server does not hold."""
        name = body.get("model")
        if not isinstance(name, str):
            raise ApiError(400, "'model' must be the name of a served member", param="model")
        name, adapter = self.adapters.get(name, (name, None))
        if name not in self.workers:
            raise ApiError(404, f"model '{name}' is not served here (served: "
                                f"{', '.join(self.workers) or 'none'})", param="model",
                           code="model_not_found")
        folder = body.get("adapter")
        if folder is not None:
            if not isinstance(folder, str) or not (Path(folder) / "adapter_config.json"
                                                   ).is_file():
                raise ApiError(400, "'adapter' must be the path of a peft LoRA folder (with "
                                    "adapter_config.json)", param="adapter")
            adapter = folder
        return name, self.workers[name], adapter

    def ttt(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """`POST /v1/ttt`: train (or find in the cache) a task's adapter for a member, on the
        member's model thread; answers the model name later requests use."""
        name, worker, adapter = self.worker(body)
        if adapter is not None:
            raise ApiError(400, "test-time training starts from a member's base weights",
                           param="adapter")
        try:
            task = parse_task(body.get("task"), str(body.get("id") or "task")).challenge()
        except InputError as err:
            raise ApiError(400, f"'task': {err.message}", param="task") from None
        keys = body.get("views", ["id"])
        try:
            augs = [parse_key(k) for k in keys] if isinstance(keys, list) and keys else None
        except AugmentKeyError as err:
            raise ApiError(400, f"'views': {err}", param="views") from None
        if augs is None:
            raise ApiError(400, "'views' must be a non-empty list of augmentation keys",
                           param="views")
        preset = body.get("preset")
        if preset not in PRESETS:
            raise ApiError(400, f"'preset' must be one of {', '.join(PRESETS)}", param="preset")
        seconds = _number(body, "seconds", 60.0, 0.0, 86400.0)
        seed = _integer(body, "seed", 0, -2**63) or 0
        run, folder = worker.run(lambda backend: _trained(backend, task, augs, preset, seed,
                                                          seconds))
        model = f"{name}@{folder.name}"
        self.adapters[model] = (name, str(folder))
        return {"object": "ttt.adapter", "model": model, "adapter": str(folder),
                "run": asdict(run)}

    def completions(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """`POST /v1/completions`."""
        if body.get("stream"):
            raise ApiError(400, "streaming is not supported", param="stream")
        name, worker, adapter = self.worker(body)
        if is_score_request(body):
            return self.score(name, worker, body, adapter)
        prompts, params = _prompts(body), generate_params(body, dfs_default=self.dfs[name])
        results, prompt_tokens = worker.generate(prompts, params, adapter)
        echo, logprobs = bool(body.get("echo")), body.get("logprobs") is not None
        choices = []
        for i, (prompt, samples) in enumerate(zip(prompts, results)):
            for j, sample in enumerate(samples):
                head = prompt if echo else ""
                choices.append({"index": i * params.n + j, "text": head + sample.text,
                                "logprobs": _logprobs(sample.text, sample.logprob,
                                                      sample.tokens, len(head), head)
                                if logprobs else None,
                                "finish_reason": _finish_reason(sample, params)})
        completion = sum(s.tokens for samples in results for s in samples)
        return _envelope("text_completion", name, choices, _usage(prompt_tokens, completion))

    def score(self, name: str, worker: ModelWorker, body: Mapping[str, Any],
              adapter: str | None = None) -> dict[str, Any]:
        """An echo request with max_tokens 0/1: each prompt is the prompt proper followed by a
        continuation (`score_split` says where one ends). Each choice echoes its text: the
        prompt as one entry without a log-probability, then the continuation's summed
        log-probability over its tokens, at `text_offset` = the prompt's length."""
        texts = _prompts(body)
        cut = score_split(texts, body.get(SCORE_PROMPT_FIELD))
        values, prompt_tokens = worker.score(texts[0][:cut], [t[cut:] for t in texts],
                                             adapter)
        choices = []
        for i, (text, value) in enumerate(zip(texts, values)):
            entry = _logprobs(text[cut:], value, 1, cut, text[:cut]) if text[cut:] else None
            choices.append({"index": i, "text": text, "logprobs": entry,
                            "finish_reason": "length"})
        return _envelope("text_completion", name, choices, _usage(prompt_tokens, 0))

    def chat(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """`POST /v1/chat/completions`: the user messages' text is the prompt."""
        if body.get("stream"):
            raise ApiError(400, "streaming is not supported", param="stream")
        name, worker, adapter = self.worker(body)
        prompt = _user_text(body.get("messages"))
        key = "max_completion_tokens" if body.get("max_completion_tokens") is not None \
            else "max_tokens"
        params = generate_params(body, key, self.dfs[name])
        (samples,), prompt_tokens = worker.generate([prompt], params, adapter)
        choices = [{"index": j, "message": {"role": "assistant", "content": s.text},
                    "logprobs": None, "finish_reason": _finish_reason(s, params)}
                   for j, s in enumerate(samples)]
        return _envelope("chat.completion", name, choices,
                         _usage(prompt_tokens, sum(s.tokens for s in samples)))


def _trained(backend: Backend, task: Any, augs: Any, preset: str, seed: int, seconds: float
             ) -> Any:
    """`train_adapter`, unless its estimated time does not fit `seconds` (ModelUnavailable:
    a 503 with the line)."""
    problem = time_problem(backend, task, augs, preset, seconds)
    if problem is not None:
        raise ModelUnavailable(problem, field=f"model {backend.name}")
    return train_adapter(backend, task, augs, preset, seed, seconds)


def _user_text(messages: Any) -> str:
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "'messages' must be a non-empty list", param="messages")
    parts = []
    for message in messages:
        if not isinstance(message, dict):
            raise ApiError(400, "each message must be an object", param="messages")
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, list):
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if not isinstance(content, str):
            raise ApiError(400, "a user message's content must be text", param="messages")
        parts.append(content)
    if not parts:
        raise ApiError(400, "no user message", param="messages")
    return "\n\n".join(parts)


class _Handler(BaseHTTPRequestHandler):
    """Routes one HTTP request to the `ModelServer`. Every answer closes its connection
    (HTTP/1.0): a client made before `synth eval` forks its workers then holds no open
    connection that several workers would share."""

    protocol_version = "HTTP/1.0"
    server_version = "synth-model-server"

    @property
    def model_server(self) -> ModelServer:
        return self.server.model_server  # type: ignore[attr-defined]

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("/health", "/v1/health"):
            self._send(200, self.model_server.health())
        elif path in ("/v1/models", "/models"):
            self._send(200, self.model_server.models())
        else:
            self._send_error(ApiError(404, f"no such endpoint: GET {path}", code="not_found"))

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        path = self.path.split("?", 1)[0].rstrip("/")
        routes: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
            "/v1/completions": self.model_server.completions,
            "/v1/chat/completions": self.model_server.chat,
            "/v1/ttt": self.model_server.ttt}
        started = time.monotonic()
        body: Any = None
        try:
            body = self._body()
            if path not in routes:
                raise ApiError(404, f"no such endpoint: POST {path}", code="not_found")
            answer = routes[path](body)
        except ApiError as err:
            self._send_error(err)
            self._note(path, body, err.status, started, err.message)
            return
        except ModelUnavailable as err:
            self._send_error(ApiError(503, err.message, "server_error"))
            self._note(path, body, 503, started, err.message)
            return
        except Exception as err:  # a failed model call: a JSON 500, the server goes on
            message = f"{type(err).__name__}: {err}".splitlines()[0]
            self._send_error(ApiError(500, message, "server_error"))
            self._note(path, body, 500, started, message)
            return
        self._send(200, answer)
        self._note(path, body, 200, started)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise ApiError(400, f"the request body is not JSON: {err}") from None
        if not isinstance(body, dict):
            raise ApiError(400, "the request body must be a JSON object")
        return body

    def _send(self, status: int, payload: Mapping[str, Any]) -> None:
        data = json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client went away (a killed worker)
            self.close_connection = True

    def _send_error(self, err: ApiError) -> None:
        self._send(err.status, err.body())

    def _note(self, path: str, body: Any, status: int, started: float,
              error: str | None = None) -> None:
        detail = ""
        if isinstance(body, dict):
            prompts = body.get("prompt", body.get("messages"))
            count = len(prompts) if isinstance(prompts, list) and "prompt" in body else 1
            detail = f" model={body.get('model')} prompts={count} n={body.get('n', 1)}"
        line = f"POST {path}{detail} -> {status} in {time.monotonic() - started:.2f} s"
        self.model_server.note(line + (f": {error}" if error else ""))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's name)
        """Access lines are written by `_note` instead."""


# ---------------------------------------------------------------- loading and serving

def local_members(models_file: str | Path, names: Sequence[str] = ()) -> list[ModelSpec]:
    """The file's local members (transformers, vllm), or those named (each must be local)."""
    specs = load_models_file(models_file)
    by_name = {s.name: s for s in specs}
    for name in names:
        if name not in by_name:
            raise ModelUnavailable(f"no member named '{name}' (members: "
                                   f"{', '.join(by_name)})", file=str(models_file))
        if by_name[name].backend not in LOCAL_BACKENDS:
            raise ModelUnavailable(f"member '{name}' has backend {by_name[name].backend}; the "
                                   f"model server holds local members "
                                   f"({', '.join(LOCAL_BACKENDS)})", file=str(models_file))
    return [s for s in specs if s.backend in LOCAL_BACKENDS and (not names or s.name in names)]


def servable(models_file: str | Path, role: str | None = None) -> list[str]:
    """Names of the local members (of a role) that can load here, without loading them."""
    return [s.name for s in local_members(models_file)
            if (role is None or s.role == role) and unavailable(s) is None]


def load_members(specs: Sequence[ModelSpec], log: TextIO = sys.stderr) -> dict[str, Backend]:
    """Load each member (directly: `serve` unsets SYNTH_MODEL_SERVER first); one log line per
    member."""
    backends = {}
    for spec in specs:
        started = time.monotonic()
        try:
            backends[spec.name] = load_backend(spec)
        except ModelUnavailable as err:
            print(f"synth model server: model {spec.name} skipped: {err.reason}", file=log,
                  flush=True)
            continue
        print(f"synth model server: loaded {spec.name} ({spec.backend}, {spec.model}) in "
              f"{time.monotonic() - started:.1f} s", file=log, flush=True)
    return backends


def _stop_when_stdin_closes(stop: threading.Event) -> None:
    def watch() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        stop.set()

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def serve(models_file: str | Path, host: str = "127.0.0.1", port: int = 0, *,
          names: Sequence[str] = (), window_s: float = BATCH_WINDOW_S,
          max_batch: int = MAX_BATCH, until_stdin_closes: bool = False) -> int:
    """Load the local members of `models_file` (or those named) and serve them until SIGTERM,
    SIGINT or, with `until_stdin_closes`, the end of standard input. The base URL is the first
    line of standard output; everything else (loading, one line per request) goes to standard
    error. ModelUnavailable when no member loads."""
    os.environ.pop(SERVER_VAR, None)
    specs = local_members(models_file, names)
    if not specs:
        raise ModelUnavailable(f"no local member ({', '.join(LOCAL_BACKENDS)}) to serve",
                               file=str(models_file))
    sys.stdout.flush()
    url_out = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    backends = load_members(specs)
    if not backends:
        raise ModelUnavailable("no local member can load here (see the lines above)",
                               file=str(models_file))
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    if until_stdin_closes:
        _stop_when_stdin_closes(stop)
    with ModelServer(backends, host, port, window_s=window_s, max_batch=max_batch,
                     log=sys.stderr) as server:
        print(server.url, file=url_out, flush=True)
        url_out.close()
        while not stop.wait(0.5):
            pass
    return 0


# ---------------------------------------------------------------- the server as a subprocess

def health_url(url: str) -> str:
    """`/health` of a server whose base URL is `url`."""
    return url.rstrip("/").removesuffix("/v1") + "/health"


def server_health(url: str, timeout: float = 5.0) -> dict[str, Any]:
    """The server's `/health` answer; OSError when it does not answer."""
    with urllib.request.urlopen(health_url(url), timeout=timeout) as reply:
        return json.loads(reply.read())


def _last_line(log: Path | None) -> str:
    if log is None or not log.is_file():
        return ""
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return f": {lines[-1]}" if lines else ""


def start_server_process(models_file: str | Path, names: Sequence[str] = (), *,
                         log: Path | None = None,
                         timeout_s: float = STARTUP_TIMEOUT_S) -> tuple[subprocess.Popen, str]:
    """Run `python -m synth models serve` on an ephemeral port; return the process and its base
    URL once `/health` answers. Its standard error goes to `log` (else to ours); it stops when
    its standard input closes (`stop_server_process`). ModelUnavailable when it does not come
    up within `timeout_s`, with the last line it logged."""
    cmd = [sys.executable, "-m", "synth", "models", "serve", "--models", str(models_file),
           "--host", "127.0.0.1", "--port", "0", "--until-stdin-closes"]
    for name in names:
        cmd += ["--member", name]
    env = {k: v for k, v in os.environ.items() if k != SERVER_VAR}
    err = log.open("a", encoding="utf-8") if log is not None else None
    try:
        process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=err, env=env, text=True)
    finally:
        if err is not None:
            err.close()
    deadline = time.monotonic() + timeout_s
    try:
        url = _read_url(process, deadline, log)
        _wait_healthy(process, url, deadline, log)
    except BaseException:
        stop_server_process(process)
        raise
    return process, url


def _read_url(process: subprocess.Popen, deadline: float, log: Path | None) -> str:
    assert process.stdout is not None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ModelUnavailable(f"the model server did not start within the time limit"
                                   f"{_last_line(log)}")
        ready, _, _ = select.select([process.stdout], [], [], min(left, 1.0))
        if ready:
            line = process.stdout.readline().strip()
            process.stdout.close()
            if not line.startswith("http"):
                process.wait(STOP_TIMEOUT_S)
                raise ModelUnavailable(f"the model server exited with code {process.returncode}"
                                       f" before it was ready{_last_line(log)}")
            return line


def _wait_healthy(process: subprocess.Popen, url: str, deadline: float,
                  log: Path | None) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ModelUnavailable(f"the model server exited with code {process.returncode}"
                                   f"{_last_line(log)}")
        try:
            server_health(url, timeout=2.0)
            return
        except (OSError, urllib.error.URLError, json.JSONDecodeError):
            time.sleep(0.1)
    raise ModelUnavailable(f"the model server at {url} did not answer /health")


def stop_server_process(process: subprocess.Popen, timeout_s: float = STOP_TIMEOUT_S) -> None:
    """Close its standard input (it stops serving), then terminate or kill it if it lingers."""
    if process.stdin is not None and not process.stdin.closed:
        try:
            process.stdin.close()
        except OSError:
            pass
    try:
        process.wait(timeout_s)
        return
    except subprocess.TimeoutExpired:
        process.terminate()
    try:
        process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
