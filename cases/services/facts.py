"""Recording facts at a stage, for the whole case or one subject officer."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _noop

from accounts.models import User
from audit.messages import history_message, term
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors
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
    reason: str = "",
) -> FactRecord | None:
    """Record one fact as held at a stage; None as value makes it unknown
    again (the record is removed). Returns the record, or None when removed.
    A fact carried from the previous stage is amended (a different value, or
    made unknown) only with a reason; recording its carried value again
    confirms it."""
    if stage not in STAGE_PERMISSION:
        raise ValidationError(errors.STAGE_RECORDS_NO_FACTS)
    if not actor.has_perm(STAGE_PERMISSION[stage], case):
        raise PermissionDenied(errors.MAY_NOT_RECORD_FACTS)
    if case.state not in STAGE_OPEN_IN[stage]:
        raise ValidationError(
            errors.FACTS_NOT_IN_STAGE
            % {"state": case.get_state_display(), "stage": Stage(stage).label}
        )
    if subject_officer is not None and subject_officer.case_id != case.pk:
        raise ValidationError(errors.NOT_A_SUBJECT_OFFICER)
    catalog = catalog_for_version(case.regulation)
    vocabulary = catalog.vocabulary
    try:
        engine.validate_facts(vocabulary, {fact_key: value})
    except engine.FactError as error:
        raise ValidationError({"value": str(error)}) from None
    if fact_key in FACTS_NEEDING_BASIS and value is True and not basis.strip():
        raise ValidationError({"basis": errors.FACT_BASIS_MISSING})
    if value is not None and stage == Stage.INVESTIGATION and not evidence and not note.strip():
        raise ValidationError({"evidence": errors.FACT_EVIDENCE_MISSING})
    foreign = [e for e in evidence if e.case_id != case.pk]
    if foreign:
        raise ValidationError({"evidence": errors.EVIDENCE_OF_OTHER_CASE})

    with transaction.atomic():
        # The stage is checked again on the locked row: the case may have moved
        # on since the caller loaded it.
        locked = Case.objects.select_for_update().only("state").get(pk=case.pk)
        if locked.state not in STAGE_OPEN_IN[stage]:
            raise ValidationError(
                errors.FACTS_STAGE_PASSED
                % {"state": locked.get_state_display(), "stage": Stage(stage).label}
            )
        existing = FactRecord.objects.filter(
            case=case, stage=stage, fact_key=fact_key, subject_officer=subject_officer
        ).first()
        before = existing.value if existing else None
        carried_from = existing.carried_from if existing else ""
        amends_carried = bool(carried_from) and value != before
        if amends_carried and not reason.strip():
            raise ValidationError(
                {
                    "reason": errors.CARRIED_FACT_REASON_MISSING
                    % {"stage": Stage(carried_from).label}
                }
            )
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
            if amends_carried:
                # Amended: the stage's own finding now, with the reason kept.
                record.carried_from = ""
                record.amendment_reason = reason.strip()
                record.confirmed_by, record.confirmed_at = None, None
            elif carried_from:
                # The carried value recorded again: confirmed as it stands.
                record.confirmed_by, record.confirmed_at = actor, timezone.now()
            if not carried_from or amends_carried:
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
                "carried_from": carried_from,
                "amendment_reason": reason.strip() if amends_carried else "",
            },
        )
    return record


# The fact-finding stages in order: each starts from the previous one's facts.
FACT_STAGE_ORDER = (Stage.INTAKE, Stage.INVESTIGATION, Stage.DELIBERATION)


def facts_carry_forward(*, actor: User, case: Case, from_stage: str, to_stage: str) -> int:
    """Copy the facts held at `from_stage` into `to_stage`, marked as carried
    (called by the move that opens `to_stage`, inside its transaction). A fact
    the new stage already holds is left alone. Returns how many were carried."""
    held = set(
        FactRecord.objects.filter(case=case, stage=to_stage).values_list(
            "subject_officer_id", "fact_key"
        )
    )
    sources = (
        FactRecord.objects.filter(case=case, stage=from_stage)
        .prefetch_related("evidence")
        .order_by("id")
    )
    carried = 0
    for source in sources:
        if (source.subject_officer_id, source.fact_key) in held:
            continue
        copy = FactRecord.objects.create(
            case=case,
            subject_officer_id=source.subject_officer_id,
            stage=to_stage,
            fact_key=source.fact_key,
            value=source.value,
            note=source.note,
            basis=source.basis,
            recorded_by_id=source.recorded_by_id,
            needs_review=source.needs_review,
            review_note=source.review_note,
            carried_from=from_stage,
        )
        # Who established it and when stay those of the source finding
        # (recorded_at is auto_now, so it is set past save()).
        FactRecord.objects.filter(pk=copy.pk).update(recorded_at=source.recorded_at)
        copy.evidence.set(source.evidence.all())
        carried += 1
    if carried:
        audit_record(
            event_type=AuditEventType.FACT_RECORDED,
            actor=actor,
            case=case,
            obj=case,
            summary=history_message(
                _noop("“%(to)s”阶段沿用“%(source)s”阶段认定的事实%(count)s项"),
                to=term(Stage(to_stage).label),
                source=term(Stage(from_stage).label),
                count=carried,
            ),
            data={"action": "carry_forward", "from": from_stage, "to": to_stage, "count": carried},
        )
    return carried


def facts_confirm_carried(*, actor: User, case: Case, stage: str) -> int:
    """Confirm, at once, every fact the stage carried from the previous one and
    has not yet confirmed or amended. Returns how many were confirmed."""
    if stage not in STAGE_PERMISSION:
        raise ValidationError(errors.STAGE_RECORDS_NO_FACTS)
    if not actor.has_perm(STAGE_PERMISSION[stage], case):
        raise PermissionDenied(errors.MAY_NOT_CONFIRM_FACTS)
    with transaction.atomic():
        locked = Case.objects.select_for_update().only("state").get(pk=case.pk)
        if locked.state not in STAGE_OPEN_IN[stage]:
            raise ValidationError(
                errors.CONFIRM_NOT_IN_STAGE
                % {"state": locked.get_state_display(), "stage": Stage(stage).label}
            )
        pending = FactRecord.objects.filter(
            case=case, stage=stage, confirmed_at__isnull=True
        ).exclude(carried_from="")
        keys = list(pending.order_by("id").values_list("fact_key", flat=True))
        if not keys:
            raise ValidationError(errors.NOTHING_TO_CONFIRM)
        confirmed = pending.update(confirmed_by=actor, confirmed_at=timezone.now())
        audit_record(
            event_type=AuditEventType.FACT_RECORDED,
            actor=actor,
            case=case,
            obj=case,
            summary=history_message(
                _noop("“%(stage)s”阶段确认沿用的事实%(count)s项"),
                stage=term(Stage(stage).label),
                count=confirmed,
            ),
            data={"action": "confirm_carried", "stage": stage, "facts": keys},
        )
    return confirmed


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
