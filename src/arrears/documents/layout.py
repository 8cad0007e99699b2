"""A formal letter as a PDF page: issuer, number and date, title, addressee, paragraphs, a table of
figures, and the issuer's signature and seal block. Pure (fpdf2, no Django).

Every letter kind (settlement certificate, demand letter, lawyer's letter, …) is a ``Letter`` value;
this module only lays it out, so all letters look alike and a kind never draws its own page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from arrears.documents.fonts import Faces


@dataclass(frozen=True)
class Letter:
    title: str
    issuer: str  # who issues it, as on the seal
    number: str
    issued_on: dt.date
    addressee: str = ""
    paragraphs: tuple[str, ...] = ()
    table: tuple[tuple[str, str], ...] = ()  # (label, value) rows, values right-aligned
    closing: tuple[str, ...] = ()
    seal: str = "（盖章）"
    footer: str = ""


class _Page(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("text", size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.footer_text}    第 {self.page_no()} 页 共 {{nb}} 页", align="C")


def render(letter: Letter, faces: Faces) -> bytes:
    """The letter as PDF bytes, fonts embedded. The same letter gives the same bytes."""
    pdf = _Page(format="A4")
    pdf.footer_text = letter.footer
    pdf.set_margins(24, 22, 24)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_font("text", fname=faces.text.path, collection_font_number=faces.text.index)
    pdf.add_font("heading", fname=faces.heading.path, collection_font_number=faces.heading.index)
    pdf.set_title(letter.title)
    pdf.set_author(letter.issuer)
    pdf.set_creator("arrears")
    # A fixed creation date (the issue date) keeps a re-printed letter byte-identical.
    pdf.set_creation_date(dt.datetime.combine(letter.issued_on, dt.time(), dt.UTC))
    pdf.add_page()

    pdf.set_font("text", size=9)
    pdf.set_text_color(90)
    pdf.cell(0, 5, f"编号：{letter.number}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_text_color(0)
    pdf.set_font("heading", size=20)
    pdf.cell(0, 12, letter.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    pdf.set_font("text", size=12)
    if letter.addressee:
        pdf.cell(0, 8, letter.addressee, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    for paragraph in letter.paragraphs:
        _paragraph(pdf, paragraph)
        pdf.ln(2)
    if letter.table:
        pdf.ln(2)
        _figures(pdf, letter.table)
        pdf.ln(4)
    for line in letter.closing:
        _paragraph(pdf, line)
    pdf.ln(14)
    day = letter.issued_on
    for line in (letter.issuer, letter.seal, f"{day.year}年{day.month}月{day.day}日"):
        pdf.cell(0, 8, line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _paragraph(pdf: FPDF, text: str) -> None:
    """A paragraph with the Chinese first-line indent of two characters, broken by ``wrap``."""
    indent = 2 * pdf.get_string_width("\u4e00")
    for i, line in enumerate(wrap(text, pdf.get_string_width, pdf.epw - indent, pdf.epw)):
        pdf.set_x(pdf.l_margin + (indent if i == 0 else 0))
        pdf.cell(0, 8, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


# Chinese line breaking (禁则): no line starts with closing punctuation, none ends with an opening
# one; a run of Latin letters and digits (an amount, an account number, a date) is never split.
NO_LINE_START = set("，。、；：？！）》」』】〉”’%,.;:?!)")
NO_LINE_END = set("（《「『【〈“‘(¥$")
_TOKENS = re.compile(r"[A-Za-z0-9¥$.,:%/+\-]+|\s+|.", re.S)


def wrap(text: str, measure: Callable[[str], float], first: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``first`` (the first line) then ``width``; a closing
    punctuation mark that would start a line hangs at the end of the line before instead."""
    lines: list[str] = []
    line, room = "", first
    for token in _TOKENS.findall(text):
        if measure(line + token) <= room or not line or token[0] in NO_LINE_START:
            line += token
            continue
        kept = line.rstrip("".join(NO_LINE_END))
        if not kept.strip():  # nothing but an opening mark: it stays with what follows, overfull
            line += token
            continue
        lines.append(kept.rstrip())
        line, room = (line[len(kept):] + token).lstrip(), width
    if line:
        lines.append(line.rstrip())
    return lines


def _figures(pdf: FPDF, rows: tuple[tuple[str, str], ...]) -> None:
    width = pdf.epw
    pdf.set_draw_color(160)
    for label, value in rows:
        pdf.cell(width * 0.6, 8, f"  {label}", border="B")
        pdf.cell(width * 0.4, 8, f"{value}  ", border="B", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
