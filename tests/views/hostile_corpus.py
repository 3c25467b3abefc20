"""A copy of the bundled corpus with hostile markup in every free-text field the loader accepts.

Used by tests/views/test_hostile_pages.py to push script-shaped text through every page the project
writes. Ids must stay kebab-case (the loader refuses anything else), so the payloads go into
names, labels, aliases, roles, notations, definitions, descriptions, titles, notes, genres,
propositions and a quoted passage. Each field gets its own marker (``[actor-name]``,
``[claim-note]``, ...) before the payloads, so a test can tell which fields a page showed.

The payloads are what an XSS reviewer tries first: a script element, event handlers on an image
and an SVG (one breaking out of an attribute), a script block's end tag, ``javascript:`` links in
HTML and Markdown, template markers for Jinja and JavaScript, matplotlib's mathtext, CDATA and
comment openers, already-escaped entities that a double decode would turn live, and the line
separators that end a JavaScript string. Every handler sets ``window.__pwned`` or calls
``alert``, so a test sees it run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from ..conftest import CORPUS

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    "</script><script>window.__pwned=1</script>",
    "<img src=x onerror=alert(1)>",
    "' onmouseover='window.__pwned=1' x='",
    '<a href="javascript:window.__pwned=1">link</a>',
    "[md link](javascript:window.__pwned=1)",
    "javascript:window.__pwned=1",
    "{{7*7}} ${7*7} {%raw%} #{7*7}",
    "$\\frac{1$ and $x^2$",
    "]]> <!-- <![CDATA[",
    "&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp;",
    "line\u2028separator\u2029paragraph",
)
HOSTILE = " ".join(PAYLOADS)
# What a page's text must contain when a field went through: visible markup, not markup made live.
SHOWN = ("<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=1">',
         "&lt;script&gt;window.__pwned=1&lt;/script&gt;", "{{7*7}} ${7*7}")

# The passage added to a document and quoted by the hostile claim.
HOSTILE_DOCUMENT = "sg-alarmed-2026-01-03"
HOSTILE_SENTENCE = f"Hostile passage begins {HOSTILE} and the hostile passage ends."
HOSTILE_CLAIM = "hostile-quote-claim"
HOSTILE_NORM = "hostile-principle"
HOSTILE_PROVISION = "un-charter-art-2-4-hostile"
HOSTILE_EVENT = "us-attack-2026-01-03"


def hostile(field: str, original: str = "") -> str:
    """``original`` followed by the field's marker and every payload."""
    return f"{original} [{field}] {HOSTILE}".strip()


def _rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000),
                    encoding="utf-8")


def _actors(data: dict) -> None:
    for actor in data["actors"]:
        actor["name"] = {lang: hostile("actor-name", name) for lang, name in actor["name"].items()}
        actor["aliases"] = [*actor.get("aliases", []), hostile("actor-alias", actor["id"])]
        if actor.get("role"):
            actor["role"] = hostile("actor-role", actor["role"])


def _events(data: dict) -> None:
    for event in data["events"]:
        event["label"] = {lang: hostile("event-label", label) for lang, label in event["label"].items()}
        event["description"] = hostile("event-description", event.get("description", ""))
        event["aliases"] = [*event.get("aliases", []), hostile("event-alias", event["id"])]


def _document(data: dict) -> None:
    data["title"] = hostile("document-title", data["title"])
    data["genre"] = hostile("document-genre", data.get("genre") or "")
    data["notes"] = [*data.get("notes", []), hostile("document-note")]
    for piece in data.get("pieces", []):
        piece["title"] = hostile("piece-title", piece["title"])


def _annotations(data: dict) -> None:
    for claim in data["claims"]:
        claim["note"] = hostile("claim-note", claim.get("note", ""))
        proposition = claim["proposition"]
        claim["proposition"] = (
            {lang: hostile("claim-proposition", text) for lang, text in proposition.items()}
            if isinstance(proposition, dict) else hostile("claim-proposition", proposition))


# An official text's URL must be http(s) with only IRI characters (quotes percent-encoded; a raw
# quote is refused by the loader): this one would leave a quoted attribute if decoded on the way.
HOSTILE_URL = "https://example.org/text%27onmouseover=%27window.__pwned=1%27x=%27"
# A corpus extension of the norm catalogue: a principle and a provision, both invoked below.
NORMS = {"norms": [
    {"id": HOSTILE_NORM, "type": "principle", "source_type": "general-principle",
     "notation": hostile("norm-notation"), "text": HOSTILE_URL,
     "label": {"en": hostile("norm-label", "Hostile principle"), "es": hostile("norm-label", "Principio")},
     "definition": hostile("norm-definition"), "aliases": [hostile("norm-alias", "principle")]},
    {"id": HOSTILE_PROVISION, "type": "provision", "source_type": "treaty-provision",
     "part_of": ["un-charter"],
     "notation": hostile("norm-notation", "UN Charter Art. 2(4) bis"),
     "label": {"en": hostile("norm-label", "Provision"), "es": hostile("norm-label", "Disposición")},
     "definition": hostile("norm-definition"), "aliases": [hostile("norm-alias", "provision")]},
]}


def make_hostile_corpus(target: Path) -> Path:
    """Copy the bundled corpus to ``target`` and put the payloads into every text field."""
    shutil.copytree(CORPUS, target)
    _rewrite(target / "catalogues" / "actors.yaml", _actors)
    _rewrite(target / "catalogues" / "events.yaml", _events)
    (target / "catalogues" / "norms.yaml").write_text(
        yaml.safe_dump(NORMS, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    for meta in sorted((target / "documents").glob("*.yaml")):
        _rewrite(meta, _document)
    for annotation in sorted((target / "annotations").glob("*.yaml")):
        _rewrite(annotation, _annotations)
    text = target / "documents" / f"{HOSTILE_DOCUMENT}.txt"
    text.write_text(text.read_text(encoding="utf-8") + f"\n\n{HOSTILE_SENTENCE}\n", encoding="utf-8")

    def add_claim(data: dict) -> None:
        data["claims"].append({
            "id": HOSTILE_CLAIM, "claimant": "USA", "voiced_by": "mike-waltz", "against": "VEN",
            "concerns": HOSTILE_EVENT, "invokes": [HOSTILE_NORM, HOSTILE_PROVISION],
            "stance": "alleges-violation", "attacks": ["ven-moncada-art-2-4"], "date": "2026-01-03",
            "quote": HOSTILE_SENTENCE, "note": hostile("claim-note"),
            "proposition": hostile("claim-proposition", "The strikes broke a hostile principle."),
        })

    _rewrite(target / "annotations" / f"{HOSTILE_DOCUMENT}.yaml", add_claim)
    return target
