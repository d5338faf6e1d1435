"""Rendering: terminal text, PNG (checked by decoding it here) and SVG (checked as XML)."""
from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from synth.cli.main import main
from synth.data.datasets import load_task_ref
from synth.data.palette import PALETTE_HEX, PALETTE_RGB, hex_to_rgb
from synth.cli.render import (LINE_HEX, MIN_CELL, GridBox, Label, UnknownBox, grid_text,
                          png_bytes, print_task, task_layout, task_png, task_svg)
from synth.data.task import Task, load_task_file, parse_task

SVG_NS = "{http://www.w3.org/2000/svg}"
TINY = {"train": [{"input": [[1]], "output": [[2, 2], [2, 2]]},
                  {"input": [[3, 4, 5]], "output": [[9]]}],
        "test": [{"input": [[7, 8], [0, 6]]}]}


def _read_png(data: bytes) -> tuple[dict[str, int], np.ndarray]:
    """Decode an 8-bit RGB, non-interlaced PNG whose rows all use filter 0; check every CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        chunks.append((kind, body))
        pos += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    header = {"width": width, "height": height, "depth": depth, "colour": colour,
              "interlace": interlace}
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, 1 + 3 * width)
    assert (rows[:, 0] == 0).all()
    return header, rows[:, 1:].reshape(height, width, 3)


def _cell_centre(box: GridBox, row: int, col: int, cell: int) -> tuple[int, int]:
    """(y, x) of the middle of a cell's interior (the grid line sits at multiples of cell)."""
    return box.y + row * cell + 1 + (cell - 1) // 2, box.x + col * cell + 1 + (cell - 1) // 2


@pytest.fixture
def big_task() -> Task:
    """A task with 30x30 grids (rows of colours 0..9 in turn)."""
    grid = [[(r + c) % 10 for c in range(30)] for r in range(30)]
    return parse_task({"train": [{"input": grid, "output": grid[:5]}],
                       "test": [{"input": grid, "output": grid}]}, "big")


def test_layout_rows_and_cell_size(big_task: Task) -> None:
    layout = task_layout(big_task)
    assert layout.cell >= MIN_CELL
    labels = [item.text for item in layout.items if isinstance(item, Label)]
    assert labels == ["train 0: 30x30 -> 5x30", "test 0: 30x30 -> 30x30"]
    boxes = [item for item in layout.items if isinstance(item, GridBox)]
    assert len(boxes) == 4
    assert boxes[0].x == boxes[2].x < boxes[1].x == boxes[3].x, "inputs left, outputs right"
    assert boxes[0].y == boxes[1].y < boxes[2].y == boxes[3].y, "one row per pair"
    for box in boxes:
        rows, cols = box.grid.shape
        assert box.x + cols * layout.cell + 1 <= layout.width
        assert box.y + rows * layout.cell + 1 <= layout.height


def test_png_dimensions_and_colours(big_task: Task, tmp_path: Path) -> None:
    path = tmp_path / "task.png"
    task_png(big_task, path)
    header, image = _read_png(path.read_bytes())
    layout = task_layout(big_task)
    assert header == {"width": layout.width, "height": layout.height, "depth": 8, "colour": 2,
                      "interlace": 0}
    boxes = [item for item in layout.items if isinstance(item, GridBox)]
    for box in boxes:
        for row, col in ((0, 0), (3, 4), (29 if box.grid.shape[0] == 30 else 4, 29)):
            y, x = _cell_centre(box, row, col, layout.cell)
            colour = PALETTE_RGB[int(box.grid[row, col])]
            assert tuple(image[y, x]) == colour
        assert tuple(image[box.y, box.x]) == hex_to_rgb(LINE_HEX)
        assert tuple(image[box.y + layout.cell, box.x + 5]) == hex_to_rgb(LINE_HEX)


def test_png_of_shipped_task(examples_dir: Path, tmp_path: Path) -> None:
    task = load_task_file(examples_dir / "6150a2bd.json")
    header, image = _read_png(png_bytes(np.zeros((3, 5, 3), dtype=np.uint8)))
    assert (header["width"], header["height"]) == (5, 3) and not image.any()
    path = tmp_path / "sub" / "t.png"
    task_png(task, path)
    header, image = _read_png(path.read_bytes())
    layout = task_layout(task)
    first = next(item for item in layout.items if isinstance(item, GridBox))
    y, x = _cell_centre(first, 1, 1, layout.cell)
    assert tuple(image[y, x]) == PALETTE_RGB[7]
    label = next(item for item in layout.items if isinstance(item, Label))
    assert (image[label.y:first.y, label.x:first.x + 40] < 128).any(), "label drawn"


def test_unknown_output_box(tmp_path: Path) -> None:
    task = parse_task(TINY, "tiny")
    layout = task_layout(task)
    unknown = [item for item in layout.items if isinstance(item, UnknownBox)]
    assert len(unknown) == 1
    assert any(isinstance(i, Label) and i.text == "test 0: 2x2 -> ?" for i in layout.items)
    task_png(task, tmp_path / "t.png")
    _, image = _read_png((tmp_path / "t.png").read_bytes())
    assert image.shape == (layout.height, layout.width, 3)


def _svg_root(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    return root


def test_svg_is_xml_with_palette_and_labels(big_task: Task, tmp_path: Path) -> None:
    path = tmp_path / "task.svg"
    task_svg(big_task, path)
    root = _svg_root(path)
    layout = task_layout(big_task)
    assert (root.get("width"), root.get("height")) == (str(layout.width), str(layout.height))
    fills = {el.get("fill", "").upper() for el in root.iter(f"{SVG_NS}rect")}
    assert set(PALETTE_HEX) <= fills
    cells = sum(el.get("fill", "").upper() in PALETTE_HEX
                for el in root.iter(f"{SVG_NS}rect"))
    assert cells == 30 * 30 * 3 + 5 * 30
    texts = [el.text for el in root.iter(f"{SVG_NS}text")]
    assert texts == ["train 0: 30x30 \u2192 5x30", "test 0: 30x30 \u2192 30x30"]


def test_svg_unknown_output(tmp_path: Path) -> None:
    path = tmp_path / "tiny.svg"
    task_svg(parse_task(TINY, "tiny"), path)
    texts = [el.text for el in _svg_root(path).iter(f"{SVG_NS}text")]
    assert texts == ["train 0: 1x1 \u2192 2x2", "train 1: 1x3 \u2192 1x1",
                     "test 0: 2x2 \u2192 ?", "?"]


def test_terminal_render_prints_digits() -> None:
    task = parse_task(TINY, "tiny")
    out = io.StringIO()
    print_task(task, Console(file=out, width=100))
    text = out.getvalue()
    assert "task tiny: 2 train, 1 test" in text
    assert "3 4 5" in text and "7 8" in text and "0 6" in text
    assert grid_text(task.train[0].output) == "2 2\n2 2"


def test_cli_show_terminal(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(examples_dir / "6150a2bd.json")]) == 0
    out = capsys.readouterr().out
    assert "train[0].input" in out and "3 3 8" in out


def test_cli_show_dataset_ref_writes_images(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    png, svg = tmp_path / "t.png", tmp_path / "t.svg"
    assert main(["show", "arc1:train:007bbfb7", "--png", str(png), "--svg", str(svg)]) == 0
    assert capsys.readouterr().out == f"wrote {png}\nwrote {svg}\n"
    task = load_task_ref("arc1:train:007bbfb7")
    header, _ = _read_png(png.read_bytes())
    layout = task_layout(task)
    assert (header["width"], header["height"]) == (layout.width, layout.height)
    texts = [el.text for el in _svg_root(svg).iter(f"{SVG_NS}text")]
    assert texts[0] == "train 0: 3x3 \u2192 9x9" and texts[-1] == "test 0: 3x3 \u2192 9x9"
