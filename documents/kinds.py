"""The kinds of official document Jinzhi renders, and how to build each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    INTAKE_FORM = "intake_form", _("立案登记表")


# kind -> (template, dotted path of the context builder taking the case)
DOCUMENT_SPECS = {
    DocumentKind.INTAKE_FORM: (
        "documents/intake_form.html",
        "cases.documents.intake_form_context",
    ),
}
