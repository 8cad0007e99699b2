"""The Chinese fonts PDF letters are set in: Debian's fonts-noto-cjk, found on disk, never fetched.

Letters embed (a subset of) Noto Serif CJK SC for the text and Noto Sans CJK SC Bold for headings,
so a letter prints the same on any machine. The fonts come from the Debian package fonts-noto-cjk
(``make run`` and ``make test`` install it); ``ARREARS_PDF_FONT_DIR`` points elsewhere if a bank
keeps them in another folder. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection

SEARCH = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk", "/usr/share/fonts/google-noto-cjk")
TEXT_FILE = "NotoSerifCJK-Regular.ttc"
HEADING_FILE = "NotoSansCJK-Bold.ttc"


class FontMissing(RuntimeError):
    """No CJK font to set a letter in; the message says what to install."""


@dataclass(frozen=True, slots=True)
class Face:
    path: Path
    index: int  # the Simplified Chinese face within the collection


@dataclass(frozen=True, slots=True)
class Faces:
    text: Face
    heading: Face


def _simplified_chinese(path: Path) -> Face:
    """The SC face of a Noto CJK collection (the order of faces differs between releases)."""
    for index, font in enumerate(TTCollection(str(path)).fonts):
        name = font["name"].getDebugName(1) or ""  # the family, e.g. "Noto Sans CJK SC"
        if name.endswith(" SC") and "Mono" not in name:
            return Face(path, index)
    raise FontMissing(f"{path} 中没有简体中文字体 / has no Simplified Chinese face")


@cache
def faces(directory: str = "") -> Faces:
    """The text and heading faces, from ``directory`` or Debian's usual folders."""
    folders = [Path(directory)] if directory else [Path(d) for d in SEARCH]
    for folder in folders:
        text, heading = folder / TEXT_FILE, folder / HEADING_FILE
        if text.is_file() and heading.is_file():
            return Faces(_simplified_chinese(text), _simplified_chinese(heading))
    where = ", ".join(str(f) for f in folders)
    raise FontMissing(
        f"找不到中文字体（{TEXT_FILE}、{HEADING_FILE}），请安装 Debian 软件包 fonts-noto-cjk 或设置 "
        f"ARREARS_PDF_FONT_DIR / no CJK font in {where}: "
        "install Debian's fonts-noto-cjk or set ARREARS_PDF_FONT_DIR"
    )
