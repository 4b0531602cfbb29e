"""Beat: erase personal data of conferences whose retention period is over, and uploads kept
for forms that were never sent again."""

from __future__ import annotations

import logging

from celery import shared_task

from registration import pending_uploads
from registration.retention.services import erase_due

log = logging.getLogger(__name__)


@shared_task(name="workers.retention.erase_personal_data", ignore_result=True)
def erase_personal_data() -> int:
    """Each due conference in its own transaction; safe to run twice (done ones are skipped)."""
    done = erase_due()
    for conference_id, erased in done:
        log.info("personal data of conference %s erased: %s", conference_id, erased.words())
    swept = pending_uploads.sweep()
    if swept:
        log.info("%d pending uploads older than a day removed", swept)
    return len(done)
