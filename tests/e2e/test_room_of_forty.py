"""A room of 40 on the embedded default (what `make demo` runs: SQLite, the embedded broker, the built-in engine,
`manage.py runserver` and one worker beside it, nothing else installed). 37 phones are light HTTP clients
(bench/load/aclient.py, in a separate process) and 3 are real browsers; everyone joins by the short code, fills in
the profile, answers the first scenario and presses "See my analogy". The facilitator's projector goes through its
modes. The first-analogy waits are written to $WORKSHOP_VAR_DIR/room-of-forty.json (timings are recorded, not
asserted: the machine is shared); what is asserted is that all 40 got their analogy with no error, and what the
projector shows in each mode."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories
from tests.e2e.phone import Phone

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "bench" / "load")]

import first_analogy  # noqa: E402  (bench/first_analogy.py: starts the embedded stack as scripts/demo.sh does)
from stack import stop_all  # noqa: E402

pytestmark = [pytest.mark.e2e]

PEOPLE, BROWSERS = 40, 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict) -> dict:
    """A fresh SQLite database with the library, one open workshop and its facilitator."""
    script = """
import json, django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests import factories
team = factories.organization_with_members("forty")
workshop = factories.open_workshop(team, title="Room of forty", scenarios=2, capacity=60)
print(json.dumps({"code": workshop.short_code, "public_id": workshop.public_id,
                  "facilitator": team.facilitator.username}))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**env, "DJANGO_SETTINGS_MODULE": "workshop.settings"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_room_of_forty_on_the_embedded_default(browser, screenshots, monkeypatch):
    var = Path(settings.VAR_DIR) / "room-of-forty"
    monkeypatch.setattr(first_analogy, "VAR", var)
    if var.exists():
        subprocess.run(["rm", "-rf", str(var)], check=True)
    (var / "site").mkdir(parents=True)
    port = free_port()
    env = first_analogy.environment(port)
    room = prepare(env)
    base = f"http://127.0.0.1:{port}"
    procs = first_analogy.start(env, port)
    try:
        # The 37 light phones, from another process, arriving over 15 s by the short code.
        plan = {"host": "127.0.0.1", "port": port, "seconds": 15, "connections": PEOPLE - BROWSERS,
                "joiners": PEOPLE - BROWSERS, "join_spread": 15, "think": 0.5, "join_path": f"/go/{room['code']}",
                "before": [2, 6], "deadline_s": 400}
        (var / "plan.json").write_text(json.dumps(plan))
        client = subprocess.Popen([sys.executable, str(ROOT / "bench" / "load" / "aclient.py"),
                                   str(var / "plan.json"), str(var / "client.json")], cwd=ROOT)

        # The facilitator's projector shows the join screen with the short code.
        laptop = browser.new_context(viewport={"width": 1920, "height": 1080})
        desk = laptop.new_page()
        desk.goto(f"{base}/accounts/login/")
        desk.get_by_label("Username").fill(room["facilitator"])
        desk.get_by_label("Password").fill(factories.PASSWORD)
        desk.get_by_role("button", name="Sign in").click()
        projector = laptop.new_page()
        projector.goto(f"{base}/f/workshops/{room['public_id']}/projector/")
        assert room["code"] in projector.locator(".projector-screen").inner_text().replace(" ", "")
        projector.screenshot(path=str(screenshots / "forty-projector-join.png"))

        # Three real phones among them, typing the code as they read it (lower case, with a space).
        waits: list[float] = []
        phones = [Phone(browser, name, screenshots) for name in ("Ines", "Jonas", "Kaya")]
        for phone in phones:
            phone.page.goto(f"{base}/go")
            phone.page.locator("input[name=code]").fill(f"{room['code'][:3].lower()} {room['code'][3:]}")
            phone.page.locator("main form button[type=submit]").first.click()
            phone.page.locator("input[name=pseudonym]").fill(phone.name)
            phone.page.locator("input[name=consent]").check()
            phone.submit()
            phone.profile(domains="hiking, choir", memory="My manager thanked someone else for my report.")
        for phone in phones:
            phone.before()
            pressed = time.monotonic()
            phone.page.locator("article.analogy").wait_for(timeout=120_000)
            waits.append(time.monotonic() - pressed)

        client.wait(timeout=600)
        result = json.loads((var / "client.json").read_text())
        http_waits = [row[2] / 1000 for row in result["rows"] if row[0] == "first analogy"]
        figures = {"people": PEOPLE, "http_clients": PEOPLE - BROWSERS, "browsers": BROWSERS,
                   "got_analogy": len(http_waits) + len(waits), "errors": result["errors"][:5],
                   "browser_waits_s": [round(w, 2) for w in waits],
                   "median_s": round(statistics.median(http_waits + waits), 2),
                   "max_s": round(max(http_waits + waits), 2), "load": os.getloadavg()}
        (Path(settings.VAR_DIR) / "room-of-forty.json").write_text(json.dumps(figures, indent=2))
        print("room of forty:", json.dumps(figures))
        assert result["error_count"] == 0, result["errors"][:5]
        assert len(http_waits) == PEOPLE - BROWSERS and len(waits) == BROWSERS

        # Each browser reads its analogy and answers again, sharing a reflection.
        for phone in phones:
            phone.after(reflection="Being thanked for nothing you did hurts more than being ignored.", share=True)

        # The projector's modes, switched from its own controls: the current activity, the room's result (the
        # before/after shift: all 40 answered before, the k-rule holds the after figures until k answered it),
        # and the wall, paged so nothing is cut off.
        projector.reload()
        for mode in ("activity", "result", "wall"):
            projector.locator("#projector-controls summary").click()
            projector.locator(f"[id^=projector-mode-{mode}-]").first.click()
            projector.locator(f".projector-screen[data-mode={mode}]").wait_for(timeout=20_000)
            projector.screenshot(path=str(screenshots / f"forty-projector-{mode}.png"))
            text = projector.locator(".projector-screen").inner_text()
            if mode == "activity":
                assert "Activity 1 of 2" in text and f"{PEOPLE} in the room" in text, text
            if mode == "result":
                assert "Shown once 5 people have answered before and after" in text, text
        for phone in phones:
            phone.context.close()
            assert not phone.violations, "\n".join(phone.violations)
        laptop.close()
    finally:
        stop_all(procs)

