"""Password rules for a government system (GB/T 22239-2019: passwords of
sufficient complexity)."""

import string

from django.core.exceptions import ValidationError

from accounts import errors

CLASSES = (
    ("upper", lambda c: c in string.ascii_uppercase),
    ("lower", lambda c: c in string.ascii_lowercase),
    ("digit", lambda c: c.isdigit()),
    ("symbol", lambda c: not c.isalnum() and not c.isspace()),
)


def character_classes(password: str) -> set[str]:
    return {name for name, test in CLASSES if any(test(c) for c in password)}


class CharacterClassesValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters,
    digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return errors.PASSWORD_TOO_SIMPLE % {"n": self.min_classes}
