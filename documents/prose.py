"""Established facts as sentences, as a clerk writes them in a report or a
decision ("经查，……"), instead of "label: yes/no" checklists.

Each fact of the vocabulary (exemptions/catalogs/facts.yaml) may have its own
sentence for true and for false here, keyed by the fact's key; any other
fact is stated from its label. Sentences carry no closing punctuation: the
caller joins them and closes once, so none is ever doubled."""

from __future__ import annotations

import re

# key -> (sentence when established, sentence when established as not the case)
FACT_SENTENCES: dict[str, tuple[str, str]] = {
    "has_supervisory_duty": ("涉事事项属于当事执法人员所在部门的法定监管职责", "涉事事项不属于当事执法人员所在部门的法定监管职责"),
    "clear_supervisory_level": ("涉事事项有明确的监管层级", "涉事事项没有明确的监管层级"),
    "officer_at_responsible_level": ("当事执法人员属于相应的监管层级", "当事执法人员不属于相应的监管层级"),
    "performed_per_responsibility_list": ("当事执法人员严格依据监管责任清单和相关工作程序、制度正确履行了监管责任", "当事执法人员未严格依据监管责任清单和相关工作程序、制度履行监管责任"),
    "causation_proven": ("危害性事故与履职行为之间的因果关系已经证明", "危害性事故与履职行为之间的因果关系未能证明"),
    "fault_established": ("当事执法人员存在行政执法过错行为", "当事执法人员不存在行政执法过错行为"),
    "intentional_violation": ("当事执法人员存在故意违法的情形", "当事执法人员没有故意违法"),
    "gross_negligence": ("当事执法人员存在重大过失", "当事执法人员不存在重大过失"),
    "personal_gain": ("当事执法人员存在谋取私利的情形", "当事执法人员没有谋取私利"),
    "consequence_eliminated": ("不良后果已及时消除", "不良后果未能及时消除"),
    "formal_review_only": ("涉事材料依法只需形式审查", "涉事材料依法须作实质审查"),
    "formal_review_duty_fulfilled": ("当事执法人员已尽形式审查义务", "当事执法人员未尽形式审查义务"),
    "false_materials_provided": ("申请人、行政相对人或者第三方隐瞒有关情况，或者提供、出具了虚假证据、材料", "没有证据表明有关方面隐瞒情况或者提供虚假材料"),
    "review_duty_fulfilled": ("当事执法人员已按规定履行审查职责", "当事执法人员未按规定履行审查职责"),
    "based_on_test_or_expert_report": ("行政执法决定系依据检验、检测、鉴定报告或者专家评审意见作出", "行政执法决定并非依据检验、检测、鉴定报告或者专家评审意见作出"),
    "report_received": ("监管部门此前已接到举报", "监管部门此前未接到举报"),
    "inspection_duties_performed": ("当事执法人员已依法、按规定正常履行监督检查职责", "当事执法人员未依法履行监督检查职责"),
    "objectively_undiscoverable": ("问题由于客观原因未能发现", "问题并非由于客观原因未能发现"),
    "inspection_plan_followed": ("当事执法人员已按检查计划履行检查职责，或者尚未超过规定的检查时限", "当事执法人员未按检查计划履行检查职责"),
    "prescribed_items_inspected": ("当事执法人员已按规定的检查项目开展检查", "当事执法人员未按规定的检查项目开展检查"),
    "violation_handled": ("对发现的违法行为已依法查处、责令整改或者采取行政强制措施", "对发现的违法行为未依法处理"),
    "harm_occurred": ("事件造成了危害后果或者不良影响", "事件未造成危害后果或者不良影响"),
    "unclear_legal_basis": ("行政执法依据不明确，或者对有关事实和依据的理解认识不一致", "行政执法依据明确，理解认识一致"),
    "outside_jurisdiction_or_joint": ("涉事事项属于其他部门管辖，或者市场监督管理部门单独无法实施监管", "涉事事项属于市场监督管理部门管辖"),
    "clue_transferred_or_reported": ("发现违法行为后已依法移送线索或者报告，或者已依法履行本部门职责", "发现违法行为后未依法移送线索或者报告"),
    "force_majeure": ("未能依法履行职责系因不可抗力或者其他难以克服的因素所致", "未能履行职责并非不可抗力所致"),
    "fault_minor": ("行政执法过错行为情节轻微", "行政执法过错行为情节并非轻微"),
    "self_corrected": ("当事执法人员已及时自行纠正", "当事执法人员未及时纠正"),
    "reported_and_remedied": ("当事执法人员主动、及时报告并采取了补救措施", "当事执法人员未主动报告或者采取补救措施"),
    "admitted_and_cooperated": ("当事执法人员主动承认错误，积极配合调查", "当事执法人员未主动承认错误或者配合调查"),
    "dissent_recorded": ("当事执法人员在集体决策中对错误决策提出了明确的反对或者保留意见", "当事执法人员在集体决策中未提出反对或者保留意见"),
    "counterparty_obstruction": ("行政相对人拒不配合、妨碍执法，或者利益相关方、证人不配合调查", "不存在行政相对人拒不配合或者妨碍执法的情形"),
    "objective_limitations": ("因技术条件、监管手段等客观条件限制，未能发现问题或者无法定性", "不存在客观条件限制未能发现问题的情形"),
}  # fmt: skip

CONSEQUENCE_SENTENCES = {
    "none": "事件未造成不良后果",
    "minor": "事件情节轻微、影响较小",
    "major": "事件造成了重大影响和损失",
    "severe": "事件造成了恶劣影响或者严重后果",
}

_TRAILING = re.compile(r"[。；;，,、：:\s]+$")


def clause_end(text: str) -> str:
    """Free text without its closing punctuation, to be closed once."""
    return _TRAILING.sub("", text or "")


def fact_sentence(
    key: str, value, label: str = "", *, own_words: bool = False, sentences: tuple = ()
) -> str:
    """One established fact as a clause of a sentence, without closing
    punctuation: ('fault_established', False) → 当事执法人员不存在行政执法过错行为.

    `own_words`: `label` is the case's regulation's own wording of the fact,
    which then stands as the sentence, so the document states the element in
    the words of the regulation applied rather than in a paraphrase.

    `sentences`: the fact's own (true, false) sentences, as a catalogue that
    declares a fact gives them (Fact.sentence_true / sentence_false)."""
    if key == "consequence" and value in CONSEQUENCE_SENTENCES:
        return CONSEQUENCE_SENTENCES[value]
    if key in FACT_SENTENCES and isinstance(value, bool) and not (own_words and label):
        return FACT_SENTENCES[key][0 if value else 1]
    if isinstance(value, bool) and len(sentences) == 2 and sentences[0 if value else 1]:
        return clause_end(sentences[0 if value else 1])
    label = clause_end(label or key)
    if value is True:
        return label
    if value is False:
        return f"不存在“{label}”的情形"
    return f"{label}为{value}"


def facts_paragraph(sentences: list[str], *, lead: str = "经查，") -> str:
    """The facts as one paragraph: 经查，A；B；C。 Each fact's basis follows
    its own statement in parentheses."""
    parts = [clause_end(s) for s in sentences if clause_end(s)]
    if not parts:
        return ""
    return lead + "；".join(parts) + "。"


def fact_statement(
    key: str,
    value,
    label: str = "",
    basis: str = "",
    *,
    own_words: bool = False,
    sentences: tuple = (),
) -> str:
    """The fact with its basis: 当事执法人员已尽形式审查义务（有审查记录为证）."""
    sentence = fact_sentence(key, value, label, own_words=own_words, sentences=sentences)
    basis = clause_end(basis)
    return f"{sentence}（{basis}）" if basis else sentence
