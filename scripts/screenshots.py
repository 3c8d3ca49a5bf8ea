"""Screenshots of the key pages from the demo, for the README (docs/img/*.png).

Usage (from the repository root):

    .venv/bin/python scripts/screenshots.py [--port 8765] [--out docs/img]

Builds a throwaway SQLite database with the demo (``manage.py migrate`` and
``seed_demo``, the embedded settings ``kaa.settings.local``, no broker), starts
its own ``runserver`` on 127.0.0.1 and stops it afterwards, logs in with
Playwright on Debian's Chromium as the demo coordinator, manager and board
secretary, and saves each page at 1280 px width, reduced to a palette of 256
colours so each file stays small. All data shown is the synthetic demo.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "demo-kaa-2026"  # noqa: S105 (the synthetic demo's, printed by seed_demo)
WIDTH = 1280
HEIGHT = 860
# The top of a long page: enough to show what it holds.
MAX_HEIGHT = 1600
MAX_BYTES = 250_000

# A young person worth showing: reached, mapped, a plan with measures, no protected identity.
PICK_YOUTH = """
from casework.models import Measure
measure = (
    Measure.objects.filter(
        plan__enrolment__municipality__code="9999",
        plan__enrolment__ended_on__isnull=True,
        plan__enrolment__coordinator__username="koordinator",
        plan__enrolment__youth__protected_identity=False,
        plan__enrolment__mapping__isnull=False,
        ended_on__isnull=False,
    )
    .order_by("plan__enrolment_id")
    .first()
)
print(measure.plan.enrolment.youth_id)
"""


def _env(database: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "kaa.settings.local"
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["DEBUG"] = "true"  # runserver serves the static files
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _login(page: Page, username: str) -> None:
    page.goto("/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def _shoot(page: Page, path: Path) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=True)
    image = Image.open(path).convert("RGB")
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_HEIGHT))
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    size = path.stat().st_size
    print(f"  {path.relative_to(ROOT)}: {size // 1000} kB")
    if size > MAX_BYTES:
        print(f"  warning: {path.name} is larger than {MAX_BYTES // 1000} kB", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="kaa-shots-") as tmp:
        env = _env(Path(tmp) / "demo.sqlite3")
        print("Building the demo database …")
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "seed_demo")
        youth_id = _manage(env, "shell", "-c", PICK_YOUTH).strip().splitlines()[-1]
        base = f"http://127.0.0.1:{args.port}"
        server = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{args.port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(f"{base}/logga-in/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                shots = (
                    ("koordinator", "/arende/arbetslista/", "worklist.png"),
                    ("koordinator", f"/ungdomar/{youth_id}/", "young-person.png"),
                    ("chef", "/rapporter/oversikt/", "dashboard.png"),
                    ("sekreterare", "/rapporter/", "reports.png"),
                )
                for username, url, name in shots:
                    context = browser.new_context(
                        base_url=base,
                        locale="sv-SE",
                        viewport={"width": WIDTH, "height": HEIGHT},
                    )
                    page = context.new_page()
                    page.set_default_timeout(20_000)
                    _login(page, username)
                    page.goto(url)
                    _shoot(page, out / name)
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
