"""Which examples CI builds today: a rotation over all of them, seeded by the date.

Real builds of all twelve-odd examples take longer than CI's budget, so each CI run builds one day's share.
Each ISO week the examples are shuffled (seeded by the year and week) and dealt to the seven days, heaviest
first onto the lightest day (`build_minutes` in each example's dopt-example.toml), so every example is built
once a week, no day is much heavier than another, and the subsets change from week to week.
`bench/image_size.py` still builds every example.

`DOPT_BUILD_EXAMPLES=all` (or a comma list of names) overrides the rotation; `DOPT_BUILD_DAY=YYYY-MM-DD`
reproduces another day's share.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Mapping, Sequence

DAYS = 7


def week_plan(costs: Mapping[str, float], year: int, week: int) -> list[list[str]]:
    """The examples of each day (Monday first) of ISO week `week` of `year`; every name exactly once."""
    names = sorted(costs)
    random.Random(f"dopt-examples-{year}-W{week:02d}").shuffle(names)
    # heaviest first (the shuffle decides among equals), each onto the day with the least so far
    names.sort(key=lambda n: -costs[n])
    days: list[list[str]] = [[] for _ in range(DAYS)]
    load = [0.0] * DAYS
    order = list(range(DAYS))
    random.Random(f"dopt-days-{year}-W{week:02d}").shuffle(order)  # which weekday gets the first pick
    for name in names:
        day = min(order, key=lambda d: (load[d], len(days[d])))
        days[day].append(name)
        load[day] += costs[name]
    return [sorted(d) for d in days]


def todays_share(costs: Mapping[str, float], day: dt.date) -> list[str]:
    year, week, weekday = day.isocalendar()
    return week_plan(costs, year, week)[weekday - 1]


def chosen(costs: Mapping[str, float], env: Mapping[str, str] | None = None) -> tuple[list[str], str]:
    """The examples to build and a line saying why (printed in the test session's header)."""
    env = os.environ if env is None else env
    names = sorted(costs)
    wanted = env.get("DOPT_BUILD_EXAMPLES", "").strip()
    if wanted == "all":
        return names, "DOPT_BUILD_EXAMPLES=all: every example"
    if wanted:
        picked = [n.strip() for n in wanted.split(",") if n.strip()]
        unknown = sorted(set(picked) - set(names))
        if unknown:
            raise ValueError(f"DOPT_BUILD_EXAMPLES names unknown examples: {', '.join(unknown)}")
        return sorted(set(picked)), f"DOPT_BUILD_EXAMPLES: {', '.join(sorted(set(picked)))}"
    when = env.get("DOPT_BUILD_DAY", "").strip()
    day = dt.date.fromisoformat(when) if when else dt.date.today()
    share = todays_share(costs, day)
    return share, f"rotation for {day.isoformat()} ({day.strftime('%A')}): {', '.join(share) or 'none'}"


def unknown_names(names: Sequence[str], costs: Mapping[str, float]) -> list[str]:
    return sorted(set(names) - set(costs))
