"""How widely a decision or a clarification is made known (在一定范围公开:
Tai'an arts. 9 and 11, Lianyungang art. 17). Defined here, below both
`reviews` (publication of a no-liability decision) and `vindication`
(a clarification notice), which share the same three scopes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationScope(models.TextChoices):
    UNIT = "unit", _("本单位范围内")
    SYSTEM = "system", _("本系统范围内")
    PUBLIC = "public", _("向社会公开")
