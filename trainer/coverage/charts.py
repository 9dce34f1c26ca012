"""Light server-side SVG charts (no chart library, no script): bars per unit and a trend."""

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape


def _fmt(value):
    """``84,5 %`` in Vietnamese, ``84.5 %`` in English: as the tables beside the chart."""
    return "–" if value is None else format_decimal(value, format="#,##0.0") + " %"


def _bar_colour(row):
    value = row.percent or 0
    return "#1a7f37" if row.target_percent is None or value >= row.target_percent else "#b35c00"


def bar_chart(rows, *, width=960, bar_height=24, label_width=280):
    """Horizontal bars of ``rows`` (objects with name, percent, target_percent), 0–100 %."""
    scale = (width - label_width - 70) / 100
    height = len(rows) * (bar_height + 8) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-wide" viewBox="0 0 {width} '
        f'{height}" role="img" aria-labelledby="bars-title"><title id="bars-title">'
        f"{escape(_('Coverage by unit'))}</title>"
    ]
    for i, row in enumerate(rows):
        y = 8 + i * (bar_height + 8)
        value = row.percent or 0
        colour = _bar_colour(row)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7}" '
            f'text-anchor="end" font-size="14" fill="#1d2430">'
            f"{escape(row.name[:36])}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{100 * scale}" '
            f'height="{bar_height}" fill="#e4e8ee"/>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{value * scale:.1f}" '
            f'height="{bar_height}" fill="{colour}"/>'
        )
        if row.target_percent is not None:
            x = label_width + row.target_percent * scale
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" y2="{y + bar_height + 3}" '
                'stroke="#1d2430" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{label_width + 100 * scale + 6}" y="{y + bar_height * 0.7}" '
            f'font-size="14" fill="#1d2430">{_fmt(row.percent)}</text>'
        )
    parts.append("</svg>")
    # every text that comes from data went through escape() above
    return Markup("".join(parts))  # nosec B704


def bar_chart_narrow(rows, *, width=360, bar_height=16, name_length=40, font=16):
    """The same bars drawn for a phone (issue 20): each unit's name on its own line above a
    full-width bar, the percent at the bar's end; drawn about 1:1 in a card on a 390 px
    screen, so its text stays about 14 px (the page shows it instead of ``bar_chart`` under
    60rem)."""
    scale = (width - 70) / 100
    step = font + 6 + bar_height + 14
    height = len(rows) * step + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-narrow" viewBox="0 0 '
        f'{width} {height}" role="img" aria-labelledby="bars-narrow-title">'
        f'<title id="bars-narrow-title">{escape(_("Coverage by unit"))}</title>'
    ]
    for i, row in enumerate(rows):
        top = 4 + i * step
        bar = top + font + 6
        name = row.name if len(row.name) <= name_length else row.name[: name_length - 1] + "…"
        parts.append(
            f'<text x="0" y="{top + font}" font-size="{font}" fill="#1d2430">{escape(name)}</text>'
        )
        parts.append(
            f'<rect x="0" y="{bar}" width="{100 * scale:.1f}" height="{bar_height}" '
            'fill="#e4e8ee"/>'
        )
        parts.append(
            f'<rect x="0" y="{bar}" width="{(row.percent or 0) * scale:.1f}" '
            f'height="{bar_height}" fill="{_bar_colour(row)}"/>'
        )
        if row.target_percent is not None:
            x = row.target_percent * scale
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bar - 3}" y2="{bar + bar_height + 3}" '
                'stroke="#1d2430" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{100 * scale + 6:.1f}" y="{bar + bar_height - 2}" font-size="{font}" '
            f'fill="#1d2430">{_fmt(row.percent)}</text>'
        )
    parts.append("</svg>")
    # every text that comes from data went through escape() above
    return Markup("".join(parts))  # nosec B704


def line_chart(points, target=None, *, width=960, height=280, narrow=False):
    """The monthly percent as a line, the target as a dashed line; y from the data's range.
    ``narrow``: drawn for a phone (360 wide, its text at 14 px there, fewer month labels)."""
    font = 13
    if narrow:
        width, height, font = 360, 220, 16
    values = [p for _d, p in points if p is not None]
    if not values:
        return Markup("")
    low = max(0, min(values + ([target] if target else [])) - 5)
    high = min(100, max(values + ([target] if target else [])) + 5)
    left, right, top, bottom = 4 * font + 4, width - 30, 10, height - 30
    span = max(high - low, 1)

    def xy(index, value):
        x = left + index * (right - left) / max(len(points) - 1, 1)
        return x, bottom - (value - low) * (bottom - top) / span

    coords = [xy(i, p) for i, (_d, p) in enumerate(points) if p is not None]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    variant, title_id, every = (
        ("narrow", "trend-narrow-title", 12) if narrow else ("wide", "trend-title", 6)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{variant}" viewBox="0 0 '
        f'{width} {height}" role="img" aria-labelledby="{title_id}">'
        f'<title id="{title_id}">{escape(_("Monthly trend"))}</title>',
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#8a94a3"/>',
    ]
    for value in (low, (low + high) / 2, high):
        _x, y = xy(0, value)
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="{font}" '
            f'fill="#5a6472">{value:.0f} %</text>'
        )
    if target is not None:
        _x, y = xy(0, target)
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#b3261e" stroke-dasharray="6 4"/>'
        )
    parts.append(f'<polyline points="{line}" fill="none" stroke="#0b5cab" stroke-width="2.5"/>')
    for index, (day, _p) in enumerate(points):
        if index % every == 0 or index == len(points) - 1:
            x, _y = xy(index, low)
            parts.append(
                f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" '
                f'font-size="{font}" fill="#5a6472">{day.month:02d}/{day.year}</text>'
            )
    parts.append("</svg>")
    # every text that comes from data went through escape() above
    return Markup("".join(parts))  # nosec B704
