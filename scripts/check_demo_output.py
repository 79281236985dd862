"""Checks what `manage.py demo` left behind: credentials for two organizations and a PDF per participant."""

import json
import sys
from pathlib import Path

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
if problems:
    print("demo smoke test failed: " + "; ".join(problems))
    sys.exit(1)
print(f"demo smoke test: 2 passed, 0 failed ({sum(len(o['packets']) for o in orgs)} packets)")
