"""A participant on a phone, driven through the real pages: each step checked by axe-core and photographed."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
_axe = Axe()


class Phone:
    def __init__(self, browser, name: str, shots: Path, *, language: str = "en"):
        self.context = browser.new_context(**PHONE, locale="ko-KR" if language == "ko" else "en-US")
        self.page = self.context.new_page()
        self.name, self.shots, self.language, self.step = name, shots, language, 0
        self.violations: list[str] = []

    def check(self, label: str) -> None:
        """axe-core on the page as it is now, a screenshot, and no sideways scrolling at 360 px."""
        self.step += 1
        self.page.screenshot(path=str(self.shots / f"{self.name}-{self.step:02d}-{label}.png"), full_page=True)
        results = _axe.run(self.page)
        if results.violations_count:
            self.violations.append(f"{label} ({self.page.url}):\n{results.generate_report()}")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{self.name} scrolls sideways on {label}: {width}px"

    def pick(self, fieldset_index: int, option_index: int) -> None:
        self.page.locator("fieldset.choices").nth(fieldset_index).locator("label.option").nth(option_index).click()

    def submit(self) -> None:
        self.page.locator("form.card button[type=submit]").first.click()

    def join(self, join_url: str) -> None:
        self.page.goto(join_url + (f"?lang={self.language}" if self.language != "en" else ""))
        self.check("join")
        self.page.locator("input[name=pseudonym]").fill(self.name)
        self.page.locator("input[name=consent]").check()
        self.submit()

    def profile(self, *, domains: str, memory: str) -> None:
        while "/personality/" in self.page.url:
            self.check("personality")
            for i in range(self.page.locator("fieldset.choices").count()):
                self.pick(i, 3)
            self.submit()
        self.check("values")
        for value in ("benevolence", "achievement", "self_direction"):
            self.page.locator(f"input[name=values][value={value}]").check()
        self.submit()
        self.check("life")
        self.page.locator("textarea[name=domains]").fill(domains)
        self.submit()
        self.check("memories")
        self.page.locator("textarea[name=memory_1]").fill(memory)
        self.submit()

    def before(self) -> None:
        self.check("before")
        self.pick(0, 0)
        self.pick(0, 1)
        self.pick(1, 2)
        self.pick(2, 2)
        self.submit()

    def analogy_text(self) -> str:
        article = self.page.locator("article.analogy")
        article.wait_for(timeout=60_000)
        self.check("analogy")
        return article.inner_text()

    def after(self, *, reflection: str, share: bool) -> None:
        self.page.locator("a.button").first.click()  # Continue
        self.check("after")
        self.pick(0, 0)
        self.pick(1, 3)
        self.pick(2, 5)
        self.page.locator("textarea[name=reflection]").fill(reflection)
        self.pick(3, 1 if share else 0)
        self.pick(4, 4)
        self.submit()
