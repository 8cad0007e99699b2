"""The letters themselves: demand letter (催收函), lawyer's letter (律师函), repayment plan agreement
(分期还款协议), credit-bureau reporting notice (征信上报告知书) and locate letter (联络函). Pure.

Each builder takes the facts (read off the ledger and the records by the services, never typed), checks
the kind's required facts, and returns a ``Letter`` for the layout. A letter has two parts:

- the **body**: the opening paragraphs, which a creditor may word its own way (``LetterTemplate``),
  with placeholders such as ``{debtor_name}`` or ``{total}``;
- the **fixed parts**, which no template replaces: the table of amounts from the ledger, the legal
  basis, the debtor's rights, how to check, repay and dispute, the issuer's contact details and seal.
  That is how a reworded letter still carries everything Art 69 of the 2011 Measures asks for.

The wording avoids what the compliance guard refuses (no court or police vocabulary, no threats);
the guard screens every letter again when it is sent.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from arrears.documents.kinds import (
    CREDIT_NOTICE,
    DEMAND_LETTER,
    KINDS,
    LAWYER_LETTER,
    LOCATE_LETTER,
    PLAN_AGREEMENT,
    Kind,
    require,
)
from arrears.documents.layout import Letter


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def shown(facts: Mapping[str, Any]) -> dict[str, str]:
    """Every fact as it is printed: amounts as ¥1,234.56, dates as 2026年3月2日."""
    out: dict[str, str] = {}
    for name, value in facts.items():
        if isinstance(value, Decimal):
            out[name] = yuan(value)
        elif isinstance(value, dt.date):
            out[name] = cn_date(value)
        elif isinstance(value, str | int):
            out[name] = str(value)
    return out


# The body each kind has when the creditor has not worded its own (placeholders are facts).
DEFAULT_BODY: dict[str, tuple[str, ...]] = {
    DEMAND_LETTER.code: (
        "您在{creditor}开立的{product}账户（账号尾号{account_tail}）自{overdue_since}起未按约定还款。"
        "截至{as_of}，该账户尚欠款项合计人民币{total}，明细见下表。",
        "请您于{reply_by}前归还上述欠款，或与我们联系协商还款安排。如您确有困难，可以申请分期还款，"
        "我们将依规认真考虑。",
    ),
    LAWYER_LETTER.code: (
        "{firm}受{creditor}委托，就您在其处开立的{product}账户（账号尾号{account_tail}）未按约定还款一事，"
        "致函如下：",
        "据委托人提供的账户记录，该账户自{overdue_since}起逾期。截至{as_of}，尚欠款项合计人民币{total}，"
        "明细见下表。",
        "本所律师认为，您与委托人之间的合同关系合法有效，按约还款是您应当履行的合同义务。请您于{reply_by}前"
        "归还上述欠款，或与委托人联系协商还款方案。逾期未处理的，本所将建议委托人依法通过诉讼等法律途径"
        "主张权利。",
    ),
    PLAN_AGREEMENT.code: (
        "甲方：{creditor}（以下简称甲方）；乙方：{debtor_name}，证件号码{id_masked}（以下简称乙方）。",
        "乙方在甲方开立的{product}账户（账号尾号{account_tail}）截至{agreed_on}尚欠款项合计人民币{total}。"
        "经双方协商一致，就上述欠款的分期偿还达成如下协议：",
    ),
    CREDIT_NOTICE.code: (
        "您在{creditor}开立的{product}账户（账号尾号{account_tail}）自{overdue_since}起逾期，截至{as_of}"
        "尚欠款项合计人民币{total}。",
        "根据《征信业管理条例》第十五条，信息提供者向征信机构提供个人不良信息，应当事先告知信息主体本人。"
        "现特此告知：如您在{report_from}前仍未归还上述欠款或与我们达成还款安排，{creditor}将依法向"
        "金融信用信息基础数据库报送该账户的逾期信息。",
    ),
    LOCATE_LETTER.code: (
        "我们有一件私人事务需要与{debtor_name}本人联系，但近期未能与其取得联系。",
        "如您方便，烦请转告{debtor_name}尽快拨打{agency_phone}与我们联系。如您不认识此人，或不希望再收到"
        "此类来信，请拨打上述电话告知，我们将不再打扰。感谢您的帮助。",
    ),
}


class TemplateError(ValueError):
    """A template names a placeholder the kind does not have, or is malformed."""


def placeholders(kind: Kind) -> tuple[str, ...]:
    """The facts a template of ``kind`` may name (a locate letter has no amounts to name)."""
    return tuple(name for name in kind.required if name != "schedule")


def check_template(kind: Kind, body: str) -> list[str]:
    """The placeholders ``body`` uses; raises TemplateError naming an unknown one."""
    allowed, used = set(placeholders(kind)), []
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError as exc:
        raise TemplateError(f"模板格式有误（{exc}）/ the template is malformed: {exc}") from None
    for _text, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in allowed or spec or conversion:
            names = "、".join(sorted(allowed))
            raise TemplateError(
                f"模板中的占位符 {{{field}}} 不可用，可用：{names} / unknown placeholder {{{field}}}"
            )
        used.append(field)
    return used


def paragraphs_of(body: str) -> tuple[str, ...]:
    """A template's paragraphs: blocks separated by a blank line, inner line breaks joined."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in body.split("\n\n")]
    return tuple(b.strip() for b in blocks if b.strip())


def body(kind: Kind, facts: Mapping[str, Any], template: str = "") -> tuple[str, ...]:
    """The body paragraphs: the creditor's template if it has one, the default otherwise."""
    values = shown(facts)
    if template.strip():
        check_template(kind, template)
        return tuple(p.format_map(values) for p in paragraphs_of(template))
    return tuple(p.format_map(values) for p in DEFAULT_BODY[kind.code])


def _amounts(f: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    rows = [("本金", f["principal"]), ("利息", f["interest"]), ("违约金", f["late_fee"])]
    if f["other_fees"]:
        rows.append(("其他费用", f["other_fees"]))
    if f["legal_costs"]:
        rows.append(("法律费用", f["legal_costs"]))
    rows.append((f"欠款合计（截至{cn_date(f['as_of'])}）", f["total"]))
    return tuple((label, yuan(amount)) for label, amount in rows)


def _addressee(f: Mapping[str, Any]) -> str:
    return f"{f['debtor_name']}（证件号码：{f['id_masked']}）："


def demand_letter(facts: Mapping[str, Any], *, number: str, issued_on: dt.date, template: str = "") -> Letter:
    """催收函, with every element of Art 69 of the 2011 credit-card Measures."""
    require(DEMAND_LETTER, facts)
    f = shown(facts)
    fixed = (
        "【催收事由及依据】您未按与" + f["creditor"] + "约定的期限和金额还款。根据《中华人民共和国民法典》"
        "第五百零九条、第六百七十五条和第六百七十六条，借款人应当按照约定的期限返还借款并支付利息，"
        "未按约定还款的，应当按约定或国家有关规定支付逾期利息。",
        "【您的权利】您有权查询账户明细、了解欠款构成；对欠款金额或本函内容有异议的，有权提出异议，"
        "异议核实期间我们将暂停对该笔欠款的催收；您有权就催收行为进行投诉。"
        "我们只向您本人催收，不会向与债务无关的第三人透露您的欠款信息。",
        f"【查询账户及还款】查询账户：{f['check_how']}。还款方式：{f['repay_how']}。",
        f"【异议及投诉】{f['dispute_how']}。",
        f"【联系方式】{f['creditor']}，地址：{f['issuer_address']}，电话：{f['issuer_phone']}。"
        f"本函由{f['agency']}受{f['creditor']}委托寄送。如您已还清上述欠款，请忽略本函。",
    )
    return Letter(
        title=DEMAND_LETTER.title_zh,
        issuer=f["creditor"],
        number=number,
        issued_on=issued_on,
        addressee=_addressee(f),
        paragraphs=body(DEMAND_LETTER, facts, template),
        table=_amounts(facts),
        after=fixed,
        closing=("特此函告。",),
        seal="（盖章）",
        seal_name=f["creditor"],
        footer=f"{f['creditor']}  ·  编号 {number}",
    )


def lawyer_letter(facts: Mapping[str, Any], *, number: str, issued_on: dt.date, template: str = "") -> Letter:
    """律师函, issued by a partner law firm on the creditor's instruction."""
    require(LAWYER_LETTER, facts)
    f = shown(facts)
    fixed = (
        "【依据】《中华人民共和国民法典》第五百零九条、第五百七十七条、第六百七十五条、第六百七十六条。",
        f"【还款方式】{f['repay_how']}。委托人联系电话：{f['issuer_phone']}。",
        f"【异议】您对欠款金额有异议的，可提出异议并提供相关材料，核实期间暂停催收：{f['dispute_how']}。",
        f"【本所】{f['firm']}（执业许可证号：{f['firm_licence']}），地址：{f['firm_address']}，"
        f"电话：{f['firm_phone']}。承办律师：{f['lawyers']}。",
    )
    return Letter(
        title=LAWYER_LETTER.title_zh,
        issuer=f["firm"],
        number=number,
        issued_on=issued_on,
        addressee=_addressee(f),
        paragraphs=body(LAWYER_LETTER, facts, template),
        table=_amounts(facts),
        after=fixed,
        closing=("特此函告。",),
        signed=(f"承办律师：{f['lawyers']}",),
        seal="（律师事务所盖章）",
        seal_name=f["firm"],
        footer=f"{f['firm']}  ·  编号 {number}",
    )


def plan_agreement(
    facts: Mapping[str, Any], *, number: str, issued_on: dt.date, template: str = ""
) -> Letter:
    """分期还款协议 of an active plan, with its schedule of instalments (number 0: down payment)."""
    require(PLAN_AGREEMENT, facts)
    f = shown(facts)
    schedule: Sequence[tuple[int, dt.date, Decimal]] = facts["schedule"]
    clauses = (
        f"一、乙方按本协议应还款合计人民币{f['plan_total']}"
        + (f"（其中首付款{f['down_payment']}）" if facts["down_payment"] else "")
        + f"，分{f['months']}期按下表所列日期和金额归还。",
        f"二、乙方按期足额履行完毕本协议的，甲方减免人民币{f['waived']}，该账户项下欠款即告结清。"
        if facts["waived"]
        else "二、乙方按期足额履行完毕本协议的，该账户项下欠款即告结清。",
        "三、本协议履行期间，甲方停止对乙方的催收，仅按期发送还款提醒。",
        "四、乙方未按期足额还款累计达到约定次数的，甲方有权解除本协议，减免不再适用，"
        "已还款项从欠款中扣除，乙方应按原合同归还剩余欠款。",
        f"五、还款方式：{f['repay_how']}。甲方联系电话：{f['issuer_phone']}，地址：{f['issuer_address']}。",
        "六、本协议一式两份，甲乙双方各执一份，自双方签字（盖章）之日起生效。",
    )
    grid = (
        ("期次", "应还日期", "应还金额"),
        *(("首付" if n == 0 else f"第{n}期", cn_date(day), yuan(amount)) for n, day, amount in schedule),
    )
    return Letter(
        title=PLAN_AGREEMENT.title_zh,
        issuer=f"甲方：{f['creditor']}",
        number=number,
        issued_on=issued_on,
        paragraphs=body(PLAN_AGREEMENT, facts, template) + clauses,
        grid=grid,
        closing=("乙方（签字）：____________    日期：____年__月__日",),
        seal="（盖章）",
        seal_name=f["creditor"],
        footer=f"{f['agency']}受{f['creditor']}委托制作  ·  编号 {number}",
    )


def credit_notice(facts: Mapping[str, Any], *, number: str, issued_on: dt.date, template: str = "") -> Letter:
    """征信上报告知书: the prior notice 征信业管理条例 Art 15 requires before negative information."""
    require(CREDIT_NOTICE, facts)
    f = shown(facts)
    fixed = (
        "【您的权利】根据《征信业管理条例》第十七条、第二十五条，您有权向征信机构查询本人信用报告；"
        "认为信息有错误、遗漏的，有权向征信机构或信息提供者提出异议，要求更正。不良信息自不良行为"
        "或者事件终止之日起保存5年，5年后予以删除。",
        f"【查询账户及还款】查询账户：{f['check_how']}。还款方式：{f['repay_how']}。",
        f"【异议】{f['dispute_how']}。",
        f"【联系方式】{f['creditor']}，地址：{f['issuer_address']}，电话：{f['issuer_phone']}。",
    )
    return Letter(
        title=CREDIT_NOTICE.title_zh,
        issuer=f["creditor"],
        number=number,
        issued_on=issued_on,
        addressee=_addressee(f),
        paragraphs=body(CREDIT_NOTICE, facts, template),
        after=fixed,
        closing=("特此告知。",),
        seal="（盖章）",
        seal_name=f["creditor"],
        footer=f"{f['creditor']}  ·  编号 {number}",
    )


def locate_letter(facts: Mapping[str, Any], *, number: str, issued_on: dt.date, template: str = "") -> Letter:
    """联络函 to a contact person: who is sought and whom to call, nothing about any debt or creditor.

    Only the locate facts are read; any other fact handed in (an amount, the creditor) is ignored, and
    the guard screens the text for disclosure when the letter is sent."""
    require(LOCATE_LETTER, facts)
    only = {name: facts[name] for name in LOCATE_LETTER.required}
    f = shown(only)
    return Letter(
        title=LOCATE_LETTER.title_zh,
        issuer=f["agency"],
        number=number,
        issued_on=issued_on,
        addressee=f"{f['contact_name']}：",
        paragraphs=body(LOCATE_LETTER, only, template),
        seal="",
        footer=f"编号 {number}",
    )


BUILDERS = {
    DEMAND_LETTER.code: demand_letter,
    LAWYER_LETTER.code: lawyer_letter,
    PLAN_AGREEMENT.code: plan_agreement,
    CREDIT_NOTICE.code: credit_notice,
    LOCATE_LETTER.code: locate_letter,
}


def build(
    code: str, facts: Mapping[str, Any], *, number: str, issued_on: dt.date, template: str = ""
) -> Letter:
    """The letter of kind ``code`` (raises KeyError for a kind that is not a letter)."""
    if code not in BUILDERS:
        raise KeyError(f"{code!r} is not a letter kind; letters: {', '.join(BUILDERS)}")
    assert code in KINDS
    return BUILDERS[code](facts, number=number, issued_on=issued_on, template=template)


def text_of(letter: Letter) -> str:
    """Everything the letter says, as one text: what the compliance guard screens."""
    parts = [letter.title, letter.addressee, *letter.paragraphs]
    parts += [f"{label} {value}" for label, value in letter.table]
    parts += [" ".join(row) for row in letter.grid]
    parts += [*letter.after, *letter.closing, letter.issuer, *letter.signed]
    return "\n".join(p for p in parts if p)
