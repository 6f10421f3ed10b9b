from django.dispatch import receiver

from verify.claims.tasks import queue_recompute
from verify.imports.signals import incidents_imported


@receiver(incidents_imported, dispatch_uid="claims.recompute_after_import")
def recompute_after_import(sender, *, references: list[str], **kwargs) -> None:
    """Imports bulk-insert claims, so their incidents' cross-check is brought up to date once they commit."""
    queue_recompute(references)
