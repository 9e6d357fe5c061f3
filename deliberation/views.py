"""The collective decision: the leadership meets, attendance and recusals are
recorded, a determination is proposed per officer, each member states a
position (the chair last), and the chair announces the computed result."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.assessment import clause_matrix
from cases.confirmations import ConfirmForm
from cases.forms import fits_form
from cases.views.common import add_service_errors, error_messages, get_case_for_user
from cases.workflow import CaseState, Stage
from deliberation import errors
from deliberation.forms import (
    AttendanceForm,
    ConveneForm,
    ProposalForm,
    ProposalWithdrawForm,
    VoteForm,
    attendance_form,
    proposal_initial,
)
from deliberation.models import Determination, Meeting, MeetingMember
from deliberation.selectors import meeting_detail, meetings_for_case
from deliberation.services import (
    ProposalInput,
    attendance_record,
    chair_waits_for,
    determination_amend,
    determination_propose,
    determination_withdraw,
    meeting_convene,
    tally_compute,
    vote_close,
    vote_record,
    vote_refusal,
    votes_missing,
)
from exemptions.selectors import facts_by_key
from investigation.selectors import report_for_case
from panel.models import ExpertOpinion
from panel.selectors import panel_for_case

STAGES = (Stage.INVESTIGATION, Stage.DELIBERATION)
PRESENT = MeetingMember.Attendance.PRESENT
# Seconds between the polls that bring other members' positions in.
TALLY_POLL_SECONDS = 5


def _vote_block(request, case, meeting, determination, form=None) -> dict:
    """One officer's voting block: the votes with reasoning, the tally, who is
    still to state a position and the current member's form."""
    members = list(meeting.members.all())
    votes = list(determination.votes.all())
    voted = {vote.member_id for vote in votes}
    me = next((m for m in members if m.user_id == request.user.pk), None)
    waiting = [m for m in members if m.attendance == PRESENT and m.pk not in voted]
    # The same questions vote_record asks.
    can_vote = (
        me is not None
        and vote_refusal(meeting, me, voted) is None
        and request.user.has_perm("deliberation.vote", case)
    )
    if can_vote and form is None:
        form = VoteForm(prefix=f"vote-{determination.pk}")
    return {
        "case": case,
        "meeting": meeting,
        "determination": determination,
        "votes": votes,
        "tally": tally_compute(meeting, determination) if meeting.is_open else determination.tally,
        "waiting": waiting,
        # 末位表态: the chair's form says so while others have yet to vote.
        "chair_waits": me is not None and me.is_chair and bool(chair_waits_for(members, voted)),
        "my_vote": next((v for v in votes if me and v.member_id == me.pk), None),
        "form": form if can_vote else None,
        # A refusal when the form is no longer offered (e.g. a second vote).
        "errors": form.non_field_errors() if form is not None and not can_vote else [],
        # What the page last saw: a poll that finds the same answers 204.
        "seen": _seen(meeting, votes),
        "poll_seconds": TALLY_POLL_SECONDS,
        "tally_visible": request.user.has_perm("deliberation.watch_live_tally", meeting),
    }


def _seen(meeting, votes) -> str:
    return f"{meeting.status}-{len(votes)}"


def _close_state(meeting) -> dict:
    """Whether the chair may announce the result now, and if not, why: every
    present member must have stated a position on every determination."""
    determinations = list(meeting.determinations.all())
    pending = [
        (determination.subject_officer.officer.name, missing)
        for determination, missing in votes_missing(meeting)
    ]
    return {
        "meeting": meeting,
        "ready": bool(determinations) and not pending,
        "no_determination": not determinations,
        "pending": pending,
    }


def _panel_summary(disputed) -> list[dict]:
    """Per disputed clause: how many experts took each position, in the
    order of the choices, for the compact line."""
    rows = []
    for item in disputed:
        opinions = list(item.opinions.all())
        counts = [
            (label, sum(1 for o in opinions if o.position == value))
            for value, label in ExpertOpinion.Position.choices
        ]
        rows.append(
            {"item": item, "opinions": opinions, "counts": [(lb, n) for lb, n in counts if n]}
        )
    return rows


def _officer_sections(
    request, case, meeting, matrices, report, panel, forms, voting_started=False
) -> list[dict]:
    """Per officer: the engine's proposal, the matrix, the report's and the
    panel's view, and the determination with its votes or the proposal form."""
    proposed = {d.subject_officer_id: d for d in meeting.determinations.all()} if meeting else {}
    can_propose = meeting is not None and request.user.has_perm(
        "deliberation.propose_determination", case
    )
    conclusions = list(report.clause_conclusions.all()) if report else []
    disputed = list(panel.disputed.all()) if panel else []
    officers = []
    for matrix in matrices:
        so = matrix.subject_officer
        determination = proposed.get(so.pk)
        form = vote = amend_form = withdraw_form = None
        if determination:
            vote = _vote_block(
                request, case, meeting, determination, forms.get(("vote", determination.pk))
            )
            if can_propose and not voting_started:
                # Before the first vote the proposal may still be amended or withdrawn.
                amend_form = forms.get(("amend", determination.pk)) or ProposalForm(
                    matrix=matrix,
                    procedure=case.procedure,
                    initial=proposal_initial(determination),
                    prefix=f"amend-{determination.pk}",
                )
                withdraw_form = forms.get(("withdraw", determination.pk)) or ProposalWithdrawForm(
                    prefix=f"withdraw-{determination.pk}"
                )
        elif can_propose:
            form = forms.get(("propose", so.pk)) or ProposalForm(
                matrix=matrix, procedure=case.procedure
            )
        officers.append(
            {
                "subject_officer": so,
                "matrices": [matrix],
                "engine_outcome": matrix.outcomes[Stage.DELIBERATION],
                "flags": matrix.flags.get(Stage.DELIBERATION, []),
                "report_conclusions": [c for c in conclusions if c.subject_officer_id == so.pk],
                "disputed": _panel_summary(d for d in disputed if d.subject_officer_id == so.pk),
                "determination": determination,
                "proposal_form": form,
                "amend_form": amend_form,
                "withdraw_form": withdraw_form,
                "vote": vote,
            }
        )
    return officers


def _follows(meeting, meetings):
    """As deliberation.services.previous_rejected_meeting, read from the
    meetings the page has already loaded (no query of its own)."""
    if meeting is None:
        return None
    earlier = [
        m
        for m in meetings
        if not m.is_open
        and m.created_at < meeting.created_at
        and any(d.status == Determination.Status.REJECTED for d in m.determinations.all())
    ]
    return max(earlier, key=lambda m: m.created_at, default=None)


def _page(request, case, *, forms=None, matrices=None):
    """The deliberation page. `forms` holds bound forms to show again with
    their errors, keyed ("convene",), ("attendance", member id),
    ("propose", officer id) or ("vote", determination id)."""
    forms = forms or {}
    meetings = meetings_for_case(case)
    meeting = next((m for m in meetings if m.is_open), None)
    report = report_for_case(case)
    panel = panel_for_case(case)
    matrices = matrices or clause_matrix(case, stages=STAGES)
    user = request.user
    voting_started = meeting is not None and any(
        d.votes.all() for d in meeting.determinations.all()
    )
    attendance = []
    if meeting is not None:
        editable = not voting_started and user.has_perm("deliberation.convene_meeting", case)
        for member in meeting.members.all():
            form = forms.get(("attendance", member.pk))
            if editable and form is None:
                form = attendance_form(member)
            attendance.append({"member": member, "form": form if editable else None})
    officers = _officer_sections(
        request, case, meeting, matrices, report, panel, forms, voting_started
    )
    can_convene = (
        meeting is None
        and case.state == CaseState.DELIBERATION
        and user.has_perm("deliberation.convene_meeting", case)
    )
    convene_form = forms.get(("convene",))
    if can_convene and convene_form is None:
        convene_form = ConveneForm(case=case)
    me = next((m for m in meeting.members.all() if m.user_id == user.pk), None) if meeting else None
    closed = [
        {
            "meeting": m,
            "blocks": [_vote_block(request, case, m, d) for d in m.determinations.all()],
        }
        for m in meetings
        if not m.is_open
    ]
    return render(
        request,
        "deliberation/deliberation.html",
        {
            "case": case,
            "meeting": meeting,
            "attendance": attendance,
            "voting_started": voting_started,
            "officers": officers,
            "convene_form": convene_form if can_convene else None,
            "can_close": me is not None
            and me.is_chair
            and user.has_perm("deliberation.close_vote", case),
            "close": _close_state(meeting) if meeting is not None else None,
            "closed_meetings": closed,
            # The meeting this one was convened after, its proposal rejected.
            "follows": _follows(meeting, meetings),
            # Facts carried from the investigation not yet confirmed here.
            "facts_awaiting": sum(
                1
                for r in case.fact_records.all()
                if r.stage == Stage.DELIBERATION and r.awaits_confirmation
            ),
            "report": report,
            "panel": panel,
            "stages": list(STAGES),
            "facts": facts_by_key(regulation=case.regulation.regulation.slug),
        },
    )


def _refused(request, case, error: ValidationError, anchor: str = ""):
    for message in error_messages(error):
        messages.error(request, message)
    return _back(case, anchor)


def _back(case, anchor: str = ""):
    response = redirect("deliberation:deliberation", pk=case.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@require_safe
def deliberation(request, pk: int):
    return _page(request, get_case_for_user(request, pk))


@require_POST
def meeting_convene_view(request, pk: int):
    case = get_case_for_user(request, pk, "deliberation.convene_meeting")
    form = ConveneForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting_convene(
                actor=request.user,
                case=case,
                held_on=data["held_on"],
                place=data["place"],
                members=list(data["members"]),
                chair=data["chair"],
            )
        except ValidationError as error:
            if not fits_form(form, error):
                return _refused(request, case, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("已召集集体研究会议。"))
            return _back(case)
    return _page(request, case, forms={("convene",): form})


@require_POST
def attendance_view(request, pk: int, member_id: int):
    case = get_case_for_user(request, pk, "deliberation.convene_meeting")
    member = get_object_or_404(
        MeetingMember.objects.select_related("meeting__case", "user"),
        pk=member_id,
        meeting__case=case,
    )
    form = AttendanceForm(request.POST, prefix=f"member-{member.pk}")
    if form.is_valid():
        try:
            attendance_record(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            if not fits_form(form, error):
                return _refused(request, case, error, "attendance")
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已记录%(name)s：%(attendance)s")
                % {
                    "name": member.user.get_full_name(),
                    "attendance": member.get_attendance_display(),
                },
            )
            return _back(case, "attendance")
    return _page(request, case, forms={("attendance", member.pk): form})


@require_POST
def determination_propose_view(request, pk: int, subject_officer_id: int):
    case = get_case_for_user(request, pk, "deliberation.propose_determination")
    matrices = clause_matrix(case, stages=STAGES)
    matrix = next((m for m in matrices if m.subject_officer.pk == subject_officer_id), None)
    if matrix is None:
        raise Http404
    meeting = case.meetings.filter(status=Meeting.Status.OPEN).first()
    if meeting is None:
        messages.error(request, errors.NO_OPEN_MEETING)
        return _back(case)
    anchor = f"officer-{subject_officer_id}"
    form = ProposalForm(request.POST, matrix=matrix, procedure=case.procedure)
    if form.is_valid():
        data = form.cleaned_data
        try:
            determination_propose(
                actor=request.user,
                meeting=meeting,
                proposal=ProposalInput(subject_officer=matrix.subject_officer, **data),
            )
        except ValidationError as error:
            if not fits_form(form, error):
                return _refused(request, case, error, anchor)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已提出对%(officer)s的认定意见，请参会成员表态。")
                % {"officer": matrix.subject_officer.officer.name},
            )
            return _back(case, anchor)
    return _page(request, case, forms={("propose", subject_officer_id): form}, matrices=matrices)


def _open_determination(case, determination_id: int) -> Determination:
    return get_object_or_404(
        Determination.objects.select_related("meeting", "subject_officer__officer"),
        pk=determination_id,
        case=case,
    )


@require_POST
def determination_withdraw_view(request, pk: int, determination_id: int):
    case = get_case_for_user(request, pk, "deliberation.propose_determination")
    determination = _open_determination(case, determination_id)
    anchor = f"officer-{determination.subject_officer_id}"
    form = ProposalWithdrawForm(request.POST, prefix=f"withdraw-{determination.pk}")
    if not form.is_valid():
        return _page(request, case, forms={("withdraw", determination.pk): form})
    try:
        determination_withdraw(
            actor=request.user, determination=determination, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _refused(request, case, error, anchor)
    messages.success(
        request,
        _("已撤回对%(officer)s的认定意见，可重新提出。")
        % {"officer": determination.subject_officer.officer.name},
    )
    return _back(case, anchor)


@require_POST
def determination_amend_view(request, pk: int, determination_id: int):
    case = get_case_for_user(request, pk, "deliberation.propose_determination")
    determination = _open_determination(case, determination_id)
    matrices = clause_matrix(case, stages=STAGES)
    matrix = next(m for m in matrices if m.subject_officer.pk == determination.subject_officer_id)
    anchor = f"officer-{determination.subject_officer_id}"
    form = ProposalForm(
        request.POST,
        matrix=matrix,
        procedure=case.procedure,
        prefix=f"amend-{determination.pk}",
    )
    if form.is_valid():
        try:
            determination_amend(
                actor=request.user,
                determination=determination,
                proposal=ProposalInput(subject_officer=matrix.subject_officer, **form.cleaned_data),
            )
        except ValidationError as error:
            if not fits_form(form, error):
                return _refused(request, case, error, anchor)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已修改对%(officer)s的认定意见。")
                % {"officer": matrix.subject_officer.officer.name},
            )
            return _back(case, anchor)
    return _page(request, case, forms={("amend", determination.pk): form}, matrices=matrices)


@require_POST
def vote_view(request, pk: int, determination_id: int):
    """Record the member's position. An htmx request gets the officer's voting
    block back (votes and tally updated) instead of a redirect."""
    case = get_case_for_user(request, pk, "deliberation.vote")
    determination = get_object_or_404(
        Determination.objects.select_related("case", "subject_officer__officer"),
        pk=determination_id,
        case=case,
    )
    form = VoteForm(request.POST, prefix=f"vote-{determination.pk}")
    error = None
    if form.is_valid():
        try:
            vote_record(actor=request.user, determination=determination, **form.cleaned_data)
        except ValidationError as refusal:
            error = refusal
            add_service_errors(form, refusal)
        else:
            form = None
    anchor = f"officer-{determination.subject_officer_id}"
    if request.htmx:
        meeting, fresh = _fresh(case, determination)
        return _block_response(request, case, meeting, fresh, form, just_voted=form is None)
    if form is None:
        messages.success(request, _("已记录您的表态。"))
        return _back(case, anchor)
    if error is not None and not fits_form(form, error):
        return _refused(request, case, error, anchor)
    return _page(request, case, forms={("vote", determination.pk): form})


def _fresh(case, determination) -> tuple[Meeting, Determination]:
    """The determination's meeting read again, with the determination as
    its prefetch holds it (votes included)."""
    meeting = meeting_detail(case=case, meeting_id=determination.meeting_id)
    return meeting, next(d for d in meeting.determinations.all() if d.pk == determination.pk)


def _block_response(
    request,
    case,
    meeting,
    determination,
    form=None,
    *,
    just_voted=False,
    template="deliberation/_officer_vote.html",
):
    """The officer's voting block for htmx (or, polled, its votes and tally),
    with out-of-band updates: the page's live region announces the tally, and
    the chair's close button follows whether everyone has stated a position."""
    block = _vote_block(request, case, meeting, determination, form)
    me = next((m for m in meeting.members.all() if m.user_id == request.user.pk), None)
    can_close = (
        meeting.is_open
        and me is not None
        and me.is_chair
        and request.user.has_perm("deliberation.close_vote", case)
    )
    return render(
        request,
        template,
        {
            "block": block,
            "just_voted": just_voted,
            "oob": True,
            "case": case,
            "can_close": can_close,
            "close": _close_state(meeting) if can_close else None,
        },
    )


@require_safe
def vote_tally_view(request, pk: int, determination_id: int):
    """Polled by the page while the vote is open: the votes and tally of one
    determination, or 204 when nothing changed since `seen`."""
    case = get_case_for_user(request, pk)
    determination = get_object_or_404(Determination, pk=determination_id, case=case)
    meeting, fresh = _fresh(case, determination)
    if not request.user.has_perm("deliberation.watch_live_tally", meeting):
        raise PermissionDenied
    if request.GET.get("seen") == _seen(meeting, list(fresh.votes.all())):
        return HttpResponse(status=204)
    return _block_response(
        request, case, meeting, fresh, template="deliberation/_meeting_poll.html"
    )


@require_POST
def vote_close_view(request, pk: int, meeting_id: int):
    case = get_case_for_user(request, pk, "deliberation.close_vote")
    meeting = get_object_or_404(Meeting, pk=meeting_id, case=case)
    confirmation = ConfirmForm(request.POST, confirmation="vote_close")
    if not confirmation.is_valid():
        messages.error(request, confirmation.errors["confirm"][0])
        return _back(case)
    try:
        vote_close(actor=request.user, meeting=meeting)
    except ValidationError as error:
        return _refused(request, case, error)
    messages.success(request, _("已宣布表决结果。"))
    return _back(case)
