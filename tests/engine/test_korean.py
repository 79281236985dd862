"""Korean end to end in the built-in engine (issue 16): Korean participants get natural Korean, under the same rules
as English (own memory first, avoid requests by topic, no target feeling named, no stock sentences, their role in
their world), with particles that agree and matching on morphemes. Properties over our own Korean participants
(workshop/engine/sample_profiles_ko.yaml) and Korean scenarios: the test ones and the library's Korean versions."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

from workshop.engine import ProfileSpec, generate, korean, parse_scenario
from workshop.engine.checks import run_checks
from workshop.engine.profile_map import map_participant
from workshop.engine.samples import (
    SAMPLE_PROFILES_KO,
    build_samples,
    load_sample_profiles,
    max_pair_similarity,
    measures,
    stock_sentences,
)
from workshop.engine.sources import MIN_MEMORY_SCORE, memory_fit
from workshop.engine.structure import analyze_scenario
from workshop.engine.textutil import stems
from workshop.engine.vocabulary import (
    EMOTIONS,
    RELATIONAL_THEMES,
    avoid_patterns,
    domain_family,
    lang_data,
    load_data,
    mentions_avoided,
)

from .conftest import FIXTURES

LIBRARY = Path(__file__).resolve().parents[2] / "workshop" / "scenarios" / "library"
SPEC_KEYS = ("slug", "title", "narrative", "perspective", "emotions", "themes", "discussion_prompts")


def korean_scenarios() -> list:
    return [parse_scenario(d) for d in yaml.safe_load((FIXTURES / "unseen_scenarios_ko.yaml").read_text())]


def library_korean_versions() -> list:
    """The library's scenarios as a Korean participant reads them: the Korean-first ones, and the Korean version
    (`ko:` block) of the others."""
    out = []
    for path in sorted(LIBRARY.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = {k: data[k] for k in SPEC_KEYS if k in data}
        if data.get("language", "en") != "ko":
            if "ko" not in data:
                continue
            spec.update({k: v for k, v in data["ko"].items() if k in SPEC_KEYS})
        spec["perspective"] = {k: v for k, v in spec["perspective"].items() if k in ("name", "role", "pronouns")}
        out.append(parse_scenario({**spec, "language": "ko"}))
    return out


def english_library() -> list:
    out = []
    for path in sorted(LIBRARY.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("language", "en") != "en":
            continue
        spec = {k: data[k] for k in SPEC_KEYS if k in data}
        spec["perspective"] = {k: v for k, v in data["perspective"].items() if k in ("name", "role", "pronouns")}
        out.append(parse_scenario(spec))
    return out


@cache
def all_samples():
    return build_samples(korean_scenarios() + library_korean_versions(), load_sample_profiles(SAMPLE_PROFILES_KO))


@cache
def judge_sized_samples():
    """8 varied Korean participants x 6 Korean scenarios: the set size the stock-sentence rule is written for."""
    profiles = [p for p in load_sample_profiles(SAMPLE_PROFILES_KO) if p.key != "junho"][:8]
    return build_samples(korean_scenarios(), profiles)


# --- particles ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("word, spec, expected", [
    ("합창단", "은/는", "합창단은"), ("성가대", "은/는", "성가대는"), ("모임", "이/가", "모임이"),
    ("코치", "이/가", "코치가"), ("캠핑", "을/를", "캠핑을"), ("뜨개질", "을/를", "뜨개질을"),
    ("친구", "을/를", "친구를"), ("동료들", "과/와", "동료들과"), ("감독님", "과/와", "감독님과"),
    ("선배", "과/와", "선배와"), ("연습실", "으로/로", "연습실로"), ("운동장", "으로/로", "운동장으로"),
    ("학교", "으로/로", "학교로"), ("커피", "이나/나", "커피나"), ("밥", "이나/나", "밥이나"),
    ("지민", "아/야", "지민아"), ("서연", "아/야", "서연아"), ("수아", "아/야", "수아야"),
    ("사람", "이었어요/였어요", "사람이었어요"), ("코치", "이었어요/였어요", "코치였어요"),
    ("학생", "이에요/예요", "학생이에요"), ("리더", "이에요/예요", "리더예요"),
    ("Tom", "은/는", "Tom은"), ("Mike", "은/는", "Mike는"), ("Jane", "이/가", "Jane이"),
    ("football", "을/를", "football을"), ("football", "으로/로", "football로"), ("10", "은/는", "10은"),
    ("2", "이/가", "2가"), ("3", "을/를", "3을"), ("7", "으로/로", "7로"), ("2016", "은/는", "2016은"),
    ("100", "이/가", "100이"), ("'합창단'", "은/는", "'합창단'은"),
])
def test_particles_agree_with_the_word_before_them(word, spec, expected):
    assert korean.josa(word, spec) == expected


def test_a_particle_that_disagrees_is_caught_but_a_verb_ending_is_not():
    assert korean.particles_disagree("합창단는 가요. 사람가 왔어요. 성가대을 봤어요.") == ["창단는", "사람가", "가대을"]
    assert korean.particles_disagree("먹는 사람은 결과를 봤어요. 좋은 마을에서 경로를 찾았어요.") == []


# --- morphemes ------------------------------------------------------------------------------------

def test_the_korean_analyser_is_never_loaded_for_english():
    code = ("import yaml\nfrom workshop.engine import generate, parse_scenario, korean\n"
            "from workshop.engine.samples import load_sample_profiles\n"
            f"scenarios = yaml.safe_load(open({str(FIXTURES / 'unseen_scenarios.yaml')!r}))\n"
            "for data in scenarios:\n"
            "    for profile in load_sample_profiles():\n"
            "        assert all(generate(parse_scenario(data), profile.spec).checks.values())\n"
            "print(korean.analyser_loaded())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("text, stem", [("합창단에서", "합창단"), ("따돌렸다", "따돌리"), ("외로웠다", "외롭"),
                                        ("축구팀", "축구"), ("입원실에", "입원"), ("불공평했다", "불공평")])
def test_korean_words_are_read_on_their_morphemes(text, stem):
    assert stem in stems(text)


@pytest.mark.parametrize("domain, family", [
    ("합창단", "music_performing"), ("조기축구", "team_sport"), ("조기축구회 총무", "team_sport"),
    ("뜨개질", "arts_crafts"), ("캠핑", "nature_pets_outdoors"), ("보드게임 모임", "games_online"),
    ("교회 성가대", "faith"), ("주말마다 딸과 한강에서 자전거 타기", "individual_sport"),
    ("등산", "nature_pets_outdoors"), ("아들 축구팀 코치", "team_sport"), ("독서 모임", "arts_crafts"),
    ("직장인 밴드에서 기타 치기", "music_performing"),
])
def test_korean_domain_words_map_to_families(domain, family):
    assert domain_family(domain) == family


def test_a_list_of_korean_suggestion_chips_counts_as_several_domains():
    pmap = map_participant(ProfileSpec(language="ko", domains=["합창단, 등산"]))
    assert [d.family for d in pmap.domains] == ["music_performing", "nature_pets_outdoors"]


@pytest.mark.parametrize("memory, theme", [
    ("동료들이 나만 빼고 점심을 먹으러 갔다.", "exclusion"),
    ("다들 나 없이 여행을 갔고, 나는 인스타 사진을 보고 알았다.", "exclusion"),
    ("팀 회식에 나만 안 불렀다. 단톡방에도 나만 없었다.", "exclusion"),
    ("팀장님이 내 아이디어를 자기 것처럼 발표했다.", "voice_and_credit"),
    ("감독이 내 자리를 다른 사람에게 줬다.", "loss_of_role"),
    ("아무도 묻지도 않고 나한테 쉬운 일만 맡겼다.", "underestimated"),
    ("내 탓이 아닌데 반장이 나한테 책임을 떠넘겼다.", "unfair_blame"),
    ("딸의 발표회와 회사 일 사이에서 골라야 했다.", "conflicting_duties"),
    ("전학 간 학교에서 아이들이 내 사투리를 흉내 냈다.", "otherness"),
])
def test_a_korean_memory_that_shares_the_scenarios_structure_fits_it(memory, theme):
    spec = next(s for s in korean_scenarios() + library_korean_versions()
                if analyze_scenario(s).relational_themes[0] == theme)
    score, found = memory_fit(memory, analyze_scenario(spec))
    assert score >= MIN_MEMORY_SCORE and found == theme, (spec.slug, score, found)


@pytest.mark.parametrize("avoid, text", [
    ("아버지의 병", "아빠가 갑자기 입원하셨다."), ("아버지의 병", "병원에서 진단을 받았다."),
    ("아버지의 병", "치료가 길어졌다."), ("아버지의 병", "입원실 앞에서 기다렸다."),
    ("my father's illness", "아빠가 병원에 입원했다."), ("아버지의 병", "My dad was in hospital."),
    ("강아지", "산책을 하다가 반려견이 다쳤다."), ("술", "회식 자리에서 있었던 일이다."),
])
def test_a_korean_avoid_request_covers_its_topics_neighbourhood(avoid, text):
    assert mentions_avoided(text, avoid_patterns((avoid,)))


def test_a_hangul_avoid_word_does_not_swallow_longer_unrelated_words():
    assert not mentions_avoided("좋은 아이디어를 냈다.", avoid_patterns(("아이",)))


# --- retelling -------------------------------------------------------------------------------------

def test_a_memory_is_retold_in_the_second_person_in_one_polite_register():
    told = korean.second_person("나는 합창단에서 10년 동안 총무를 했다. 그런데 지휘자가 내 자리를 신입에게 줬다. "
                                "제가 그걸 알았을 때 저를 아무도 보지 않았습니다. 우리 팀은 몰랐어. 날 빼고 다 갔다.")
    assert told == ("당신은 합창단에서 10년 동안 총무를 했어요. 그런데 지휘자가 당신의 자리를 신입에게 줬어요. "
                    "당신이 그걸 알았을 때 당신을 아무도 보지 않았어요. 당신 팀은 몰랐어요. 당신을 빼고 다 갔어요.")


def test_what_someone_else_said_is_kept_as_they_said_it():
    told = korean.second_person('코치는 "다 너 때문이야"라고 했다.')
    assert told == '코치는 "다 너 때문이야"라고 했어요.'


def test_a_korean_memory_that_names_its_feeling_is_retold_without_the_name():
    spec = next(s for s in korean_scenarios() if s.slug == "ko-left-out-of-the-welcome-dinner")
    memory = "친구들이 나만 빼고 여행을 갔고, 사진을 보고 알았는데 너무 서운했다. 그때 정말 외로웠다."
    result = generate(spec, ProfileSpec(language="ko", experiences=[{"text": memory}]))
    assert result.source.kind == "own_experience"
    assert "친구들이 당신만 빼고 여행을 갔고, 사진을 보고 알았어요." in result.text
    assert not {"서운", "외롭"} & set(stems(result.text))


# --- the rules, as properties over our Korean participants ----------------------------------------------

def test_every_check_passes_on_every_korean_sample():
    failing = [(s.scenario.slug, s.profile.key, k)
               for s in all_samples() for k, ok in s.result.checks.items() if not ok]
    assert failing == []


def test_every_analogy_for_a_korean_participant_is_korean():
    assert [(s.scenario.slug, s.profile.key, round(s.hangul, 2)) for s in all_samples() if s.hangul < 0.9] == []


def test_every_korean_analogy_is_personal_and_carries_no_one_elses_words():
    for sample in all_samples():
        # their own words, or their own domain as they wrote it (it may also be a word of the scenario's)
        quoted = any(d in sample.result.text for d in sample.profile.spec.domains)
        assert sample.own_words > 0 or quoted, (sample.scenario.slug, sample.profile.key)
        assert not sample.foreign_words, (sample.scenario.slug, sample.profile.key, sample.foreign_words)


def test_the_own_korean_memory_is_used_wherever_it_clearly_fits():
    expected = [s for s in all_samples() if s.memory_expected]
    assert len(expected) >= 20
    missed = [(s.scenario.slug, s.profile.key) for s in expected if not s.memory_used]
    assert len(missed) <= len(expected) // 10, missed


def test_no_korean_avoid_request_is_broken_not_even_by_a_memory_that_touches_the_topic():
    assert [(s.scenario.slug, s.profile.key) for s in all_samples() if s.avoid_broken] == []
    for sample in (s for s in all_samples() if s.profile.key == "misook"):
        assert not {"아버지", "병원", "입원", "여동생"} & set(stems(sample.result.text))


def test_no_korean_analogy_names_a_target_feeling():
    assert [(s.scenario.slug, s.profile.key, s.label_named) for s in all_samples() if s.label_named] == []


# Read independently of the engine's own matcher: word roots that name each feeling in Korean.
LABEL_ROOTS = {
    "anger": ("분노", "화가 나", "화가 났", "화났", "화나"), "frustration": ("좌절", "답답", "짜증"),
    "resentment": ("원망", "억울", "분했", "분하"), "sadness": ("슬프", "슬픔", "슬펐", "서글"),
    "loneliness": ("외로", "외롭", "쓸쓸", "고독", "소외감"), "hurt": ("상처", "서운", "섭섭", "속상"),
    "disappointment": ("실망", "낙담", "허탈"), "shame": ("수치", "부끄러", "부끄럽"),
    "embarrassment": ("창피", "민망", "무안", "쑥스러"), "humiliation": ("굴욕", "모욕감", "치욕", "수모"),
    "guilt": ("죄책", "죄스러", "자책"), "anxiety": ("불안", "초조"), "fear": ("두려", "두렵", "무섭", "공포"),
    "insecurity": ("불안", "위축", "열등감"), "helplessness": ("무력", "무기력", "속수무책", "막막"),
    "confusion": ("혼란", "당황", "헷갈", "어리둥절"), "jealousy": ("질투", "시샘", "부러워", "부럽"),
    "pride": ("자부심", "뿌듯", "자랑스러"), "relief": ("안도", "안심", "홀가분"), "hope": ("희망",),
    "gratitude": ("감사", "고마", "고맙"), "joy": ("기쁨", "기쁘", "즐거", "즐겁", "행복"),
    "surprise": ("놀라", "놀랍", "깜짝"), "disgust": ("역겹", "역겨", "혐오", "구역질", "메스꺼"),
}


def test_no_korean_analogy_contains_a_word_that_names_a_target_feeling():
    named = [(s.scenario.slug, s.profile.key, root) for s in all_samples() for label in s.result.emotions
             for root in LABEL_ROOTS[label] if root in s.result.text]
    assert named == []


def test_particles_agree_in_every_korean_analogy():
    bad = [(s.scenario.slug, s.profile.key, s.particles_bad) for s in all_samples() if s.particles_bad]
    assert bad == []
    for sample in all_samples():
        for pair in ("이/가", "은/는", "을/를", "과/와", "으로/로", "{", "}"):
            assert pair not in sample.result.text, (sample.scenario.slug, sample.profile.key)


def test_the_lexicon_reads_the_target_feelings_in_korean():
    m = measures(list(all_samples()))
    assert m["evoked_median"] >= 0.8
    assert m["evoked_min"] >= 0.6


def test_at_most_one_korean_sentence_in_ten_is_stock():
    share, common = stock_sentences([s.result.text for s in judge_sized_samples()])
    assert share <= 0.10, common[:5]


def test_no_two_korean_participants_analogies_are_alike():
    similarity, pair = max_pair_similarity(list(judge_sized_samples()))
    assert similarity <= 0.5, pair


def test_no_korean_injection_is_obeyed():
    assert [(s.scenario.slug, s.profile.key) for s in all_samples() if s.injection_obeyed] == []
    junho = [s for s in all_samples() if s.profile.key == "junho"]
    assert junho and all(s.result.source.kind != "own_experience" for s in junho)
    assert all("해적" not in s.result.text for s in junho)


@pytest.mark.parametrize("domain, right, wrong", [
    ("아들 초등학교 축구팀 코치", "코치", ["팀 동료", "선수들"]),
    ("직장인 밴드에서 기타 치기", "밴드", ["지휘자", "합창", "정기 연주회"]),
    ("딸 수영 클럽 학부모", "학부모", ["같은 레인", "수영 동호회 사람들"]),
    ("동네 텃밭 모임 총무", "텃밭", ["공방"]),
])
def test_a_korean_participant_keeps_their_own_role_in_their_own_world(domain, right, wrong):
    for spec in korean_scenarios():
        result = generate(spec, ProfileSpec(language="ko", domains=[domain]))
        assert result.source.kind == "domain"
        assert right in result.text, (spec.slug, result.text)
        assert not [w for w in wrong if w in result.text], (spec.slug, result.text)


# --- languages of the scenario and of the participant -------------------------------------------------------

def test_a_korean_participant_gets_korean_even_when_the_scenario_is_english_only():
    profile = ProfileSpec(language="ko", domains=["교회 성가대"])
    for spec in english_library()[:6]:
        result = generate(spec, profile)
        assert all(result.checks.values()), (spec.slug, result.checks)
        assert korean.hangul_share(result.text, (spec.perspective.name,)) >= 0.9, result.text
        assert f"{spec.perspective.name} 씨" in result.bridge
        assert all(korean.hangul_share(p.analogy) >= 0.9 for p in result.mapping)


def test_the_bridge_uses_the_korean_scenarios_own_name_and_role():
    spec = next(s for s in korean_scenarios() if s.slug == "ko-campaign-under-the-leads-name")
    result = generate(spec, ProfileSpec(language="ko", domains=["보드게임 모임"]))
    assert "마케팅팀 대리 이도현 씨" in result.bridge
    assert result.mapping[0].scenario == "이도현 씨, 마케팅팀 대리"
    assert result.mapping[0].analogy.startswith("당신")
    for pronoun in (" 그녀", " 그는", " 그가"):
        assert pronoun not in result.bridge


def test_an_english_domain_typed_by_a_korean_participant_gets_korean_around_their_own_words():
    spec = next(s for s in korean_scenarios() if s.slug == "ko-blamed-for-the-missing-pallet")
    result = generate(spec, ProfileSpec(language="ko", domains=["football"]))
    assert result.source.kind == "domain" and "football" in result.text
    assert all(result.checks.values()), result.checks
    assert korean.hangul_share(result.text, ("football",)) >= 0.9


def test_an_english_participant_still_gets_english_for_a_korean_scenario():
    spec = next(s for s in korean_scenarios() if s.slug == "ko-left-out-of-the-welcome-dinner")
    result = generate(spec, ProfileSpec(domains=["choir"]))
    assert korean.hangul_share(result.text, ("박서윤",)) < 0.1


# --- the checks read Korean -------------------------------------------------------------------------

def test_the_checks_refuse_korean_that_breaks_the_rules():
    spec = next(s for s in korean_scenarios() if s.slug == "ko-left-out-of-the-welcome-dinner")
    structure = analyze_scenario(spec)
    pmap = map_participant(ProfileSpec(language="ko", domains=["합창단"], avoid=["아버지의 병"]))
    good = generate(spec, ProfileSpec(language="ko", domains=["합창단"], avoid=["아버지의 병"])).text
    assert all(run_checks(good, structure, set(), pmap, set(pmap.own_words)).values())

    def failing(text: str) -> set[str]:
        return {k for k, ok in run_checks(text, structure, set(), pmap, set(pmap.own_words)).items() if not ok}

    assert "no_target_label" in failing(good + " 합창단에서 그날 정말 외로웠어요.")
    assert "no_avoided_topic" in failing(good + " 합창단에 가는 날 아빠는 입원해 계셨어요.")
    assert "readable_language" in failing(good.replace("합창단", "합창단이/가", 1))
    assert "readable_language" in failing(good + " " + "This part is all in English, and it is long enough to tip "
                                          "the balance of letters well away from Hangul for any reader.")
    assert "own_text_only" in failing(good.replace("합창단", "해적선", 1))


# --- the Korean data keeps the English structure ---------------------------------------------------------

def test_the_korean_data_has_the_english_structure():
    for theme in RELATIONAL_THEMES:
        english, korean_bank = load_data(f"bank/{theme}.yaml"), lang_data(f"bank/{theme}.yaml", "ko")
        en_frames = {f["id"] for f in english["frames"]}
        assert len(korean_bank["frames"]) >= 3
        assert {f["id"] for f in korean_bank["frames"]} <= en_frames
        assert {f["id"] for f in korean_bank["universal"]} == {f["id"] for f in english["universal"]}
        for frame in korean_bank["frames"] + korean_bank["universal"]:
            assert set(frame) == {"id", "title", "text", "who", "happened", "where"}, (theme, frame["id"])
    families, ko_families = load_data("families.yaml"), lang_data("families.yaml", "ko")
    assert set(ko_families) == set(families)
    for fid, info in families.items():
        assert set(ko_families[fid]["words"]) == set(info["words"]), fid
    worlds, ko_worlds = load_data("worlds.yaml"), lang_data("worlds.yaml", "ko")
    assert set(ko_worlds["worlds"]) == set(worlds["worlds"])
    assert set(ko_worlds["roles"]) == set(worlds["roles"])
    evoke, ko_evoke = load_data("evoke.yaml"), lang_data("evoke.yaml", "ko")
    assert set(ko_evoke["cost"]) == set(evoke["cost"]) == set(EMOTIONS)
    assert set(ko_evoke["stake"]) == set(evoke["stake"]) and set(ko_evoke["stake_own"]) == set(evoke["stake_own"])
    phrases, ko_phrases = load_data("phrases.yaml"), lang_data("phrases.yaml", "ko")
    assert set(phrases) <= set(ko_phrases)
    assert set(ko_phrases["intro"]) == set(phrases["intro"])
    assert set(ko_phrases["memory_lead"]) == set(phrases["memory_lead"]) == set(RELATIONAL_THEMES)
    inference = lang_data("inference.yaml", "ko")
    assert set(inference["happened"]) == set(RELATIONAL_THEMES) == set(inference["event_patterns"])
    assert set(lang_data("vocabulary.yaml", "ko")["emotions"]) == set(EMOTIONS)


def _korean_templates() -> list[str]:
    out = []
    for theme in RELATIONAL_THEMES:
        data = lang_data(f"bank/{theme}.yaml", "ko")
        out += [f[k] for f in data["frames"] + data["universal"] for k in ("text", "who", "happened", "where")]
    evoke = lang_data("evoke.yaml", "ko")
    out += [t for key in ("cost", "stake", "stake_own") for pool in evoke[key].values() for t in pool]
    phrases = lang_data("phrases.yaml", "ko")
    out += [t for pools in phrases["intro"].values() for pool in pools.values() for t in pool]
    out += phrases["bridge"] + [t for pool in phrases["memory_lead"].values() for t in pool]
    out += [t for pool in lang_data("inference.yaml", "ko")["happened"].values() for t in pool]
    return out


def test_no_korean_template_names_a_feeling_or_leaves_a_slot_without_its_particle():
    from workshop.engine.vocabulary import korean_named

    # A slot directly followed by a particle that alternates must ask for it ({group:이/가}); these do not alternate.
    fixed = ("의", "에", "에서", "에게", "도", "만", "까지", "처럼", "보다", "부터", "한테", "조차", "마다", "끼리",
             "인", "께", "씩", "들", "님", "씨", "라며", "이라며")
    slot = re.compile(r"\{(\w+)(?::[^{}]*)?\}")
    for template in _korean_templates():
        plain = slot.sub(" ", template)
        assert not korean_named(list(stems(plain))), template
        for match in re.finditer(r"\{\w+\}([\uac00-\ud7a3]+)", template):
            assert match.group(1).startswith(fixed), template


def test_every_korean_template_sentence_carries_a_slot():
    """A sentence with no slot of the participant's or the scenario's would be the same for everyone: stock."""
    for theme in RELATIONAL_THEMES:
        for frame in lang_data(f"bank/{theme}.yaml", "ko")["frames"]:
            for sentence in korean.sentences(frame["text"]):
                assert "{" in sentence, (theme, frame["id"], sentence)
    evoke = lang_data("evoke.yaml", "ko")
    phrases = lang_data("phrases.yaml", "ko")
    for template in [t for key in ("cost", "stake", "stake_own") for pool in evoke[key].values() for t in pool] + \
            phrases["bridge"]:
        for sentence in korean.sentences(template):
            assert "{" in sentence, sentence


def test_analogies_for_one_korean_participant_differ_across_scenarios():
    for profile in load_sample_profiles(SAMPLE_PROFILES_KO):
        texts = [s.result.text for s in all_samples() if s.profile.key == profile.key]
        for a, b in itertools.combinations(texts, 2):
            assert a != b


# --- the LLM path's checks read Korean too --------------------------------------------------------------

def test_an_llm_reply_in_english_for_a_korean_participant_is_repaired_then_left_to_the_builtin_engine(
        llm, llm_server):
    """The fake model answers in English: for a Korean participant that fails the Korean readability check, the
    repair request asks for Korean, and the built-in engine's Korean analogy is the answer."""
    spec = next(s for s in korean_scenarios() if s.slug == "ko-left-out-of-the-welcome-dinner")
    result = generate(spec, ProfileSpec(language="ko", domains=["합창단"]), engine="openai", llm=llm)
    first, repair = llm_server.chat_requests("analogy")
    assert "natural Korean in 해요체" in repair.messages[3]["content"]
    assert result.engine == "builtin" and "readable_language" in result.fallback_reason
    assert korean.hangul_share(result.text, (spec.perspective.name,)) >= 0.9
    assert all(result.checks.values())
