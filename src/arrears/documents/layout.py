"""A formal letter as a PDF page: issuer, number and date, title, addressee, paragraphs, a table of
figures, and the issuer's signature and seal block. Pure (fpdf2, no Django).

Every letter kind (settlement certificate, demand letter, lawyer's letter, …) is a ``Letter`` value;
this module only lays it out, so all letters look alike and a kind never draws its own page.
"""

from __future__ import annotations

import datetime as dt
import math
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
    grid: tuple[tuple[str, ...], ...] = ()  # a table with a header row (a plan's schedule)
    after: tuple[str, ...] = ()  # paragraphs after the tables (rights, how to pay, contact)
    closing: tuple[str, ...] = ()
    seal: str = "（盖章）"
    footer: str = ""
    signed: tuple[str, ...] = ()  # lines under the issuer's name (the lawyers)
    # The name drawn round a red circular seal over the signature; empty: no seal drawn.
    seal_name: str = ""


LINE = 7.0  # mm between lines of a paragraph


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
    pdf.set_margins(24, 18, 24)
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
    pdf.ln(4)
    pdf.set_text_color(0)
    pdf.set_font("heading", size=20)
    pdf.cell(0, 12, letter.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font("text", size=11.5)
    if letter.addressee:
        pdf.cell(0, 8, letter.addressee, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    for paragraph in letter.paragraphs:
        _paragraph(pdf, paragraph)
        pdf.ln(1.5)
    if letter.table:
        pdf.ln(2)
        _figures(pdf, letter.table)
        pdf.ln(4)
    if letter.grid:
        pdf.ln(2)
        _grid(pdf, letter.grid)
        pdf.ln(4)
    for paragraph in letter.after:
        _paragraph(pdf, paragraph)
        pdf.ln(1.5)
    day = letter.issued_on
    block = [letter.issuer, *letter.signed, letter.seal, f"{day.year}年{day.month}月{day.day}日"]
    block = [line for line in block if line]
    # The closing words, the signature block and its seal stay together on one page.
    if pdf.get_y() + LINE * len(letter.closing) + 6 + 6.5 * len(block) > pdf.h - pdf.b_margin:
        pdf.add_page()
    for line in letter.closing:
        _paragraph(pdf, line)
    pdf.ln(6)
    top = pdf.get_y()
    for line in block:
        pdf.cell(0, 6.5, line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if letter.seal_name:
        _seal(pdf, letter.seal_name, cx=pdf.w - pdf.r_margin - 24, cy=top + 3.25 * len(block))
    return bytes(pdf.output())


SEAL_RED = (200, 30, 30)
PT = 25.4 / 72  # mm in a point


def _seal(pdf: FPDF, name: str, *, cx: float, cy: float, radius: float = 19) -> None:
    """A round red seal: the name along the upper arc, a star in the middle (drawn, not an image).

    It marks the letter as the issuer's; the issuer's physical or electronic seal policy decides
    whether a printed letter is additionally stamped by hand."""
    pdf.set_draw_color(*SEAL_RED)
    pdf.set_fill_color(*SEAL_RED)
    pdf.set_text_color(*SEAL_RED)
    pdf.set_line_width(1.0)
    pdf.circle(x=cx, y=cy, radius=radius)
    pdf.set_line_width(0.2)
    chars = list(name)
    span = min(240.0, 22.0 * len(chars))  # degrees of the arc the name covers
    inner = radius - 4.2  # the middle of the ring the name is written in
    per_char = inner * math.radians(span / len(chars))  # mm of arc per character
    size = max(6.5, min(13.0, per_char / PT * 0.8))
    pdf.set_font("heading", size=size)
    for i, ch in enumerate(chars):
        angle = -span / 2 + span * (i + 0.5) / len(chars)  # 0 = straight up, clockwise positive
        rad = math.radians(angle)
        x, y = cx + inner * math.sin(rad), cy - inner * math.cos(rad)
        width = pdf.get_string_width(ch)
        with pdf.rotation(-angle, x=x, y=y):
            pdf.text(x - width / 2, y + size * PT * 0.38, ch)
    star = []
    for k in range(10):
        r = 6.0 if k % 2 == 0 else 2.4
        a = math.radians(-90 + 36 * k)
        star.append((cx + r * math.cos(a), cy + 1.5 + r * math.sin(a)))
    pdf.polygon(star, style="F")
    pdf.set_text_color(0)
    pdf.set_draw_color(0)


def _paragraph(pdf: FPDF, text: str) -> None:
    """A paragraph with the Chinese first-line indent of two characters, broken by ``wrap``."""
    indent = 2 * pdf.get_string_width("\u4e00")
    for i, line in enumerate(wrap(text, pdf.get_string_width, pdf.epw - indent, pdf.epw)):
        pdf.set_x(pdf.l_margin + (indent if i == 0 else 0))
        pdf.cell(0, LINE, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


# Chinese line breaking (禁则): no line starts with closing punctuation, none ends with an opening
# one; a run of Latin letters and digits (an amount, an account number, a date) is never split.
NO_LINE_START = set("，。、；：？！）》」』】〉”’%,.;:?!)")
NO_LINE_END = set("（《「『【〈“‘(¥$")
_TOKENS = re.compile(r"[A-Za-z0-9¥$.,:%/+*\-]+|\s+|.", re.S)


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
        line, room = (line[len(kept) :] + token).lstrip(), width
    if line:
        lines.append(line.rstrip())
    return lines


def _grid(pdf: FPDF, rows: tuple[tuple[str, ...], ...]) -> None:
    """A ruled table, header row shaded and repeated on a new page; the last column right-aligned."""
    header, *body = rows
    widths = [pdf.epw / len(header)] * len(header)
    pdf.set_draw_color(160)

    def row(cells: tuple[str, ...], *, head: bool) -> None:
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            last = i == len(cells) - 1
            align = "R" if last and not head else "C"
            after = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT} if last else {}
            pdf.cell(width, 7, f" {cell} ", border=1, align=align, fill=head, **after)

    pdf.set_fill_color(238)
    row(header, head=True)
    for cells in body:
        if pdf.get_y() + 7 > pdf.h - pdf.b_margin:
            pdf.add_page()
            row(header, head=True)
        row(cells, head=False)


def _figures(pdf: FPDF, rows: tuple[tuple[str, str], ...]) -> None:
    width = pdf.epw
    pdf.set_draw_color(160)
    for label, value in rows:
        pdf.cell(width * 0.6, 7.5, f"  {label}", border="B")
        pdf.cell(width * 0.4, 7.5, f"{value}  ", border="B", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
