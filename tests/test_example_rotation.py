"""CI's rotation of example builds (tests/example_rotation.py): each example weekly, balanced days."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest

from tests import example_rotation as rot
from tests.test_verify_build import ROTATION, TODAY

COSTS = ROTATION


def _weeks(n: int) -> list[tuple[int, int]]:
    start = dt.date(2026, 1, 5)  # a Monday
    return [(start + dt.timedelta(weeks=k)).isocalendar()[:2] for k in range(n)]


@pytest.mark.parametrize(("year", "week"), _weeks(60))
def test_every_example_is_built_exactly_once_a_week(year: int, week: int) -> None:
    plan = rot.week_plan(COSTS, year, week)
    dealt = [name for day in plan for name in day]
    assert sorted(dealt) == sorted(COSTS)  # each exactly once
    assert all(plan), plan  # no day without a build (an empty parametrization would be a skip in CI)
    # balanced: no day carries more than the lightest day plus the heaviest single example
    loads = [sum(COSTS[n] for n in day) for day in plan]
    assert max(loads) - min(loads) <= max(COSTS.values()), loads


def test_any_seven_consecutive_days_cover_every_example() -> None:
    # ISO weeks start on Monday, so a week seen from a Thursday is two halves of two plans; each example is
    # built at least once in every calendar week, and never more than 13 days apart
    last: dict[str, dt.date] = {}
    day = dt.date(2026, 1, 5)
    for _ in range(400):
        for name in rot.todays_share(COSTS, day):
            if name in last:
                assert (day - last[name]).days <= 13, (name, last[name], day)
            last[name] = day
        day += dt.timedelta(days=1)
    assert set(last) == set(COSTS)


def test_the_subsets_change_from_day_to_day_and_week_to_week() -> None:
    days = [dt.date(2026, 11, 30) + dt.timedelta(days=k) for k in range(28)]  # four ISO weeks from a Monday
    shares = [tuple(rot.todays_share(COSTS, d)) for d in days]
    for (d1, a), (d2, b) in pairwise(zip(days, shares, strict=True)):
        if d1.isocalendar()[1] == d2.isocalendar()[1]:  # within a week the days share no example
            assert not set(a) & set(b), (d1, a, b)
    weeks = [tuple(map(tuple, rot.week_plan(COSTS, 2026, w))) for w in range(1, 9)]
    assert len(set(weeks)) == len(weeks)


def test_overrides() -> None:
    assert rot.chosen(COSTS, {"DOPT_BUILD_EXAMPLES": "all"})[0] == sorted(COSTS)
    assert rot.chosen(COSTS, {"DOPT_BUILD_EXAMPLES": "go-http, xml-cli"})[0] == ["go-http", "xml-cli"]
    with pytest.raises(ValueError, match="unknown examples: nope"):
        rot.chosen(COSTS, {"DOPT_BUILD_EXAMPLES": "nope,go-http"})
    share, why = rot.chosen(COSTS, {"DOPT_BUILD_DAY": "2026-12-03"})
    assert share == rot.todays_share(COSTS, dt.date(2026, 12, 3))
    assert why.startswith("rotation for 2026-12-03 (Thursday): ")


def test_all_examples_take_part_and_today_is_a_share() -> None:
    # every example is in the rotation, apart from the two with build tests of their own (parity, hold-back)
    assert len(COSTS) >= 10 and {"pytorch-infer", "worker-pandas", "rust-cli", "java-jar"} <= set(COSTS)
    assert TODAY and set(TODAY) <= set(COSTS)
