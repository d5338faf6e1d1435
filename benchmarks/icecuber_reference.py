"""icecuber's 2020 search as a per-task reference: run a built copy on the same tasks, score
pass@2, and compare with a synth run.

    python benchmarks/icecuber_reference.py arc1:train \
        --ids benchmarks/samples/arc1-train-every5.txt --icecuber /path/to/ARC-solution \
        --depth 2 --compare runs/s7-train \
        --json benchmarks/results/icecuber-d2-arc1-train-every5.json

`--icecuber` is a checkout of github.com/top-quarks/ARC-solution built with its Makefile (the
`run` binary; nothing here downloads it). Each test output is one icecuber "sample": the tasks
are written into a scratch folder as `dataset/evaluation/` and `dataset/training/` (whichever
the binary was built to read), `run INDEX DEPTH` is called once per sample with that folder as
its working directory, and its `output/answer_INDEX_DEPTH.csv` (the output id, then candidate
images with scores) gives the attempts: the two best-scored distinct images, as in synth's
pass@2 scoring. A task scores the share of its test outputs answered. With `--compare RUN` it
lists the tasks only icecuber solves and those only synth solves (RUN's `records.jsonl`).
Figures from a loaded machine are fine here: icecuber's search is bounded by depth, not time.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`

from benchmarks.common import stamp  # noqa: E402
from synth.data.datasets import load_dataset, read_id_list  # noqa: E402
from synth.data.task import Task  # noqa: E402

ATTEMPTS = 2
SAMPLE_DIRS = ("evaluation", "training")


def encode_grid(grid: Sequence[Sequence[int]]) -> str:
    """A grid in icecuber's answer format: `|row|row|...|`, each row its digits."""
    return "|" + "|".join("".join(str(int(v)) for v in row) for row in grid) + "|"


def read_answers(path: Path) -> tuple[str, list[str]]:
    """The output id of an answer file and its distinct images, best score first."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise ValueError(f"{path}: empty answer file")
    scored = []
    for line in lines[1:]:
        image, score = line.split()
        scored.append((float(score), image))
    images: list[str] = []
    for _, image in sorted(scored, key=lambda item: -item[0]):
        if image not in images:
            images.append(image)
    return lines[0].strip(), images


def task_scores(answers: dict[str, list[str]], tasks: dict[str, Task],
                attempts: int = ATTEMPTS) -> dict[str, float]:
    """Per task, the share of its test outputs among the first `attempts` answer images (an
    output icecuber gave no answer for counts as missed)."""
    scores = {}
    for task_id, task in tasks.items():
        hits = [encode_grid(ex.output.tolist()) in answers.get(f"{task_id}_{i}", [])[:attempts]
                for i, ex in enumerate(task.test)]
        scores[task_id] = sum(hits) / len(hits)
    return scores


def write_tasks(folder: Path, tasks: dict[str, Task]) -> int:
    """Write the tasks where icecuber reads them; the number of samples (test outputs)."""
    for name in SAMPLE_DIRS:
        target = folder / "dataset" / name
        target.mkdir(parents=True)
        for task_id, task in tasks.items():
            (target / f"{task_id}.json").write_text(json.dumps(task.to_json()), encoding="utf-8")
    (folder / "output").mkdir()
    return sum(len(task.test) for task in tasks.values())


def read_answer_folder(folder: Path, depth: int) -> dict[str, list[str]]:
    """The answers in an icecuber `output/` folder at `depth`, by output id."""
    answers: dict[str, list[str]] = {}
    for path in sorted(folder.glob(f"answer_*_{depth}.csv")):
        output_id, images = read_answers(path)
        answers[output_id] = images
    return answers


def run_icecuber(binary: Path, tasks: dict[str, Task], depth: int, jobs: int = 1
                 ) -> tuple[dict[str, list[str]], float]:
    """Every sample through `binary` at `depth`, `jobs` at a time: answers by output id, and
    seconds taken."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="icecuber-") as scratch:
        folder = Path(scratch)
        samples = write_tasks(folder, tasks)

        def run_sample(index: int) -> None:
            subprocess.run([str(binary), str(index), str(depth)], cwd=folder, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            list(pool.map(run_sample, range(samples)))
        answers = read_answer_folder(folder / "output", depth)
    return answers, time.perf_counter() - start


def synth_scores(run: Path) -> dict[str, float]:
    """Per task score of a synth run folder."""
    lines = (run / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return {record["id"]: record["record"]["score"] for record in map(json.loads, lines)
            if record.get("record")}


def compare(icecuber: dict[str, float], synth: dict[str, float]) -> dict[str, list[str]]:
    """Tasks both solve (any credit), only icecuber, only synth (over the tasks both ran)."""
    shared = sorted(set(icecuber) & set(synth))
    return {"both": [t for t in shared if icecuber[t] > 0 and synth[t] > 0],
            "icecuber_only": [t for t in shared if icecuber[t] > 0 and synth[t] == 0],
            "synth_only": [t for t in shared if synth[t] > 0 and icecuber[t] == 0]}


def main(argv: list[str] | None = None) -> int:
    """Run icecuber on the tasks, print the score and the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset")
    parser.add_argument("--ids", help="only these task ids (one per line)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--icecuber", type=Path,
                        help="a built checkout of top-quarks/ARC-solution (holds `run`)")
    source.add_argument("--answers", type=Path,
                        help="score this folder of answer files instead of running icecuber")
    parser.add_argument("--depth", type=int, default=2, help="icecuber's search depth (2)")
    parser.add_argument("--jobs", type=int, default=1, help="samples run at once (1)")
    parser.add_argument("--compare", type=Path, help="a synth run folder to compare with")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    if args.icecuber and not (args.icecuber / "run").is_file():
        parser.error(f"--icecuber: {args.icecuber / 'run'} not found (build it with make)")
    if args.answers and not args.answers.is_dir():
        parser.error(f"--answers: {args.answers} is not a folder")
    dataset = load_dataset(args.dataset)
    ids = read_id_list(args.ids) if args.ids else list(dataset.ids)
    tasks = {task_id: dataset.entries[task_id] for task_id in ids}
    if args.answers:
        answers, seconds = read_answer_folder(args.answers, args.depth), 0.0
    else:
        answers, seconds = run_icecuber(args.icecuber / "run", tasks, args.depth, args.jobs)
    scores = task_scores(answers, tasks)
    total = sum(scores.values())
    result: dict = {"dataset": args.dataset, "ids": args.ids, "depth": args.depth,
                    "n_tasks": len(tasks), "solved": round(total, 2),
                    "score": round(total / len(tasks), 4), "seconds": round(seconds, 1),
                    "tasks": scores, **stamp()}
    print(f"icecuber depth {args.depth} on {args.dataset}: {total:.1f} / {len(tasks)} = "
          f"{total / len(tasks):.3f} pass@{ATTEMPTS} ({seconds:.0f} s)")
    if args.compare:
        groups = compare(scores, synth_scores(args.compare))
        result["compare"] = {"run": str(args.compare), **groups}
        for name, members in groups.items():
            print(f"{name}: {len(members)}  {' '.join(members)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
