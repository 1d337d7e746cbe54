"""Configuration files, found upward from each Dockerfile to the repository root.

First found wins: ``.dopt.toml``, ``dopt.toml``, ``pyproject.toml`` with a ``[tool.dopt]`` table (a
pyproject without it is skipped). ``--config PATH`` uses one file for everything; ``--isolated``
uses none. Unknown keys and wrong types are errors that name the file, the key and the expected type.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from typing import Any

from optimizer import __version__
from optimizer.app.options import FAILURE_THRESHOLDS, OPTIONS, config_keys
from optimizer.core import selectors
from optimizer.core.settings import Settings
from optimizer.errors import ConfigError
from optimizer.records import field, record

CONFIG_NAMES = (".dopt.toml", "dopt.toml", "pyproject.toml")
HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")
HADOLINT_LEVELS = ("error", "warning", "info", "style")
TRUSTED_RULE = "DOP431"  # untrusted-registry: reads trustedRegistries
_LIST = "a list of strings"
KEYS: dict[str, str] = config_keys()  # from the option table: every key is declared once, in options.py
_SELECTOR_KEYS = tuple(o.config for o in OPTIONS if o.selectors and o.config)


@record(frozen=True)
class Config:
    path: str | None  # None: no configuration file
    root: str  # the folder its relative patterns are relative to
    values: dict[str, Any] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule code -> options

    def relative(self, path: str) -> str:
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return rel.replace(os.sep, "/")

    def ignores_for(self, path: str) -> set[str]:
        out: set[str] = set()
        rel = self.relative(path)
        for pattern, codes in self.values.get("per-file-ignores", {}).items():
            if _matches(rel, [pattern]):
                out |= set(codes)
        return out


def _matches(rel: str, patterns: list[str]) -> bool:
    parts = rel.split("/")
    for pattern in patterns:
        p = pattern.rstrip("/")
        if "/" in p.lstrip("/"):
            if fnmatch.fnmatchcase(rel, p.lstrip("/")) or fnmatch.fnmatchcase(rel, p.lstrip("/") + "/*"):
                return True
        elif any(fnmatch.fnmatchcase(part, p) for part in parts):
            return True
    return False


def _present(path: str) -> bool:
    return os.path.exists(path) and not os.path.isdir(path)


def _repo_root(start: str) -> str | None:
    d = start
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


CONFIG_BYTES = 4_000_000  # a configuration file larger than this is refused, not read


def _table(path: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):  # imported only when a file is found (cold start)
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    from optimizer.core.fileio import read_regular

    try:
        data = tomllib.loads(read_regular(path, CONFIG_BYTES).decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("not valid UTF-8", path=path) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"invalid TOML: {e}", path=path) from None
    except OSError as e:
        raise ConfigError(f"cannot read: {e.strerror or e}", path=path) from None
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("dopt") if isinstance(tool, dict) else None
        return dict(table) if isinstance(table, dict) else None
    return dict(data)


def load(path: str) -> Config:
    table = _table(path)
    if table is None:
        raise ConfigError("has no [tool.dopt] table", path=path)
    return _validate(path, table)


def _validate(path: str, table: dict[str, Any]) -> Config:
    from optimizer.core.registry import get_rule, rule_names

    values: dict[str, Any] = {}
    options: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if key in KEYS:
            _check_type(path, key, value)
            values[key] = value
            continue
        rule = get_rule(key) if isinstance(value, dict) else None
        if rule is None:
            hint = _near(key, [*KEYS, *(w for pair in rule_names() for w in pair)])
            if hint is not None:
                raise ConfigError(f"unknown key {key!r} (did you mean {hint!r}?)", path=path)
            known = ", ".join(sorted(KEYS))
            raise ConfigError(
                f"unknown key {key!r} (expected one of {known}, or a table named after a rule)", path=path
            )
        for opt, v in value.items():
            expected = rule.options.get(opt)
            if expected is None:
                hint = _near(opt, list(rule.options))
                raise ConfigError(
                    f"unknown option {key}.{opt}"
                    + (f" (did you mean {key}.{hint}?)" if hint else "")
                    + f" (the rule takes: {', '.join(sorted(rule.options)) or 'none'})",
                    path=path,
                )
            if not _is_type(v, expected):
                raise ConfigError(f"{key}.{opt} must be {expected}", path=path)
        options[rule.code] = dict(value)
    for key in _SELECTOR_KEYS:
        selectors.check(values.get(key, []), path, selecting=key in selectors.SELECTING)
    for codes in values.get("per-file-ignores", {}).values():
        selectors.check(codes, path)
    required = values.get("required-version")
    if required is not None and not version_matches(__version__, required):
        raise ConfigError(f"required-version {required!r} does not match dopt {__version__}", path=path)
    return Config(path, os.path.dirname(os.path.abspath(path)), values, options)


def _near(word: str, words: list[str]) -> str | None:
    """The closest of ``words`` for a "did you mean" (None when none is close)."""
    import difflib

    close = difflib.get_close_matches(word, words, n=1, cutoff=0.7)
    if not close and word.upper() != word:
        close = difflib.get_close_matches(word.upper(), [w for w in words if w.isupper()], n=1, cutoff=0.7)
    return close[0] if close else None


def _toml(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    table: dict[str, Any] = tomllib.loads(text)
    return table


def config_arguments(values: list[str]) -> tuple[str | None, dict[str, Any]]:
    """The ``--config`` values, read as ruff reads them: one that contains ``=`` and is valid TOML
    (``select = ["DOP1"]``, ``merge-consecutive-runs.merge = "always"``) overrides settings; any other
    names the configuration file (at most one)."""
    path: str | None = None
    inline: dict[str, Any] = {}
    for value in values:
        table = None
        if "=" in value:
            try:
                table = _toml(value)
            except ValueError:
                table = None
        if table is None:
            if path is not None and path != value:
                raise ConfigError(f"--config: two configuration files given ({path}, {value}); give one")
            path = value
            continue
        _merge(inline, table)
    return path, inline


def _merge(into: dict[str, Any], table: dict[str, Any]) -> None:
    for k, v in table.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v


def _is_type(value: Any, expected: str) -> bool:
    if expected == _LIST:
        return isinstance(value, list) and all(isinstance(x, str) for x in value)
    if expected == "a boolean":
        return isinstance(value, bool)
    if expected == "an integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected.startswith("one of "):
        return isinstance(value, str) and f'"{value}"' in expected
    if expected.startswith("a table"):
        return isinstance(value, dict) and all(_is_type(v, _LIST) for v in value.values())
    return isinstance(value, str)


def _check_type(path: str, key: str, value: Any) -> None:
    if not _is_type(value, KEYS[key]):
        raise ConfigError(f"{key} must be {KEYS[key]}, not {type(value).__name__}", path=path)


def version_matches(version: str, spec: str) -> bool:
    """``>=0.1``, ``==0.1.0``, ``<1``, ``0.1.0`` (exact), or several separated by commas."""

    def parse(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", v)[:3]) + (0,) * (3 - len(re.findall(r"\d+", v)[:3]))

    have = parse(version)
    for part in spec.split(","):
        m = re.fullmatch(r"\s*(>=|<=|==|!=|>|<|~=)?\s*([0-9][0-9.]*)\s*", part)
        if not m:
            raise ConfigError(f"cannot read the version specifier {spec!r}")
        op, want = m.group(1) or "==", parse(m.group(2))
        ok = {
            ">=": have >= want,
            "<=": have <= want,
            "==": have == want,
            "!=": have != want,
            ">": have > want,
            "<": have < want,
            "~=": have >= want and have[0] == want[0],
        }[op]
        if not ok:
            return False
    return True


@record(frozen=True)
class HadolintConfig:
    """What dopt takes from a .hadolint.yaml: ``ignored`` codes, ``override`` severities, ``trustedRegistries``
    (for DOP431) and ``failure-threshold``; ``warnings`` name the keys dopt does not use."""

    path: str
    ignored: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # hadolint code -> error|warning|info|style
    trusted: tuple[str, ...] = ()
    failure_threshold: str | None = None
    warnings: tuple[str, ...] = ()


# hadolint's keys that dopt does not read, and what to use instead
HADOLINT_UNUSED = {
    "no-fail": "use `dopt check --exit-zero`",
    "no-color": "use `--no-color` or NO_COLOR",
    "format": "use `--output-format`",
    "verbose": "dopt has no verbose mode",
    "disable-ignore-pragma": "dopt always honours `# hadolint ignore=` pragmas",
    "label-schema": "dopt has no label checks (DL3048-DL3058)",
    "strict-labels": "dopt has no label checks (DL3048-DL3058)",
}
HADOLINT_KEYS = ("failure-threshold", "ignored", "override", "trustedRegistries", *HADOLINT_UNUSED)


def load_hadolint(path: str) -> HadolintConfig:
    try:
        import yaml
    except ImportError:  # pragma: no cover - a dependency
        raise ConfigError("reading a hadolint configuration needs PyYAML: pip install pyyaml", path=path) from None
    from optimizer.core.fileio import read_regular

    try:
        data = yaml.safe_load(read_regular(path, CONFIG_BYTES).decode("utf-8", errors="replace")) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"invalid YAML: {e}".splitlines()[0], path=path) from None
    except OSError as e:
        raise ConfigError(f"cannot read: {e.strerror or e}", path=path) from None
    if not isinstance(data, dict):
        raise ConfigError("must be a mapping", path=path)
    warnings: list[str] = []
    for key in data:
        if key in HADOLINT_UNUSED:
            warnings.append(f"{path}: `{key}` is not used by dopt ({HADOLINT_UNUSED[key]})")
        elif key not in HADOLINT_KEYS:
            import difflib

            near = difflib.get_close_matches(str(key), HADOLINT_KEYS, n=1, cutoff=0.6)
            hint = f" (did you mean `{near[0]}`?)" if near else f" (hadolint's keys: {', '.join(HADOLINT_KEYS)})"
            warnings.append(f"{path}: unknown key `{key}`{hint}; it is ignored")
    ignored = data.get("ignored") or []
    if not _is_type(ignored, _LIST):
        raise ConfigError("ignored must be a list of strings", path=path)
    severity: dict[str, str] = {}
    override = data.get("override") or {}
    if not isinstance(override, dict):
        raise ConfigError("override must be a mapping of error/warning/info/style to lists of codes", path=path)
    for level, codes in override.items():
        if level not in HADOLINT_LEVELS or not _is_type(codes or [], _LIST):
            raise ConfigError(f"override.{level}: expected one of {', '.join(HADOLINT_LEVELS)} with a list", path=path)
        for c in codes or []:
            severity[c.strip().upper()] = level
    trusted = data.get("trustedRegistries") or []
    if not _is_type(trusted, _LIST):
        raise ConfigError("trustedRegistries must be a list of strings", path=path)
    threshold = data.get("failure-threshold")
    if threshold is not None and threshold not in FAILURE_THRESHOLDS:
        raise ConfigError(f"failure-threshold must be one of {', '.join(FAILURE_THRESHOLDS)}", path=path)
    return HadolintConfig(
        path,
        tuple(c.strip().upper() for c in ignored),
        severity,
        tuple(t.strip() for t in trusted if t.strip()),
        threshold,
        tuple(warnings),
    )


class Resolver:
    """Finds the configuration for each Dockerfile (cached per folder) and builds its Settings.

    Precedence: the command line, then the dopt configuration file, then a .hadolint.yaml/.yml (its
    ``ignored`` list counts when the dopt file sets no ``ignore``; ``hadolint-config = false`` turns it
    off), then the defaults. ``--isolated`` reads no file at all.
    """

    def __init__(
        self,
        cli: dict[str, Any],
        config_path: str | None = None,
        isolated: bool = False,
        inline: dict[str, Any] | None = None,
    ) -> None:
        self.cli = cli
        self.isolated = isolated
        self.fixed = load(config_path) if config_path else None
        # `--config KEY=VALUE`: over every configuration file, under the dedicated command-line options
        self.inline = _validate("--config", inline) if inline else None
        self._by_dir: dict[str, Config] = {}
        self._merged: dict[str | None, tuple[Config, Config]] = {}
        self._hadolint_by_dir: dict[str, HadolintConfig | None] = {}
        self._compose: dict[tuple[str, str | None], tuple[str | None, str | None]] = {}  # (file, context) -> target

    def _start(self, path: str) -> str:
        return os.path.dirname(os.path.abspath(path)) if path != "-" else os.getcwd()

    def config_for(self, path: str) -> Config:
        base = self._file_config(path)
        if self.inline is None:
            return base
        key = base.path if base.path is not None else base.root
        cached = self._merged.get(key)
        if cached is None or cached[0] is not base:
            rule_options = {code: dict(opts) for code, opts in base.rule_options.items()}
            for code, opts in self.inline.rule_options.items():
                rule_options.setdefault(code, {}).update(opts)
            cached = self._merged[key] = (
                base,
                Config(base.path, base.root, {**base.values, **self.inline.values}, rule_options),
            )
        return cached[1]

    def _file_config(self, path: str) -> Config:
        if self.fixed is not None:
            return self.fixed
        start = self._start(path)
        if self.isolated:
            found = self._by_dir.get(start)
            if found is None:
                found = self._by_dir[start] = Config(None, start)
            return found
        found = self._by_dir.get(start)
        if found is None:
            found = self._by_dir[start] = self._search(start)
        return found

    def _search(self, start: str) -> Config:
        stop = _repo_root(start)
        d = start
        while True:
            for name in CONFIG_NAMES:
                candidate = os.path.join(d, name)
                if _present(candidate):  # a FIFO or device of that name is an error, not skipped
                    table = _table(candidate)
                    if table is not None:
                        return _validate(candidate, table)
            parent = os.path.dirname(d)
            if d == stop or parent == d:
                return Config(None, stop or start)
            d = parent

    def hadolint_for(self, path: str) -> HadolintConfig | None:
        """The nearest .hadolint.yaml/.yml from the file's folder up to the repository root."""
        if self.isolated or self.value(path, "hadolint-config") is False:
            return None
        start = self._start(path)
        if start not in self._hadolint_by_dir:
            stop, d, found = _repo_root(start), start, None
            while found is None:
                for name in HADOLINT_NAMES:
                    if _present(os.path.join(d, name)):
                        found = load_hadolint(os.path.join(d, name))
                        break
                parent = os.path.dirname(d)
                if d == stop or parent == d:
                    break
                d = parent
            self._hadolint_by_dir[start] = found
        return self._hadolint_by_dir[start]

    def value(self, path: str, key: str) -> Any:
        """One setting for this file: the command line's, else the configuration file's (None: unset)."""
        if self.cli.get(key) is not None:
            return self.cli[key]
        return self.config_for(path).values.get(key)

    def settings_for(self, path: str) -> Settings:
        cfg = self.config_for(path)
        v = {**cfg.values}
        hado = self.hadolint_for(path)
        if hado is not None and "ignore" not in v:
            v["ignore"] = list(hado.ignored)
        for key, value in self.cli.items():
            if value is not None:
                v[key] = value
        select = v.get("select")
        sel = None if select is None else selectors.expand([*select, *v.get("extend-select", [])])
        ignore = selectors.expand([*v.get("ignore", []), *v.get("extend-ignore", []), *cfg.ignores_for(path)])
        target, target_source = self._target(path, v)
        rule_options = cfg.rule_options
        trusted_key = (TRUSTED_RULE, "trusted-registries")
        if hado is not None and hado.trusted and trusted_key[1] not in rule_options.get(trusted_key[0], {}):
            # hadolint's trustedRegistries, unless the dopt configuration sets the rule's own option
            own = {**rule_options.get(TRUSTED_RULE, {}), trusted_key[1]: list(hado.trusted)}
            rule_options = {**rule_options, TRUSTED_RULE: own}
        return Settings(
            select=sel,
            ignore=ignore,
            unsafe_fixes=bool(v.get("unsafe-fixes", False)),
            fixable=selectors.expand(v["fixable"]) if v.get("fixable") is not None else None,
            unfixable=selectors.expand(v.get("unfixable", [])),
            rule_options=rule_options,
            context=str(v["context"]) if v.get("context") else None,
            target=target,
            target_source=target_source,
            cache_mounts=bool(v.get("cache-mounts", False)),
        )

    def _target(self, path: str, v: dict[str, Any]) -> tuple[str | None, str | None]:
        """``target`` and ``target_source`` for Settings: the option's or configuration's, else the one a
        Compose file builds this Dockerfile with (see app/compose.py; not with --isolated or stdin)."""
        if v.get("target"):
            return str(v["target"]), None
        if self.isolated or path == "-" or not os.path.isfile(path):
            return None, None
        from optimizer.app.compose import compose_target

        context = str(v["context"]) if v.get("context") else None
        key = (os.path.abspath(path), context)
        if key not in self._compose:  # once per file and run (a language server asks on every change)
            start = os.path.abspath(context or os.path.dirname(os.path.abspath(path)))
            found = compose_target(path, context, _repo_root(start))
            if found is None:
                self._compose[key] = (None, None)
            elif found.target is None:
                note = f"{found.source} builds this Dockerfile, but its target is not used: {found.note}"
                self._compose[key] = (None, note)
            else:
                self._compose[key] = (found.target, found.source)
        return self._compose[key]

    def failure_threshold(self, path: str) -> str | None:
        """The least severe level a finding must have to make `check` exit 1 (``--failure-threshold``, the dopt
        configuration's ``failure-threshold``, else the .hadolint.yaml's); None: every finding counts."""
        value = self.value(path, "failure-threshold")
        if value is not None:
            return str(value)
        hado = self.hadolint_for(path)
        return hado.failure_threshold if hado is not None else None

    def severity_for(self, path: str) -> dict[str, str]:
        """Code -> severity, from a .hadolint.yaml's ``override``: hadolint codes (DL3008, SC2086), which a finding
        answering them takes (``severity.of``), and any dopt code listed there."""
        hado = self.hadolint_for(path)
        return dict(hado.severity) if hado is not None else {}

    # -- which files --------------------------------------------------------------------

    def excluded(self, path: str) -> bool:
        if path == "-":
            return False
        cfg = self.config_for(path)
        patterns = list(self.value(path, "exclude") or []) + list(self.value(path, "extend-exclude") or [])
        return bool(patterns) and _matches(cfg.relative(path), patterns)

    def includes(self, path: str) -> tuple[list[str] | None, list[str]]:
        """The name patterns directory search uses here: (replacing the defaults or None, added ones)."""
        include = self.value(path, "include")
        return (list(include) if include is not None else None), list(self.value(path, "extend-include") or [])

    def respect_gitignore(self, path: str) -> bool:
        return self.value(path, "respect-gitignore") is not False

    def force_exclude(self, path: str) -> bool:
        return bool(self.value(path, "force-exclude"))
