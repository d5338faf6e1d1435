"""Rendering grids and tasks in the standard ARC palette: terminal text (rich), PNG and SVG.

PNG and SVG share one layout (`task_layout`): one row per pair, train then test, each row a
label (`train 0: 3x3 -> 9x9`), the input grid, an arrow and the output grid (a `?` box where
the output is unknown). Every grid has thin grey lines between its cells; one cell size per
task keeps grid sizes comparable. The PNG is encoded here with zlib (no imaging library) and
its labels use a built-in 5x7 bitmap font; the SVG is written with `drawsvg`.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import drawsvg as draw
import numpy as np
from rich.console import Console
from rich.text import Text

from synth.cli.font5x7 import GLYPH_H, GLYPH_W, text_mask
from synth.data.palette import PALETTE_HEX, PALETTE_RGB, hex_to_rgb
from synth.data.task import Grid, Task

MARGIN = 16
LABEL_SCALE = 2
LABEL_H = GLYPH_H * LABEL_SCALE + 8
ROW_GAP = 24
ARROW_W = 56
MIN_CELL = 12
MAX_CELL = 32
TARGET_GRID_PX = 480
BACKGROUND_HEX = "#FFFFFF"
LINE_HEX = "#555555"
TEXT_HEX = "#222222"
UNKNOWN_HEX = "#EEEEEE"


def grid_rich(grid: Grid) -> Text:
    """A grid as rich Text: two-character coloured blocks with the digit, one row per line."""
    text = Text()
    for r, row in enumerate(grid):
        if r:
            text.append("\n")
        for v in row:
            fg = "#000000" if v in (4, 5, 8) else "#FFFFFF"
            text.append(f"{int(v)} ", style=f"{fg} on {PALETTE_HEX[int(v)]}")
    return text


def grid_text(grid: Grid) -> str:
    """A grid as plain digits, one row per line (for logs, pipes and tests)."""
    return "\n".join(" ".join(str(int(v)) for v in row) for row in grid)


def print_task(task: Task, console: Console | None = None) -> None:
    """Print every pair of a task in colour (plain digits when not a terminal)."""
    console = console or Console()
    console.print(f"[bold]task {task.id}[/bold]: {len(task.train)} train, {len(task.test)} test")
    for split, examples in (("train", task.train), ("test", task.test)):
        for i, ex in enumerate(examples):
            console.print(f"\n[bold]{split}[{i}].input[/bold] "
                          f"{ex.input.shape[0]}x{ex.input.shape[1]}")
            console.print(grid_rich(ex.input))
            if ex.output is not None:
                console.print(f"[bold]{split}[{i}].output[/bold] "
                              f"{ex.output.shape[0]}x{ex.output.shape[1]}")
                console.print(grid_rich(ex.output))


@dataclass(frozen=True)
class GridBox:
    """A grid drawn with its top-left corner at (x, y)."""

    x: int
    y: int
    grid: Grid


@dataclass(frozen=True)
class UnknownBox:
    """A `?` box of the given size where an output is unknown."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Label:
    """A line of text with its top-left corner at (x, y)."""

    x: int
    y: int
    text: str


@dataclass(frozen=True)
class Arrow:
    """A left-to-right arrow from (x, y) to (x + length, y)."""

    x: int
    y: int
    length: int


Item = GridBox | UnknownBox | Label | Arrow


@dataclass(frozen=True)
class TaskLayout:
    """Pixel geometry shared by the PNG and SVG renderings of a task."""

    width: int
    height: int
    cell: int
    items: tuple[Item, ...]


def cell_size(task: Task) -> int:
    """Pixels per cell: the largest grid of the task fits ~480 px, clamped to 12..32."""
    grids = [g for ex in task.train + task.test for g in (ex.input, ex.output) if g is not None]
    side = max(max(g.shape) for g in grids)
    return max(MIN_CELL, min(MAX_CELL, TARGET_GRID_PX // side))


def grid_px(cells: int, cell: int) -> int:
    """Pixel extent of `cells` cells: one grid line before each cell and one after the last."""
    return cells * cell + 1


def label_px(text: str) -> int:
    """Pixel width of a label in the bitmap font (the SVG text is narrower)."""
    return len(text) * (GLYPH_W + 1) * LABEL_SCALE


def _shape(grid: Grid | None) -> str:
    return "?" if grid is None else f"{grid.shape[0]}x{grid.shape[1]}"


def task_layout(task: Task) -> TaskLayout:
    """Place every pair of a task: label above, input left, arrow, output right."""
    cell = cell_size(task)
    pairs = [(f"{split} {i}", ex) for split, examples in (("train", task.train),
                                                           ("test", task.test))
             for i, ex in enumerate(examples)]
    in_w = max(grid_px(ex.input.shape[1], cell) for _, ex in pairs)
    x_out = MARGIN + in_w + ARROW_W
    items: list[Item] = []
    y = MARGIN
    right = 0
    for name, ex in pairs:
        text = f"{name}: {_shape(ex.input)} -> {_shape(ex.output)}"
        items.append(Label(MARGIN, y, text))
        y_grid = y + LABEL_H
        h_in = grid_px(ex.input.shape[0], cell)
        items.append(GridBox(MARGIN, y_grid, ex.input))
        if ex.output is None:
            w_out, h_out = grid_px(ex.input.shape[1], cell), h_in
            items.append(UnknownBox(x_out, y_grid, w_out, h_out))
        else:
            w_out, h_out = grid_px(ex.output.shape[1], cell), grid_px(ex.output.shape[0], cell)
            items.append(GridBox(x_out, y_grid, ex.output))
        items.append(Arrow(MARGIN + in_w + 12, y_grid + min(h_in, h_out) // 2, ARROW_W - 24))
        right = max(right, x_out + w_out, MARGIN + label_px(text))
        y = y_grid + max(h_in, h_out) + ROW_GAP
    return TaskLayout(right + MARGIN, y - ROW_GAP + MARGIN, cell, tuple(items))


def _grid_pixels(grid: Grid, cell: int) -> np.ndarray:
    """An RGB image of a grid: cells in the palette, grid lines in LINE_HEX."""
    rows, cols = grid.shape
    palette = np.array(PALETTE_RGB, dtype=np.uint8)
    image = np.empty((grid_px(rows, cell), grid_px(cols, cell), 3), dtype=np.uint8)
    image[:] = hex_to_rgb(LINE_HEX)
    cells = palette[np.repeat(np.repeat(grid, cell, axis=0), cell, axis=1)]
    interior = np.ones((rows * cell, cols * cell), dtype=bool)
    interior[::cell, :] = False
    interior[:, ::cell] = False
    window = image[:rows * cell, :cols * cell]
    window[interior] = cells[interior]
    return image


def _paint_mask(image: np.ndarray, mask: np.ndarray, x: int, y: int, hex_colour: str) -> None:
    h, w = mask.shape
    image[y:y + h, x:x + w][mask] = hex_to_rgb(hex_colour)


def _arrow_mask(length: int) -> np.ndarray:
    """A boolean mask of a right-pointing arrow, 2 px shaft, 11 px tall head."""
    half = 5
    mask = np.zeros((2 * half + 1, length), dtype=bool)
    mask[half - 1:half + 1, :length - half] = True
    for k in range(half + 1):
        mask[half - (half - k):half + (half - k) + 1, length - half - 1 + k] = True
    return mask


def _paint_item(image: np.ndarray, item: Item, cell: int) -> None:
    match item:
        case GridBox(x, y, grid):
            pixels = _grid_pixels(grid, cell)
            image[y:y + pixels.shape[0], x:x + pixels.shape[1]] = pixels
        case UnknownBox(x, y, width, height):
            image[y:y + height, x:x + width] = hex_to_rgb(LINE_HEX)
            image[y + 1:y + height - 1, x + 1:x + width - 1] = hex_to_rgb(UNKNOWN_HEX)
            mask = text_mask("?", scale=max(1, min(width, height) // (3 * GLYPH_H)))
            _paint_mask(image, mask, x + (width - mask.shape[1]) // 2,
                        y + (height - mask.shape[0]) // 2, TEXT_HEX)
        case Label(x, y, text):
            _paint_mask(image, text_mask(text, scale=LABEL_SCALE), x, y, TEXT_HEX)
        case Arrow(x, y, length):
            mask = _arrow_mask(length)
            _paint_mask(image, mask, x, y - mask.shape[0] // 2, TEXT_HEX)


def task_image(task: Task) -> np.ndarray:
    """The task rendered as an RGB uint8 array of shape (height, width, 3)."""
    layout = task_layout(task)
    image = np.empty((layout.height, layout.width, 3), dtype=np.uint8)
    image[:] = hex_to_rgb(BACKGROUND_HEX)
    for item in layout.items:
        _paint_item(image, item, layout.cell)
    return image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_bytes(image: np.ndarray) -> bytes:
    """Encode an RGB uint8 array (height, width, 3) as a PNG (8-bit truecolour, no filter)."""
    height, width, _ = image.shape
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = np.hstack([np.zeros((height, 1), dtype=np.uint8),
                     np.ascontiguousarray(image, dtype=np.uint8).reshape(height, width * 3)])
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(raw.tobytes(), 9)) + _png_chunk(b"IEND", b""))


def task_png(task: Task, path: Path) -> None:
    """Write the task as a PNG image (layout of `task_layout`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(task_image(task)))


def _svg_grid(x: int, y: int, grid: Grid, cell: int) -> draw.Group:
    rows, cols = grid.shape
    group = draw.Group()
    group.append(draw.Rectangle(x, y, grid_px(cols, cell), grid_px(rows, cell), fill=LINE_HEX))
    for r in range(rows):
        for c in range(cols):
            group.append(draw.Rectangle(x + c * cell + 1, y + r * cell + 1, cell - 1, cell - 1,
                                        fill=PALETTE_HEX[int(grid[r, c])]))
    return group


def _svg_item(item: Item, cell: int) -> draw.DrawingElement:
    match item:
        case GridBox(x, y, grid):
            return _svg_grid(x, y, grid, cell)
        case UnknownBox(x, y, width, height):
            group = draw.Group()
            group.append(draw.Rectangle(x + 0.5, y + 0.5, width - 1, height - 1,
                                        fill=UNKNOWN_HEX, stroke=LINE_HEX,
                                        stroke_dasharray="4,3"))
            size = max(14, min(width, height) // 3)
            group.append(draw.Text("?", size, x + width / 2, y + height / 2, fill=TEXT_HEX,
                                   text_anchor="middle", dominant_baseline="central",
                                   font_family="sans-serif"))
            return group
        case Label(x, y, text):
            return draw.Text(text.replace("->", "\u2192"), GLYPH_H * LABEL_SCALE + 2, x,
                             y + GLYPH_H * LABEL_SCALE, fill=TEXT_HEX, font_family="sans-serif",
                             font_weight="bold")
        case Arrow(x, y, length):
            group = draw.Group()
            group.append(draw.Line(x, y, x + length - 8, y, stroke=TEXT_HEX, stroke_width=2))
            group.append(draw.Lines(x + length - 10, y - 6, x + length, y, x + length - 10,
                                    y + 6, close=True, fill=TEXT_HEX))
            return group
    raise TypeError(f"unknown layout item {item!r}")


def task_svg(task: Task, path: Path) -> None:
    """Write the task as an SVG image (layout of `task_layout`, labels as text)."""
    layout = task_layout(task)
    drawing = draw.Drawing(layout.width, layout.height, shape_rendering="crispEdges")
    drawing.append(draw.Title(f"ARC task {task.id}"))
    drawing.append(draw.Rectangle(0, 0, layout.width, layout.height, fill=BACKGROUND_HEX))
    for item in layout.items:
        drawing.append(_svg_item(item, layout.cell))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(drawing.as_svg(), encoding="utf-8")
