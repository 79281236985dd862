"""The report's charts: server-side SVG in the debrief packets' style (pygal, escaped, no scripts).

Only figures the k rule let through are drawn. A hidden cell is a gap (None) and its label says so, so no
bar, point or tooltip stands for fewer than k people.
"""

from __future__ import annotations

import base64
import logging

import pygal
from django.core.cache import cache
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from workshop.debrief.charts import AFTER, BEFORE, GENERIC, PERSONALIZED, _config, _finish
from workshop.reports.report import MonthRow, Report, Row

log = logging.getLogger(__name__)


def _label(text: str, hidden: bool) -> str:
    return _("%(label)s (hidden)") % {"label": text} if hidden else text


def funnel(rows: list[Row], labels: dict[str, str]) -> SafeString:
    """People at each step, from joining to writing a reflection."""
    chart = pygal.HorizontalBar(**_config(AFTER, show_legend=False, value_formatter=lambda v: f"{v:,.0f}",
                                          height=60 + 34 * len(rows), margin_bottom=8))
    chart.x_labels = [_label(str(labels.get(r.key, r.key)), r.people.suppressed) for r in rows]
    chart.add(_("People"), [r.people.value for r in rows])
    return _finish(chart)


def before_after(report: Report) -> SafeString:
    """Identification F1 (as a percentage) before and after the analogy."""
    chart = pygal.Bar(**_config(BEFORE, AFTER, range=(0, 1), value_formatter=lambda v: f"{v:.0%}",
                                y_labels=[0, 0.25, 0.5, 0.75, 1], height=240))
    chart.x_labels = [_("Identification accuracy (F1)")]
    chart.add(_("Before the analogy"), [report.f1_before.value])
    chart.add(_("After the analogy"), [report.f1_after.value])
    return _finish(chart)


def understanding(report: Report) -> SafeString:
    chart = pygal.Bar(**_config(BEFORE, AFTER, range=(1, 7), value_formatter=lambda v: f"{v:.1f}",
                                y_labels=list(range(1, 8)), height=240))
    chart.x_labels = [_("Perceived understanding (1–7)")]
    chart.add(_("Before the analogy"), [report.understanding_before.value])
    chart.add(_("After the analogy"), [report.understanding_after.value])
    return _finish(chart)


def _ticks(values: list[float]) -> list[float]:
    """About five round ticks from 0 (or below) to just past the largest value."""
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    step = next(s for s in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100) if span / s <= 5)
    first = step * int(low // step) if low < 0 else 0.0
    ticks, tick = [], first
    while tick < high + step:
        ticks.append(round(tick, 2))
        tick += step
    return ticks


def conditions(report: Report) -> SafeString:
    """Mean gain in identification accuracy, personalized against generic, in percentage points as in the table."""
    rows = {c.condition: c for c in report.conditions}
    gains = {name: rows[name].f1_gain.value * 100 if name in rows and rows[name].f1_gain.value is not None else None
             for name in ("personalized", "generic")}
    chart = pygal.Bar(**_config(PERSONALIZED, GENERIC, value_formatter=lambda v: f"{v:+.1f}", height=240,
                                y_labels=_ticks([v for v in gains.values() if v is not None])))
    chart.x_labels = [_("Gain in accuracy (percentage points)")]
    chart.add(_("Personalized analogy"), [gains["personalized"]])
    chart.add(_("Generic analogy"), [gains["generic"]])
    return _finish(chart)


def resonance(rows: list[Row], labels: dict[str, str]) -> SafeString:
    """Mean resonance (1 to 5) per group."""
    chart = pygal.HorizontalBar(**_config(AFTER, show_legend=False, value_formatter=lambda v: f"{v:.1f}",
                                          range=(0, 5), height=60 + 34 * max(len(rows), 1), margin_bottom=8))
    chart.x_labels = [_label(str(labels.get(r.key, r.key.replace("_", " "))), r.mean.suppressed) for r in rows]
    chart.add(_("Mean resonance"), [r.mean.value for r in rows])
    return _finish(chart)


def trends(months: list[MonthRow]) -> SafeString:
    """Identification F1 before and after, month by month."""
    chart = pygal.Line(**_config(BEFORE, AFTER, range=(0, 1), value_formatter=lambda v: f"{v:.0%}",
                                 y_labels=[0, 0.25, 0.5, 0.75, 1], print_values=False, x_label_rotation=30,
                                 dots_size=3, height=280))
    chart.x_labels = [_label(m.month, m.f1_after.suppressed) for m in months]
    chart.add(_("Before the analogy"), [m.f1_before.value for m in months])
    chart.add(_("After the analogy"), [m.f1_after.value for m in months])
    return _finish(chart)


def report_charts(report: Report, labels: dict[str, dict[str, str]]) -> dict[str, SafeString]:
    if report.too_small:
        return {}
    return {
        "funnel": funnel(report.funnel, labels["funnel"]),
        "before_after": before_after(report),
        "understanding": understanding(report),
        "conditions": conditions(report),
        "resonance_source": resonance(report.resonance_by_source, labels["source"]),
        "resonance_theme": resonance(report.resonance_by_theme, labels.get("theme", {})),
        "resonance_family": resonance(report.resonance_by_family, labels["family"]),
        "trends": trends(report.trends),
    }


def chart_sources(svgs: dict[str, SafeString]) -> dict[str, str]:
    """The charts as image addresses for the web page: inline, pygal's <style> element would be refused by
    the site's style-src 'self'; as an image each chart is a document of its own."""
    return {name: "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode() for name, svg in svgs.items()}


def report_chart_sources(report: Report, labels: dict[str, dict[str, str]], *, language: str) -> dict[str, str]:
    """The page's chart images, kept in the cache beside a cached report (drawing them costs more than
    reading the report back)."""
    if not report.cache_key:
        return chart_sources(report_charts(report, labels))
    key = f"{report.cache_key}:charts:{language}"
    try:
        found = cache.get(key)
    except Exception:
        found = None
    if found is None:
        found = chart_sources(report_charts(report, labels))
        try:
            cache.set(key, found, 3600)
        except Exception:
            log.warning("report cache unreachable", exc_info=True)
    return found
