from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from audit.selectors import audit_chain_verify
from config.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Verify the audit trail's hash chain: recompute every event's hash and link. "
        "Exits 0 when the chain is intact, 1 at the first broken link."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="events read per query (default 1000)"
        )

    def handle(self, *args, **options):
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError(_("--batch-size 必须是正整数。"), returncode=2)
        result = audit_chain_verify(batch_size=batch_size)
        if not result.ok:
            raise CommandError(
                _(
                    "审计链在第 %(sequence)d 条事件处断裂（此前 %(checked)d 条事件完好）。原因：%(reason)s"
                )
                % {
                    "sequence": result.first_broken_sequence,
                    "reason": result.reason,
                    "checked": result.checked,
                },
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("审计链完整：已校验 %(count)d 条事件。") % {"count": result.checked}
            )
        )
