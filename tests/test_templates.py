"""Template hygiene that a page render does not reveal: a page title holds text, never markup."""

from __future__ import annotations

import re
from pathlib import Path

import arrears

TEMPLATES = Path(arrears.__file__).parent / "templates"
TITLE = re.compile(r"{% block title %}(.*?){% endblock %}", re.S)


def test_every_title_block_is_plain_text():
    checked = 0
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "{% block title %}" not in text:
            continue
        match = TITLE.search(text)
        assert match is not None and "<" not in match.group(1), path.relative_to(TEMPLATES)
        checked += 1
    assert checked > 10
