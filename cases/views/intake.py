"""Filing a case step by step: incident → officers → allegation and claimed
clauses → evidence → review and submit. What is typed is kept in the user's
IntakeDraft at every step, valid or not, so a draft reopens where it was
left; a step moves on only when it is valid; the case is opened as a draft
once the first three steps are, and registered on submit."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import errors
from cases.forms import EvidenceUploadForm
from cases.intake_forms import EVIDENCE_EXTENSIONS, OfficerFormSet, Wizard
from cases.models import ActivityKind, Field, IntakeDraft, LeadSource, SubjectOfficer
from cases.services.drafts import (
    FORM_STEPS,
    STEPS,
    intake_draft_discard,
    intake_draft_save,
    intake_draft_step_set,
    intake_draft_submit,
    intake_drafts_of,
)
from cases.services.evidence import ALLOWED_TYPES, evidence_upload
from cases.views.common import add_service_errors, error_messages, require
from exemptions.selectors import catalog_for_version

Step = IntakeDraft.Step


def _step_url(draft: IntakeDraft, step: str) -> str:
    return reverse("cases:intake_step", args=[draft.pk, step])


def _get_draft(request, draft_id: int) -> IntakeDraft:
    """The user's own unfinished draft, or 404 (another user's draft is not
    acknowledged to exist)."""
    require(request, "cases.add_case")
    try:
        return intake_drafts_of(request.user).get(pk=draft_id)
    except IntakeDraft.DoesNotExist:
        raise Http404 from None


def _render(request, draft, step, wizard, context=None, status=200):
    return render(
        request,
        f"cases/intake/{step}.html",
        {"draft": draft, "step": step, "steps": wizard.nav(step), **(context or {})},
        status=status,
    )


# --- entry points ---------------------------------------------------------------------------


def intake_start(request):
    """`cases:create`: the first step of a new filing, and the user's drafts
    to resume. The draft is kept from the first valid step (or save) on."""
    require(request, "cases.add_case")
    return _form_step(request, None, Step.INCIDENT)


def intake_drafts(request):
    require(request, "cases.add_case")
    return render(request, "cases/intake/drafts.html", {"drafts": intake_drafts_of(request.user)})


def intake_resume(request, draft_id: int):
    draft = _get_draft(request, draft_id)
    return redirect(_step_url(draft, draft.step))


def intake_discard(request, draft_id: int):
    """GET asks to confirm; POST throws the draft away."""
    draft = _get_draft(request, draft_id)
    if request.method == "POST":
        try:
            case = intake_draft_discard(actor=request.user, draft=draft)
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect("cases:intake_drafts")
        if case is None:
            messages.success(request, _("已放弃登记草稿。"))
        else:
            messages.success(
                request,
                _("已放弃登记草稿，已建立的案件草稿（%(case)s）已撤回。")
                % {"case": case.display_number},
            )
        return redirect("cases:intake_drafts")
    return render(request, "cases/intake/discard.html", {"draft": draft})


def intake_step(request, draft_id: int, step: str):
    draft = _get_draft(request, draft_id)
    if step not in STEPS:
        raise Http404
    if step in FORM_STEPS:
        return _form_step(request, draft, step)
    if step == Step.EVIDENCE:
        return _evidence_step(request, draft)
    return _review_step(request, draft)


def _redirect_if_not_reachable(request, draft, wizard, step):
    missing = wizard.first_incomplete(step)
    if missing is None:
        return None
    messages.warning(request, errors.FINISH_STEP_FIRST % {"step": Step(missing).label})
    return redirect(_step_url(draft, missing))


# --- the form steps: incident, officers, allegation and claims -------------------------------


def _form_step(request, draft: IntakeDraft | None, step: str):
    posted = request.method == "POST"
    wizard = Wizard(request.user, draft, step if posted else None, request.POST if posted else None)
    if draft is not None:
        refused = _redirect_if_not_reachable(request, draft, wizard, step)
        if refused:
            return refused
    if posted:
        return _form_step_post(request, draft, step, wizard)
    context = _form_context(wizard, step)
    if draft is None:
        context["drafts"] = intake_drafts_of(request.user)
    return _render(request, draft, step, wizard, context)


def _form_context(wizard, step) -> dict:
    return {"form": wizard.form(step), "regulation": wizard.regulation}


def _form_step_post(request, draft, step, wizard):
    action = request.POST.get("action", "next")
    data = request.POST
    valid = wizard.valid(step)
    if action == "add_row" and step == Step.OFFICERS:
        data = request.POST.copy()
        total = int(data.get("officers-TOTAL_FORMS") or 0)
        data["officers-TOTAL_FORMS"] = str(min(total + 1, OfficerFormSet.max_num))
    # Whenever the three form steps hold together, the case follows them
    # (it is opened at the allegation step).
    opened = draft is not None and draft.case_id is not None
    if valid and (opened or step == Step.ALLEGATION) and all(map(wizard.valid, FORM_STEPS)):
        try:
            wizard.case_save(request.user)
        except ValidationError as error:
            wizard.add_errors(step, error)
            valid = False
    index = STEPS.index(step)
    go_to = {
        "next": STEPS[index + 1] if valid else step,
        "back": STEPS[max(index - 1, 0)],
    }.get(action, step)
    if action == "next" and not valid and draft is None:
        # Nothing typed on a new filing is kept until it is valid or saved.
        return _render(request, draft, step, wizard, _form_context(wizard, step))
    draft = intake_draft_save(actor=request.user, draft=draft, step=step, data=data, go_to=go_to)
    wizard.draft = draft
    if action == "next" and not valid:
        return _render(request, draft, step, wizard, _form_context(wizard, step))
    if action == "save":
        messages.success(request, _("草稿已保存，可随时在“我的登记草稿”中继续填写。"))
    return redirect(_step_url(draft, go_to))


# --- evidence ------------------------------------------------------------------------------


def _evidence_step(request, draft):
    wizard = Wizard(request.user, draft)
    refused = _redirect_if_not_reachable(request, draft, wizard, Step.EVIDENCE)
    if refused:
        return refused
    form = EvidenceUploadForm()
    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action == "upload":
            return _evidence_upload(request, draft, wizard)
        go_to = {"next": Step.REVIEW, "back": Step.ALLEGATION}.get(action, Step.EVIDENCE)
        intake_draft_step_set(actor=request.user, draft=draft, step=go_to)
        if action == "save":
            messages.success(request, _("草稿已保存，可随时在“我的登记草稿”中继续填写。"))
        return redirect(_step_url(draft, go_to))
    return _render_evidence(request, draft, wizard, form)


def _render_evidence(request, draft, wizard, form, status=200):
    max_bytes = settings.EVIDENCE_MAX_BYTES
    return _render(
        request,
        draft,
        Step.EVIDENCE,
        wizard,
        {
            "form": form,
            "evidence": draft.case.evidence.all(),
            "max_bytes": max_bytes,
            "extensions": [ext for exts in EVIDENCE_EXTENSIONS.values() for ext in exts],
            "type_names": "、".join(ALLOWED_TYPES.values()),
        },
        status=status,
    )


def _evidence_upload(request, draft, wizard):
    """One file. Answered in JSON to the page's script (which shows the
    progress), or as a page without it."""
    wants_json = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    form = EvidenceUploadForm(request.POST, request.FILES)
    evidence = None
    if form.is_valid():
        try:
            evidence = evidence_upload(
                actor=request.user,
                case=draft.case,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if evidence is None:
        if wants_json:
            field_errors = {field: list(messages_) for field, messages_ in form.errors.items()}
            return JsonResponse({"ok": False, "errors": field_errors}, status=400)
        return _render_evidence(request, draft, wizard, form, status=400)
    intake_draft_step_set(actor=request.user, draft=draft, step=Step.EVIDENCE)
    done = _("已上传证据：%(name)s") % {"name": evidence.original_name}
    if wants_json:
        item = render_to_string(
            "cases/intake/_evidence_item.html", {"item": evidence}, request=request
        )
        return JsonResponse({"ok": True, "message": done, "item": item})
    messages.success(request, done)
    return redirect(_step_url(draft, Step.EVIDENCE))


# --- review and submit ------------------------------------------------------------------------


def _review_step(request, draft):
    wizard = Wizard(request.user, draft)
    refused = _redirect_if_not_reachable(request, draft, wizard, Step.REVIEW)
    if refused:
        return refused
    case = draft.case
    if request.method == "POST":
        if request.POST.get("action") == "back":
            intake_draft_step_set(actor=request.user, draft=draft, step=Step.EVIDENCE)
            return redirect(_step_url(draft, Step.EVIDENCE))
        try:
            # Once more, so that the case is exactly what the review showed.
            wizard.case_save(request.user)
            case, registered = intake_draft_submit(actor=request.user, draft=draft)
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect(_step_url(draft, Step.REVIEW))
        if registered:
            messages.success(
                request, _("案件已登记立案，编号：%(number)s。") % {"number": case.number}
            )
        else:
            messages.info(
                request,
                _(
                    "登记信息已提交。您没有登记立案的权限：案件保留为草稿，待有权限的承办人登记立案。"
                ),
            )
        return redirect("cases:detail", pk=case.pk)
    incident = wizard.incident.cleaned_data
    allegation = wizard.allegation.cleaned_data
    catalog = catalog_for_version(wizard.regulation)
    texts = {clause.ref: clause.text for clause in catalog.clauses}
    claims = wizard.allegation.claims()
    return _render(
        request,
        draft,
        Step.REVIEW,
        wizard,
        {
            "incident": incident,
            "field_label": Field(incident["field"]).label,
            "activity_kind_label": ActivityKind(incident["activity_kind"]).label,
            "lead_source_label": LeadSource(incident["lead_source"]).label,
            "regulation": wizard.regulation,
            "allegation": allegation,
            "officers": [
                {
                    "officer": officer,
                    "part": SubjectOfficer.Part(part).label,
                    "claims": [(ref, texts.get(ref, "")) for ref in claims[officer.pk]],
                }
                for officer, part in wizard.officers.chosen()
            ],
            "evidence": case.evidence.all(),
            "can_register": request.user.has_perm("cases.register_case", case),
        },
    )
