"""Inter-reader agreement: the second reader's blind reading against the annotators' corpus.

Usage, from the root of the repository:
    python docs/second-reading/agreement.py [--annotations DIR] [--documents DIR] [--out FILE]
                                            [--propositions FILE]

Reads reader2-<doc>.yaml (beside this script) and <annotations>/<doc>.yaml for the five documents
(by default corpus/annotations and corpus/documents of the checkout the script is in), aligns claims
by id, and writes a Markdown table of agreement per field (to --out, else to stdout):

- single-valued fields (claimant, voiced_by, stance, date): observed agreement; Cohen's kappa for
  claimant and stance. Dates are compared after filling an absent date with the date of the piece
  the claim's first quote falls in (document metadata `pieces`, else the document's date), as the
  annotation guide prescribes; "compatible" counts one date being a prefix of the other
  (2025 vs 2025-11).
- set-valued fields (against, concerns, invokes, schemes, affirms, denies, and each relation kind):
  exact-set agreement, mean Jaccard (both empty = 1), mean Jaccard over the claims where either
  reader has a value, and micro precision/recall/F1 of the second reader against the annotators
  over (claim, value) pairs.
- relations at the level of the corpus: rebuts as undirected pairs (it is symmetric), the other
  kinds as directed pairs, and attacks of any kind (rebuts, undercuts, undermines, attacks) both
  as directed and as undirected pairs.

Propositions get no score: the script writes both readings side by side (--propositions) for the
reader to list the pairs that say materially different things.

The recorded agreement-table.md and propositions-side-by-side.md were measured against the
annotations as they were before the adjudication (commit adb0a7b); run against today's corpus,
the script measures agreement with the adjudicated corpus instead (AGREEMENT.md).

Standard library + PyYAML only.
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "corpus"
DOCS = [
    "amnesty-2026-02-03",
    "blitz-no-one-is-safe-2026-01",
    "maduro-last-chance-2025-12-01",
    "nam-friends-condemn-2025-11",
    "sg-alarmed-2026-01-03",
]
SINGLE = ["claimant", "voiced_by", "stance", "date"]
SETS = ["against", "concerns", "invokes", "schemes", "affirms", "denies"]
RELATIONS = ["rebuts", "undercuts", "undermines", "attacks", "supports"]
ATTACK_KINDS = ["rebuts", "undercuts", "undermines", "attacks"]


def as_set(value) -> frozenset:
    """A field that may be absent, null, a scalar or a list, as a set of strings."""
    if value is None:
        return frozenset()
    if isinstance(value, (list, tuple, set, frozenset)):
        return frozenset(str(v) for v in value if v is not None)
    return frozenset([str(value)])


def as_scalar(value) -> str | None:
    if value is None or value == "" or value == []:
        return None
    return str(value)


def normalise(text: str) -> str:
    """Straight quotes, plain spaces and hyphens, collapsed white space (the loader's matching)."""
    table = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
             "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u202f": " "}
    text = unicodedata.normalize("NFC", text)
    text = "".join(table.get(ch, ch) for ch in text)
    return re.sub(r"\s+", " ", text)


def first_quote(claim: dict) -> str | None:
    if claim.get("quote"):
        q = claim["quote"]
    elif claim.get("quotes"):
        q = claim["quotes"][0]
    else:
        return None
    return q["exact"] if isinstance(q, dict) else q


def default_date(doc_id: str, documents: Path, quote: str | None) -> str | None:
    """The date of the piece the quote falls in, else the document's date."""
    meta = yaml.safe_load((documents / f"{doc_id}.yaml").read_text(encoding="utf-8"))
    text = normalise((documents / f"{doc_id}.txt").read_text(encoding="utf-8"))
    date = as_scalar(meta.get("date"))
    pieces = meta.get("pieces") or []
    if not pieces or not quote:
        return date
    pos = text.find(normalise(quote))
    if pos < 0:
        return date
    starts = sorted((text.find(normalise(p["starts_at"])), str(p["date"])) for p in pieces)
    for start, piece_date in starts:
        if 0 <= start <= pos:
            date = piece_date
    return date


def load(doc_id: str, path: Path, documents: Path, blind_quotes: dict) -> dict[str, dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = {}
    for c in data["claims"]:
        rec = {f: as_scalar(c.get(f)) for f in SINGLE if f != "date"}
        quote = first_quote(c) or blind_quotes.get(c["id"])
        rec["date"] = as_scalar(c.get("date")) or default_date(doc_id, documents, quote)
        for f in SETS + RELATIONS:
            rec[f] = as_set(c.get(f))
        prop = c.get("proposition")
        rec["proposition"] = (prop.get("en") if isinstance(prop, dict) else prop) or ""
        rec["doc"] = doc_id
        out[c["id"]] = rec
    return out


def kappa(pairs: list[tuple]) -> float:
    """Cohen's kappa for two raters over nominal labels (None is a label)."""
    n = len(pairs)
    if n == 0:
        return float("nan")
    po = sum(a == b for a, b in pairs) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def jaccard(a: frozenset, b: frozenset) -> float:
    return 1.0 if not a and not b else len(a & b) / len(a | b)


def prf(mine: set, theirs: set) -> tuple[float, float, float, int, int, int]:
    tp = len(mine & theirs)
    p = tp / len(mine) if mine else float("nan")
    r = tp / len(theirs) if theirs else float("nan")
    f = 2 * p * r / (p + r) if mine and theirs and (p + r) else 0.0 if (mine or theirs) else float("nan")
    return p, r, f, tp, len(mine), len(theirs)


def undirected(edges: set[tuple[str, str]]) -> set[frozenset]:
    return {frozenset(e) for e in edges}


def edges(claims: dict[str, dict], kinds: list[str]) -> set[tuple[str, str]]:
    return {(cid, t) for cid, c in claims.items() for k in kinds for t in c[k]}


def fmt(x: float) -> str:
    return "n/a" if x != x else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--annotations", type=Path, default=CORPUS / "annotations",
                    help="the annotators' files (default: corpus/annotations of this checkout)")
    ap.add_argument("--documents", type=Path, default=CORPUS / "documents",
                    help="the documents and their metadata (default: corpus/documents)")
    ap.add_argument("--out", type=Path, default=None,
                    help="where to write the agreement tables (default: stdout)")
    ap.add_argument("--propositions", type=Path, default=None,
                    help="where to write the propositions side by side (default: not written)")
    args = ap.parse_args(argv)

    mine: dict[str, dict] = {}
    theirs: dict[str, dict] = {}
    for doc in DOCS:
        blind = yaml.safe_load((HERE / f"blind-{doc}.yaml").read_text(encoding="utf-8"))
        bq = {c["id"]: c["quotes"][0] for c in blind["claims"]}
        mine.update(load(doc, HERE / f"reader2-{doc}.yaml", args.documents, bq))
        theirs.update(load(doc, args.annotations / f"{doc}.yaml", args.documents, bq))
    ids = sorted(set(mine) & set(theirs))
    only_mine, only_theirs = sorted(set(mine) - set(theirs)), sorted(set(theirs) - set(mine))

    # Rebuttal is symmetric: a claim's rebuttals are those it writes and those written against it.
    for claims in (mine, theirs):
        back: dict[str, set] = {}
        for cid, c in claims.items():
            for t in c["rebuts"]:
                back.setdefault(t, set()).add(cid)
        for cid, c in claims.items():
            c["rebuts"] = frozenset(c["rebuts"] | back.get(cid, set()))

    lines = [f"Claims compared: {len(ids)} (only in reader 2: {len(only_mine)}; only in the "
             f"annotations: {len(only_theirs)}).", ""]
    lines += ["### Single-valued fields", "",
              "| field | observed agreement | Cohen's kappa | disagreements |",
              "|---|---|---|---|"]
    for f in SINGLE:
        pairs = [(mine[i][f], theirs[i][f]) for i in ids]
        po = sum(a == b for a, b in pairs) / len(pairs)
        k = fmt(kappa(pairs)) if f in ("claimant", "stance") else "—"
        lines.append(f"| {f} | {po:.2f} ({sum(a == b for a, b in pairs)}/{len(pairs)}) | {k} | "
                     f"{sum(a != b for a, b in pairs)} |")
    compat = sum(1 for i in ids if mine[i]["date"] and theirs[i]["date"] and (
        mine[i]["date"].startswith(theirs[i]["date"]) or theirs[i]["date"].startswith(mine[i]["date"])))
    lines.append(f"| date (compatible: one a prefix of the other) | {compat / len(ids):.2f} "
                 f"({compat}/{len(ids)}) | — | {len(ids) - compat} |")

    lines += ["", "### Set-valued fields and relations, per claim (relations as each claim's out-edges; "
              "rebuts symmetric-closed)", "",
              "| field | exact-set agreement | mean Jaccard (all claims) | mean Jaccard (either non-empty) "
              "| micro P | micro R | micro F1 | TP / mine / theirs |",
              "|---|---|---|---|---|---|---|---|"]
    for f in SETS + RELATIONS:
        js = [jaccard(mine[i][f], theirs[i][f]) for i in ids]
        ne = [jaccard(mine[i][f], theirs[i][f]) for i in ids if mine[i][f] or theirs[i][f]]
        exact = sum(mine[i][f] == theirs[i][f] for i in ids)
        m = {(i, v) for i in ids for v in mine[i][f]}
        t = {(i, v) for i in ids for v in theirs[i][f]}
        p, r, f1, tp, nm, nt = prf(m, t)
        lines.append(f"| {f} | {exact / len(ids):.2f} | {sum(js) / len(js):.2f} | "
                     f"{fmt(sum(ne) / len(ne)) if ne else 'n/a'} ({len(ne)}) | {fmt(p)} | {fmt(r)} | "
                     f"{fmt(f1)} | {tp} / {nm} / {nt} |")

    lines += ["", "### Relations over the corpus (edge sets)", "",
              "| relation | reading | micro P | micro R | micro F1 | TP / mine / theirs |",
              "|---|---|---|---|---|---|"]
    rows = [
        ("rebuts", "undirected pairs", undirected(edges(mine, ["rebuts"])),
         undirected(edges(theirs, ["rebuts"]))),
        ("undercuts", "directed", edges(mine, ["undercuts"]), edges(theirs, ["undercuts"])),
        ("undermines", "directed", edges(mine, ["undermines"]), edges(theirs, ["undermines"])),
        ("attacks (plain)", "directed", edges(mine, ["attacks"]), edges(theirs, ["attacks"])),
        ("supports", "directed", edges(mine, ["supports"]), edges(theirs, ["supports"])),
        ("any attack", "directed (rebuts both ways)", edges(mine, ATTACK_KINDS), edges(theirs, ATTACK_KINDS)),
        ("any attack", "undirected pairs", undirected(edges(mine, ATTACK_KINDS)),
         undirected(edges(theirs, ATTACK_KINDS))),
        ("any attack or support", "undirected pairs", undirected(edges(mine, [*ATTACK_KINDS, "supports"])),
         undirected(edges(theirs, [*ATTACK_KINDS, "supports"]))),
    ]
    for name, reading, m, t in rows:
        p, r, f1, tp, nm, nt = prf(set(m), set(t))
        lines.append(f"| {name} | {reading} | {fmt(p)} | {fmt(r)} | {fmt(f1)} | {tp} / {nm} / {nt} |")

    # Stance confusion matrix (rows: annotators; columns: reader 2).
    labels = sorted({mine[i]["stance"] for i in ids} | {theirs[i]["stance"] for i in ids}, key=str)
    conf = Counter((theirs[i]["stance"], mine[i]["stance"]) for i in ids)
    lines += ["", "### Stance confusion (rows: annotators, columns: reader 2)", "",
              "| | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for a in labels:
        lines.append(f"| {a} | " + " | ".join(str(conf[(a, b)] or "") for b in labels) + " |")

    # Field-level disagreement list, for adjudication.
    lines += ["", "### Disagreements by claim", ""]
    for i in ids:
        diffs = []
        for f in SINGLE:
            if mine[i][f] != theirs[i][f]:
                diffs.append(f"{f}: A={theirs[i][f]} / R2={mine[i][f]}")
        for f in SETS + RELATIONS:
            if mine[i][f] != theirs[i][f]:
                diffs.append(f"{f}: A={sorted(theirs[i][f])} / R2={sorted(mine[i][f])}")
        if diffs:
            lines.append(f"- **{i}**: " + "; ".join(diffs))
    table = "\n".join(lines) + "\n"
    if args.out is None:
        sys.stdout.write(table)
    else:
        args.out.write_text(table, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)

    props = ["# Propositions side by side (A = annotators, R2 = second reader)", ""]
    for i in ids:
        props += [f"## {i}", "", f"- A: {' '.join(theirs[i]['proposition'].split())}",
                  f"- R2: {' '.join(mine[i]['proposition'].split())}", ""]
    if args.propositions is not None:
        args.propositions.write_text("\n".join(props), encoding="utf-8")
        print(f"wrote {args.propositions}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
