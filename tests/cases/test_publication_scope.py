"""The three publication scopes are one definition, shared by the publication
of a decision (deliberation) and a clarification notice (vindication)."""

from cases.models import PublicationScope
from deliberation.models import Determination
from filing.models import Publication
from vindication.models import ClarificationRecord


def test_decisions_publications_and_clarifications_offer_the_same_scopes():
    for model, field in (
        (Determination, "publication_scope"),
        (Publication, "scope"),
        (ClarificationRecord, "scope"),
    ):
        assert model._meta.get_field(field).choices == PublicationScope.choices
    assert PublicationScope.values == ["unit", "system", "public"]
