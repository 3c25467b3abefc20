"""The words of a synthetic document: sentences around the claims, each claim's quote once.

A benchmark corpus must make the builder do what it does on real texts: find quotes written with
straight quotes in texts set with curly ones, tell a quote from the filler around it, anchor a
repeated pull-quote by its prefix, cut a compilation into pieces. So texts here are made of
varied sentence frames, names, legal phrases and filler paragraphs, in English or Spanish, and
every quote is checked to occur exactly once (twice, with distinct prefixes, for a pull-quote)
before the document is accepted; a document whose wording happens to repeat itself is worded
again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..corpus.quotes import find_quote, normalise
from .plan import ClaimPlan, DocPlan
from .world import World, capital_of, day_text, month_text

# Cores: the words of a claim, ({without a target}, {with one}) per stance. They never make an
# event the subject of a verb that agrees in number ("the air strikes ... was"), so any event fits.
CORES = {
    "en": {
        "alleges-violation": (
            ("{event} violated {norms}", "{event} constituted a flagrant violation of {norms}",
             "{event} cannot be reconciled with {norms}", "{event} amounted to a grave breach of {norms}"),
            ("{target} breached {norms} through {event}", "{target_pos} conduct in {event} is incompatible "
             "with {norms}", "by {event}, {target} has trampled on {norms}", "{target} acted in breach of "
             "{norms} when it carried out {event}", "{target} bears responsibility for violating {norms} "
             "in {event}")),
        "demands-compliance": (
            ("all parties must respect {norms} in relation to {event}", "the obligations under {norms} "
             "must be fully respected by all in the context of {event}"),
            ("{target} must immediately end {event} and comply with {norms}", "{target} should halt "
             "{event} and abide by its obligations under {norms}", "{target} is urged to respect {norms} "
             "and to stop {event}", "{target} must ensure that those responsible for {event} are held to "
             "account under {norms}", "{target} has to bring its conduct in {event} into line with {norms}")),
        "justifies": (
            ("{event} remained fully consistent with {norms}", "every step of {event} respected {norms}",
             "the action taken in {event} is permitted by {norms}", "{event} answered a legitimate need "
             "and respected {norms}"),
            ("{event} came as a lawful response to the threat posed by {target} under {norms}",
             "the measures taken against {target} in {event} are justified under {norms}",
             "{target} left no choice, so {event} fell within {norms}", "{event} remained fully consistent "
             "with {norms} given the conduct of {target}")),
        "denies-allegation": (
            ("{event} did not breach {norms}", "the allegations about {event} have no foundation in "
             "{norms}"),
            ("the accusations by {target} that {event} breached {norms} are false", "there is no basis for "
             "the claim by {target} that {event} violated {norms}", "{event} did not breach {norms}, "
             "whatever {target} alleges", "the allegations made by {target} about {event} have no "
             "foundation in {norms}")),
        "rejects-justification": (
            ("{norms} cannot be invoked to excuse {event}", "no reading of {norms} can justify {event}"),
            ("the justification offered by {target} for {event} has no basis in {norms}", "{target} cannot "
             "invoke {norms} to excuse {event}", "the arguments of {target} that {event} respected the law "
             "do not withstand scrutiny under {norms}", "nothing in {norms} allows {target} to carry out "
             "{event}")),
        "affirms-norm": (
            ("the obligations under {norms} bind every State without exception", "under {norms}, no State "
             "may set aside its obligations for reasons of domestic policy", "the obligations set out in "
             "{norms} apply at all times, including during {event}", "the rules in {norms} remain the "
             "cornerstone of the international legal order", "respect for {norms} is not optional for any "
             "member of the international community", "{event} served as a reminder that {norms} must be "
             "upheld by all", "{norms} must guide every response to {event}", "what is at stake in {event} "
             "is the authority of {norms}", "no political aim can override {norms}", "the duties laid down "
             "in {norms} admit no exception for {event}"),
            ()),
    },
    "es": {
        "alleges-violation": (
            ("con {event} se violó {norms}", "lo ocurrido en {event} constituye una violación flagrante de "
             "{norms}", "lo ocurrido en {event} es incompatible con {norms}"),
            ("{target} incumplió {norms} con {event}", "la conducta de {target} en {event} es incompatible "
             "con {norms}", "con {event}, {target} pisoteó {norms}", "{target} es responsable de haber "
             "violado {norms} en {event}")),
        "demands-compliance": (
            ("todas las partes deben respetar {norms} en relación con {event}",),
            ("{target} debe poner fin de inmediato a {event} y cumplir {norms}", "exigimos a {target} que "
             "respete {norms} y detenga {event}", "{target} debe rendir cuentas por {event} conforme a "
             "{norms}", "{target} tiene que ajustar su conducta en {event} a {norms}")),
        "justifies": (
            ("lo actuado en {event} se ajusta plenamente a {norms}", "cada paso de {event} respetó {norms}",
             "la acción emprendida en {event} está amparada por {norms}", "lo hecho en {event} respondió a "
             "una necesidad legítima y respetó {norms}"),
            ("lo actuado en {event} fue una respuesta legítima a la amenaza de {target}, conforme a {norms}",
             "las medidas adoptadas contra {target} en {event} están justificadas por {norms}",
             "{target} no dejó otra opción, y lo actuado en {event} es lícito conforme a {norms}")),
        "denies-allegation": (
            ("con {event} no se vulneró {norms}", "no hay fundamento para afirmar que con {event} se violó "
             "{norms}"),
            ("las acusaciones de {target} de que con {event} se violó {norms} son falsas", "con {event} no "
             "se vulneró {norms}, diga lo que diga {target}", "las alegaciones de {target} sobre {event} "
             "carecen de fundamento en {norms}")),
        "rejects-justification": (
            ("nada en {norms} autoriza {event}", "no cabe invocar {norms} para excusar {event}"),
            ("la justificación ofrecida por {target} para {event} carece de base en {norms}", "{target} no "
             "puede invocar {norms} para excusar {event}", "los argumentos de {target} sobre la licitud de "
             "{event} no resisten un examen a la luz de {norms}")),
        "affirms-norm": (
            ("las obligaciones que impone {norms} vinculan a todos los Estados sin excepción",
             "el respeto de {norms} no es optativo para ningún Estado", "{norms} sigue siendo la piedra "
             "angular del orden jurídico internacional", "lo ocurrido en {event} recuerda que todos deben "
             "respetar {norms}", "{norms} debe guiar toda respuesta a {event}", "lo que está en juego en "
             "{event} es la autoridad de {norms}", "ningún objetivo político puede prevalecer sobre {norms}"),
            ()),
    },
}
# Sentence frames around a core; {Core} capitalised, {core} as is.
FRAMES = {
    "en": {
        "own": ("{Core}.", "{Claimant} considers that {core}.", "{Claimant} said today that {core}.",
                "In its view, {core}."),
        "voiced": ("“{Core},” said {person}, {role}.", "{Person}, {role}, said: “{Core}.”",
                   "“{Core},” {person} told reporters."),
        "reported": ("{Claimant} said that {core}.", "In a statement, {claimant} argued that {core}.",
                     "“{Core},” {claimant} said in a statement.", "According to {claimant}, {core}.",
                     "{Claimant} has maintained that {core}."),
        "dated": ("On {day}, {claimant} said that {core}.", "{Claimant} stated on {day} that {core}."),
        "relayed": ("Briefing the press, {reporter} said that {claimant} had argued that {core}.",
                    "{Reporter} relayed the position of {claimant}, which holds that {core}."),
        "again": ("{Claimant} later repeated that {core}.", "The text adds that {core}.",
                  "“{Core},” the statement continues.", "The point is made again: {core}."),
    },
    "es": {
        "own": ("{Core}.", "{Claimant} considera que {core}.", "{Claimant} afirmó hoy que {core}."),
        "voiced": ("“{Core}”, afirmó {person}, en nombre de {claimant}.",
                   "{Person}, en nombre de {claimant}, declaró: “{Core}”."),
        "reported": ("{Claimant} afirmó que {core}.", "Según {claimant}, {core}.",
                     "En un comunicado, {claimant} sostuvo que {core}."),
        "dated": ("El {day}, {claimant} declaró que {core}.",),
        "relayed": ("{Reporter} transmitió la posición de {claimant}, según la cual {core}.",),
        "again": ("{Claimant} reiteró después que {core}.", "El texto añade que {core}."),
    },
}
FILLERS = {
    "en": (
        "The question of {event} has dominated regional diplomacy for weeks.", "Officials in {capital} did "
        "not respond to requests for comment.", "Oil prices rose slightly on the news.", "The Security "
        "Council is expected to meet again later this month.", "Diplomats said consultations would "
        "continue behind closed doors.", "Several governments have called for calm and restraint.", "The "
        "number of people affected remains unclear.", "Humanitarian agencies warned of growing needs in "
        "border areas.", "{Perp} has deployed additional forces in recent days.", "Independent "
        "verification of the reports was not possible.", "The situation remained tense on {day}.",
        "Analysts expect the dispute to reach the General Assembly.", "Legal scholars are divided over "
        "the questions it raises.", "Talks between the two sides stalled in {month}.", "Residents "
        "described a night of explosions and power cuts.", "The figures could not be confirmed.", "A "
        "spokesperson declined to give further details.", "Shipping companies have rerouted vessels away "
        "from the area.", "Regional leaders are due to meet at a summit next month.", "Press freedom groups "
        "said several journalists had been detained.", "The episode is the latest in a series that began "
        "in {month}.", "Earlier statements had been more cautious.", "Families of the victims gathered "
        "outside government buildings.", "The full text of the statement was published online.", "It was "
        "not clear whether further measures were planned.", "Flights to {capital} were suspended for "
        "several hours.", "The opposition called for new protests.", "Officials in {capital} gave a "
        "different account of the events.",
    ),
    "es": (
        "La cuestión de {event} ha dominado la diplomacia regional durante semanas.", "Las autoridades de "
        "{capital} no respondieron a las solicitudes de comentarios.", "El precio del petróleo subió "
        "ligeramente.", "Se espera que el Consejo de Seguridad vuelva a reunirse este mes.", "Varios "
        "gobiernos pidieron calma y moderación.", "La cifra de personas afectadas sigue sin estar clara.",
        "No fue posible verificar de forma independiente los informes.", "La situación seguía siendo "
        "tensa el {day}.", "Las conversaciones entre las partes se estancaron en {month}.", "Un portavoz "
        "declinó dar más detalles.", "Los familiares de las víctimas se reunieron frente a los edificios "
        "oficiales.", "La oposición convocó nuevas protestas.", "Los vuelos a {capital} se suspendieron "
        "durante horas.",
    ),
}
HEADS = {
    "en": {"news report": "{Claimant} condemns {short}", "news report/defends": "{Claimant} defends {short}",
           "opinion": "International law after {short}",
           "press release": "{Claimant}: {short} must be answered under international law",
           "statement": "Statement by {claimant} on {short}", "report": "{Short}: findings and "
           "recommendations", "compilation": "Selected statements on {short}"},
    "es": {"news report": "{Claimant} condena {short}", "news report/defends": "{Claimant} defiende {short}",
           "opinion": "Lo que está en juego en {short}",
           "press release": "{Claimant}: el derecho internacional ante {short}",
           "statement": "Declaración de {claimant} sobre {short}", "report": "{Short}: conclusiones y "
           "recomendaciones", "compilation": "Declaraciones sobre {short}"},
}
FOOTERS = {
    "en": {"news report": "(Reporting by {name}; editing by {name2})", "opinion": "The views expressed are "
           "the author’s own.", "press release": "For more information, contact the press office of "
           "{outlet}.", "statement": "{Capital}, {day}.", "report": "This report is based on interviews "
           "and open sources.", "compilation": "Compiled by {outlet}."},
    "es": {"news report": "(Información de {name}; edición de {name2})", "opinion": "Las opiniones "
           "expresadas son responsabilidad del autor.", "press release": "Para más información, contacte "
           "con la oficina de prensa de {outlet}.", "statement": "{Capital}, {day}.", "report": "Este "
           "informe se basa en entrevistas y fuentes abiertas.", "compilation": "Recopilado por {outlet}."},
}
TRUNCATED = {"en": "Subscribe to continue reading…", "es": "Suscríbase para seguir leyendo…"}
REPORTERS = ("Ana Ferrer", "David Moss", "Lucía Prieto", "Tom Keller", "Inés Varela", "Mark Dunn")
ATTEMPTS = 40


@dataclass(frozen=True)
class Quote:
    exact: str  # as set in the text
    prefix: str | None = None  # words just before it, for a passage that occurs twice


@dataclass(frozen=True)
class Composed:
    text: str
    quotes: dict[str, tuple[Quote, ...]]  # claim id -> its passages
    starts_at: tuple[str, ...]  # the opening words of each piece


class WordingError(Exception):
    """No wording placed every quote exactly once (the caller turns it into a KgError)."""


# What an annotator types for the typographic characters these texts use: the folding of
# kg.corpus.quotes, reduced to those characters so that it costs one translate() per quote.
_STRAIGHT = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("—", "-"), ("–", "-"), ("…", "..."))


def fold(text: str) -> str:
    """``text`` as kg.corpus.quotes folds it, for the characters of synthetic texts (checked per document)."""
    for curly, straight in _STRAIGHT:  # str.replace is many times faster than translate() here
        if curly in text:
            text = text.replace(curly, straight)
    return " ".join(text.split())


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _spanish(text: str) -> str:
    return text.replace(" a el ", " al ").replace(" de el ", " del ").replace("A el ", "Al ")


class _Writer:
    """Words one document; forgets everything when the document must be worded again."""

    def __init__(self, doc: DocPlan, world: World, rng: random.Random):
        self.doc, self.world, self.rng, self.lang = doc, world, rng, doc.language
        self.cores: list[str] = []  # folded cores placed so far, to keep each unique
        self.quotes: dict[str, list[Quote]] = {}
        self.pulls: list[tuple[str, str]] = []  # (claim id, exact) quoted twice
        self.fresh: list[str] = []  # filler sentences not yet used

    def name(self, actor_id: str) -> str:
        actor = self.world.actors[actor_id]
        return actor.text_en if self.lang == "en" else actor.text_es

    def event(self, event_id: str, way: str = "full") -> str:
        """The event as the text names it: in full, short ("the blockade") or dated."""
        event = self.world.event_by_id[event_id]
        if way == "full":
            return event.phrase_en if self.lang == "en" else event.phrase_es
        short = event.kind.short_en if self.lang == "en" else event.kind.short_es
        if way == "dated":
            return f"{short} {'of' if self.lang == 'en' else 'de'} {month_text(event.start, self.lang)}"
        return short

    def norms(self, ids: tuple[str, ...]) -> str:
        book = self.world.norms
        if self.lang == "es":
            cited = "; ".join(book.cite_es[n] for n in ids)
            return f"el derecho internacional ({cited})" if ids else "el derecho internacional"
        if not ids:
            return "international law"
        names = [book.phrase_en[n] for n in ids]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"international law, in particular {listed}" if self.rng.random() < 0.15 else listed

    def core(self, claim: ClaimPlan, avoid: set[str]) -> tuple[str, str] | None:
        """A fresh wording of the claim that contains no other quote and is in none."""
        bare, targeted = CORES[self.lang][claim.stance]
        templates = [t for t in (targeted if claim.against and targeted else bare) if t not in avoid]
        dated = self.world.event_by_id[claim.event].part_of is not None  # episodes have a month
        ways = ("full", "short", "dated") if dated else ("full", "short")
        pool = [(t, way) for t in templates for way in ways]
        self.rng.shuffle(pool)
        target = self.name(claim.against[0]) if claim.against else ""
        possessive = target + ("’" if target.endswith("s") else "’s")
        norms = self.norms(claim.invokes)
        for template, way in pool:
            text = template.format(event=self.event(claim.event, way), norms=norms,
                                   target=target, target_pos=possessive)
            text = _spanish(text) if self.lang == "es" else text
            folded = fold(text)
            if any(folded in other or other in folded for other in self.cores):
                continue
            self.cores.append(folded)
            return template, text
        return None

    def sentence(self, claim: ClaimPlan, core: str, kind: str) -> tuple[str, str]:
        """The core in a frame of ``kind``, and the quote as the frame sets it (maybe capitalised)."""
        claimant = self.name(claim.claimant)
        fields = {"core": core, "Core": cap(core), "claimant": claimant, "Claimant": cap(claimant)}
        if claim.voiced_by:
            person = self.world.actors[claim.voiced_by]
            fields |= {"person": person.en, "Person": person.en, "role": person.role or ""}
        if claim.reported_by:
            reporter = self.name(claim.reported_by)
            fields |= {"reporter": reporter, "Reporter": cap(reporter)}
        if claim.said_on:
            fields["day"] = day_text(claim.said_on, self.lang)
        frame = self.rng.choice(FRAMES[self.lang][kind])
        exact = cap(core) if "{Core}" in frame else core
        sentence = frame.format(**fields)
        if self.lang == "es":
            sentence = _spanish(sentence)
            if exact not in sentence:
                raise WordingError(claim.id)
        return sentence, exact

    def primary(self, claim: ClaimPlan, core: str) -> tuple[str, str]:
        if claim.pull:
            if claim.voiced_by and self.lang == "en":
                return self.sentence(claim, core, "voiced")
            return f"{cap(core)}.", cap(core)
        if claim.voiced_by:
            return self.sentence(claim, core, "voiced")
        if claim.reported_by:
            return self.sentence(claim, core, "relayed")
        if claim.own:
            return self.sentence(claim, core, "own")
        dated = claim.said_on is not None and self.rng.random() < 0.5
        return self.sentence(claim, core, "dated" if dated else "reported")

    def filler(self, event_id: str) -> str:
        """A sentence of context, each used once in a document while there are fresh ones."""
        event = self.world.event_by_id[event_id]
        phrase = self.event(event_id, "short" if self.rng.random() < 0.5 else "full")
        if not self.fresh:
            self.fresh = list(FILLERS[self.lang])
            self.rng.shuffle(self.fresh)
        text = self.fresh.pop().format(
            event=phrase, capital=capital_of(self.world, event),
            Perp=cap(self.name(event.perpetrators[0])), day=day_text(self.doc.day, self.lang),
            month=month_text(event.start, self.lang))
        return _spanish(text) if self.lang == "es" else text

    def paragraph(self, event_id: str, sentences: int) -> str:
        return " ".join(self.filler(event_id) for _ in range(sentences))

    def claim_paragraphs(self, claims: list[ClaimPlan]) -> list[str]:
        paragraphs: list[str] = []
        later: list[tuple[int, str]] = []  # (position, paragraph) of restatements
        for claim in claims:
            used: set[str] = set()
            found = self.core(claim, used)
            if found is None:
                raise WordingError(claim.id)
            used.add(found[0])
            sentence, exact = self.primary(claim, found[1])
            self.quotes[claim.id] = [Quote(exact)]
            lead = self.filler(claim.event) + " " if self.rng.random() < 0.35 else ""
            paragraphs.append(lead + sentence)
            if claim.pull:
                self.pulls.append((claim.id, exact))
                later.append((len(paragraphs) + self.rng.randint(0, 3), f"“{exact}.”"))
            for _ in range(claim.quotes - 1):
                found = self.core(claim, used)
                if found is None:
                    break
                used.add(found[0])
                sentence, exact = self.sentence(claim, found[1], "again")
                self.quotes[claim.id].append(Quote(exact))
                later.append((len(paragraphs) + self.rng.randint(0, 4), sentence))
            if self.rng.random() < 0.5:
                paragraphs.append(self.paragraph(claim.event, self.rng.randint(1, 4)))
        for position, paragraph in sorted(later, key=lambda p: p[0], reverse=True):
            paragraphs.insert(min(position, len(paragraphs)), paragraph)
        return paragraphs

    def compose(self) -> Composed:
        doc, lang = self.doc, self.lang
        paragraphs = [doc.title]
        starts: list[str] = []
        if doc.genre == "news report":
            capital = capital_of(self.world, self.world.event_by_id[doc.event])
            when = day_text(doc.day, lang) if len(doc.date_text) == 10 else month_text(doc.day, lang)
            paragraphs.append(f"{capital.upper()}, {when} ({self.world.actors[doc.outlet].en}) — "
                              + self.paragraph(doc.event, 2))
        elif doc.author:
            paragraphs.append(("By " if lang == "en" else "Por ") + self.world.actors[doc.author].en)
        if doc.genre != "news report":
            paragraphs.append(self.paragraph(doc.event, self.rng.randint(2, 4)))
        pieces = doc.pieces or [None]
        for index, piece in enumerate(pieces):
            claims = [c for c in doc.claims if c.piece == (index if piece else None)]
            if piece:
                heading = f"{piece.title} ({day_text(piece.day, lang)})"
                starts.append(heading)
                paragraphs.append(heading)
            paragraphs.extend(self.claim_paragraphs(claims))
            if self.rng.random() < 0.5:
                paragraphs.append(self.paragraph(doc.event, self.rng.randint(2, 4)))
        if doc.truncated:
            paragraphs.append(TRUNCATED[lang])
        else:
            paragraphs.append(self.footer())
        text = "\n\n".join(paragraphs) + "\n"
        return self.check(text, tuple(starts))

    def footer(self) -> str:
        doc = self.doc
        first, second = self.rng.sample(REPORTERS, 2)
        place = self.world.actors[doc.outlet].capital or "Geneva"
        text = FOOTERS[self.lang][doc.genre].format(
            name=first, name2=second, outlet=self.name(doc.outlet), Capital=place,
            day=day_text(doc.day, self.lang))
        return _spanish(text) if self.lang == "es" else text

    def check(self, text: str, starts: tuple[str, ...]) -> Composed:
        """Every quote once (a pull-quote twice, told apart by prefixes) and every piece opening once."""
        norm = normalise(text)
        folded = norm.text
        pulled = {claim_id for claim_id, _ in self.pulls}
        for claim_id, quotes in self.quotes.items():
            for quote in quotes:
                want = 2 if claim_id in pulled and quote is quotes[0] else 1
                if _occurrences(folded, fold(quote.exact), want + 1) != want:
                    raise WordingError(claim_id)
        for opening in starts:
            if _occurrences(folded, fold(opening), 2) != 1:
                raise WordingError(opening)
        quotes = {claim_id: tuple(found) for claim_id, found in self.quotes.items()}
        for claim_id, exact in self.pulls:
            needle = fold(exact)
            prefixes = []
            at = folded.find(needle)
            while at != -1:
                words = folded[:at].rstrip().split(" ")[-4:]
                prefixes.append(" ".join(words))
                at = folded.find(needle, at + 1)
            found = tuple(Quote(exact, prefix) for prefix in prefixes)
            if len(found) != 2 or any(len(find_quote(text, q.exact, q.prefix, normalised=norm)) != 1
                                      for q in found):
                raise WordingError(claim_id)
            quotes[claim_id] = found + quotes[claim_id][1:]
        return Composed(text, quotes, starts)


def _occurrences(haystack: str, needle: str, most: int) -> int:
    """How many times ``needle`` occurs (overlaps counted, as the loader counts), up to ``most``."""
    count, at = 0, haystack.find(needle)
    while at != -1 and count < most:
        count += 1
        at = haystack.find(needle, at + 1)
    return count


def compose(doc: DocPlan, world: World, rng: random.Random) -> Composed:
    """The text of ``doc`` and where each claim's quotes are; worded again until all are unique."""
    for _ in range(ATTEMPTS):
        try:
            return _Writer(doc, world, rng).compose()
        except WordingError:
            continue
    raise WordingError(doc.id)


def title(doc: DocPlan, world: World, rng: random.Random) -> str:
    """A headline in the document's genre and language, naming its main speaker and event."""
    writer = _Writer(doc, world, rng)
    speaker = doc.claims[0].claimant if doc.genre == "news report" and doc.claims else doc.outlet
    name, event = writer.name(speaker), writer.event(doc.event)
    genre = doc.genre
    if genre == "news report" and doc.claims and doc.claims[0].stance in ("justifies", "denies-allegation"):
        genre = "news report/defends"
    text = HEADS[doc.language][genre].format(Claimant=cap(name), claimant=name, short=event,
                                                 Short=cap(event))
    return _spanish(text) if doc.language == "es" else text
