"""What a filing package holds, in order: one list that both builds the ZIP
(filing.services.filing) and writes the filing notice's 附件 list, so the
notice names exactly the files the liaison finds."""

from __future__ import annotations

from dataclasses import dataclass, field

from documents.kinds import DocumentKind

SCOPE_ORDER = ("unit", "system", "public")


@dataclass(frozen=True)
class PackageItem:
    kind: DocumentKind
    title: str  # the document's own title: 不予追究责任决定书
    index: int
    options: dict = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return f"{self.index:02d}-{self.title}.pdf"


def decided_publication_scope(determinations) -> str:
    """The scope the no-liability decisions are to be published in (the
    widest any determination decided), '' when none is to be published."""
    return widest_scope(*(d.publication_scope for d in determinations))


def widest_scope(*scopes: str) -> str:
    """The widest of `scopes` ('' for none)."""
    scopes = [scope for scope in scopes if scope]
    return max(scopes, key=SCOPE_ORDER.index) if scopes else ""


def published_scope(case) -> str:
    """The widest scope the decision is published in now (publications in
    force), '' when it is not published."""
    return widest_scope(
        *case.publications.filter(withdrawn_at__isnull=True).values_list("scope", flat=True)
    )


def package_publication_scope(case, determinations) -> str:
    """The scope the filing package reports: the decided one, or a wider one
    the decision was published in since (which re-issues the package:
    filing.services.filing.filing_package_reissue_for_scope)."""
    return widest_scope(decided_publication_scope(determinations), published_scope(case))


def stage_document_options(case, kind: DocumentKind) -> list[dict]:
    """The options of each document of `kind` a stage issues for the case:
    the publication notice in the scope decided with the determination (none
    when nothing is to be published); any other kind once, without options."""
    if kind == DocumentKind.PUBLICATION_NOTICE:
        from documents.builders.decision import adopted_determinations

        scope = decided_publication_scope(adopted_determinations(case))
        return [{"scope": scope}] if scope else []
    return [{}]


def package_items(
    case,
    determinations=None,
    *,
    has_report: bool | None = None,
    has_panel: bool | None = None,
    scope: str | None = None,
) -> list[PackageItem]:
    """The PDF documents of the case's filing package, the filing notice
    first. A document whose record the case does not have (no expert review,
    nothing to publish) is left out; the evidence catalogue is always there.
    A caller that has already read whether the case has a report and a
    concluded panel, or the package's publication scope, passes them (the
    filing notice does: three queries fewer); None reads them here."""
    from deliberation.models import Meeting
    from documents.builders.decision import adopted_determinations, decision_title
    from investigation.models import InvestigationReport
    from panel.models import ExpertPanel

    if determinations is None:
        determinations = adopted_determinations(case)
    if has_report is None:
        has_report = InvestigationReport.objects.filter(case=case).exists()
    if has_panel is None:
        has_panel = ExpertPanel.objects.filter(case=case, concluded_at__isnull=False).exists()
    if scope is None:
        scope = package_publication_scope(case, determinations)
    wanted: list[tuple[DocumentKind, str, dict]] = [
        (DocumentKind.FILING_NOTICE, str(DocumentKind.FILING_NOTICE.label), {}),
        (DocumentKind.DECISION, decision_title([d.outcome for d in determinations]), {}),
    ]
    if Meeting.objects.filter(case=case, status=Meeting.Status.CLOSED).exists():
        wanted.append((DocumentKind.MINUTES, str(DocumentKind.MINUTES.label), {}))
    if has_report:
        wanted.append(
            (DocumentKind.INVESTIGATION_REPORT, str(DocumentKind.INVESTIGATION_REPORT.label), {})
        )
    if has_panel:
        wanted.append((DocumentKind.EXPERT_OPINION, str(DocumentKind.EXPERT_OPINION.label), {}))
    wanted.append((DocumentKind.INTAKE_FORM, str(DocumentKind.INTAKE_FORM.label), {}))
    if scope:
        wanted.append(
            (
                DocumentKind.PUBLICATION_NOTICE,
                str(DocumentKind.PUBLICATION_NOTICE.label),
                {"scope": scope},
            )
        )
    wanted.append((DocumentKind.EVIDENCE_CATALOGUE, str(DocumentKind.EVIDENCE_CATALOGUE.label), {}))
    return [
        PackageItem(kind=kind, title=title, index=index, options=options)
        for index, (kind, title, options) in enumerate(wanted, start=1)
    ]
