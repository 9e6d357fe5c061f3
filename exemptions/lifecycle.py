"""A catalogue's life-cycle in the application: upload, review, activation.

1. `catalog_change_submit`: an authorised administrator uploads a catalogue
   file (the YAML format of exemptions/catalogs). It is validated in full by
   the engine against the fact vocabulary; a refused file changes nothing
   and the messages name the file and the clause in the reader's language.
   An accepted file is kept with its diff against the current version and
   the golden-case report: every decided case under the regulation assessed
   again under the new text, listing each officer whose outcome or clause
   results would change, with the clause and the facts that decide it.
2. `catalog_change_approve` / `catalog_change_reject`: a second authorised
   person (never the uploader: four eyes) approves or returns it.
3. `catalog_changes_activate_due`: on its effective date an approved change
   becomes the regulation's current version (exemptions.services.
   catalog_store); run daily by celery beat and at approval when the date
   has come. Cases decided before keep the version they were decided under.

Each step writes an audit event."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEventType
from audit.services import audit_record
from exemptions import engine, errors
from exemptions.diff import catalog_diff, rerun_officer
from exemptions.messages import catalog_error_message
from exemptions.models import CatalogChange, RegulationVersion
from exemptions.selectors import catalog_for_version, database_vocabulary
from exemptions.services import catalog_canonical_data, catalog_store, content_hash, yaml_parse

MAX_CATALOG_BYTES = 1024 * 1024
PROPOSE = "exemptions.propose_catalog_change"
APPROVE = "exemptions.approve_catalog_change"


class CatalogChangeRefused(Exception):
    """The upload or the review step is refused; `messages` says why (for the page)."""

    def __init__(self, *messages: str) -> None:
        self.messages = [str(message) for message in messages]  # the named ones are lazy
        super().__init__("; ".join(self.messages))


# --- reading an upload ----------------------------------------------------------------


def catalog_parse_upload(*, file_name: str, content: bytes) -> engine.Catalog:
    """The engine catalogue of an uploaded file, validated against the fact
    vocabulary in the database; CatalogChangeRefused with the loader's
    message (file, place) otherwise."""
    if not file_name.endswith((".yaml", ".yml")):
        raise CatalogChangeRefused(errors.NOT_YAML % {"file": file_name})
    if len(content) > MAX_CATALOG_BYTES:
        raise CatalogChangeRefused(errors.FILE_TOO_LARGE % {"file": file_name})
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogChangeRefused(errors.NOT_UTF8 % {"file": file_name}) from None
    try:
        return engine.parse_catalog(yaml_parse(text, file_name), database_vocabulary(), file_name)
    except engine.CatalogError as error:
        raise CatalogChangeRefused(catalog_error_message(error)) from None


# --- golden cases ---------------------------------------------------------------------


@dataclass(frozen=True)
class GoldenCase:
    case_id: int
    case_number: str
    officer: str
    old_outcome: str
    new_outcome: str
    clauses: list[dict]


def golden_rerun(slug: str, new: engine.Catalog) -> dict:
    """Every decided case of the regulation (any earlier version) assessed
    again, per subject officer, on the facts the leadership established at
    deliberation, under the new catalogue. Returns {"checked": n officers,
    "changed": [...]} (JSON for CatalogChange.golden)."""
    # Imported here: the cases app sits above the catalogues it is decided under.
    from cases.assessment import claimed_refs, facts_by_officer
    from cases.models import Case
    from cases.workflow import DECIDED_STATES, Stage

    cases = (
        Case.objects.filter(regulation__regulation__slug=slug, state__in=DECIDED_STATES)
        .select_related("regulation", "regulation__regulation")
        .prefetch_related(
            "fact_records", "subject_officers__officer", "subject_officers__clause_claims"
        )
        .order_by("pk")
    )
    checked, changed = 0, []
    for case in cases:
        old = catalog_for_version(case.regulation)
        facts = facts_by_officer(case, Stage.DELIBERATION)
        for subject_officer in case.subject_officers.all():
            checked += 1
            rerun = rerun_officer(
                old, new, facts.get(subject_officer.pk, {}), claimed_refs(subject_officer)
            )
            if not rerun.changes:
                continue
            changed.append(
                {
                    "case_id": case.pk,
                    "case_number": case.number or "",
                    "version": case.regulation.number,
                    "officer": subject_officer.officer.name,
                    "old_outcome": rerun.old_outcome,
                    "new_outcome": rerun.new_outcome,
                    "clauses": [
                        {
                            "ref": d.ref,
                            "old": d.old_result,
                            "new": d.new_result,
                            "facts": [[key, value] for key, value in d.facts],
                        }
                        for d in rerun.clauses
                    ],
                }
            )
    return {"checked": checked, "changed": changed}


# --- the steps ------------------------------------------------------------------------


def _current_version(slug: str) -> RegulationVersion | None:
    return (
        RegulationVersion.objects.filter(regulation__slug=slug, is_current=True)
        .select_related("regulation")
        .first()
    )


@transaction.atomic
def catalog_change_submit(
    *, actor, file_name: str, content: bytes, effective_on: datetime.date, reason: str
) -> CatalogChange:
    """Validate an uploaded catalogue and keep it for review with its diff
    and golden-case report. Refused (nothing stored) when the file is
    invalid, the same as the current version, or the reason is empty."""
    if not actor.has_perm(PROPOSE):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise CatalogChangeRefused(errors.NOTES_MISSING)
    catalog = catalog_parse_upload(file_name=file_name, content=content)
    digest = content_hash(catalog_canonical_data(catalog))
    base = _current_version(catalog.slug)
    if base is not None and base.content_hash == digest:
        raise CatalogChangeRefused(
            errors.SAME_AS_CURRENT % {"file": file_name, "number": base.number}
        )
    if CatalogChange.objects.filter(
        slug=catalog.slug,
        content_hash=digest,
        status__in=[CatalogChange.Status.PENDING, CatalogChange.Status.APPROVED],
    ).exists():
        raise CatalogChangeRefused(errors.ALREADY_PENDING)
    old = catalog_for_version(base) if base is not None else None
    change = CatalogChange.objects.create(
        file_name=file_name,
        yaml_text=content.decode("utf-8"),
        content_hash=digest,
        slug=catalog.slug,
        title=catalog.metadata["title"],
        base_version=base,
        reason=reason,
        effective_on=effective_on,
        diff=catalog_diff(old, catalog).to_dict(),
        golden=golden_rerun(catalog.slug, catalog)
        if base is not None
        else {"checked": 0, "changed": []},
        uploaded_by=actor,
    )
    audit_record(
        event_type=AuditEventType.CATALOG_CHANGE_SUBMITTED,
        actor=actor,
        obj=change,
        summary=_("提交免责目录变更：%(title)s") % {"title": change.title},
        data={
            "file": file_name,
            "slug": change.slug,
            "content_hash": digest,
            "base_version": base.number if base else None,
            "effective_on": effective_on.isoformat(),
            "golden_changed": len(change.golden["changed"]),
        },
    )
    return change


def _locked_pending(change_id: int) -> CatalogChange:
    change = CatalogChange.objects.select_for_update().get(pk=change_id)
    if change.status != CatalogChange.Status.PENDING:
        raise CatalogChangeRefused(
            errors.ALREADY_REVIEWED % {"status": change.get_status_display()}
        )
    return change


def _check_reviewer(actor, change: CatalogChange) -> None:
    if not actor.has_perm(APPROVE):
        raise PermissionDenied
    if actor.pk == change.uploaded_by_id:
        raise CatalogChangeRefused(errors.OWN_CHANGE)


@transaction.atomic
def catalog_change_approve(*, actor, change_id: int, note: str = "", today=None) -> CatalogChange:
    """The second person's approval; the change takes effect at once when its
    date has come, else on that date."""
    change = _locked_pending(change_id)
    _check_reviewer(actor, change)
    base = _current_version(change.slug)
    if (base.pk if base else None) != change.base_version_id:
        raise CatalogChangeRefused(errors.STALE_CHANGE)
    change.status = CatalogChange.Status.APPROVED
    change.reviewed_by = actor
    change.reviewed_at = timezone.now()
    change.review_note = (note or "").strip()
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit_record(
        event_type=AuditEventType.CATALOG_CHANGE_APPROVED,
        actor=actor,
        obj=change,
        summary=_("批准免责目录变更：%(title)s") % {"title": change.title},
        data={"effective_on": change.effective_on.isoformat(), "note": change.review_note},
    )
    today = today or timezone.localdate()
    if change.effective_on <= today:
        _activate(change)
    return change


@transaction.atomic
def catalog_change_reject(*, actor, change_id: int, note: str) -> CatalogChange:
    note = (note or "").strip()
    if not note:
        raise CatalogChangeRefused(errors.REJECTION_REASON_MISSING)
    change = _locked_pending(change_id)
    _check_reviewer(actor, change)
    change.status = CatalogChange.Status.REJECTED
    change.reviewed_by = actor
    change.reviewed_at = timezone.now()
    change.review_note = note
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit_record(
        event_type=AuditEventType.CATALOG_CHANGE_REJECTED,
        actor=actor,
        obj=change,
        summary=_("退回免责目录变更：%(title)s") % {"title": change.title},
        data={"note": note},
    )
    return change


def _activate(change: CatalogChange) -> None:
    catalog = catalog_parse_upload(
        file_name=change.file_name, content=change.yaml_text.encode("utf-8")
    )
    result = catalog_store(catalog=catalog, source=change.file_name)
    change.status = CatalogChange.Status.ACTIVE
    change.activated_at = timezone.now()
    change.version = result.version
    change.save(update_fields=["status", "activated_at", "version"])
    audit_record(
        event_type=AuditEventType.CATALOG_CHANGE_ACTIVATED,
        obj=change,
        summary=_("免责目录变更生效：%(title)s 第 %(number)s 版")
        % {"title": change.title, "number": result.version.number},
        data={"version": result.version.number, "status": result.status},
    )


def catalog_changes_activate_due(*, today=None) -> int:
    """Activate every approved change whose effective date has come (in date
    order); each on its own transaction. Returns how many took effect."""
    today = today or timezone.localdate()
    activated = 0
    due = CatalogChange.objects.filter(
        status=CatalogChange.Status.APPROVED, effective_on__lte=today
    ).order_by("effective_on", "pk")
    for change_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            change = CatalogChange.objects.select_for_update().get(pk=change_id)
            if change.status != CatalogChange.Status.APPROVED:
                continue
            _activate(change)
            activated += 1
    return activated
