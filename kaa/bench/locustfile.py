"""The 50-user load of ``make bench``: coordinators on the worklist and young people's pages.

Run by ``manage.py bench_run`` as ``locust --headless``. bench_run logs every
simulated user in through the login form before the load starts (a login
hashes the password: fifty of them inside the measured minute would measure
the hashing) and hands the session cookies over in the JSON file named by
``KAA_BENCH_USERS``, with the young people each coordinator may open. Each
simulated user then alternates between the worklist and one of their young
people's pages, waiting ``KAA_BENCH_THINK_MIN``-``KAA_BENCH_THINK_MAX`` seconds
between clicks.

The server runs the production settings (secure cookies), so the client says
it came through a TLS-terminating proxy (``X-Forwarded-Proto: https``) and
sends its cookies itself: requests keeps secure cookies off plain http.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

_USERS = json.loads(open(os.environ["KAA_BENCH_USERS"]).read())  # noqa: SIM115
_NEXT = itertools.count()


class Coordinator(HttpUser):
    wait_time = between(
        float(os.environ.get("KAA_BENCH_THINK_MIN", "1")),
        float(os.environ.get("KAA_BENCH_THINK_MAX", "3")),
    )

    def on_start(self) -> None:
        account = _USERS[next(_NEXT) % len(_USERS)]
        self.youth_ids = account["youth_ids"] or [0]
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Origin": (self.host or "").replace("http:", "https:"),
            "Cookie": account["cookie"],
        }

    def _page(self, path: str, name: str) -> None:
        """Anything but the page itself (a redirect to the login, an error) is a failure."""
        with self.client.get(
            path, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(1)
    def worklist(self) -> None:
        self._page("/arende/arbetslista/", "worklist")

    @task(1)
    def youth_page(self) -> None:
        youth_id = random.choice(self.youth_ids)  # noqa: S311
        self._page(f"/ungdomar/{youth_id}/", "youth page")
