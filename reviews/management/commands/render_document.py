"""manage.py render_document <case number> <kind> -o FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from documents.kinds import DOCUMENT_SPECS, DocumentKind
from documents.rendering import render_pdf
from documents.services import document_builder


class Command(BaseCommand):
    help = "Render one official document of a case to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("case_number", help="e.g. 泰市监〔2026〕1号")
        parser.add_argument("kind", help="one of: " + ", ".join(DocumentKind.values))
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")

    def handle(self, *args, case_number, kind, output, **options):
        case = Case.objects.filter(number=case_number).first()
        if case is None:
            raise CommandError(f"unknown case: {case_number}")
        if kind not in DocumentKind.values or DocumentKind(kind) not in DOCUMENT_SPECS:
            raise CommandError(
                f"unknown document kind: {kind} (known: {', '.join(DocumentKind.values)})"
            )
        template_name, builder = document_builder(DocumentKind(kind))
        try:
            context = builder(case)
        except ValueError as error:
            raise CommandError(f"{case_number} has no {kind} yet: {error}") from None
        pdf = render_pdf(template_name, context)
        Path(output).write_bytes(pdf.content)
        self.stdout.write(f"{output}: {pdf.page_count} pages, {len(pdf.content)} bytes")
