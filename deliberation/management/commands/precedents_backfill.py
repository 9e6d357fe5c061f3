"""manage.py precedents_backfill: keep a precedent signature for every decided
case that has none (cases decided before signatures were kept)."""

from django.db import transaction

from cases.models import Case
from cases.workflow import DECIDED_STATES
from config.commands import ProjectCommand
from deliberation.models import Determination
from deliberation.precedents import precedent_signatures_record


class Command(ProjectCommand):
    help = "Write the missing precedent signatures of decided cases (idempotent)."

    def handle(self, *args, **options):
        missing = (
            Determination.objects.filter(
                status=Determination.Status.ADOPTED,
                precedent_signature__isnull=True,
                case__state__in=DECIDED_STATES,
            )
            .values_list("case_id", flat=True)
            .distinct()
        )
        written = 0
        for case in Case.objects.filter(pk__in=list(missing)).select_related("regulation"):
            with transaction.atomic():
                written += precedent_signatures_record(case)
        self.stdout.write(f"{written} precedent signatures written")
