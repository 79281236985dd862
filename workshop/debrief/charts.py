"""Charts for the facilitator packet: SVG made on the server by pygal, inlined into the packet's HTML.

pygal builds the SVG with ElementTree, so labels are escaped XML text. We drop its <script> (tooltips
config, useless on paper) and its comments, and give it the packet's fonts and colours.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
BEFORE, AFTER = "#9aa7b8", "#2f5d8a"
PERSONALIZED, GENERIC = "#2f5d8a", "#c08a2b"

# Hangul has no glyph in DejaVu Sans: the CJK fonts follow it, as in the packet's stylesheet.
FONTS = "'DejaVu Sans', 'Noto Sans CJK KR', 'Noto Sans CJK JP', sans-serif"

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def _style(*colors: str) -> Style:
    return Style(
        font_family=FONTS, background="#ffffff", plot_background="#ffffff", foreground="#1f2430",
        foreground_strong="#1f2430", foreground_subtle="#d9dce3", colors=colors, opacity="1", opacity_hover="1",
        label_font_size=11, major_label_font_size=11, legend_font_size=12, value_font_size=11, title_font_size=13,
        guide_stroke_color="#e3e6ec", guide_stroke_dasharray="0", major_guide_stroke_color="#e3e6ec",
        major_guide_stroke_dasharray="0", value_colors=("#1f2430",),
    )


def _config(*colors: str, **extra) -> dict:
    return {
        "style": _style(*colors), "js": [], "disable_xml_declaration": True, "width": 640, "height": 260,
        "legend_at_bottom": True, "legend_at_bottom_columns": 2, "legend_box_size": 11, "print_values": True,
        "print_values_position": "top", "truncate_label": 40, "truncate_legend": 40, "margin": 8,
        "margin_bottom": 22, **extra,
    }


def _finish(chart: pygal.graph.graph.Graph) -> SafeString:
    root = ET.fromstring(chart.render(is_unicode=True))
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}script":
                parent.remove(child)
            child.attrib.pop("id", None)  # tooltip anchors, the same in every chart: ids must stay unique
    # Serialized by ElementTree from a tree pygal built: every text node is escaped. The unprefixed SVG
    # namespace is registered again because qrcode registers it under a prefix, and a web page cannot draw
    # <ns0:svg> or <svg:svg>.
    ET.register_namespace("", SVG_NS)
    return mark_safe(ET.tostring(root, encoding="unicode"))


def before_after_bars(*, labels: list[str], before: list[float], after: list[float], percent: bool,
                      range_max: float) -> SafeString:
    """Grouped bars, before and after, one group per label (a scenario, or the room)."""
    fmt = (lambda v: f"{v:.0%}") if percent else (lambda v: f"{v:.1f}")
    chart = pygal.Bar(**_config(BEFORE, AFTER, range=(0, range_max), value_formatter=fmt,
                                y_labels=[i * range_max / 4 for i in range(5)] if percent else list(range(0, 8))))
    chart.x_labels = labels
    chart.add(_("Before the analogy"), before)
    chart.add(_("After the analogy"), after)
    return _finish(chart)


def resonance_spread(counts: dict[int, int]) -> SafeString:
    """How many people gave each resonance rating, 1 (not at all) to 5 (very much)."""
    chart = pygal.Bar(**_config(AFTER, show_legend=False, value_formatter=lambda v: f"{v:.0f}", height=200,
                                margin_bottom=8, range=(0, max([*counts.values(), 1]))))
    chart.x_labels = [_("1 not at all"), "2", "3", "4", _("5 very much")]
    chart.add(_("People"), [counts.get(score, 0) for score in range(1, 6)])
    return _finish(chart)


def condition_comparison(*, measures: list[str], personalized: list[float], generic: list[float]) -> SafeString:
    """Personalized against generic analogies on the same measures (each a change or a mean)."""
    chart = pygal.Bar(**_config(PERSONALIZED, GENERIC, value_formatter=lambda v: f"{v:+.2f}" if v else "0"))
    chart.x_labels = measures
    chart.add(_("Personalized analogy"), personalized)
    chart.add(_("Generic analogy"), generic)
    return _finish(chart)
