"""``dopt verify --layers``: where the bytes of an image went, layer by layer.

The builder writes the image as a docker-archive (``docker save``, ``podman save``, ``buildah push
IMAGE docker-archive:FILE``: the layers as uncompressed tarballs, the config with its history). For
each layer: its size (the tarball's, which is what the builders count), the instruction that made it
(the history's ``created_by``; entries with ``empty_layer`` made none), whether it came with the base
image (made before this run), its largest folders, and the bytes a rule would take out of it
(data/layer_paths.toml). Each layer tarball is read as a stream, once, keeping only sizes per folder
(to a bounded depth), never the file list.
"""

from __future__ import annotations

import json
import re
import tarfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

DEPTH = 6  # folders deeper than this count toward their ancestor at this depth
TOP = 5  # largest paths shown per layer
SPREAD = 1 / 2  # a folder is opened up when one subfolder holds at least this share of its bytes
MAX_MEMBERS = 5_000_000  # a layer with more entries than this is read only that far (said in `note`)


@dataclass
class PathSize:
    path: str
    bytes: int
    rule: str = ""  # the rule that would cut this path, when the data names one


@dataclass
class Cut:
    """Bytes of one layer a rule would keep out of the image."""

    path: str
    bytes: int
    rule: str
    name: str  # the rule's name
    what: str  # "apt package lists"


@dataclass
class Layer:
    index: int  # 1-based, from the bottom of the image
    size: int  # the layer tarball's bytes, as the builder counts them (buildah inspect, docker save)
    instruction: str  # what made it, from the image history ("RUN apt-get update", "COPY … in /app/")
    created_by: str = ""  # the history entry as the builder wrote it
    base: bool | None = None  # from the base image (made before this run); None: the history cannot say
    files: int = 0
    paths: list[PathSize] = field(default_factory=list)  # the largest folders, biggest first
    cuts: list[Cut] = field(default_factory=list)  # what rules would take out, biggest first
    digest: str = ""
    note: str = ""  # why the paths are incomplete (an unreadable or very large layer)


@dataclass
class ImageLayers:
    layers: list[Layer] = field(default_factory=list)
    error: str = ""  # why there is no breakdown (the builder could not save the image)

    @property
    def size(self) -> int:
        return sum(layer.size for layer in self.layers)


def instruction(created_by: str) -> str:
    """The Dockerfile instruction a history entry stands for, as a reader would write it."""
    s = created_by.strip()
    s = re.sub(r"\s*# buildkit$", "", s)
    s = re.sub(r"^\|\d+(?: [A-Za-z_][A-Za-z0-9_]*=\S*)* ", "", s)  # the classic builder's build-arg prefix
    m = re.match(r"^(?:/bin/sh|/bin/bash|sh|bash) -c #\(nop\)\s*(.*)$", s, re.S)
    if m:
        return m.group(1).strip()
    m = re.match(r"^(?:RUN )?(?:/bin/sh|/bin/bash|sh|bash) -c (.*)$", s, re.S)
    if m:
        return "RUN " + m.group(1).strip()
    return s


def _created(entry: dict[str, Any]) -> datetime | None:
    text = str(entry.get("created") or "")
    try:
        return datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _norm(name: str) -> str:
    name = name.strip("/")
    while name.startswith("./"):
        name = name[2:]
    return "/" + name if name not in ("", ".") else "/"


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] or "/"


@dataclass
class _Scan:
    files: int = 0
    own: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # folder (to DEPTH) -> bytes
    cuts: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))  # (path, code) -> bytes
    note: str = ""


def scan(fileobj: IO[bytes]) -> _Scan:
    """Sizes per folder and per rule of one layer tarball (plain or compressed), read as a stream."""
    from optimizer.analysis.layer_paths import rule_for

    out = _Scan()
    try:
        tf = tarfile.open(fileobj=fileobj, mode="r|*")  # noqa: SIM115 - closed below
    except tarfile.TarError as e:
        out.note = f"not a readable tar: {e}"
        return out
    n = 0
    try:
        while True:
            member = tf.next()
            if member is None:
                break
            tf.members.clear()  # type: ignore[attr-defined]  # a stream keeps every header otherwise
            n += 1
            if n > MAX_MEMBERS:
                out.note = f"read only the first {MAX_MEMBERS:,} entries"
                break
            if not member.isreg():
                continue
            path = _norm(member.name)
            if path.rsplit("/", 1)[-1].startswith(".wh."):  # a whiteout: deletes, holds nothing
                continue
            out.files += 1
            folder = _parent(path)
            parts = folder.split("/")
            if len(parts) > DEPTH + 1:
                folder = "/".join(parts[: DEPTH + 1])
            out.own[folder] += member.size
            hit = rule_for(path)
            if hit is not None:
                out.cuts[(hit[0], hit[1].rule)] += member.size
    except (tarfile.TarError, OSError, EOFError) as e:
        out.note = f"the layer could not be read to its end: {e}"
    finally:
        tf.close()
    return out


def top_paths(own: dict[str, int], n: int = TOP) -> list[PathSize]:
    """The ``n`` largest folders of a layer: starting from ``/``, the biggest folder among the top ``n``
    is opened up into its subfolders (and the files directly in it) while one subfolder holds a good
    share of it (``SPREAD``); a folder whose bytes are spread thin stays whole."""
    from optimizer.analysis.layer_paths import rule_for

    total: dict[str, int] = defaultdict(int)
    children: dict[str, set[str]] = defaultdict(set)
    for folder, size in own.items():
        p = folder
        total[p] += size
        while p != "/":
            parent = _parent(p)
            children[parent].add(p)
            total[parent] += size
            p = parent
    if not total:
        return []
    entries: list[tuple[str, int, bool]] = [("/", total["/"], True)]  # (path, bytes, whole folder)
    for _ in range(10_000):
        entries.sort(key=lambda e: (-e[1], e[0]))
        opened = False
        for i, (path, size, whole) in enumerate(entries[:n]):
            kids = children.get(path)
            if not whole or not kids:
                continue
            biggest = max(total[k] for k in kids)
            if path != "/" and biggest < SPREAD * size:
                continue
            entries[i : i + 1] = [(k, total[k], True) for k in kids]
            if own.get(path):
                entries.append((path, own[path], False))
            opened = True
            break
        if not opened:
            break
    entries.sort(key=lambda e: (-e[1], e[0]))
    out = []
    for path, size, _whole in entries[:n]:
        if size <= 0:
            continue
        hit = rule_for(path + "/") if path != "/" else None
        out.append(PathSize(path, size, hit[1].rule if hit else ""))
    return out


def _cuts(found: dict[tuple[str, str], int], minimum: int) -> list[Cut]:
    from optimizer.analysis.layer_paths import rule_for
    from optimizer.core.registry import get_rule

    out = []
    for (path, code), size in found.items():
        if size < minimum:
            continue
        rule = get_rule(code)
        hit = rule_for(path)
        out.append(Cut(path, size, code, rule.name if rule else "", hit[1].what if hit else ""))
    out.sort(key=lambda c: (-c.bytes, c.path))
    return out[:TOP]


def _align(history: list[dict[str, Any]], count: int) -> list[dict[str, Any] | None]:
    """The history entry of each layer: the entries that made a layer, matched from the top of the
    image down (a base image's history may be shorter or longer than its layers; ours is exact)."""
    made = [h for h in history if not h.get("empty_layer")]
    out: list[dict[str, Any] | None] = [None] * count
    for i in range(1, min(count, len(made)) + 1):
        out[-i] = made[-i]
    return out


def read_archive(path: Path, since: datetime | None = None) -> ImageLayers:
    """The layers of a docker-archive (what ``docker save`` writes). ``since``: when this run began;
    layers made before it came with the base image."""
    from optimizer.analysis.layer_paths import min_bytes

    result = ImageLayers()
    try:
        with tarfile.open(path, mode="r:") as outer:
            manifest = _json(outer, "manifest.json")[0]
            config = _json(outer, str(manifest["Config"]))
            names = [str(x) for x in manifest.get("Layers") or []]
            history = _align(list(config.get("history") or []), len(names))
            minimum = min_bytes()
            for i, name in enumerate(names):
                member = outer.getmember(name)
                for _hop in range(8):  # docker's older layout links the blobs into folders
                    if not (member.issym() or member.islnk()):
                        break
                    target = member.linkname if member.islnk() else _join(_parent("/" + member.name), member.linkname)
                    member = outer.getmember(target.lstrip("/"))
                entry = history[i] or {}
                created_by = str(entry.get("created_by") or "")
                when = _created(entry)
                layer = Layer(
                    i + 1,
                    member.size,
                    instruction(created_by) if created_by else "",
                    created_by,
                    None if since is None or when is None else when < since,
                    digest="sha256:" + Path(name).name.removesuffix(".tar") if len(Path(name).stem) == 64 else "",
                )
                stream = outer.extractfile(member)
                if stream is None:
                    layer.note = "not a file in the archive"
                else:
                    found = scan(stream)
                    layer.files, layer.note = found.files, found.note
                    layer.paths = top_paths(found.own)
                    if layer.base:  # no rule of this Dockerfile takes bytes out of the base image's layers
                        for p in layer.paths:
                            p.rule = ""
                    else:
                        layer.cuts = _cuts(found.cuts, minimum)
                result.layers.append(layer)
    except (OSError, tarfile.TarError, KeyError, IndexError, ValueError, TypeError) as e:
        result.error = f"cannot read the image archive: {e}"
    return result


def _join(folder: str, rel: str) -> str:
    parts: list[str] = [] if rel.startswith("/") else [p for p in folder.split("/") if p]
    for p in rel.split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/".join(parts)


def _json(outer: tarfile.TarFile, name: str) -> Any:
    fh = outer.extractfile(name)
    if fh is None:
        raise KeyError(name)
    return json.loads(fh.read(16 * 1024 * 1024))


def from_dict(data: dict[str, Any]) -> ImageLayers:
    """An ``ImageLayers`` back from its JSON form."""
    layers = []
    for d in data.get("layers") or []:
        fields = {k: v for k, v in d.items() if k in Layer.__dataclass_fields__ and k not in ("paths", "cuts")}
        layer = Layer(**fields)
        layer.paths = [PathSize(**p) for p in d.get("paths") or []]
        layer.cuts = [Cut(**c) for c in d.get("cuts") or []]
        layers.append(layer)
    return ImageLayers(layers, str(data.get("error") or ""))


def mb(n: int | None) -> str:
    return "–" if n is None else f"{n / 1e6:,.1f} MB"


def short(text: str, width: int = 90) -> str:
    """One line, at most ``width`` characters."""
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1] + "…"


def rule_name(code: str) -> str:
    from optimizer.core.registry import get_rule

    rule = get_rule(code)
    return rule.name if rule else ""


def render_text(label: str, image: ImageLayers) -> list[str]:
    """The text report's lines for one image's layers: the top of the image first (as ``history``
    lists it), each layer's size and instruction, its largest folders and what a rule would cut."""
    if image.error:
        return [f"  layers of the {label}: {image.error}"]
    n = len(image.layers)
    lines = [f"  layers of the {label} ({n} layer{'s' if n != 1 else ''}, {mb(image.size)}):"]
    for layer in reversed(image.layers):
        base = " (base image)" if layer.base else ""
        lines.append(f"    #{layer.index:<3}{mb(layer.size):>12}  {short(layer.instruction or '(no history)')}{base}")
        for p in layer.paths:
            rule = f"  -> {p.rule} {rule_name(p.rule)}" if p.rule else ""
            lines.append(f"        {mb(p.bytes):>12}  {p.path}{rule}")
        for c in layer.cuts:
            if not any(p.rule == c.rule and (p.path + "/").startswith(c.path + "/") for p in layer.paths):
                lines.append(f"        {mb(c.bytes):>12}  {c.path}  -> {c.rule} {c.name} ({c.what})")
        if layer.note:
            lines.append(f"        ({layer.note})")
    return lines
