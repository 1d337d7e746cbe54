"""Every command-line option and configuration key, declared once.

From this table come: the fast argv parser of ``entry.py`` (no typer import, for editors), the typer
commands of ``cli.py`` (built from each command's rows through the function's ``__signature__``), the
command-line values that override the configuration files (``cli_overrides``), and the keys a
configuration file may hold with their expected types (``config_keys``).

Kinds: ``list`` (repeatable, comma-separated), ``multi`` (repeatable, taken whole), ``flag`` (``--x``),
``switch`` (``--x/--no-x``, unset = ``None``), ``str``, ``path``, ``int`` (``>= 0``), ``choice`` (checked by
``bad_choice``); positionals ``args`` (any number) and ``arg`` (exactly one); configuration-file-only
``table`` and ``version``.
"""

from __future__ import annotations

from typing import Any

from optimizer.app.formats import FORMATS
from optimizer.records import record

LINT = frozenset({"rewrite", "check", "verify", "batch", "server"})
FIXING = frozenset({"rewrite", "check", "verify", "batch"})
FILES = frozenset({"rewrite", "check"})
BUILDERS = ("docker", "podman", "buildah")
FAILURE_THRESHOLDS = ("error", "warning", "info", "style", "ignore", "none")  # hadolint's levels, most severe first


@record(frozen=True)
class Option:
    dest: str  # the keyword the command receives
    flags: tuple[str, ...]  # () for positionals and configuration-only keys
    kind: str
    help: str
    commands: frozenset[str] = frozenset()
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    default: Any = None
    config: str | None = None  # the key in configuration files
    cli_key: str | None = None  # the configuration key a command-line value sets (default: ``config``)
    negative: str | None = None  # a switch's --no- flag
    selectors: bool = False  # a list of rule selectors (codes, prefixes, names, hadolint codes)
    required: bool = False

    @property
    def takes_value(self) -> bool:
        return self.kind in ("list", "multi", "str", "path", "int", "choice")

    @property
    def override_key(self) -> str | None:
        return self.cli_key or self.config


_SEL = "Rule codes, code prefixes (DOP1), rule names or hadolint codes (DL3059), comma-separated"

OPTIONS: tuple[Option, ...] = (
    # positionals
    Option(
        "paths", (), "args", "Files or directories (default: `.`); `-` reads standard input.", FILES, metavar="PATH"
    ),
    Option("path", (), "arg", "The Dockerfile to verify.", frozenset({"verify"}), metavar="DOCKERFILE", required=True),
    Option(
        "file_list",
        (),
        "optional-arg",
        "A file with one Dockerfile path per line (`-`: standard input); with --verify a line may be "
        "`path<TAB>context<TAB>smoke command`.",
        frozenset({"batch"}),
        metavar="FILE_LIST",
    ),
    # what the command does
    Option(
        "diff",
        ("--diff",),
        "flag",
        "Print a unified diff of the fixes; write nothing (with --verify: the diff of the verified rewrite).",
        FILES,
    ),
    Option("check", ("--check",), "flag", "List the files that would change; write nothing.", frozenset({"rewrite"})),
    Option("fix", ("--fix",), "flag", "Apply the fixes, then report what is left.", frozenset({"check"})),
    Option(
        "fix_only",
        ("--fix-only",),
        "flag",
        "Apply the fixes and report nothing about the findings left.",
        frozenset({"check"}),
    ),
    Option(
        "exit_non_zero_on_fix",
        ("--exit-non-zero-on-fix",),
        "flag",
        "Exit 1 when a fix was applied, even if no finding is left.",
        frozenset({"check"}),
    ),
    Option(
        "show_settings",
        ("--show-settings",),
        "flag",
        "Print the settings resolved for the first file (configuration file, rules, options) and exit.",
        FILES,
    ),
    Option("show_files", ("--show-files",), "flag", "List the files that would be processed and exit.", FILES),
    Option(
        "verify",
        ("--verify",),
        "flag",
        "Build before and after; write only a rewrite that builds and works (leaving out the fixes that break it).",
        frozenset({"rewrite"}),
    ),
    Option(
        "verify",
        ("--verify",),
        "flag",
        "Prove each file: build the original and the rewrite, smoke test, health check and run-time parity, as "
        "`dopt verify` does (one builder store per task).",
        frozenset({"batch"}),
    ),
    Option(
        "keep_proven",
        ("--keep-proven",),
        "flag",
        "With --verify: when the rewrite fails, hold back the fixes that break it and prove the rest "
        "(verify --bisect).",
        frozenset({"batch"}),
    ),
    # rule selection (configuration keys too)
    Option(
        "select", ("--select",), "list", f"{_SEL}: the rules to run.", LINT, "CODES", config="select", selectors=True
    ),
    Option(
        "extend_select",
        ("--extend-select",),
        "list",
        "Rules to run on top of the configured selection.",
        LINT,
        "CODES",
        config="extend-select",
        selectors=True,
    ),
    Option(
        "ignore",
        ("--ignore",),
        "list",
        f"{_SEL}: the rules not to run (added to the configured ones).",
        LINT,
        "CODES",
        config="ignore",
        cli_key="extend-ignore",
        selectors=True,
    ),
    Option("extend_ignore", (), "list", "More rules not to run.", config="extend-ignore", selectors=True),
    Option(
        "fixable",
        ("--fixable",),
        "list",
        "The rules whose findings may be fixed (default: all).",
        FIXING,
        "CODES",
        config="fixable",
        selectors=True,
    ),
    Option(
        "unfixable",
        ("--unfixable",),
        "list",
        "The rules whose findings are never fixed.",
        FIXING,
        "CODES",
        config="unfixable",
        selectors=True,
    ),
    Option(
        "unsafe_fixes",
        ("--unsafe-fixes",),
        "switch",
        "Also apply the fixes that may change what the image does.",
        FIXING,
        config="unsafe-fixes",
        negative="--no-unsafe-fixes",
    ),
    Option(
        "cache_mounts",
        ("--cache-mounts",),
        "switch",
        "Keep package-manager caches in BuildKit cache mounts (RUN --mount=type=cache) instead of deleting them.",
        FIXING,
        config="cache-mounts",
        negative="--no-cache-mounts",
    ),
    Option("per_file_ignores", (), "table", "Rules not to run per file glob.", config="per-file-ignores"),
    Option("required_version", (), "version", "The dopt versions this configuration needs.", config="required-version"),
    Option(
        "hadolint_config",
        (),
        "bool",
        "Read .hadolint.yaml/.hadolint.yml (ignored:, override:) below this configuration (default: true).",
        config="hadolint-config",
    ),
    # which files
    Option(
        "include",
        ("--include",),
        "list",
        "File name patterns that directory search finds (replaces the default Dockerfile patterns).",
        FILES,
        "GLOBS",
        config="include",
    ),
    Option(
        "extend_include",
        ("--extend-include",),
        "list",
        "File name patterns directory search finds besides the default ones.",
        FILES,
        "GLOBS",
        config="extend-include",
    ),
    Option(
        "exclude",
        ("--exclude",),
        "list",
        "Paths and globs to skip in directory search (replaces the configured list).",
        FILES,
        "GLOBS",
        config="exclude",
    ),
    Option(
        "extend_exclude",
        ("--extend-exclude",),
        "list",
        "More paths and globs to skip in directory search.",
        FILES,
        "GLOBS",
        config="extend-exclude",
    ),
    Option(
        "respect_gitignore",
        ("--respect-gitignore",),
        "switch",
        "Skip what .gitignore, .ignore and .git/info/exclude ignore during directory search (default: yes).",
        FILES,
        config="respect-gitignore",
        negative="--no-respect-gitignore",
    ),
    Option(
        "force_exclude",
        ("--force-exclude",),
        "switch",
        "Apply the exclusions to files named on the command line too (as pre-commit passes them).",
        FILES,
        config="force-exclude",
        negative="--no-force-exclude",
    ),
    Option(
        "context",
        ("--context",),
        "path",
        "The build context for the rules that read it (default: each Dockerfile's folder).",
        frozenset({"rewrite", "check", "verify"}),
        "DIR",
        cli_key="context",
    ),
    Option(
        "target",
        ("--target",),
        "str",
        "The stage that is built (as `docker build --target`): the final stage for every rule (default: the one a "
        "compose file beside or above the context builds this Dockerfile with, else the last stage).",
        frozenset({"rewrite", "check", "verify"}),
        "STAGE",
        config="target",
    ),
    # how it runs and reports
    Option(
        "output_format",
        ("--output-format",),
        "choice",
        "How findings are printed.",
        frozenset({"check"}),
        "FORMAT",
        choices=FORMATS,
        default="text",
    ),
    Option(
        "output_file",
        ("--output-file", "-o"),
        "path",
        "Write the findings (check) or the verify report (verify, rewrite --verify) to this file instead of "
        "standard output.",
        frozenset({"check", "rewrite", "verify"}),
        "FILE",
    ),
    Option(
        "exit_zero",
        ("--exit-zero", "-e"),
        "flag",
        "Exit 0 even when there are findings (errors still exit 2).",
        frozenset({"check"}),
    ),
    Option(
        "failure_threshold",
        ("--failure-threshold",),
        "choice",
        "Exit 1 only for findings at this level or above (error, warning, info, style; ignore or none: never), as "
        "hadolint's failure-threshold (default: every finding).",
        frozenset({"check"}),
        "LEVEL",
        choices=FAILURE_THRESHOLDS,
        config="failure-threshold",
    ),
    Option("statistics", ("--statistics",), "flag", "Print the number of findings per rule.", frozenset({"check"})),
    Option(
        "show_fixes",
        ("--show-fixes",),
        "flag",
        "List the fixes applied, per file and rule (on stderr).",
        FILES,
    ),
    Option("quiet", ("--quiet", "-q"), "flag", "Print only errors (and the diff or findings asked for).", FIXING),
    Option(
        "verbose",
        ("--verbose", "-v"),
        "flag",
        "Say which configuration file each file uses and how long each file took (on stderr).",
        FILES,
    ),
    Option("stdin_filename", ("--stdin-filename",), "str", "The name of the file read from `-`.", FILES, "NAME"),
    Option(
        "color",
        ("--color",),
        "switch",
        "Colour the findings and diffs (default: on a terminal, unless NO_COLOR).",
        FILES,
        negative="--no-color",
    ),
    Option(
        "jobs",
        ("--jobs", "-j"),
        "int",
        "Worker processes for many files (0 or unset: the number of CPUs).",
        frozenset({"rewrite", "check", "batch"}),
        "N",
    ),
    Option(
        "config",
        ("--config",),
        "multi",
        "A configuration file for every file, or a TOML `KEY = VALUE` overriding one setting (repeatable).",
        LINT,
        "FILE|KEY=VALUE",
    ),
    Option(
        "isolated",
        ("--isolated",),
        "flag",
        "Ignore every configuration file (dopt's and hadolint's).",
        LINT,
    ),
    # verify
    Option(
        "builder",
        ("--builder",),
        "choice",
        "docker, podman or buildah (default: $DOPT_BUILDER, else the first installed that has the base images, "
        "in that order).",
        frozenset({"rewrite", "verify", "batch"}),
        "BUILDER",
        choices=BUILDERS,
    ),
    Option(
        "smoke",
        ("--smoke",),
        "str",
        "A command to run in both images, e.g. \"python -c 'import app'\".",
        frozenset({"rewrite", "verify", "batch"}),
        "COMMAND",
    ),
    Option(
        "bisect", ("--bisect",), "flag", "When the rewrite fails, find the fixes to leave out.", frozenset({"verify"})
    ),
    Option(
        "no_health",
        ("--no-health",),
        "flag",
        "Do not start the service to probe its HEALTHCHECK.",
        frozenset({"rewrite", "verify", "batch"}),
    ),
    Option(
        "run_seconds",
        ("--run-seconds",),
        "int",
        "Run each image's own CMD/ENTRYPOINT this long and compare (still running, exit code, output, what it "
        "writes; default 20); 0 turns the run-time parity check off.",
        frozenset({"rewrite", "verify", "batch"}),
        "SECONDS",
        default=20,
    ),
    Option(
        "attribute",
        ("--attribute",),
        "flag",
        "When the rewrite works, build it once per rule left out: bytes saved per rule.",
        frozenset({"rewrite", "verify", "batch"}),
    ),
    Option(
        "layers",
        ("--layers",),
        "flag",
        "Show each image's layers: size, the instruction that made it, its largest folders and the rule that "
        "would cut them.",
        frozenset({"rewrite", "verify"}),
    ),
    Option(
        "format",
        ("--format", "--output-format"),
        "choice",
        "How the verify report is printed: text, json, markdown (a pull-request body), or html (one "
        "self-contained page with the layers of both images; implies --layers).",
        frozenset({"rewrite", "verify"}),
        "FORMAT",
        choices=("text", "json", "markdown", "html"),
        default="text",
    ),
    # batch
    Option(
        "jsonl",
        ("--jsonl",),
        "path",
        "Append one JSON line per file here; run again to resume.",
        frozenset({"batch"}),
        "FILE",
    ),
    Option(
        "report",
        ("--report",),
        "path",
        "Summarize a `batch --verify` output instead: files proven, held back and failed, bytes saved, the rules "
        "held back most often and why, the slowest builds.",
        frozenset({"batch"}),
        "OUT.jsonl",
    ),
    Option(
        "report_format",
        ("--output-format",),
        "choice",
        "How --report prints: markdown or json.",
        frozenset({"batch"}),
        "FORMAT",
        choices=("markdown", "json"),
        default="markdown",
    ),
    Option(
        "executor",
        ("--executor",),
        "choice",
        "local processes, or Ray tasks.",
        frozenset({"batch"}),
        "EXECUTOR",
        choices=("local", "ray"),
        default="local",
    ),
    # rules, explain
    Option(
        "output_format",
        ("--output-format",),
        "choice",
        "text or json.",
        frozenset({"rules"}),
        "FORMAT",
        choices=("text", "json"),
        default="text",
    ),
    Option(
        "code",
        (),
        "optional-arg",
        "A rule code (DOP101), name, or hadolint code (DL3059).",
        frozenset({"explain"}),
        metavar="CODE",
    ),
    Option("all", ("--all",), "flag", "Every rule's documentation, as one Markdown document.", frozenset({"explain"})),
    Option(
        "address",
        ("--address",),
        "str",
        "The Ray cluster to join (default: start one).",
        frozenset({"batch"}),
        "ADDRESS",
    ),
)

_TYPE_TEXT = {
    "list": "a list of strings",
    "switch": "a boolean",
    "flag": "a boolean",
    "bool": "a boolean",
    "table": "a table of glob = list of strings",
    "version": 'a version specifier string such as ">=0.1"',
}


def for_command(command: str) -> list[Option]:
    return [o for o in OPTIONS if command in o.commands]


def config_keys() -> dict[str, str]:
    """The keys of a configuration file (besides per-rule tables) and what each must be."""
    return {o.config: _type_text(o) for o in OPTIONS if o.config is not None}


def _type_text(o: Option) -> str:
    if o.kind == "choice":
        return "one of " + ", ".join(f'"{c}"' for c in o.choices)
    return _TYPE_TEXT.get(o.kind, "a string")


def defaults(command: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for o in for_command(command):
        if o.kind in ("list", "multi", "args"):
            out[o.dest] = []
        elif o.kind == "flag":
            out[o.dest] = False
        else:
            out[o.dest] = o.default
    return out


def normalize(command: str, values: dict[str, Any]) -> dict[str, Any]:
    """The command's options with every unset one at its default (lists as lists, never None)."""
    out = defaults(command)
    for k, v in values.items():
        if v is None:
            continue
        out[k] = list(v) if isinstance(v, (list, tuple)) else v
    return out


def split(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated values, in order, without duplicates."""
    out: list[str] = []
    for v in values or []:
        for part in v.split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def cli_overrides(opts: dict[str, Any]) -> dict[str, Any]:
    """Command-line values keyed like the configuration (None: not given, the file decides)."""
    import os

    out: dict[str, Any] = {}
    for o in OPTIONS:
        key = o.override_key
        if key is None or o.dest not in opts:
            continue
        v = opts[o.dest]
        if o.kind == "list":
            v = split(v) or None
        elif o.kind == "flag":
            v = True if v else None
        elif o.kind == "path" and v:
            v = os.path.abspath(v)
        out[key] = v
    return out


def bad_choice(command: str, opts: dict[str, Any]) -> str | None:
    """The usage error for a value outside an option's choices (one line), or None."""
    for o in for_command(command):
        value = opts.get(o.dest)
        if o.kind == "choice" and value is not None and value not in o.choices:
            what = o.flags[0].lstrip("-").replace("-", " ")
            return f"unknown {what} {value!r}; choose one of {', '.join(o.choices)}"
    return None


def selector_values(opts: dict[str, Any]) -> set[str]:
    """Every rule selector given on the command line (to check them before any work)."""
    out: set[str] = set()
    for o in OPTIONS:
        if o.selectors and o.dest in opts:
            out |= set(split(opts[o.dest]))
    return out


def parse_fast(argv: list[str], commands: tuple[str, ...] = ("rewrite", "check")) -> tuple[str, dict[str, Any]] | None:
    """Parse ``argv`` with the table, or None to let the full CLI handle it (help, a typo, a bad value)."""
    if not argv or argv[0] not in commands:
        return None
    command = argv[0]
    table = for_command(command)
    by_flag: dict[str, tuple[Option, bool]] = {}
    for o in table:
        for f in o.flags:
            by_flag[f] = (o, True)
        if o.negative:
            by_flag[o.negative] = (o, False)
    opts: dict[str, Any] = {}
    paths: list[str] = []
    args = iter(argv[1:])
    only_paths = False
    for a in args:
        if only_paths or a == "-" or not a.startswith("-"):
            paths.append(a)
            continue
        if a == "--":
            only_paths = True
            continue
        if a.startswith("--"):
            name, eq, value = a.partition("=")
        elif len(a) > 2:  # -j4
            name, eq, value = a[:2], "=", a[2:]
        else:
            name, eq, value = a, "", ""
        spec = by_flag.get(name)
        if spec is None:
            return None
        o, positive = spec
        if not o.takes_value:
            if eq:
                return None
            opts[o.dest] = positive
            continue
        if not eq:
            nxt = next(args, None)
            if nxt is None:
                return None
            value = nxt
        if o.kind == "int":
            if not value.isdigit():
                return None
            opts[o.dest] = int(value)
        elif o.kind in ("list", "multi"):
            opts.setdefault(o.dest, []).append(value)
        else:
            opts[o.dest] = value
    opts["paths"] = paths
    return command, normalize(command, opts)
