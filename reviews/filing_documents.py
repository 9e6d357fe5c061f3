"""Context builders for the documents a decided case produces: the decision
(决定书), the filing notice to the discipline-inspection body of the same level
(备案报告) and the publication notice (公开通知).

Pure reads. Every builder works from the case's ADOPTED determinations, each
quoted under the catalogue version it was decided under (a decided case keeps
citing that version after the catalogue is superseded), and returns the
official-document fields of templates/documents/official.html besides the
document's own."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils import timezone

from cases.documents import chinese_date
from cases.models import Case, FactRecord
from cases.workflow import Stage
from documents.official import official_case_fields
from exemptions.models import Fact
from exemptions.selectors import catalog_for_version
from reviews import redaction
from reviews.models import (
    Determination,
    ExpertPanel,
    InvestigationReport,
    Measure,
    MeetingMember,
    Outcome,
    engine_outcome_label,
)

PUBLICATION_SCOPES = {
    "unit": "本单位范围内",
    "system": "本系统范围内",
    "public": "向社会公开",
}
DEFAULT_FILING_SCOPE = PUBLICATION_SCOPES["unit"]

NO_LIABILITY = frozenset({Outcome.EXEMPT, Outcome.NO_FAULT})

_DIGITS = "〇一二三四五六七八九"
_ITEM_REF = re.compile(r"^(\d+)\.(\d+)$")
_FACT_VALUES = {
    True: "是",
    False: "否",
    "none": "未造成不良后果",
    "minor": "情节轻微、影响较小",
    "major": "造成重大影响和损失",
    "severe": "造成恶劣影响或严重后果",
}


# --- small pure helpers ----------------------------------------------------------------


def chinese_numeral(number: int) -> str:
    """6 → 六, 10 → 十, 12 → 十二, 20 → 二十, 28 → 二十八, 105 → 一百零五."""
    if number < 0:
        raise ValueError(number)
    if number < 10:
        return _DIGITS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        head = "" if tens == 1 else _DIGITS[tens]
        return head + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _DIGITS[rest]
    else:
        tail = (_DIGITS[1] if rest < 20 else "") + chinese_numeral(rest)
    return chinese_numeral(hundreds) + "百" + tail


def clause_citation(ref: str, article: int) -> str:
    """'6.4' of article 6 → 第六条第（四）项; a principle '4:no-duty' → 第四条."""
    match = _ITEM_REF.match(ref)
    where = f"第{chinese_numeral(article)}条"
    if match:
        where += f"第（{chinese_numeral(int(match.group(2)))}）项"
    return where


redact_name = redaction.redact_name
redact_certificate = redaction.redact_certificate


def fact_value_label(value) -> str:
    if isinstance(value, bool) or value in _FACT_VALUES:
        return _FACT_VALUES.get(value, str(value))
    return str(value)


def tally_text(tally: dict) -> str:
    if not tally:
        return "未记录表决情况"
    result = "表决通过" if tally.get("passed") else "未获通过"
    return (
        f"应参加表决{tally.get('entitled', 0)}人，实到{tally.get('present', 0)}人；"
        f"同意{tally.get('agree', 0)}票，不同意{tally.get('disagree', 0)}票，"
        f"弃权{tally.get('abstain', 0)}票；{result}"
    )


# --- reading the case ------------------------------------------------------------------


@dataclass
class Citation:
    ref: str
    regulation_title: str
    where: str  # 第六条第（四）项
    text: str

    @property
    def heading(self) -> str:
        return f"依据《{self.regulation_title}》{self.where}："


@dataclass
class FactLine:
    label: str
    value: str
    note: str = ""


@dataclass
class OfficerDecision:
    determination: Determination
    name: str
    post: str
    certificate: str
    part: str
    outcome: str
    outcome_label: str
    measure_label: str
    sanction: str
    reasons: str
    departs: bool
    engine_outcome_label: str
    departure_reason: str
    tally: dict
    tally_text: str
    number: str = ""  # 一, 二, … for the headings
    no_liability: bool = False
    facts: list[FactLine] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


def adopted_determinations(case: Case) -> list[Determination]:
    """The adopted determination of every officer (the latest, should a later
    meeting have decided again), in the order of the officers."""
    rows = (
        Determination.objects.filter(case=case, status=Determination.Status.ADOPTED)
        .select_related("subject_officer__officer", "regulation", "meeting")
        .order_by("subject_officer_id", "-decided_at", "-pk")
    )
    latest: dict[int, Determination] = {}
    for row in rows:
        latest.setdefault(row.subject_officer_id, row)
    if not latest:
        raise ValueError("本案尚无表决通过的责任认定，不能生成决定书、备案报告或公开通知。")
    return list(latest.values())


def _facts_found(case: Case) -> dict[int | None, list[FactRecord]]:
    """Deliberation-stage fact records: case-wide (key None) and per officer."""
    records = FactRecord.objects.filter(case=case, stage=Stage.DELIBERATION).order_by("id")
    grouped: dict[int | None, list[FactRecord]] = {}
    for record in records:
        grouped.setdefault(record.subject_officer_id, []).append(record)
    return grouped


def _fact_lines(subject_officer_id: int, grouped, labels: dict[str, Fact]) -> list[FactLine]:
    merged: dict[str, FactRecord] = {r.fact_key: r for r in grouped.get(None, [])}
    merged.update({r.fact_key: r for r in grouped.get(subject_officer_id, [])})

    def position(key: str) -> tuple[int, str]:
        fact = labels.get(key)
        return (fact.position if fact else 10**6, key)

    lines = []
    for key in sorted(merged, key=position):
        record = merged[key]
        fact = labels.get(key)
        lines.append(
            FactLine(
                label=fact.label_zh if fact else key,
                value=fact_value_label(record.value),
                note=record.basis or record.note,
            )
        )
    return lines


def _citations(determination: Determination, catalogs: dict) -> list[Citation]:
    version = determination.regulation
    catalog = catalogs.get(version.pk)
    if catalog is None:
        catalog = catalogs[version.pk] = catalog_for_version(version)
    citations = []
    for ref in determination.cited_clauses:
        clause = catalog.by_ref.get(ref)
        if clause is None:  # never for a determination the service accepted
            citations.append(Citation(ref, version.title, ref, ""))
            continue
        citations.append(
            Citation(ref, version.title, clause_citation(ref, clause.article), clause.text)
        )
    return citations


def _officer_decisions(case: Case, determinations: list[Determination]) -> list[OfficerDecision]:
    grouped = _facts_found(case)
    labels = {fact.key: fact for fact in Fact.objects.all()}
    catalogs: dict = {}
    officers = []
    for index, d in enumerate(determinations, start=1):
        officer = d.subject_officer.officer
        officers.append(
            OfficerDecision(
                determination=d,
                name=officer.name,
                post=officer.post,
                certificate=officer.certificate_number,
                part=d.subject_officer.get_part_display(),
                outcome=d.outcome,
                outcome_label=str(d.get_outcome_display()),
                measure_label=str(Measure(d.measure).label) if d.measure else "",
                sanction=d.sanction,
                reasons=d.reasons,
                departs=d.departs_from_proposal,
                engine_outcome_label=str(engine_outcome_label(d.engine_outcome)),
                departure_reason=d.departure_reason,
                tally=d.tally or {},
                tally_text=tally_text(d.tally or {}),
                number=chinese_numeral(index),
                no_liability=d.outcome in NO_LIABILITY,
                facts=_fact_lines(d.subject_officer_id, grouped, labels),
                citations=_citations(d, catalogs),
            )
        )
    return officers


def decision_title(outcomes: list[str]) -> str:
    kinds = set(outcomes)
    if kinds and kinds <= NO_LIABILITY:
        return "不予追究责任决定书"
    if kinds == {Outcome.MITIGATED}:
        return "从轻、减轻追究责任决定书"
    if kinds == {Outcome.LIABLE}:
        return "追究责任决定书"
    return "责任认定决定书"


def _decided_on(determinations: list[Determination]):
    dates = [d.decided_at for d in determinations if d.decided_at]
    if dates:
        return timezone.localtime(max(dates)).date()
    return max(d.meeting.held_on for d in determinations)


def _official(case: Case, determinations: list[Determination]) -> dict:
    return official_case_fields(case, signed_on=chinese_date(_decided_on(determinations)))


def _meetings(determinations: list[Determination]) -> list[dict]:
    """Each meeting that adopted a determination: date, place, attendance."""
    seen = {}
    for d in determinations:
        seen.setdefault(d.meeting_id, d.meeting)
    members = (
        MeetingMember.objects.filter(meeting_id__in=list(seen))
        .select_related("user")
        .order_by("is_chair", "id")
    )
    by_meeting: dict[int, list[MeetingMember]] = {}
    for member in members:
        by_meeting.setdefault(member.meeting_id, []).append(member)
    result = []
    for meeting_id, meeting in seen.items():
        rows = by_meeting.get(meeting_id, [])
        present = [m for m in rows if m.attendance == MeetingMember.Attendance.PRESENT]
        result.append(
            {
                "meeting": meeting,
                "held_on": chinese_date(meeting.held_on),
                "place": meeting.place,
                "chair": next((m.user.get_full_name() for m in rows if m.is_chair), ""),
                "present": [m.user.get_full_name() for m in present],
                "absent": [
                    m.user.get_full_name()
                    for m in rows
                    if m.attendance == MeetingMember.Attendance.ABSENT
                ],
                "recused": [
                    {"name": m.user.get_full_name(), "reason": m.recusal_reason}
                    for m in rows
                    if m.attendance == MeetingMember.Attendance.RECUSED
                ],
            }
        )
    return result


def _report(case: Case) -> InvestigationReport | None:
    return InvestigationReport.objects.filter(case=case).first()


def _panel(case: Case) -> ExpertPanel | None:
    return ExpertPanel.objects.filter(case=case, concluded_at__isnull=False).first()


# --- the builders ------------------------------------------------------------------------


def decision_context(case: Case) -> dict:
    """The decision (决定书) addressed to the officers it concerns."""
    determinations = adopted_determinations(case)
    officers = _officer_decisions(case, determinations)
    unit = case.unit
    copies_to = [unit.discipline_body.name] if unit.discipline_body_id else []
    return {
        **_official(case, determinations),
        "title": decision_title([o.outcome for o in officers]),
        "addressee": "、".join(f"{o.name}同志" for o in officers),
        "copies_to": copies_to,
        "officers": officers,
        "report": _report(case),
        "incident_date": chinese_date(case.incident_date),
    }


def filing_notice_context(case: Case, scope: str | None = None) -> dict:
    """The filing notice (备案报告) to the discipline-inspection body of the
    same level. `scope` is the publication scope as words, or a key of
    PUBLICATION_SCOPES; 本单位范围内 when not known."""
    determinations = adopted_determinations(case)
    unit = case.unit
    if unit.discipline_body_id is None:
        raise ValueError(f"{unit.name}未设置同级纪检监察机关，不能生成备案报告。")
    officers = _officer_decisions(case, determinations)
    panel = _panel(case)
    attachments = [f"{decision_title([o.outcome for o in officers])}", "调查报告"]
    if panel is not None:
        attachments.append("专家组书面论证意见")
    attachments += ["集体研究纪要", "证据材料目录"]
    return {
        **_official(case, determinations),
        "title": f"关于{case.display_number}执法过错责任案件处理情况的备案报告",
        "addressee": unit.discipline_body.name,
        "discipline_body": unit.discipline_body,
        "officers": officers,
        "report": _report(case),
        "panel": panel,
        "meetings": _meetings(determinations),
        "scope": PUBLICATION_SCOPES.get(scope or "", scope or DEFAULT_FILING_SCOPE),
        "attachments": attachments,
        "incident_date": chinese_date(case.incident_date),
        "any_no_liability": any(o.no_liability for o in officers),
    }


# Redaction works from the case's structured data and from patterns
# (reviews.redaction): the names below are kept for the documents' callers.
redact_personal_data = redaction.redact_personal_data
case_people = redaction.case_people


def _redact_text(text: str, people: list[tuple[str, str]]) -> str:
    return redaction.redact_text(text, people)


def publication_notice_context(case: Case, scope: str = "unit") -> dict:
    """The publication notice (公开通知) for a scope: "unit", "system" or
    "public". A public notice carries no personal datum: names and certificate
    numbers are masked (also inside the free text) and posts left out."""
    if scope not in PUBLICATION_SCOPES:
        raise ValueError(f"未知的公开范围：{scope}")
    determinations = adopted_determinations(case)
    officers = _officer_decisions(case, determinations)
    public = scope == "public"
    incident_summary = case.incident_summary
    incident_place = case.incident_place
    if public:
        people = [(o.name, o.certificate) for o in officers] + case_people(case)
        incident_summary = _redact_text(incident_summary, people)
        incident_place = _redact_text(incident_place, people)
        for o in officers:
            o.name = redact_name(o.name)
            o.certificate = redact_certificate(o.certificate)
            o.post = ""
            o.reasons = _redact_text(o.reasons, people)
            o.departure_reason = _redact_text(o.departure_reason, people)
            o.sanction = _redact_text(o.sanction, people)
            o.facts = [FactLine(f.label, f.value, _redact_text(f.note, people)) for f in o.facts]
    addressee = {"unit": "本局各科室、各直属单位", "system": "全市市场监督管理系统各单位"}
    return {
        **_official(case, determinations),
        "title": f"关于{case.display_number}执法过错责任案件处理结果的公开通知",
        "addressee": addressee.get(scope, ""),
        "scope": scope,
        "scope_label": PUBLICATION_SCOPES[scope],
        "scope_phrase": "向社会公开" if public else f"在{PUBLICATION_SCOPES[scope]}公开",
        "any_no_liability": any(o.no_liability for o in officers),
        "public": public,
        "officers": officers,
        "incident_summary": incident_summary,
        "incident_place": incident_place,
        "incident_date": chinese_date(case.incident_date),
    }
