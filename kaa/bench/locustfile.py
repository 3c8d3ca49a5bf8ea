"""The 50-user load of ``make bench``: coordinators on the worklist and young people's pages.

Run by ``manage.py bench_run`` as ``locust --headless``; it reads who may log in
and which young people each may open from the JSON file in ``KAA_BENCH_USERS``
(written by bench_run from the database). Each simulated user logs in once
with a real session, then alternates between the worklist and one of their
young people's pages, waiting ``KAA_BENCH_THINK_MIN``-``KAA_BENCH_THINK_MAX``
seconds between clicks.

The server runs the production settings (secure cookies), so the client says
it came through a TLS-terminating proxy (``X-Forwarded-Proto: https``) and
sends its cookies itself: requests keeps secure cookies off plain http.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

import requests
from locust import HttpUser, between, task

_USERS = json.loads(open(os.environ["KAA_BENCH_USERS"]).read())  # noqa: SIM115
_NEXT = itertools.count()
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
            "Origin": self.host.replace("http:", "https:"),
        }
        # The login is outside locust's client: only the two pages are in the figures.
        browser = requests.Session()
        page = browser.get(f"{self.host}/logga-in/", headers=self.headers, timeout=600)
        cookies = {"csrftoken": page.cookies.get("csrftoken", "")}
        match = _TOKEN.search(page.text)
        response = browser.post(
            f"{self.host}/logga-in/",
            data={
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": match.group(1) if match else "",
            },
            headers={**self.headers, "Cookie": self._cookie(cookies)},
            allow_redirects=False,
            timeout=600,
        )
        cookies["sessionid"] = response.cookies.get("sessionid", "")
        self.headers["Cookie"] = self._cookie(cookies)

    @staticmethod
    def _cookie(cookies: dict[str, str]) -> str:
        return "; ".join(f"{name}={value}" for name, value in cookies.items() if value)

    @task(1)
    def worklist(self) -> None:
        self.client.get("/arende/arbetslista/", headers=self.headers, name="worklist")

    @task(1)
    def youth_page(self) -> None:
        youth_id = random.choice(self.youth_ids)  # noqa: S311
        self.client.get(f"/ungdomar/{youth_id}/", headers=self.headers, name="youth page")
