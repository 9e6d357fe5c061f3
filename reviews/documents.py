"""Context builders for the documents of the review stages: the investigation
report, the expert panel's written opinion and the minutes of the collective
decision. Pure reads; each raises ValueError (in Chinese) when the case has
no such record yet."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from cases.documents import chinese_date
from cases.models import Case, FactRecord
from cases.workflow import Stage
from documents.official import official_case_fields
from exemptions.models import Consequence
from exemptions.selectors import catalog_for_version, facts_by_key
from exemptions.templatetags.catalog_text import clause_citation, cn_numeral
from reviews.models import (
    DisputedClause,
    ExpertOpinion,
    ExpertPanel,
    InvestigationReport,
    Meeting,
    MeetingMember,
    ReportConclusion,
    Vote,
    engine_outcome_label,
)
from reviews.models.decision import Measure
from reviews.services.decision import tally_compute


def _local_date(value) -> str:
    return chinese_date(timezone.localtime(value)) if value else ""


def _fact_value(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value in Consequence.values:
        return str(Consequence(value).label)
    return str(value)


def _numbered(items: list[dict], heading) -> list[dict]:
    """Level-2 headings （一）（二）… on each item, from heading(item)."""
    return [
        {**item, "heading": f"（{cn_numeral(n)}）{heading(item)}"}
        for n, item in enumerate(items, start=1)
    ]


def _clause_text(catalog, ref: str) -> str:
    clause = catalog.by_ref.get(ref)
    return clause.text if clause is not None else ""


def _case_with_officers(case_id: int) -> Case:
    return (
        Case.objects.select_related("unit", "regulation", "lead_investigator")
        .prefetch_related("subject_officers__officer__unit")
        .get(pk=case_id)
    )


# --- investigation report ------------------------------------------------------------


def investigation_report_context(case: Case) -> dict:
    case = _case_with_officers(case.pk)
    report = (
        InvestigationReport.objects.filter(case=case)
        .select_related("signed_off_by", "updated_by")
        .prefetch_related(
            Prefetch(
                "clause_conclusions",
                queryset=ReportConclusion.objects.select_related("subject_officer__officer"),
            )
        )
        .first()
    )
    if report is None:
        raise ValueError(f"案件{case.display_number}尚无调查报告，无法生成调查报告文书。")

    labels = facts_by_key(regulation=case.regulation.regulation.slug)
    catalog = catalog_for_version(case.regulation)
    subject_officers = list(case.subject_officers.all())

    records = (
        FactRecord.objects.filter(case=case, stage=Stage.INVESTIGATION)
        .select_related("subject_officer__officer")
        .prefetch_related("evidence")
    )
    position = {key: fact.position for key, fact in labels.items()}
    case_wide, per_officer = [], defaultdict(list)
    evidence_names: list[str] = []
    for record in sorted(records, key=lambda r: (position.get(r.fact_key, 10**6), r.pk)):
        evidence = [e.original_name for e in record.evidence.all()]
        evidence_names += [name for name in evidence if name not in evidence_names]
        fact = labels.get(record.fact_key)
        finding = {
            "label": fact.label if fact is not None else record.fact_key,
            "value": _fact_value(record.value),
            "evidence": evidence,
            "note": record.note,
            "basis": record.basis,
        }
        if record.subject_officer_id is None:
            case_wide.append(finding)
        else:
            per_officer[record.subject_officer_id].append(finding)

    conclusions = defaultdict(list)
    for row in report.clause_conclusions.all():
        conclusions[row.subject_officer_id].append(
            {
                "ref": row.clause_ref,
                "citation": clause_citation(row.clause_ref),
                "text": _clause_text(catalog, row.clause_ref),
                "conclusion": row.get_conclusion_display(),
                "reasoning": row.reasoning,
            }
        )

    signer = report.signed_off_by or case.lead_investigator or report.updated_by
    signed_on = _local_date(report.signed_off_at or report.updated_at)
    return official_case_fields(
        case,
        title=f"关于{case.display_number}案件执法过错责任的调查报告",
        addressee="本局领导班子",
        signed_on=signed_on,
        attachments=evidence_names,
        report=report,
        signer=signer.get_full_name() if signer else "",
        signed_off=report.is_signed_off,
        incident_date=chinese_date(case.incident_date),
        subject_officers=subject_officers,
        finding_sections=_numbered(
            ([{"label": "全案认定的事实", "findings": case_wide}] if case_wide else [])
            + [
                {"label": f"对{so.officer.name}单独认定的事实", "findings": per_officer[so.pk]}
                for so in subject_officers
                if per_officer.get(so.pk)
            ],
            lambda item: item["label"],
        ),
        officer_conclusions=_numbered(
            [
                {"officer": so, "conclusions": conclusions[so.pk]}
                for so in subject_officers
                if conclusions.get(so.pk)
            ],
            lambda item: f"{item['officer'].officer.name}（{item['officer'].get_part_display()}）",
        ),
    )


# --- expert opinion ------------------------------------------------------------------


def expert_opinion_context(case: Case) -> dict:
    case = _case_with_officers(case.pk)
    panel = (
        ExpertPanel.objects.filter(case=case)
        .prefetch_related(
            "members",
            Prefetch(
                "disputed",
                queryset=DisputedClause.objects.select_related(
                    "subject_officer__officer"
                ).prefetch_related(
                    Prefetch("opinions", queryset=ExpertOpinion.objects.select_related("member"))
                ),
            ),
        )
        .select_related("concluded_by")
        .first()
    )
    if panel is None:
        raise ValueError(f"案件{case.display_number}尚未组成专家组，无法生成专家组书面论证意见。")
    if panel.concluded_at is None:
        raise ValueError(f"案件{case.display_number}的专家组尚未出具结论，无法生成书面论证意见。")

    catalog = catalog_for_version(case.regulation)
    members = sorted(panel.members.all(), key=lambda user: user.pk)
    disputed = []
    for clause in panel.disputed.all():
        by_member = {opinion.member_id: opinion for opinion in clause.opinions.all()}
        disputed.append(
            {
                "officer": clause.subject_officer,
                "ref": clause.clause_ref,
                "citation": clause_citation(clause.clause_ref),
                "text": _clause_text(catalog, clause.clause_ref),
                "views": [
                    {
                        "member": member.get_full_name(),
                        "position": by_member[member.pk].get_position_display()
                        if member.pk in by_member
                        else "未发表意见",
                        "reasoning": by_member[member.pk].reasoning
                        if member.pk in by_member
                        else "",
                    }
                    for member in members
                ],
            }
        )
    signed_on = _local_date(panel.concluded_at)
    return official_case_fields(
        case,
        title=f"关于{case.display_number}案件的专家组书面论证意见",
        addressee="本局领导班子",
        signature="专家组",
        signed_on=signed_on,
        copies_to=["调查组"],
        printed_by=f"{case.unit.name}办公室",
        panel=panel,
        members=[member.get_full_name() for member in members],
        disputed=_numbered(
            disputed, lambda item: f"{item['officer'].officer.name}：{item['citation']}"
        ),
    )


# --- minutes -------------------------------------------------------------------------


def minutes_context(case: Case) -> dict:
    case = _case_with_officers(case.pk)
    meeting = (
        Meeting.objects.filter(case=case, status=Meeting.Status.CLOSED)
        .select_related("convened_by")
        .prefetch_related(
            Prefetch("members", queryset=MeetingMember.objects.select_related("user")),
            "determinations__subject_officer__officer",
            Prefetch("determinations__votes", queryset=Vote.objects.select_related("member__user")),
        )
        .order_by("-closed_at", "-created_at")
        .first()
    )
    if meeting is None:
        raise ValueError(f"案件{case.display_number}尚无已闭会的集体研究会议，无法生成会议纪要。")

    catalog = catalog_for_version(case.regulation)
    members = list(meeting.members.all())
    attendance = defaultdict(list)
    for member in members:
        attendance[member.attendance].append(member)
    chair = next((m for m in members if m.is_chair), None)

    determinations = []
    for determination in sorted(
        meeting.determinations.all(), key=lambda d: (d.subject_officer_id, d.pk)
    ):
        votes = sorted(determination.votes.all(), key=lambda v: (v.member.is_chair, v.pk))
        tally = tally_compute(meeting, determination)
        determinations.append(
            {
                "determination": determination,
                "officer": determination.subject_officer,
                "outcome": determination.get_outcome_display(),
                "engine_outcome": engine_outcome_label(determination.engine_outcome),
                "departs": determination.departs_from_proposal,
                "measure": Measure(determination.measure).label if determination.measure else "",
                "cited": [
                    {
                        "citation": clause_citation(ref),
                        "text": _clause_text(catalog, ref),
                    }
                    for ref in determination.cited_clauses
                ],
                "votes": [
                    {
                        "member": vote.member.user.get_full_name(),
                        "is_chair": vote.member.is_chair,
                        "position": vote.get_position_display(),
                        "reasoning": vote.reasoning,
                    }
                    for vote in votes
                ],
                "tally": tally,
                "result": (
                    determination.get_status_display()
                    if determination.status != determination.Status.PROPOSED
                    else ("表决通过" if tally.passed else "未获通过")
                ),
            }
        )

    held_on = chinese_date(meeting.held_on)
    names = [m.user.get_full_name() for m in members if m.attendance != "recused"]
    return official_case_fields(
        case,
        issuer_mark="集体研究纪要",
        title=f"关于{case.display_number}案件执法过错责任认定的集体研究",
        signed_on=held_on,
        copies_to=["本局领导班子成员", "调查组"],
        meeting=meeting,
        held_on=held_on,
        chair=chair.user.get_full_name() if chair else "",
        present=attendance[MeetingMember.Attendance.PRESENT],
        absent=attendance[MeetingMember.Attendance.ABSENT],
        recused=attendance[MeetingMember.Attendance.RECUSED],
        written_opinions=[
            m for m in attendance[MeetingMember.Attendance.ABSENT] if m.written_opinion
        ],
        entitled_count=len(names),
        present_count=len(attendance[MeetingMember.Attendance.PRESENT]),
        quorum_met=(
            len(attendance[MeetingMember.Attendance.PRESENT]) * meeting.quorum_denominator
            >= meeting.quorum_numerator * len(names)
        ),
        determinations=_numbered(
            determinations,
            lambda item: f"{item['officer'].officer.name}（{item['officer'].get_part_display()}）",
        ),
    )
