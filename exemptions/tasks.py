from celery import shared_task

from exemptions.lifecycle import catalog_changes_activate_due


@shared_task(name="exemptions.activate_due_catalog_changes")
def activate_due_catalog_changes_task() -> int:
    """Run daily by celery beat: approved catalogue changes whose date has come."""
    return catalog_changes_activate_due()
