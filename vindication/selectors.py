"""Read queries: clarification records, the officers' protection articles of a
catalogue, the final determination of a subject officer, and the personnel
query (人事查询). Each runs a fixed number of queries however many rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Officer, User
from accounts.selectors import user_visible_unit_ids
from cases import workflow
from cases.models import Case
from deliberation.models import Determination, Measure, Outcome
from exemptions.citations import article_where
from exemptions.models import Article
from vindication.models import ClarificationRecord
from vindication.rules import manager

# Phrases that identify the two protection articles in either catalogue
# (Tai'an art. 11 and 13, Lianyungang art. 17 and 20), so a new catalogue
# version is read from its own text rather than from article numbers in code.
CLARIFICATION_MARKER = "澄清事实"
NO_IMPACT_MARKER = "不受影响"

# A determination is final once the case is decided: no later meeting decides
# on the officer again.
DECIDED_STATES = workflow.DECIDED_STATES
NO_LIABILITY = frozenset({Outcome.EXEMPT, Outcome.NO_FAULT})

OFFICER_SEARCH_LIMIT = 20


# --- clarification records --------------------------------------------------------------


def clarification_list_for_user(user: User) -> QuerySet[ClarificationRecord]:
    """The records the user may see, newest first: those of the units a
    leader or administrator oversees, and every record concerning the user as
    an officer."""
    visible = Q(officers__user=user)
    if manager(user):
        visible |= Q(unit_id__in=user_visible_unit_ids(user))
    ids = ClarificationRecord.objects.filter(visible).values("pk")
    return (
        ClarificationRecord.objects.filter(pk__in=ids)
        .select_related("unit", "case")
        .prefetch_related(Prefetch("officers", queryset=Officer.objects.order_by("name", "pk")))
    )


def clarification_detail(pk: int) -> ClarificationRecord:
    """One record with what its page and its notice show."""
    return (
        ClarificationRecord.objects.select_related(
            "unit",
            "regulation",
            "case",
            "recorded_by",
            "finding_recorded_by",
            "decision_recorded_by",
            "issued_by",
        )
        .prefetch_related(
            Prefetch("officers", queryset=Officer.objects.select_related("unit").order_by("pk"))
        )
        .get(pk=pk)
    )


# --- the protection articles ------------------------------------------------------------


@dataclass(frozen=True)
class ArticleCitation:
    regulation_title: str
    number: int
    text: str

    @property
    def where(self) -> str:
        return article_where(self.number)

    @property
    def reference(self) -> str:
        return f"《{self.regulation_title}》{self.where}"


def protection_articles(versions: Iterable) -> dict[int, dict[str, ArticleCitation]]:
    """For each catalogue version: its clarification and no-impact articles,
    as {version_id: {"clarification": …, "no_impact": …}}. One query."""
    titles = {version.pk: version.title for version in versions}
    rows = (
        Article.objects.filter(version_id__in=list(titles))
        .filter(Q(text__contains=CLARIFICATION_MARKER) | Q(text__contains=NO_IMPACT_MARKER))
        .order_by("version_id", "number")
    )
    result: dict[int, dict[str, ArticleCitation]] = {pk: {} for pk in titles}
    for article in rows:
        citation = ArticleCitation(titles[article.version_id], article.number, article.text)
        found = result[article.version_id]
        if CLARIFICATION_MARKER in article.text:
            found.setdefault("clarification", citation)
        if NO_IMPACT_MARKER in article.text:
            found.setdefault("no_impact", citation)
    return result


def protection_article(version, key: str) -> ArticleCitation | None:
    return protection_articles([version])[version.pk].get(key)


# --- final determinations -----------------------------------------------------------------


def determination_date(determination: Determination) -> datetime.date:
    if determination.decided_at:
        return timezone.localtime(determination.decided_at).date()
    return determination.meeting.held_on


def final_determination(
    case: Case, subject_officer_id: int, determinations: Iterable[Determination] | None = None
) -> Determination | None:
    """The officer's adopted determination once the case is decided (the
    latest, should a later meeting have decided again); None before. Pass
    the case's prefetched determinations to spare the query."""
    if case.state not in DECIDED_STATES:
        return None
    if determinations is None:
        determinations = Determination.objects.filter(
            case=case, subject_officer_id=subject_officer_id
        )
    adopted = [
        d
        for d in determinations
        if d.subject_officer_id == subject_officer_id and d.status == Determination.Status.ADOPTED
    ]
    if not adopted:
        return None
    return max(adopted, key=lambda d: (d.decided_at or timezone.now(), d.pk))


# --- the personnel query ------------------------------------------------------------------


class Effect:
    NONE = "none"
    MAY_AFFECT = "may_affect"
    PENDING = "pending"

    LABELS = {
        NONE: gettext_lazy("不受影响"),
        MAY_AFFECT: gettext_lazy("可能影响"),
        PENDING: gettext_lazy("尚未最终确定"),
    }


@dataclass(frozen=True)
class PersonnelEntry:
    """One determination concerning the officer, and what it means for
    appraisal, awards and promotion."""

    determination: Determination
    case: Case
    decided_on: datetime.date
    outcome_label: str
    measure_label: str
    effect: str
    explanation: str
    article: ArticleCitation | None

    @property
    def effect_label(self) -> str:
        return str(Effect.LABELS[self.effect])


def _explanation(determination: Determination, final: bool, article) -> tuple[str, str]:
    outcome = determination.outcome
    if not final:
        return Effect.PENDING, _("案件尚未作出决定，认定尚未最终确定。")
    if outcome in NO_LIABILITY:
        where = article.reference if article else _("免责办法")
        return Effect.NONE, _("依照%(where)s，不受影响（除有明确规定外）。") % {"where": where}
    if outcome == Outcome.TRANSFERRED:
        return Effect.MAY_AFFECT, _("已移送纪检监察机关处理，以其处理结果为准。")
    measure = Measure(determination.measure).label if determination.measure else ""
    parts = [str(determination.get_outcome_display())]
    if measure:
        parts.append(_("处理措施：%(measure)s") % {"measure": measure})
    if determination.sanction:
        parts.append(determination.sanction)
    return Effect.MAY_AFFECT, "；".join(parts) + _(
        "。依照有关规定，可作为考核、评先评优和选拔任用的参考。"
    )


def personnel_determinations(
    *, officer: Officer, date_from: datetime.date, date_to: datetime.date
) -> list[PersonnelEntry]:
    """Every determination concerning the officer decided in the period
    (inclusive), oldest first: only the adopted ones, and of those the latest
    per case. Two queries: the determinations, then the articles."""
    rows = list(
        Determination.objects.filter(
            subject_officer__officer=officer, status=Determination.Status.ADOPTED
        )
        .select_related("case", "case__unit", "meeting", "regulation")
        .defer("regulation__data", "regulation__procedure", "case__incident_summary")
        .order_by("decided_at", "pk")
    )
    latest: dict[int, Determination] = {}
    for row in rows:  # ordered oldest first: the last one per officer wins
        latest[row.subject_officer_id] = row
    chosen = [d for d in latest.values() if date_from <= determination_date(d) <= date_to]
    articles = protection_articles({d.regulation for d in chosen})
    entries = []
    for d in sorted(chosen, key=lambda d: (determination_date(d), d.pk)):
        article = articles.get(d.regulation_id, {}).get("no_impact")
        effect, explanation = _explanation(d, d.case.state in DECIDED_STATES, article)
        entries.append(
            PersonnelEntry(
                determination=d,
                case=d.case,
                decided_on=determination_date(d),
                outcome_label=str(d.get_outcome_display()),
                measure_label=str(Measure(d.measure).label) if d.measure else "",
                effect=effect,
                explanation=explanation,
                article=article if effect == Effect.NONE else None,
            )
        )
    return entries


def officers_visible_to(user: User) -> QuerySet[Officer]:
    """Officers of the units the user may see (active or not: a personnel
    query may concern someone who has since left)."""
    return Officer.objects.filter(unit_id__in=user_visible_unit_ids(user)).select_related("unit")


def officer_search(user: User, text: str) -> list[Officer]:
    """Officers whose name contains the text, or whose certificate number is
    the text, among those the user may see; at most OFFICER_SEARCH_LIMIT."""
    text = text.strip()
    if not text:
        return []
    return list(
        officers_visible_to(user)
        .filter(Q(name__contains=text) | Q(certificate_number=text))
        .order_by("name", "pk")[:OFFICER_SEARCH_LIMIT]
    )
