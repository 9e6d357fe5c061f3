"""`manage.py check --deploy`: the audit chain's keys must be real ones."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def audit_keys_check(app_configs=None, **kwargs):
    from audit.keys import current_key_id, keys_are_derived

    try:
        current_key_id()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="audit.E001")]
    if keys_are_derived():
        return [
            checks.Warning(
                "AUDIT_HMAC_KEYS is not set: the audit chain is keyed with a key derived "
                "from SECRET_KEY, so rotating SECRET_KEY would make the trail unverifiable.",
                hint="Set AUDIT_HMAC_KEYS to 'id:long-random-secret' (see README: Security model).",
                id="audit.W001",
            )
        ]
    return []
