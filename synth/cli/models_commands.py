"""`synth models list | check | serve`: the members of a models file and whether each can load
here, a timed generation with one member, and synth's model server (`synth.models.server`).

`add_models_parser` only builds the argument parser; backends (torch, vllm, API clients) are
imported when a command loads a member."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

SHIPPED_MODELS = Path(__file__).resolve().parents[2] / "models" / "seed-ensemble.toml"
DEFAULT_MODELS = "models/seed-ensemble.toml"
CHECK_PROMPT = "solve(I: Grid) -> Grid:\n    O ="
CHECK_TOKENS = 16
LOADABLE = "loadable here"


def add_models_parser(sub: argparse._SubParsersAction) -> None:
    """Add `models list`, `models check` and `models serve` to the `synth` subcommands."""
    models = sub.add_parser("models", help="list, check and serve the members of a models file")
    models_sub = models.add_subparsers(dest="models_command", required=True,
                                       metavar="SUBCOMMAND")
    where = f"models file (default: {DEFAULT_MODELS})"
    lst = models_sub.add_parser("list", help="the members and whether each can load here")
    lst.add_argument("--models", metavar="FILE", help=where)
    check = models_sub.add_parser("check", help="load one member and time a short generation")
    check.add_argument("name", metavar="NAME", help="the member's name")
    check.add_argument("--models", metavar="FILE", help=where)
    check.add_argument("--prompt", default=CHECK_PROMPT, help="the prompt to continue")
    check.add_argument("--max-tokens", type=int, default=CHECK_TOKENS, metavar="N",
                       help=f"tokens to generate (default {CHECK_TOKENS})")
    serve = models_sub.add_parser("serve", help="serve the local members over HTTP "
                                                "(OpenAI completions protocol)")
    serve.add_argument("--models", metavar="FILE", help=where)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on "
                                                           "(default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, metavar="N",
                       help="port (default 0: any free port; the URL is printed first)")
    serve.add_argument("--member", action="append", default=[], metavar="NAME",
                       help="serve only this local member (repeatable; default: all)")
    serve.add_argument("--batch-window", type=float, default=15.0, metavar="MS",
                       help="how long a request waits for others to share its generate call "
                            "(default 15 ms)")
    serve.add_argument("--max-batch", type=int, default=64, metavar="N",
                       help="most prompts in one generate call (default 64)")
    serve.add_argument("--until-stdin-closes", action="store_true", help=argparse.SUPPRESS)


def models_file(given: str | None) -> str:
    """The models file to read: the one given, else `models/seed-ensemble.toml` here, else
    the one shipped with synth."""
    if given is not None:
        return given
    return DEFAULT_MODELS if Path(DEFAULT_MODELS).is_file() else str(SHIPPED_MODELS)


def cmd_models(args: argparse.Namespace) -> int:
    """Run a `synth models` subcommand."""
    file = models_file(args.models)
    if args.models_command == "list":
        return cmd_list(file)
    if args.models_command == "check":
        return cmd_check(file, args.name, args.prompt, args.max_tokens)
    from synth.models.server import serve

    return serve(file, args.host, args.port, names=args.member,
                 window_s=args.batch_window / 1000, max_batch=args.max_batch,
                 until_stdin_closes=args.until_stdin_closes)


def member_rows(file: str) -> list[tuple[str, ...]]:
    """name, backend, model, role, weight and `loadable here` or why not, per member."""
    from synth.models.load import unavailable
    from synth.models.spec import load_models_file

    return [(s.name, s.backend, s.model, s.role, f"{s.weight:g}", unavailable(s) or LOADABLE)
            for s in load_models_file(file)]


def cmd_list(file: str) -> int:
    """Print the members as a table."""
    rows = [("name", "backend", "model", "role", "weight", "here")] + member_rows(file)
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[5])
    loadable = sum(row[5] == LOADABLE for row in rows[1:])
    print(f"\n{loadable} of {len(rows) - 1} members can load here ({file})")
    return 0


def cmd_check(file: str, name: str, prompt: str, max_tokens: int) -> int:
    """Load one member and time a short generation; exit 2 when it cannot load, 3 when the
    generation fails."""
    from synth.data.errors import InputError
    from synth.models.base import GenerateParams, ModelError
    from synth.models.load import load_backend
    from synth.models.spec import load_models_file

    specs = {s.name: s for s in load_models_file(file)}
    if name not in specs:
        raise InputError(f"no member named '{name}' (members: {', '.join(specs)})", file=file,
                         field="NAME")
    spec = specs[name]
    started = time.monotonic()
    backend = load_backend(spec)
    loaded = time.monotonic() - started
    print(f"model {name} ({spec.backend}, {spec.model}): loaded in {loaded:.2f} s")
    before = backend.usage.completion_tokens
    started = time.monotonic()
    try:
        ((sample, *_),) = backend.generate([prompt], GenerateParams(n=1,
                                                                   max_new_tokens=max_tokens))
    except ModelError as err:
        print(f"synth: check failed: {err}")
        return 3
    took = time.monotonic() - started
    tokens = sample.tokens or backend.usage.completion_tokens - before
    rate = f"{tokens / took:.1f} tokens/s" if took > 0 else "n/a"
    print(f"generated {tokens} tokens in {took:.2f} s ({rate})")
    print(f"text: {sample.text!r}")
    return 0
