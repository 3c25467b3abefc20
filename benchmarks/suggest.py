"""How close `kg suggest`'s drafts come to the corpus's own annotations (issue 16).

Run it from the repository::

    python benchmarks/suggest.py                 # every bundled document
    python benchmarks/suggest.py --small         # the two shortest documents; what the tests run
    python benchmarks/suggest.py --results benchmarks/RESULTS.md   # update the committed numbers

For each document, the corpus is copied to a temporary folder **without that document's
annotation file** (so nothing of it can leak into the draft: not its claims, not their ids), and
`kg suggest` drafts the document there. The draft is compared with the annotation, quote by quote
(offsets in the stored text):

* recall and precision by overlap: the share of annotated claims that some drafted quote
  overlaps, and the share of drafted claims that overlap some annotated claim (lenient: several
  drafts of one claim all count as precise);
* one-to-one recall and precision: annotated and drafted claims paired at most once each (the
  pairs that share the most characters first), the pairs over the annotated and over the drafted
  claims; among those pairs, the share that agree on every field scored below (norms, stance,
  claimant, target, act concerned, schemes);
* among matched pairs (each annotated claim with the draft whose quotes overlap it most):
  agreement on the norms invoked (the same set; and, more leniently, a norm in common or none on
  either side), the stance, the claimant (a claimant left to decide counts as a disagreement) and
  the target (the same set of parties `against`) and the legal tests applied (the same set of
  `schemes`, none on both sides included);
* per document, the drafted propositions left to decide and the candidate relations drafted;
  among matched pairs, the annotated relations to other documents' claims (the only ones a draft
  can propose) and the share the paired draft proposes (as any kind; as the same kind).

Claims of the other documents stay in the copy: the issue allows them as link targets.
It writes the ``suggest`` section of ``build/benchmarks/RESULTS.md`` (or ``--results FILE``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

try:  # run as a module (tests: benchmarks.suggest) or as a script (python benchmarks/suggest.py)
    from .results_file import update_section
except ImportError:
    from results_file import update_section

from kg.corpus.loader import load_corpus
from kg.corpus.models import Claim
from kg.suggest.assistant import suggest
from kg.suggest.draft import DraftClaim

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGETS = {"recall": 0.85, "precision": 0.65}
RELATIONS = ("rebuts", "undercuts", "undermines", "attacks", "supports")


@dataclass
class Scores:
    annotated: int = 0
    recalled: int = 0
    drafted: int = 0
    precise: int = 0
    pairs: int = 0
    norms: int = 0
    norms_lenient: int = 0
    stance: int = 0
    claimant: int = 0
    target: int = 0
    schemes: int = 0
    one_to_one: int = 0  # pairs of an annotated and a drafted claim, each used once
    all_fields: int = 0  # ... that agree on norms, stance, claimant, target, act and schemes
    open_propositions: int = 0
    relations: int = 0
    linked: int = 0  # annotated relations to other documents' claims, among matched pairs
    linked_found: int = 0  # ... that the paired draft proposes, as any kind
    linked_kind: int = 0  # ... as the same kind
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for name in ("annotated", "recalled", "drafted", "precise", "one_to_one", "all_fields", "pairs",
                     "norms", "norms_lenient",
                     "stance", "claimant", "target", "schemes", "open_propositions", "relations", "linked",
                     "linked_found", "linked_kind", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def share(part: int, whole: int) -> str:
        return f"{part / whole:.2f}" if whole else "–"

    def row(self, name: str) -> str:
        share = self.share
        return (f"| {name} | {self.annotated} | {self.drafted} | {share(self.recalled, self.annotated)} | "
                f"{share(self.precise, self.drafted)} | {share(self.one_to_one, self.annotated)} | "
                f"{share(self.one_to_one, self.drafted)} | {share(self.all_fields, self.one_to_one)} | "
                f"{self.pairs} | {share(self.norms, self.pairs)} | "
                f"{share(self.norms_lenient, self.pairs)} | {share(self.stance, self.pairs)} | "
                f"{share(self.claimant, self.pairs)} | {share(self.target, self.pairs)} | "
                f"{share(self.schemes, self.pairs)} | {self.open_propositions} | {self.relations} | "
                f"{self.linked} | {share(self.linked_found, self.linked)} | "
                f"{share(self.linked_kind, self.linked)} | "
                f"{self.seconds:.2f} |")


def overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Characters shared by two sets of spans."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def compare(annotated: list[Claim], drafted: list[DraftClaim]) -> Scores:
    scores = Scores(annotated=len(annotated), drafted=len(drafted))
    scores.open_propositions = sum("proposition" in d.undecided for d in drafted)
    scores.relations = sum(len(getattr(d, kind)) for d in drafted
                           for kind in RELATIONS)
    spans = {c.id: [(s.start, s.end) for s in c.evidence] for c in annotated}
    for draft in drafted:
        if any(overlap(draft.spans, spans[c.id]) for c in annotated):
            scores.precise += 1
    pairs = sorted(((overlap(d.spans, spans[c.id]), c.id, i) for c in annotated
                    for i, d in enumerate(drafted)), key=lambda t: (-t[0], t[1], t[2]))
    used_claims, used_drafts = set(), set()
    by_id = {c.id: c for c in annotated}
    for shared, claim_id, index in pairs:
        if not shared or claim_id in used_claims or index in used_drafts:
            continue
        used_claims.add(claim_id)
        used_drafts.add(index)
        scores.one_to_one += 1
        scores.all_fields += agrees(by_id[claim_id], drafted[index])
    for claim in annotated:
        best = max(drafted, key=lambda d: overlap(d.spans, spans[claim.id]), default=None)
        if best is None or not overlap(best.spans, spans[claim.id]):
            scores.misses.append(claim.id)
            continue
        scores.recalled += 1
        scores.pairs += 1
        ours, theirs = set(best.invokes), set(claim.invokes)
        scores.norms += ours == theirs
        scores.norms_lenient += bool(ours & theirs) or (not ours and not theirs)
        scores.stance += best.stance == claim.stance
        scores.claimant += best.claimant == claim.claimant
        scores.target += set(best.against) == set(claim.against)
        scores.schemes += set(best.schemes) == set(claim.schemes)
        theirs_links = {(kind, target) for kind in RELATIONS for target in getattr(claim, kind)
                        if target not in spans}  # a draft links only to other documents' claims
        ours_links = {(kind, target) for kind in RELATIONS for target in getattr(best, kind)}
        scores.linked += len(theirs_links)
        proposed = {target for _kind, target in ours_links}
        scores.linked_found += sum(target in proposed for _kind, target in theirs_links)
        scores.linked_kind += len(theirs_links & ours_links)
    return scores


def agrees(claim: Claim, draft: DraftClaim) -> bool:
    """Whether a draft gets every scored field of a claim right."""
    return (set(draft.invokes) == set(claim.invokes) and draft.stance == claim.stance
            and draft.claimant == claim.claimant and set(draft.against) == set(claim.against)
            and set(draft.concerns) == set(claim.concerns) and set(draft.schemes) == set(claim.schemes))


def without_annotation(corpus: Path, document: str, into: Path) -> Path:
    """A copy of ``corpus`` in ``into`` with no annotation of ``document``."""
    copy = into / "corpus"
    shutil.copytree(corpus, copy)
    for path in sorted((copy / "annotations").glob("*.y*ml")):
        text = path.read_text(encoding="utf-8")
        if path.stem == document or f"document: {document}\n" in text:
            path.unlink()
    return copy


def measure(corpus: Path, documents: list[str]) -> tuple[dict[str, Scores], Scores]:
    reference = load_corpus(corpus)
    per_document = {}
    total = Scores()
    for document in documents:
        with tempfile.TemporaryDirectory(prefix="ilkg-suggest-") as folder:
            copy = without_annotation(corpus, document, Path(folder))
            began = time.perf_counter()
            result = suggest(copy, document)
            seconds = time.perf_counter() - began
        annotated = [c for c in reference.claims.values() if c.document == document]
        scores = compare(annotated, list(result.draft.claims))
        scores.seconds = seconds
        per_document[document] = scores
        total.add(scores)
    return per_document, total


def report(per_document: dict[str, Scores], total: Scores, small: bool) -> str:
    head = ("| document | annotated claims | drafted claims | recall | precision | recall 1:1 | "
            "precision 1:1 | all fields (1:1 pairs) | matched pairs | "
            "norms (same set) | norms (one in common) | stance | claimant | target | schemes | "
            "propositions left to decide | candidate relations | annotated cross-document relations | "
            "found | found, same kind | seconds |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = [scores.row(f"`{name}`") for name, scores in per_document.items()]
    rows.append(total.row("**all**"))
    recall = total.recalled / total.annotated if total.annotated else 0.0
    precision = total.precise / total.drafted if total.drafted else 0.0
    verdict = []
    one_recall = total.one_to_one / total.annotated if total.annotated else 0.0
    one_precision = total.one_to_one / total.drafted if total.drafted else 0.0
    for name, value, strict in (("recall", recall, one_recall), ("precision", precision, one_precision)):
        met = "met" if value >= TARGETS[name] else "**not met**"
        strict_met = "met" if strict >= TARGETS[name] else "**not met**"
        verdict.append(f"{name} {value:.2f} by overlap, {strict:.2f} one-to-one (target {TARGETS[name]:.2f}: "
                       f"{met} by overlap, {strict_met} one-to-one)")
    missed = [f"`{claim}`" for scores in per_document.values() for claim in scores.misses]
    lines = [
        "## Annotation assistant (`kg suggest`, issue 16)",
        "",
        "Each bundled document drafted with its own annotation removed from a copy of the corpus, "
        "compared with that annotation (`benchmarks/suggest.py`"
        + (" `--small`: two documents only" if small else "") + "). Recall: annotated claims that a "
        "drafted quote overlaps; precision: drafted claims that overlap an annotated claim (several "
        "drafts of one claim all count). Recall and precision 1:1: each annotated and each drafted "
        "claim paired at most once (largest overlap first); all fields: the 1:1 pairs that agree on "
        "norms, stance, claimant, target, act and schemes. The other agreement columns are shares of "
        "the matched pairs (each annotated claim with the draft that overlaps it most).",
        "",
        head,
        *rows,
        "",
        "Overall: " + "; ".join(verdict) + ".",
        "",
        "Annotated claims no draft overlaps: " + (", ".join(missed) if missed else "none") + ".",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--small", action="store_true", help="the two shortest documents only")
    parser.add_argument("--results", type=Path, default=REPO / "build" / "benchmarks" / "RESULTS.md")
    options = parser.parse_args(argv)
    texts = sorted((options.corpus / "documents").glob("*.txt"), key=lambda p: (p.stat().st_size, p.name))
    documents = [p.stem for p in texts[:2]] if options.small else sorted(p.stem for p in texts)
    per_document, total = measure(options.corpus, documents)
    text = report(per_document, total, options.small)
    print(text)
    update_section(options.results, "suggest", text)
    print(f"wrote the suggest section of {options.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
