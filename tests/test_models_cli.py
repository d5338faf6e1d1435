"""`synth models list | check | serve`: which members can load here and why not, and bad input
(unknown member, nothing to serve) as exit 2 with one line."""
from __future__ import annotations

from pathlib import Path

import pytest

from synth.cli.main import main

KEY_VAR = "SYNTH_TEST_UNSET_KEY"


def models_file(tmp_path: Path) -> Path:
    weights = tmp_path / "weights"
    weights.mkdir()
    (weights / "config.json").write_text("{}")
    file = tmp_path / "models.toml"
    file.write_text(f'''
[[model]]
name = "api-member"
backend = "openai"
model = "gpt-4o"
api_key_env = "{KEY_VAR}"
weight = 0.1

[[model]]
name = "no-weights"
backend = "transformers"
model = "{tmp_path / 'missing-folder'}"
role = "transduction"

[[model]]
name = "local-ok"
backend = "transformers"
model = "{weights}"
weight = 0.25
''')
    return file


def test_list_says_which_members_load_and_why_the_others_cannot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("openai")
    pytest.importorskip("transformers")
    monkeypatch.delenv(KEY_VAR, raising=False)
    assert main(["models", "list", "--models", str(models_file(tmp_path))]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line}
    assert f"the API key variable {KEY_VAR} is not set" in lines["api-member"]
    assert "openai" in lines["api-member"] and "0.1" in lines["api-member"]
    assert "no weights at" in lines["no-weights"] and "missing-folder" in lines["no-weights"]
    assert "transduction" in lines["no-weights"]
    assert lines["local-ok"].rstrip().endswith("loadable here")
    assert "1 of 3 members can load here" in lines["1"]


def test_list_defaults_to_the_seed_ensemble(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "qwen3-8b" in out and "marc-8b" in out and "seed-ensemble.toml" in out


def test_check_of_an_unknown_member_is_exit_2(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "check", "nobody", "--models", str(models_file(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "no member named 'nobody'" in err and "api-member" in err
    assert len(err.strip().splitlines()) == 1


def test_check_of_a_member_that_cannot_load_is_exit_2_with_the_reason(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "check", "no-weights", "--models",
                 str(models_file(tmp_path))]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no-weights" in err
    assert "no weights at" in err or "pip install" in err


def test_serve_without_local_members_is_exit_2(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "api.toml"
    file.write_text('[[model]]\nname = "a"\nbackend = "openai"\nmodel = "gpt-4o"\n')
    assert main(["models", "serve", "--models", str(file)]) == 2
    assert "no local member" in capsys.readouterr().err


def test_a_missing_models_file_is_exit_2(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list", "--models", str(tmp_path / "none.toml")]) == 2
    assert "no such file" in capsys.readouterr().err
