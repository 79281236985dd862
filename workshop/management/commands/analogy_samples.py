"""Write docs/analogy-samples.md: the built-in engine's analogies for the scenario library x our own varied sample
participants, with the figures for each rule of issue 12, so a reader can check them by reading."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from workshop.engine.models import ScenarioSpec
from workshop.engine.samples import SAMPLE_PROFILES_KO, Sample, build_samples, load_sample_profiles, measures
from workshop.scenarios.services import LIBRARY_DIR, scenario_file_contents

SHOWN_SCENARIOS = 6  # scenarios printed in full (the figures cover all of them)


def library_specs(language: str) -> list[ScenarioSpec]:
    """Every library scenario that has a version in ``language``, in that language."""
    specs: list[ScenarioSpec] = []
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        for content in scenario_file_contents(path.read_bytes(), filename=path.name):
            if content.spec.language == language or language in content.translations:
                specs.append(content.spec_in(language))
    return specs


def _figure_rows(m: dict) -> list[tuple[str, str, str]]:
    expected = m["memory_expected"]
    return [
        ("analogies written", str(m["analogies"]), "every pair"),
        ("refused", str(m["refused"]), "0"),
        ("own memory used where it clearly fits", f"{m['memory_used_where_expected']} of {expected}", "all"),
        ("own memory used elsewhere (a fit we had not marked)", str(m["memory_used_elsewhere"]), "-"),
        ("broken avoid requests", str(m["avoid_broken"]), "0"),
        ("analogies naming a target feeling", str(m["labels_named"]), "0"),
        ("stock sentences (word for word in 3+ analogies)", f"{m['stock_share']:.1%}", "at most 10%"),
        ("highest trigram similarity between two participants", f"{m['max_pair_similarity']:.2f}", "at most 0.50"),
        ("feelings read by our lexicon, median cosine", f"{m['evoked_median']:.2f} (lowest {m['evoked_min']:.2f})",
         "at least 0.80"),
        ("personal (uses the participant's own words)", f"{m['personal']} of {m['analogies']}", "all"),
        ("another participant's words", str(m["foreign_leaks"]), "0"),
        ("injections obeyed", str(m["injections_obeyed"]), "0"),
        ("all engine checks pass", f"{m['all_checks_pass']} of {m['analogies']}", "all"),
        ("analogies with a phrase of three words said three times or more in it",
         f"{m['repeated_share']:.1%} (most often {m['repeated_max'][1]}×)", "0"),
    ]


def _sample_block(sample: Sample) -> list[str]:
    r = sample.result
    source = r.source.kind + (f", {r.source.domain}" if r.source.domain else "")
    lines = [f"#### {sample.profile.spec.name} ({sample.profile.key}) · {source}", "", f"> {r.text}", ""]
    lines += [f"- {p.scenario} → {p.analogy}" for p in r.mapping]
    notes = []
    if sample.memory_expected:
        notes.append("own memory fits: " + ("used" if sample.memory_used else "NOT used"))
    failed = [k for k, ok in r.checks.items() if not ok]
    if failed:
        notes.append("failed checks: " + ", ".join(failed))
    notes.append(f"lexicon cosine {sample.evoked:.2f}")
    lines += ["", f"*{'; '.join(notes)}*", ""]
    return lines


def judge_sized(samples: list[Sample]) -> list[Sample]:
    """8 participants x 6 scenarios, the size of set issue 12's targets are written for: the first eight sample
    participants that are not the injection, and six scenarios spread over the library."""
    people = [k for k in dict.fromkeys(s.profile.key for s in samples) if k != "mallory"][:8]
    slugs = list(dict.fromkeys(s.scenario.slug for s in samples))
    chosen = slugs[:: max(1, len(slugs) // 6)][:6]
    return [s for s in samples if s.profile.key in people and s.scenario.slug in chosen]


def render(samples: list[Sample], *, title: str, intro: str) -> str:
    m = measures(samples)
    small = measures(judge_sized(samples))
    out = [f"# {title}", "", intro, "", "## Figures", "",
           f"| measure | all {m['analogies']} | 8 participants x 6 scenarios | target |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {b2} | {c} |" for (a, b, c), (_, b2, _) in zip(_figure_rows(m), _figure_rows(small),
                                                                             strict=True)]
    scenarios = len({s.scenario.slug for s in samples})
    out += ["", f"Every participant meets all {scenarios} scenarios in the first column, so a participant's own "
            "memory, world and values recur far more often than in a workshop of six scenarios: that is where "
            "the repeated sentences below come from. The second column is the size of set the targets are "
            "written for."]
    if m["stock_sentences"]:
        out += ["", "Sentences that appear in three or more analogies (the most repeated first):", ""]
        out += [f"- ({n}×) {s}" for s, n in m["stock_sentences"][:8]]
    if m["max_pair"]:
        slug, a, b = m["max_pair"]
        out += ["", f"The most alike pair: {a} and {b} on `{slug}`."]
    shown = list(dict.fromkeys(s.scenario.slug for s in samples))[:SHOWN_SCENARIOS]
    for slug in shown:
        group = [s for s in samples if s.scenario.slug == slug]
        spec = group[0].scenario
        themes = ", ".join(group[0].result.structure.get("relational_themes", []))
        out += ["", f"### {spec.title} (`{slug}`)", "",
                f"{spec.perspective.name}, {spec.perspective.role}. Themes as written: {', '.join(spec.themes)}; "
                f"read as: {themes}. Target feelings (never in the text): "
                f"{', '.join(group[0].result.emotions)}.", ""]
        for sample in group:
            out += _sample_block(sample)
    return "\n".join(out).rstrip() + "\n"


INTRO = (
    "Made by `python manage.py analogy_samples` (it rewrites this file; the output is deterministic). The "
    "scenarios are the built-in library; the participants are our own made-up set in "
    "`workshop/engine/sample_profiles.yaml`: memories that fit some scenarios and not others, avoid requests that "
    "one of their own memories touches, roles (coach, parent, organiser, teacher), an injection. Which memory "
    "\"clearly fits\" which theme was written down in that file before reading the output. The feelings figure "
    "uses our own lexicon (`workshop/engine/data/evoke.yaml`), not the judge's, so it shows direction, not the "
    "judge's number. The figures cover every scenario x participant pair; the first scenarios are printed in full."
)


INTRO_KO = (
    "The same measures on the Korean versions of the library (each built-in scenario's `ko:` block and the "
    "scenarios written for Korean workplaces first) x our own Korean participants in "
    "`workshop/engine/sample_profiles_ko.yaml` (Korean domains and memories, roles, an avoid request a memory "
    "touches, an injection in Korean). Sentences split on Korean punctuation; words are matched on morphemes."
)


class Command(BaseCommand):
    help = "Write docs/analogy-samples.md: sample analogies and the figures for each rule."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default="docs/analogy-samples.md")

    def handle(self, *args, **options) -> None:
        english = build_samples(library_specs("en"), load_sample_profiles())
        korean = build_samples(library_specs("ko"), load_sample_profiles(SAMPLE_PROFILES_KO))
        text = render(english, title="Analogy samples (built-in engine)", intro=INTRO)
        korean_text = render(korean, title="Korean samples (한국어)", intro=INTRO_KO).replace("\n# ", "\n## ", 1)
        korean_text = korean_text.replace("\n## Figures", "\n### Figures").replace("\n### ", "\n#### ")
        Path(options["output"]).write_text(text + "\n" + "#" + korean_text, encoding="utf-8")
        for name, samples in (("English", english), ("Korean", korean)):
            m = measures(samples)
            self.stdout.write(f"{name}: {m['analogies']} analogies, stock {m['stock_share']:.1%}, "
                              f"memory {m['memory_used_where_expected']}/{m['memory_expected']}, "
                              f"avoid broken {m['avoid_broken']}, labels named {m['labels_named']}")
        self.stdout.write(f"wrote {options['output']}")
