"""Fine-tuning a LoRA adapter that writes DSL programs (`synth train proposer`).

The data is a `synth data generate` folder (`DIR/index.json`, `DIR/tasks/ID.json`,
`DIR/programs/ID.dsl`): each task becomes the `llm` proposer's prompt
(`synth.models.prompts.program_prompt`: instructions, the DSL reference unless `reference` is
`none`, the task as text grids, no worked examples) followed by its program and the
end-of-sequence token, trained on with the loss of the program's tokens only
(`synth.models.ttt.train_steps`: AdamW, one pair a step). `validation` of the tasks (at least
one), chosen by the seed, are held out and decoded greedily WITHOUT a grammar before and after
training: the parse rate (the reply parses with `dsl.parser`) and the verify rate (it also
type-checks and reproduces every train output of its task). The adapter is saved with peft's
`save_pretrained` into `out`, loadable as `adapter = "OUT"` of a transformers member in the
models file. Needs the `neural` extra.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from dsl.errors import DSLError
from dsl.parser import parse_program
from dsl.registry import default_registry
from dsl.typecheck import check_program
from synth.data.errors import InputError
from synth.data.task import Task, load_task_file
from synth.learn.generate import run_outputs, same_grids
from synth.models.base import GenerateParams
from synth.models.prompts import dsl_reference, extract_program, program_prompt
from synth.models.spec import ModelSpec
from synth.models.ttt import Preset, attach_lora, train_steps

REFERENCES = ("full", "none")


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one `synth train proposer` run."""

    base: Path
    data: Path
    out: Path
    rank: int = 64
    alpha: int | None = None          # default: the rank
    epochs: int = 1
    lr: float = 2e-4
    seed: int = 0
    validation: float = 0.1           # share of the tasks held out (at least one)
    reference: str = "full"           # the prompt's DSL reference: full | none
    max_prompt_chars: int | None = None   # keep only the prompt's last characters
    max_new_tokens: int = 256         # validation replies
    device: str = "auto"
    head: bool = False                # also train the output layer (small models)


@dataclass(frozen=True)
class Pair:
    """One training or validation example: the task, its prompt and its program."""

    id: str
    task: Task
    prompt: str
    program: str


@dataclass(frozen=True)
class Validation:
    """Greedy replies to the held-out prompts: how many parse, how many verify."""

    tasks: int
    parsed: int
    verified: int

    @property
    def parse_rate(self) -> float:
        """Replies that parse, as a share of the tasks."""
        return self.parsed / self.tasks if self.tasks else 0.0

    @property
    def verify_rate(self) -> float:
        """Replies that reproduce their task's train outputs, as a share of the tasks."""
        return self.verified / self.tasks if self.tasks else 0.0

    def as_json(self) -> dict[str, Any]:
        """Counts and rates."""
        return {**asdict(self), "parse_rate": round(self.parse_rate, 4),
                "verify_rate": round(self.verify_rate, 4)}


@dataclass
class TrainResult:
    """What a run did: the split, the steps and losses, validation before and after."""

    train: int
    held_out: int
    steps: int = 0
    seconds: float = 0.0
    losses: list[float] = field(default_factory=list)
    before: Validation | None = None
    after: Validation | None = None
    adapter: str = ""

    def as_json(self) -> dict[str, Any]:
        """JSON-able figures (first and last losses, not every one)."""
        return {"train": self.train, "held_out": self.held_out, "steps": self.steps,
                "seconds": round(self.seconds, 2),
                "loss_first": round(self.losses[0], 4) if self.losses else None,
                "loss_last": round(self.losses[-1], 4) if self.losses else None,
                "before": self.before.as_json() if self.before else None,
                "after": self.after.as_json() if self.after else None,
                "adapter": self.adapter}


def trimmed(prompt: str, max_chars: int | None) -> str:
    """The prompt's last `max_chars` characters from a line start (all of it when None)."""
    if max_chars is None or len(prompt) <= max_chars:
        return prompt
    tail = prompt[-max_chars:]
    return tail.split("\n", 1)[1] if "\n" in tail else tail


def load_pairs(config: TrainConfig) -> list[Pair]:
    """The data folder's tasks with their prompts and programs, in the index's order."""
    index_file = config.data / "index.json"
    try:
        entries = json.loads(index_file.read_text(encoding="utf-8"))["tasks"]
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError("not a `synth data generate` folder (index.json with 'tasks' "
                         "expected)", file=str(index_file), field="--data") from None
    if config.reference not in REFERENCES:
        raise InputError(f"unknown reference '{config.reference}' (known: "
                         f"{', '.join(REFERENCES)})", field="--reference")
    reference = dsl_reference(default_registry()) if config.reference == "full" else ""
    pairs = []
    for entry in entries:
        task = load_task_file(config.data / "tasks" / f"{entry['id']}.json")
        program = (config.data / "programs" / f"{entry['id']}.dsl").read_text(encoding="utf-8")
        prompt = trimmed(program_prompt(task.challenge(), reference, ()),
                         config.max_prompt_chars)
        pairs.append(Pair(task.id, task, prompt, program.strip() + "\n"))
    return pairs


def split(pairs: list[Pair], share: float, seed: int) -> tuple[list[Pair], list[Pair]]:
    """(train, held out): `share` of the pairs (at least one, never all) held out, chosen by
    the seed."""
    if len(pairs) < 2:
        raise InputError(f"need at least two tasks to hold one out, found {len(pairs)}",
                         field="--data")
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    held = min(len(pairs) - 1, max(1, round(share * len(pairs))))
    return [pairs[i] for i in order[held:]], [pairs[i] for i in order[:held]]


def reply_verdict(text: str, task: Task) -> tuple[bool, bool]:
    """(parses, verifies): whether the reply's program parses, and whether it also
    type-checks and reproduces every train output of the task."""
    try:
        program = parse_program(extract_program(text))
    except DSLError:
        return False, False
    try:
        check_program(program)
    except DSLError:
        return True, False
    outputs = run_outputs(program, [ex.input for ex in task.train], default_registry())
    return True, same_grids(outputs, [ex.output for ex in task.train])


def validate(backend: Any, held: list[Pair], max_new_tokens: int) -> Validation:
    """Greedy replies (no grammar) to every held-out prompt, judged by `reply_verdict`."""
    params = GenerateParams(n=1, temperature=0.0, max_new_tokens=max_new_tokens)
    replies = backend.generate([p.prompt for p in held], params)
    verdicts = [reply_verdict(samples[0].text, pair.task) for samples, pair in zip(replies, held)]
    return Validation(len(held), sum(p for p, _ in verdicts), sum(v for _, v in verdicts))


def train_proposer(config: TrainConfig) -> TrainResult:
    """Fine-tune, validate before and after, and save the adapter (see the module
    docstring)."""
    from synth.models.local import TransformersBackend

    train, held = split(load_pairs(config), config.validation, config.seed)
    backend = TransformersBackend(ModelSpec("base", "transformers", str(config.base),
                                            device=config.device))
    end = backend.tokenizer.eos_token or ""
    examples = [(p.prompt, p.program + end) for p in train]
    random.Random(config.seed).shuffle(examples)
    result = TrainResult(len(train), len(held))
    result.before = validate(backend, held, config.max_new_tokens)
    preset = Preset(rank=config.rank, alpha=config.alpha or config.rank, lr=config.lr,
                    epochs=config.epochs, head=config.head)
    started = time.monotonic()
    attach_lora(backend, preset)
    result.steps, _ = train_steps(backend, examples, preset, config.seed, float("inf"),
                                  result.losses)
    result.seconds = time.monotonic() - started
    result.after = validate(backend, held, config.max_new_tokens)
    config.out.mkdir(parents=True, exist_ok=True)
    backend.model.save_pretrained(str(config.out))
    result.adapter = str(config.out)
    return result
