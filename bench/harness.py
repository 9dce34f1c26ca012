"""Timing helpers: medians and spreads of repeated runs, ratios against a baseline."""

import math
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Case:
    """One measured case: samples in seconds, an optional baseline name and budget ratio."""

    name: str
    samples: list
    baseline: str | None = None
    budget: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)
    #: baseline samples taken alternately with this case's (see ``measure_against``)
    baseline_samples: list | None = None
    #: an absolute budget in seconds for the median (when the issue gives one, not a ratio)
    limit: float | None = None

    @property
    def median(self):
        return statistics.median(self.samples)

    @property
    def spread(self):
        return (min(self.samples), max(self.samples))


def measure(fn, repeat=15, warmup=2):
    """Run ``fn`` ``warmup`` times unmeasured, then ``repeat`` times; return the samples (s)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def measure_against(fn, baseline, repeat=15, warmup=2, block=5):
    """Samples of ``fn`` and of ``baseline`` taken in alternating blocks of ``block`` each.

    On a shared machine the speed changes from one second to the next; timing the case and
    its baseline in turns makes their ratio compare the same moments. Blocks rather than
    single requests: a baseline request right after a heavy one may pay for its garbage
    collection, and only the first of a block can."""
    for _ in range(warmup):
        fn()
        baseline()
    samples, base = [], []
    for _ in range(math.ceil(repeat / block)):
        for target, run in ((base, baseline), (samples, fn)):
            for _ in range(block):
                started = time.perf_counter()
                run()
                target.append(time.perf_counter() - started)
    return samples, base


def against(health, name, fn, repeat, budget=None):
    """A case timed alongside the /healthz baseline ``health`` (its ``extra["run"]``)."""
    samples, base = measure_against(fn, health.extra["run"], repeat)
    return Case(name, samples, baseline=health.name, budget=budget, baseline_samples=base)


def ratio(case, by_name):
    """The case's median over its baseline's: the samples taken alongside when there are."""
    base = case.baseline_samples or by_name[case.baseline].samples
    return case.median / statistics.median(base)


def fmt_ms(seconds):
    ms = seconds * 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 1000 else f"{ms:,.0f}"


def missed(case, by_name):
    """True when the case has a budget (a ratio or a limit in seconds) and misses it."""
    if case.limit is not None and case.median > case.limit:
        return True
    return bool(case.baseline and case.budget is not None and ratio(case, by_name) > case.budget)


def table(cases, by_name, judge=True):
    """Markdown table of the cases with ratios against their baselines; with ``judge`` false
    (another scale than the budgets') budgets are shown for reference, not judged."""
    lines = [
        "| case | median ms | min–max ms | baseline | ratio | budget | met | note |",
        "|---|---:|---:|---|---:|---:|:-:|---|",
    ]
    for case in cases:
        ratio_text = budget = met = ""
        baseline = case.baseline or ""
        if case.baseline:
            value = ratio(case, by_name)
            ratio_text = f"{value:.2f}×"
            if case.baseline_samples:
                baseline += f" (alongside: {fmt_ms(statistics.median(case.baseline_samples))} ms)"
            if case.budget is not None and judge:
                budget = f"≤ {case.budget:g}×"
                met = "yes" if value <= case.budget else "**no**"
            elif case.budget is not None:
                budget = f"(≤ {case.budget:g}× at province)"
        if case.limit is not None:
            budget = f"≤ {case.limit:g} s" + ("" if judge else " (at full scale)")
            met = ("yes" if case.median <= case.limit else "**no**") if judge else ""
        low, high = case.spread
        lines.append(
            f"| {case.name} | {fmt_ms(case.median)} | {fmt_ms(low)}–{fmt_ms(high)} | "
            f"{baseline} | {ratio_text} | {budget} | {met} | {case.note} |"
        )
    return "\n".join(lines)


def section(title, measured, cases, *, out=None, append=False):
    """A section of ``bench/results.md``: ``title``, the ``measured`` line (when and how) and
    the table of ``cases``; printed, and added at the end of ``out`` with ``append`` (the file
    is made when missing)."""
    text = "\n".join(
        [f"# {title}", "", measured, "", table(cases, {case.name: case for case in cases}), ""]
    )
    print(text)
    if append:
        out = Path(out)
        previous = out.read_text(encoding="utf-8") + "\n" if out.exists() else ""
        out.write_text(previous + text, encoding="utf-8")
    return text
