import gc
from typing import Any

from billiard.einfo import ExceptionInfo
from celery import Task, shared_task
from celery.signals import task_postrun, worker_process_init, worker_ready

# services imports reports.pdf, which imports WeasyPrint (about half a second): the worker
# pays it once when it loads its tasks, before its pool processes are forked, not on a job.
from reports import services


class BriefingRenderTask(Task[..., None]):
    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: ExceptionInfo,
    ) -> None:
        # Retries are used up (or the job broke outside the service): say so on the row.
        briefing_id = kwargs.get("briefing_id", args[0] if args else None)
        if briefing_id is not None:
            services.briefing_mark_failed(
                briefing_id=briefing_id,
                reason=f"The briefing could not be produced ({type(exc).__name__}). Try again.",
            )


@shared_task(
    name="reports.briefing_render",
    base=BriefingRenderTask,
    bind=True,
    # The Briefing row carries the outcome; no result backend round trip (or wait on it).
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=services.MAX_ATTEMPTS - 1,
)
def briefing_render_task(self: BriefingRenderTask, briefing_id: int) -> None:
    """Idempotent: a briefing already ready is left as it is."""
    services.briefing_render(
        briefing_id=briefing_id,
        redelivered=bool((self.request.delivery_info or {}).get("redelivered")),
    )


@shared_task(name="reports.briefing_sweep", ignore_result=True)
def briefing_sweep_task() -> None:
    services.briefing_sweep()


@worker_ready.connect
def sweep_at_start(sender: object, **kwargs: object) -> None:
    # Re-send briefings queued while no worker (or no broker) was up.
    services.briefing_sweep()


@worker_process_init.connect
def freeze_start_up_objects(**kwargs: object) -> None:
    # Django, the templates and WeasyPrint loaded before the fork live as long as the process:
    # kept out of the collector's sight, the collection after each render walks only its garbage.
    gc.freeze()


@task_postrun.connect(sender=briefing_render_task)
def collect_render_garbage(**kwargs: object) -> None:
    # The render paused the cyclic collector (reports.pdf.cyclic_gc_paused): its garbage goes
    # now, once, after the briefing is stored, instead of slowing the render itself.
    gc.collect()
