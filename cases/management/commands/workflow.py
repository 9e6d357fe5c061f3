from django.core.management.base import BaseCommand

from cases.workflow_markdown import workflow_markdown


class Command(BaseCommand):
    help = "Print the case workflow table (stages, actors, moves, guards, deadlines, documents)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="Markdown, as docs/workflow.md holds it (the default and only format).",
        )

    def handle(self, *args, **options):
        self.stdout.write(workflow_markdown(), ending="")
