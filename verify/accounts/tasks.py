from celery import shared_task

from verify.accounts.audit import audit_prune as prune


@shared_task(name="verify.accounts.tasks.audit_prune")
def audit_prune() -> int:
    return prune()
