"""Context builders for the documents of the review stages: the investigation
report and the expert panel's written opinion (internal working papers: no
red 版头, no 发文字号, signed by the group that wrote them) and the minutes of
the collective decision (纪要, numbered 第N期). Pure reads; each raises
ValueError (in Chinese) when the case has no such record yet."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from cases.models import Case, FactRecord
from cases.workflow import Stage
from deliberation.models import Determination, Meeting, MeetingMember, Vote, engine_outcome_label
from deliberation.models.decision import Measure
from deliberation.services import tally_compute
from documents import errors
from documents.formatting import chinese_date, chinese_numeral
from documents.kinds import DocumentKind
from documents.official import official_case_fields
from documents.prose import clause_end, fact_statement, facts_paragraph
from documents.register import document_number
from documents.registry import document_kind
from exemptions.citations import clause_citation
from exemptions.selectors import catalog_for_version, facts_by_key
from investigation.models import InvestigationReport, ReportConclusion
from panel.models import DisputedClause, ExpertOpinion, ExpertPanel


def _local_date(value) -> str:
    return chinese_date(timezone.localtime(value)) if value else ""


def _numbered(items: list[dict], heading) -> list[dict]:
    """Level-2 headings （一）（二）… on each item, from heading(item)."""
    return [
        {**item, "heading": f"（{chinese_numeral(n)}）{heading(item)}"}
        for n, item in enumerate(items, start=1)
    ]


def _internal(case: Case, *, signature: str, signed_on: str, **fields) -> dict:
    """The fields of an internal working paper: no 版头, no 发文字号, no 版记."""
    return official_case_fields(
        case,
        issuer_mark="",
        doc_number="",
        signature=signature,
        signed_on=signed_on,
        printed_by="",
        printed_on="",
        internal=True,
        **fields,
    )


def _case_with_officers(case_id: int) -> Case:
    return (
        Case.objects.select_related("unit", "regulation", "lead_investigator")
        .prefetch_related("subject_officers__officer__unit")
        .get(pk=case_id)
    )


# --- investigation report ------------------------------------------------------------


@document_kind(DocumentKind.INVESTIGATION_REPORT, "documents/investigation_report.html")
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
        raise ValueError(errors.NO_REPORT % {"number": case.display_number})

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
        basis = "；".join(clause_end(t) for t in (record.note, record.basis) if clause_end(t))
        if evidence:
            basis = "；".join(filter(None, [basis, "证据：" + "、".join(evidence)]))
        finding = fact_statement(
            record.fact_key,
            record.value,
            fact.label if fact is not None else "",
            basis,
            own_words=fact is not None and fact.label != fact.label_zh,
            sentences=(fact.sentence_true, fact.sentence_false) if fact is not None else (),
        )
        if record.subject_officer_id is None:
            case_wide.append(finding)
        else:
            per_officer[record.subject_officer_id].append(finding)

    conclusions = defaultdict(list)
    for row in report.clause_conclusions.all():
        conclusions[row.subject_officer_id].append(
            {
                "ref": row.clause_ref,
                "citation": clause_citation(row.clause_ref, catalog, case.regulation.title),
                "conclusion": row.get_conclusion_display(),
                "reasoning": clause_end(row.reasoning),
            }
        )

    signer = report.signed_off_by or case.lead_investigator or report.updated_by
    signed_on = _local_date(report.signed_off_at or report.updated_at)
    from documents.builders.decision import incident_sentence

    return _internal(
        case,
        signature="调查组",
        signed_on=signed_on,
        title=f"关于{case.display_number}案件执法过错责任的调查报告",
        addressee="本局领导班子",
        attachments=evidence_names,
        report=report,
        signer=signer.get_full_name() if signer else "",
        signed_off=report.is_signed_off,
        incident_sentence=incident_sentence(case),
        subject_officers=subject_officers,
        finding_sections=_numbered(
            (
                [{"label": "全案认定的事实", "paragraph": facts_paragraph(case_wide)}]
                if case_wide
                else []
            )
            + [
                {
                    "label": f"对{so.officer.name}单独认定的事实",
                    "paragraph": facts_paragraph(per_officer[so.pk]),
                }
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


@document_kind(DocumentKind.EXPERT_OPINION, "documents/expert_opinion.html")
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
        raise ValueError(errors.NO_PANEL % {"number": case.display_number})
    if panel.concluded_at is None:
        raise ValueError(errors.PANEL_NOT_CONCLUDED % {"number": case.display_number})

    catalog = catalog_for_version(case.regulation)
    members = sorted(panel.members.all(), key=lambda user: user.pk)
    disputed = []
    for clause in panel.disputed.all():
        by_member = {opinion.member_id: opinion for opinion in clause.opinions.all()}
        disputed.append(
            {
                "officer": clause.subject_officer,
                "ref": clause.clause_ref,
                "citation": clause_citation(clause.clause_ref, catalog, case.regulation.title),
                "views": [
                    {
                        "member": member.get_full_name(),
                        "position": by_member[member.pk].get_position_display()
                        if member.pk in by_member
                        else "未发表意见",
                        "reasoning": clause_end(by_member[member.pk].reasoning)
                        if member.pk in by_member
                        else "",
                    }
                    for member in members
                ],
            }
        )
    signed_on = _local_date(panel.concluded_at)
    return _internal(
        case,
        signature="专家组",
        signed_on=signed_on,
        title=f"关于{case.display_number}案件的专家组书面论证意见",
        addressee=f"{case.unit.name}领导班子",
        panel=panel,
        members=[member.get_full_name() for member in members],
        disputed=_numbered(
            disputed, lambda item: f"{item['officer'].officer.name}：{item['citation'].where}"
        ),
    )


# --- minutes -------------------------------------------------------------------------


@document_kind(DocumentKind.MINUTES, "documents/minutes.html")
def minutes_context(case: Case) -> dict:
    case = _case_with_officers(case.pk)
    meeting = (
        Meeting.objects.filter(case=case, status=Meeting.Status.CLOSED)
        .select_related("convened_by")
        .prefetch_related(
            Prefetch("members", queryset=MeetingMember.objects.select_related("user")),
            "determinations__subject_officer__officer",
            "determinations__regulation",
            Prefetch("determinations__votes", queryset=Vote.objects.select_related("member__user")),
        )
        .order_by("-closed_at", "-created_at")
        .first()
    )
    if meeting is None:
        raise ValueError(errors.NO_CLOSED_MEETING % {"number": case.display_number})

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
                    clause_citation(ref, catalog, determination.regulation.title)
                    for ref in determination.cited_clauses
                ],
                "votes": [
                    {
                        "member": vote.member.user.get_full_name(),
                        "is_chair": vote.member.is_chair,
                        "position": vote.get_position_display(),
                        "reasoning": clause_end(vote.reasoning),
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
    entry = document_number(case, DocumentKind.MINUTES, meeting.pk)
    return official_case_fields(
        case,
        issuer_mark=f"{case.unit.name}集体研究纪要",
        doc_number=entry.number if entry else "",
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
        rejected_meetings=_rejected_meetings(case, meeting),
    )


def _rejected_meetings(case: Case, meeting: Meeting) -> list[dict]:
    """The case's earlier meetings in which a proposal was rejected, oldest
    first, each with what was put to the vote and its tally: the minutes of
    the meeting convened after them record them."""
    earlier = (
        Meeting.objects.filter(
            case=case,
            status=Meeting.Status.CLOSED,
            created_at__lt=meeting.created_at,
            determinations__status=Determination.Status.REJECTED,
        )
        .exclude(pk=meeting.pk)
        .distinct()
        .prefetch_related("determinations__subject_officer__officer")
        .order_by("created_at")
    )
    return [
        {
            "meeting": earlier_meeting,
            "held_on": chinese_date(earlier_meeting.held_on),
            "items": [
                {
                    "officer": d.subject_officer.officer.name,
                    "outcome": d.get_outcome_display(),
                    "measure": Measure(d.measure).label if d.measure else "",
                    "sanction": d.sanction,
                    "tally": d.tally,
                    "result": d.get_status_display(),
                }
                for d in sorted(earlier_meeting.determinations.all(), key=lambda d: d.pk)
            ],
        }
        for earlier_meeting in earlier
    ]
