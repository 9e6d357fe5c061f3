import datetime

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, seed_demo_data
from accounts.models import Unit
from accounts.roles import Role
from config.commands import ProjectCommand
from demo.cases import DemoClock, demo_clock, seed_demo_cases
from documents.seals import seed_demo_seals
from protections.demo import seed_demo_protections
from vindication.demo import seed_demo_vindication


class Command(ProjectCommand):
    help = (
        "Create the demo units, officers, accounts and cases (idempotent) and print the accounts."
    )

    def handle(self, *args, **options):
        accounts = seed_demo_data()
        if settings.JINZHI_SIGNING_DIR:
            # Demo certificates, so that the demo's documents and packages are
            # signed from the start (docs/signing.md).
            call_command("make_demo_pki", stdout=self.stdout)
        # Before the cases, whose documents carry the seal: a specimen marked
        # 样章. Dated before the cases' timeline (which starts 90 days back):
        # its audit event would otherwise be the latest in the trail, and the
        # demo clock never goes back before that (demo.cases).
        with demo_clock(DemoClock(timezone.now() - datetime.timedelta(days=100))):
            seed_demo_seals(Unit.objects.filter(name__in={a.unit for a in accounts}))
        # Before the registers: the cases' steps are dated back over months,
        # and the audit trail's time order is to follow its chain order.
        cases = seed_demo_cases()
        seed_demo_protections()
        seed_demo_vindication()
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for account in accounts:
            roles = "、".join(str(Role(code).label) for code in account.roles)
            self.stdout.write(f"  {account.username:<18} {account.name}  {account.unit}  {roles}")
        listed = "；".join(f"{case.number} {case.get_state_display()}" for case in cases)
        self.stdout.write(f"Demo cases: {listed or '—'}")
