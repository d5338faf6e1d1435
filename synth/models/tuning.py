"""Test-time training for a member wherever its weights are: in this process (a transformers
backend: `synth.models.ttt.tuned`) or in synth's model server (a member `synth eval` serves:
`POST /v1/ttt` trains the adapter in the server process, and the answers then name the
adapter's model `MEMBER@ADAPTER`, which the server routes to that adapter).

`adapted(backend, ...)` is the one entry point: a context manager giving the run's figures and
the backend to answer with for the duration of the block.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from synth.data.augment import Augmentation
from synth.data.task import Challenge, Example, Task
from synth.models.base import Backend, ModelError, ModelUnavailable
from synth.models.cache import ModelCache
from synth.models.http import OpenAIBackend, body_message, one_line
from synth.models.ttt import Run, time_problem, tuned

SLACK_S = 30.0   # the HTTP timeout of a training request beyond its training time


def served(backend: Any) -> bool:
    """Whether the backend reaches its member through synth's model server."""
    spec = getattr(backend, "spec", None)
    return getattr(spec, "backend", None) == "server" and bool(getattr(spec, "base_url", None))


def challenge_json(task: Challenge) -> dict[str, Any]:
    """The challenge in ARC JSON (test outputs absent)."""
    test = tuple(Example(grid, None) for grid in task.test_inputs)
    return Task(task.id, task.train, test).to_json()


def request_adapter(base_url: str, member: str, task: Challenge, views: Sequence[Augmentation],
                    preset: str, seed: int, seconds: float) -> tuple[Run, str]:
    """Ask the server at `base_url` (`http://HOST:PORT/v1`) to train the task's adapter for a
    member; the run and the adapter's model name. ModelError with the server's one-line
    message when it refuses or fails."""
    body = {"model": member, "id": task.id, "task": challenge_json(task),
            "views": [a.key for a in views], "preset": preset, "seed": seed,
            "seconds": seconds}
    request = urllib.request.Request(base_url.rstrip("/") + "/ttt",
                                     data=json.dumps(body).encode("utf-8"),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=seconds + SLACK_S) as reply:
            answer = json.loads(reply.read())
    except urllib.error.HTTPError as err:
        try:
            detail = body_message(json.loads(err.read()))
        except ValueError:
            detail = err.reason
        raise ModelError(f"{member}: test-time training failed ({err.code}): "
                         f"{one_line(detail)}") from None
    except (OSError, ValueError) as err:
        raise ModelError(f"{member}: test-time training failed: {one_line(str(err))}") from None
    return Run(**answer["run"]), str(answer["model"])


@contextmanager
def adapted(backend: Backend, task: Challenge, views: Sequence[Augmentation], preset: str,
            seed: int, seconds: float) -> Iterator[tuple[Run, Backend]]:
    """The run and the backend that answers with the task's adapter: the same backend with
    the adapter active (local), or a client of the adapter's model on the server (served).
    ModelUnavailable or ModelError when the member cannot train, or when its training would
    not fit `seconds` (`time_problem`: one line, nothing trained)."""
    if not served(backend):
        problem = time_problem(backend, task, views, preset, seconds)
        if problem is not None:
            raise ModelUnavailable(problem, field=f"model {backend.name}")
        with tuned(backend, task, views, preset, seed, seconds) as run:
            yield run, backend
        return
    spec = backend.spec  # type: ignore[attr-defined]
    run, model = request_adapter(spec.base_url, spec.model, task, views, preset, seed, seconds)
    if not isinstance(backend, OpenAIBackend):
        raise ModelUnavailable("a served member needs the OpenAI client backend",
                               field=f"model {spec.name}")
    yield run, OpenAIBackend(replace(spec, model=model), cache=ModelCache(None))
