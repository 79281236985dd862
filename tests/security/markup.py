"""Reading rendered HTML the way a browser would: which scripts run, which attributes carry code."""

from html.parser import HTMLParser

CODE_URL_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler attribute")
            elif name == "style":
                self.problems.append(f"<{tag} style=...> inline style")
            elif name in URL_ATTRIBUTES and value.replace(" ", "").startswith(CODE_URL_SCHEMES):
                self.problems.append(f"<{tag} {name}={value[:40]}> code URL")
        if tag == "script":
            src = dict(attrs).get("src")
            self.scripts.append(src)
            if not src:
                self.problems.append("<script> without src (inline script)")
        elif tag == "style":
            self.problems.append("<style> element (inline style)")
        elif tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}> element")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    """Every place in the page where markup could run code or apply a style the CSP would have to allow."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def script_sources(html: str) -> list[str | None]:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.scripts
