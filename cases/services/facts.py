"""Recording facts at a stage, for the whole case or one subject officer."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from accounts.models import User
from audit.messages import history_message, term
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case, Evidence, FactRecord, SubjectOfficer
from cases.workflow import FACTS_OPEN_IN, Stage
from exemptions import engine
from exemptions.selectors import catalog_for_version

# Who may record facts at each stage, and while the case is in which states.
STAGE_PERMISSION = {
    Stage.INTAKE: "cases.edit_intake",
    Stage.INVESTIGATION: "cases.record_findings",
    Stage.DELIBERATION: "cases.record_deliberation_facts",
}
STAGE_OPEN_IN = FACTS_OPEN_IN
# Facts that may only be true with a written basis beside them.
FACTS_NEEDING_BASIS = {"other_exemption_basis", "other_mitigation_basis"}


def fact_record(
    *,
    actor: User,
    case: Case,
    stage: str,
    fact_key: str,
    value: bool | str | None,
    subject_officer: SubjectOfficer | None = None,
    note: str = "",
    basis: str = "",
    evidence: Sequence[Evidence] = (),
) -> FactRecord | None:
    """Record one fact as held at a stage; None as value makes it unknown
    again (the record is removed). Returns the record, or None when removed."""
    if stage not in STAGE_PERMISSION:
        raise ValidationError(_("该阶段不记录事实。"))
    if not actor.has_perm(STAGE_PERMISSION[stage], case):
        raise PermissionDenied(_("您无权在此阶段记录事实。"))
    if case.state not in STAGE_OPEN_IN[stage]:
        raise ValidationError(
            _("案件当前处于“%(state)s”阶段，不能记录“%(stage)s”阶段的事实。")
            % {"state": case.get_state_display(), "stage": Stage(stage).label}
        )
    if subject_officer is not None and subject_officer.case_id != case.pk:
        raise ValidationError(_("该执法人员不是本案的涉案人员。"))
    catalog = catalog_for_version(case.regulation)
    vocabulary = catalog.vocabulary
    try:
        engine.validate_facts(vocabulary, {fact_key: value})
    except engine.FactError as error:
        raise ValidationError({"value": str(error)}) from None
    if fact_key in FACTS_NEEDING_BASIS and value is True and not basis.strip():
        raise ValidationError({"basis": _("认定此项须书面写明依据。")})
    if value is not None and stage == Stage.INVESTIGATION and not evidence and not note.strip():
        raise ValidationError({"evidence": _("调查认定的事实须注明所依据的证据或说明。")})
    foreign = [e for e in evidence if e.case_id != case.pk]
    if foreign:
        raise ValidationError({"evidence": _("只能引用本案的证据材料。")})

    with transaction.atomic():
        # The stage is checked again on the locked row: the case may have moved
        # on since the caller loaded it.
        locked = Case.objects.select_for_update().only("state").get(pk=case.pk)
        if locked.state not in STAGE_OPEN_IN[stage]:
            raise ValidationError(
                _("案件已进入“%(state)s”阶段，不能再记录“%(stage)s”阶段的事实。")
                % {"state": locked.get_state_display(), "stage": Stage(stage).label}
            )
        existing = FactRecord.objects.filter(
            case=case, stage=stage, fact_key=fact_key, subject_officer=subject_officer
        ).first()
        before = existing.value if existing else None
        if value is None:
            if existing:
                existing.delete()
            record = None
        else:
            record = existing or FactRecord(
                case=case, stage=stage, fact_key=fact_key, subject_officer=subject_officer
            )
            record.value = value
            record.needs_review, record.review_note = False, ""
            record.note = note.strip()
            record.basis = basis.strip()
            record.recorded_by = actor
            record.full_clean(exclude=["evidence"])
            record.save()
            record.evidence.set(evidence)
        # Recording one of the facts a split fact became reviews the old finding.
        predecessors = [fact.key for fact in vocabulary.facts if fact_key in fact.replaced_by]
        if predecessors:
            FactRecord.objects.filter(
                case=case,
                stage=stage,
                subject_officer=subject_officer,
                fact_key__in=predecessors,
                needs_review=True,
            ).update(needs_review=False)
        fact = vocabulary[fact_key]
        audit_record(
            event_type=AuditEventType.FACT_RECORDED,
            actor=actor,
            case=case,
            obj=record or case,
            summary=history_message(
                _noop("%(stage)s·%(who)s：%(fact)s = %(value)s"),
                stage=term(Stage(stage).label),
                who=subject_officer.officer.name if subject_officer else term(_noop("全案")),
                fact=term(fact.label_for(catalog.slug), english=fact.label_en),
                value=_display_term(value),
            ),
            data={
                "stage": stage,
                "fact": fact_key,
                "subject_officer": subject_officer.pk if subject_officer else None,
                "before": before,
                "after": value,
                "evidence": [e.sha256 for e in evidence],
                "note": note.strip(),
                "basis": basis.strip(),
            },
        )
    return record


def _display_term(value):
    """The recorded value for the history: yes / no / not established as
    labels translated at display time; any other value as recorded."""
    if value is True:
        return term(_noop("是"))
    if value is False:
        return term(_noop("否"))
    if value is None:
        return term(_noop("未认定"))
    return str(value)
