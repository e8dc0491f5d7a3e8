"""The score review's SVG charts and change badges, written out in Python.

The geometry comes from `review_views` (trend_chart, distribution_chart, close_rate_chart); this
module only turns those dicts into markup. It used to be Django templates, and rendering a few
hundred SVG elements through the template engine (a variable lookup, an `add` filter and number
localization per coordinate) was the largest single cost of the team dashboard (docs/performance.md).
Every text that people type (associate names) goes through `escape`; everything else is a number
or a constant of this module."""

from __future__ import annotations

from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _num(value) -> str:
    """A coordinate or count as SVG wants it: plain digits, no locale."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def _opening(chart: dict, *, name: str, testid: str, title: str, font_size: int = 15) -> list[str]:
    """A chart's <svg> element, scaled to its box, and its accessible title (constants only)."""
    return [
        f'<svg viewBox="0 0 {_num(chart["width"])} {_num(chart["height"])}" class="w-100 h-auto d-block" role="img"'
        f' aria-labelledby="{name}-title" data-testid="{testid}" font-family="system-ui, sans-serif"'
        f' font-size="{font_size}">',
        f'<title id="{name}-title">{title}</title>',
    ]


def change(value, unit: str = "") -> SafeString:
    """The change against the previous period, signed; nothing when there is nothing to compare."""
    if value is None:
        return mark_safe("")
    if value > 0:
        tone, sign = "text-success", "+"
    elif value < 0:
        tone, sign = "text-danger", ""
    else:
        tone, sign = "text-body-secondary", "±"
    return mark_safe(  # noqa: S308 - a number and constants; the unit is a constant of the templates
        f'<span class="d-block small {tone}" title="change against the previous period">'
        f"{sign}{value}{escape(unit)}</span>"
    )


def trend(chart: dict) -> SafeString:
    """The weekly trend of the overall score: one line (and marker shape) per associate."""
    if not chart["series"]:
        return mark_safe(
            '<p class="text-body-secondary mb-0" data-testid="trend-empty">No scored conversations in this period.</p>'
        )
    left, right, bottom = _num(chart["left"]), _num(chart["right"]), chart["bottom"]
    title = "Average overall AOS score per week" + (", per associate" if len(chart["series"]) > 1 else "")
    out = _opening(chart, name="trend", testid="trend-chart", title=title, font_size=chart["font_size"])
    for line in chart["grid"]:
        y = _num(line["y"])
        out.append(f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#ced4da" stroke-width="1" />')
        axis_x = _num(chart["left"] - 8)
        out.append(f'<text x="{axis_x}" y="{y}" dy="4" text-anchor="end" fill="#212529">{line["value"]}</text>')
    label_y = _num(chart["top"] + 70)
    out.append(
        f'<text x="12" y="{label_y}" transform="rotate(-90 12 {label_y})" text-anchor="middle" fill="#495057">'
        "overall score</text>"
    )
    for tick in chart["ticks"]:
        x = _num(tick["x"])
        out.append(f'<line x1="{x}" x2="{x}" y1="{_num(bottom)}" y2="{_num(bottom + 4)}" stroke="#6c757d" />')
        tick_y, label = _num(chart["tick_y"]), escape(tick["label"])
        out.append(f'<text x="{x}" y="{tick_y}" text-anchor="middle" fill="#212529">{label}</text>')
    for series in chart["series"]:
        name, colour = escape(series["name"]), series["colour"]
        out.append(f'<g data-testid="trend-series" data-name="{name}">')
        for segment in series["segments"]:
            out.append(
                f'<polyline points="{segment}" fill="none" stroke="{colour}" stroke-width="2.5"'
                ' stroke-linejoin="round" />'
            )
        for point in series["points"]:
            week = date_format(point["week"], "M j")
            out.append(
                f'<path d="{point["path"]}" fill="{colour}" stroke="#ffffff" stroke-width="1">'
                f"<title>{name}, week of {week}: {point['value']} ({point['n']} scored)</title></path>"
            )
        lx, ly = series["legend_x"], series["legend_y"]
        out.append(
            f'<line x1="{_num(lx)}" x2="{_num(lx + 24)}" y1="{_num(ly - 4)}" y2="{_num(ly - 4)}" stroke="{colour}"'
            ' stroke-width="2.5" />'
        )
        out.append(f'<path d="{series["legend_marker"]}" fill="{colour}" stroke="#ffffff" stroke-width="1" />')
        out.append(f'<text x="{_num(lx + 32)}" y="{_num(ly)}" fill="#212529">{name}</text>')
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("\n".join(out))  # noqa: S308 - names escaped above, the rest numbers and constants


def distribution(chart: dict) -> SafeString:
    """A 100 % stacked bar per scored phase: the share of conversations scored 1, 2, 3 and 4."""
    title = "Share of conversations scored 1, 2, 3 and 4 in each phase"
    out = _opening(chart, name="distribution", testid="distribution-chart", title=title)
    bar_h = _num(chart["bar_h"])
    for bar in chart["bars"]:
        label = escape(bar["label"])
        text_y, y = _num(bar["text_y"]), _num(bar["y"])
        out.append(f'<g data-testid="distribution-bar" data-phase="{label}">')
        out.append(f'<text x="{_num(chart["left"] - 8)}" y="{text_y}" text-anchor="end" fill="#212529">{label}</text>')
        if bar["total"]:
            for segment in bar["segments"]:
                if not segment["count"]:
                    continue
                level, count, percent = segment["level"], segment["count"], segment["percent"]
                out.append(
                    f'<rect x="{_num(segment["x"])}" y="{y}" width="{_num(segment["w"])}" height="{bar_h}"'
                    f' fill="{segment["fill"]}" stroke="#ffffff" stroke-width="1" data-level="{level}"'
                    f' data-count="{count}"><title>{label}: {count} scored {level} ({percent} %)</title></rect>'
                )
                if segment["labelled"]:
                    out.append(
                        f'<text x="{_num(segment["text_x"])}" y="{text_y}" text-anchor="middle"'
                        f' fill="{segment["ink"]}" font-size="14">{percent}%</text>'
                    )
        else:
            out.append(f'<text x="{_num(chart["left"])}" y="{text_y}" fill="#6c757d">not scored</text>')
        out.append("</g>")
    for item in chart["legend"]:
        x, y = item["x"], item["y"]
        out.append(
            f'<rect x="{_num(x)}" y="{_num(y - 12)}" width="14" height="14" fill="{item["fill"]}" stroke="#495057"'
            ' stroke-width="0.5" />'
        )
        out.append(f'<text x="{_num(x + 20)}" y="{_num(y)}" fill="#212529">{escape(item["text"])}</text>')
    out.append("</svg>")
    return mark_safe("\n".join(out))  # noqa: S308 - labels escaped above, the rest numbers and constants


def close_rate(chart: dict) -> SafeString:
    """A bar per overall score 1–4: the share of those conversations that ended in an order."""
    title = "Orders placed as a share of conversations, for each overall score"
    out = _opening(chart, name="close", testid="close-rate-chart", title=title)
    left, right, bottom = chart["left"], chart["right"], chart["bottom"]
    for line in chart["grid"]:
        y = _num(line["y"])
        out.append(f'<line x1="{_num(left)}" x2="{_num(right)}" y1="{y}" y2="{y}" stroke="#ced4da" />')
        out.append(
            f'<text x="{_num(left - 6)}" y="{y}" dy="4" text-anchor="end" fill="#212529">{line["value"]}%</text>'
        )
    for bar in chart["bars"]:
        level, mid = bar["level"], _num(bar["mid"])
        out.append(f'<g data-testid="close-rate-bar" data-score="{level}">')
        if bar["conversations"]:
            out.append(
                f'<rect x="{_num(bar["x"])}" y="{_num(bar["y"])}" width="{_num(bar["w"])}" height="{_num(bar["h"])}"'
                f' fill="{bar["fill"]}" stroke="#495057" stroke-width="0.5"><title>Overall {level}:'
                f" {bar['orders']} orders of {bar['conversations']} conversations</title></rect>"
            )
            out.append(
                f'<text x="{mid}" y="{_num(bar["y"])}" dy="-6" text-anchor="middle" fill="#212529"'
                f' font-weight="600">{bar["rate"]} %</text>'
            )
        out.append(f'<text x="{mid}" y="{_num(bottom + 18)}" text-anchor="middle" fill="#212529">scored {level}</text>')
        counted = f"{bar['orders']} of {bar['conversations']}" if bar["conversations"] else "none"
        out.append(
            f'<text x="{mid}" y="{_num(bottom + 36)}" text-anchor="middle" fill="#495057" font-size="14">'
            f"{counted}</text>"
        )
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("\n".join(out))  # noqa: S308 - numbers and constants only
