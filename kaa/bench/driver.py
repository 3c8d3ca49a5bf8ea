"""The measurements of ``make bench`` (docs/performance.md).

Pages are measured through HTTP against the running gunicorn, one request at
a time after two warm-up requests, logged in with a real session (login form,
CSRF token, session cookie). Each page's query count is the ``X-Query-Count``
header that ``kaa.bench.middleware`` adds when the server runs with
``KAA_BENCH=1``. The board report PDF build and the nightly jobs are called
in this process (as the worker would), timed, with their queries counted by
``CaptureQueriesContext``. The 50-user load is locust in headless mode.

The client claims a TLS-terminating proxy (``X-Forwarded-Proto: https``), as
the production settings expect, and keeps its cookies itself.
"""

from __future__ import annotations

import csv
import datetime
import http.client
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.models import ApiToken, Enrolment, Role, User, Youth

from .dataset import BENCH_PASSWORD

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WARM_UP = 4
# The order of the table (the issue's order); rows not named here come last.
ORDER = (
    "floor",
    "worklist",
    "youth_page",
    "youth_search",
    "dashboard",
    "key_figures_page",
    "key_figures_api",
    "compliance",
    "scb_page",
    "scb_file",
    "effects_api",
    "regional_page",
    "board_report_pdf",
    "nightly_first",
    "nightly_second",
)


@dataclass
class Row:
    name: str
    what: str
    samples: list[float] = field(default_factory=list)  # seconds
    queries: list[int] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    bytes: int = 0
    target: str = ""
    note: str = ""
    http: bool = True  # measured through gunicorn (else called in-process)

    @property
    def p50(self) -> float:
        return _percentile(self.samples, 50)

    @property
    def p95(self) -> float:
        return _percentile(self.samples, 95)

    def as_dict(self, floor_p95: float) -> dict[str, Any]:
        return {
            "name": self.name,
            "what": self.what,
            "n": len(self.samples),
            "p50_ms": round(self.p50 * 1000, 1),
            "p95_ms": round(self.p95 * 1000, 1),
            "ratio_to_floor_p95": (
                round(self.p95 / floor_p95, 1) if floor_p95 and self.http else None
            ),
            "measured": "http" if self.http else "in-process",
            "queries": max(self.queries) if self.queries else None,
            "statuses": sorted(set(self.statuses)),
            "bytes": self.bytes,
            "target": self.target,
            "note": self.note,
        }


def _percentile(samples: list[float], percent: int) -> float:
    """Nearest-rank percentile (the 95th of 20 samples is the 19th smallest)."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, -(-percent * len(ordered) // 100))
    return ordered[rank - 1]


class Session:
    """One browser: keeps its cookies and CSRF token, talks HTTP/1.1 keep-alive."""

    def __init__(self, base_url: str) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.origin = f"https://{parsed.hostname}:{self.port}"
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
        self.headers: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes, float]:
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": self.origin,
            "Referer": self.origin + path,
            **self.headers,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (http.client.HTTPException, ConnectionError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        elapsed = time.perf_counter() - started
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), content, elapsed

    def login(self, username: str, password: str = BENCH_PASSWORD) -> None:
        _status, _headers, content, _elapsed = self.request("GET", "/logga-in/")
        match = _TOKEN.search(content.decode())
        if match is None:
            raise RuntimeError("The login page has no CSRF token.")
        status, _headers, _content, _elapsed = self.request(
            "POST",
            "/logga-in/",
            {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"Could not log in as {username}: HTTP {status}")

    def csrf(self, path: str) -> str:
        _status, _headers, content, _elapsed = self.request("GET", path)
        match = _TOKEN.search(content.decode())
        return match.group(1) if match else self.cookies.get("csrftoken", "")


def last_half_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last half-year that has ended (what a manager reports on)."""
    if today.month >= 7:
        return datetime.date(today.year, 1, 1), datetime.date(today.year, 6, 30)
    return datetime.date(today.year - 1, 7, 1), datetime.date(today.year - 1, 12, 31)


class Bench:
    def __init__(
        self,
        *,
        base_url: str,
        repeat: int,
        load_users: int,
        load_seconds: int,
        log: Callable[[str], None] = print,
    ) -> None:
        self.base_url = base_url
        self.repeat = repeat
        self.load_users = load_users
        self.load_seconds = load_seconds
        self.log = log
        self.today = timezone.localdate()
        self.rows: list[Row] = []
        self.jobs: list[dict[str, Any]] = []
        self.load: dict[str, Any] = {}
        # Other work on the machine skews every figure: recorded at the start and the end.
        self.load_average_start = os.getloadavg()

    # ------------------------------------------------------------- pages

    def measure_page(
        self,
        session: Session,
        name: str,
        path: str | Callable[[int], str],
        *,
        what: str,
        target: str,
        repeat: int | None = None,
        method: str = "GET",
        body: Callable[[], dict[str, str]] | None = None,
        expect: int = 200,
    ) -> Row:
        row = Row(name=name, what=what, target=target)
        count = repeat or self.repeat
        # Enough to reach both gunicorn workers; fewer for the slow reports.
        warm_up = min(WARM_UP, max(2, count // 3))
        for index in range(count + warm_up):
            url = path(index) if callable(path) else path
            status, headers, content, elapsed = session.request(
                method, url, body() if body else None
            )
            if index < warm_up:  # both workers' connections, templates, code paths
                continue
            row.samples.append(elapsed)
            row.statuses.append(status)
            row.bytes = len(content)
            if "X-Query-Count" in headers:
                row.queries.append(int(headers["X-Query-Count"]))
        if any(status != expect for status in row.statuses):
            row.note = f"unexpected HTTP status {sorted(set(row.statuses))}"
        self.rows.append(row)
        self.log(
            f"  {name:<24} p50 {row.p50 * 1000:8.1f} ms  p95 {row.p95 * 1000:8.1f} ms  "
            f"queries {max(row.queries) if row.queries else '-'}"
        )
        return row

    def run_pages(self) -> None:
        coordinator = User.objects.get(username="bench_coordinator")
        manager = User.objects.get(username="bench_manager")
        youth_ids = list(
            Enrolment.objects.filter(coordinator=coordinator, ended_on__isnull=True)
            .order_by("pk")
            .values_list("youth_id", flat=True)[:50]
        )
        last_names = list(
            Youth.objects.filter(municipality=coordinator.municipality)
            .order_by("last_name")
            .values_list("last_name", flat=True)
            .distinct()[:20]
        )
        start, end = last_half_year(self.today)
        period = f"from_date={start}&to_date={end}"

        anonymous = Session(self.base_url)
        self.measure_page(
            anonymous,
            "floor",
            "/logga-in/",
            what="the login page (GET), no session",
            target="the floor",
            repeat=self.repeat * 2,
        )
        coordinator_session = Session(self.base_url)
        coordinator_session.login("bench_coordinator")
        self.measure_page(
            coordinator_session,
            "worklist",
            "/arende/arbetslista/",
            what="worklist, bench_coordinator",
            target="≤ 100 ms and ≤ 8× floor",
        )
        self.measure_page(
            coordinator_session,
            "youth_page",
            lambda i: f"/ungdomar/{youth_ids[i % len(youth_ids)]}/",
            what="young person's page (rotating over 50 of the coordinator's)",
            target="≤ 100 ms and ≤ 8× floor",
        )
        # The search text is POSTed and kept in the session; the list's URL carries only
        # an opaque key (no name in a URL). A GET with ?q= is just a redirect to it, so the
        # searches are made first and the lists they lead to are what is measured.
        token_value = coordinator_session.csrf("/ungdomar/")
        search_urls = []
        for name in last_names:
            status, headers, _content, _elapsed = coordinator_session.request(
                "POST", "/ungdomar/", {"q": name[:4], "csrfmiddlewaretoken": token_value}
            )
            location = headers.get("Location", "")
            if status == 302 and location:
                search_urls.append(
                    urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
                )
        self.measure_page(
            coordinator_session,
            "youth_search",
            lambda i: search_urls[i % len(search_urls)],
            what="youth list, search on four letters of a surname (the list, 50 a page)",
            target="",
        )
        manager_session = Session(self.base_url)
        manager_session.login("bench_manager")
        self.measure_page(
            manager_session,
            "dashboard",
            f"/rapporter/oversikt/?{period}",
            what=f"manager dashboard, half-year {start}–{end}",
            target="≤ 300 ms",
            repeat=max(3, self.repeat // 3),
        )
        self.measure_page(
            manager_session,
            "key_figures_page",
            f"/rapporter/nyckeltal.csv?{period}",
            what="key figures (the CSV of the dashboard's figures)",
            target="≤ 300 ms",
            repeat=max(3, self.repeat // 3),
        )
        token = self._api_token(manager)
        api_session = Session(self.base_url)
        api_session.headers["Authorization"] = f"Bearer {token}"
        self.measure_page(
            api_session,
            "key_figures_api",
            f"/api/v1/reports/key-figures/?from={start}&to={end}",
            what="GET /api/v1/reports/key-figures/ (half-year)",
            target="≤ 300 ms",
            repeat=max(3, self.repeat // 3),
        )
        self.measure_page(
            manager_session,
            "compliance",
            f"/rapporter/rutinefterlevnad/?{period}",
            what="routine compliance, half-year, all cases",
            target="≤ 500 ms",
            repeat=max(3, self.repeat // 3),
        )
        half_year = f"{start.year}-{1 if start.month == 1 else 2}"
        self.measure_page(
            manager_session,
            "scb_page",
            f"/rapporter/scb/?half_year={half_year}",
            what=f"SCB page (pre-checks), {half_year}",
            target="≤ 1 s",
            repeat=max(3, self.repeat // 5),
        )
        token_value = manager_session.csrf("/rapporter/scb/")
        self.measure_page(
            manager_session,
            "scb_file",
            "/rapporter/scb/export/",
            what=f"SCB file built (POST export), {half_year}",
            target="≤ 2 s",
            repeat=max(3, self.repeat // 5),
            method="POST",
            body=lambda: {"half_year": half_year, "csrfmiddlewaretoken": token_value},
            expect=302,
        )
        self.measure_page(
            api_session,
            "effects_api",
            f"/api/v1/reports/effects/?from={start}&to={end}",
            what="effects of measures, GET /api/v1/reports/effects/ (half-year)",
            target="≤ 300 ms",
            repeat=max(3, self.repeat // 3),
        )
        analyst_session = Session(self.base_url)
        analyst_session.login("bench_analyst")
        self.measure_page(
            analyst_session,
            "regional_page",
            f"/rapporter/region/?{period}",
            what="regional figures, 13 municipalities side by side (half-year)",
            target="≤ 300 ms",
            repeat=max(3, self.repeat // 3),
        )

    def _api_token(self, user: User) -> str:
        _token, key = ApiToken.issue(user)
        return key

    # ------------------------------------------------- in-process builds

    def _timed(self, name: str, what: str, target: str, work: Callable[[], Any], runs: int) -> Row:
        row = Row(name=name, what=what, target=target, http=False)
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = work()
                row.samples.append(time.perf_counter() - started)
            row.queries.append(len(queries))
            row.note = str(result)[:200]
        self.rows.append(row)
        self.log(
            f"  {name:<24} p50 {row.p50 * 1000:8.1f} ms  p95 {row.p95 * 1000:8.1f} ms  "
            f"queries {max(row.queries)}"
        )
        return row

    def run_board_report(self) -> None:
        from reports.board_report_build import board_report_build
        from reports.models import BoardReport

        manager = User.objects.get(username="bench_manager")
        start, end = last_half_year(self.today)

        def build() -> str:
            assert manager.municipality is not None
            report = BoardReport.objects.create(
                municipality=manager.municipality,
                period_from=start,
                period_to=end,
                created_by=manager,
            )
            return board_report_build(report_id=report.pk)

        self._timed(
            "board_report_pdf",
            f"board report PDF built in-process, {start}–{end}",
            "≤ 3 s",
            build,
            runs=3,
        )

    def run_nightly(self) -> None:
        """The nightly jobs as the schedule runs them (age-out, flags, reminders), twice."""
        from followup.tasks import TASKS

        def nightly() -> dict[str, Any]:
            results = {}
            for name in ("age_out", "overdue_flags", "reminders"):
                started = time.perf_counter()
                result = TASKS[name].apply(kwargs={"today": self.today.isoformat()}).get()
                results[name] = {
                    "seconds": round(time.perf_counter() - started, 2),
                    **{k: v for k, v in result.items() if isinstance(v, int | str)},
                }
            self.jobs.append(results)
            return {name: value["seconds"] for name, value in results.items()}

        active = Enrolment.objects.filter(ended_on__isnull=True).count()
        for label in ("first run", "second run"):
            self._timed(
                f"nightly_{label.split()[0]}",
                f"nightly follow-up jobs ({label}), {active} active enrolments",
                "≤ 20 s",
                nightly,
                runs=1,
            )
        # The jobs wrote thousands of rows (flags, reminders, states). A running
        # installation's autovacuum analyses such tables within a minute; this machine's
        # PostgreSQL runs with autovacuum off, and the pages measured next were planned
        # on empty-table statistics (the worklist's open reminders: 13 ms instead of 3 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # --------------------------------------------------------------- load

    def run_load(self) -> None:
        municipality = User.objects.get(username="bench_coordinator").municipality
        coordinators = []
        for user in User.objects.filter(
            municipality=municipality, role=Role.COORDINATOR, username__startswith="bench_"
        ).order_by("pk"):
            youth_ids = list(
                Enrolment.objects.filter(coordinator=user, ended_on__isnull=True)
                .order_by("pk")
                .values_list("youth_id", flat=True)[:200]
            )
            coordinators.append((user.username, youth_ids))
        # One real login per simulated user, before the measured minute.
        self.log(f"  logging in {self.load_users} sessions …")
        accounts = []
        for index in range(self.load_users):
            username, youth_ids = coordinators[index % len(coordinators)]
            session = Session(self.base_url)
            session.login(username)
            cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
            accounts.append({"username": username, "cookie": cookie, "youth_ids": youth_ids})
        workdir = Path(tempfile.mkdtemp(prefix="kaa-bench-"))
        users_file = workdir / "users.json"
        users_file.write_text(json.dumps(accounts))
        locust = Path(sys.executable).with_name("locust")
        command = [
            str(locust),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--users",
            str(self.load_users),
            "--spawn-rate",
            str(max(1, self.load_users // 5)),
            "--run-time",
            f"{self.load_seconds}s",
            "--host",
            self.base_url,
            "--csv",
            str(workdir / "load"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        env = {**os.environ, "KAA_BENCH_USERS": str(users_file)}
        self.log(f"  locust: {self.load_users} users for {self.load_seconds} s …")
        completed = subprocess.run(  # noqa: S603 (our own locust, our own arguments)
            command, env=env, capture_output=True, text=True, check=False
        )
        stats = workdir / "load_stats.csv"
        if not stats.exists():
            self.load = {"error": completed.stderr[-2000:]}
            self.log(f"  locust failed: {completed.stderr[-500:]}")
            return
        rows = {}
        with stats.open() as handle:
            for line in csv.DictReader(handle):
                rows[line["Name"]] = {
                    "requests": int(line["Request Count"]),
                    "failures": int(line["Failure Count"]),
                    "p50_ms": float(line["50%"] or 0),
                    "p95_ms": float(line["95%"] or 0),
                    "p99_ms": float(line["99%"] or 0),
                    "requests_per_s": round(float(line["Requests/s"] or 0), 2),
                }
        self.load = {
            "users": self.load_users,
            "seconds": self.load_seconds,
            "think_time_s": [
                float(os.environ.get("KAA_BENCH_THINK_MIN", "1")),
                float(os.environ.get("KAA_BENCH_THINK_MAX", "3")),
            ],
            "endpoints": rows,
        }
        total = rows.get("Aggregated", {})
        self.log(
            f"  load: {total.get('requests_per_s')} req/s, p95 {total.get('p95_ms')} ms, "
            f"{total.get('failures')} failures"
        )

    # ------------------------------------------------------------ report

    def result(self, *, size: str, dataset: dict[str, Any]) -> dict[str, Any]:
        floor = next((row for row in self.rows if row.name == "floor"), None)
        floor_p95 = floor.p95 if floor else 0.0
        return {
            "when": timezone.now().isoformat(timespec="seconds"),
            "size": size,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "database": connection.settings_dict["NAME"],
                "gunicorn_workers": int(os.environ.get("KAA_BENCH_WORKERS", "2")),
                "settings": settings.SETTINGS_MODULE,
                "load_average_1_5_15_min_at_start": [round(v, 2) for v in self.load_average_start],
                "load_average_1_5_15_min_at_end": [round(v, 2) for v in os.getloadavg()],
            },
            "dataset": dataset,
            "rows": [
                row.as_dict(floor_p95)
                for row in sorted(
                    self.rows,
                    key=lambda r: ORDER.index(r.name) if r.name in ORDER else len(ORDER),
                )
            ],
            "nightly_jobs": self.jobs,
            "load": self.load,
        }


def dataset_figures() -> dict[str, Any]:
    from casework.models import ContactAttempt, Measure

    big = User.objects.get(username="bench_coordinator").municipality
    return {
        "youths": Youth.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "active": Enrolment.objects.filter(ended_on__isnull=True).count(),
        "active_in_big_municipality": Enrolment.objects.filter(
            ended_on__isnull=True, municipality=big
        ).count(),
        "contact_attempts": ContactAttempt.objects.count(),
        "measures": Measure.objects.count(),
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{'measure':<22} {'p50 ms':>9} {'p95 ms':>9} {'×floor':>7} {'queries':>8}  target",
        "-" * 78,
    ]
    for row in result["rows"]:
        ratio = row["ratio_to_floor_p95"]
        lines.append(
            f"{row['name']:<22} {row['p50_ms']:>9.1f} {row['p95_ms']:>9.1f} "
            f"{ratio if ratio is not None else '-':>7} {row['queries'] or '-':>8}  {row['target']}"
            + (f"  [{row['note']}]" if row["note"].startswith("unexpected") else "")
        )
    load = result.get("load", {})
    for name, figures in load.get("endpoints", {}).items():
        lines.append(
            f"load {name:<17} {figures['p50_ms']:>9.1f} {figures['p95_ms']:>9.1f} "
            f"{'':>7} {'':>8}  {figures['requests']} req, {figures['failures']} failed, "
            f"{figures['requests_per_s']} req/s"
        )
    return "\n".join(lines)


def write(result: dict[str, Any], directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"{stamp}-{result['size']}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    return path
