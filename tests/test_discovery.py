"""Directory search: Dockerfile names, --include/extend-include, .gitignore/.ignore/.git/info/exclude,
--no-respect-gitignore, exclude and --force-exclude."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.app.files import is_dockerfile_name

from .test_cli import MERGEABLE, dopt, write


def found(*args: str, cwd: Path | None = None) -> list[str]:
    r = dopt("rewrite", "--check", *args, cwd=cwd)
    assert r.returncode in (0, 1), r.stderr
    prefix = b"would rewrite "
    return sorted(ln[len(prefix) :].decode() for ln in r.stderr.splitlines() if ln.startswith(prefix))


FOUND = [
    "Dockerfile",
    "Dockerfile-cuda",
    "Dockerfile_amd",
    "Dockerfile.nix",
    "Dockerfile-WINDOWS_LTSC2019",
    "Dockerfile_arm",
    "api.Dockerfile",
    "web-Dockerfile",
    "web_Dockerfile",
    "x.dockerfile",
    "x.DOCKERFILE",
    "y.DockerFile",
    "Containerfile",
    "Containerfile.prod",
    "dockerfile",  # plain, lower case (issue 25)
    "containerfile",
]
NOT_FOUND = [
    "Dockerfile.dockerignore",
    "api.Dockerfile.dockerignore",
    "Dockerfiles",
    "notaDockerfile",
    "dockerfile.md",
    "docker-compose.yml",
    "README.md",
]


@pytest.mark.parametrize("name", FOUND)
def test_names_found(name: str) -> None:
    assert is_dockerfile_name(name)


@pytest.mark.parametrize("name", NOT_FOUND)
def test_names_not_found(name: str) -> None:
    assert not is_dockerfile_name(name)


def test_directory_search_finds_the_names(tmp_path: Path) -> None:
    for name in FOUND + NOT_FOUND:
        write(tmp_path / "sub" / name, MERGEABLE)
    assert found(str(tmp_path)) == sorted(str(tmp_path / "sub" / n) for n in FOUND)


def test_include_and_extend_include(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", MERGEABLE)
    write(tmp_path / "build.df", MERGEABLE)
    write(tmp_path / "ci" / "Buildfile", MERGEABLE)
    assert found("--extend-include", "*.df", str(tmp_path)) == [
        str(tmp_path / "Dockerfile"),
        str(tmp_path / "build.df"),
    ]
    assert found("--include", "Build*", str(tmp_path)) == [str(tmp_path / "ci" / "Buildfile")]
    (tmp_path / ".git").mkdir()
    (tmp_path / ".dopt.toml").write_text('extend-include = ["*.df", "Buildfile"]\n')
    assert found(str(tmp_path)) == sorted(str(tmp_path / n) for n in ("Dockerfile", "build.df", "ci/Buildfile"))


def git_repo(tmp_path: Path) -> Path:
    names = [
        "Dockerfile",
        "build/Dockerfile",
        "svc/x.gen.Dockerfile",
        "svc/keep.gen.Dockerfile",
        "svc/out/Dockerfile",
        "scratch/Dockerfile",
        "local/Dockerfile",
        "deep/a/Dockerfile",
        "deep/b/Dockerfile",
    ]
    for n in names:
        write(tmp_path / n, MERGEABLE)
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local/\n")
    (tmp_path / ".gitignore").write_text("build/\n*.gen.Dockerfile\n!keep.gen.Dockerfile\ndeep/*/\n")
    (tmp_path / "deep" / ".gitignore").write_text("!b/\n")  # a deeper file re-includes
    (tmp_path / "svc" / ".gitignore").write_text("out/\n")
    (tmp_path / ".ignore").write_text("scratch/\n")
    return tmp_path


def test_gitignore_ignore_and_info_exclude(tmp_path: Path) -> None:
    root = git_repo(tmp_path)
    kept = ["Dockerfile", "svc/keep.gen.Dockerfile", "deep/b/Dockerfile"]
    assert found(str(root)) == sorted(str(root / n) for n in kept)
    # from a subfolder the repository's .gitignore still counts
    assert found(str(root / "svc")) == [str(root / "svc" / "keep.gen.Dockerfile")]
    everything = found("--no-respect-gitignore", str(root))
    assert len(everything) == 9
    (root / ".dopt.toml").write_text("respect-gitignore = false\n")
    assert len(found(str(root))) == 9
    assert len(found("--respect-gitignore", str(root))) == 3, "the command line wins"
    # a file named explicitly is processed even when ignored
    assert found(str(root / "build" / "Dockerfile")) == [str(root / "build" / "Dockerfile")]


def test_gitignore_outside_a_repository_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / "build" / "Dockerfile", MERGEABLE)
    write(tmp_path / "scratch" / "Dockerfile", MERGEABLE)
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / ".ignore").write_text("scratch/\n")
    assert found(str(tmp_path)) == [str(tmp_path / "build" / "Dockerfile")]  # .ignore counts everywhere


def test_force_exclude(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".dopt.toml").write_text('exclude = ["vendor"]\n')
    vendored = write(tmp_path / "vendor" / "x" / "Dockerfile", MERGEABLE)
    mine = write(tmp_path / "Dockerfile", MERGEABLE)
    assert found(str(tmp_path)) == [str(mine)]
    assert found(str(vendored), str(mine)) == [str(mine), str(vendored)], "named files are kept by default"
    assert found("--force-exclude", str(vendored), str(mine)) == [str(mine)]
    assert found("--force-exclude", "--exclude", "Dockerfile", str(mine)) == []
    (tmp_path / ".dopt.toml").write_text('exclude = ["vendor"]\nforce-exclude = true\n')
    assert found(str(vendored), str(mine)) == [str(mine)]
