"""Histories in memory: periods of values, units' lives, their checks and their paths.

Plain Python over small collections (the units of a province, one person's periods): the
imports and the reorganisation build the history they would write here, check it whole, and
only then write it. A period is ``[start, end, values]``, ``end`` its last day, ``None`` open.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from .periods import FAR_FUTURE, FAR_PAST

DAY = timedelta(days=1)


def covers(period, day):
    """True when ``period`` holds ``day``."""
    start, end, _values = period
    return (start is None or start <= day) and (end is None or end >= day)


def value_on(periods, day):
    """The values of the period holding ``day``, or None."""
    for period in periods:
        if covers(period, day):
            return period[2]
    return None


def _before(start):
    return None if start is None else start - DAY


def insert_period(periods, start, values):
    """A copy of ``periods`` (sorted) where ``values`` hold from ``start`` (None: from the
    beginning) until the next change already known; earlier periods are kept."""
    result, placed = [], False
    key = FAR_PAST if start is None else start
    for p_start, p_end, p_values in periods:
        p_key = FAR_PAST if p_start is None else p_start
        if placed or (p_end is not None and p_end < key):
            result.append([p_start, p_end, p_values])
        elif p_key < key:  # the period holding ``start``: split it
            result.append([p_start, _before(start), p_values])
            result.append([start, p_end, values])
            placed = True
        else:  # ``start`` falls at or before this period's start
            result.append([start, p_end if p_key == key else _before(p_start), values])
            if p_key != key:
                result.append([p_start, p_end, p_values])
            placed = True
    if not placed:
        result.append([start, None, values])
    return merge(result)


def merge(periods):
    """Join neighbouring periods with equal values (what is true did not change)."""
    result = []
    for period in periods:
        if (
            result
            and result[-1][2] == period[2]
            and result[-1][1] is not None
            and period[0] is not None
            and result[-1][1] + DAY == period[0]
        ):
            result[-1][1] = period[1]
        else:
            result.append(list(period))
    return result


def clip(periods, valid_from, valid_to):
    """``periods`` cut to the life [valid_from, valid_to]; (periods, dropped any)."""
    result, dropped = [], False
    for start, end, values in periods:
        if valid_to is not None and start is not None and start > valid_to:
            dropped = True
            continue
        if valid_from is not None and end is not None and end < valid_from:
            dropped = True
            continue
        if valid_from is not None and (start is None or start < valid_from):
            start = valid_from
        if valid_to is not None and (end is None or end > valid_to):
            end = valid_to
        result.append([start, end, values])
    if result:  # the life's bounds are the periods' outer bounds
        result[0][0], result[-1][1] = valid_from, valid_to
    return result, dropped


@dataclass
class UnitLife:
    """A unit's time in force and its periods of (parent code, name)."""

    code: str
    valid_from: date | None = None
    valid_to: date | None = None
    successor: str | None = None
    periods: list = field(default_factory=list)

    def in_force(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


def boundaries(lives):
    """Every day on which something starts or ends the day before, in order."""
    days = set()
    for life in lives.values():
        for start, end, _values in life.periods:
            if start is not None:
                days.add(start)
            if end is not None and end < FAR_FUTURE:
                days.add(end + DAY)
    return sorted(days)


def segments(lives):
    """[(first day, last day)] over which the whole tree stays the same (sentinels for open)."""
    days = [FAR_PAST, *boundaries(lives)]
    return [
        (day, days[i + 1] - DAY if i + 1 < len(days) else FAR_FUTURE) for i, day in enumerate(days)
    ]


def parents_on(lives, day):
    """{code: parent code} of the units in force on ``day``."""
    result = {}
    for code, life in lives.items():
        values = value_on(life.periods, day)
        if values is not None:
            result[code] = values[0]
    return result


def find_cycle(parents, code):
    """The loop of codes starting from ``code``'s parent chain, or None."""
    chain, current = [code], parents.get(code)
    while current is not None:
        if current in chain:
            return chain[chain.index(current) :] + [current]
        chain.append(current)
        current = parents.get(current)
    return None


def problems(lives, codes=None):
    """[(code, column, message, details)] of what is wrong in the history of ``codes`` (all
    by default): a period outside its parent's life, a successor that is not in force the
    day after, a successor without a last day, a cycle on any date."""
    found = []
    codes = list(lives) if codes is None else [c for c in codes if c in lives]
    for code in codes:
        life = lives[code]
        if life.valid_from and life.valid_to and life.valid_from > life.valid_to:
            found.append((code, "valid_to", "ends_before_start", {}))
            continue
        for start, end, (parent, _name) in life.periods:
            if parent is None:
                continue
            mother = lives.get(parent)
            if mother is None:
                found.append((code, "parent_code", "unknown_parent", {"code": parent}))
                continue
            if mother.valid_to is not None and (end is None or end > mother.valid_to):
                found.append(
                    (
                        code,
                        "parent_code",
                        "open_under_closed",
                        {"code": parent, "day": mother.valid_to},
                    )
                )
            elif mother.valid_from is not None and (start is None or start < mother.valid_from):
                found.append(
                    (
                        code,
                        "parent_code",
                        "parent_not_yet",
                        {"code": parent, "day": mother.valid_from},
                    )
                )
        if life.successor:
            heir = lives.get(life.successor)
            if life.valid_to is None:
                found.append((code, "successor_code", "successor_of_open", {}))
            elif heir is None:
                found.append(
                    (code, "successor_code", "unknown_successor", {"code": life.successor})
                )
            elif life.successor == code or not heir.in_force(life.valid_to + DAY):
                found.append(
                    (
                        code,
                        "successor_code",
                        "successor_not_in_force",
                        {"code": life.successor, "day": life.valid_to + DAY},
                    )
                )
    wanted = set(codes)
    for first, _last in segments(lives):
        parents = parents_on(lives, first)
        for code in sorted(wanted & parents.keys()):
            loop = find_cycle(parents, code)
            if loop:
                found.append(
                    (code, "parent_code", "cycle", {"loop": " → ".join(loop), "day": first})
                )
    return dedupe(found)


def dedupe(found):
    seen, result = set(), []
    for item in found:
        key = (item[0], item[1], item[2])
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def paths_on(parents, ids):
    """{code: (path, depth)} for a tree given as {code: parent code}."""
    paths = {}

    def path_of(code, seen=()):
        if code not in paths:
            parent = parents.get(code)
            if parent is None or parent not in parents or parent in seen:
                paths[code] = (f"/{ids[code]}/", 0)
            else:
                above, depth = path_of(parent, (*seen, code))
                paths[code] = (f"{above}{ids[code]}/", depth + 1)
        return paths[code]

    for code in parents:
        path_of(code)
    return paths


def path_rows(lives, ids):
    """[(unit id, first day, last day, path, depth)] for every unit and every stretch of days
    on which its path stayed the same; ``ids`` maps codes to ids."""
    current = {}  # unit id -> [first, last, path, depth] being extended
    rows = []
    for first, last in segments(lives):
        parents = parents_on(lives, first)
        paths = paths_on(parents, ids)
        for code in parents:
            path, depth = paths[code]
            uid = ids[code]
            run = current.get(uid)
            if run is not None and run[2] == path and run[1] + DAY == first:
                run[1] = last
            else:
                if run is not None:
                    rows.append((uid, *run))
                current[uid] = [first, last, path, depth]
        for uid in [uid for uid, run in current.items() if run[1] < first]:
            rows.append((uid, *current.pop(uid)))
    rows.extend((uid, *run) for uid, run in current.items())
    return rows
