"""Three people join one workshop at once on phones, in separate browsers, with a real worker. Every page
they see passes axe-core; one of them works in Korean; one deletes their data at the end."""

import pytest

from tests import factories
from tests.e2e.phone import Phone
from workshop.participants.models import Participant, Response
from workshop.tenancy.scope import unscoped

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PEOPLE = [
    ("Mina", "ko", "동네 축구, 뜨개질", "감독이 결승전 명단을 나에게 묻지도 않고 정했다."),
    ("Tomasz", "en", "amateur football, beekeeping", "The coach picked the cup final team without asking me."),
    ("Aisha", "en", "choir, baking bread", "The choir gave my solo to the new tenor and nobody told me why."),
]


def test_three_people_complete_the_workshop_on_phones_and_one_deletes_their_data(
        browser, live_server, celery_worker, org_a, screenshots):
    workshop = factories.open_workshop(org_a, title="Phones workshop", scenarios=2)
    join_url = f"{live_server.url}/j/{workshop.join_token}/"
    phones = [Phone(browser, name, screenshots, language=lang) for name, lang, _, _ in PEOPLE]

    for phone in phones:  # all three in the room at the same time: each step in turn
        phone.join(join_url)
    for phone, (_, _, domains, memory) in zip(phones, PEOPLE, strict=True):
        phone.profile(domains=domains, memory=memory)
    for position in (1, 2):
        for phone in phones:
            phone.before()
        texts = [phone.analogy_text() for phone in phones]
        assert len(set(texts)) == 3, "each person gets their own analogy"
        for phone in phones:
            phone.after(reflection=f"{phone.name} learned something in scenario {position}.", share=position == 1)

    korean = phones[0].page
    assert korean.locator("html").get_attribute("lang") == "ko"
    assert "요약" in korean.locator("h1").inner_text()
    for phone in phones:
        assert "/p/done/" in phone.page.url
        phone.check("summary")

    leaver = phones[2]
    leaver.page.locator("a[href$='/p/delete/']").click()
    leaver.check("delete")
    leaver.page.locator("button.danger").click()
    leaver.check("deleted")

    with unscoped():
        people = {p.pseudonym: p for p in Participant.objects.filter(workshop=workshop)}
        assert set(people) == {"Mina", "Tomasz", ""}
        assert people["Mina"].language == "ko" and people["Mina"].step == "done"
        assert Response.objects.filter(participant__workshop=workshop).count() == 4
        assert Response.objects.filter(participant=people[""]).count() == 0

    problems = [v for phone in phones for v in phone.violations]
    assert not problems, "axe-core found accessibility problems:\n" + "\n".join(problems)
    for phone in phones:
        phone.context.close()
