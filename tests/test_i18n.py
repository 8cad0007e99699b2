"""Both languages are complete for what exists: every marked string has a Chinese translation, and
the compiled catalogue the server loads is the one the .po file describes."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import arrears

PACKAGE = Path(arrears.__file__).parent
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "ngettext"}
TEMPLATE_STRING = re.compile(r'{%\s*translate\s+"([^"]+)"')
BLOCK = re.compile(r"{%\s*blocktranslate[^%]*%}(.*?){%\s*(?:plural|endblocktranslate)", re.S)


def _unquote(text: str) -> str:
    return ast.literal_eval(f'"{text}"')


def catalogue() -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) from the .po file (plural entries keyed by their singular)."""
    entries: dict[str, tuple[str, bool]] = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = block.splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line)
            if m:
                current = m.group(1).replace("[0]", "")
                fields[current] = _unquote(m.group(2))
            elif line.startswith('"') and current:
                fields[current] += _unquote(line[1:-1])
        if fields.get("msgid"):
            entries[fields["msgid"]] = (fields.get("msgstr", ""), fuzzy)
    return entries


def marked_strings() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found.update(TEMPLATE_STRING.findall(text))
        found.update(" ".join(b.split()) if "\n" in b else b for b in BLOCK.findall(text))
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_NAMES
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_entry_is_translated_and_not_fuzzy():
    missing = [msgid for msgid, (msgstr, fuzzy) in catalogue().items() if not msgstr or fuzzy]
    assert missing == []


def test_every_marked_string_is_in_the_catalogue():
    known = set(catalogue())
    absent = sorted(s for s in marked_strings() if s not in known and "{{" not in s and "%(" not in s)
    assert absent == [], "run `make messages` and translate the new strings"


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, (msgstr, _fuzzy) in catalogue().items():
        if "%(" in msgid or "{{" in msgid:
            continue
        assert compiled.gettext(msgid) == msgstr, msgid


def test_translations_are_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    exempt = {"English", "EN", "API", "arrears"}  # names, the same in both languages
    not_chinese = [
        m for m, (s, _f) in catalogue().items() if not cjk.search(s) and s not in exempt and m not in exempt
    ]
    assert not_chinese == []


def test_ui_is_chinese_by_default_even_for_an_english_browser(client, db):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page


def test_ui_follows_the_language_the_user_chose(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    page = client.get("/login/").content.decode()
    assert "Log in" in page and "登录" not in page
