"""The expert review: a panel of experts gives an opinion on each disputed
clause; the panel's written conclusion keeps the dissent."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _noop

from accounts.models import User
from accounts.roles import Role
from audit.messages import history_message, term
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case, SubjectOfficer
from cases.services.notices import handoff_notify
from cases.services.transitions import lock_case
from cases.workflow import CaseState
from exemptions.citations import clause_where, clause_where_en
from exemptions.selectors import catalog_for_version
from panel import errors
from panel.models import DisputedClause, ExpertOpinion, ExpertPanel

SET_UP_PANEL = "panel.set_up_panel"


def panel_set_up_refusal(actor: User, case: Case) -> str | None:
    """Why the actor may not set up the case's panel now, or None: asked by
    the page (whether to offer the form) and by panel_set_up."""
    if not actor.has_perm(SET_UP_PANEL, case):
        return str(errors.MAY_NOT_SET_UP_PANEL)
    if case.state != CaseState.EXPERT_REVIEW:
        return str(errors.SET_UP_NOT_IN_EXPERT_REVIEW)
    return None


def panel_set_up(
    *,
    actor: User,
    case: Case,
    members: Sequence[User],
    question: str,
    disputed: Sequence[tuple[SubjectOfficer, str]],
) -> ExpertPanel:
    """Form the panel for a case in expert review: its members (users with
    the expert role), the question, and the disputed clauses per officer."""
    if not actor.has_perm(SET_UP_PANEL, case):
        raise PermissionDenied(errors.MAY_NOT_SET_UP_PANEL)
    if len(members) < 3 or len(members) % 2 == 0:
        raise ValidationError({"members": errors.PANEL_SIZE})
    not_experts = [
        m.get_full_name()
        for m in members
        # Experts read a case only once on its panel: membership of the case's
        # unit is what makes one eligible (panel.selectors lists the same).
        if not m.has_role(Role.EXPERT) or case.unit_id not in m.unit_ids()
    ]
    if not_experts:
        raise ValidationError(
            {"members": errors.NOT_CASE_EXPERTS % {"names": "、".join(not_experts)}}
        )
    if not question.strip():
        raise ValidationError({"question": errors.QUESTION_MISSING})
    if not disputed:
        raise ValidationError({"disputed": errors.NO_DISPUTED_CLAUSE})
    refs = catalog_for_version(case.regulation).by_ref
    for subject_officer, ref in disputed:
        if ref not in refs or subject_officer.case_id != case.pk:
            raise ValidationError({"disputed": errors.DISPUTED_CLAUSE_INVALID % {"ref": ref}})
    with transaction.atomic():
        case = lock_case(case.pk)
        refusal = panel_set_up_refusal(actor, case)
        if refusal:
            raise ValidationError(refusal)
        if ExpertPanel.objects.filter(case=case).exists():
            raise ValidationError(errors.PANEL_ALREADY_SET_UP)
        panel = ExpertPanel.objects.create(case=case, question=question.strip())
        panel.members.set(members)
        DisputedClause.objects.bulk_create(
            DisputedClause(panel=panel, subject_officer=so, clause_ref=ref)
            for so, ref in dict.fromkeys(disputed)
        )
        audit_record(
            event_type=AuditEventType.CASE_UPDATED,
            actor=actor,
            case=case,
            obj=panel,
            summary=history_message(
                _noop("组织专家组：%(names)s"),
                names="、".join(m.get_full_name() for m in members),
            ),
            data={
                "members": [m.pk for m in members],
                "disputed": [[so.pk, ref] for so, ref in disputed],
            },
        )
        handoff_notify(
            "panel_formed",
            case=case,
            actor=actor,
            params={"names": "、".join(m.get_full_name() for m in members)},
        )
    return panel


def opinion_record(
    *, actor: User, disputed_clause: DisputedClause, position: str, reasoning: str
) -> ExpertOpinion:
    panel = disputed_clause.panel
    case = panel.case
    if not actor.has_perm("panel.give_expert_opinion", case):
        raise PermissionDenied(errors.MAY_NOT_GIVE_OPINION)
    if position not in ExpertOpinion.Position.values:
        raise ValidationError({"position": errors.POSITION_MISSING})
    if not reasoning.strip():
        raise ValidationError({"reasoning": errors.REASONING_MISSING})
    with transaction.atomic():
        lock_case(case.pk)
        panel.refresh_from_db()
        if panel.concluded_at:
            raise ValidationError(errors.OPINIONS_FIXED_AFTER_CONCLUSION)
        opinion, _created = ExpertOpinion.objects.update_or_create(
            disputed_clause=disputed_clause,
            member=actor,
            defaults={"position": position, "reasoning": reasoning.strip()},
        )
        audit_record(
            event_type=AuditEventType.EXPERT_OPINION_RECORDED,
            actor=actor,
            case=case,
            obj=opinion,
            summary=history_message(
                _noop("%(name)s对%(officer)s%(clause)s：%(position)s"),
                name=actor.get_full_name(),
                officer=disputed_clause.subject_officer.officer.name,
                clause=term(
                    clause_where(disputed_clause.clause_ref),
                    english=clause_where_en(disputed_clause.clause_ref),
                ),
                position=term(opinion.get_position_display()),
            ),
            data={
                "clause": disputed_clause.clause_ref,
                "position": position,
                "reasoning": reasoning.strip(),
            },
        )
    return opinion


def panel_conclude(*, actor: User, case: Case, conclusion: str, dissent: str = "") -> ExpertPanel:
    """Issue the panel's written opinion once every member has given an
    opinion on every disputed clause. Dissent is kept as written."""
    if not actor.has_perm("panel.conclude_panel", case):
        raise PermissionDenied(errors.MAY_NOT_CONCLUDE)
    if not conclusion.strip():
        raise ValidationError({"conclusion": errors.CONCLUSION_MISSING})
    with transaction.atomic():
        case = lock_case(case.pk)
        panel = ExpertPanel.objects.select_for_update().get(case=case)
        if panel.concluded_at:
            raise ValidationError(errors.PANEL_ALREADY_CONCLUDED)
        members = list(panel.members.order_by("pk"))
        missing = [
            (d.clause_ref, m.get_full_name())
            for d in panel.disputed.prefetch_related("opinions")
            for m in members
            if m.pk not in {o.member_id for o in d.opinions.all()}
        ]
        if missing:
            raise ValidationError(
                errors.OPINIONS_MISSING
                % {"items": "；".join(f"{name}（{ref}）" for ref, name in missing)}
            )
        disagreeing = ExpertOpinion.objects.filter(disputed_clause__panel=panel).exclude(
            position=ExpertOpinion.Position.AGREE
        )
        if disagreeing.exists() and not dissent.strip():
            raise ValidationError({"dissent": errors.DISSENT_MISSING})
        panel.conclusion = conclusion.strip()
        panel.dissent = dissent.strip()
        panel.concluded_by = actor
        panel.concluded_at = timezone.now()
        panel.save(update_fields=["conclusion", "dissent", "concluded_by", "concluded_at"])
        audit_record(
            event_type=AuditEventType.PANEL_CONCLUDED,
            actor=actor,
            case=case,
            obj=panel,
            summary=history_message(_noop("专家组出具书面论证意见")),
            data={"conclusion": panel.conclusion, "dissent": panel.dissent},
        )
        handoff_notify("panel_concluded", case=case, actor=actor)
    return panel
