"""`dopt verify --output-format html` rendered by a real browser: headless Chromium (Debian's `chromium`
package, which .ci/run installs) takes a screenshot, which must not be blank and must show the bars'
colours, and dumps the DOM, whose numbers must be the JSON report's.

Marked `browser`. Without Chromium the test skips locally; in CI (CI=true) a skip is a failure
(tests/conftest.py), so it runs there.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from optimizer.app.verify.command import render
from optimizer.app.verify.core import VerifyReport, report_from_dict
from tests.test_verify_layers import BASE, HOSTILE, PIP, Saving, _verify, docker_archive, fresh_history, layer_tar

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 900, 700


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (apt-get install chromium)")


def browse(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Chromium headless on a file, with a profile of its own (never the machine's), no network to reach."""
    cmd = [
        chromium(),
        "--headless",
        "--no-sandbox",  # as root in a container
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={WIDTH},{HEIGHT}",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=False)


def png_pixels(data: bytes) -> tuple[int, int, int, list[bytearray]]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG: (width, height, channels, rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if ftype == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = prev[i]
                c = prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, channels, rows


class Dom(HTMLParser):
    """The numbers the page shows: per image, each table row's size cell and each bar segment."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, list[tuple[int, str]]] = {}
        self.segments: dict[str, list[int]] = {}
        self.totals: dict[str, int] = {}
        self.scripts = 0
        self._table = ""
        self._cell: list[object] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "table" and "layers" in (a.get("class") or ""):
            self._table = a.get("data-image") or ""
            self.totals[self._table] = int(a.get("data-bytes") or -1)
        if tag == "td" and "size" in (a.get("class") or "").split():
            self._cell = [int(a.get("data-bytes") or -1), ""]
        if tag == "g" and a.get("class") == "layer":
            self.segments.setdefault(a.get("data-image") or "", []).append(int(a.get("data-bytes") or -1))

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            size, text = self._cell
            self.cells.setdefault(self._table, []).append((int(str(size)), str(text).strip()))
            self._cell = None
        if tag == "table":
            self._table = ""

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell[1] = str(self._cell[1]) + data


def report(tmp_path: Path) -> VerifyReport:
    class Hostile(Saving):
        def save(self, tag: str, dest: Path) -> str:
            if "rm -rf /var/lib/apt/lists" in self.texts[tag]:
                layers = [layer_tar(BASE), layer_tar({"/var/lib/dpkg/status": 300_000}), layer_tar(PIP)]
            else:
                apt = {"/var/lib/apt/lists/Packages": 40_000_000, "/var/lib/dpkg/status": 300_000}
                layers = [layer_tar(BASE), layer_tar(apt), layer_tar(PIP)]
            docker_archive(dest, layers, fresh_history())
            return ""

    return _verify(tmp_path, Hostile())  # type: ignore[return-value]


def test_the_page_renders_in_chromium_and_shows_the_json_numbers(tmp_path: Path) -> None:
    got = report(tmp_path)
    data = json.loads(render([got], "json"))
    page = tmp_path / "layers.html"
    page.write_text(render([report_from_dict(data)], "html"), encoding="utf-8")  # the page from the JSON

    shot = tmp_path / "shot.png"
    run = browse(page, tmp_path, f"--screenshot={shot}")
    assert shot.is_file(), run.stderr.decode(errors="replace")[-2000:]
    width, height, channels, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    grey = [sum(row[i : i + 3]) / 3 for row in rows[::3] for i in range(0, len(row), 3 * channels)]
    mean = sum(grey) / len(grey)
    variance = sum((g - mean) ** 2 for g in grey) / len(grey)
    assert variance > 200, f"the screenshot looks blank (variance {variance:.1f})"

    def near(rgb: tuple[int, int, int]) -> int:
        return sum(
            1
            for row in rows[::2]
            for i in range(0, len(row), 2 * channels)
            if all(abs(row[i + k] - rgb[k]) < 12 for k in range(3))
        )

    assert near((0xE0, 0x7B, 0x39)) > 500, "no layer a rule would cut was drawn (orange)"
    assert near((0xB7, 0xC0, 0xC9)) > 500, "no base-image layer was drawn (grey)"

    run = browse(page, tmp_path, "--dump-dom")
    assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
    dom = Dom()
    dom.feed(run.stdout.decode())
    assert dom.scripts == 0  # the hostile RUN line stays text
    assert HOSTILE in " ".join("".join(dom.text).split())  # shown as written, not as markup
    names = {"original": "original", "rewritten": "rewrite"}
    for label, image in data["layers"].items():
        sizes = [layer["size"] for layer in image["layers"]]
        shown = names[label]
        assert dom.totals[shown] == sum(sizes)
        assert dom.segments[label] == sizes  # bottom layer first, as stacked
        # the table lists the top layer first; its text is the JSON's bytes in MB
        assert dom.cells[shown] == [(s, f"{s / 1e6:,.1f} MB") for s in reversed(sizes)]
        caption = f"{shown}: {sum(sizes) / 1e6:,.1f} MB in {len(sizes)} layers"
        assert caption in "".join(dom.text)
    text = "".join(dom.text)
    assert "40.0 MB" in text and "DOP201 apt-lists-cleanup" in text
