"""HTML documentation of the ontology (``ontology/ilkg.ttl``), rendered with pyLODE.

Scholars who write SPARQL need to read what each class and property means without opening Turtle.
pyLODE's OntPub profile turns an OWL ontology into one HTML page: its metadata, then a section per
class and per property (IRI, label, definition, super-classes, domain, range, ...), a list of
namespaces and a table of contents.

The page is self-contained: pyLODE inlines its stylesheet in a ``<style>`` element (the default,
``include_css=True``) and its icons as ``data:`` URIs, and loads no script, font or stylesheet from
elsewhere, so it reads offline. Its only references outward are ordinary links: to the IRIs of
reused terms (PROV-O, SKOS, XSD, ...) and to pyLODE's project page in the footer. It embeds no
generation date; it does name the pyLODE version, so a new pyLODE may change the page.

pyLODE renders the graph it is given as it finds it, which for ilkg.ttl goes wrong in three ways,
so we give it a copy prepared for display (the ontology itself is never changed):

- it prints every label of a term run together ("stateEstado"), having no language choice: the
  copy keeps English text and turns each label or title in another language into a note
  ("Label (es): Estado"), so the Spanish names stay on the page;
- it documents every resource typed ``owl:Class`` or a property, including the reused terms that
  ilkg.ttl declares only for its axioms (``prov:Agent``, ``oa:SpecificResource``, ...), as if this
  ontology defined them: the copy keeps only the ``ilk:`` terms, and links to the others;
- it merges every ``skos:ConceptScheme`` into the ontology's metadata (two titles, the scheme's
  IRI as the ontology's) and has no section for concepts: the copy leaves the stance scheme out
  and lists, in a note on each class, the concepts that are its instances (for ``ilk:Stance``:
  every stance with its notation, definition and scope note).

pyLODE 3.3 (see ``PYLODE_REQUIREMENT``) also lists the members of an ``owl:unionOf`` from a
Python set and serialises its embedded schema.org JSON-LD in hash order, so two renders of the same
file differ. We put both in a fixed order after rendering (union members by IRI, JSON-LD
canonically), which is what makes the output byte-identical from run to run, as every output of
this tool is.

No text of the ontology can become markup or script in the page, although pyLODE would let it:
it passes every literal it shows through Markdown and pastes the result in unescaped, and
Python-Markdown keeps raw HTML and links of any scheme; it also writes the JSON-LD block with
``</script>`` left as it is. While pyLODE renders, its Markdown is one that treats HTML and
entities as text, turns links other than http(s) and ``#`` into text and images into their alt
text (:func:`_text_only_markdown`); the finished page keeps no address but http(s) links, ``#``
fragments and pyLODE's inline icons, wherever pyLODE wrote it (:func:`_web_links_only`: an IRI
such as ``rdfs:isDefinedBy <javascript:...>`` is shown as text); the JSON-LD block is found by
parsing the JSON, not by looking for its end tag, and written with ``<``, ``>`` and ``&`` as
``\\u`` escapes; and a Content-Security-Policy lets no script run and nothing be fetched, as a
second line of defence.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape as escape_html
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..errors import SetupError
from ..graph.namespaces import ILK, ONTOLOGY_IRI
from ..graph.output import check_output, write_atomic
from ..resources import ontology_dir

# The 3.3 series is the last pyLODE that imports on every Python we support: 3.4.1 and 3.4.2 crash on
# import (they read a pyproject.toml their wheels lack), 3.4.2 and later need Python 3.12, and 3.5+
# import a function that no released kurra has any more.
PYLODE_REQUIREMENT = "pylode>=3.3.4,<3.4"

_ILK_NS = str(ILK._NS)
_TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
# Properties whose text in another language than English becomes a note, named by this word.
_NAMED_IN_NOTES = {RDFS.label: "Label", SKOS.prefLabel: "Label", DCTERMS.title: "Title"}


def write_ontology_docs(output: Path | str, *, source: Path | str | None = None) -> Path:
    """Render ilkg.ttl (or another Turtle file of the ontology, ``source``) to one self-contained
    HTML page at ``output`` and return its path.

    The page is written atomically: if pyLODE or the ontology fails, a :class:`SetupError` is
    raised and any earlier page at ``output`` is left as it was.
    """
    target = check_output(output)
    source = Path(source) if source is not None else ontology_dir() / "ilkg.ttl"
    try:
        ontology = Graph(bind_namespaces="core").parse(source, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse error
        raise SetupError(f"cannot read the ontology {source}: {exc}") from exc
    page = _render_page(ontology)
    write_atomic(target, page.encode("utf-8"))
    return target


def _render_page(ontology: Graph) -> str:
    """The HTML page pyLODE makes of ``ontology``, prepared for display and put in a fixed order."""
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in ontology:
        raise SetupError(f"the ontology file declares no <{ONTOLOGY_IRI}> a owl:Ontology; cannot document it")
    ontpub = _import_ontpub()
    try:
        with _root_logger_kept(), _text_only_markdown():
            html = ontpub(ontology=_display_graph(ontology)).make_html()
    except Exception as exc:  # pyLODE raises bare KeyError, ValueError, ... on input it does not expect
        raise SetupError(f"pyLODE could not render the ontology: {type(exc).__name__}: {exc}") from exc
    return _with_csp(_web_links_only(_fix_order(html)))


def _import_ontpub():
    """pyLODE's OntPub class. Importing it is slow (a quarter of a second), hence not at the top."""
    try:
        with _root_logger_kept():
            from pylode import OntPub
    except ModuleNotFoundError as exc:
        if exc.name != "pylode":
            raise _broken_pylode(exc) from exc
        raise SetupError(
            f"pyLODE is not installed; install it with: pip install '{PYLODE_REQUIREMENT}'"
        ) from exc
    except (ImportError, OSError) as exc:  # a version whose own imports fail (see PYLODE_REQUIREMENT)
        raise _broken_pylode(exc) from exc
    return OntPub


def _broken_pylode(exc: BaseException) -> SetupError:
    return SetupError(
        f"the installed pyLODE cannot be imported ({type(exc).__name__}: {exc}); "
        f"install a working one with: pip install '{PYLODE_REQUIREMENT}'"
    )


@contextmanager
def _root_logger_kept() -> Iterator[None]:
    """Undo what pyLODE does to the root logger, so that it prints nothing on the caller's stderr.

    Importing pyLODE 3.3 calls ``logging.basicConfig(level=DEBUG)``, which would make every later
    log record of any library in the process print; while rendering, it logs through the
    module-level ``logging.info``, which installs a stderr handler on a root logger that has none.
    A library must not do either to its caller.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


@contextmanager
def _text_only_markdown() -> Iterator[None]:
    """While pyLODE renders, its ``markdown.markdown`` is :func:`_markdown_as_text`.

    pyLODE calls ``markdown.markdown(literal)`` through the name ``markdown`` of its ``utils``
    module and pastes the HTML in as it is; there is no option to change that, so the name is
    pointed at our function for the duration of a render and put back after.
    """
    import pylode.utils

    original = pylode.utils.markdown
    pylode.utils.markdown = SimpleNamespace(markdown=_markdown_as_text)
    try:
        yield
    finally:
        pylode.utils.markdown = original


def _markdown_as_text(text: str) -> str:
    """Markdown to HTML in which the text's own HTML, entities and unsafe links stay text.

    Python-Markdown passes raw HTML (``<script>``, ``<img onerror=...>``) through and keeps any
    link scheme (``[x](javascript:...)``). Here its raw-HTML and entity handlers are removed, so
    ``<`` and ``>`` come out escaped; ``&`` is written ``&amp;`` whatever follows, so ``&lt;``
    in the ontology reads ``&lt;`` on the page; a link whose address is not http(s) or a ``#``
    fragment becomes its text, and every image its alt text (the page fetches nothing). Emphasis,
    lists, code and ``<https://...>`` links work.
    """
    import markdown
    from markdown.inlinepatterns import InlineProcessor
    from markdown.treeprocessors import Treeprocessor

    class Ampersand(InlineProcessor):
        def handleMatch(self, match, data):  # Python-Markdown names it so
            return self.md.htmlStash.store("&amp;"), match.start(0), match.end(0)

    class WebLinksOnly(Treeprocessor):
        def run(self, root):
            for element in root.iter():
                # An image would be fetched when the page opens: every one becomes its alt text.
                link = element.tag == "a" and _WEB_LINK.match(element.get("href", ""))
                if element.tag == "img" or (element.tag == "a" and not link):
                    element.text = element.text if element.tag == "a" else element.get("alt", "")
                    element.tag = "span"
                    element.attrib.clear()

    converter = markdown.Markdown()
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.inlinePatterns.deregister("entity")
    converter.inlinePatterns.register(Ampersand("&", converter), "ilkg-ampersand", 80)
    converter.treeprocessors.register(WebLinksOnly(converter), "ilkg-web-links", -10)  # runs last
    return converter.convert(text)


_WEB_LINK = re.compile(r"(?:https?://|#)[^\s]*\Z", re.IGNORECASE)
# What else a URL attribute of the finished page may hold: pyLODE's icons, inlined as images.
_INLINE_IMAGE = re.compile(r"data:image/(?:png|gif|jpeg|svg\+xml)[;,]", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "data", "background",
                             "cite", "longdesc", "xlink:href", "ping", "manifest", "icon"})


class _Addresses(HTMLParser):
    """Finds the start tags of a page whose URL attributes point anywhere but an http(s) page, a
    fragment of this one, or (for ``<img>`` and ``<link rel=icon>``) an inline image."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, str]] = []  # (line, column), tag text, new tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        image = tag == "img" or (tag == "link" and "icon" in (dict(attrs).get("rel") or "").split())
        kept = [(name, value) for name, value in attrs
                if name not in _URL_ATTRIBUTES
                or (image and name in ("src", "href") and _INLINE_IMAGE.match((value or "").strip()))
                or (not image and name == "href" and _WEB_LINK.match((value or "").strip()))]
        if len(kept) != len(attrs):
            text = self.get_starttag_text() or ""
            rebuilt = "".join(f" {name}" if value is None else f' {name}="{escape_html(value, quote=True)}"'
                              for name, value in kept)
            self.found.append((self.getpos(), text, f"<{tag}{rebuilt}{'/>' if text.endswith('/>') else '>'}"))

    handle_startendtag = handle_starttag


def _web_links_only(html: str) -> str:
    """The page with every address that is not a web page, a fragment or an inline image taken
    out of its tag (a link keeps its text and stops being a link).

    pyLODE makes a link of every IRI it shows, whatever its scheme: ``rdfs:isDefinedBy
    <javascript:...>`` became ``<a href="javascript:...">``. Checking the finished page covers
    every place pyLODE writes an address, not only the Markdown of comments.
    """
    parser = _Addresses()
    parser.feed(html)
    parser.close()
    if not parser.found:
        return html
    starts = [0, *(match.end() for match in re.finditer("\n", html))]  # offset of each line
    pieces, last = [], 0
    for (line, column), text, rebuilt in parser.found:
        at = starts[line - 1] + column
        if html[at : at + len(text)] != text:
            raise SetupError("could not check the addresses of the page pyLODE wrote; cannot document the "
                             "ontology safely")
        pieces += [html[last:at], rebuilt]
        last = at + len(text)
    return "".join(pieces) + html[last:]


def _display_graph(ontology: Graph) -> Graph:
    """A copy of ``ontology`` for pyLODE: the ontology and its own terms, in English, with notes.

    Triples about the ontology, about ``ilk:`` classes and properties and about blank nodes (unions,
    lists, disjointness axioms) are kept; the rest (reused-term declarations, concept schemes,
    concepts) is left out. pyLODE lays out terms in the order the graph yields them, which for an
    rdflib graph read from a file follows a hash; adding the triples sorted makes every section
    alphabetical by IRI, as a reference page should be, and the same on every run.
    """
    terms = {
        term
        for kind in _TERM_TYPES
        for term in ontology.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and str(term).startswith(_ILK_NS)
    }
    display = Graph(bind_namespaces="core")
    for prefix, namespace in ontology.namespaces():
        display.bind(prefix, namespace, override=True)
    for subject, predicate, value in sorted(ontology):
        if not (isinstance(subject, BNode) or subject == ONTOLOGY_IRI or subject in terms):
            continue
        if isinstance(value, Literal) and value.language and not _is_english(value):
            word = _NAMED_IN_NOTES.get(predicate)
            if word is not None:
                display.add((subject, SKOS.note, Literal(f"{word} ({value.language}): {value}")))
            continue
        display.add((subject, predicate, value))
    for term in sorted(terms):
        note = _instances_note(ontology, term)
        if note is not None:
            display.add((term, SKOS.note, Literal(note, lang="en")))
    return display


def _instances_note(ontology: Graph, cls: URIRef) -> str | None:
    """Markdown listing the SKOS concepts that are instances of ``cls``, or None if there are none.

    pyLODE shows classes and properties only; the stances are individuals, and without this note
    the page would name none of them. Concepts are listed by English label, each with its notation
    (the value annotators write), IRI, definition and scope note.
    """
    concepts = [c for c in ontology.subjects(RDF.type, cls) if (c, RDF.type, SKOS.Concept) in ontology]
    if not concepts:
        return None
    schemes = sorted({s for c in concepts for s in ontology.objects(c, SKOS.inScheme)})
    lines = [
        f"Instances: the concepts of **{_english(ontology, scheme, DCTERMS.title) or scheme}** "
        f"(<{scheme}>). {_english(ontology, scheme, SKOS.definition) or ''}".rstrip()
        for scheme in schemes
    ] or ["Instances:"]
    lines.append("")
    for concept in sorted(concepts, key=lambda c: (_english(ontology, c, SKOS.prefLabel) or "", c)):
        item = f"- **{_english(ontology, concept, SKOS.prefLabel) or concept}**"
        notation = ontology.value(concept, SKOS.notation)
        item += f" (`{notation}`), <{concept}>" if notation is not None else f", <{concept}>"
        definition = _english(ontology, concept, SKOS.definition)
        item += f": {definition}" if definition else ""
        scope = _english(ontology, concept, SKOS.scopeNote)
        item += f" *Scope:* {scope}" if scope else ""
        lines.append(item)
    return "\n".join(lines)


def _english(graph: Graph, subject: URIRef, predicate: URIRef) -> str | None:
    """The English value of ``predicate`` on ``subject``, else one without a language, else None."""
    values = sorted(v for v in graph.objects(subject, predicate) if isinstance(v, Literal))
    chosen = [v for v in values if _is_english(v)] or [v for v in values if not v.language]
    return str(chosen[0]) if chosen else None


def _is_english(literal: Literal) -> bool:
    language = literal.language or ""
    return language == "en" or language.startswith("en-")


# One member of a rendered owl:unionOf / owl:intersectionOf, and the word between two members.
_MEMBER = r'<span>\s*<a href="{href}">[^<]*</a>\s*<sup class="sup-c"[^>]*>c</sup>\s*</span>'
_JOIN = r'\s*<span class="cardinality">(?:or|and)</span>\s*'
_MEMBER_RE = re.compile(_MEMBER.format(href='([^"]*)'))
_SET_CLASS = re.compile("{0}(?:{1}{0})+".format(_MEMBER.format(href='[^"]*'), _JOIN))
_JSON_LD_START = re.compile(r'<script[^>]*type="application/ld\+json"[^>]*>\s*')
_SCRIPT_END = re.compile(r"\s*</script>", re.IGNORECASE)
# What JSON may hold but a <script> element may not: its end tag, comment openers, line separators.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'")


def _fix_order(html: str) -> str:
    """Put what pyLODE emits in hash or memory order into a fixed one; the rest is untouched."""
    html = _SET_CLASS.sub(_sort_members, html)
    return _canonical_json_ld(html)


def _with_csp(html: str) -> str:
    """The page with a Content-Security-Policy first in its head: no script runs, nothing loads."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
    return html.replace("<head>", f"<head>\n    {meta}", 1)


def _sort_members(match: re.Match[str]) -> str:
    """One rendered union (or intersection) with its members sorted by IRI, the joining words kept.

    A union's members have no order in OWL, so sorting changes no meaning.
    """
    text = match.group(0)
    slots = list(_MEMBER_RE.finditer(text))
    pieces, last = [], 0
    for slot, member in zip(slots, sorted(slots, key=lambda m: m.group(1)), strict=True):
        pieces += [text[last : slot.start()], member.group(0)]
        last = slot.end()
    return "".join(pieces) + text[last:]


def _canonical_json_ld(html: str) -> str:
    """The page with its schema.org JSON-LD re-serialised with sorted keys and arrays.

    pyLODE writes the JSON as it is, so a ``</script>`` in a literal ends the element early:
    the block is found by decoding the JSON from its start tag on (strings may hold anything),
    and written back with the characters a script element cannot hold as ``\\u`` escapes.
    """
    start = _JSON_LD_START.search(html)
    if start is None:
        return html
    try:
        data, end = json.JSONDecoder().raw_decode(html, start.end())
    except ValueError:
        raise SetupError("pyLODE wrote a JSON-LD block that is not JSON; cannot document the "
                         "ontology safely") from None
    closing = _SCRIPT_END.match(html, end)
    if closing is None:
        raise SetupError("pyLODE's JSON-LD block does not end where its JSON does; cannot document "
                         "the ontology safely")
    body = json.dumps(_sorted_json(data), indent=2, sort_keys=True, ensure_ascii=False)
    for character, escape in _SCRIPT_ESCAPES:
        body = body.replace(character, escape)
    return f"{html[:start.end()].rstrip()}\n{body}\n</script>{html[closing.end():]}"


def _sorted_json(value):
    """``value`` with every array sorted (JSON-LD arrays are unordered unless they are @list)."""
    if isinstance(value, dict):
        return {key: _sorted_json(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
