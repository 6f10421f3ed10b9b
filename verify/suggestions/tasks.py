from celery import shared_task

from verify.suggestions import services


@shared_task
def report_sweep() -> int:
    """Remove reports read for claim suggestions and never accepted, a day after they were read."""
    return services.report_stash_sweep()
