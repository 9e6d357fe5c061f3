from cases.services.notices import send_digests
from config.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "E-mail each user who chose the daily digest their notices not yet e-mailed "
        "(celery beat runs it each morning; safe to run again)."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest e-mail(s) sent")
