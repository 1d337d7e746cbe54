"""Which examples CI builds today: a rotation over all of them, seeded by the date.

Real builds of all twelve-odd examples take longer than CI's budget, so each CI run builds one day's share.
Each ISO week the examples are shuffled (seeded by the year and week) and dealt to the seven days, heaviest
first onto the lightest day (`build_minutes` in each example's dopt-example.toml), so every example is built
once a week, no day is much heavier than another, and the subsets change from week to week.
`bench/image_size.py` still builds every example.

The build tests of features (parity, the hold-back bisect, batch on local workers and Ray, ...) take part
in the same rotation (FEATURE_TESTS), so that CI stays within its time budget while each of them runs at
least once a week too.

`DOPT_BUILD_EXAMPLES=all` (or a comma list of names) overrides the rotation; `DOPT_BUILD_DAY=YYYY-MM-DD`
reproduces another day's share.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Mapping, Sequence

DAYS = 7

# The build tests that are not an example's verify, rotated with the examples (`@pytest.mark.rotation(NAME)`;
# tests/conftest.py deselects the others of the day, which is not a skip): what each costs in CI, in minutes
# (measured in a clean-clone run on 2026-12-04: react-vite 852 s, the hold-back test 284 s, flask-psycopg 241 s,
# batch Ctrl-C 158 s, batch on Ray 142 s, local batch 138 s, parity 128 s, two verifies 89 s, layers 22 s).
FEATURE_TESTS: dict[str, float] = {
    "parity": 2,  # test_parity_failure_is_found_and_the_culprit_named (bisect: 4 builds)
    "two-verifies": 2,  # test_two_verifies_at_once_keep_to_their_own
    "sigterm": 0.5,  # test_sigterm_mid_build_leaves_nothing_behind
    "hold-back": 5,  # test_rewrite_verify_holds_back_exactly_the_culprits (7 builds)
    "target": 0.5,  # test_verify_builds_the_target_stage
    "layers": 1,  # test_layers_match_buildah_inspect_and_name_the_rule
    "batch-local": 3,  # test_local_batch_proves_two_examples (bisect on status-page)
    "batch-ray": 3,  # test_ray_runs_one_verify_task
    "batch-ctrl-c": 3,  # test_ctrl_c_mid_build_leaves_nothing_of_its_own
}


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
