"""Plain records: the part of ``dataclasses`` dopt uses, for a fraction of its import and class-creation cost.

Editors start ``dopt`` on every save. Importing ``dataclasses`` pulls in ``inspect`` (and with it ``ast``,
``dis``, ``tokenize``), and turning a class into a dataclass costs about half a millisecond (3.11 even computes
an ``inspect.signature`` for its docstring): with the ~40 records on the way from ``dopt rewrite -`` to its
output, that was a quarter of a cold start. ``@record`` writes the same methods as source and compiles them
once per class:

- ``__init__`` with the annotated fields in order, defaults and ``field(default_factory=...)``;
- ``__repr__`` (``field(repr=False)`` left out), ``__eq__`` (``field(compare=False)`` left out; ``eq=False``:
  identity, as with dataclasses);
- ``__hash__`` from the fields when ``frozen=True`` (else unhashable when ``eq``, as with dataclasses);
- ``order=True``: ``<``, ``<=``, ``>``, ``>=`` on the field tuples.

``frozen`` is a promise checked by the type checker (``dataclass_transform``: mypy sees a dataclass), not at run
time. ``replace(obj, **changes)`` is ``dataclasses.replace``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time (cold start)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from typing_extensions import dataclass_transform  # typing has it from 3.11; mypy checks for 3.10

    T = TypeVar("T")
else:

    def dataclass_transform(**_kwargs):  # noqa: ANN202 (a no-op at run time)
        return lambda f: f


_MISSING: Any = object()


class Field:
    __slots__ = ("compare", "default", "default_factory", "repr")

    def __init__(self, default: Any, default_factory: Any, repr: bool, compare: bool) -> None:  # noqa: A002
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | Any = _MISSING,
    repr: bool = True,  # noqa: A002
    compare: bool = True,
) -> Any:
    return Field(default, default_factory, repr, compare)


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[T] | None = None, /, *, frozen: bool = False, eq: bool = True, order: bool = False) -> Any:
    def wrap(c: type[T]) -> type[T]:
        return _process(c, frozen, eq, order)

    return wrap if cls is None else wrap(cls)


def _process(cls: type[T], frozen: bool, eq: bool, order: bool) -> type[T]:
    names = [n for n in cls.__dict__.get("__annotations__", {})]
    env: dict[str, Any] = {"_MISSING": _MISSING, "_object": object}
    params: list[str] = []
    body: list[str] = []
    shown: list[str] = []
    compared: list[str] = []
    for n in names:
        spec = cls.__dict__.get(n, _MISSING)
        f = spec if isinstance(spec, Field) else Field(spec, _MISSING, True, True)
        if f.default_factory is not _MISSING:
            env[f"_factory_{n}"] = f.default_factory
            params.append(f"{n}=_MISSING")
            body.append(f"    self.{n} = _factory_{n}() if {n} is _MISSING else {n}")
        elif f.default is not _MISSING:
            env[f"_default_{n}"] = f.default
            params.append(f"{n}=_default_{n}")
            body.append(f"    self.{n} = {n}")
        else:
            if any("=" in p for p in params):
                raise TypeError(f"{cls.__name__}: non-default field {n!r} follows a default one")
            params.append(n)
            body.append(f"    self.{n} = {n}")
        if isinstance(spec, Field):
            if f.default is _MISSING:
                delattr(cls, n)
            else:
                setattr(cls, n, f.default)
        if f.repr:
            shown.append(n)
        if f.compare:
            compared.append(n)
    fields = "(" + "".join(f"self.{n}, " for n in compared) + ")"
    other = "(" + "".join(f"other.{n}, " for n in compared) + ")"
    src = [f"def __init__(self, {', '.join(params)}):", *(body or ["    pass"])]
    src += [
        "def __repr__(self):",
        f"    return f'{cls.__qualname__}(" + ", ".join(f"{n}={{self.{n}!r}}" for n in shown) + ")'",
    ]
    if eq:
        src += [
            "def __eq__(self, other):",
            f"    if other.__class__ is self.__class__: return {fields} == {other}",
            "    return NotImplemented",
        ]
    if order:
        for name, op in (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">=")):
            src += [
                f"def {name}(self, other):",
                f"    if other.__class__ is self.__class__: return {fields} {op} {other}",
                "    return NotImplemented",
            ]
    if eq and frozen:
        src += ["def __hash__(self):", f"    return hash({fields})"]
    exec("\n".join(src), env)  # noqa: S102 (source built above from the class's own field names)
    methods = ["__init__", "__repr__", *(["__eq__"] if eq else [])]
    methods += ["__lt__", "__le__", "__gt__", "__ge__"] if order else []
    for name in methods:
        setattr(cls, name, env[name])
    if eq:
        setattr(cls, "__hash__", env["__hash__"] if frozen else None)  # noqa: B010
    setattr(cls, "__record_fields__", tuple(names))  # noqa: B010
    return cls


def replace(obj: T, **changes: Any) -> T:
    """A copy of ``obj`` with some fields changed (``dataclasses.replace``)."""
    names: tuple[str, ...] = type(obj).__record_fields__  # type: ignore[attr-defined]
    return type(obj)(**{n: changes.get(n, getattr(obj, n)) for n in names})
