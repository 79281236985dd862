"""English grammar the composer needs: retelling in the second person, noun phrases from a participant's
own words, gerunds, articles. Small on purpose: it handles the shapes people write in a profile."""

from __future__ import annotations

import re

_SWAPS = [
    (re.compile(r"\b([Ww])(?:as|ere) (?:I|we)\b"), r"\1ere you"), (re.compile(r"\b([Aa])m I\b"), r"\1re you"),
    (re.compile(r"\bI(?:'|’)m\b"), "you're"), (re.compile(r"\bI(?:'|’)ve\b"), "you've"),
    (re.compile(r"\bI(?:'|’)d\b"), "you'd"), (re.compile(r"\bI(?:'|’)ll\b"), "you'll"),
    (re.compile(r"\bwe(?:'|’)re\b", re.I), "you're"), (re.compile(r"\bwe(?:'|’)ve\b", re.I), "you've"),
    (re.compile(r"\bwe(?:'|’)d\b", re.I), "you'd"), (re.compile(r"\bwe(?:'|’)ll\b", re.I), "you'll"),
    (re.compile(r"\bI wasn(?:'|’)t\b"), "you weren't"), (re.compile(r"\bI was\b"), "you were"),
    (re.compile(r"\bI am\b"), "you are"), (re.compile(r"\bI\b"), "you"),
    (re.compile(r"\bmyself\b", re.I), "yourself"), (re.compile(r"\bourselves\b", re.I), "yourselves"),
    (re.compile(r"\bme\b", re.I), "you"), (re.compile(r"\bmy\b", re.I), "your"),
    (re.compile(r"\bmine\b", re.I), "yours"),
    (re.compile(r"\bwe\b", re.I), "you"), (re.compile(r"\bus\b"), "you"), (re.compile(r"\bour\b", re.I), "your"),
    (re.compile(r"\bours\b", re.I), "yours"),
]
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")
_ALWAYS_CAPITAL = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december christmas easter""".split())
_YOU_WAS = re.compile(r"\byou was\b")


def second_person(text: str, *, sentences: bool = True) -> str:
    """Retell a first-person text in the second person, keeping every other word as written. With
    `sentences`, each sentence starts with a capital letter again."""
    for pattern, repl in _SWAPS:
        text = pattern.sub(repl, text)
    text = _YOU_WAS.sub("you were", text)
    if not sentences:
        return text
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def lower_first(text: str) -> str:
    """Lower-case the first letter, unless the phrase looks like a name ("Leeds United") or an acronym."""
    if not text or text.startswith(("I ", "I'")):
        return text
    parts = text.split()
    first = parts[0]
    named = first[:1].isupper() and any(p[:1].isupper() for p in parts[1:])
    if first.lower() in _ALWAYS_CAPITAL or first[1:2].isupper() or named:
        return text
    return text[:1].lower() + text[1:]


_IRREGULAR_ING = {"run": "running", "swim": "swimming", "sit": "sitting", "get": "getting", "put": "putting",
                  "shop": "shopping", "plan": "planning", "jog": "jogging", "lie": "lying", "die": "dying",
                  "be": "being", "see": "seeing", "ski": "skiing"}


def gerund(verb: str) -> str:
    v = verb.lower()
    if v in _IRREGULAR_ING:
        return _IRREGULAR_ING[v]
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")):
        return v[:-1] + "ing"
    return v + "ing"


def article(noun_phrase: str) -> str:
    return "an" if noun_phrase[:1].lower() in "aeiou" else "a"


_SUBJECT_VERB = re.compile(r"^(?:i|we)\s+(?:(?:also|often|still|usually|sometimes)\s+)?([a-z]+)\s+(.+)$", re.I)
_GERUND_FIRST = re.compile(r"^([a-z]+ing)\b(.*)$", re.I)
_PREP_OBJECT = re.compile(r"\b(?:in|with|at|for|on|from)\s+((?:a|an|the|my|our)\s+[^,.;]+)$", re.I)
_DETERMINER = re.compile(r"^(my|our|your|the|a|an)\s+(.+)$", re.I)
_NOT_GERUNDS = frozenset({"thing", "nothing", "something", "everything", "anything", "evening", "morning",
                          "spring", "ring", "king", "wing", "string", "sing", "bring", "sibling", "ceiling",
                          "building", "pudding", "wedding", "clothing", "ping"})


def noun_phrase(text: str) -> str:
    """A participant's phrase as a second-person noun phrase: "my guild" -> "your guild", "a pub band" -> "your
    pub band", "amateur football" -> "your amateur football"."""
    text = second_person(text.strip(), sentences=False)
    match = _DETERMINER.match(text)
    if match:
        det, rest = match.group(1).lower(), match.group(2)
        if det in ("my", "our", "your", "a", "an"):
            return "your " + lower_first(rest)
        return "the " + lower_first(rest)
    return "your " + lower_first(text)


def domain_phrases(text: str) -> tuple[str, str]:
    """(noun phrase, gerund phrase) for a life domain, in the second person. The gerund phrase may be ""."""
    plain = text.strip().rstrip(".!")
    match = _SUBJECT_VERB.match(plain)
    if match:  # "I coach my son's under-9 team"
        verb, rest = match.group(1), match.group(2)
        rest_2p = second_person(rest, sentences=False)
        return noun_phrase(rest), f"{gerund(verb)} {rest_2p}"
    match = _GERUND_FIRST.match(plain)
    if match and match.group(1).lower() not in _NOT_GERUNDS:  # "playing guitar in a pub band"
        activity = second_person(lower_first(plain), sentences=False)
        obj = _PREP_OBJECT.search(plain)
        if obj:
            return noun_phrase(obj.group(1)), activity
        rest = match.group(2).strip()
        if rest and _DETERMINER.match(rest):  # "coaching my son's team"
            return noun_phrase(rest), activity
        return "your " + activity, activity
    return noun_phrase(plain), ""
