"""Queue a Celery task from a web request without ever making the page wait on Redis."""

from __future__ import annotations

import logging
from typing import Any

from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, RedisError, ConnectionError, OSError)


def task_send(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Queue ``task``; False at once when the broker is down.

    Without this, kombu retries the connection for seconds and subscribing to
    the result retries for about 20 s before raising, so a page would hang and
    then fail. The result is ignored: a page never waits for it. Callers decide
    what to do on False (record it for a catch-up run, or do the work in-process).
    """
    if task.app.conf.task_always_eager:
        task.apply(args=args, kwargs=kwargs)
        return True
    try:
        with task.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            task.apply_async(
                args=args, kwargs=kwargs, connection=connection, retry=False, ignore_result=True
            )
    except BROKER_ERRORS as error:
        logger.warning("could not queue task %s: %s", task.name, error)
        return False
    return True


def task_send_or_run(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Queue ``task``, or run it here and now when the broker is down.

    For work a user waits for (an import, a report): without a broker (the
    embedded run, or Redis down) it is done in-process rather than left
    waiting forever. Returns True when queued, False when it ran here.
    """
    if task_send(task, *args, **kwargs):
        return True
    logger.warning("no Celery broker: running %s in-process", task.name)
    task.apply(args=args, kwargs=kwargs)
    return False
