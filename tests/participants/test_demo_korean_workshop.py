"""The demo's Korean workshop: open, in Korean, with a scenario written for Korean workplaces first, Korean
participants who read Korean (and one who reads English), built once however often the demo runs."""

from workshop.demo import builder
from workshop.scenarios.languages import hangul_share
from workshop.scenarios.services import library_load
from workshop.tenancy.scope import unscoped
from workshop.workshops.selectors import workshop_scenarios


def build(tmp_path) -> list[dict]:
    with unscoped():
        library_load()
        built = builder.build_people(credentials_path=tmp_path / "credentials.json")
        for entry in built:
            for workshop in entry["workshops"]:
                builder.build_participants(workshop=workshop)
    return built


def test_the_demo_builds_one_open_korean_workshop_with_korean_participants_once(db, tmp_path):
    build(tmp_path)
    built = build(tmp_path)  # the demo is safe to run twice
    [northwind, harbor] = built
    assert len(harbor["workshops"]) == 1
    [main, korean] = northwind["workshops"]
    assert (main.language, korean.language, korean.state) == ("en", "ko", "open")
    assert hangul_share(korean.title) > 0.5
    with unscoped():
        scenarios = workshop_scenarios(workshop=korean)
        people = {p.pseudonym: p for p in korean.participants.all()}
        assert main.participants.count() == builder.PARTICIPANTS_PER_WORKSHOP
    assert any(s.language == "ko" for s in scenarios) and all("ko" in s.languages for s in scenarios)
    assert sorted(people) == sorted(["민지", "준호", "서연", "영수", "Sam"])
    assert {name: p.language for name, p in people.items()} == {
        "민지": "ko", "준호": "ko", "서연": "ko", "영수": "ko", "Sam": "en"}
    assert people["서연"].profile["domains"] == ["주말마다 딸과 한강에서 자전거 타기", "보드게임 모임"]
    assert "뒤풀이 술자리" in people["준호"].memories, "a Korean memory that fits the Korean-first scenario"
