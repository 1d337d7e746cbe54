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
from optimizer.app.options import OPTIONS, config_keys
from optimizer.core import selectors
from optimizer.core.settings import Settings
from optimizer.errors import ConfigError
from optimizer.records import field, record

CONFIG_NAMES = (".dopt.toml", "dopt.toml", "pyproject.toml")
HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")
HADOLINT_LEVELS = ("error", "warning", "info", "style")
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
    from optimizer.core.registry import get_rule

    values: dict[str, Any] = {}
    options: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if key in KEYS:
            _check_type(path, key, value)
            values[key] = value
            continue
        rule = get_rule(key) if isinstance(value, dict) else None
        if rule is None:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(
                f"unknown key {key!r} (expected one of {known}, or a table named after a rule)", path=path
            )
        for opt, v in value.items():
            expected = rule.options.get(opt)
            if expected is None:
                raise ConfigError(
                    f"unknown option {key}.{opt} (the rule takes: {', '.join(sorted(rule.options)) or 'none'})",
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
    """What dopt takes from a .hadolint.yaml: ``ignored`` codes and ``override`` severities."""

    path: str
    ignored: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # hadolint code -> error|warning|info|style


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
    return HadolintConfig(path, tuple(c.strip().upper() for c in ignored), severity)


class Resolver:
    """Finds the configuration for each Dockerfile (cached per folder) and builds its Settings.

    Precedence: the command line, then the dopt configuration file, then a .hadolint.yaml/.yml (its
    ``ignored`` list counts when the dopt file sets no ``ignore``; ``hadolint-config = false`` turns it
    off), then the defaults. ``--isolated`` reads no file at all.
    """

    def __init__(self, cli: dict[str, Any], config_path: str | None = None, isolated: bool = False) -> None:
        self.cli = cli
        self.isolated = isolated
        self.fixed = load(config_path) if config_path else None
        self._by_dir: dict[str, Config] = {}
        self._hadolint_by_dir: dict[str, HadolintConfig | None] = {}

    def _start(self, path: str) -> str:
        return os.path.dirname(os.path.abspath(path)) if path != "-" else os.getcwd()

    def config_for(self, path: str) -> Config:
        if self.fixed is not None:
            return self.fixed
        start = self._start(path)
        if self.isolated:
            return Config(None, start)
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
        return Settings(
            select=sel,
            ignore=ignore,
            unsafe_fixes=bool(v.get("unsafe-fixes", False)),
            fixable=selectors.expand(v["fixable"]) if v.get("fixable") is not None else None,
            unfixable=selectors.expand(v.get("unfixable", [])),
            rule_options=cfg.rule_options,
            context=str(v["context"]) if v.get("context") else None,
            cache_mounts=bool(v.get("cache-mounts", False)),
        )

    def severity_for(self, path: str) -> dict[str, str]:
        """dopt code -> hadolint severity, from a .hadolint.yaml's ``override`` (the most severe wins)."""
        hado = self.hadolint_for(path)
        if hado is None or not hado.severity:
            return {}
        out: dict[str, str] = {}
        mapping = selectors.hadolint_map()
        for dl, level in hado.severity.items():
            for code in mapping.get(dl, []):
                if code not in out or HADOLINT_LEVELS.index(level) < HADOLINT_LEVELS.index(out[code]):
                    out[code] = level
        return out

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
