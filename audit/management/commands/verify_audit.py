from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from audit import errors
from audit.selectors import (
    AnchorFileError,
    anchors_read,
    audit_anchors_verify,
    audit_chain_verify,
)
from config.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Verify the audit trail's keyed hash chain (HMAC-SHA-256 with the keys in "
        "AUDIT_HMAC_KEYS): recompute every event's hash and link, and with --anchors FILE "
        "check every anchored head kept outside the database. Exits 0 when the chain is "
        "intact, 1 at the first broken link (named), 2 on bad input."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="events read per query (default 1000)"
        )
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            help="an anchor log (JSON lines of sequence and hash), e.g. AUDIT_ANCHOR_FILE",
        )
        parser.add_argument(
            "--legacy-unkeyed",
            action="store_true",
            help="accept unkeyed SHA-256 events written before the chain was keyed, "
            "as a prefix of the chain only",
        )

    def handle(self, *args, **options):
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError(errors.BATCH_SIZE_INVALID, returncode=2)
        anchors = None
        if options["anchors"] is not None:
            try:
                anchors = anchors_read(options["anchors"])
            except AnchorFileError as error:
                raise CommandError(str(error), returncode=2) from error
        result = audit_chain_verify(batch_size=batch_size, legacy_unkeyed=options["legacy_unkeyed"])
        if anchors is not None:
            result = audit_anchors_verify(anchors, result)
        if not result.ok:
            raise CommandError(
                errors.CHAIN_BROKEN
                % {
                    "sequence": result.first_broken_sequence,
                    "reason": result.reason,
                    "checked": result.checked,
                },
                returncode=1,
            )
        message = _("审计链完整：已校验 %(count)d 条事件。") % {"count": result.checked}
        if anchors is not None:
            message += " " + _("已核对 %(count)d 个锚点。") % {"count": len(anchors)}
        self.stdout.write(self.style.SUCCESS(message))
