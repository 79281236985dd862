"""The Korean translation is whole: every message in locale/ko has a translation and none is fuzzy, the
compiled catalogue is not older than its source, and every known theme has a label (audit actions:
tests/tenancy/test_audit_actions.py)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings

from workshop.engine import DOMAIN_FAMILIES, THEMES
from workshop.reports.labels import FAMILY
from workshop.scenarios.themes import THEME_LABELS

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def po_entries(text: str) -> list[dict]:
    """The catalogue's entries: their flags and the msgid/msgid_plural/msgstr strings (obsolete ones left out)."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        entry: dict = {"flags": set(), "strings": {}}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif match := re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line):
                key = match.group(1)
                entry["strings"][key] = ast.literal_eval(f'"{match.group(2)}"')
            elif line.startswith('"') and key:
                entry["strings"][key] += ast.literal_eval(line)
        entries.append(entry)
    return entries


def test_every_korean_message_is_translated_and_none_is_fuzzy():
    entries = [e for e in po_entries(PO.read_text(encoding="utf-8")) if e["strings"].get("msgid")]
    assert len(entries) > 500
    untranslated = [e["strings"]["msgid"] for e in entries
                    if any(not v for k, v in e["strings"].items() if k.startswith("msgstr"))]
    fuzzy = [e["strings"]["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], f"untranslated: {untranslated[:20]}"
    assert fuzzy == [], f"fuzzy: {fuzzy[:20]}"


def test_the_translations_keep_their_placeholders():
    for entry in po_entries(PO.read_text(encoding="utf-8")):
        strings = entry["strings"]
        if not strings.get("msgid") or "python-format" not in entry["flags"]:
            continue
        wanted = set(re.findall(r"%\(\w+\)[sd]", strings["msgid"] + strings.get("msgid_plural", "")))
        for key, value in strings.items():
            if key.startswith("msgstr"):
                assert set(re.findall(r"%\(\w+\)[sd]", value)) <= wanted, strings["msgid"]


def test_the_compiled_catalogue_holds_every_translation_of_its_source():
    """compilemessages was run after the last edit: the .mo the site reads says what the .po says."""
    with PO.with_suffix(".mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    stale = []
    for entry in po_entries(PO.read_text(encoding="utf-8")):
        strings = entry["strings"]
        if not strings.get("msgid") or "msgid_plural" in strings:
            continue
        key = f"{strings['msgctxt']}\x04{strings['msgid']}" if "msgctxt" in strings else strings["msgid"]
        if catalog.get(key) != strings["msgstr"]:
            stale.append(strings["msgid"])
    assert stale == [], f"not compiled: {stale[:10]}"


def test_every_known_theme_and_life_domain_family_has_a_translatable_label():
    assert set(THEME_LABELS) == set(THEMES)
    assert set(FAMILY) == set(DOMAIN_FAMILIES)
