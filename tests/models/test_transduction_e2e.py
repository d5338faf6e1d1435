"""End to end on CPU: a tiny model trained in the test on a toy transformation (every cell
becomes grey) answers such a task through `synth solve --models FILE --proposers
transduction`, credited to its member. (A two-layer model this small does not learn to copy
grids in a test's time; painting grey needs no copying, only the shape.)"""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from synth.cli.main import main
from synth.data.task import Challenge, Example, Task, make_grid
from synth.models.gridtext import grid_to_text, task_text

STEPS = 400


def random_grid(rng: random.Random) -> list[list[int]]:
    return [[rng.randint(1, 4) for _ in range(2)] for _ in range(2)]


def grey(grid: list[list[int]]) -> list[list[int]]:
    return [[5 for _ in row] for row in grid]


def grey_task(rng: random.Random) -> tuple[str, str]:
    """A paint-it-grey task as model text: two train pairs and a test input, and the answer."""
    train = tuple(Example(make_grid(g), make_grid(grey(g)))
                  for g in (random_grid(rng), random_grid(rng)))
    query = random_grid(rng)
    return (task_text(Challenge("g", train, (make_grid(query),)), 0),
            grid_to_text(make_grid(grey(query))) + "\n")


@pytest.fixture(scope="module")
def grey_model(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model, trained for a few hundred steps to paint the test input grey."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(1)
    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("grey-model")
    shutil.copytree(tiny_model_dir, folder, dirs_exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True)
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3)
    rng = random.Random(0)
    model.train()
    for _ in range(STEPS):
        prompt, answer = grey_task(rng)
        p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        a = tokenizer(answer, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
        ids = torch.tensor([p + a])
        logits = model(input_ids=ids).logits[0, len(p) - 1:-1]
        loss = torch.nn.functional.cross_entropy(logits, torch.tensor(a))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.save_pretrained(folder)
    return folder


def test_a_trained_grid_model_answers_the_task_and_is_credited(
        grey_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    task = Task("grey", (Example(make_grid([[1, 2], [3, 4]]), make_grid([[5, 5], [5, 5]])),
                         Example(make_grid([[2, 2], [1, 3]]), make_grid([[5, 5], [5, 5]]))),
                (Example(make_grid([[4, 1], [2, 2]]), make_grid([[5, 5], [5, 5]])),))
    (tmp_path / "grey.json").write_text(json.dumps(task.to_json()))
    models = tmp_path / "models.toml"
    models.write_text(f'''[[model]]
name = "painter"
backend = "transformers"
model = "{grey_model}"
role = "transduction"
weight = 0.4
device = "cpu"
''')
    code = main(["solve", str(tmp_path / "grey.json"), "--models", str(models),
                 "--proposers", "transduction", "--views", "1", "--json", "--time-limit", "60"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["proposer"] == "transduction:painter" and result["program"] is None
    assert result["correct"] == [True]
    stage = result["stats"]["stages"]["transduction"]
    assert stage["answers"] >= 1 and stage["views"] == ["id"]
