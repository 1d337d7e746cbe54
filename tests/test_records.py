"""optimizer.records: the dataclass behaviour dopt relies on, checked against dataclasses itself."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.records import field, record, replace


@record(frozen=True, order=True)
class Point:
    x: int
    y: int = 0


@dataclasses.dataclass(frozen=True, order=True)
class DPoint:
    x: int
    y: int = 0


@record
class Bag:
    name: str
    items: list[int] = field(default_factory=list)
    cache: dict[str, int] | None = field(default=None, repr=False, compare=False)


@record(eq=False)
class Node:
    value: int


def test_init_repr_eq_hash_like_a_frozen_dataclass() -> None:
    assert Point(1) == Point(1, 0) and Point(1) != Point(1, 2)
    assert repr(Point(1, 2)) == "Point(x=1, y=2)" and repr(DPoint(1, 2)) == "DPoint(x=1, y=2)"
    assert hash(Point(3, 4)) == hash(Point(3, 4)) and len({Point(1), Point(1, 0), Point(2)}) == 2
    assert Point(1, 2).__eq__(DPoint(1, 2)) is NotImplemented  # another class is never equal
    assert Point(1, 2) != (1, 2)  # type: ignore[comparison-overlap]


def test_order_matches_dataclasses() -> None:
    pairs = [(a, b) for a in range(3) for b in range(3)]
    mine = sorted(Point(a, b) for b, a in pairs)
    theirs = sorted(DPoint(a, b) for b, a in pairs)
    assert [(p.x, p.y) for p in mine] == [(p.x, p.y) for p in theirs]
    assert Point(1, 2) < Point(2, 0) <= Point(2, 0) and Point(3, 0) > Point(2, 9) >= Point(2, 9)


def test_default_factory_fresh_per_instance_and_field_options() -> None:
    a, b = Bag("a"), Bag("a")
    a.items.append(1)
    assert b.items == [] and a != b
    b.items.append(1)
    b.cache = {"x": 1}
    assert a == b  # cache: compare=False
    assert repr(a) == "Bag(name='a', items=[1])"  # cache: repr=False
    with pytest.raises(TypeError):
        hash(a)  # eq without frozen: unhashable, as with dataclasses
    assert Bag.cache is None  # a plain default stays a class attribute


def test_eq_false_is_identity() -> None:
    n = Node(1)
    assert n == n and Node(1) != Node(1)
    assert len({n, n, Node(1)}) == 2  # hashable by identity


def test_replace_and_errors() -> None:
    assert replace(Point(1, 2), y=5) == Point(1, 5)
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="non-default field"):

        @record
        class Bad:
            a: int = 0
            b: int  # type: ignore[misc]
