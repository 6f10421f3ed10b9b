from django.dispatch import receiver

from verify.imports.signals import incidents_imported
from verify.incidents.tasks import queue_duplicates_refresh


@receiver(incidents_imported, dispatch_uid="incidents.duplicates_after_import")
def duplicates_after_import(sender, *, references: list[str], **kwargs) -> None:
    """Imports bulk-insert incidents, so their possible duplicates are worked out once they commit."""
    queue_duplicates_refresh(list(references))
