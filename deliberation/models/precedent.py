"""The compact signature of a decided determination, kept so that similar
decided cases can be found at deliberation without reading every case's facts
(deliberation.precedents explains the similarity)."""

from django.db import models

from accounts.models import Unit
from cases.models import Case
from deliberation.models.decision import Determination


class PrecedentSignature(models.Model):
    """One adopted determination of a decided case, as a precedent: the
    clauses it cited and the facts it was decided on (deliberation stage) as
    sorted tokens, with what a summary shows. Written when the case is
    decided; `manage.py precedents_backfill` writes the missing ones."""

    determination = models.OneToOneField(
        Determination,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="precedent_signature",
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    # The regulation family (any version): precedents compare within it first.
    regulation = models.ForeignKey(
        "exemptions.Regulation", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20)
    measure = models.CharField(max_length=50, blank=True, default="")
    decided_on = models.DateField()
    # Sorted clause refs, and sorted "fact_key=json value" tokens.
    clauses = models.JSONField(default=list)
    facts = models.JSONField(default=list)

    class Meta:
        db_table = "reviews_precedentsignature"  # kept from before the split of reviews
        indexes = [
            models.Index(fields=["regulation", "-decided_on"], name="precedent_reg_recent"),
            models.Index(fields=["-decided_on"], name="precedent_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.determination_id}: {self.outcome}"


class PrecedentClause(models.Model):
    """One cited clause of a signature: the index that bounds the candidate
    query (same regulation, the clause, most recent first) and counts the
    outcomes per clause without reading the signatures."""

    signature = models.ForeignKey(
        PrecedentSignature, on_delete=models.CASCADE, related_name="clause_rows"
    )
    regulation = models.ForeignKey(
        "exemptions.Regulation", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    clause_ref = models.CharField(max_length=32)
    outcome = models.CharField(max_length=20)
    decided_on = models.DateField()

    class Meta:
        db_table = "reviews_precedentclause"  # kept from before the split of reviews
        constraints = [
            models.UniqueConstraint(
                fields=["signature", "clause_ref"], name="precedent_clause_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["regulation", "clause_ref", "-decided_on"], name="precedent_clause_recent"
            ),
            models.Index(
                fields=["regulation", "clause_ref", "unit", "outcome"],
                name="precedent_clause_spread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause_ref}: {self.outcome}"
