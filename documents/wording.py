"""The words a document uses for a determination's outcome. Every builder
takes them from here, so a regulation's own wording (for instance
Lianyungang's 不认定为行政执法过错行为，不予追究行政执法责任) changes in one place."""

from deliberation.models import Outcome
from exemptions.effects import decision_outcome_phrase
from exemptions.selectors import catalog_for_version

_OUTCOME_WORDING = {
    Outcome.EXEMPT: "不予追究执法过错责任",
    Outcome.NO_FAULT: "不构成执法过错，不予追究执法过错责任",
    Outcome.MITIGATED: "从轻或者减轻追究执法过错责任",
    Outcome.LIABLE: "追究执法过错责任",
    Outcome.TRANSFERRED: "移送纪检监察机关处理",
}


def outcome_wording(determination, catalog=None) -> str:
    """What the decision decides for the officer, as the operative words of
    the decision: an exemption or mitigation in the words of the effect of the
    article relied on (Lianyungang art. 8: 不认定为行政执法过错行为，不予追究行政执法责任;
    Tai'an art. 9: 不予追究责任), any other outcome from the table above."""
    # `catalog`: the determination's catalogue when the caller has it already.
    fallback = _OUTCOME_WORDING.get(determination.outcome, str(determination.get_outcome_display()))
    return decision_outcome_phrase(
        catalog or catalog_for_version(determination.regulation),
        determination.outcome,
        fallback,
        determination.cited_clauses,
    )
