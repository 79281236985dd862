"""What goes into each packet. Reads only; the templates get plain values and escape everything."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop.activities.bystander import bystander_discussion
from workshop.activities.summaries import participant_activity_items
from workshop.debrief import charts
from workshop.debrief.models import DebriefPacket
from workshop.debrief.stats import GroupSummary, hardest_feeling, summarize, target_labels
from workshop.participants.models import Participant, Response
from workshop.participants.selectors import analogy_mapping_shown, participant_analogies
from workshop.scenarios.languages import ScenarioText
from workshop.scenarios.models import Scenario
from workshop.scenarios.themes import theme_label
from workshop.workshops.models import Workshop
from workshop.workshops.selectors import workshop_scenarios

METHOD_NOTE = gettext_lazy(
    "Each analogy retells the feelings of a workplace situation as a situation from your own life: the same "
    "emotional structure, somewhere you have been. You said what you thought the person felt before and after "
    "reading it, so you can see what changed. The approach follows EmoSync (POSTECH, ACM CHI 2025), where "
    "personal analogies improved emotional understanding over conventional methods."
)


def _intensity_word(value) -> str:
    """Scenario intensities are 0..1; answers may come on a 1..5, 1..7 or 0..100 scale."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    for top in (1, 5, 7, 10, 100):
        if number <= top:
            number = number / top
            break
    if number <= 0:
        return ""
    return _("strong") if number >= 0.7 else _("moderate") if number >= 0.4 else _("mild")


def _lower_map(intensities) -> dict[str, object]:
    return {str(k).strip().lower(): v for k, v in (intensities or {}).items()} if isinstance(intensities, dict) else {}


def _answer(labels, intensities, label: str) -> dict:
    chosen = {str(c).strip().lower() for c in labels or []}
    return {"named": label in chosen, "intensity": _intensity_word(_lower_map(intensities).get(label))}


def feelings_table(*, scenario: Scenario, response: Response | None) -> dict:
    """Rows: the scenario's target feelings, with what the person said before and after."""
    targets = target_labels(scenario.emotions)
    rows = [{
        "label": label,
        "target": _intensity_word(next((e.get("intensity") for e in scenario.emotions
                                        if str(e.get("label", "")).strip().lower() == label), None)),
        "before": _answer(response.pre_labels if response else [], response.pre_intensity if response else {}, label),
        "after": _answer(response.post_labels if response else [], response.post_intensity if response else {},
                         label),
    } for label in targets]

    def others(labels) -> list[str]:
        return sorted({str(c).strip() for c in labels or [] if str(c).strip() and str(c).strip().lower()
                       not in targets})

    def overall(intensities) -> int | None:
        value = _lower_map(intensities).get("overall")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    return {
        "rows": rows,
        "overall_before": overall(response.pre_intensity) if response else None,
        "overall_after": overall(response.post_intensity) if response else None,
        "other_before": others(response.pre_labels) if response else [],
        "other_after": others(response.post_labels) if response else [],
        "has_before": bool(response and response.pre_labels),
        "has_after": bool(response and response.post_labels),
    }


def _phrase(theme: str) -> str:
    """A theme in words: a known one by its translated name, a free one as typed."""
    return theme_label(str(theme)).replace("_", " ").strip()


def later_prompts(scenarios: list[ScenarioText]) -> list[str]:
    """Three questions to come back to in a week, from the scenarios' discussion prompts and themes (each
    scenario as the reader sees it, in their language)."""
    if not scenarios:
        return []
    first = scenarios[0]
    name = first.perspective_name
    prompts = [p for s in scenarios for p in (s.discussion_prompts or [])[-1:]]  # the 'in our teams' one
    themes = [_phrase(t) for s in scenarios for t in (s.themes or []) if _phrase(t)]
    out = [prompts[0] if prompts else _("Where in your own team could someone feel what %(name)s felt?") % {
        "name": name}]
    if themes:
        out.append(_("This week, where did you notice %(themes)s, at work or elsewhere? What did the person on the "
                     "other side of it see?") % {"themes": ", ".join(themes[:2])})
    else:
        out.append(_("This week, when did you notice someone go quiet in a meeting? What might they have felt?"))
    out.append(_("Think of the last time you saw someone feel what %(name)s felt. What did you do, and what would "
                 "you do now?") % {"name": name})
    return out


def _supported(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def participant_packet_language(*, participant: Participant) -> str:
    """A participant's packet speaks their language (the one they chose, else the workshop's)."""
    return _supported(participant.language or participant.workshop.language)


def facilitator_packet_language(*, workshop: Workshop) -> str:
    """The facilitator packet speaks the workshop's language."""
    return _supported(workshop.language)


def participant_packet_context(*, participant: Participant) -> dict:
    workshop = participant.workshop
    language = participant_packet_language(participant=participant)
    scenarios = workshop_scenarios(workshop=workshop)
    texts = {s.id: s.localized(language) for s in scenarios}
    analogies = participant_analogies(participant=participant)
    responses = {r.scenario_id: r for r in participant.responses.all()}
    items = []
    for scenario in scenarios:
        analogy = analogies.get(scenario.id)
        response = responses.get(scenario.id)
        done = analogy is not None and analogy.state == "done"
        # The feelings are named only once the "after" question is answered, or the workshop is over.
        answered = ((response is not None and response.post_understanding is not None)
                    or workshop.state == Workshop.State.CLOSED)
        items.append({
            "scenario": scenario,
            "text": texts[scenario.id],
            "analogy": analogy if done else None,
            "mapping": analogy_mapping_shown(analogy=analogy if done else None, after_saved=answered),
            "feelings": feelings_table(scenario=scenario, response=response) if answered else None,
            "response": response,
        })
    return {
        "kind": "participant",
        "participant": participant,
        "workshop": workshop,
        "organization": participant.organization,
        "items": items,
        "activities": participant_activity_items(participant=participant, language=language),
        "later_prompts": later_prompts([texts[s.id] for s in scenarios]),
        "method_note": str(METHOD_NOTE),
        "generated": timezone.now(),
        "language": language,
    }


def _completion(workshop: Workshop, scenario_count: int) -> dict:
    participants = list(workshop.participants.only("id", "step"))
    answered = {}
    for participant_id, _scenario_id in (Response.objects.filter(participant__workshop=workshop)
                              .exclude(Q(pre_labels=[]) | Q(post_labels=[]))
                              .values_list("participant_id", "scenario_id")):
        answered[participant_id] = answered.get(participant_id, 0) + 1
    return {
        "joined": len(participants),
        "profiled": sum(p.step != Participant.Step.PROFILE for p in participants),
        "completed": sum(answered.get(p.id, 0) >= scenario_count for p in participants) if scenario_count else 0,
    }


def _scenario_section(scenario: Scenario, text: ScenarioText, responses: list[Response], *, k: int,
                      position: int) -> dict:
    targets = target_labels(scenario.emotions)
    summary = summarize([(r, targets) for r in responses], k=k, feelings=targets)
    shared = []
    if summary is not None:  # shared words are shown only among at least k people who answered
        # ... and only those still on the wall: a reflection the facilitator hid stays out of the packet too.
        shared = sorted(r.reflection.strip() for r in responses
                        if r.share_reflection and not r.hidden_from_wall and r.reflection.strip())
    return {
        "position": position,
        "scenario": scenario,
        "text": text,
        "summary": summary,
        "hardest": hardest_feeling(summary),
        "shared": shared,
        "prompts": list(text.discussion_prompts or []),
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def facilitator_packet_context(*, workshop: Workshop) -> dict:
    organization = workshop.organization
    k = organization.anonymity_k
    language = facilitator_packet_language(workshop=workshop)
    scenarios = workshop_scenarios(workshop=workshop)
    texts = {s.id: s.localized(language) for s in scenarios}
    responses = list(Response.objects.filter(participant__workshop=workshop).select_related("participant")
                     .order_by("id"))
    by_scenario: dict[int, list[Response]] = {}
    for r in responses:
        by_scenario.setdefault(r.scenario_id, []).append(r)
    sections = [_scenario_section(s, texts[s.id], by_scenario.get(s.id, []), k=k, position=i)
                for i, s in enumerate(scenarios, 1)]
    targets = {s.id: target_labels(s.emotions) for s in scenarios}
    room = summarize([(r, targets.get(r.scenario_id, [])) for r in responses], k=k)
    shown = [s for s in sections if s["summary"] is not None]
    context = {
        "kind": "facilitator",
        "workshop": workshop,
        "organization": organization,
        "k": k,
        "scenarios": [texts[s.id] for s in scenarios],
        "sections": sections,
        "room": room,
        "completion": _completion(workshop, len(scenarios)),
        "generated": timezone.now(),
        "language": language,
        "date": workshop.opened_at or workshop.created,
        "charts": {},
        "comparison": _comparison(workshop, responses, targets, k=k),
        "bystander": bystander_discussion(workshop=workshop, k=k),
    }
    if shown:
        labels = [f"{s['position']}. {s['text'].title}" for s in shown]
        context["charts"]["accuracy"] = charts.before_after_bars(
            labels=labels, before=[s["summary"].accuracy_before for s in shown],
            after=[s["summary"].accuracy_after for s in shown], percent=True, range_max=1)
        understood = [s for s in shown if s["summary"].understanding_before and s["summary"].understanding_after]
        if understood:
            context["charts"]["understanding"] = charts.before_after_bars(
                labels=[f"{s['position']}. {s['text'].title}" for s in understood],
                before=[s["summary"].understanding_before for s in understood],
                after=[s["summary"].understanding_after for s in understood], percent=False, range_max=7)
    if room is not None and room.resonance_counts:
        context["charts"]["resonance"] = charts.resonance_spread(room.resonance_counts)
    context["accuracy_text"] = [
        _("%(scenario)s: %(before)s before, %(after)s after") % {
            "scenario": f"{s['position']}. {s['text'].title}", "before": _pct(s["summary"].accuracy_before),
            "after": _pct(s["summary"].accuracy_after)} for s in shown]
    return context


def _comparison(workshop: Workshop, responses: list[Response], targets: dict[int, list[str]], *, k: int) -> dict:
    """Personalized against generic analogies, when the workshop split the room and both groups reach k."""
    if workshop.generic_share <= 0:
        return {"used": False}
    groups: dict[str, GroupSummary | None] = {}
    for condition in (Participant.Condition.PERSONALIZED, Participant.Condition.GENERIC):
        group = [(r, targets.get(r.scenario_id, [])) for r in responses if r.participant.condition == condition]
        groups[condition] = summarize(group, k=k)
    personalized, generic = groups[Participant.Condition.PERSONALIZED], groups[Participant.Condition.GENERIC]
    if personalized is None or generic is None:
        return {"used": True, "shown": False}

    def measures(g: GroupSummary) -> list[float]:
        understanding = ((g.understanding_after or 0) - (g.understanding_before or 0)
                         if g.understanding_before and g.understanding_after else 0)
        return [g.accuracy_change * 100, understanding]

    return {
        "used": True, "shown": True, "personalized": personalized, "generic": generic,
        "chart": charts.condition_comparison(
            measures=[_("Accuracy gain (% points)"), _("Understanding gain (1–7 scale)")],
            personalized=measures(personalized), generic=measures(generic)),
    }


def packet_data_changed_since(*, packet: DebriefPacket) -> bool:
    """Has the participant's analogy or answer changed after this packet was queued?"""
    participant = packet.participant
    latest = [participant.analogies.filter(is_current=True).order_by("-updated").values_list("updated", flat=True)
              .first(), participant.responses.order_by("-updated").values_list("updated", flat=True).first()]
    return any(t is not None and t > packet.created for t in latest)


def workshop_packets(*, workshop: Workshop) -> dict:
    """The newest packet per person (and the newest facilitator packet), with counts for a progress bar."""
    latest: dict[tuple[str, int | None], DebriefPacket] = {}
    for packet in workshop.packets.select_related("participant").order_by("-created", "-id"):
        latest.setdefault((packet.kind, packet.participant_id), packet)
    packets = list(latest.values())
    done = sum(p.state == DebriefPacket.State.DONE for p in packets)
    failed = sum(p.state == DebriefPacket.State.FAILED for p in packets)
    return {
        "total": len(packets), "done": done, "failed": failed,
        "outstanding": len(packets) - done - failed,
        "percent": round(100 * (done + failed) / len(packets)) if packets else 0,
        "facilitator": latest.get((DebriefPacket.Kind.FACILITATOR, None)),
        "participants": sorted((p for p in packets if p.kind == DebriefPacket.Kind.PARTICIPANT and p.participant),
                               key=lambda p: p.participant.pseudonym.lower()),
    }
