"""Context builders for the documents a decided case produces: the decision
(决定书), the filing notice to the discipline-inspection body of the same level
(备案报告) and the publication notice (公开通知).

Pure reads. Every builder works from the case's ADOPTED determinations, each
quoted under the catalogue version it was decided under (a decided case keeps
citing that version after the catalogue is superseded), and returns the
official-document fields of templates/documents/official.html besides the
document's own."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils import timezone

from cases.models import Case, FactRecord
from cases.workflow import Stage
from deliberation.models import Determination, Measure, MeetingMember, Outcome, engine_outcome_label
from documents import errors
from documents.formatting import chinese_date, chinese_numeral
from documents.kinds import DocumentKind
from documents.official import official_case_fields
from documents.prose import clause_end, fact_statement
from documents.register import document_number
from documents.registry import document_kind
from documents.wording import outcome_wording
from exemptions.citations import Citation, clause_citation
from exemptions.models import Fact
from exemptions.selectors import catalog_for_version, facts_by_key
from filing import redaction
from filing.models.publication import SCOPE_PHRASES as PUBLICATION_SCOPE_PHRASES
from investigation.models import InvestigationReport
from panel.models import ExpertPanel

PUBLICATION_SCOPES = {
    "unit": "本单位范围内",
    "system": "本系统范围内",
    "public": "向社会公开",
}

NO_LIABILITY = frozenset({Outcome.EXEMPT, Outcome.NO_FAULT})


# --- small pure helpers ----------------------------------------------------------------


redact_name = redaction.redact_name
redact_certificate = redaction.redact_certificate


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
class FactLine:
    key: str
    value: object  # True, False or an enum value, as recorded
    label: str
    note: str = ""
    own_words: bool = False  # the label is the case's regulation's own wording
    sentences: tuple = ()  # the fact's own (true, false) sentences, if it has them

    @property
    def sentence(self) -> str:
        """The fact as a clause of the facts paragraph, with its basis."""
        return fact_statement(
            self.key,
            self.value,
            self.label,
            self.note,
            own_words=self.own_words,
            sentences=self.sentences,
        )


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
    outcome_phrase: str = ""  # the operative words: 不予追究执法过错责任
    publication_scope: str = ""
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
        # The catalogue's source (about 30 KB of JSON) is parsed once per
        # version and process (exemptions.selectors), not with every row.
        .defer("regulation__data")
        .order_by("subject_officer_id", "-decided_at", "-pk")
    )
    latest: dict[int, Determination] = {}
    for row in rows:
        latest.setdefault(row.subject_officer_id, row)
    if not latest:
        raise ValueError(str(errors.NO_ADOPTED_DETERMINATION))
    return list(latest.values())


def _facts_found(case: Case) -> dict[int | None, list[FactRecord]]:
    """Deliberation-stage fact records: case-wide (key None) and per officer."""
    records = FactRecord.objects.filter(case=case, stage=Stage.DELIBERATION).order_by("id")
    grouped: dict[int | None, list[FactRecord]] = {}
    for record in records:
        grouped.setdefault(record.subject_officer_id, []).append(record)
    return grouped


def _in_own_words(fact: Fact | None) -> bool:
    """Whether the fact's label is its regulation's own wording of the element."""
    return fact is not None and fact.label != fact.label_zh


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
                key=key,
                value=record.value,
                label=fact.label if fact else key,
                own_words=_in_own_words(fact),
                note=record.basis or record.note,
                sentences=(fact.sentence_true, fact.sentence_false) if fact else (),
            )
        )
    return lines


def _catalog(determination: Determination, catalogs: dict):
    """The determination's catalogue, parsed once per version for the case."""
    version = determination.regulation
    if version.pk not in catalogs:
        catalogs[version.pk] = catalog_for_version(version)
    return catalogs[version.pk]


def _citations(determination: Determination, catalogs: dict) -> list[Citation]:
    catalog = _catalog(determination, catalogs)
    title = determination.regulation.title
    return [clause_citation(ref, catalog, title) for ref in determination.cited_clauses]


def _officer_decisions(case: Case, determinations: list[Determination]) -> list[OfficerDecision]:
    grouped = _facts_found(case)
    labels = facts_by_key(regulation=case.regulation.regulation.slug)
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
                outcome_phrase=outcome_wording(d, _catalog(d, catalogs)),
                publication_scope=d.publication_scope,
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


def _official(case: Case, kind: DocumentKind, signed_on=None, key: str = "", **fields) -> dict:
    """The official fields of a document the case's unit issues: its own
    number from the register (blank until issued) and its date; without
    `signed_on`, the day it was issued, read from the same entry."""
    entry = document_number(case, kind, key)
    if signed_on is None:
        signed_on = entry.issued_on if entry else timezone.localdate()
    return official_case_fields(
        case,
        doc_number=entry.number if entry else "",
        signed_on=chinese_date(signed_on),
        **fields,
    )


def incident_sentence(case: Case, place: str | None = None, summary: str | None = None) -> str:
    """When and where the conduct happened, then what happened, as sentences:
    the date is not repeated when the summary already gives it, and the place
    is never a sentence of its own."""
    date = chinese_date(case.incident_date)
    place = clause_end(case.incident_place if place is None else place)
    summary = (case.incident_summary if summary is None else summary).strip()
    when = "" if date in summary else f"于{date}"
    where = f"在{place}" if place and place not in summary else ""
    opening = f"本案涉及的执法行为{when}{where}发生" if (when or where) else ""
    if not opening:
        return summary
    return f"{opening}。{summary}" if summary else f"{opening}。"


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


@document_kind(DocumentKind.DECISION, "documents/decision.html")
def decision_context(case: Case) -> dict:
    """The decision (决定书) addressed to the officers it concerns, dated the
    day it was decided."""
    determinations = adopted_determinations(case)
    officers = _officer_decisions(case, determinations)
    unit = case.unit
    copies_to = [unit.discipline_body.name] if unit.discipline_body_id else []
    return {
        **_official(case, DocumentKind.DECISION, _decided_on(determinations)),
        "title": decision_title([o.outcome for o in officers]),
        "addressee": "、".join(f"{o.name}同志" for o in officers),
        "copies_to": copies_to,
        "officers": officers,
        "report": _report(case),
        "incident_sentence": incident_sentence(case),
    }


def _chair(meetings: list[dict]) -> str:
    return next((m["chair"] for m in meetings if m["chair"]), "")


@document_kind(DocumentKind.FILING_NOTICE, "documents/filing_notice.html")
def filing_notice_context(case: Case) -> dict:
    """The filing notice (备案报告) to the discipline-inspection body of the
    same level, dated the day it is issued (the filing day). Its 附件 list is
    the filing package's own list of files (documents.package)."""
    from documents.package import (
        decided_publication_scope,
        package_items,
        package_publication_scope,
    )

    determinations = adopted_determinations(case)
    unit = case.unit
    if unit.discipline_body_id is None:
        raise ValueError(errors.NO_DISCIPLINE_BODY % {"unit": unit.name})
    officers = _officer_decisions(case, determinations)
    meetings = _meetings(determinations)
    decided_scope = decided_publication_scope(determinations)
    scope = package_publication_scope(case, determinations)
    report, panel = _report(case), _panel(case)
    items = package_items(
        case,
        determinations,
        has_report=report is not None,
        has_panel=panel is not None,
        scope=scope,
    )
    return {
        **_official(case, DocumentKind.FILING_NOTICE),
        "title": f"关于{case.display_number}执法过错责任案件处理情况的备案报告",
        "addressee": unit.discipline_body.name,
        "issuing_officer": _chair(meetings),
        "discipline_body": unit.discipline_body,
        "officers": officers,
        "report": report,
        "panel": panel,
        "meetings": meetings,
        "scope": scope,
        "scope_phrase": str(PUBLICATION_SCOPE_PHRASES.get(scope, "")),
        # Published more widely after filing: the decided scope, then the wider one.
        "decided_scope_phrase": str(PUBLICATION_SCOPE_PHRASES.get(decided_scope, "")),
        "scope_widened": bool(decided_scope) and scope != decided_scope,
        "attachments": [item.title for item in items if item.kind != DocumentKind.FILING_NOTICE],
        "incident_sentence": incident_sentence(case),
        "any_no_liability": any(o.no_liability for o in officers),
    }


# Redaction works from the case's structured data and from patterns
# (filing.redaction): the names below are kept for the documents' callers.
redact_personal_data = redaction.redact_personal_data
case_people = redaction.case_people


def _redact_text(text: str, people: list[tuple[str, str]]) -> str:
    return redaction.redact_text(text, people)


@document_kind(DocumentKind.PUBLICATION_NOTICE, "documents/publication_notice.html")
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
            o.facts = [replace(f, note=_redact_text(f.note, people)) for f in o.facts]
    addressee = {"unit": "本局各科室、各直属单位", "system": "全市市场监督管理系统各单位"}
    kind = DocumentKind.PUBLICATION_NOTICE
    return {
        **_official(case, kind, key=scope),
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
        "incident_sentence": incident_sentence(case, incident_place, incident_summary),
    }
