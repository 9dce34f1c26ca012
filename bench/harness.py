"""Timing helpers: medians and spreads of repeated runs, ratios against a baseline."""

import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Case:
    """One measured case: samples in seconds, an optional baseline name and budget ratio."""

    name: str
    samples: list
    baseline: str | None = None
    budget: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

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


def fmt_ms(seconds):
    ms = seconds * 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 1000 else f"{ms:,.0f}"


def table(cases, by_name):
    """Markdown table of the cases with ratios against their baselines."""
    lines = [
        "| case | median ms | min–max ms | baseline | ratio | budget | met | note |",
        "|---|---:|---:|---|---:|---:|:-:|---|",
    ]
    for case in cases:
        ratio = budget = met = ""
        if case.baseline:
            base = by_name[case.baseline]
            value = case.median / base.median
            ratio = f"{value:.2f}×"
            if case.budget is not None:
                budget = f"≤ {case.budget:g}×"
                met = "yes" if value <= case.budget else "**no**"
        low, high = case.spread
        lines.append(
            f"| {case.name} | {fmt_ms(case.median)} | {fmt_ms(low)}–{fmt_ms(high)} | "
            f"{case.baseline or ''} | {ratio} | {budget} | {met} | {case.note} |"
        )
    return "\n".join(lines)
