"""A draft as an annotation file: exactly the annotation format, with its reasons as comments.

Values are written with PyYAML (so that quoting is always right) and put together by hand, so
that the file can carry comments: the header with the proposed catalogue entries, and the
"left to decide" comment after each ``null`` the reviewer must fill (the loader repeats that
comment as the line ``kg validate`` prints). Field order follows the annotation guide. The same
draft always gives the same bytes.
"""

from __future__ import annotations

import yaml

from ..corpus.loader import LEFT_TO_DECIDE
from .draft import Draft, DraftClaim

WIDTH = 100
HEADER = """\
# Draft annotation of documents/{document}.txt by `kg suggest` (rules over the text and the
# catalogues; nothing here comes from an annotation of this document). Review every claim:
# - check each quote, claimant, stance, party, norm and act against the text; `note:` says why
#   each was suggested (replace it with your own note when you are done);
# - rewrite each `proposition` in your own words (the drafts are templates);
# - fill or remove every `null` marked "left to decide" (`kg validate` lists them), and delete
#   claims that are not legal claims; split or merge where one point is not one claim.
"""


def to_yaml(draft: Draft) -> str:
    lines = HEADER.format(document=draft.document.id).splitlines()
    if draft.proposals:
        lines += ["#", "# Proposed catalogue entries (names the text gives that no catalogue knows; add",
                  "# those you keep, with the fields the catalogue's header asks for):"]
        for proposal in draft.proposals:
            lines.append(f"#   catalogues/{proposal.catalogue}: {proposal.why}")
            fields = dict(proposal.fields)
            if "alias of" in fields:
                continue
            first = True
            for key, value in proposal.fields:
                lines.append(f"#     {'- ' if first else '  '}{key}: {value}")
                first = False
    lines += [f"document: {_scalar(draft.document.id)}", "claims:" if draft.claims else "claims: []"]
    for claim in draft.claims:
        lines += _claim(claim)
    return "\n".join(lines) + "\n"


def _claim(claim: DraftClaim) -> list[str]:
    out = [f"  - id: {claim.id}"]

    def put(key: str, value: object) -> None:
        out.extend(_field(key, value))

    if "claimant" in claim.undecided:
        out.append(f"    claimant: null  # {LEFT_TO_DECIDE} {_one_line(claim.undecided['claimant'])}")
    else:
        put("claimant", claim.claimant)
    if "voiced_by" in claim.undecided:
        out.append(f"    voiced_by: null  # {LEFT_TO_DECIDE} {_one_line(claim.undecided['voiced_by'])}")
    elif claim.voiced_by:
        put("voiced_by", claim.voiced_by)
    if claim.reported_by:
        put("reported_by", claim.reported_by)
    if "against" in claim.undecided:
        out.append(f"    against: null  # {LEFT_TO_DECIDE} {_one_line(claim.undecided['against'])}")
    else:
        put("against", claim.against)
    put("concerns", claim.concerns)
    put("invokes", claim.invokes)
    put("stance", claim.stance)
    if "proposition" in claim.undecided:
        out.append(f"    proposition: null  # {LEFT_TO_DECIDE} {_one_line(claim.undecided['proposition'])}")
    else:
        put("proposition", claim.proposition)
    for key in ("schemes", "affirms", "denies", "rebuts", "undercuts", "undermines", "attacks", "supports"):
        if getattr(claim, key):
            put(key, getattr(claim, key))
    put("date", claim.date)
    if len(claim.quotes) == 1 and claim.quotes[0].prefix is None:
        put("quote", claim.quotes[0].exact)
    else:
        out.append("    quotes:")
        for quote in claim.quotes:
            if quote.prefix is None:
                out.extend(_item(quote.exact))
            else:
                out.extend(_item({"exact": quote.exact, "prefix": quote.prefix}))
    put("note", claim.note)
    return out


def _scalar(value: object) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, width=10**6, default_flow_style=True)
    return text.removesuffix("\n...\n").rstrip("\n")


def _field(key: str, value: object) -> list[str]:
    if isinstance(value, list):
        return [f"    {key}: [{', '.join(_scalar(v) for v in value)}]"]
    if isinstance(value, str) and len(value) > WIDTH - len(key) - 6:
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, width=WIDTH - 6, default_style=None)
        return ["    " + line for line in dumped.rstrip("\n").splitlines()]
    return [f"    {key}: {_scalar(value)}"]


def _item(value: object) -> list[str]:
    if isinstance(value, dict):
        lines = []
        for index, (key, text) in enumerate(value.items()):
            dumped = _field(key, text)
            head = "      - " if index == 0 else "        "
            lines.append(head + dumped[0].lstrip())
            lines += ["    " + line for line in dumped[1:]]
        return lines
    dumped = yaml.safe_dump([value], allow_unicode=True, width=WIDTH - 6).rstrip("\n").splitlines()
    return ["      " + line for line in dumped]


def _one_line(text: str) -> str:
    return " ".join(text.split())
