from cases.flows import flow_markdown, installed_flows
from cases.workflow_markdown import workflow_markdown
from config.commands import ProjectCommand


class Command(ProjectCommand):
    # The table is code: printing it needs no database.
    requires_migrated_database = False
    help = (
        "Print the case workflow table (stages, actors, moves, guards, deadlines, documents), "
        "then the flows of protection requests and clarification records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="Markdown, as docs/workflow.md holds it (the default and only format).",
        )

    def handle(self, *args, **options):
        self.stdout.write(workflow_markdown(), ending="")
        # The other apps' flows (cases.flows), after the case workflow.
        for flow in installed_flows():
            self.stdout.write("\n" + flow_markdown(flow), ending="")
