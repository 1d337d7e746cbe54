"""`dopt verify --layers` without real builds: a synthetic docker-archive (what `docker save` and `buildah
push IMAGE docker-archive:FILE` write) read by optimizer/app/verify/layers.py, the data that names the
rule for a path (data/layer_paths.toml), and the text, JSON, Markdown and HTML reports.

The real build is in test_verify_build.py (marked `build`); the page in headless Chromium is in
test_verify_html.py.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from optimizer.analysis.layer_paths import entries, min_bytes, rule_for
from optimizer.app.verify.builders import BuildResult
from optimizer.app.verify.command import render, render_text
from optimizer.app.verify.core import report_from_dict, verify
from optimizer.app.verify.layers import instruction, read_archive, top_paths
from optimizer.core.registry import get_rule
from optimizer.core.settings import Settings
from tests.test_verify import FakeBuilder

HOSTILE = "RUN echo '<script>alert(1)</script>' && echo \"</title><b>x</b>\" | tee /x @team #12 `code`"


def layer_tar(files: dict[str, int], extra: list[tarfile.TarInfo] | None = None) -> bytes:
    """An uncompressed layer tarball with a file of each size (contents are zeros)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        folders: set[str] = set()
        for path in files:
            parts = path.strip("/").split("/")[:-1]
            for i in range(1, len(parts) + 1):
                folders.add("/".join(parts[:i]))
        for folder in sorted(folders):
            info = tarfile.TarInfo(folder)
            info.type = tarfile.DIRTYPE
            tf.addfile(info)
        for path, size in files.items():
            info = tarfile.TarInfo(path.strip("/"))
            info.size = size
            tf.addfile(info, io.BytesIO(b"\0" * size))
        for info in extra or []:
            tf.addfile(info)
    return buf.getvalue()


def docker_archive(dest: Path, layers: list[bytes], history: list[dict[str, object]]) -> Path:
    """A docker-archive as `buildah push IMAGE docker-archive:FILE` writes it: <digest>.tar blobs, a config."""
    import hashlib

    names = []
    with tarfile.open(dest, mode="w") as tf:

        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))

        for data in layers:
            name = hashlib.sha256(data).hexdigest() + ".tar"
            add(name, data)
            names.append(name)
        config = json.dumps({"history": history, "rootfs": {"type": "layers"}}).encode()
        add("config.json", config)
        add("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["x"], "Layers": names}]).encode())
    return dest


OLD = "2020-01-01T00:00:00.123456789Z"
NOW = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000001Z")
BASE = {"/usr/lib/x86_64-linux-gnu/libc.so.6": 2_000_000, "/usr/bin/bash": 1_200_000, "/etc/passwd": 1000}
APT = {
    "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4": 3_000_000,
    "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease": 150_000,
    "/var/lib/dpkg/status": 300_000,
    "/var/cache/debconf/templates.dat": 50_000,
}
PIP = {
    "/usr/local/lib/python3.11/site-packages/flask/app.py": 900_000,
    "/root/.cache/pip/http-v2/a/b/blob": 600_000,
    "/tmp/src.tar.gz": 400_000,
}
HISTORY: list[dict[str, object]] = [
    {"created": OLD, "created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
    {"created": OLD, "created_by": '/bin/sh -c #(nop) CMD ["bash"]', "empty_layer": True},
    {"created": NOW, "created_by": "/bin/sh -c apt-get update", "comment": "FROM debian:bookworm-slim"},
    {"created": NOW, "created_by": "/bin/sh -c #(nop) WORKDIR /app", "empty_layer": True},
    {"created": NOW, "created_by": "/bin/sh -c " + HOSTILE.removeprefix("RUN ")},
]


def fresh_history() -> list[dict[str, object]]:
    """HISTORY as a build made now writes it: this Dockerfile's entries are not older than the run."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000001Z")
    return [{**h, "created": now} if h["created"] == NOW else h for h in HISTORY]


def sample(tmp_path: Path) -> Path:
    layers = [layer_tar(BASE), layer_tar(APT), layer_tar(PIP)]
    return docker_archive(tmp_path / "image.tar", layers, HISTORY)


SINCE = datetime.now(timezone.utc).replace(microsecond=0)


def test_each_layer_has_its_size_instruction_paths_and_cuts(tmp_path: Path) -> None:
    found = read_archive(sample(tmp_path), since=datetime(2024, 1, 1, tzinfo=timezone.utc))
    assert not found.error
    with tarfile.open(tmp_path / "image.tar") as tf:
        names = json.load(tf.extractfile("manifest.json"))[0]["Layers"]  # type: ignore[arg-type]
        sizes = [tf.getmember(n).size for n in names]
    assert [layer.size for layer in found.layers] == sizes  # the tarballs' bytes, as the builders count them
    assert found.size == sum(sizes)
    base, apt, pip = found.layers
    assert [layer.instruction for layer in found.layers] == ["ADD file:abc in /", "RUN apt-get update", HOSTILE]
    assert (base.base, apt.base, pip.base) == (True, False, False)  # made before this run: the base image's
    assert apt.files == 4 and pip.files == 3
    # the largest folders, the apt lists among them, with the rule that cuts them
    assert apt.paths[0].path == "/var/lib/apt/lists" and apt.paths[0].bytes == 3_150_000
    assert apt.paths[0].rule == "DOP201"
    assert ("/var/lib/dpkg", 300_000, "") in [(p.path, p.bytes, p.rule) for p in apt.paths]
    assert [(c.path, c.bytes, c.rule, c.name) for c in apt.cuts] == [
        ("/var/lib/apt/lists", 3_150_000, "DOP201", "apt-lists-cleanup")
    ]
    cuts = {(c.path, c.rule): c.bytes for c in pip.cuts}
    assert cuts == {("/root/.cache/pip", "DOP205"): 600_000, ("/tmp/src.tar.gz", "DOP212"): 400_000}
    assert base.cuts == [] and {p.path for p in base.paths} == {"/usr/lib/x86_64-linux-gnu", "/usr/bin", "/etc"}


def test_no_rule_is_named_for_the_base_image_s_layers(tmp_path: Path) -> None:
    history: list[dict[str, object]] = [{"created": OLD, "created_by": "/bin/sh -c apt-get update"}]
    found = read_archive(docker_archive(tmp_path / "i.tar", [layer_tar(APT)], history), since=SINCE)
    layer = found.layers[0]
    assert layer.base and layer.cuts == [] and layer.paths[0].path == "/var/lib/apt/lists"
    assert not layer.paths[0].rule  # the lists are the base image's: no fix of this Dockerfile takes them out


def test_without_a_run_start_the_base_is_unknown_and_history_aligns_from_the_top(tmp_path: Path) -> None:
    layers = [layer_tar(BASE), layer_tar(APT)]
    # a base image whose history has fewer entries than layers: ours still get theirs
    history: list[dict[str, object]] = [{"created": NOW, "created_by": "/bin/sh -c apt-get update"}]
    found = read_archive(docker_archive(tmp_path / "i.tar", layers, history))
    assert [(layer.instruction, layer.base) for layer in found.layers] == [("", None), ("RUN apt-get update", None)]


def test_whiteouts_links_and_folders_hold_no_bytes(tmp_path: Path) -> None:
    link = tarfile.TarInfo("usr/bin/python")
    link.type, link.linkname = tarfile.SYMTYPE, "python3.11"
    hard = tarfile.TarInfo("usr/bin/python3")
    hard.type, hard.linkname = tarfile.LNKTYPE, "usr/bin/python3.11"
    wh = tarfile.TarInfo("var/lib/apt/lists/.wh.old")
    data = layer_tar({"/usr/bin/python3.11": 500_000}, [link, hard, wh])
    found = read_archive(docker_archive(tmp_path / "i.tar", [data], HISTORY[:1]))
    assert found.layers[0].files == 1
    assert [(p.path, p.bytes) for p in found.layers[0].paths] == [("/usr/bin", 500_000)]


def test_a_gzipped_layer_is_read_and_a_broken_one_says_so(tmp_path: Path) -> None:
    import gzip

    good = gzip.compress(layer_tar(APT))
    found = read_archive(docker_archive(tmp_path / "i.tar", [good, b"not a tar at all" * 100], HISTORY[:3]))
    assert found.layers[0].cuts[0].rule == "DOP201" and not found.layers[0].note
    assert found.layers[1].note and found.layers[1].paths == []


def test_an_unreadable_archive_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "x.tar").write_bytes(b"garbage")
    assert read_archive(tmp_path / "x.tar").error.startswith("cannot read the image archive")


def test_top_paths_open_up_dominant_folders_and_keep_spread_ones_whole() -> None:
    own = {
        "/usr/lib/x86_64-linux-gnu": 40_000_000,
        "/usr/lib/x86_64-linux-gnu/perl": 5_000_000,
        "/usr/share/doc/a": 1_000_000,
        "/usr/share/doc/b": 1_000_000,
        "/usr/share/locale/c": 1_000_000,
        "/usr/share/zoneinfo": 1_000_000,
        "/usr/share/i18n": 1_000_000,
        "/var/lib/apt/lists": 20_000_000,
    }
    got = [(p.path, p.bytes) for p in top_paths(own)]
    assert got == [
        ("/usr/lib/x86_64-linux-gnu", 45_000_000),  # its perl folder is a small part: shown whole
        ("/var/lib/apt/lists", 20_000_000),  # /, /var, /var/lib and /var/lib/apt opened up: one folder holds it
        ("/usr/share", 5_000_000),  # spread over many folders: shown whole
    ]
    own["/usr/lib/x86_64-linux-gnu/perl"] = 60_000_000  # now most of it: opened up, its own files apart
    got = [(p.path, p.bytes) for p in top_paths(own)]
    assert got[:3] == [
        ("/usr/lib/x86_64-linux-gnu/perl", 60_000_000),
        ("/usr/lib/x86_64-linux-gnu", 40_000_000),
        ("/var/lib/apt/lists", 20_000_000),
    ]
    assert top_paths({}) == []


@pytest.mark.parametrize(
    "created_by,expected",
    [
        ("/bin/sh -c apt-get update", "RUN apt-get update"),
        ("/bin/sh -c #(nop) COPY file:96f1 in /app/ ", "COPY file:96f1 in /app/"),
        ("RUN /bin/sh -c pip install flask # buildkit", "RUN pip install flask"),
        ("COPY app.py . # buildkit", "COPY app.py ."),
        ("|2 A=1 B=x /bin/sh -c make", "RUN make"),
        ("WORKDIR /app", "WORKDIR /app"),
    ],
)
def test_instruction_from_history(created_by: str, expected: str) -> None:
    assert instruction(created_by) == expected


# -- the data ------------------------------------------------------------------------------------


def test_every_path_entry_names_a_real_rule_and_matches_its_examples() -> None:
    assert min_bytes() > 0
    for entry in entries():
        assert ("prefix" in entry) != ("name" in entry), entry
        assert get_rule(entry["rule"]) is not None, entry["rule"]
        assert entry["examples"], entry
        for example in entry["examples"]:
            hit = rule_for(example)
            assert hit is not None and hit[1].rule == entry["rule"], (example, hit)
            if "prefix" in entry:
                assert re.fullmatch(entry["prefix"].replace("*", "[^/]*"), hit[0]), (example, hit)
            else:
                assert example.startswith(hit[0] + "/") or example == hit[0], (example, hit)


@pytest.mark.parametrize(
    "path", ["/var/lib/apt/listsX/a", "/usr/bin/git", "/app/src/main.py", "/var/lib/apt/lists", "/zip"]
)
def test_paths_no_rule_cuts(path: str) -> None:
    assert rule_for(path) is None or path == "/var/lib/apt/lists"


# -- through verify and the reports -----------------------------------------------------------


class Saving(FakeBuilder):
    """The fake builder, whose images can be saved: the original with apt lists, the rewrite without."""

    def save(self, tag: str, dest: Path) -> str:
        if "rm -rf /var/lib/apt/lists" in self.texts[tag]:
            layers = [layer_tar(BASE), layer_tar({"/var/lib/dpkg/status": 300_000})]
        else:
            layers = [layer_tar(BASE), layer_tar(APT)]
        docker_archive(dest, layers, fresh_history()[:3])
        return ""


DOCKERFILE = 'FROM debian:bookworm-slim\nRUN apt-get update\nCMD ["true"]\n'


def _verify(tmp_path: Path, builder: FakeBuilder | None = None) -> object:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    fake = builder or Saving()
    return verify(str(tmp_path / "Dockerfile"), DOCKERFILE, Settings(), fake, tmp_path, run_seconds=0, layers=True)


def test_verify_reports_the_layers_of_both_images(tmp_path: Path) -> None:
    report = _verify(tmp_path)
    assert report.layers is not None  # type: ignore[attr-defined]
    before, after = report.layers["original"], report.layers["rewritten"]  # type: ignore[attr-defined]
    assert before.layers[1].cuts[0].rule == "DOP201" and after.layers[1].cuts == []
    data = report.as_dict()  # type: ignore[attr-defined]
    assert data["layers"]["original"]["layers"][1]["cuts"][0]["path"] == "/var/lib/apt/lists"
    assert "layers" in data["original"] and isinstance(data["original"]["layers"], int)  # the old key stays
    again = report_from_dict(json.loads(json.dumps(data)))
    assert again.as_dict() == data  # JSON round trip
    text = render_text(report)  # type: ignore[arg-type]
    assert "layers of the original (2 layers" in text
    assert re.search(r"3\.1 MB  /var/lib/apt/lists  -> DOP201 apt-lists-cleanup", text), text
    assert re.search(r"#2 +3\.5 MB  RUN apt-get update\n", text) and "ADD file:abc in / (base image)" in text
    md = render([report], "markdown")  # type: ignore[list-item]
    assert "| 2 | 3.5 MB | `RUN apt-get update` |" in md and "**DOP201** apt\\-lists\\-cleanup" in md


def test_without_layers_the_report_is_as_before(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    report = verify(str(tmp_path / "Dockerfile"), DOCKERFILE, Settings(), Saving(), tmp_path, run_seconds=0)
    assert report.layers is None and report.as_dict()["layers"] is None
    assert "layers of the" not in render_text(report)


def test_a_builder_that_cannot_save_gives_an_error_per_image(tmp_path: Path) -> None:
    class NoSave(FakeBuilder):
        def save(self, tag: str, dest: Path) -> str:
            return "Error: no such image"

    report = _verify(tmp_path, NoSave())
    assert report.layers["original"].error == "fake could not save the image: Error: no such image"  # type: ignore[attr-defined]
    assert "layers of the original: fake could not save the image" in render_text(report)  # type: ignore[arg-type]


def test_images_that_did_not_build_have_no_layers(tmp_path: Path) -> None:
    class Fails(Saving):
        def build(
            self, dockerfile: Path, context: Path, tag: str, log: Path | None = None, ignorefile: Path | None = None
        ) -> BuildResult:  # noqa: E501
            self.images.append(tag)
            return BuildResult(False, 1.0, "RUN apt-get update", "boom")

    report = _verify(tmp_path, Fails())
    assert {k: v.error for k, v in report.layers.items()} == {  # type: ignore[attr-defined]
        "original": "the image was not built",
        "rewritten": "the image was not built",
    }


def test_html_is_self_contained_and_escapes_the_dockerfile(tmp_path: Path) -> None:
    class Hostile(Saving):
        def save(self, tag: str, dest: Path) -> str:
            docker_archive(dest, [layer_tar(BASE), layer_tar(APT), layer_tar(PIP)], fresh_history())
            return ""

    report = _verify(tmp_path, Hostile())
    page = render([report], "html")  # type: ignore[list-item]
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 1
    assert "<script" not in page and "</title><b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for external in ("http://", "https://", "src=", "@import", "url("):
        assert external not in page.replace('xmlns="http://www.w3.org/2000/svg"', ""), external
    assert page.count('<g class="layer"') == 6  # three layers in each image
    assert "DOP201 apt-lists-cleanup" in page and "DOP205" in page


def test_cli_layers_and_html_output_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from optimizer.app.cli import app
    from optimizer.app.verify import builders

    monkeypatch.setattr(builders, "pick", lambda *_a, **_k: Saving())
    df = tmp_path / "Dockerfile"
    df.write_text(DOCKERFILE)
    page = tmp_path / "layers.html"
    args = ["verify", "--run-seconds", "0", "--output-format", "html", "-o", str(page), str(df)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "<svg" in page.read_text() and "<svg" not in result.stdout  # -o: the page goes to the file
    result = CliRunner().invoke(app, ["verify", "--run-seconds", "0", "--layers", str(df)])
    assert result.exit_code == 0 and "layers of the rewritten (2 layers" in result.stdout
    result = CliRunner().invoke(app, ["rewrite", "--layers", str(df)])
    assert result.exit_code == 2 and "--layers needs --verify" in result.output


def test_a_rewrite_that_changes_nothing_is_read_once(tmp_path: Path) -> None:
    saved: list[str] = []

    class Counting(Saving):
        def save(self, tag: str, dest: Path) -> str:
            saved.append(tag)
            return super().save(tag, dest)

    text = 'FROM debian:bookworm-slim\nCMD ["true"]\n'
    (tmp_path / "Dockerfile").write_text(text)
    report = verify(str(tmp_path / "Dockerfile"), text, Settings(), Counting(), tmp_path, run_seconds=0, layers=True)
    assert report.unchanged and len(saved) == 1
    assert report.layers is not None and report.layers["original"] is report.layers["rewritten"]
    assert not report.layers["rewritten"].error
    assert "layers of the rewritten" not in render_text(report)  # shown once


def test_after_bisect_the_layers_are_the_verified_rewrite_s(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    fake = Saving(fail_if="rm -rf /var/lib/apt/lists")  # the rewrite with DOP201 does not build
    report = verify(
        str(tmp_path / "Dockerfile"), DOCKERFILE, Settings(), fake, tmp_path, bisect=True, run_seconds=0, layers=True
    )
    assert report.held_back and report.fixes == [] and report.rewritten.built
    assert report.layers is not None and not report.layers["rewritten"].error  # the image bisect kept
    assert report.layers["rewritten"].layers[1].cuts[0].rule == "DOP201"  # DOP201 held back: the lists stay


def test_rewrite_verify_takes_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from optimizer.app.cli import app
    from optimizer.app.verify import builders

    monkeypatch.setattr(builders, "pick", lambda *_a, **_k: Saving())
    df = tmp_path / "Dockerfile"
    df.write_text(DOCKERFILE)
    out = tmp_path / "report.json"
    args = ["rewrite", "--verify", "--layers", "--run-seconds", "0", "--output-format", "json", "-o", str(out)]
    result = CliRunner().invoke(app, [*args, str(df)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["layers"]["original"]["layers"][1]["cuts"][0]["rule"] == "DOP201"
    assert data["layers"]["rewritten"]["layers"][1]["cuts"] == []
    assert "rm -rf /var/lib/apt/lists" in df.read_text()  # the verified rewrite was written


def test_layers_linked_into_folders_are_followed(tmp_path: Path) -> None:
    """The layout with <id>/layer.tar links to the blob (as buildah writes beside the blobs)."""
    data = layer_tar(APT)
    with tarfile.open(tmp_path / "i.tar", mode="w") as tf:
        blob = tarfile.TarInfo("f" * 64 + ".tar")
        blob.size = len(data)
        tf.addfile(blob, io.BytesIO(data))
        link = tarfile.TarInfo("0" * 64 + "/layer.tar")
        link.type, link.linkname = tarfile.SYMTYPE, "../" + "f" * 64 + ".tar"
        tf.addfile(link)
        for name, body in (
            ("config.json", json.dumps({"history": HISTORY[2:3]}).encode()),
            ("manifest.json", json.dumps([{"Config": "config.json", "Layers": ["0" * 64 + "/layer.tar"]}]).encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tf.addfile(info, io.BytesIO(body))
    found = read_archive(tmp_path / "i.tar")
    assert not found.error and found.layers[0].size == len(data)
    assert found.layers[0].cuts[0].rule == "DOP201" and found.layers[0].instruction == "RUN apt-get update"
