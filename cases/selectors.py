"""Read queries about cases."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import case_readable_unit_ids
from cases.models import Case, Evidence, FactRecord, SubjectOfficer
from cases.workflow import CaseState
from documents.models import Document
from reviews.models import Determination, ExpertPanel, Meeting, MeetingMember, Vote


def cases_readable_by(user: User) -> Q:
    """The condition on cases that the user reads (need-to-know, the same as
    cases.rules.can_see_case): the case roles by unit, experts by panel."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    condition = Q(unit_id__in=case_readable_unit_ids(user))
    if user.has_role(Role.EXPERT):
        condition |= Q(Exists(ExpertPanel.objects.filter(case=OuterRef("pk"), members=user)))
    return condition


def case_list_for_user(user: User) -> QuerySet[Case]:
    """Cases the user may see, newest first, with what the list shows: the
    unit, the subject officers and the adopted determinations, in a fixed
    number of queries. The long texts (and the regulation's catalogue) stay
    in the database: the list never shows them."""
    return (
        Case.objects.filter(cases_readable_by(user))
        .select_related("unit")
        .defer("incident_summary", "allegation", "regulation_change_reason")
        .prefetch_related(
            Prefetch(
                "subject_officers",
                queryset=SubjectOfficer.objects.select_related("officer").only(
                    "id", "case_id", "part", "officer__id", "officer__name"
                ),
            ),
            Prefetch(
                "determinations",
                queryset=Determination.objects.filter(status=Determination.Status.ADOPTED).only(
                    "id", "case_id", "subject_officer_id", "outcome", "status"
                ),
                to_attr="adopted_determinations",
            ),
        )
    )


def visible_case_by_number(user: User, number: str) -> Case | None:
    """The case of that number among those the user may see; None for a
    blank number, an unknown one, or one of a unit out of sight."""
    number = number.strip()
    if not number:
        return None
    return Case.objects.filter(cases_readable_by(user), number=number).first()


def case_detail(pk: int) -> Case:
    """One case with everything its pages show, in a fixed number of queries."""
    return (
        Case.objects.select_related(
            "unit",
            "unit__discipline_body",
            "created_by",
            "lead_investigator",
            "regulation",
            "regulation__regulation",
        )
        .prefetch_related(
            Prefetch(
                "subject_officers",
                queryset=SubjectOfficer.objects.select_related(
                    "officer", "officer__unit"
                ).prefetch_related("clause_claims"),
            ),
            Prefetch("fact_records", queryset=FactRecord.objects.prefetch_related("evidence")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
            Prefetch("documents", queryset=Document.objects.order_by("kind", "-requested_at")),
            "determinations",
            "filing_packages__acknowledged_by",
        )
        .get(pk=pk)
    )


def latest_documents(case: Case) -> list[Document]:
    """The newest document of each kind (uses the prefetched documents)."""
    seen: dict[str, Document] = {}
    for document in case.documents.all():
        seen.setdefault(document.kind, document)
    return list(seen.values())


def case_responsible_users(case: Case) -> list[User]:
    """Who the case is waiting on in its current stage (for reminders and the
    task lists); active accounts only."""
    return [user for user in _responsible(case) if user is not None and user.is_active]


def _responsible(case: Case) -> list[User]:
    unit_members = User.objects.filter(units=case.unit_id, is_active=True)
    if case.state in (
        CaseState.DRAFT,
        CaseState.REGISTERED,
        CaseState.DECIDED,
        CaseState.PUBLISHED,
    ):
        return [case.created_by]
    if case.state == CaseState.INVESTIGATING:
        if case.lead_investigator_id:
            return [case.lead_investigator]
        return list(unit_members.filter(groups__name=Role.INVESTIGATOR))
    if case.state == CaseState.EXPERT_REVIEW:
        panel = getattr(case, "expert_panel", None)
        if panel is not None:
            return list(panel.members.all())
        return [case.created_by]
    if case.state == CaseState.DELIBERATION:
        return list(unit_members.filter(groups__name=Role.LEADERSHIP_CHAIR))
    if case.state == CaseState.FILED:
        liaisons = User.objects.filter(
            groups__name=Role.DISCIPLINE_LIAISON,
            discipline_body=case.unit.discipline_body_id,
            is_active=True,
        )
        return [case.created_by, *liaisons]
    return []


# --- what waits on whom --------------------------------------------------------------

# The stages in which the case waits on the inspector who registered it.
CREATOR_STATES = (CaseState.DRAFT, CaseState.REGISTERED, CaseState.DECIDED, CaseState.PUBLISHED)


def cases_waiting_on(user: User) -> QuerySet[Case]:
    """The cases waiting on the user now: the inverse of
    case_responsible_users, plus the open votes of leadership members (a
    member present at an open meeting who has not yet stated a position on a
    proposed determination). Soonest deadline first, so overdue cases lead;
    cases without a deadline last.

    One query: a union of one small indexed select per way a case can wait on
    someone, so that it stays cheap enough to count on every page."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    return (
        Case.objects.filter(pk__in=_waiting_case_ids(user))
        .select_related("unit")
        .defer("incident_summary", "allegation", "regulation_change_reason")
        .annotate(has_panel=Exists(ExpertPanel.objects.filter(case=OuterRef("pk"))))
        .order_by(F("deadline_at").asc(nulls_last=True), "pk")
    )


def cases_waiting_on_count(user: User) -> int:
    """How many cases wait on the user (the navigation's badge): one query."""
    if not user.is_authenticated or not user.is_active:
        return 0
    # UNION (not ALL) drops a case reached two ways; counting it directly
    # spares the planner a join back to the cases.
    return _waiting_case_ids(user, distinct=True).count()


def _waiting_case_ids(user: User, *, distinct: bool = False):
    cases = Case.objects.order_by()
    arms = [
        # Draft, registered, decided, published, filed: the registering inspector.
        cases.filter(created_by=user, state__in=(*CREATOR_STATES, CaseState.FILED)).values("pk"),
        # Expert review before a panel is formed: the registering inspector.
        cases.filter(created_by=user, state=CaseState.EXPERT_REVIEW)
        .exclude(Exists(ExpertPanel.objects.filter(case=OuterRef("pk"))))
        .values("pk"),
        # Investigation led by the user.
        cases.filter(lead_investigator=user, state=CaseState.INVESTIGATING).values("pk"),
        # Expert review: every member of the case's panel.
        ExpertPanel.members.through.objects.filter(
            user=user, expertpanel__case__state=CaseState.EXPERT_REVIEW
        )
        .order_by()
        .values("expertpanel__case_id"),
    ]
    units = user.unit_ids()
    if units and user.has_role(Role.INVESTIGATOR):
        # Investigation without a lead: every investigator of the unit.
        arms.append(
            cases.filter(
                state=CaseState.INVESTIGATING, lead_investigator__isnull=True, unit_id__in=units
            ).values("pk")
        )
    if units and user.has_role(Role.LEADERSHIP_CHAIR):
        arms.append(cases.filter(state=CaseState.DELIBERATION, unit_id__in=units).values("pk"))
    if user.has_role(Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR):
        arms.append(_open_votes(user))
    if user.discipline_body_id and user.has_role(Role.DISCIPLINE_LIAISON):
        arms.append(
            cases.filter(
                state=CaseState.FILED, unit__discipline_body_id=user.discipline_body_id
            ).values("pk")
        )
    first, *rest = arms
    return first.union(*rest, all=not distinct)


def _open_votes(user: User):
    """Cases in deliberation with a proposed determination on which the user,
    present at the open meeting and not its chair, has not yet voted. Starts
    from the user's own meeting seats, which are few."""
    unvoted = Determination.objects.filter(
        meeting=OuterRef("meeting"), status=Determination.Status.PROPOSED
    ).exclude(
        Exists(Vote.objects.filter(determination=OuterRef("pk"), member=OuterRef(OuterRef("pk"))))
    )
    return (
        MeetingMember.objects.filter(
            user=user,
            attendance=MeetingMember.Attendance.PRESENT,
            is_chair=False,
            meeting__status=Meeting.Status.OPEN,
            meeting__case__state=CaseState.DELIBERATION,
        )
        .filter(Exists(unvoted))
        .order_by()
        .values("meeting__case_id")
    )


@dataclass(frozen=True)
class NextStep:
    """What a user is to do next on a case, and the page where it is done
    (a URL name taking the case's pk, or none for the filings inbox)."""

    label: Promise
    url_name: str
    takes_case: bool = True

    def url_for(self, case: Case) -> str:
        return reverse(self.url_name, args=[case.pk] if self.takes_case else [])


def case_next_step(case: Case, user: User) -> NextStep:
    """The step a case waiting on the user expects of them, from the case's
    stage and the user's part in it (no query: `has_panel` is annotated by
    cases_waiting_on, or read from the case)."""
    state = case.state
    if state == CaseState.DRAFT:
        return NextStep(_("补全登记信息并登记立案"), "cases:detail")
    if state == CaseState.REGISTERED:
        return NextStep(_("督促调查人员开始调查核实"), "cases:detail")
    if state == CaseState.INVESTIGATING:
        return NextStep(_("调查核实，撰写并签发调查报告"), "reviews:report")
    if state == CaseState.EXPERT_REVIEW:
        has_panel = getattr(case, "has_panel", None)
        if has_panel is None:
            has_panel = ExpertPanel.objects.filter(case=case).exists()
        if has_panel:
            return NextStep(_("出具专家论证意见"), "reviews:expert")
        return NextStep(_("组建专家组"), "reviews:expert")
    if state == CaseState.DELIBERATION:
        if case.unit_id in user.unit_ids() and user.has_role(Role.LEADERSHIP_CHAIR):
            return NextStep(_("召集集体研究，主持表决"), "reviews:deliberation")
        return NextStep(_("对责任认定表态"), "reviews:deliberation")
    if state == CaseState.DECIDED:
        return NextStep(_("报纪检监察机关备案或结案"), "cases:detail")
    if state == CaseState.FILED:
        if case.created_by_id == user.pk:
            return NextStep(_("在一定范围内公开决定"), "cases:detail")
        return NextStep(_("下载并签收备案材料"), "filings:inbox", takes_case=False)
    if state == CaseState.PUBLISHED:
        return NextStep(_("结案"), "cases:detail")
    return NextStep(_("查看案件"), "cases:detail")
