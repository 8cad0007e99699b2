"""The evidence bundle (证据材料) filed with a suit, as one PDF: a cover, an index with page numbers,
then the case facts, the ledger, the contact history, the letters sent and the legal events.

Pure (fpdf2 and the fonts module, no Django): ``evidence.py`` reads the facts off the database and
hands them over as a :class:`Bundle`; this module only lays them out, in Chinese, since it goes to a
Chinese court. The ledger's totals are printed next to the case's balances, and a difference (which
would mean the record is broken) is printed as such rather than hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace
from fpdf.outline import OutlineSection

from arrears.documents.fonts import Faces
from arrears.documents.layout import wrap

SECTIONS = ("一、案件基本情况", "二、账务明细", "三、催收联系记录", "四、已发函件", "五、法律程序记录")


@dataclass(frozen=True, slots=True)
class LedgerLine:
    on: dt.date
    kind: str
    component: str
    amount: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class Total:
    component: str
    ledger: Decimal  # the sum of the component's ledger entries
    balance: Decimal  # the case's balance column for it


@dataclass(frozen=True, slots=True)
class ContactLine:
    at: dt.datetime
    channel: str
    party: str
    outcome: str
    result: str
    by: str


@dataclass(frozen=True, slots=True)
class LetterLine:
    on: dt.date
    what: str
    number: str
    by: str


@dataclass(frozen=True, slots=True)
class LegalLine:
    on: dt.date
    what: str
    detail: str


@dataclass(frozen=True)
class Bundle:
    number: str
    prepared_on: dt.date
    prepared_by: str
    organisation: str
    creditor: str
    debtor: str
    court: str  # of the latest suit, or "" before filing
    court_number: str
    facts: tuple[tuple[str, str], ...]  # (label, value) of the case as on file
    ledger: tuple[LedgerLine, ...]
    totals: tuple[Total, ...]
    contacts: tuple[ContactLine, ...]
    letters: tuple[LetterLine, ...]
    legal: tuple[LegalLine, ...]

    @property
    def balanced(self) -> bool:
        return all(t.ledger == t.balance for t in self.totals)


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class _Pages(FPDF):
    footer_text = ""

    def footer(self) -> None:
        if self.page_no() == 1:  # the cover carries no page number
            return
        self.set_y(-14)
        self.set_font("text", size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.footer_text}    第 {self.page_no()} 页 共 {{nb}} 页", align="C")
        self.set_text_color(0)


def render(bundle: Bundle, faces: Faces) -> bytes:
    """The bundle as PDF bytes with the Chinese fonts embedded; the same bundle gives the same bytes."""
    pdf = _Pages(format="A4")
    pdf.footer_text = f"证据材料 {bundle.number}"
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("text", fname=faces.text.path, collection_font_number=faces.text.index)
    pdf.add_font("heading", fname=faces.heading.path, collection_font_number=faces.heading.index)
    pdf.set_title(f"证据材料 {bundle.number}")
    pdf.set_author(bundle.organisation)
    pdf.set_creator("arrears")
    pdf.set_creation_date(dt.datetime.combine(bundle.prepared_on, dt.time(), dt.UTC))
    _cover(pdf, bundle)
    pdf.add_page()
    pdf.insert_toc_placeholder(_index, pages=1, allow_extra_pages=True, reset_page_indices=False)
    _facts(pdf, bundle)
    _ledger(pdf, bundle)
    _contacts(pdf, bundle)
    _letters(pdf, bundle)
    _legal(pdf, bundle)
    return bytes(pdf.output())


def _cover(pdf: FPDF, b: Bundle) -> None:
    pdf.add_page()
    pdf.set_font("text", size=9)
    pdf.cell(0, 5, f"编号：{b.number}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(45)
    pdf.set_font("heading", size=30)
    pdf.cell(0, 16, "证 据 材 料", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("text", size=13)
    pdf.cell(0, 9, "（信用卡 / 消费贷款欠款纠纷）", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(30)
    rows = [
        ("债权人", b.creditor),
        ("债务人", b.debtor),
        ("受理法院", b.court or "（尚未立案）"),
        ("案号", b.court_number or "—"),
        ("整理单位", b.organisation),
        ("整理人", b.prepared_by),
        ("整理日期", _day(b.prepared_on)),
    ]
    pdf.set_font("text", size=12)
    left = pdf.l_margin + 30
    for label, value in rows:
        pdf.set_x(left)
        pdf.cell(32, 10, label, border="B")
        pdf.cell(pdf.epw - 60 - 32, 10, value, border="B", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _index(pdf: FPDF, outline: list[OutlineSection]) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font("heading", size=18)
    pdf.cell(0, 14, "目  录", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font("text", size=12)
    for section in outline:
        if section.level != 0:
            continue
        pdf.cell(pdf.epw - 25, 10, section.name, border="B", link=pdf.add_link(page=section.page_number))
        pdf.cell(25, 10, f"第 {section.page_number} 页", border="B", align="R",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.ln(6)
    pdf.set_font("text", size=9)
    pdf.set_text_color(90)
    pdf.multi_cell(0, 5, "本材料由催收管理系统根据案件档案、账务记录、联系记录与法务记录自动汇编，"
                   "金额均取自账务记录。", wrapmode=WrapMode.CHAR)  # fmt: skip
    pdf.set_text_color(0)


def _heading(pdf: FPDF, index: int) -> None:
    name = SECTIONS[index]
    if index:
        pdf.add_page()
    pdf.start_section(name)
    pdf.set_font("heading", size=15)
    pdf.cell(0, 12, name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("text", size=10)


def _note(pdf: FPDF, text: str) -> None:
    for line in wrap(text, pdf.get_string_width, pdf.epw, pdf.epw):
        pdf.cell(0, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


_HEAD = FontFace(family="heading", emphasis="", fill_color=(235, 235, 235))


def _table(pdf: FPDF, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int],
           right: Sequence[int] = (), empty: str = "无") -> None:  # fmt: skip
    """A bordered table, its headings repeated on each page; ``right`` are the numeric columns."""
    if not rows:
        _note(pdf, empty)
        return
    pdf.set_font("text", size=9)
    align = tuple("RIGHT" if i in right else "LEFT" for i in range(len(head)))
    with pdf.table(
        col_widths=widths, headings_style=_HEAD, text_align=align, wrapmode=WrapMode.CHAR,
        line_height=5.5, padding=1.2, repeat_headings=1,
    ) as table:  # fmt: skip
        table.row(list(head))
        for row in rows:
            table.row(list(row))
    pdf.ln(3)


def _facts(pdf: FPDF, b: Bundle) -> None:
    _heading(pdf, 0)
    _table(pdf, ("项目", "内容"), b.facts, (30, 70))


def _ledger(pdf: FPDF, b: Bundle) -> None:
    _heading(pdf, 1)
    _note(pdf, "下表逐笔列示本案全部账务记录（正数为计入欠款，负数为回款、减免或冲减）。")
    pdf.ln(1)
    rows = [(e.on.isoformat(), e.kind, e.component, f"{e.amount:,.2f}", e.reason) for e in b.ledger]
    _table(pdf, ("日期", "类型", "科目", "金额（元）", "摘要"), rows, (16, 14, 14, 16, 40), right=(3,))
    pdf.set_font("heading", size=11)
    pdf.cell(0, 9, "各科目合计", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    total_ledger = sum((t.ledger for t in b.totals), Decimal("0.00"))
    total_balance = sum((t.balance for t in b.totals), Decimal("0.00"))
    rows = [(t.component, yuan(t.ledger), yuan(t.balance)) for t in b.totals]
    rows.append(("合计", yuan(total_ledger), yuan(total_balance)))
    _table(pdf, ("科目", "账务记录合计", "案件当前余额"), rows, (30, 35, 35), right=(1, 2))
    _note(pdf, "账务记录合计与案件当前余额一致。" if b.balanced
          else "注意：账务记录合计与案件当前余额不一致，请核对后再提交。")  # fmt: skip


def _contacts(pdf: FPDF, b: Bundle) -> None:
    _heading(pdf, 2)
    rows = [
        (c.at.strftime("%Y-%m-%d %H:%M"), c.channel, c.party, c.outcome, c.result, c.by) for c in b.contacts
    ]
    _table(pdf, ("时间", "方式", "联系对象", "联系结果", "结论", "催收员"), rows, (22, 14, 14, 18, 18, 14),
           empty="无联系记录")  # fmt: skip


def _letters(pdf: FPDF, b: Bundle) -> None:
    _heading(pdf, 3)
    rows = [(x.on.isoformat(), x.what, x.number, x.by) for x in b.letters]
    _table(pdf, ("日期", "函件", "编号", "出具人 / 律师事务所"), rows, (18, 30, 26, 26), empty="无已发函件")


def _legal(pdf: FPDF, b: Bundle) -> None:
    _heading(pdf, 4)
    rows = [(x.on.isoformat(), x.what, x.detail) for x in b.legal]
    _table(pdf, ("日期", "事项", "内容"), rows, (18, 22, 60), empty="无法律程序记录")
