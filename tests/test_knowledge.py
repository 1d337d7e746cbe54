"""The knowledge data: image families, devel/runtime pairs, slim variants, -dev -> runtime libraries."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from optimizer.analysis import knowledge
from optimizer.analysis.knowledge import family_of, parse_ref, runtime_libraries, runtime_variant, slim_variant

from .oracle import CORPUS


@pytest.mark.parametrize(
    "ref,repository,tag,digest",
    [
        ("python:3.11-slim", "python", "3.11-slim", None),
        ("docker.io/library/debian:bookworm", "debian", "bookworm", None),
        ("localhost:5000/team/app", "localhost:5000/team/app", None, None),
        ("ubuntu@sha256:abc", "ubuntu", None, "sha256:abc"),
        ("nvcr.io/nvidia/pytorch:24.01-py3", "nvcr.io/nvidia/pytorch", "24.01-py3", None),
    ],
)
def test_parse_ref(ref: str, repository: str, tag: str | None, digest: str | None) -> None:
    assert parse_ref(ref) == knowledge.ImageRef(repository, tag, digest)


@pytest.mark.parametrize(
    "ref,family,pm,shell,language",
    [
        ("debian:bookworm-slim", "debian", "apt", True, None),
        ("ubuntu:22.04", "ubuntu", "apt", True, None),
        ("alpine:3.19", "alpine", "apk", True, None),
        ("python:3.11-slim", "debian", "apt", True, "python"),
        ("python:3.12-alpine3.19", "alpine", "apk", True, "python"),
        ("node:20-bookworm", "debian", "apt", True, "node"),
        ("golang:1.22-alpine", "alpine", "apk", True, "go"),
        ("eclipse-temurin:21-jre", "ubuntu", "apt", True, "java"),
        ("registry.access.redhat.com/ubi9/ubi-minimal:9.3", "rhel-minimal", "microdnf", True, None),
        ("fedora:40", "rhel", "dnf", True, None),
        ("amazonlinux:2023", "amazonlinux", "dnf", True, None),
        ("gcr.io/distroless/static-debian12:nonroot", "distroless", "", False, None),
        ("scratch", "scratch", "", False, None),
        ("nvidia/cuda:12.1.0-cudnn8-devel-ubuntu22.04", "ubuntu", "apt", True, None),
        ("nvidia/cuda:12.4.1-runtime-ubi9", "rhel", "dnf", True, None),
        ("pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel", "ubuntu", "apt", True, "python"),
        ("buildpack-deps:bookworm", "debian", "apt", True, None),
        ("buildpack-deps:jammy-scm", "ubuntu", "apt", True, None),
        ("oraclelinux:9", "rhel", "dnf", True, None),
        ("oraclelinux:9-slim", "rhel-minimal", "microdnf", True, None),
    ],
)
def test_families(ref: str, family: str, pm: str, shell: bool, language: str | None) -> None:
    f = family_of(ref)
    assert f is not None
    assert (f.name, f.package_manager, f.shell, f.language) == (family, pm, shell, language)
    if shell:
        assert f.create_user and "{uid}" in f.create_user and "{name}" in f.create_user
    if family == "distroless":
        assert f.nonroot_uid == 65532


def test_unknown_images() -> None:
    assert family_of("mycompany/base:1") is None
    assert runtime_variant("mycompany/base:1-devel")[0] is None


@pytest.mark.parametrize(
    "ref,runtime",
    [
        ("nvidia/cuda:12.1.0-cudnn8-devel-ubuntu22.04", "nvidia/cuda:12.1.0-cudnn8-runtime-ubuntu22.04"),
        ("nvidia/cuda:11.8.0-devel-ubuntu20.04", "nvidia/cuda:11.8.0-runtime-ubuntu20.04"),
        ("nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04", "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04"),
        ("pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel", "pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime"),
        ("pytorch/pytorch:2.4.0-cuda12.4-cudnn9-devel", "pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime"),
    ],
)
def test_devel_to_runtime(ref: str, runtime: str) -> None:
    assert runtime_variant(ref)[0] == runtime


def test_no_invented_runtime_tags() -> None:
    new, why = runtime_variant("nvcr.io/nvidia/pytorch:24.01-py3")
    assert new is None and "no runtime tag" in why
    assert runtime_variant("nvidia/cuda:12.1.0-runtime-ubuntu22.04")[0] is None  # already runtime
    assert runtime_variant("pytorch/pytorch:latest")[0] is None


@pytest.mark.parametrize(
    "ref,slim",
    [
        ("python:3.11", "python:3.11-slim"),
        ("python:3.11-bookworm", "python:3.11-slim-bookworm"),
        ("node:20", "node:20-slim"),
        ("node:20-bookworm", "node:20-bookworm-slim"),
        ("python:3.11-slim", None),
        ("python:3.11-alpine", None),
    ],
)
def test_slim(ref: str, slim: str | None) -> None:
    assert slim_variant(ref) == slim


def test_build_only_packages() -> None:
    assert {"gcc", "build-essential", "make", "pkg-config", "git"} <= knowledge.build_only("apt")
    assert {"build-base", "musl-dev"} <= knowledge.build_only("apk")


@pytest.mark.parametrize(
    "dev,runtime",
    [
        ("libpq-dev", ["libpq5"]),
        ("libssl-dev", ["libssl3"]),
        ("libffi-dev", ["libffi8"]),
        ("zlib1g-dev", ["zlib1g"]),
        ("libxml2-dev", ["libxml2"]),
        ("libcurl4-openssl-dev", ["libcurl4"]),
    ],
)
def test_dev_to_runtime(dev: str, runtime: list[str]) -> None:
    assert runtime_libraries(dev) == runtime


def test_dev_table_covers_the_corpus() -> None:
    """Every -dev package a corpus Dockerfile installs is mapped, or listed as unknown to bookworm."""
    import importlib.util

    real = CORPUS / "real"
    assert real.is_dir(), f"the shared corpus is missing: {real}"
    script = Path(knowledge.__file__).resolve().parents[2] / "scripts" / "gen_dev_runtime.py"
    spec = importlib.util.spec_from_file_location("gen_dev_runtime", script)
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    data = json.loads((Path(knowledge.__file__).parent / "data" / "dev_runtime.json").read_text())
    known = set(data["packages"]) | set(data["not_in_bookworm"])
    installed = gen.corpus_dev_packages(real)
    assert len(installed) > 150
    assert installed <= known, sorted(installed - known)


@pytest.mark.parametrize(
    "dev,os_name,runtime",
    [
        ("libpq-dev", "ubuntu", ["libpq5"]),
        ("libjpeg-dev", "ubuntu", ["libjpeg-turbo8"]),  # renamed on Ubuntu
        ("libjpeg-dev", "debian", ["libjpeg62-turbo"]),
        ("libopencv-dev", "ubuntu", None),  # sonames differ by release: unknown, not guessed
        ("libpq-dev", "alpine", None),
        ("libasound-dev", "debian", ["libasound2"]),  # a virtual package, through provided_by
    ],
)
def test_dev_to_runtime_per_os(dev: str, os_name: str, runtime: list[str] | None) -> None:
    from optimizer.analysis.knowledge import runtime_libraries

    assert runtime_libraries(dev, os_name) == runtime


def test_compilers_keep_libc_headers() -> None:
    from optimizer.analysis.knowledge import recommends_needed

    assert recommends_needed("gcc") == ["libc6-dev"]
    assert recommends_needed("curl") == []


def test_context_data_is_well_formed() -> None:
    from optimizer.analysis.ignorefile import parse
    from optimizer.analysis.knowledge import _images, context_data
    from optimizer.analysis.requirements import normalise

    data = context_data()
    patterns = [e["pattern"] for e in data["ignore"]]
    assert len(patterns) == len(set(patterns))
    for entry in data["ignore"]:
        assert entry["name"] and entry["why"]
        assert len(parse(entry["pattern"])) == 1  # one Docker pattern each
    names = [t["name"] for t in data["dev_tools"]]
    assert names == [normalise(n) for n in names] and len(names) == len(set(names))
    for tool in data["dev_tools"]:
        assert tool["modules"], tool["name"]
        assert tool.get("installed_bytes", 1) > 0
    assert {"psycopg2", "mysqlclient"} <= set(_images()["slim_blockers"]["pip"])
    assert "git" in _images()["slim_blockers"]["commands"]


@pytest.mark.parametrize(
    "ref,windows",
    [
        ("mcr.microsoft.com/windows/servercore:ltsc2022", True),
        ("mcr.microsoft.com/windows/nanoserver:ltsc2022", True),
        ("mcr.microsoft.com/windows:ltsc2019", True),
        ("mcr.microsoft.com/dotnet/framework/sdk:4.8", True),
        ("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019", True),
        ("mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-1809", True),
        ("python:3.12-windowsservercore-ltsc2022", True),
        ("golang:1.22-nanoserver", True),
        ("microsoft/windowsservercore", True),
        ("mcr.microsoft.com/dotnet/sdk:8.0", False),
        ("python:3.12-slim", False),
        ("ubuntu:24.04", False),
        ("mycorp/windows-tools-builder:1", False),
    ],
)
def test_windows_images(ref: str, windows: bool) -> None:
    assert knowledge.is_windows(ref) is windows


@pytest.mark.parametrize(
    "ref,repository,family",
    [
        ("mirror.gcr.io/library/ubuntu:24.04", "ubuntu", "ubuntu"),
        ("public.ecr.aws/docker/library/python:3.12-slim", "python", "debian"),
        ("docker.io/library/alpine:3.20", "alpine", "alpine"),
        ("registry.hub.docker.com/library/debian:bookworm", "debian", "debian"),
        ("index.docker.io/bitnami/python:3.12", "bitnami/python", None),
    ],
)
def test_docker_hub_mirrors(ref: str, repository: str, family: str | None) -> None:
    assert parse_ref(ref).repository == repository
    fam = family_of(ref)
    assert (fam.name if fam else None) == family


def test_slim_blocker_needs() -> None:
    from optimizer.analysis.knowledge import _images, slim_blocker_needs

    blockers = set(_images()["slim_blockers"]["pip"])
    table = _images()["slim_blocker_needs"]
    assert set(table) <= blockers  # only blockers have needs
    generated = {
        lib
        for libs in json.loads((knowledge.DATA / "dev_runtime.json").read_text())["packages"].values()
        for lib in libs
    }
    for name in table:
        needs = slim_blocker_needs(name)
        assert needs is not None
        assert set(needs.runtime) <= needs.brought_by  # installing the library itself brings it
        assert not any(p.endswith("-dev") for p in needs.runtime)
    # the libraries the -dev packages of the generated table stand for agree with the hand-kept ones
    assert set(slim_blocker_needs("psycopg2").runtime) == set(runtime_libraries("libpq-dev") or [])  # type: ignore[union-attr]
    assert set(slim_blocker_needs("python-ldap").runtime) <= generated  # type: ignore[union-attr]
    assert slim_blocker_needs("wand") == slim_blocker_needs("WAND")
    assert "imagemagick" in slim_blocker_needs("wand").brought_by  # type: ignore[union-attr]
    assert slim_blocker_needs("wand").builds is False  # type: ignore[union-attr]
    assert slim_blocker_needs("psycopg2").builds is True  # type: ignore[union-attr]
    assert slim_blocker_needs("flask") is None
    assert slim_blocker_needs("gdal") is None  # a blocker dopt cannot name the libraries of


def test_slim_command_packages() -> None:
    from optimizer.analysis.knowledge import _images, slim_command_packages

    commands = set(_images()["slim_blockers"]["commands"])
    assert set(_images()["slim_command_packages"]) <= commands
    assert slim_command_packages("curl") == {"curl"}
    assert "imagemagick" in slim_command_packages("convert")
    assert slim_command_packages("gcc") == frozenset()  # a compiler is a build tool, never lifted


def test_jit_packages() -> None:
    from optimizer.analysis.knowledge import jit_packages

    jit = jit_packages()
    assert {"deepspeed", "triton", "pycuda"} <= jit
    assert all(p == p.lower() for p in jit)
    cuda = jit_packages(cuda=True)
    assert jit < cuda and {"vllm", "flashinfer-python", "numba"} <= cuda
    assert "numba" not in jit  # numba's CPU JIT needs no compiler: only CUDA images keep -devel for it
    assert not {"cupy-cuda12x", "torch", "transformers"} & cuda  # wheels that run on -runtime


def test_fetch_only_tools_are_not_compile_signals() -> None:
    """git fetches sources and compiles nothing: DOP501 judges the command that builds what it fetched."""
    from optimizer.analysis.knowledge import build_only, compile_signals

    signals = compile_signals()
    assert "git" in signals.fetch_only and "git" in build_only("apt")
    assert not signals.fetch_only & {"gcc", "g++", "make", "cmake", "build-essential"}
    assert "cupy" in signals.pip_source_builds and "cupy-cuda12x" not in signals.pip_source_builds


def test_test_images() -> None:
    from optimizer.analysis.knowledge import test_images

    marks = test_images()
    assert {"test", "ci"} <= marks.stage_names and {"pytest", "tox"} <= marks.commands
    assert "pytest" in marks.python_modules


def test_npm_slim_blockers() -> None:
    """Packages known to compile with node-gyp and install scripts known to compile nothing never overlap."""
    from optimizer.analysis.knowledge import slim_blockers

    data = slim_blockers()
    compiles, harmless = set(data["npm"]), set(data["npm_scripts_no_compile"])
    assert {"bcrypt", "sqlite3", "canvas"} <= compiles and not compiles & harmless
    assert "sharp" in harmless and "esbuild" in harmless
    assert "node-gyp" in data["npm_build_commands"] and "cmake-js" in data["npm_build_commands"]
    assert data["node_commands"] == ["python3"] and "python3" not in data["commands"]  # python images have it


@pytest.mark.parametrize(
    "ref,release",
    [
        ("golang:1.22-bookworm", "bookworm"),
        ("node:20-bullseye-slim", "bullseye"),
        ("golang:1.22", None),
        ("node:lts", None),
        ("python:3.12-slim-trixie", "trixie"),
    ],
)
def test_debian_release(ref: str, release: str | None) -> None:
    assert knowledge.debian_release(ref) == release


@pytest.mark.parametrize(
    ("ref", "release"),
    [
        ("golang:1.22", "bookworm"),  # a floating tag follows its line's default
        ("golang:1.20", "bookworm"),
        ("golang:1.24", "trixie"),  # moved to trixie on 12 August 2025
        ("golang:1.25.3", "trixie"),  # every 1.25 image was trixie
        ("golang:1.23.4", "bookworm"),
        ("golang", "trixie"),
        ("golang:latest", "trixie"),
        ("docker.io/library/golang:1.21", "bookworm"),
        ("golang:1.24.5", None),  # a patch tag of a line whose default changed: not guessed
        ("golang:1.28", None),  # a line dopt's data does not list yet
        ("golang:1.24-bookworm", "bookworm"),  # the tag names it
        ("myregistry/golang:1.22", None),  # not the official image
        ("python:3.11", None),
    ],
)
def test_image_release(ref: str, release: str | None) -> None:
    assert knowledge.image_release(ref) == release


def test_split_data() -> None:
    go = knowledge.split_data("go")
    assert go["static"].endswith(":nonroot") and not go["static_root"].endswith(":nonroot")
    assert go["with_shell"].format(release="bookworm") == "debian:bookworm-slim"
    assert set(go["cgo"]) == set(go["cgo_root"])
    numbers = {"trixie": "13", "bookworm": "12", "bullseye": "11"}
    for release, image in go["cgo"].items():  # distroless/base of the release the binary's glibc comes from
        assert image.startswith("gcr.io/distroless/base-debian") and numbers[release] in image
    assert "nonroot" in go["users"] and "65532" in go["users"]
    node = knowledge.split_data("node")
    assert set(node["prune"]) == {"npm", "yarn", "pnpm"}
    assert "--omit=dev" in node["prune"]["npm"] and "--production" in node["prune_old_npm"]
    generated = {
        lib
        for libs in json.loads((knowledge.DATA / "dev_runtime.json").read_text())["packages"].values()
        for lib in libs
    }
    for libs in node["native"].values():
        assert libs and not any(p.endswith("-dev") for p in libs)
    assert set(node["native"]["pg-native"]) <= generated
    assert knowledge.split_data("cobol") == {}


@pytest.mark.parametrize(
    "ref,slim",
    [("node:lts", "node:lts-slim"), ("node:iron-bookworm", "node:iron-bookworm-slim"), ("node:latest", None)],
)
def test_node_named_tags_slim(ref: str, slim: str | None) -> None:
    assert slim_variant(ref) == slim


@pytest.mark.parametrize("name", ["images", "context", "layers", "layer_paths", "runtime", "workdirs"])
def test_compiled_data_matches_the_toml(name: str) -> None:
    """The JSON the knowledge module loads (no tomllib at run time) is exactly the TOML source:
    after editing a .toml file, run `python scripts/compile_data.py`."""

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    from optimizer.analysis.knowledge import DATA

    with (DATA / f"{name}.toml").open("rb") as fh:
        source = tomllib.load(fh)
    assert json.loads((DATA / f"{name}.compiled.json").read_text()) == source


@pytest.mark.parametrize(
    "ref,user,uid,default",
    [
        ("node:20-alpine", "node", 1000, False),
        ("docker.io/library/node:22-bookworm-slim", "node", 1000, False),
        ("jenkins/jenkins:lts-jdk17", "jenkins", 1000, True),
        ("mcr.microsoft.com/dotnet/aspnet:8.0", "app", 1654, False),
        ("mcr.microsoft.com/dotnet/runtime:9.0-alpine", "app", 1654, False),
        ("mcr.microsoft.com/dotnet/aspnet:6.0", None, None, None),  # before .NET 8: no app user
        ("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled", None, None, None),  # no shell: left out
        ("python:3.12-slim", None, None, None),
    ],
)
def test_image_users(ref: str, user: str | None, uid: int | None, default: bool | None) -> None:
    found = knowledge.image_user(ref)
    got = (found.user, found.uid, found.default) if found else (None, None, None)
    assert got == (user, uid, default)


def test_base_image_top_folders() -> None:
    from optimizer.analysis.knowledge import base_image_top_folders

    top = base_image_top_folders()
    assert {"usr", "var", "home", "opt", "srv", "go", "workspace"} <= top
    assert "app" not in top and "code" not in top  # no official image has them: a COPY there creates them


@pytest.mark.parametrize(
    ("ref", "lacks"),
    [
        ("debian:bookworm-slim", True),
        ("debian:bookworm", True),
        ("ubuntu:24.04", True),
        ("node:20-slim", True),
        ("node:20-bookworm-slim", True),
        ("node:20", False),  # buildpack-deps: ca-certificates is there
        ("python:3.12-slim", False),
        ("registry.example.com/team/base:1", True),  # unknown: adding it is harmless
    ],
)
def test_lacks_ca_certificates(ref: str, lacks: bool) -> None:
    assert knowledge.lacks_ca_certificates(ref) is lacks


def test_apt_recommends_data() -> None:
    assert {"curl", "wget", "git"} <= knowledge.apt_tls_clients()
    assert "build-essential" in (knowledge.installed_for_recommends("python3-pip") or "")
    assert knowledge.installed_for_recommends("curl") is None


@pytest.mark.parametrize(
    "ref,workdir",
    [
        ("golang:1.22", "/go"),
        ("golang:1.22-alpine", "/go"),
        ("docker.io/library/golang:1.22-bookworm", "/go"),
        ("php:8.3-apache", "/var/www/html"),
        ("php:8.3-fpm-alpine", "/var/www/html"),
        ("php:8.3-cli", "/"),
        ("php:8.3", "/"),
        ("tomcat:10-jdk17", "/usr/local/tomcat"),
        ("httpd:2.4", "/usr/local/apache2"),
        ("redis:7", "/data"),
        ("python:3.12-slim", "/"),
        ("node:20", "/"),
        ("debian:bookworm", "/"),
        ("scratch", "/"),
        # unknown: not listed, a variable, a Windows image
        ("myorg/app:1", None),
        ("jenkins/jenkins:lts", None),
        ("golang:${GO}", None),
        ("golang:1.22-windowsservercore-ltsc2022", None),
    ],
)
def test_image_workdir(ref: str, workdir: str | None) -> None:
    assert knowledge.image_workdir(ref) == workdir


def test_workdirs_are_absolute() -> None:
    for entry in knowledge._workdirs():
        assert entry["workdir"].startswith("/"), entry


@pytest.mark.parametrize(
    "ref,bash,wget",
    [
        ("debian:bookworm", True, "gnu"),
        ("python:3.12-slim", True, "gnu"),
        ("ubuntu:24.04", True, "gnu"),
        ("alpine:3.20", False, "busybox"),
        ("python:3.12-alpine", False, "busybox"),
        ("gcr.io/distroless/static-debian12", False, ""),
        ("scratch", False, ""),
    ],
)
def test_bash_and_wget_per_family(ref: str, bash: bool, wget: str) -> None:
    """DOP305 adds a bash SHELL only where bash exists; DOP213 adds --progress only to GNU wget."""
    from optimizer.analysis.knowledge import family_has_bash, family_wget

    fam = knowledge.family_of(ref)
    assert fam is not None
    assert family_has_bash(fam.name) is bash and family_wget(fam.name) == wget
    assert family_has_bash("no-such-family") is False and family_wget("no-such-family") == ""
