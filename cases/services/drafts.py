"""The intake wizard's drafts: keeping what an inspector typed between
sessions, opening the case and keeping it up to date while it is a draft,
submitting it for registration, and discarding it."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from accounts.models import Unit, User
from audit.messages import history_message
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors
from cases.models import Case, IntakeDraft, SubjectOfficer
from cases.services.intake import (
    IncidentInput,
    SubjectOfficerInput,
    applicable_regulation,
    case_claims_set,
    case_create,
)
from cases.services.transitions import TransitionRefused, case_transition
from cases.workflow import CaseState

STEPS = list(IntakeDraft.Step)
# The steps whose typed data is kept as posted.
FORM_STEPS = (IntakeDraft.Step.INCIDENT, IntakeDraft.Step.OFFICERS, IntakeDraft.Step.ALLEGATION)
# Posted keys that are controls, not data.
_NOT_DATA = {"csrfmiddlewaretoken", "action"}

# The incident fields a draft case may still change, in the order shown.
_INCIDENT_FIELDS = {
    "incident_summary": "summary",
    "incident_date": "date",
    "incident_place": "place",
    "field": "field",
    "activity_kind": "activity_kind",
    "lead_source": "lead_source",
    "allegation": "allegation",
    "disputed": "disputed",
    "organs_intervened": "organs_intervened",
}


# --- reads --------------------------------------------------------------------------------


def intake_drafts_of(user: User) -> QuerySet[IntakeDraft]:
    """The user's own unfinished drafts, last saved first. A draft whose case
    has meanwhile been registered or withdrawn on the case page is finished."""
    return (
        IntakeDraft.objects.filter(owner=user)
        .filter(Q(case__isnull=True) | Q(case__state=CaseState.DRAFT))
        .select_related("case")
    )


# --- writes -------------------------------------------------------------------------------


def _check_owner(actor: User, draft: IntakeDraft) -> None:
    if draft.owner_id != actor.pk:
        raise PermissionDenied(errors.NOT_YOUR_DRAFT)


def intake_draft_save(
    *, actor: User, draft: IntakeDraft | None, step: str, data: Mapping[str, list], go_to: str
) -> IntakeDraft:
    """Keep what was typed at a form step, as posted (valid or not), and the
    step to reopen; starts a new draft when `draft` is None."""
    if not actor.has_perm("cases.add_case"):
        raise PermissionDenied(errors.MAY_NOT_REGISTER)
    if draft is None:
        draft = IntakeDraft(owner=actor)
    _check_owner(actor, draft)
    if step not in FORM_STEPS or go_to not in STEPS:
        raise ValidationError(errors.UNKNOWN_INTAKE_STEP)
    if hasattr(data, "lists"):  # a QueryDict: every value of every key
        data = dict(data.lists())
    kept = {key: [str(v) for v in values] for key, values in data.items() if key not in _NOT_DATA}
    with transaction.atomic():
        if draft.pk is None:
            draft.data, draft.step = {step: kept}, go_to
            draft.save()
            return draft
        # Re-read under the lock: another tab may have saved another step.
        locked = IntakeDraft.objects.select_for_update().get(pk=draft.pk)
        locked.data = {**locked.data, step: kept}
        locked.step = go_to
        locked.save(update_fields=["data", "step", "updated_at"])
    draft.data, draft.step = locked.data, locked.step
    return draft


def intake_draft_step_set(*, actor: User, draft: IntakeDraft, step: str) -> IntakeDraft:
    """Remember the step to reopen (for steps that keep no typed data)."""
    _check_owner(actor, draft)
    if step not in STEPS:
        raise ValidationError(errors.UNKNOWN_INTAKE_STEP)
    if draft.step != step:
        draft.step = step
        draft.save(update_fields=["step", "updated_at"])
    return draft


def intake_draft_case_save(
    *,
    actor: User,
    draft: IntakeDraft,
    unit: Unit,
    incident: IncidentInput,
    subject_officers: Sequence[SubjectOfficerInput],
    claims: Mapping[int, Sequence[str]],
) -> Case:
    """Open the draft's case, or bring it up to date with what the draft now
    holds, with its officers and the clauses claimed for each ({officer id:
    [refs]}). All or nothing: a refusal leaves the case as it was."""
    _check_owner(actor, draft)
    with transaction.atomic():
        # Locked, so that two tabs submitting at once cannot open two cases.
        locked = IntakeDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.case_id is None:
            case = case_create(
                actor=actor, unit=unit, incident=incident, subject_officers=subject_officers
            )
            locked.case = case
            locked.save(update_fields=["case", "updated_at"])
        else:
            case = case_draft_update(
                actor=actor,
                case=locked.case,
                incident=incident,
                subject_officers=subject_officers,
            )
        for subject in case.subject_officers.select_related("officer"):
            refs = list(dict.fromkeys(claims.get(subject.officer_id, [])))
            held = sorted(subject.clause_claims.values_list("clause_ref", flat=True))
            if sorted(refs) != held:
                case_claims_set(actor=actor, case=case, subject_officer=subject, clause_refs=refs)
    draft.case = case
    return case


def case_draft_update(
    *,
    actor: User,
    case: Case,
    incident: IncidentInput,
    subject_officers: Sequence[SubjectOfficerInput],
) -> Case:
    """Change the incident, the allegation and the officers of a case that
    is still a draft (the unit stays). The regulation follows the incident
    date. Writes one audit event with what changed; nothing when nothing did."""
    if not actor.has_perm("cases.edit_intake", case):
        raise PermissionDenied(errors.MAY_NOT_EDIT_INTAKE)
    if not subject_officers:
        raise ValidationError({"officers": errors.NO_SUBJECT_OFFICERS})
    foreign = [s.officer.name for s in subject_officers if s.officer.unit_id != case.unit_id]
    if foreign:
        raise ValidationError(
            {"officers": errors.OFFICERS_OUTSIDE_UNIT % {"names": "、".join(foreign)}}
        )
    if len({s.officer.pk for s in subject_officers}) != len(subject_officers):
        raise ValidationError({"officers": errors.DUPLICATE_OFFICER})
    regulation = applicable_regulation(case.unit, incident.date)

    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("regulation")
            .get(pk=case.pk)
        )
        if locked.state != CaseState.DRAFT:
            raise ValidationError(errors.DRAFT_ALREADY_REGISTERED)
        before, after = {}, {}
        for field, attribute in _INCIDENT_FIELDS.items():
            value = getattr(incident, attribute)
            if isinstance(value, str):
                value = value.strip()
            if getattr(locked, field) != value:
                before[field], after[field] = getattr(locked, field), value
                setattr(locked, field, value)
        if locked.regulation_id != regulation.pk:
            before["regulation"], after["regulation"] = str(locked.regulation), str(regulation)
            locked.regulation = regulation
        if before:
            locked.full_clean(exclude=["state"])
            locked.save(update_fields=list(before))

        held = {s.officer_id: s for s in locked.subject_officers.select_related("officer")}
        wanted = {s.officer.pk: s for s in subject_officers}
        held_parts = {pk: s.part for pk, s in held.items()}
        wanted_parts = {pk: s.part for pk, s in wanted.items()}
        if held_parts != wanted_parts:
            before["officers"] = [f"{s.officer.name}（{s.part}）" for s in held.values()]
            after["officers"] = [f"{s.officer.name}（{s.part}）" for s in subject_officers]
            # Removing an officer removes what was recorded for them at intake.
            SubjectOfficer.objects.filter(
                case=locked, officer_id__in=set(held) - set(wanted)
            ).delete()
            for pk, subject in held.items():
                if pk in wanted and subject.part != wanted[pk].part:
                    subject.part = wanted[pk].part
                    subject.save(update_fields=["part"])
            SubjectOfficer.objects.bulk_create(
                SubjectOfficer(case=locked, officer=s.officer, part=s.part)
                for pk, s in wanted.items()
                if pk not in held
            )
        if before:
            audit_record(
                event_type=AuditEventType.CASE_UPDATED,
                actor=actor,
                case=locked,
                obj=locked,
                summary=history_message(_noop("修改案件草稿的登记信息")),
                data={"before": before, "after": after},
            )
    return locked


def intake_draft_submit(*, actor: User, draft: IntakeDraft) -> tuple[Case, bool]:
    """Submit a complete draft: register its case, or, when the actor may
    not register it, leave the case ready for registration. Either way the
    draft is finished. Returns (case, registered). A refusal of the workflow
    (its reason in the message) keeps the draft."""
    _check_owner(actor, draft)
    if draft.case_id is None:
        raise ValidationError(errors.INTAKE_INCOMPLETE)
    with transaction.atomic():
        locked = (
            IntakeDraft.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=draft.pk)
        )
        registered = True
        try:
            case = case_transition(actor=actor, case_id=locked.case_id, name="register")
        except PermissionDenied:
            case, registered = locked.case, False
        except TransitionRefused as refusal:
            raise ValidationError(refusal.message) from refusal
        locked.delete()
    return case, registered


def intake_draft_discard(*, actor: User, draft: IntakeDraft) -> Case | None:
    """Throw a draft away. A case already opened for it is withdrawn (cases
    are never deleted: their audit trail stays). Returns that case."""
    _check_owner(actor, draft)
    with transaction.atomic():
        locked = (
            IntakeDraft.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=draft.pk)
        )
        case = locked.case
        if case is not None and case.state == CaseState.DRAFT:
            try:
                case = case_transition(
                    actor=actor, case_id=case.pk, name="withdraw", reason=_("登记人放弃登记草稿")
                )
            except TransitionRefused as refusal:
                raise ValidationError(refusal.message) from refusal
        locked.delete()
    return case
