"""The HTML report of an evaluation run: one self-contained file (inline CSS and SVG, no script).

`write_report(path, results, dataset, records)` renders a summary (dataset, version, both
scores, counts by status, a histogram of time per task stacked by status, an index of every
task coloured by status) and then, per task, its test inputs, expected outputs and both
attempts (each marked right, wrong or unknown), the program, status, time and error message.
Grids are compact tables whose cells carry classes `c0`..`c9` in the standard ARC palette.
"""
from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from synth.data.atomic import write_text_atomic
from synth.data.datasets import Dataset
from synth.data.palette import PALETTE_HEX
from synth.data.task import Task, grid_to_list

STATUS_ORDER: tuple[str, ...] = ("solved", "unsolved", "timeout", "error", "oom")
STATUS_COLOURS: Mapping[str, str] = {"solved": "#2ECC40", "unsolved": "#AAAAAA",
                                     "timeout": "#FF851B", "error": "#FF4136",
                                     "oom": "#870C25"}
HIST_BINS = 20
HIST_W, HIST_H = 640, 160

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:20px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 8px}
.meta{color:#666;margin:0 0 12px}
.cards{display:flex;gap:10px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:20px}.card span{color:#666;font-size:12px}
.st{display:inline-block;padding:0 7px;border-radius:9px;color:#fff;font-size:12px}
.st.unsolved{color:#222}
.index{display:flex;flex-wrap:wrap;gap:3px}
.index a{font:11px monospace;padding:1px 4px;border-radius:3px;text-decoration:none;color:#fff}
.index a.unsolved{color:#222}
.task{background:#fff;border:1px solid #ddd;border-radius:6px;margin:10px 0;padding:8px 12px}
.task h3{font-size:15px;margin:0 0 4px}.task h3 code{font-size:15px}
.info{color:#555;font-size:12px}
pre.prog{background:#f3f3f3;padding:6px 8px;margin:6px 0;font-size:12px;white-space:pre-wrap}
.err{color:#b00;font:12px monospace;white-space:pre-wrap;margin:6px 0}
.test{display:flex;gap:14px;flex-wrap:wrap;align-items:flex-start;margin:6px 0}
.fig{border:3px solid transparent;padding:3px;border-radius:4px}
.fig.ok{border-color:#2ECC40}.fig.bad{border-color:#FF4136}.fig.unk{border-color:#ccc}
.cap{font-size:11px;color:#444;margin-bottom:2px;white-space:nowrap}
.none{color:#999;font-size:12px;padding:10px 0}
table.g{border-collapse:collapse;outline:1px solid #555}
table.g td{width:var(--s);height:var(--s);padding:0;border:1px solid #555;background:#000}
svg text{font:11px system-ui,sans-serif;fill:#444}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _css() -> str:
    colours = "".join(f"table.g td.c{i}{{background:{hex_}}}"
                      for i, hex_ in enumerate(PALETTE_HEX))
    statuses = "".join(f".{s}{{background:{c}}}" for s, c in STATUS_COLOURS.items())
    return CSS + colours + statuses


def grid_html(grid: Sequence[Sequence[int]]) -> str:
    """A grid as a compact table; cells sized to fit.

    End tags are omitted (as HTML allows) and colour 0, the usual background, is a bare `<td>`
    (black by default), which keeps a 400-task report a few MB.
    """
    side = max(len(grid), max(len(row) for row in grid))
    size = max(6, min(20, 180 // side))
    rows = "".join("<tr>" + "".join(f"<td class=c{int(v)}>" if v else "<td>" for v in row)
                   for row in grid)
    return f'<table class=g style="--s:{size}px">{rows}</table>'


def _figure(caption: str, grid: Sequence[Sequence[int]] | None, mark: str = "") -> str:
    body = grid_html(grid) if grid is not None else "<div class=none>unknown</div>"
    shape = f" {len(grid)}x{len(grid[0])}" if grid is not None else ""
    return f"<div class='fig {mark}'><div class=cap>{_esc(caption)}{shape}</div>{body}</div>"


def _fmt(value: float | None, digits: int = 3) -> str:
    return "null" if value is None else f"{value:.{digits}f}"


# ---------------------------------------------------------------- summary

def _cards(results: Mapping[str, Any], counts: Counter, total: int | None) -> str:
    n = results["n_tasks"]
    items = [(_fmt(results["score_task"]), "score_task (mean over tasks, pass@2)"),
             (_fmt(results["score_output"]), "score_output (outputs solved / all, pass@2)"),
             (str(n) if total is None else f"{n} / {total}",
              "tasks" if total is None else "tasks finished (run in progress)")]
    tasks = results.get("tasks", {}).values()
    found = sum(1 for t in tasks if t.get("any_correct"))
    if found:
        items.append((f"{found} / {results.get('ranking_gap', 0)}",
                      "right answer among verified candidates / of those not chosen"))
    cards = [f"<div class=card><b>{_esc(v)}</b><span>{_esc(k)}</span></div>" for v, k in items]
    cards += [f"<div class=card style='border-left:5px solid {STATUS_COLOURS[s]}'>"
              f"<b>{counts.get(s, 0)}</b><span>{s}</span></div>" for s in STATUS_ORDER]
    return "<div class=cards>" + "".join(cards) + "</div>"


def _hist_bins(tasks: Mapping[str, Mapping[str, Any]], top: float) -> list[Counter]:
    bins = [Counter() for _ in range(HIST_BINS)]
    for rec in tasks.values():
        b = min(HIST_BINS - 1, int(rec["time_s"] / top * HIST_BINS))
        bins[b][rec["status"]] += 1
    return bins


def _hist_bars(bins: list[Counter], peak: int, bar_w: float, plot_h: float) -> list[str]:
    parts = []
    for b, counter in enumerate(bins):
        y = plot_h + 10
        for status in STATUS_ORDER:
            h = counter.get(status, 0) / peak * plot_h
            if h:
                y -= h
                parts.append(f"<rect x='{40 + b * bar_w + 1:.1f}' y='{y:.1f}' "
                             f"width='{bar_w - 2:.1f}' height='{h:.1f}' "
                             f"fill='{STATUS_COLOURS[status]}'><title>{status}: "
                             f"{counter[status]}</title></rect>")
    return parts


def time_histogram_svg(tasks: Mapping[str, Mapping[str, Any]]) -> str:
    """Inline SVG: tasks per time bin, stacked by status, with axis labels."""
    if not tasks:
        return "<p class=none>no tasks</p>"
    top = max(max(rec["time_s"] for rec in tasks.values()), 1e-3) * 1.0001
    bins = _hist_bins(tasks, top)
    peak = max(sum(c.values()) for c in bins)
    plot_w, plot_h = HIST_W - 60, HIST_H - 45
    parts = _hist_bars(bins, peak, plot_w / HIST_BINS, plot_h)
    base = plot_h + 10
    parts.append(f"<line x1='40' y1='{base}' x2='{40 + plot_w}' y2='{base}' stroke='#888'/>")
    parts += [f"<text x='{40 + plot_w * f:.0f}' y='{base + 14}' text-anchor='middle'>"
              f"{top * f:.3g} s</text>" for f in (0, 0.25, 0.5, 0.75, 1)]
    parts.append(f"<text x='34' y='16' text-anchor='end'>{peak}</text>"
                 f"<text x='34' y='{base}' text-anchor='end'>0</text>"
                 f"<text x='{40 + plot_w / 2}' y='{HIST_H - 2}' text-anchor='middle'>"
                 f"time per task (tasks per bin, stacked by status)</text>")
    return (f"<svg width='{HIST_W}' height='{HIST_H}' viewBox='0 0 {HIST_W} {HIST_H}' "
            f"xmlns='http://www.w3.org/2000/svg'>{''.join(parts)}</svg>")


def _index(tasks: Mapping[str, Mapping[str, Any]]) -> str:
    links = "".join(f"<a class={_esc(r['status'])} href='#t-{_esc(i)}' "
                    f"title='{_esc(r['status'])}, score {_fmt(r['score'], 2)}, "
                    f"{r['time_s']:.2f} s'>{_esc(i)}</a>" for i, r in tasks.items())
    return f"<div class=index>{links}</div>"


def _meta(results: Mapping[str, Any]) -> str:
    config = results["config"]
    settings = ", ".join(f"{k} {_esc(v)}" for k, v in config.items() if v is not None)
    return (f"<p class=meta>data version {_esc(results['data_version'])} · synth "
            f"{_esc(results['synth_version'])} · {settings}</p>")


# ---------------------------------------------------------------- per task

def _mark(correct: bool | None, attempt: Any, truth: Any) -> str:
    if correct is None or truth is None:
        return "unk"
    return "ok" if attempt == truth else "bad"


def _attempt_caption(n: int, mark: str) -> str:
    return {"ok": f"attempt {n} ✓ right", "bad": f"attempt {n} ✗ wrong",
            "unk": f"attempt {n} ? unknown"}[mark]


def _test_row(task: Task, i: int, entry: Sequence[Mapping[str, Any]],
              correct: Sequence[bool | None]) -> str:
    ex = task.test[i]
    truth = grid_to_list(ex.output) if ex.output is not None else None
    figs = [_figure(f"test {i} input", grid_to_list(ex.input)),
            _figure(f"test {i} expected", truth)]
    attempts = entry[i] if i < len(entry) else {}
    ok = correct[i] if i < len(correct) else None
    for n in (1, 2):
        grid = attempts.get(f"attempt_{n}")
        mark = _mark(ok, grid, truth)
        figs.append(_figure(_attempt_caption(n, mark), grid, mark))
    return "<div class=test>" + "".join(figs) + "</div>"


def _task_header(task_id: str, rec: Mapping[str, Any]) -> str:
    info = (f"score {_fmt(rec['score'], 2)} · {rec['time_s']:.2f} s · proposer "
            f"{_esc(rec['proposer'] or '—')} · {rec['candidates']} candidates")
    return (f"<h3><code>{_esc(task_id)}</code> <span class='st {_esc(rec['status'])}'>"
            f"{_esc(rec['status'])}</span></h3><div class=info>{info}</div>")


def task_html(task_id: str, rec: Mapping[str, Any], task: Task | Exception | None,
              detail: Mapping[str, Any]) -> str:
    """One task's section: header, program, error, and a row of grids per test input.

    `task` is the dataset entry (a Task, or the InputError that rejected it); `detail` is the
    task's records.jsonl line (its submission `entry` and `error` message).
    """
    parts = [_task_header(task_id, rec)]
    if rec["program"]:
        parts.append(f"<pre class=prog>{_esc(rec['program'])}</pre>")
    if detail.get("error"):
        parts.append(f"<div class=err>{_esc(detail['error'])}</div>")
    if isinstance(task, Task):
        entry = detail.get("entry", [])
        parts += [_test_row(task, i, entry, rec["correct"]) for i in range(len(task.test))]
    return f"<section class=task id='t-{_esc(task_id)}'>{''.join(parts)}</section>"


# ---------------------------------------------------------------- the page

def render_report(results: Mapping[str, Any], dataset: Dataset,
                  records: Mapping[str, Mapping[str, Any]], total: int | None = None) -> str:
    """The report as one HTML string; `records` hold each task's `entry` and `error`."""
    tasks = results["tasks"]
    counts = Counter(rec["status"] for rec in tasks.values())
    sections = "".join(task_html(i, rec, dataset.entries.get(i), records.get(i, {}))
                       for i, rec in tasks.items())
    title = f"synth eval: {results['dataset']}"
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{_esc(title)}"
            f"</title><style>{_css()}</style></head><body><h1>{_esc(title)}</h1>"
            f"{_meta(results)}{_cards(results, counts, total)}<h2>Time per task</h2>"
            f"{time_histogram_svg(tasks)}<h2>Tasks</h2>{_index(tasks)}{sections}"
            f"</body></html>\n")


def write_report(path: Path, results: Mapping[str, Any], dataset: Dataset,
                 records: Mapping[str, Mapping[str, Any]], total: int | None = None) -> None:
    """Render the report and write it atomically to `path`."""
    write_text_atomic(path, render_report(results, dataset, records, total))
