"""Machine-readable output: json, sarif (validated against the official schema), github, rdjson."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli import dopt

SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-rtm.5.json"
TEXT = 'FROM debian:bookworm\nRUN echo "é,x:%\\n"\nRUN pip install flask==3.0.3\nMAINTAINER a\n'
# so that the two RUNs above are a DOP101 finding; ShellCheck's SC2028 (echo with \n) is not what these tests are about
ALWAYS_MERGE = 'extend-ignore = ["SC2028"]\n[merge-consecutive-runs]\nmerge = "always"\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".dopt.toml").write_text(ALWAYS_MERGE)
    f = tmp_path / "svc" / "api" / "Dockerfile"
    f.parent.mkdir(parents=True)
    f.write_text(TEXT)
    return f


def test_sarif_is_valid_and_repo_relative(project: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    r = dopt("check", "--output-format", "sarif", str(project))
    assert r.returncode == 1
    log = json.loads(r.stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    run = log["runs"][0]
    assert {x["id"] for x in run["tool"]["driver"]["rules"]} >= {"DOP101", "DOP205", "DOP302"}
    assert all(x["help"]["text"] for x in run["tool"]["driver"]["rules"])
    results = run["results"]
    assert [x["ruleId"] for x in results] == ["DOP101", "DOP205", "DOP302"]
    loc = results[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "svc/api/Dockerfile"
    assert loc["region"]["startLine"] == 3
    # the fix of a safe finding is there, with its replacements
    (fix,) = results[1]["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["replacements"][0]["insertedContent"]["text"] == " --no-cache-dir"


def test_github_annotations_escape(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".dopt.toml").write_text(ALWAYS_MERGE)
    f = tmp_path / "a,b:c%.Dockerfile"
    f.write_text(TEXT)
    r = dopt("check", "--output-format", "github", str(f))
    lines = r.stdout.decode().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"::warning file={str(tmp_path)}/a%2Cb%3Ac%25.Dockerfile,line=3,col=1,")
    assert ",title=DOP101 merge-consecutive-runs::Consecutive RUN" in lines[0]
    assert not lines[0].endswith("[*]"), "no `--fix` mark in an annotation"


def test_github_escapes_message_data() -> None:
    from optimizer.app.formats import github_line

    loc = {"row": 1, "column": 1, "byte_column": 1}
    rec = {
        "filename": "D",
        "code": "DOP101",
        "name": "n",
        "message": "50% done\nnext",
        "location": loc,
        "end_location": loc,
        "fixable": False,
        "fix": None,
    }
    assert github_line(rec).endswith("::50%25 done%0Anext")


def test_rdjson_counts_bytes_and_suggests(project: Path) -> None:
    r = dopt("check", "--output-format", "rdjson", str(project))
    doc = json.loads(r.stdout)
    assert doc["source"]["name"] == "dopt"
    merge = doc["diagnostics"][0]
    assert merge["code"]["value"] == "DOP101"
    # the merge inserts after `RUN echo "é,x:%\n"`: 18 characters, 19 bytes (é is two)
    assert merge["suggestions"][0]["range"]["start"] == {"line": 2, "column": 20}
    assert merge["suggestions"][0]["text"] == " && \\"


def test_json_keeps_its_shape(project: Path) -> None:
    r = dopt("check", "--output-format", "json", str(project))
    recs = json.loads(r.stdout)
    assert recs[0]["location"] == {"row": 3, "column": 1}
    assert recs[0]["fix"]["edits"][0]["location"] == {"row": 2, "column": 19}
    assert set(recs[0]) == {
        "filename",
        "code",
        "name",
        "message",
        "location",
        "end_location",
        "fix",
        "fixable",
        "severity",
    }
    assert recs[0]["severity"] == "warning"


def test_build_breaking_findings_are_errors(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    f = tmp_path / "Dockerfile"
    f.write_text("FROM debian:bookworm\nRUNN echo hi\nMAINTAINER a\n")
    github = dopt("check", "--output-format", "github", str(f)).stdout.decode().splitlines()
    assert [line.split(" ", 1)[0] for line in github] == ["::error", "::warning"]
    log = json.loads(dopt("check", "--output-format", "sarif", str(f)).stdout)
    levels = [(x["ruleId"], x["level"]) for x in log["runs"][0]["results"]]
    assert levels == [("DOP001", "error"), ("DOP302", "warning")]
    rules = {x["id"]: x["defaultConfiguration"]["level"] for x in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["DOP001"] == "error" and rules["DOP101"] == "warning"
    rd = json.loads(dopt("check", "--output-format", "rdjson", str(f)).stdout)
    assert [d["severity"] for d in rd["diagnostics"]] == ["ERROR", "WARNING"]


GITLAB_SCHEMA = Path(__file__).parent / "data" / "gitlab-codeclimate.json"
JUNIT_XSD = Path(__file__).parent / "data" / "junit-10.xsd"


def test_gitlab_code_quality_passes_gitlabs_own_schema(project: Path) -> None:
    """Every entry must pass the schema GitLab checks each Code Quality entry against before showing it."""
    jsonschema = pytest.importorskip("jsonschema")
    twin = project.parent / "Dockerfile.worker"
    twin.write_text(TEXT + "RUN pip install flask==3.0.3\n")  # the same finding twice in one file
    r = dopt("check", "--output-format", "gitlab", str(project), str(twin))
    assert r.returncode == 1
    issues = json.loads(r.stdout)
    assert isinstance(issues, list) and len(issues) == 7
    schema = json.loads(GITLAB_SCHEMA.read_text())
    for issue in issues:
        jsonschema.validate(issue, schema)
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert [i["check_name"] for i in issues[:3]] == ["DOP101", "DOP205", "DOP302"]
    assert issues[0]["location"]["path"] == "svc/api/Dockerfile"  # relative to the repository
    assert issues[0]["location"]["positions"]["begin"] == {"line": 3, "column": 1}
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints), "two identical findings in a file stay distinct"
    # a finding that only moved keeps its fingerprint (GitLab compares the branch with its base)
    project.write_text("# a new first line\n" + TEXT)
    moved = json.loads(dopt("check", "--output-format", "gitlab", str(project)).stdout)
    assert [i["fingerprint"] for i in moved] == fingerprints[:3]
    assert moved[0]["location"]["positions"]["begin"]["line"] == 4


def test_junit_validates_and_reads_back(project: Path) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    junitparser = pytest.importorskip("junitparser")
    clean = project.parent / "clean.Dockerfile"
    clean.write_text('FROM debian:bookworm\nUSER nobody\nCMD ["bash"]\n')
    broken = project.parent / "broken.Dockerfile"
    broken.write_text("FROM a\nRUN <<EOF\n")
    out = project.parent / "report.xml"
    r = dopt("check", "--output-format", "junit", "-o", str(out), str(project), str(clean), str(broken))
    assert r.returncode == 2  # the broken file
    assert r.stdout == b""  # --output-file: nothing on stdout
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(out))
    xml = junitparser.JUnitXml.fromfile(str(out))
    suites = {s.name: s for s in xml}
    assert set(suites) == {str(project), str(clean)}, "a file that could not be read is no suite"
    assert (suites[str(project)].tests, suites[str(project)].failures) == (3, 3)
    assert (suites[str(clean)].tests, suites[str(clean)].failures) == (1, 0)
    cases = list(suites[str(project)])
    assert [c.result[0].type for c in cases] == ["DOP101", "DOP205", "DOP302"]
    assert cases[0].result[0].message.startswith("Consecutive RUN instructions")


def test_hadolint_override_sets_severities(project: Path) -> None:
    (project.parent / ".hadolint.yaml").write_text("override:\n  error: [DL3059]\n  info: [DL4000]\n")
    recs = json.loads(dopt("check", "--output-format", "json", str(project)).stdout)
    assert [(x["code"], x["severity"]) for x in recs] == [
        ("DOP101", "error"),
        ("DOP205", "warning"),
        ("DOP302", "info"),
    ]
    gh = dopt("check", "--output-format", "github", str(project)).stdout.decode().splitlines()
    assert [line.split(" ", 1)[0] for line in gh] == ["::error", "::warning", "::notice"]
    sarif = json.loads(dopt("check", "--output-format", "sarif", str(project)).stdout)
    assert [x["level"] for x in sarif["runs"][0]["results"]] == ["error", "warning", "note"]
    gl = json.loads(dopt("check", "--output-format", "gitlab", str(project)).stdout)
    assert [x["severity"] for x in gl] == ["critical", "major", "minor"]
    config = project.parent.parent.parent / ".dopt.toml"
    config.write_text("hadolint-config = false\n" + config.read_text())  # the dopt configuration says otherwise
    recs = json.loads(dopt("check", "--output-format", "json", str(project)).stdout)
    assert [x["severity"] for x in recs] == ["warning", "warning", "warning"]


def test_every_format_is_offered_everywhere() -> None:
    """formats.FORMATS is the one list: the option table, the fast path and the help all read it."""
    from optimizer.app import options
    from optimizer.app.formats import FORMATS

    (fmt,) = [o for o in options.for_command("check") if o.dest == "output_format"]
    assert fmt.choices == FORMATS
    assert "|".join(FORMATS) in dopt("check", "--help").stdout.decode()
