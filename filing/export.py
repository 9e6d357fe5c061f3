"""case.json: the case as data for the discipline-inspection body and other
systems. The schema is documented in docs/case-json.md; bump SCHEMA when a
key changes meaning."""

from django.db.models import Prefetch

from cases.assessment import FACT_STAGES, clause_matrix, facts_by_officer
from cases.models import Case, SubjectOfficer
from deliberation.models import Determination, Meeting

SCHEMA = "jinzhi.case/1"


def _determination(determination: Determination) -> dict:
    return {
        "status": determination.status,
        "outcome": determination.outcome,
        "cited_clauses": determination.cited_clauses,
        "measure": determination.measure,
        "sanction": determination.sanction,
        "reasons": determination.reasons,
        "engine_outcome": determination.engine_outcome,
        "departure_reason": determination.departure_reason,
        "regulation_version": determination.regulation.number,
        "tally": determination.tally,
        "decided_at": determination.decided_at.isoformat() if determination.decided_at else None,
        "votes": [
            {
                "member": vote.member.user.get_full_name(),
                "chair": vote.member.is_chair,
                "position": vote.position,
                "reasoning": vote.reasoning,
            }
            for vote in determination.votes.all()
        ],
    }


def _case_for_export(pk: int) -> Case:
    """The case with what the export reads and nothing more (the case page's
    selector also fetches documents, packages and users, a third of the
    export's time)."""
    return (
        Case.objects.select_related("unit", "regulation", "regulation__regulation")
        .prefetch_related(
            Prefetch(
                "subject_officers",
                queryset=SubjectOfficer.objects.select_related(
                    "officer", "officer__unit"
                ).prefetch_related("clause_claims"),
            ),
            "fact_records",
            "evidence",
        )
        .get(pk=pk)
    )


def case_export(case: Case) -> dict:
    case = _case_for_export(case.pk)
    matrices = {m.subject_officer.pk: m for m in clause_matrix(case)}
    facts = {stage: facts_by_officer(case, stage) for stage in FACT_STAGES}
    determinations = {
        d.subject_officer_id: d
        for d in Determination.objects.filter(case=case)
        .select_related("regulation")
        .prefetch_related("votes__member__user")
        .order_by("created_at")
    }
    meeting = (
        Meeting.objects.filter(case=case, status=Meeting.Status.CLOSED)
        .prefetch_related("members__user")
        .order_by("-closed_at")
        .first()
    )
    regulation = case.regulation
    return {
        "schema": SCHEMA,
        "case": {
            "number": case.number,
            "unit": case.unit.name,
            "state": case.state,
            "regulation": {
                "slug": regulation.regulation.slug,
                "version": regulation.number,
                "title": regulation.title,
                "document_number": regulation.document_number,
            },
            "incident": {
                "date": case.incident_date.isoformat(),
                "place": case.incident_place,
                "field": case.field,
                "activity_kind": case.activity_kind,
                "lead_source": case.lead_source,
                "summary": case.incident_summary,
            },
            "allegation": case.allegation,
            "disputed": case.disputed,
            "organs_intervened": case.organs_intervened,
        },
        "officers": [
            {
                "name": subject.officer.name,
                "certificate_number": subject.officer.certificate_number,
                "unit": subject.officer.unit.name,
                "post": subject.officer.post,
                "part": subject.part,
                "claimed": [claim.clause_ref for claim in subject.clause_claims.all()],
                "facts": {stage: facts[stage].get(subject.pk, {}) for stage in FACT_STAGES},
                "outcomes": dict(matrices[subject.pk].outcomes),
                "clauses": {
                    stage: [
                        {
                            "ref": row.ref,
                            "result": row.cells[stage].result,
                            "missing_facts": list(row.cells[stage].missing_facts),
                        }
                        for row in matrices[subject.pk].rows
                    ]
                    for stage in FACT_STAGES
                },
                "determination": _determination(determinations[subject.pk])
                if subject.pk in determinations
                else None,
            }
            for subject in case.subject_officers.all()
        ],
        "meeting": {
            "held_on": meeting.held_on.isoformat(),
            "place": meeting.place,
            "members": [
                {
                    "name": member.user.get_full_name(),
                    "chair": member.is_chair,
                    "attendance": member.attendance,
                    "recusal_reason": member.recusal_reason,
                }
                for member in meeting.members.all()
            ],
        }
        if meeting
        else None,
        "evidence": [
            {
                "name": item.original_name,
                "sha256": item.sha256,
                "size": item.size,
                "content_type": item.content_type,
            }
            for item in case.evidence.all()
        ],
    }
