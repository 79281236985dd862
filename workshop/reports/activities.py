"""The report's activity sections: how much of the understanding transfers and lasts, the listening lab's skill
levels, and what asking adds. Every figure goes through the k rule (anonymity.py): a figure covering fewer
than k people has no number; sibling cells that add up to a shown total hide enough of themselves that
subtraction never gives back a small one. The unit is the person throughout.

- Transfer: people who answered the follow-up vignette and some scenario after its analogy: their mean
  identification F1 after the analogy in the workshop against their F1 on the new vignette (no analogy), a
  week or so later.
- Lasting: of the people who wrote a commitment, how many checked in, and how many of those tried it (yes,
  partly, not yet).
- Listening: for each EPITOME mechanism, how many listeners reached each grade (their best round), by the
  offline rules and by their observers' ratings.
- Asking: for answers given before, after the analogy and after asking the person (perspective-getting), each
  person's mean F1 at the three moments.

The same sections feed the report page and the API (``activities`` in the report's body, as JSON).
Nothing is read but facts (choices, grades, scores) and F1 figures: never anyone's words.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

from django.db.models import Avg, F
from django.utils.translation import gettext_lazy

from workshop.activities.commitment import Tried
from workshop.activities.kinds import ActivityKind
from workshop.activities.listening_feedback import GRADE_ORDER, Grade, Mechanism, grade_best
from workshop.participants.models import ActivityRecord
from workshop.reports.anonymity import SHOWN, SMALL, suppress_funnel, suppress_row
from workshop.reports.filters import ReportFilters
from workshop.reports.queries import Selection, selected_responses, selection_resolve, via_participant
from workshop.reports.report import Figure, _figure
from workshop.tenancy.models import Organization


def _shown(value, n: int, status: str = SHOWN) -> Figure:
    return Figure(value=value, n=n) if status == SHOWN else Figure.hidden(status)


def _status(n: int, k: int) -> str:
    return SMALL if 0 < n < k else SHOWN


def _records(selection: Selection, kind: str):
    records = ActivityRecord.objects.filter(organization_id=selection.organization_id, kind=kind).order_by()
    if selection.narrowed is not None:
        records = records.filter(via_participant(selection.narrowed, "participant"))
    return records


def _rows(keys: list[str], counts: list[int], k: int) -> list[dict]:
    """Cells that add up to a total shown beside them: people and their share of the total."""
    total = sum(counts)
    statuses = suppress_row(counts, k=k)
    return [{"key": key, "people": _shown(n, n, status), "share": _shown(n / total if total else None, n, status)}
            for key, n, status in zip(keys, counts, statuses, strict=True)]


def _mean_figure(values: list[float], k: int) -> Figure:
    n = len(values)
    return _shown(mean(values) if values else None, n, _status(n, k))


def _followups(selection: Selection) -> tuple[int, dict[int, dict]]:
    """People who wrote a commitment, and per person who checked in their latest check-in's facts."""
    committed: set[int] = set()
    checked: dict[int, dict] = {}
    for pid, facts in (_records(selection, ActivityKind.COMMITMENT).filter(done_at__isnull=False)
                       .order_by("activity__position").values_list("participant_id", "facts")):
        committed.add(pid)
        if (facts or {}).get("followup_at") and facts.get("tried") in Tried.values:
            checked[pid] = facts
    return len(committed), checked


def _transfer(selection: Selection, checked: dict[int, dict], k: int) -> dict:
    scored = {pid: facts["f1"] for pid, facts in checked.items() if isinstance(facts.get("f1"), int | float)}
    after = dict(selected_responses(selection).filter(participant_id__in=list(scored), post_f1__isnull=False)
                 .values("participant_id").annotate(after=Avg("post_f1")).values_list("participant_id", "after"))
    people = sorted(set(scored) & set(after))
    status = _status(len(people), k)
    pairs = [(after[p], scored[p]) for p in people]
    return {
        "people": _shown(len(people), len(people), status),
        "after_f1": _shown(mean(a for a, _ in pairs) if pairs else None, len(pairs), status),
        "followup_f1": _shown(mean(b for _, b in pairs) if pairs else None, len(pairs), status),
        "change": _shown(mean(b - a for a, b in pairs) if pairs else None, len(pairs), status),
    }


def _lasting(committed: int, checked: dict[int, dict], k: int) -> dict:
    funnel = suppress_funnel([committed, len(checked)], k=k)
    tried = [sum(facts["tried"] == value for facts in checked.values()) for value in Tried.values]
    shown = funnel[1] == SHOWN and len(checked) >= k
    return {
        "committed": _shown(committed, committed, funnel[0]),
        "followed_up": _shown(len(checked), len(checked), funnel[1]),
        "tried": _rows(list(Tried.values), tried, k) if shown else [],
    }


def _listening(selection: Selection, k: int) -> dict:
    """Each listener's best grade per mechanism over their rounds, by the rules and by their observers (the
    observers' records name the listener they rated; only listeners in the selection are counted)."""
    rules: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    observed: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for pid, facts in _records(selection, ActivityKind.LISTENING).values_list("participant_id", "facts"):
        for entry in ((facts or {}).get("rounds") or {}).values():
            if not isinstance(entry, dict):
                continue
            for mechanism in Mechanism.values:
                if entry.get("grades", {}).get(mechanism) in Grade.values:
                    rules[pid][mechanism].append(entry["grades"][mechanism])
                listener = entry.get("listener")
                if isinstance(listener, int) and entry.get("ratings", {}).get(mechanism) in Grade.values:
                    observed[listener][mechanism].append(entry["ratings"][mechanism])

    def levels(source: dict) -> dict:
        people = len(source)
        if people < k:
            return {"people": _shown(people, people, _status(people, k)), "mechanisms": {}}
        return {"people": _shown(people, people), "mechanisms": {
            mechanism: _rows(list(GRADE_ORDER), [
                sum(grade_best(grades[mechanism]) == grade for grades in source.values() if grades[mechanism])
                for grade in GRADE_ORDER], k)
            for mechanism in Mechanism.values}}

    observed = {listener: grades for listener, grades in observed.items() if listener in rules}
    return {"rules": levels(rules), "observers": levels(observed)}


def _asking(selection: Selection, k: int) -> dict:
    per_person = (selected_responses(selection)
                  .filter(pre_f1__isnull=False, post_f1__isnull=False, asked_f1__isnull=False)
                  .values(pid=F("participant_id"))
                  .annotate(before=Avg("pre_f1"), after=Avg("post_f1"), asked=Avg("asked_f1")))
    rows = list(per_person.values_list("before", "after", "asked"))
    return {"people": _shown(len(rows), len(rows), _status(len(rows), k)),
            **{name: _mean_figure([row[i] for row in rows], k) for i, name in enumerate(("before", "after",
                                                                                          "asked"))}}


def activities_page_context(*, organization: Organization, filters: ReportFilters) -> dict:
    """What the report page's activity sections need: the sections, and words for their keys."""
    sections = activities_report(organization=organization, filters=filters)
    return {"activities": sections,
            "activity_labels": {"tried": {k: str(v) for k, v in Tried.choices},
                                "grade": {k: str(v) for k, v in Grade.choices},
                                "mechanism": {k: str(v) for k, v in Mechanism.choices}},
            "listening_tables": [(gettext_lazy("By the offline rules"), sections["listening"]["rules"]),
                                 (gettext_lazy("By their observers"), sections["listening"]["observers"])]}


def activities_as_dict(section):
    """The sections as JSON-safe data (the API's ``activities``): every Figure as {value, n, suppressed}."""
    if isinstance(section, Figure):
        return _figure(section)
    if isinstance(section, dict):
        return {key: activities_as_dict(value) for key, value in section.items()}
    if isinstance(section, list):
        return [activities_as_dict(value) for value in section]
    return section


def activities_report(*, organization: Organization, filters: ReportFilters) -> dict:
    """The activity sections for these filters, k-anonymous: nested dicts and lists whose numbers are Figures
    (the report page shows them with {% fig %}; activities_as_dict makes the API's JSON)."""
    k = organization.anonymity_k
    selection = selection_resolve(organization=organization, filters=filters)
    committed, checked = _followups(selection)
    return {
        "transfer": _transfer(selection, checked, k),
        "lasting": _lasting(committed, checked, k),
        "listening": _listening(selection, k),
        "asking": _asking(selection, k),
    }
