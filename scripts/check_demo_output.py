"""Checks what `manage.py demo` left behind: credentials for two organizations, a PDF per participant, and an
API token per user that authenticates against the API (in-process, on the demo's database)."""

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
if problems:
    print("demo smoke test failed: " + "; ".join(problems))
    sys.exit(1)
print(f"demo smoke test: 2 passed, 0 failed ({sum(len(o['packets']) for o in orgs)} packets, "
      f"{sum(len(o['users']) for o in orgs)} API tokens authenticate)")
