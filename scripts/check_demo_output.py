"""Checks what `manage.py demo` left behind: credentials for two organizations, a PDF per participant, an
API token per user that authenticates against the API (in-process, on the demo's database), and an open
Korean-language workshop with its Korean participants, its packets and a scenario written in Korean first."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")


def api_token_problems(org: dict) -> list[str]:
    """Each user's token, asked who it is at /api/v1/me/: that user, in that organization, with that role."""
    import django
    from django.test import Client

    django.setup()
    client, problems = Client(), []
    for user in org["users"]:
        token = user.get("api_token", "")
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="localhost",
                              secure=True)
        me = response.json() if response.status_code == 200 else {}
        if (me.get("username"), me.get("organization"), me.get("role")) != (user["username"], org["slug"],
                                                                          user["role"]):
            problems.append(f"{org['slug']}: the API token of {user['username']} does not authenticate "
                            f"({response.status_code})")
    return problems


def korean_workshop_problems(org: dict, out: Path) -> list[str]:
    """The organization's Korean workshop, as the facilitator's API token sees it: open, in Korean, with at
    least three participants, a valid packet each, and a scenario whose own language is Korean."""
    import django
    from django.test import Client

    django.setup()
    from workshop.scenarios.languages import hangul_share

    korean = [w for w in org.get("more_workshops", []) if w.get("language") == "ko"]
    if not korean:
        return []
    workshop, problems = korean[0], []
    if hangul_share(workshop["title"]) < 0.5:
        problems.append(f"{org['slug']}: the Korean workshop's title is not Korean: {workshop['title']!r}")
    if workshop["participants"] < 3:
        problems.append(f"{org['slug']}: the Korean workshop has {workshop['participants']} participants")
    pdfs = list((out / org["slug"] / "ko").glob("*.pdf"))
    if len(pdfs) != workshop["participants"] or any(not p.read_bytes().startswith(b"%PDF") for p in pdfs):
        problems.append(f"{org['slug']}: {len(pdfs)} PDF packets for the Korean workshop, expected "
                        f"{workshop['participants']} valid ones")
    token = next(u["api_token"] for u in org["users"] if u["role"] == "facilitator")
    client, auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "localhost", "secure": True}
    listed = client.get("/api/v1/workshops/", {"state": "open", "page_size": 100}, **auth)
    found = [w for w in (listed.json().get("results", []) if listed.status_code == 200 else [])
             if w["title"] == workshop["title"] and w["language"] == "ko"]
    if not found:
        problems.append(f"{org['slug']}: no open Korean workshop {workshop['title']!r} over the API "
                        f"({listed.status_code})")
        return problems
    languages = [client.get(f"/api/v1/scenarios/{s['key']}/", **auth).json().get("language")
                 for s in found[0]["scenarios"]]
    if "ko" not in languages:
        problems.append(f"{org['slug']}: the Korean workshop has no scenario written in Korean first ({languages})")
    return problems


out = Path(sys.argv[1] if len(sys.argv) > 1 else "demo-output")
data = json.loads((out / "credentials.json").read_text())
orgs = data["organizations"]
problems = []
if len(orgs) != 2:
    problems.append(f"expected 2 organizations, found {len(orgs)}")
for org in orgs:
    roles = sorted(u["role"] for u in org["users"])
    if roles != ["admin", "analyst", "facilitator"]:
        problems.append(f"{org['slug']}: roles {roles}")
    if org["workshop"]["participants"] != 12:
        problems.append(f"{org['slug']}: {org['workshop']['participants']} participants, expected 12")
    pdfs = list((out / org["slug"]).glob("*.pdf"))
    if len(pdfs) != 12 or any(not p.read_bytes().startswith(b"%PDF") for p in pdfs):
        problems.append(f"{org['slug']}: {len(pdfs)} PDF packets, expected 12 valid ones")
    if "/j/" not in org["workshop"]["join_link"]:
        problems.append(f"{org['slug']}: no join link")
    problems.extend(api_token_problems(org))
    problems.extend(korean_workshop_problems(org, out))
korean = [w for org in orgs for w in org.get("more_workshops", []) if w.get("language") == "ko"]
if not korean:
    problems.append("no Korean-language workshop")
if problems:
    print("demo smoke test failed: " + "; ".join(problems))
    sys.exit(1)
print(f"demo smoke test: 2 passed, 0 failed ({sum(len(o['packets']) for o in orgs)} packets, "
      f"{sum(len(o['users']) for o in orgs)} API tokens authenticate, a Korean workshop with "
      f"{korean[0]['participants']} participants and {len(korean[0]['packets'])} packets)")
