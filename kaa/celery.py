"""The Celery application. The beat schedule is code, kept here.

Times are Europe/Stockholm (CELERY_TIMEZONE). Every job is idempotent and
locked, so a late or repeated beat does no harm.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaa.settings.local")

app = Celery("kaa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Age-out first, so the flags do not list someone who turned 20 today.
    "age-out-daily": {"task": "followup.age_out", "schedule": crontab(hour=1, minute=30)},
    "overdue-flags-nightly": {
        "task": "followup.overdue_flags",
        "schedule": crontab(hour=2, minute=0),
    },
    "reminders-daily": {"task": "followup.reminders", "schedule": crontab(hour=2, minute=30)},
    "digests-weekly": {
        "task": "followup.digests",
        "schedule": crontab(hour=6, minute=30, day_of_week="mon"),
    },
    "retention-monthly": {
        "task": "followup.retention",
        "schedule": crontab(hour=3, minute=0, day_of_month="1"),
    },
    # Unconfirmed import previews hold personal data: cancelled after a week.
    "import-previews-purge-nightly": {
        "task": "registry.import_batches_purge",
        "schedule": crontab(hour=1, minute=0),
    },
    # Print runs' PDFs hold addresses: removed a week after they were built.
    "letter-pdfs-purge-nightly": {
        "task": "casework.letter_print_files_purge",
        "schedule": crontab(hour=1, minute=15),
    },
    # What a page could not queue while Redis was down.
    "catch-up-pending": {"task": "followup.catch_up_pending", "schedule": crontab(minute="*/10")},
}
