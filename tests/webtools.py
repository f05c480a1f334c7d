"""Helpers for the web and browser tests: compiled catalogues, CSRF tokens, logging in."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "webapp" / "translations"
PASSWORD = "password123"
_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def compile_catalogues() -> None:
    """Compile each ``messages.po`` into ``messages.mo`` when missing or older (as `make`)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with mo.open("wb") as target:
            write_mo(target, catalog)


def csrf_token(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)
