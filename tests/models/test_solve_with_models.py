"""End to end: `synth solve --models FILE --proposers llm` against a loopback
OpenAI-compatible server that answers a correct program; the answer credits the model."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synth.cli.main import main
from tests.models.loopback import Loopback, Reply, Request

FLIP_PROGRAM = "```\nsolve(I: Grid) -> Grid:\n    O = rot180(I)\n```"


def chat_reply(request: Request) -> Reply:
    """As many choices as asked for: a junk reply first, then the right program."""
    n = int(request.body.get("n", 1))
    texts = (["I think the answer is blue."] + [FLIP_PROGRAM] * n)[:n] if n > 1 else \
        [FLIP_PROGRAM]
    choices: list[dict[str, Any]] = [
        {"index": i, "message": {"role": "assistant", "content": t}, "finish_reason": "stop",
         "logprobs": None} for i, t in enumerate(texts)]
    return Reply(body={"id": "c", "object": "chat.completion", "created": 1, "model": "m",
                       "choices": choices,
                       "usage": {"prompt_tokens": 100, "completion_tokens": 20,
                                 "total_tokens": 120}})


def models_file(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "models.toml"
    path.write_text(f'''[[model]]
name = "loop"
backend = "openai"
model = "loop-model"
base_url = "{url}/v1"
api_key_env = "SYNTH_LOOP_KEY"
role = "program"
weight = 0.3
temperatures = [0.5]
samples = 2
constrained = false
''')
    return path


def test_solve_credits_the_model_that_wrote_the_program(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SYNTH_LOOP_KEY", "sk-loop-secret")
    monkeypatch.setenv("SYNTH_MODEL_CACHE", str(tmp_path / "cache"))
    with Loopback() as server:
        server.script("/v1/chat/completions", chat_reply)
        code = main(["solve", "examples/3c9b0459.json", "--models",
                     str(models_file(tmp_path, server.url)), "--proposers", "llm", "--json",
                     "--time-limit", "20"])
        assert code == 0
        result = json.loads(capsys.readouterr().out)
        assert result["proposer"] == "llm:loop" and result["correct"] == [True]
        assert "rot180(I)" in result["program"]
        stats = result["stats"]["stages"]["llm"]
        assert stats["samples"] == 2 and stats["errors"] == {"parse": 1}
        assert stats["members"] == ["loop"]
        prompt = server.requests[0].body["messages"][0]["content"]
        assert "rot90(grid: Grid) -> Grid" in prompt
        assert "sk-loop-secret" not in json.dumps(result)


def test_a_member_that_cannot_load_is_skipped_with_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SYNTH_LOOP_KEY", raising=False)
    code = main(["solve", "examples/3c9b0459.json", "--models",
                 str(models_file(tmp_path, "http://127.0.0.1:9")), "--json",
                 "--time-limit", "10"])
    assert code == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if "loop" in line]
    assert warnings == ["synth: warning: model loop skipped: the API key variable "
                        "SYNTH_LOOP_KEY is not set"]
    assert json.loads(captured.out)["correct"] == [True], "the symbolic search goes on"
